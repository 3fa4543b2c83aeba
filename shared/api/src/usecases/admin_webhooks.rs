//! `GET /admin/webhook-deliveries?status=failed`: failed webhook deliveries, every tenant's or
//! one tenant's, the latest failure first: what an operator redelivers
//! (`POST /admin/webhook-deliveries/{event_id}/redeliver`) or recovers by tenant. Read from
//! sparse indexes that hold only failed deliveries (never a scan).
use super::Listed;
use crate::app::App;
use domain::paging::Page;
use domain::ApiError;
use serde_json::{json, Value};
use webhooks::event::WebhookDeliveryState;

fn view(s: &WebhookDeliveryState) -> Value {
    json!({
        "event_id": s.event_id,
        "tenant_id": s.tenant_id,
        "order_id": s.order_id,
        "event_status": s.event.payload.status,
        "webhook_url": s.event.webhook_url,
        "status": s.status,
        "round": s.round,
        "attempts": s.attempts,
        "failed_at": s.failed_at,
        "failure": s.failure,
    })
}

pub async fn failed(
    app: &App,
    tenant: Option<&str>,
    page: Page,
) -> Result<Listed<Value>, ApiError> {
    let (states, total) = app.db.failed_webhook_deliveries(tenant, page).await?;
    Ok(Listed::new(states, total, page, |s| view(&s)))
}
