//! Results: appended in deliveries, each an atomic transaction conditional on the order being
//! IN_PROGRESS and on the result count it extends. A result's sort key is its position, so a page at
//! any offset is one range query of `limit` items.
use super::ports::{Orders, Results};
use super::query::KeyQuery;
use super::{classify, condition_failed_at, keys, n, s, Dynamo};
use crate::domain::order::{Order, OrderStatus};
use crate::domain::paging::Page;
use crate::domain::results::CompanyResult;
use crate::ApiError;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};

/// Items per transaction are capped at 100; two go to the order counter and the delivery record.
pub const RESULTS_PER_DELIVERY: usize = 98;

#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub first_seq: u64,
    pub count: u64,
    pub delivered_at: String,
}

#[derive(Debug, Clone)]
pub struct ResultsPage {
    pub items: Vec<CompanyResult>,
    pub total: usize,
    /// Items DynamoDB read to build the page (not counting the small delivery index): the cost.
    pub items_read: usize,
}

#[async_trait]
impl Results for Dynamo {
    async fn deliver(
        &self,
        order: &Order,
        results: Vec<CompanyResult>,
    ) -> Result<Delivery, ApiError> {
        let mut current = self
            .get_order(&order.tenant_id, order.order_id)
            .await?
            .ok_or(ApiError::OrderNotFound)?;
        // One delivery, one timestamp, even when it takes several transactions.
        let delivered_at = crate::clock::now_string();
        let mut first: Option<Delivery> = None;
        let mut delivered = 0u64;
        let mut rest = results;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(RESULTS_PER_DELIVERY));
            let batch = std::mem::replace(&mut rest, tail);
            let d = self.deliver_batch(&current, batch, &delivered_at).await?;
            current.result_count = d.first_seq + d.count;
            delivered += d.count;
            first.get_or_insert(d);
        }
        let mut d = first.unwrap_or(Delivery {
            first_seq: current.result_count,
            count: 0,
            delivered_at,
        });
        d.count = delivered;
        Ok(d)
    }

    async fn results_page(
        &self,
        order: &Order,
        page: Page,
        since: Option<time::OffsetDateTime>,
    ) -> Result<ResultsPage, ApiError> {
        let pk = keys::order_data(&order.tenant_id, order.order_id);
        let start = match since {
            None => 0,
            Some(since) => self.first_seq_after(&pk, since, order.result_count).await?,
        };
        let total = order.result_count.saturating_sub(start) as usize;
        let from = start + page.offset as u64;
        if page.offset >= total {
            return Ok(ResultsPage {
                items: Vec::new(),
                total,
                items_read: 0,
            });
        }
        let to = (from + page.limit as u64 - 1).min(order.result_count.saturating_sub(1));
        // DynamoDB stops a query page at 1 MB: follow LastEvaluatedKey until the range is read,
        // so a page of large results is never silently short.
        let mut rows = Vec::with_capacity((to + 1 - from) as usize);
        let mut items_read = 0;
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND SK BETWEEN :from AND :to")
                .expression_attribute_values(":pk", s(&pk))
                .expression_attribute_values(":from", s(keys::result(from)))
                .expression_attribute_values(":to", s(keys::result(to)))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            items_read += out.scanned_count() as usize;
            rows.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        let items = rows
            .into_iter()
            .map(|item| {
                let body = item
                    .get("body")
                    .and_then(|v| v.as_s().ok())
                    .ok_or_else(|| ApiError::Internal("result without body".into()))?;
                serde_json::from_str(body).map_err(|e| ApiError::Internal(e.to_string()))
            })
            .collect::<Result<Vec<CompanyResult>, ApiError>>()?;
        Ok(ResultsPage {
            items,
            total,
            items_read,
        })
    }
}

