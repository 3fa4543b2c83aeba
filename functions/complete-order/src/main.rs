#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::workflow::serve(&[events_sqs::wire], complete_order::handler).await
}
