#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(create_order::handler).await
}
