#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve_wired(&[events_sqs::wire], admin_redeliver_webhook::handler).await
}
