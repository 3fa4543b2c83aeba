#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(revoke_api_key::handler).await
}
