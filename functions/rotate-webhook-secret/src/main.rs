#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve_with(
        delivery::SecretsApp::from_env(),
        rotate_webhook_secret::handler,
    )
    .await
}
