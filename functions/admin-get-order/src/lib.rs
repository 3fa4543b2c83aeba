//! `GET /api/v1/admin/orders/{order_id}`: Operators: the status object of one order of any tenant, with its tenant.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::admin_orders;
use auth::Scope;
use domain::ApiError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let id = path_id(&req, "order_id", || ApiError::OrderNotFound)?;
    reply(admin_orders::get(&app, id).await?)
}
