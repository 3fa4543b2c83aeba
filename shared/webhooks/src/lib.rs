//! Webhook delivery rules of CONTRACT.md "Webhooks", as small pure functions and types: Standard
//! Webhooks signing (`signing`), when to try again (`schedule`), and the messages and log lines of
//! a delivery (`delivery`). The dispatcher (the `delivery` crate) builds on these.
pub mod delivery;
pub mod schedule;
pub mod signing;
