//! `POST /api/v1/admin/orders/{order_id}/repair`: Operators: ends a stuck order as CANCELLED with a note for the partner (idempotent).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::admin_stuck;
use auth::Scope;
use domain::ApiError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let id = path_id(&req, "order_id", || ApiError::OrderNotFound)?;
    let body = optional_json_body(&req)?;
    reply(admin_stuck::repair(&app, id, &body).await?)
}
