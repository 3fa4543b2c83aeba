//! Webhook deliveries: the guarded sender (`sender`) and the dispatcher (`dispatch`) the webhook
//! queue's consumer runs; must not depend on lambda_http. Only the dispatcher function links it
//! (reqwest, behind the `guard` crate's address checks).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod dispatch;
pub mod sender;
