#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_static(route_not_found::handler).await
}
