#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(get_order_results::handler).await
}
