#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(cancel_order::handler).await
}
