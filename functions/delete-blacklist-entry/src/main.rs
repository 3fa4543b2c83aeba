#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(delete_blacklist_entry::handler).await
}
