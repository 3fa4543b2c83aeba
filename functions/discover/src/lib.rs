//! Lifecycle task: The plan: ranks the catalog (discovery) or batches the submission (enrichment).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub use workflow::tasks::plan as handler;
