#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    workflow::serve(&[], workflow::no_network, discover::handler).await
}
