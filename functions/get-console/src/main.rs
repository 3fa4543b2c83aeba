#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_static(get_console::handler).await
}
