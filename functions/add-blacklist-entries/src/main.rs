#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(add_blacklist_entries::handler).await
}
