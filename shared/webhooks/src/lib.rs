//! Webhook rules as pure types and functions: what travels on the webhook queue and what the
//! delivery log records (`event`), Standard Webhooks signing (`signing`) and when to try again
//! (`schedule`). Must not depend on aws-sdk-*, lambda_* or the network: the sender is the
//! `webhook-sender` crate, the secrets the `webhook-secrets` crate, the log the store's `webhooks`.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod event;
pub mod schedule;
pub mod signing;
