//! The use cases (one per endpoint), the app wiring every function builds on (the store, the key
//! cache, the queue and run ports) and the functions' JSON logs. Must not depend on lambda_* or
//! HTTP types (that is `http-edge`).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod app;
pub mod logs;
pub mod ports;
pub mod preview_cache;
pub mod usecases;

#[cfg(test)]
use testkit::arb;
