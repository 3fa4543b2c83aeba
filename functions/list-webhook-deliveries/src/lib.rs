//! `GET /api/v1/orders/{order_id}/webhook-deliveries`: every webhook attempt of one order, oldest first.
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
    let caller = caller(&app, &req, Scope::OrdersRead).await?;
    let id = path_id(&req, "order_id", || ApiError::OrderNotFound)?;
    let mut q = QueryParams::new(&req, &[]);
    let page = q.bounded_page();
    q.finish()?;
    reply(webhooks::deliveries(&app, &caller, id, page).await?)
}
