//! `GET /api/v1/admin/orders`: Operators: the review queue across tenants, EXPRESS first, oldest first.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::admin_orders;
use auth::Scope;
use domain::order::OrderStatus;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let mut q = QueryParams::new(&req, &["status"]);
    let page = q.bounded_page();
    let status = q
        .choice("status", OrderStatus::parse, &OrderStatus::choices())
        .unwrap_or(OrderStatus::Received);
    q.finish()?;
    reply(admin_orders::queue(&app, status, page).await?)
}
