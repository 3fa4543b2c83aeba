//! Webhook delivery rules of CONTRACT.md "Webhooks", as small pure functions: Standard Webhooks
//! signing (`signing`) and when to try again (`schedule`). The dispatcher that posts events and
//! keeps the delivery log builds on these.
pub mod schedule;
pub mod signing;
