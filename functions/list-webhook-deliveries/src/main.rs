#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(list_webhook_deliveries::handler).await
}
