//! Pure rules of the contract (validation, lifecycle, pricing, normalisation, paging) and the
//! error every layer answers with (its contract code; the HTTP status is the edge's). Must not
//! depend on aws-sdk-*, lambda_*, HTTP or the network.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod address;
pub mod blacklist;
pub mod clock;
pub mod create_order;
pub mod error;
pub mod fields;
pub mod json;
pub mod language;
pub mod normalize;
pub mod order;
pub mod paging;
pub mod pricing;
pub mod profile;
pub mod results;
pub mod webhook_url;

pub use error::{ApiError, FieldError};
