#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_wired(&[runs_sfn::wire], admin_list_stuck_orders::handler).await
}
