//! The workflow's own storage: a discovery's selected companies (the plan the Map's batches work
//! through), and in-order delivery of computed batches.
use super::results::Delivery;
use super::{classify, condition_failed_at, keys, n, s, Dynamo};
use crate::query::KeyQuery;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use domain::blacklist::MatchKey;
use domain::order::{Order, OrderStatus};
use domain::results::CompanyResult;
use domain::ApiError;
use engine::catalog::CatalogCompany;
use engine::scoring::Assessment;
use serde::{Deserialize, Serialize};

/// One selected company of a discovery, with the assessment made against all candidates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkItem {
    pub company: CatalogCompany,
    pub assessment: Assessment,
}

const CHUNK_BYTES: usize = 300_000;

/// What is staged of one batch.
#[derive(Debug, Default)]
pub struct Staged {
    /// Results by their position in the batch.
    pub results: std::collections::BTreeMap<usize, CompanyResult>,
    /// The key each result's company is recorded under once delivered (`delivered`), by
    /// position, as the task staged it.
    pub delivered_keys: std::collections::BTreeMap<usize, MatchKey>,
    /// Whether the batch is complete (its `DONE` marker is written).
    pub complete: bool,
    keys: Vec<(String, String)>,
}

/// How a batch delivery ended.
#[derive(Debug, PartialEq)]
pub enum BatchDelivery {
    Delivered(Delivery),
    /// A retry of a batch that was delivered already: nothing written.
    AlreadyDelivered,
    /// An earlier batch is not delivered yet.
    NotYourTurn,
    /// The order is no longer IN_PROGRESS (cancelled): nothing written.
    OrderNotInProgress(OrderStatus),
}

/// Why batch `index` cannot be delivered now, if it cannot.
fn not_now(order: &Order, index: u64) -> Option<BatchDelivery> {
    if order.status != OrderStatus::InProgress {
        Some(BatchDelivery::OrderNotInProgress(order.status))
    } else if order.next_batch > index {
        Some(BatchDelivery::AlreadyDelivered)
    } else if order.next_batch < index {
        Some(BatchDelivery::NotYourTurn)
    } else {
        None
    }
}

fn stage_prefix(index: u64) -> String {
    format!("STAGE#{index:06}#")
}

