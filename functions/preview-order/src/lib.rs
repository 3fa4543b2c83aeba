//! `POST /api/v1/orders/preview`: What a discovery order would find now, stored nowhere (200).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::preview;
use auth::Scope;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;
use store::catalog::CatalogStore;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersRead).await?;
    let body = json_body(&req)?;
    let catalog = CatalogStore::of(&app.config, &app.db)?;
    reply(preview::preview(&app, &caller, &catalog, body).await?)
}
