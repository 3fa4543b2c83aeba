//! `GET /api/v1/admin/orders/{order_id}/preview`: Operators: what an order of any tenant would deliver if it ran now (200, nothing stored).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::admin_preview;
use auth::Scope;
use domain::ApiError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;
use store::catalog::CatalogStore;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::Admin).await?;
    let id = path_id(&req, "order_id", || ApiError::OrderNotFound)?;
    let catalog = CatalogStore::of(&app.config, &app.db)?;
    reply(admin_preview::preview(&app, &caller, &catalog, id).await?)
}
