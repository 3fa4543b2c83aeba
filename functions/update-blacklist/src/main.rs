#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(update_blacklist::handler).await
}
