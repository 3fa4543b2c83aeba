#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(create_blacklist::handler).await
}
