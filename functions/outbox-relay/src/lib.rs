//! The outbox relay (a scheduled sweeper): puts every status-change event that is still unpublished
//! after the grace period on the webhook queue, so a failed send in the request path (or a
//! function that died right after its transaction) never loses an event.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::usecases::lifecycle::{relay_outbox, RELAY_GRACE};
use std::time::Duration;

/// How old an unpublished event must be before the relay takes it (the fast path's time).
pub fn grace_from_env() -> Result<Duration, String> {
    match std::env::var("OUTBOX_RELAY_GRACE_SECONDS") {
        Ok(v) if !v.is_empty() => v
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| format!("OUTBOX_RELAY_GRACE_SECONDS is not a number: {v}")),
        _ => Ok(RELAY_GRACE),
    }
}

pub async fn handler(app: &App, grace: Duration) -> Result<serde_json::Value, domain::ApiError> {
    let published = relay_outbox(app, grace).await?;
    if published > 0 {
        tracing::warn!(
            published,
            "outbox relay published events the request path had not"
        );
    }
    Ok(serde_json::json!({ "published": published }))
}
