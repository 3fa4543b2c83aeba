//! Outbound HTTP shared by every caller of partner-controlled addresses (webhook deliveries, the
//! technology fetcher): one address guard.
pub mod guard;
