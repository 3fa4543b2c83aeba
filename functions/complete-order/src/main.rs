#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    workflow::serve(
        &[events_sqs::wire],
        workflow::no_network,
        complete_order::handler,
    )
    .await
}
