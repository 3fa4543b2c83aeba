//! `GET /api/v1/orders/{order_id}/results`: One page of an order's delivered results.
use lambda_http::Request;
use shared::auth::Scope;
use shared::error::FieldError;
use shared::http::*;
use shared::usecases::orders;
use shared::ApiError;
use shared::App;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersRead).await?;
    let id = path_id(&req, "order_id", || ApiError::OrderNotFound)?;
    let mut q = QueryParams::new(&req, &["delivered_since"]);
    let page = q.page();
    let since = q
        .get("delivered_since")
        .map(|raw| (raw.to_string(), shared::clock::parse_iso8601(raw)));
    if let Some((_, None)) = since {
        q.errors.push(FieldError::new(
            "delivered_since",
            "delivered_since must be an ISO 8601 timestamp, e.g. 2026-03-01T10:30:00Z",
        ));
    }
    q.finish()?;
    reply(orders::results(&app, &caller, id, page, since.and_then(|s| s.1)).await?)
}
