//! `GET /api/v1/admin/orders/stuck`: Operators: orders in flight past a time, every tenant's, with whether each one's run is still going.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::admin_stuck::{self, MAX_STUCK_AFTER_MINUTES, STUCK_AFTER_MINUTES};
use auth::Scope;
use domain::error::FieldError;
use http_edge::*;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(app: Arc<App>, req: Request) -> HandlerResult {
    caller(&app, &req, Scope::Admin).await?;
    let mut q = QueryParams::new(&req, &["stuck_after_minutes"]);
    let page = q.bounded_page();
    let after = match q.get("stuck_after_minutes") {
        None => STUCK_AFTER_MINUTES,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if (0..=MAX_STUCK_AFTER_MINUTES).contains(&n) => n,
            _ => {
                q.errors.push(FieldError::new(
                    "stuck_after_minutes",
                    format!("stuck_after_minutes must be an integer between 0 and {MAX_STUCK_AFTER_MINUTES}"),
                ));
                STUCK_AFTER_MINUTES
            }
        },
    };
    q.finish()?;
    reply(admin_stuck::stuck(&app, after, page).await?)
}
