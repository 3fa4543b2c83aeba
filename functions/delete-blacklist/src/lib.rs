//! `DELETE /api/v1/blacklists/{blacklist_id}`: Deletes a blacklist and its entries (204).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::blacklists;
use auth::Scope;
use domain::ApiError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::BlacklistsWrite).await?;
    let id = path_id(&req, "blacklist_id", || ApiError::BlacklistNotFound)?;
    reply(blacklists::delete(&app, &caller, id).await?)
}
