//! The tenant's register of delivered companies (`exclude_delivered`; infra/README.md
//! "Delivered companies"): one item per company ever delivered to the tenant, under
//! `TENANT#<t>#DELIVERED`, its id derived from its key (`engine::blacklist_match::delivered_key`:
//! registrable domain, or normalised name + country) as a blacklist entry's id is, so the same
//! company delivered twice lands on the same item and the register is read as a blacklist is:
//! whole, or looked up by the candidates' keys.
//!
//! Written after each delivery, not inside it: a delivery transaction already holds the order
//! update, the delivery record and up to 98 results (a batch is 90), so 90 register items more
//! would pass DynamoDB's 100 items per transaction. Instead the order item carries a watermark,
//! `delivered_recorded`, beside `result_count` (which the delivery transaction moves): the
//! results between the two are delivered and not yet recorded. Recording writes their keys
//! (idempotent puts: a key written twice is one item), then moves the watermark conditionally on
//! its old value in one transaction with the summary's count. A crash between delivery and
//! recording leaves the watermark behind, and the next task of the order (a retried batch, the
//! next batch, completion, failure, or a batch finding the order cancelled) catches up from the
//! results' own `match_key`s, so no company is lost and none is recorded twice.
use super::blacklists::match_key_of;
use super::query::KeyQuery;
use super::{classify, condition_failed_at, keys, n, s, Dynamo, Item};
use aws_sdk_dynamodb::types::{PutRequest, TransactWriteItem, Update, WriteRequest};
use domain::blacklist::MatchKey;
use domain::order::Order;
use domain::ApiError;
use uuid::Uuid;

/// The namespace of register item ids (UUIDv5 of a key's canonical form), fixed forever.
const NAMESPACE: Uuid = Uuid::from_u128(0x6f0c_5d2a_9b1e_4f57_8a3d_2c41_d7e9_b016);

/// Catch-up rounds before leaving the rest to the order's next task (each round loses only to
/// another recorder, which moved the watermark on meanwhile).
const CATCH_UP_ROUNDS: usize = 5;

/// The register's summary: how many records were ever written (a company delivered again is
/// counted again, so this bounds the register's size from above) and when last.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub recorded: u64,
    pub updated_at: Option<String>,
}

/// The register item id of a key.
pub fn record_id(key: &MatchKey) -> Uuid {
    key.entry_id(NAMESPACE)
}

