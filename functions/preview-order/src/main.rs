#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(preview_order::handler).await
}
