//! `POST /api/v1/admin/tenants/{tenant_id}/webhook-deliveries/recover`: Operators: after a
//! partner's outage, send again every event of the tenant that failed since `since`.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::webhooks;
use auth::Scope;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let tenant = tenant_path(&req)?;
    reply(webhooks::recover(&app, &tenant, &json_body(&req)?).await?)
}
