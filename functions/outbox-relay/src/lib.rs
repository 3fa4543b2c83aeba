//! The outbox relay (a scheduled sweeper): puts every status-change event that is still unpublished
//! after the grace period on the webhook queue, so a failed send in the request path (or a
//! function that died right after its transaction) never loses an event. Beside that it finishes
//! the deletion of blacklists too large for their DELETE to remove every entry in time.
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

/// How long a sweep spends on blacklist deletions (the function's timeout is 60 s).
const PURGE_BUDGET: Duration = Duration::from_secs(40);

/// Finishes the deletions of blacklists marked in `[since, before)` (`since` `None`: all marked
/// before `before`) whose DELETE ran out of time (`Dynamo::purge_deleted`).
pub async fn purge_blacklists(
    app: &App,
    since: Option<&str>,
    before: &str,
) -> Result<serde_json::Value, domain::ApiError> {
    let until = tokio::time::Instant::now() + PURGE_BUDGET;
    let finished = app.db.purge_deleted(since, before, until).await?;
    if finished > 0 {
        tracing::info!(finished, "outbox relay finished blacklist deletions");
    }
    Ok(serde_json::json!({ "blacklists_deleted": finished }))
}

/// One scheduled run: the outbox, then the deletions marked longer than `grace` ago (a younger
/// one may still be in its DELETE).
pub async fn sweep(app: &App, grace: Duration) -> Result<serde_json::Value, domain::ApiError> {
    let mut out = handler(app, grace).await?;
    let before = domain::clock::format(domain::clock::now() - grace);
    let purged = purge_blacklists(app, None, &before).await?;
    if let (Some(out), Some(purged)) = (out.as_object_mut(), purged.as_object()) {
        out.extend(purged.clone());
    }
    Ok(out)
}
