#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    workflow::serve(&[], enrich_batch::handler).await
}
