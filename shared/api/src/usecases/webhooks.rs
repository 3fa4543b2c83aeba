//! The webhook endpoints that need no signing secret: a partner's delivery log, an operator's
//! redelivery of one event and recovery of a tenant's failed events since a time.
use super::lifecycle::enqueue;
use super::{Accepted, Listed};
use crate::app::App;
use auth::Caller;
use domain::fields::Fields;
use domain::paging::Page;
use domain::ApiError;
use serde_json::{json, Value};
use uuid::Uuid;
use webhooks::event::{AttemptRecord, Message, WebhookDeliveryState, WebhookDeliveryStatus};

/// `GET /orders/{order_id}/webhook-deliveries`: every attempt, oldest first.
pub async fn deliveries(
    app: &App,
    caller: &Caller,
    order_id: Uuid,
    page: Page,
) -> Result<Listed<AttemptRecord>, ApiError> {
    super::orders::load(app, caller, order_id).await?;
    let (records, total) = app.db.attempts(&caller.tenant_id, order_id, page).await?;
    Ok(Listed::new(records, total, page, |r| r))
}

/// `POST /admin/webhook-deliveries/{event_id}/redeliver`: a new round of attempts for a failed
/// (or delivered) event, under the same `webhook-id`. 409 while a delivery is under way.
pub async fn redeliver(app: &App, event_id: Uuid) -> Result<Accepted<Value>, ApiError> {
    let state = app
        .db
        .webhook_delivery_state(event_id)
        .await?
        .ok_or_else(|| ApiError::NotFound("Webhook event not found".into()))?;
    let restarted = restart(app, &state).await?.ok_or_else(|| {
        ApiError::InvalidStatusTransition(
            "The event is being delivered; redeliver it once it failed".into(),
        )
    })?;
    Ok(Accepted(
        json!({"event_id": event_id, "order_id": restarted.order_id, "status": restarted.status, "round": restarted.round}),
    ))
}

/// `POST /admin/tenants/{tenant_id}/webhook-deliveries/recover` with `{"since": timestamp}`:
/// redelivers every event of the tenant that failed since then (after a partner's outage).
pub async fn recover(app: &App, tenant: &str, body: &Value) -> Result<Accepted<Value>, ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(&["since"]);
    let since = f.required_string("since", 64);
    let since = since.and_then(|raw| match domain::clock::parse(&raw) {
        Some(t) => Some(domain::clock::format(t)),
        None => {
            f.fail("since", "since must be an RFC 3339 timestamp");
            None
        }
    });
    f.finish()?;
    let since = since.unwrap_or_default();
    let failed = app
        .db
        .failed_webhook_deliveries_since(tenant, &since)
        .await?;
    let mut requeued = Vec::new();
    for state in &failed {
        if restart(app, state).await?.is_some() {
            requeued.push(state.event_id);
        }
    }
    Ok(Accepted(
        json!({"tenant_id": tenant, "since": since, "requeued": requeued.len(), "event_ids": requeued}),
    ))
}

/// A new round, then its first message; `None` when the event is pending.
async fn restart(
    app: &App,
    state: &WebhookDeliveryState,
) -> Result<Option<WebhookDeliveryState>, ApiError> {
    let Some(next) = app.db.restart_webhook_delivery(state).await? else {
        return Ok(None);
    };
    let message = Message {
        round: next.round,
        ..Message::first(next.event.clone())
    };
    if let Err(e) = enqueue(app, &message, 0).await {
        // Not left pending without a message: failed again, so a later recovery finds it.
        let at = domain::clock::now_string();
        app.db
            .finish_webhook_delivery(
                &next,
                WebhookDeliveryStatus::Failed,
                Some("redelivery not queued"),
                &at,
            )
            .await?;
        return Err(e);
    }
    Ok(Some(next))
}
