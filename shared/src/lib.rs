//! The domain crate every Lambda shares.
//!
//! - `domain`: pure rules of the contract (validation, lifecycle, pricing, normalisation, paging),
//!   free of AWS types and unit-tested.
//! - `auth`: API keys (format, hashing, constant-time check), scopes and the in-container cache.
//! - `store`: the DynamoDB adapter behind narrow per-aggregate ports.
//! - `http`: request parsing, error mapping and the Lambda entry point the functions wire into.
//! - `webhooks`: Standard Webhooks signing and the retry schedule of deliveries.
pub mod app;
pub mod auth;
pub mod config;
pub mod http;
pub mod ports;
pub mod store;
pub mod usecases;
pub mod webhooks;

pub use app::App;
pub use domain::{clock, error, ApiError};

/// The contract's pure rules and the engine, from their own crates (kept at `shared::domain` and
/// `shared::engine` for callers).
pub use ::domain;
pub use ::engine;
