//! The discovery and enrichment engine: which companies an order returns and every feature's data.
//! Logic behind small ports (catalog, DNS, HTTP fetch), so each rule is testable without AWS.
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
