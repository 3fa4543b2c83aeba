//! `POST /api/v1/orders`: Creates an enrichment or discovery order (202).
use lambda_http::Request;
use shared::auth::Scope;
use shared::http::*;
use shared::usecases::orders;
use shared::App;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersWrite).await?;
    let body = json_body(&req)?;
    reply(orders::create(&app, &caller, body, header_bytes(&req, "idempotency-key")).await?)
}
