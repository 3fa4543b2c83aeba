//! `DELETE /api/v1/admin/api-keys/{key_id}`: Operators: revokes a key (204).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::api_keys;
use auth::Scope;
use domain::ApiError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let id = path_id(&req, "key_id", || {
        ApiError::NotFound("API key not found".into())
    })?;
    reply(api_keys::revoke(&app, id).await?)
}
