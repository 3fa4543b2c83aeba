//! The discovery and enrichment engine: which companies an order returns and every feature's data.
//! Must not depend on aws-sdk-*, lambda_* or the network: logic behind small ports (catalog, DNS,
//! HTTP fetch), so each rule is testable without AWS.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod blacklist_match;
pub mod catalog;
pub mod contacts;
pub mod corpus;
pub mod discovery;
pub mod email;
pub mod enrich;
pub mod features;
/// The dev-only generator (crate `catalog-gen`), compiled into the unit tests only.
#[cfg(test)]
#[path = "../../catalog-gen/src/generator.rs"]
mod generator;
pub mod german;
pub mod icp;
pub mod import;
pub mod industry;
pub mod pipeline;
pub mod ports;
pub mod scoring;
pub mod taxonomy;
pub mod technologies;
pub mod text;