impl Dynamo {
    /// Records how many batches the run planned, so completion can check that all were delivered.
    pub async fn set_planned_batches(&self, order: &Order, batches: u64) -> Result<(), ApiError> {
        // The order item: a cancellation's transaction may hold it for a moment.
        let update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::tenant(&order.tenant_id)))
            .key(keys::SK, s(keys::order(order.order_id)))
            .condition_expression("attribute_exists(PK)")
            .update_expression("SET planned_batches = :n")
            .expression_attribute_values(":n", n(batches));
        self.retry_contention(|| update.clone().send())
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Records how many candidates `exclude_delivered` skipped (the status object's
    /// `excluded_delivered_count`), when the discovery selects.
    pub async fn set_excluded_delivered(&self, order: &Order, count: u64) -> Result<(), ApiError> {
        let update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::tenant(&order.tenant_id)))
            .key(keys::SK, s(keys::order(order.order_id)))
            .condition_expression("attribute_exists(PK)")
            .update_expression("SET excluded_delivered_count = :n")
            .expression_attribute_values(":n", n(count));
        self.retry_contention(|| update.clone().send())
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Stages computed results of batch `index` at their positions in it, each with the key its
    /// company is recorded under once delivered (`None`: the key its result shows), idempotently
    /// (a retry overwrites the same items). An invocation short of time stages what it finished,
    /// and the next one computes only the positions still missing.
    pub async fn stage_results(
        &self,
        order: &Order,
        index: u64,
        results: &[(usize, CompanyResult, Option<MatchKey>)],
    ) -> Result<(), ApiError> {
        let pk = keys::order_data(&order.tenant_id, order.order_id);
        let mut requests = Vec::with_capacity(results.len());
        for (position, r, key) in results {
            let body = serde_json::to_string(r).map_err(|e| ApiError::Internal(e.to_string()))?;
            let mut put = aws_sdk_dynamodb::types::PutRequest::builder()
                .item(keys::PK, s(&pk))
                .item(keys::SK, s(format!("{}{position:03}", stage_prefix(index))))
                .item("body", s(body));
            if let Some(key) = key {
                put = put.item("match_key", super::match_key_value(key)?);
            }
            let put = put.build().map_err(|e| ApiError::Internal(e.to_string()))?;
            requests.push(
                aws_sdk_dynamodb::types::WriteRequest::builder()
                    .put_request(put)
                    .build(),
            );
        }
        self.batch_write(requests).await
    }

    /// Marks batch `index` complete: written only after all its positions are stored, so a
    /// batch is deliverable only once all of it is.
    pub async fn mark_staged(
        &self,
        order: &Order,
        index: u64,
        count: usize,
    ) -> Result<(), ApiError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item(
                keys::PK,
                s(keys::order_data(&order.tenant_id, order.order_id)),
            )
            .item(keys::SK, s(format!("{}DONE", stage_prefix(index))))
            .item("count", n(count))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Stages a whole computed batch and marks it complete.
    pub async fn stage_batch(
        &self,
        order: &Order,
        index: u64,
        results: &[CompanyResult],
    ) -> Result<(), ApiError> {
        let positioned: Vec<(usize, CompanyResult, Option<MatchKey>)> = results
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, r)| (i, r, None))
            .collect();
        self.stage_results(order, index, &positioned).await?;
        self.mark_staged(order, index, results.len()).await
    }

    /// What is staged of batch `index`: its results by position, and whether it is complete.
    pub async fn staged(&self, order: &Order, index: u64) -> Result<Staged, ApiError> {
        let pk = keys::order_data(&order.tenant_id, order.order_id);
        // Consistent: a stager must see the batch staged just before it, or a gap stays open.
        let q = KeyQuery {
            newest_first: false,
            consistent: true,
            ..KeyQuery::prefix(
                None,
                (keys::PK, pk.clone()),
                (keys::SK, &stage_prefix(index)),
            )
        };
        let prefix = stage_prefix(index);
        let mut staged = Staged::default();
        for item in q.all(self).await? {
            let sk = item
                .get(keys::SK)
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default();
            let suffix = sk.strip_prefix(&prefix).unwrap_or_default();
            if suffix == "DONE" {
                staged.complete = true;
            } else {
                let position: usize = suffix
                    .parse()
                    .map_err(|_| ApiError::Internal(format!("staged item {sk}")))?;
                let body = item
                    .get("body")
                    .and_then(|v| v.as_s().ok())
                    .ok_or_else(|| ApiError::Internal("staged item without body".into()))?;
                let result =
                    serde_json::from_str(body).map_err(|e| ApiError::Internal(e.to_string()))?;
                staged.results.insert(position, result);
                if item.contains_key("match_key") {
                    let key = super::blacklists::match_key_of(item)?;
                    staged.delivered_keys.insert(position, key);
                }
            }
            staged.keys.push((pk.clone(), sk));
        }
        Ok(staged)
    }

    /// Delivers every staged batch whose turn has come, in batch order. Whoever stages the batch
    /// that closes a gap delivers the ones after it too, so no batch ever waits for another.
    /// Each delivery is recorded in the tenant's register of delivered companies right after it
    /// (`delivered`), and what an earlier call delivered without recording is recorded first.
    /// Returns the order's state afterwards.
    pub async fn flush_staged(
        &self,
        tenant: &str,
        order_id: uuid::Uuid,
    ) -> Result<Order, ApiError> {
        loop {
            let order = self
                .get_order(tenant, order_id)
                .await?
                .ok_or(ApiError::OrderNotFound)?;
            if order.delivered_recorded < order.result_count {
                self.catch_up_delivered(tenant, order_id).await?;
            }
            if order.status != OrderStatus::InProgress {
                return Ok(order);
            }
            let staged = self.staged(&order, order.next_batch).await?;
            if !staged.complete {
                return Ok(order);
            }
            let keys: Vec<Option<MatchKey>> = staged
                .results
                .iter()
                .map(|(position, r)| {
                    staged
                        .delivered_keys
                        .get(position)
                        .cloned()
                        .or_else(|| engine::blacklist_match::result_delivered_key(r))
                })
                .collect();
            let recorded: Vec<MatchKey> = keys.iter().flatten().cloned().collect();
            let results = staged.results.into_values().zip(keys).collect();
            let delivered = self
                .deliver_in_order(tenant, order_id, order.next_batch, results)
                .await?;
            if let BatchDelivery::Delivered(d) = &delivered {
                let span = (d.first_seq, d.first_seq + d.count);
                // Not at this delivery's start: an earlier one is still unrecorded (or another
                // recorder is at work); catching up records both.
                if !self
                    .record_delivered(tenant, order_id, span, &recorded)
                    .await?
                {
                    self.catch_up_delivered(tenant, order_id).await?;
                }
            }
            match delivered {
                BatchDelivery::Delivered(_)
                | BatchDelivery::AlreadyDelivered
                | BatchDelivery::NotYourTurn => {
                    if let Err(e) = self.delete_keys(staged.keys).await {
                        tracing::warn!(%order_id, error = %e, "staged items left behind");
                    }
                }
                BatchDelivery::OrderNotInProgress(_) => {}
            }
        }
    }

    pub async fn put_work(&self, order: &Order, items: &[WorkItem]) -> Result<(), ApiError> {
        let pk = keys::order_data(&order.tenant_id, order.order_id);
        let mut chunks: Vec<Vec<&WorkItem>> = vec![vec![]];
        let mut size = 0;
        for item in items {
            let len = serde_json::to_string(item)
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .len();
            if size + len > CHUNK_BYTES && !chunks.last().expect("non-empty").is_empty() {
                chunks.push(vec![]);
                size = 0;
            }
            size += len;
            chunks.last_mut().expect("non-empty").push(item);
        }
        for (i, chunk) in chunks.iter().enumerate() {
            let body =
                serde_json::to_string(chunk).map_err(|e| ApiError::Internal(e.to_string()))?;
            self.client
                .put_item()
                .table_name(&self.table)
                .item(keys::PK, s(&pk))
                .item(keys::SK, s(format!("WORK#{i:05}")))
                .item("items", s(body))
                .send()
                .await
                .map_err(classify)?;
        }
        Ok(())
    }

    pub async fn work(&self, order: &Order) -> Result<Vec<WorkItem>, ApiError> {
        let q = KeyQuery {
            newest_first: false,
            ..KeyQuery::prefix(
                None,
                (keys::PK, keys::order_data(&order.tenant_id, order.order_id)),
                (keys::SK, "WORK#"),
            )
        };
        let mut out = Vec::new();
        for item in q.all(self).await? {
            let body = item
                .get("items")
                .and_then(|v| v.as_s().ok())
                .ok_or_else(|| ApiError::Internal("work chunk without items".into()))?;
            let mut list: Vec<WorkItem> =
                serde_json::from_str(body).map_err(|e| ApiError::Internal(e.to_string()))?;
            out.append(&mut list);
        }
        Ok(out)
    }

    /// Delivers batch `index` if it is its turn: atomically with the order's counters, and only
    /// while the order is IN_PROGRESS. At most `RESULTS_PER_DELIVERY` results.
    pub async fn deliver_in_order(
        &self,
        tenant: &str,
        order_id: uuid::Uuid,
        index: u64,
        results: Vec<(CompanyResult, Option<MatchKey>)>,
    ) -> Result<BatchDelivery, ApiError> {
        let order = self
            .get_order(tenant, order_id)
            .await?
            .ok_or(ApiError::OrderNotFound)?;
        if let Some(outcome) = not_now(&order, index) {
            return Ok(outcome);
        }
        let pk = keys::order_data(tenant, order_id);
        let first_seq = order.result_count;
        let count = results.len() as u64;
        let delivered_at = domain::clock::now_string();
        let mut items = vec![
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(&self.table)
                        .key(keys::PK, s(keys::tenant(tenant)))
                        .key(keys::SK, s(keys::order(order_id)))
                        .condition_expression("#status = :in_progress AND result_count = :expected AND next_batch = :index")
                        .update_expression("SET result_count = :next, next_batch = :after")
                        .expression_attribute_names("#status", "status")
                        .expression_attribute_values(":in_progress", s(OrderStatus::InProgress.as_str()))
                        .expression_attribute_values(":expected", n(first_seq))
                        .expression_attribute_values(":next", n(first_seq + count))
                        .expression_attribute_values(":index", n(index))
                        .expression_attribute_values(":after", n(index + 1))
                        .build()
                        .map_err(|e| ApiError::Internal(e.to_string()))?,
                )
                .build(),
        ];
        items.extend(self.delivery_writes(&pk, first_seq, results, &delivered_at)?);
        let transaction = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items));
        match self.retry_contention(|| transaction.clone().send()).await {
            Ok(_) => Ok(BatchDelivery::Delivered(Delivery {
                first_seq,
                count,
                delivered_at,
            })),
            // Someone moved the order on between our read and write: say what happened.
            Err(err) if condition_failed_at(&err).is_some() => {
                let order = self
                    .get_order(tenant, order_id)
                    .await?
                    .ok_or(ApiError::OrderNotFound)?;
                not_now(&order, index)
                    .ok_or_else(|| ApiError::Unavailable("concurrent delivery; retry".into()))
            }
            Err(err) => Err(classify(err)),
        }
    }
}
