#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(delete_blacklist_entry::handler).await
}
