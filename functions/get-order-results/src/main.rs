#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve(get_order_results::handler).await
}
