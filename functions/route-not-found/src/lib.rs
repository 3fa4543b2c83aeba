//! API Gateway's `$default` route: any method and path no other route takes. It answers in the
//! contract's error envelope with an `x-request-id` (404 `NOT_FOUND`), where API Gateway would
//! answer a bare `{"message":"Not Found"}`. No key is read: an unknown route reveals nothing.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use domain::ApiError;
use http_edge::HandlerResult;
use lambda_http::Request;
use std::sync::Arc;

pub async fn handler(_: Arc<()>, req: Request) -> HandlerResult {
    let path: String = req.uri().path().chars().take(200).collect();
    Err(ApiError::NotFound(format!(
        "No route for {} {path}",
        req.method()
    )))
}
