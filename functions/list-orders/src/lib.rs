//! `GET /api/v1/orders`: Lists the caller's orders, newest first.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::orders;
use auth::Scope;
use domain::order::{OrderStatus, OrderType};
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;
use store::orders::OrderFilter;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersRead).await?;
    let mut q = QueryParams::new(&req, &["status", "order_type"]);
    let page = q.bounded_page();
    let filter = OrderFilter {
        status: q.choice("status", OrderStatus::parse, &OrderStatus::choices()),
        order_type: q.choice("order_type", OrderType::parse, &OrderType::choices()),
    };
    q.finish()?;
    reply(orders::list(&app, &caller, filter, page).await?)
}
