#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::workflow::serve(fail_order::handler).await
}
