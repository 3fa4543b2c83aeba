#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    workflow::serve(&[], outbound::network, enrich_batch::handler).await
}
