//! Webhook items: the outbox index, each event's delivery state (claimed attempt by attempt with
//! conditional writes, so a duplicate message never makes a second attempt of the same number
//! while the first is in flight), the delivery log, and the tenants' sealed signing secrets.
use super::query::KeyQuery;
use super::{applied, classify, from_item, keys, n, s, to_item, with_keys, Dynamo, Item};
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use domain::order::StatusChanged;
use domain::paging::Page;
use domain::ApiError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use webhooks::event::{AttemptRecord, Message, WebhookDeliveryState, WebhookDeliveryStatus};

/// A tenant's signing secrets as stored: sealed (encrypted) texts, never the plaintext.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretRecord {
    pub tenant_id: String,
    pub current: SealedSecret,
    pub previous: Option<SealedSecret>,
    /// Optimistic concurrency: each write expects the version it read.
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SealedSecret {
    pub sealed: String,
    pub created_at: String,
    /// For a rotated-out secret: when it stops signing.
    pub expires_at: Option<String>,
}

fn conditional_failed<E: aws_sdk_dynamodb::error::ProvideErrorMetadata, R>(
    e: &SdkError<E, R>,
) -> bool {
    matches!(e, SdkError::ServiceError(se) if se.err().code() == Some("ConditionalCheckFailedException"))
}

/// The state an `ALL_NEW` update left, or `None` when its condition did not hold.
fn updated_state<R: std::fmt::Debug>(
    result: Result<
        aws_sdk_dynamodb::operation::update_item::UpdateItemOutput,
        SdkError<aws_sdk_dynamodb::operation::update_item::UpdateItemError, R>,
    >,
) -> Result<Option<WebhookDeliveryState>, ApiError> {
    match result {
        Ok(out) => from_item(out.attributes.unwrap_or_default()).map(Some),
        Err(e) if conditional_failed(&e) => Ok(None),
        Err(e) => Err(classify(e)),
    }
}

