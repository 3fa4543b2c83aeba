//! `GET /api/v1/admin/tenants/{tenant_id}/webhook-secret`: Operators: a tenant's signing secret, created on first call (404 for a tenant no key was issued to).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use auth::Scope;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;
use webhook_secrets::SecretsApp;

pub async fn handler(ctx: Arc<SecretsApp>, req: Request) -> HandlerResult {
    caller(&ctx.app, &req, Scope::Admin).await?;
    let tenant = known_tenant(&ctx.app, &req).await?;
    Ok(json(200, &ctx.secrets.view(&tenant).await?))
}
