#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_wired(&[events_sqs::wire], admin_recover_webhooks::handler).await
}