impl Dynamo {
    /// The writes of one delivery: its record (keyed by its first position: unique and ordered)
    /// and its results at consecutive positions, each stamped with the delivery time.
    pub(crate) fn delivery_writes(
        &self,
        pk: &str,
        first_seq: u64,
        results: Vec<CompanyResult>,
        delivered_at: &str,
    ) -> Result<Vec<TransactWriteItem>, ApiError> {
        let built = |put: Result<Put, _>| -> Result<TransactWriteItem, ApiError> {
            Ok(TransactWriteItem::builder()
                .put(put.map_err(|e: aws_sdk_dynamodb::error::BuildError| {
                    ApiError::Internal(e.to_string())
                })?)
                .build())
        };
        let mut items = Vec::with_capacity(results.len() + 1);
        if !results.is_empty() {
            items.push(built(
                Put::builder()
                    .table_name(&self.table)
                    .item(keys::PK, s(pk))
                    .item(keys::SK, s(keys::delivery(first_seq)))
                    .item("first_seq", n(first_seq))
                    .item("count", n(results.len()))
                    .item("delivered_at", s(delivered_at))
                    .build(),
            )?);
        }
        for (i, mut r) in results.into_iter().enumerate() {
            r.delivered_at = Some(delivered_at.to_string());
            let body = serde_json::to_string(&r).map_err(|e| ApiError::Internal(e.to_string()))?;
            items.push(built(
                Put::builder()
                    .table_name(&self.table)
                    .item(keys::PK, s(pk))
                    .item(keys::SK, s(keys::result(first_seq + i as u64)))
                    .item("body", s(body))
                    .build(),
            )?);
        }
        Ok(items)
    }

    async fn deliver_batch(
        &self,
        order: &Order,
        batch: Vec<CompanyResult>,
        delivered_at: &str,
    ) -> Result<Delivery, ApiError> {
        let pk = keys::order_data(&order.tenant_id, order.order_id);
        let first_seq = order.result_count;
        let count = batch.len() as u64;
        let delivered_at = delivered_at.to_string();
        let mut items = vec![TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name(&self.table)
                    .key(keys::PK, s(keys::tenant(&order.tenant_id)))
                    .key(keys::SK, s(keys::order(order.order_id)))
                    .condition_expression("#status = :in_progress AND result_count = :expected")
                    .update_expression("SET result_count = :next")
                    .expression_attribute_names("#status", "status")
                    .expression_attribute_values(
                        ":in_progress",
                        s(OrderStatus::InProgress.as_str()),
                    )
                    .expression_attribute_values(":expected", n(first_seq))
                    .expression_attribute_values(":next", n(first_seq + count))
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            )
            .build()];
        items.extend(self.delivery_writes(&pk, first_seq, batch, &delivered_at)?);
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(Delivery {
                first_seq,
                count,
                delivered_at,
            }),
            Err(err) if condition_failed_at(&err).is_some() => {
                let now = self.get_order(&order.tenant_id, order.order_id).await?;
                Err(match now {
                    Some(o) if o.status != OrderStatus::InProgress => {
                        ApiError::InvalidStatusTransition(format!(
                            "Order is {}; results can only be delivered while IN_PROGRESS",
                            o.status
                        ))
                    }
                    Some(_) => ApiError::Unavailable(
                        "a concurrent delivery extended the results first".into(),
                    ),
                    None => ApiError::OrderNotFound,
                })
            }
            Err(err) => Err(classify(err)),
        }
    }

    /// Position of the first result delivered strictly after `since` (deliveries are few: one per batch).
    async fn first_seq_after(
        &self,
        pk: &str,
        since: time::OffsetDateTime,
        end: u64,
    ) -> Result<u64, ApiError> {
        let q = KeyQuery {
            newest_first: false,
            ..KeyQuery::prefix(None, (keys::PK, pk.to_string()), (keys::SK, "DELIVERY#"))
        };
        for item in q.all(self).await? {
            let at = item
                .get("delivered_at")
                .and_then(|v| v.as_s().ok())
                .and_then(|t| crate::clock::parse(t));
            if at.is_some_and(|at| at > since) {
                let seq = item
                    .get("first_seq")
                    .and_then(|v| v.as_n().ok())
                    .and_then(|v| v.parse().ok());
                return seq.ok_or_else(|| ApiError::Internal("delivery without first_seq".into()));
            }
        }
        Ok(end)
    }
}
