#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve(admin_list_orders::handler).await
}
