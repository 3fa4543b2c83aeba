//! The network ports of enrichment: the homepage fetcher (the engine's `PageFetcher`, behind the
//! `guard` crate's address checks) and MX lookups over DNS (the engine's `MxResolver`). Only
//! enrich-batch links this crate (reqwest, hickory); it must not depend on aws-sdk-* or lambda_*.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod fetch;
pub mod mx;
#[cfg(test)]
mod test_server;

pub use fetch::{FetchOptions, HttpFetcher};
pub use mx::DnsMxResolver;

use std::sync::Arc;
use std::time::Duration;

/// The production network ports of enrichment. Locally the machine may have no network: the
/// features stay on, but bounded tightly.
pub fn network(local_mode: bool) -> engine::ports::Network {
    let (mx_timeout, fetch) = if local_mode {
        let opts = FetchOptions {
            connect_timeout: Duration::from_millis(500),
            total_timeout: Duration::from_secs(1),
            ..FetchOptions::default()
        };
        (Duration::from_millis(300), opts)
    } else {
        (Duration::from_secs(2), FetchOptions::default())
    };
    engine::ports::Network {
        resolver: Arc::new(DnsMxResolver::new(mx_timeout)),
        fetcher: Some(Arc::new(HttpFetcher::new(fetch))),
    }
}
