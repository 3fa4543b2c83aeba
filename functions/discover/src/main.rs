#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    workflow::serve(&[], discover::handler).await
}
