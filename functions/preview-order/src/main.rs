#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(preview_order::handler).await
}
