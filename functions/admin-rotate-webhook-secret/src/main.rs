#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_with(
        webhook_secrets::SecretsApp::from_env(),
        admin_rotate_webhook_secret::handler,
    )
    .await
}
