//! A bare lambda_http function with one DynamoDB client: what an API function costs at least.
//! `infra/bench/package_report.py` sets every API function's zip size and init time beside it.
use lambda_http::{service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let db = aws_sdk_dynamodb::Client::new(&sdk);
    let table = std::env::var("TABLE_NAME").unwrap_or_default();
    lambda_http::run(service_fn(move |_req: Request| {
        let (db, table) = (db.clone(), table.clone());
        async move {
            let item = db
                .get_item()
                .table_name(table)
                .key(
                    "PK",
                    aws_sdk_dynamodb::types::AttributeValue::S("anchor".into()),
                )
                .send()
                .await;
            let status = if item.is_ok() { 200 } else { 503 };
            Ok::<_, Error>(Response::builder().status(status).body(Body::Empty)?)
        }
    }))
    .await
}
