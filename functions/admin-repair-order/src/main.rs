#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    http_edge::serve_wired(
        &[events_sqs::wire, runs_sfn::wire],
        admin_repair_order::handler,
    )
    .await
}
