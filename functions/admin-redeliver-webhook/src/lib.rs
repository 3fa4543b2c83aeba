//! `POST /api/v1/admin/webhook-deliveries/{event_id}/redeliver`: Operators: send a failed (or
//! delivered) event again under the same `webhook-id`.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::webhooks;
use auth::Scope;
use domain::ApiError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let id = path_id(&req, "event_id", || {
        ApiError::NotFound("Webhook event not found".into())
    })?;
    empty_json_body(&req)?;
    reply(webhooks::redeliver(&app, id).await?)
}
