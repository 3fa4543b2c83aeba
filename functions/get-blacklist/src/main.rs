#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(get_blacklist::handler).await
}
