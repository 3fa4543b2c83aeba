//! `GET /api/v1/admin/webhook-deliveries`: Operators: failed webhook deliveries, every tenant's or one tenant's, the latest failure first.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::{admin_webhooks, api_keys};
use auth::Scope;
use domain::error::FieldError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let mut q = QueryParams::new(&req, &["status", "tenant_id"]);
    let page = q.bounded_page();
    // Only failed deliveries are indexed; the parameter says so, so a later status is no surprise.
    match q.get("status") {
        Some("failed") => {}
        Some(_) => q
            .errors
            .push(FieldError::new("status", "status must be one of failed")),
        None => q
            .errors
            .push(FieldError::new("status", "status is required (failed)")),
    }
    let tenant = q.get("tenant_id").map(str::to_string);
    if let Some(problem) = tenant.as_deref().and_then(api_keys::tenant_id_problem) {
        q.errors.push(FieldError::new("tenant_id", problem));
    }
    q.finish()?;
    reply(admin_webhooks::failed(&app, tenant.as_deref(), page).await?)
}
