//! `POST /api/v1/admin/api-keys`: Operators: mints a key; the plaintext is shown once (201).
use lambda_http::Request;
use shared::auth::Scope;
use shared::http::*;
use shared::usecases::api_keys;
use shared::App;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    reply(api_keys::create(&app, &json_body(&req)?).await?)
}
