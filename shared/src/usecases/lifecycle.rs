//! Every status change goes through here, whichever path makes it (partner API, operators, the
//! workflow): the conditional write (with its outbox event, in one transaction), then the event on
//! the webhook queue, then — for cancellations — stopping the run as a best-effort extra.
use crate::domain::order::{Order, OrderStatus, StatusChanged};
use crate::store::keys;
use crate::store::orders::{Change, Transition};
use crate::store::ports::Orders;
use crate::store::s;
use crate::{ApiError, App};
use uuid::Uuid;

pub async fn transition(
    app: &App,
    tenant: &str,
    id: Uuid,
    to: OrderStatus,
    change: Change,
) -> Result<Transition, ApiError> {
    let t = app.db.transition(tenant, id, to, &change).await?;
    publish(app, &t.order, &t.event).await;
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
            if let Err(e) = app
                .sfn
                .stop_execution()
                .execution_arn(&arn)
                .cause("Order cancelled")
                .send()
                .await
            {
                tracing::warn!(order_id = %id, error = %crate::store::classify(e), "StopExecution failed; the run ends at its next status check");
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

/// Puts the event on the webhook queue when the order has a webhook, then marks the outbox item.
/// A failure leaves the outbox item unpublished (logged), never the transition undone.
pub async fn publish(app: &App, order: &Order, event: &StatusChanged) {
    let (Some(_), Some(queue)) = (&order.webhook_url, &app.config.webhook_queue_url) else {
        return;
    };
    let body = match serde_json::to_string(event) {
        Ok(b) => b,
        Err(e) => return tracing::error!(error = %e, "unserialisable event"),
    };
    let sent = app
        .sqs
        .send_message()
        .queue_url(queue)
        .message_body(body)
        .message_attributes(
            "event_id",
            aws_sdk_sqs::types::MessageAttributeValue::builder()
                .data_type("String")
                .string_value(event.event_id.to_string())
                .build()
                .expect("data type set"),
        )
        .send()
        .await;
    if let Err(e) = sent {
        return tracing::error!(order_id = %order.order_id, event_id = %event.event_id, error = %aws_sdk_sqs::error::DisplayErrorContext(&e), "event not published; it stays in the outbox");
    }
    let marked = app
        .db
        .client
        .update_item()
        .table_name(&app.db.table)
        .key(
            keys::PK,
            s(keys::order_data(&order.tenant_id, order.order_id)),
        )
        .key(keys::SK, s(keys::event(order.status.as_str())))
        .update_expression("SET published = :t")
        .expression_attribute_values(":t", aws_sdk_dynamodb::types::AttributeValue::Bool(true))
        .send()
        .await;
    if let Err(e) = marked {
        tracing::warn!(order_id = %order.order_id, error = %crate::store::classify(e), "event published but not marked");
    }
}

/// The tenant of an order known only by id (operators, the workflow).
pub async fn tenant_of(app: &App, id: Uuid) -> Result<String, ApiError> {
    app.db
        .order_tenant(id)
        .await?
        .ok_or(ApiError::OrderNotFound)
}
