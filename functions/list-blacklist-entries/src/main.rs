#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(list_blacklist_entries::handler).await
}
