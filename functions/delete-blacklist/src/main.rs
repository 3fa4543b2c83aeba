#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(delete_blacklist::handler).await
}
