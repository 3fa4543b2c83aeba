#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(admin_redeliver_webhook::handler).await
}