impl Dynamo {
    pub async fn delivered_summary(&self, tenant: &str) -> Result<Summary, ApiError> {
        let item = self
            .get_consistent(keys::tenant(tenant), keys::DELIVERED_SUMMARY.into())
            .await?;
        Ok(item.map_or_else(Summary::default, |item| Summary {
            recorded: item
                .get("recorded")
                .and_then(|v| v.as_n().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            updated_at: item.get("updated_at").and_then(|v| v.as_s().ok()).cloned(),
        }))
    }

    /// Every recorded key, a page (1 MB) at a time, projecting `match_key` only.
    pub async fn each_delivered_key(
        &self,
        tenant: &str,
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError> {
        let q = KeyQuery::prefix(
            None,
            (keys::PK, keys::delivered(tenant)),
            (keys::SK, "ENTRY#"),
        );
        q.for_each_page(self, Some(&["match_key"]), |items| {
            for item in items {
                each(match_key_of(item)?);
            }
            Ok(())
        })
        .await
    }

    /// The recorded keys among `wanted`: `BatchGetItem` of 100, 8 calls in flight, 0.5 RRU a key
    /// whether recorded or not.
    pub async fn each_delivered_held(
        &self,
        tenant: &str,
        wanted: &[MatchKey],
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError> {
        let ids = wanted.iter().map(record_id).collect();
        self.each_held_match_key(keys::delivered(tenant), ids, each)
            .await
    }
}

impl Dynamo {
    /// Records results `from..to` of an order, whose keys are `keys` (one per result that has
    /// one), and moves its watermark from `from` to `to`. `false` when the watermark was not at
    /// `from` (behind after a crash, or moved on by another recorder): nothing counted, and the
    /// caller catches up (`catch_up_delivered`).
    pub async fn record_delivered(
        &self,
        tenant: &str,
        order_id: Uuid,
        (from, to): (u64, u64),
        keys: &[MatchKey],
    ) -> Result<bool, ApiError> {
        let pk = keys::delivered(tenant);
        let at = domain::clock::now_string();
        let mut unique: Vec<&MatchKey> = keys.iter().collect();
        unique.sort_by_cached_key(|k| record_id(k));
        unique.dedup_by_key(|k| record_id(k));
        let mut requests = Vec::with_capacity(unique.len());
        for key in unique {
            let match_key = serde_dynamo::to_attribute_value(key)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let put = PutRequest::builder()
                .item(keys::PK, s(&pk))
                .item(keys::SK, s(keys::entry(record_id(key))))
                .item("match_key", match_key)
                .item("order_id", s(order_id.to_string()))
                .item("delivered_at", s(&at))
                .build()
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            requests.push(WriteRequest::builder().put_request(put).build());
        }
        // Puts first: should the watermark move and the process die, nothing is lost; should
        // the process die before, the puts are made again (the same items).
        self.batch_write(requests).await?;
        let condition = if from == 0 {
            "attribute_exists(PK) AND (attribute_not_exists(delivered_recorded) OR delivered_recorded = :from)"
        } else {
            "attribute_exists(PK) AND delivered_recorded = :from"
        };
        let watermark = Update::builder()
            .table_name(&self.table)
            .key(keys::PK, s(keys::tenant(tenant)))
            .key(keys::SK, s(keys::order(order_id)))
            .condition_expression(condition)
            .update_expression("SET delivered_recorded = :to")
            .expression_attribute_values(":from", n(from))
            .expression_attribute_values(":to", n(to))
            .build()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let summary = Update::builder()
            .table_name(&self.table)
            .key(keys::PK, s(keys::tenant(tenant)))
            .key(keys::SK, s(keys::DELIVERED_SUMMARY))
            .update_expression("ADD recorded :k SET updated_at = :at")
            .expression_attribute_values(":k", n(keys.len()))
            .expression_attribute_values(":at", s(&at))
            .build()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let transaction = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(watermark).build())
            .transact_items(TransactWriteItem::builder().update(summary).build());
        match self.retry_contention(|| transaction.clone().send()).await {
            Ok(_) => Ok(true),
            Err(err) if condition_failed_at(&err).is_some() => Ok(false),
            Err(err) => Err(classify(err)),
        }
    }

    /// Records whatever the order delivered and did not record yet (`delivered_recorded` behind
    /// `result_count`), from the delivered results' `match_key`s; whatever its status.
    pub async fn catch_up_delivered(&self, tenant: &str, order_id: Uuid) -> Result<(), ApiError> {
        for _ in 0..CATCH_UP_ROUNDS {
            let Some(order) = self.get_order(tenant, order_id).await? else {
                return Ok(());
            };
            if order.delivered_recorded >= order.result_count {
                return Ok(());
            }
            let (from, to) = (order.delivered_recorded, order.result_count);
            let keys = self.delivered_keys(&order, from, to).await?;
            if self
                .record_delivered(tenant, order_id, (from, to), &keys)
                .await?
            {
                return Ok(());
            }
        }
        tracing::warn!(%order_id, "delivered companies left for the order's next task to record");
        Ok(())
    }

    /// The keys of results `from..to` as delivered (consistent: the delivery just happened).
    async fn delivered_keys(
        &self,
        order: &Order,
        from: u64,
        to: u64,
    ) -> Result<Vec<MatchKey>, ApiError> {
        let pk = keys::order_data(&order.tenant_id, order.order_id);
        let mut out = Vec::with_capacity((to - from) as usize);
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND SK BETWEEN :from AND :to")
                .expression_attribute_values(":pk", s(&pk))
                .expression_attribute_values(":from", s(keys::result(from)))
                .expression_attribute_values(":to", s(keys::result(to - 1)))
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            for item in page.items.unwrap_or_default() {
                out.extend(key_of_result(item)?);
            }
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        Ok(out)
    }
}

/// A delivered result's key: the `match_key` written beside it, or for results delivered before
/// keys were, the key its body shows.
fn key_of_result(mut item: Item) -> Result<Option<MatchKey>, ApiError> {
    if item.contains_key("match_key") {
        return match_key_of(item).map(Some);
    }
    let body = item
        .remove("body")
        .ok_or_else(|| ApiError::Internal("result without body".into()))?;
    let body = body
        .as_s()
        .map_err(|_| ApiError::Internal("result body is not a string".into()))?;
    let result: domain::results::CompanyResult =
        serde_json::from_str(body).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(engine::blacklist_match::result_delivered_key(&result))
}
