#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    workflow::serve(&[events_sqs::wire], complete_order::handler).await
}
