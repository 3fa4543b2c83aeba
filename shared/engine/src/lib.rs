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
pub mod bm25;
pub mod catalog;
pub mod contacts;
pub mod corpus;
pub mod discovery;
pub mod email;
pub mod enrich;
pub mod features;
/// Generated companies for the unit tests, from the dev-only crate `catalog-gen`.
#[cfg(test)]
mod generator {
    use crate::catalog::CatalogCompany;

    /// `catalog_gen::generate`'s companies as this crate's type. catalog-gen depends on the
    /// engine, so in the engine's own tests its companies are another compilation's type: they
    /// cross over in their serialized form, which every field survives.
    pub fn generate(n: usize, seed: u64) -> Vec<CatalogCompany> {
        catalog_gen::generate(n, seed)
            .iter()
            .map(|c| {
                serde_json::to_value(c)
                    .and_then(serde_json::from_value)
                    .expect("a company round-trips through JSON")
            })
            .collect()
    }
}
pub mod german;
pub mod icp;
pub mod import;
pub mod industry;
pub mod pipeline;
pub mod ports;
mod scoped;
pub mod scoring;
pub mod selection;
pub mod similarity;
pub mod taxonomy;
pub mod technologies;
pub mod text;
mod tsv;
pub mod word_lists;
