#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(list_webhook_deliveries::handler).await
}
