#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(admin_recover_webhooks::handler).await
}
