//! `POST /api/v1/orders/preview`: What a discovery order would find now, stored nowhere (200).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use lambda_http::Request;
use shared::auth::Scope;
use shared::http::*;
use shared::store::catalog::CatalogStore;
use shared::usecases::preview;
use shared::App;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersRead).await?;
    let body = json_body(&req)?;
    let catalog = CatalogStore::of(&app)?;
    reply(preview::preview(&app, &caller, &catalog, body).await?)
}
