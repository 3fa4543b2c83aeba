#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::workflow::serve(&[], discover::handler).await
}
