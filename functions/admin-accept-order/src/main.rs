#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_wired(
        &[events_sqs::wire, runs_sfn::wire],
        admin_accept_order::handler,
    )
    .await
}
