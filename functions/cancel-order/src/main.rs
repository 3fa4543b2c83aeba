#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_wired(&[events_sqs::wire, runs_sfn::wire], cancel_order::handler).await
}
