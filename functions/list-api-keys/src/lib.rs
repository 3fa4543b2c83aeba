//! `GET /api/v1/admin/api-keys`: Operators: lists keys (never their secrets).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::api_keys;
use auth::Scope;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let mut q = QueryParams::new(&req, &["tenant_id"]);
    let page = q.bounded_page();
    let tenant = q.get("tenant_id").map(str::to_string);
    q.finish()?;
    reply(api_keys::list(&app, tenant.as_deref(), page).await?)
}