impl Dynamo {
    /// Unpublished outbox events created before `before` (oldest first), at most `limit`.
    pub async fn unpublished_events(
        &self,
        before: &str,
        limit: i32,
    ) -> Result<Vec<StatusChanged>, ApiError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(keys::GSI2)
            .key_condition_expression("GSI2PK = :pk AND GSI2SK < :before")
            .expression_attribute_values(":pk", s(keys::OUTBOX))
            .expression_attribute_values(":before", s(before))
            .limit(limit)
            .send()
            .await
            .map_err(classify)?;
        out.items
            .unwrap_or_default()
            .into_iter()
            .map(|item| {
                let text = item
                    .get("event")
                    .and_then(|v| v.as_s().ok())
                    .ok_or_else(|| ApiError::Internal("outbox item without event".into()))?;
                serde_json::from_str(text).map_err(|e| ApiError::Internal(e.to_string()))
            })
            .collect()
    }

    /// The event is on the queue: out of the outbox index.
    pub async fn mark_published(&self, event: &StatusChanged) -> Result<(), ApiError> {
        // A transition to the same status that lost its race may hold the event item a moment.
        let mark = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(
                keys::PK,
                s(keys::order_data(&event.tenant_id, event.payload.order_id)),
            )
            .key(keys::SK, s(keys::event(event.payload.status.as_str())))
            .update_expression("SET published = :t REMOVE GSI2PK, GSI2SK")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":t", AttributeValue::Bool(true));
        let marked = self.retry_contention(|| mark.clone().send()).await;
        // An event whose order partition is gone has nothing left to mark.
        applied(marked).map(|_| ())
    }

    /// Claims attempt `msg.attempt` of the message's round: `None` when it is a stale or duplicate
    /// message (the event is no longer pending, another round started, or that attempt is in
    /// flight or done). A copy of a message whose handler died reclaims it after the lease.
    pub async fn claim_attempt(
        &self,
        msg: &Message,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> Result<Option<WebhookDeliveryState>, ApiError> {
        let e = &msg.event;
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::webhook_event(e.event_id)))
            .key(keys::SK, s(keys::STATE))
            .update_expression(
                "SET #status = if_not_exists(#status, :pending), #round = if_not_exists(#round, :round), \
                 attempts = :n, lease_until_ms = :lease, first_attempt_at_ms = if_not_exists(first_attempt_at_ms, :now), \
                 event_id = :id, tenant_id = :tenant, order_id = :order, event = if_not_exists(event, :event)",
            )
            .condition_expression(
                "attribute_not_exists(PK) OR (#status = :pending AND #round = :round AND \
                 (attempts < :n OR (attempts = :n AND lease_until_ms < :now)))",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#round", "round")
            .expression_attribute_values(":pending", s(WebhookDeliveryStatus::Pending.as_str()))
            .expression_attribute_values(":round", n(msg.round))
            .expression_attribute_values(":n", n(msg.attempt))
            .expression_attribute_values(":lease", n(lease_until_ms))
            .expression_attribute_values(":now", n(now_ms))
            .expression_attribute_values(":id", s(e.event_id.to_string()))
            .expression_attribute_values(":tenant", s(&e.tenant_id))
            .expression_attribute_values(":order", s(e.payload.order_id.to_string()))
            .expression_attribute_values(
                ":event",
                AttributeValue::M(to_item(e)?),
            )
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        updated_state(result)
    }

    /// Ends a round: delivered, or failed (then listed for the tenant's recovery since a time).
    pub async fn finish_webhook_delivery(
        &self,
        state: &WebhookDeliveryState,
        status: WebhookDeliveryStatus,
        failure: Option<&str>,
        at: &str,
    ) -> Result<(), ApiError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::webhook_event(state.event_id)))
            .key(keys::SK, s(keys::STATE))
            .condition_expression("#status = :pending AND #round = :round")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#round", "round")
            .expression_attribute_values(":pending", s(WebhookDeliveryStatus::Pending.as_str()))
            .expression_attribute_values(":round", n(state.round))
            .expression_attribute_values(":to", s(status.as_str()));
        update = if status == WebhookDeliveryStatus::Failed {
            update
                .update_expression(
                    "SET #status = :to, failed_at = :at, failure = :why, GSI1PK = :g1, GSI1SK = :gs, \
                     GSI2PK = :g2, GSI2SK = :gs",
                )
                .expression_attribute_values(":at", s(at))
                .expression_attribute_values(":why", s(failure.unwrap_or("failed")))
                .expression_attribute_values(":g1", s(keys::failed_webhooks(&state.tenant_id)))
                .expression_attribute_values(":g2", s(keys::FAILED_WEBHOOKS))
                .expression_attribute_values(":gs", s(format!("{at}#{}", state.event_id)))
        } else {
            update.update_expression("SET #status = :to")
        };
        // Not applied: a duplicate of this attempt ended it already, and the first verdict stands.
        applied(update.send().await).map(|_| ())
    }

    pub async fn webhook_delivery_state(
        &self,
        event_id: Uuid,
    ) -> Result<Option<WebhookDeliveryState>, ApiError> {
        self.get_entity(keys::webhook_event(event_id), keys::STATE.into())
            .await
    }

    /// Starts a new round for an event that is not pending (an operator's redelivery).
    /// `None` when the event is pending right now (its delivery is still under way).
    pub async fn restart_webhook_delivery(
        &self,
        state: &WebhookDeliveryState,
    ) -> Result<Option<WebhookDeliveryState>, ApiError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::webhook_event(state.event_id)))
            .key(keys::SK, s(keys::STATE))
            .update_expression(
                "SET #status = :pending, #round = :next, attempts = :zero, lease_until_ms = :zero, \
                 first_attempt_at_ms = :zero REMOVE failed_at, failure, GSI1PK, GSI1SK, GSI2PK, GSI2SK",
            )
            .condition_expression("#status <> :pending AND #round = :round")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#round", "round")
            .expression_attribute_values(":pending", s(WebhookDeliveryStatus::Pending.as_str()))
            .expression_attribute_values(":round", n(state.round))
            .expression_attribute_values(":next", n(state.round + 1))
            .expression_attribute_values(":zero", n(0))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        updated_state(result)
    }

    /// A tenant's failed deliveries that failed at or after `since`.
    pub async fn failed_webhook_deliveries_since(
        &self,
        tenant: &str,
        since: &str,
    ) -> Result<Vec<WebhookDeliveryState>, ApiError> {
        let mut q = KeyQuery::partition(
            Some(keys::GSI1),
            (keys::GSI1PK, keys::failed_webhooks(tenant)),
        );
        q.key_condition = "#pk = :pk AND #sk >= :since".into();
        q.names.insert("#sk".into(), keys::GSI1SK.into());
        q.values.insert(":since".into(), s(since));
        q.newest_first = false;
        q.all(self).await?.into_iter().map(from_item).collect()
    }

    /// One page of failed deliveries, the latest failure first: one tenant's (its GSI1
    /// partition) or every tenant's (the GSI2 partition). The total is counted on the index
    /// partition: failed deliveries are few and each counts for a few hundred bytes
    /// (infra/README.md "What one request may cost").
    pub async fn failed_webhook_deliveries(
        &self,
        tenant: Option<&str>,
        page: Page,
    ) -> Result<(Vec<WebhookDeliveryState>, usize), ApiError> {
        let q = match tenant {
            Some(t) => {
                KeyQuery::partition(Some(keys::GSI1), (keys::GSI1PK, keys::failed_webhooks(t)))
            }
            None => KeyQuery::partition(
                Some(keys::GSI2),
                (keys::GSI2PK, keys::FAILED_WEBHOOKS.to_string()),
            ),
        };
        let total = q.count(self).await?;
        let (items, total) = q.page(self, page, total).await?;
        let states = items
            .into_iter()
            .map(from_item)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((states, total))
    }

    pub async fn record_attempt(
        &self,
        tenant: &str,
        round: u32,
        record: &AttemptRecord,
    ) -> Result<(), ApiError> {
        let item = with_keys(
            to_item(record)?,
            &[
                (keys::PK, keys::order_data(tenant, record.order_id)),
                (
                    keys::SK,
                    keys::webhook_attempt(
                        &record.attempted_at,
                        record.event_id,
                        round,
                        record.attempt,
                    ),
                ),
            ],
        );
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map(|_| ())
            .map_err(classify)
    }

    /// One page of an order's delivery log, oldest attempt first.
    pub async fn attempts(
        &self,
        tenant: &str,
        order_id: Uuid,
        page: Page,
    ) -> Result<(Vec<AttemptRecord>, usize), ApiError> {
        let mut q = KeyQuery::prefix(
            None,
            (keys::PK, keys::order_data(tenant, order_id)),
            (keys::SK, "WHATTEMPT#"),
        );
        q.newest_first = false;
        // An order's attempts are few (five events, each retried a bounded number of times),
        // so counting them is cheap and no counter is kept.
        let total = q.count(self).await?;
        let (items, total) = q.page(self, page, total).await?;
        let records = items
            .into_iter()
            .map(from_item)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((records, total))
    }

    pub async fn secret_record(&self, tenant: &str) -> Result<Option<SecretRecord>, ApiError> {
        self.get_entity(keys::tenant(tenant), keys::WEBHOOK_SECRET.into())
            .await
    }

    /// Writes `record` if the stored version is still `record.version - 1` (or, for version 1,
    /// nothing is stored yet). `false` when another writer won.
    pub async fn put_secret_record(&self, record: &SecretRecord) -> Result<bool, ApiError> {
        let item: Item = with_keys(
            to_item(record)?,
            &[
                (keys::PK, keys::tenant(&record.tenant_id)),
                (keys::SK, keys::WEBHOOK_SECRET.to_string()),
            ],
        );
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        let put = if record.version <= 1 {
            put.condition_expression("attribute_not_exists(PK)")
        } else {
            put.condition_expression("version = :v")
                .expression_attribute_values(":v", n(record.version - 1))
        };
        applied(put.send().await)
    }
}
