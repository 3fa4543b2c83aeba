//! Results: appended in deliveries, each an atomic transaction conditional on the order being
//! IN_PROGRESS and on the result count it extends. A result's sort key is its position, so a page at
//! any offset is one range query of `limit` items.
use super::query::KeyQuery;
use super::{classify, keys, n, s, Dynamo};
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use domain::order::Order;
use domain::paging::Page;
use domain::results::CompanyResult;
use domain::ApiError;

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

impl Dynamo {
    pub async fn results_page(
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
        if page.offset >= total {
            return Ok(ResultsPage {
                items: Vec::new(),
                total,
                items_read: 0,
            });
        }
        // In range now: start + offset < result_count, so neither sum overflows.
        let from = start + page.offset as u64;
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
    /// and its results at consecutive positions, each stamped with the delivery time and holding
    /// the key its company is recorded under (`delivered`: what a catch-up reads).
    pub(crate) fn delivery_writes(
        &self,
        pk: &str,
        first_seq: u64,
        results: Vec<(CompanyResult, Option<domain::blacklist::MatchKey>)>,
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
        for (i, (mut r, key)) in results.into_iter().enumerate() {
            r.delivered_at = Some(delivered_at.to_string());
            let body = serde_json::to_string(&r).map_err(|e| ApiError::Internal(e.to_string()))?;
            let mut put = Put::builder()
                .table_name(&self.table)
                .item(keys::PK, s(pk))
                .item(keys::SK, s(keys::result(first_seq + i as u64)))
                .item("body", s(body));
            if let Some(key) = &key {
                put = put.item("match_key", super::match_key_value(key)?);
            }
            items.push(built(put.build())?);
        }
        Ok(items)
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
                .and_then(|t| domain::clock::parse(t));
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
