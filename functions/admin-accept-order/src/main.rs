#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(admin_accept_order::handler).await
}
