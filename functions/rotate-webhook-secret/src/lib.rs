//! `POST /api/v1/webhook-secret/rotate`: A new signing secret; the previous one keeps signing beside it for 24 hours.
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
    let tenant = caller(&ctx.app, &req, Scope::OrdersWrite).await?.tenant_id;
    empty_json_body(&req)?;
    Ok(json(200, &ctx.secrets.rotate(&tenant).await?))
}
