//! `GET /api/v1/profiles`: Lists the caller's profiles.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::profiles;
use auth::Scope;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    let caller = caller(&app, &req, Scope::OrdersRead).await?;
    let mut q = QueryParams::new(&req, &[]);
    let page = q.bounded_page();
    q.finish()?;
    reply(profiles::list(&app, &caller, page).await?)
}
