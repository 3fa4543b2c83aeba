//! `POST /api/v1/orders`: Creates an enrichment or discovery order (202).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::orders;
use auth::Scope;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;
use store::catalog::CatalogStore;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersWrite).await?;
    let body = json_body(&req)?;
    // Seeds of a lookalike order are looked up in the catalog when it is created.
    let catalog = CatalogStore::of(&app.config, &app.db)?;
    reply(
        orders::create(
            &app,
            &caller,
            body,
            header_bytes(&req, "idempotency-key"),
            &catalog,
        )
        .await?,
    )
}
