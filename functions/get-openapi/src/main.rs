#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve_static(get_openapi::handler).await
}
