//! Outbound network adapters: the one address guard every call to a partner- or company-controlled
//! address goes through (webhook deliveries, the homepage fetcher), the homepage fetcher (the
//! engine's `PageFetcher`) and MX lookups over DNS (the engine's `MxResolver`). Only the functions
//! that reach the internet link this crate (reqwest, hickory).
pub mod fetch;
pub mod guard;
pub mod mx;
#[cfg(test)]
mod test_server;

pub use fetch::{FetchOptions, HttpFetcher};
pub use mx::DnsMxResolver;
