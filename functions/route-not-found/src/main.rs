#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::http::serve_static(route_not_found::handler).await
}
