#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(admin_list_webhook_deliveries::handler).await
}
