//! Lifecycle task: One Map item: computes a batch of results and delivers it in order.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub use workflow::tasks::enrich_batch as handler;
