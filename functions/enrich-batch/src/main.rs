#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::workflow::serve(&[], enrich_batch::handler).await
}
