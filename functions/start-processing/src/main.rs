#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::workflow::serve(start_processing::handler).await
}
