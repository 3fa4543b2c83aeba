//! `GET /api/v1/orders/{order_id}/results`: One page of an order's delivered results.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::orders;
use auth::Scope;
use domain::ApiError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersRead).await?;
    let id = path_id(&req, "order_id", || ApiError::OrderNotFound)?;
    let mut q = QueryParams::new(&req, &["delivered_since"]);
    let page = q.page();
    let since = q.timestamp("delivered_since");
    q.finish()?;
    reply(orders::results(&app, &caller, id, page, since).await?)
}
