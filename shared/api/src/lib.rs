//! The domain crate every Lambda shares.
//!
//! - `domain`: pure rules of the contract (validation, lifecycle, pricing, normalisation, paging),
//!   free of AWS types and unit-tested.
//! - `auth`: API keys (format, hashing, constant-time check), scopes and the in-container cache.
//! - `store`: the DynamoDB adapter behind narrow per-aggregate ports.
//! - `http`: request parsing, error mapping and the Lambda entry point the functions wire into.
//! - `webhooks`: Standard Webhooks signing and the retry schedule of deliveries.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod app;
pub mod auth;
pub mod config;
pub mod http;
pub mod ports;
// The store's `expect`s are on what it builds itself (its own types serialised, request builders
// whose required fields it has set, a chunk list it has just pushed to), its one index on a
// transaction's own cancellation reasons (one per item it wrote): no request value reaches them.
#[allow(clippy::expect_used, clippy::indexing_slicing)]
pub mod store;
pub mod usecases;
pub mod webhooks;

pub use app::App;

/// The request parsers' arbitrary JSON, shared with the domain crate's property tests.
#[cfg(test)]
#[path = "../domain/tests/arb/mod.rs"]
mod arb;
pub use domain::{clock, error, ApiError};

/// The contract's pure rules and the engine, from their own crates (kept at `shared::domain` and
/// `shared::engine` for callers).
pub use ::domain;
pub use ::engine;
