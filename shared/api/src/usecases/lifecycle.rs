//! Every status change goes through here, whichever path makes it (partner API, operators, the
//! workflow): the conditional write (with its outbox event, in one transaction), then the event on
//! the webhook queue, then — for cancellations — stopping the run as a best-effort extra.
use crate::app::App;
use domain::order::{Order, OrderStatus, StatusChanged};
use domain::ApiError;
use store::orders::{Change, Transition};
use uuid::Uuid;
use webhooks::event::Message;

pub async fn transition(
    app: &App,
    tenant: &str,
    id: Uuid,
    to: OrderStatus,
    change: Change,
) -> Result<Transition, ApiError> {
    let t = app.db.transition(tenant, id, to, &change).await?;
    // Boxed: keeps the callers' future types shallow (the task functions nest deeply).
    Box::pin(publish(app, &t.order, &t.event)).await;
    Ok(t)
}

/// Cancels, then stops the execution: the conditional write is what guarantees that nothing is
/// delivered afterwards (every later step checks the status); `StopExecution` only saves work.
pub async fn cancel(
    app: &App,
    tenant: &str,
    id: Uuid,
    change: Change,
) -> Result<Transition, ApiError> {
    let t = transition(app, tenant, id, OrderStatus::Cancelled, change).await?;
    if matches!(t.previous, OrderStatus::Accepted | OrderStatus::InProgress) {
        if let Some(arn) = execution_arn(app, id) {
            if let Err(e) = app.runs.stop(&arn, "Order cancelled").await {
                tracing::warn!(order_id = %id, error = %e, "StopExecution failed; the run ends at its next status check");
            }
        }
    }
    Ok(t)
}

/// Executions are named after their order, so the ARN is known without storing it.
pub fn execution_arn(app: &App, order_id: Uuid) -> Option<String> {
    let sm = app.config.state_machine_arn.as_deref()?;
    Some(format!(
        "{}:{order_id}",
        sm.replacen(":stateMachine:", ":execution:", 1)
    ))
}

/// Puts the event on the webhook queue when the order has a webhook, then takes it out of the
/// outbox index. A failure leaves it in the outbox (logged) for the relay; never the transition undone.
pub async fn publish(app: &App, order: &Order, event: &StatusChanged) {
    if order.webhook_url.is_none() {
        return;
    }
    if let Err(e) = publish_event(app, event).await {
        tracing::warn!(order_id = %order.order_id, event_id = %event.event_id, error = %e, "event not published; the outbox relay will");
    }
}

/// The webhook queue: the first attempt's message of `event`.
pub async fn enqueue(app: &App, message: &Message, delay_secs: i32) -> Result<(), ApiError> {
    let queue = app
        .config
        .webhook_queue_url
        .as_deref()
        .ok_or_else(|| ApiError::Internal("WEBHOOK_QUEUE_URL is not set".into()))?;
    let body = serde_json::to_string(message).map_err(|e| ApiError::Internal(e.to_string()))?;
    let event_id = message.event.event_id.to_string();
    app.queue
        .send(queue, &body, delay_secs, &[("event_id", &event_id)])
        .await
}

async fn publish_event(app: &App, event: &StatusChanged) -> Result<(), ApiError> {
    enqueue(app, &Message::first(event.clone()), 0).await?;
    app.db.mark_published(event).await
}

/// Events older than this are the relay's; younger ones are still the request path's fast path.
pub const RELAY_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// The outbox relay (a scheduled sweeper): every event still unpublished `grace` after its
/// transition goes on the webhook queue, at least once. Returns how many were published.
pub async fn relay_outbox(app: &App, grace: std::time::Duration) -> Result<usize, ApiError> {
    let before = domain::clock::format(domain::clock::now() - grace);
    // The index is eventually consistent: an event just marked may show once more; skip it.
    let mut seen = std::collections::HashSet::new();
    loop {
        let events = app.db.unpublished_events(&before, 100).await?;
        let fresh: Vec<_> = events
            .into_iter()
            .filter(|e| seen.insert(e.event_id))
            .collect();
        if fresh.is_empty() {
            return Ok(seen.len());
        }
        for event in &fresh {
            publish_event(app, event).await?;
        }
    }
}

/// The tenant of an order known only by id (operators, the workflow).
pub async fn tenant_of(app: &App, id: Uuid) -> Result<String, ApiError> {
    app.db
        .order_tenant(id)
        .await?
        .ok_or(ApiError::OrderNotFound)
}
