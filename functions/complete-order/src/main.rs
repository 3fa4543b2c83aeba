#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::workflow::serve(complete_order::handler).await
}
