//! The DynamoDB adapter (and the catalog store); must not depend on lambda_* or HTTP types.
//!
//! `Dynamo` is the one store, over one table: each aggregate's module adds its methods. No trait
//! stands in front of it, as there is no second implementation (tests run against the emulator).
//! Every status write is conditional on the current status.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
// The store's `expect`s are on what it builds itself (its own types serialised, request builders
// whose required fields it has set, a chunk list it has just pushed to), its one index on a
// transaction's own cancellation reasons (one per item it wrote): no request value reaches them.
#![allow(clippy::expect_used, clippy::indexing_slicing)]
pub mod api_keys;
pub mod blacklists;
pub mod catalog;
pub mod counters;
pub mod delivered;
pub mod keys;
pub mod limiter;
pub mod orders;
pub mod profiles;
pub mod query;
pub mod rate_limits;
pub mod results;
pub mod webhooks;
pub mod work;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::AttributeValue;
use domain::ApiError;
use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

pub type Item = HashMap<String, AttributeValue>;

#[derive(Clone)]
pub struct Dynamo {
    pub client: aws_sdk_dynamodb::Client,
    pub table: String,
    /// How long a write refused for contention (a transaction conflict) is tried again: the
    /// bound of one AWS call (`AwsTimeouts::operation`), so a request keeps its time budget.
    pub contention_budget: Duration,
    /// Per-tenant bounds the store's conditional writes keep.
    pub limits: config::Limits,
}

impl Dynamo {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            contention_budget: config::AwsTimeouts::default().operation,
            limits: config::Limits::default(),
        }
    }

    pub fn with_limits(mut self, limits: config::Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn with_contention_budget(mut self, budget: Duration) -> Self {
        self.contention_budget = budget;
        self
    }

    /// Sends a write (`send` builds and sends it afresh each time) again while DynamoDB refuses
    /// it for contention (`is_contention`: nothing was written), after exponential backoff with
    /// full jitter, within `contention_budget`. Any other outcome, or the last refusal once the
    /// budget is spent, is returned as it came (`classify` answers a refusal with a 503).
    pub async fn retry_contention<T, E, R, F, Fut>(&self, mut send: F) -> Result<T, SdkError<E, R>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, R>>>,
        E: ProvideErrorMetadata + 'static,
    {
        // Conflicts clear within a transaction's latency (milliseconds); contenders spread out.
        const FIRST: Duration = Duration::from_millis(10);
        const CEILING: Duration = Duration::from_millis(1000);
        let deadline = Instant::now() + self.contention_budget;
        let mut ceiling = FIRST;
        loop {
            let result = send().await;
            match &result {
                Err(e) if is_contention(e) => {}
                _ => return result,
            }
            let delay = {
                use rand::Rng;
                let micros = ceiling.as_micros() as u64;
                Duration::from_micros(rand::thread_rng().gen_range(0..=micros))
            };
            if Instant::now() + delay >= deadline {
                return result;
            }
            tracing::debug!(
                delay_ms = delay.as_millis() as u64,
                "DynamoDB contention; retrying"
            );
            tokio::time::sleep(delay).await;
            ceiling = (ceiling * 2).min(CEILING);
        }
    }
}

/// Reasons a transaction may be cancelled for that say nothing about the request itself: it
/// met another transaction on an item, or capacity ran short. The same request can succeed later.
const TRANSIENT_CANCELLATIONS: &[&str] = &[
    "TransactionConflict",
    "ThrottlingError",
    "ProvisionedThroughputExceeded",
];

/// A cancelled transaction's reason per item (`None` for the items that were fine; AWS spells
/// that `"None"`), or `None` when `err` is not a transaction cancellation.
fn cancellation_codes<E: 'static>(err: &E) -> Option<Vec<Option<&str>>> {
    let any: &dyn std::any::Any = err;
    match any.downcast_ref::<TransactWriteItemsError>()? {
        TransactWriteItemsError::TransactionCanceledException(tc) => Some(
            tc.cancellation_reasons()
                .iter()
                .map(|r| r.code().filter(|c| *c != "None"))
                .collect(),
        ),
        _ => None,
    }
}

/// Whether DynamoDB refused a write only for contention, so that nothing was written and the
/// same request may succeed a moment later: a single write on an item a transaction holds
/// (`TransactionConflictException`), or a transaction cancelled only for transient reasons
/// (another transaction on one of its items, throttling). A cancellation that names a failed
/// condition is an answer, not contention: the caller decides what it means.
pub fn is_contention<E, R>(err: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata + 'static,
{
    let SdkError::ServiceError(se) = err else {
        return false;
    };
    if se.err().code() == Some("TransactionConflictException") {
        return true;
    }
    cancellation_codes(se.err()).is_some_and(|codes| {
        codes.iter().any(Option::is_some)
            && codes
                .iter()
                .flatten()
                .all(|c| TRANSIENT_CANCELLATIONS.contains(c))
    })
}

impl Dynamo {
    /// One item by key, read consistently (right after a write, a reader sees it), decoded.
    pub async fn get_entity<T: serde::de::DeserializeOwned>(
        &self,
        pk: String,
        sk: String,
    ) -> Result<Option<T>, ApiError> {
        self.get_consistent(pk, sk)
            .await?
            .map(from_item)
            .transpose()
    }
}

/// Writes `requests` 25 at a time, retrying unprocessed items with backoff; an outage is a 503.
pub(crate) async fn batch_write(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    mut requests: Vec<aws_sdk_dynamodb::types::WriteRequest>,
) -> Result<(), ApiError> {
    while !requests.is_empty() {
        let rest = requests.split_off(requests.len().min(25));
        let mut pending = std::mem::replace(&mut requests, rest);
        for attempt in 0..10u32 {
            let out = client
                .batch_write_item()
                .request_items(table, pending)
                .send()
                .await
                .map_err(classify)?;
            pending = out
                .unprocessed_items
                .and_then(|mut m| m.remove(table))
                .unwrap_or_default();
            if pending.is_empty() {
                break;
            }
            if attempt == 9 {
                return Err(ApiError::Unavailable(
                    "batch write left unprocessed items".into(),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20 << attempt.min(6))).await;
        }
    }
    Ok(())
}

pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// Maps an SDK failure to what a partner sees: an outage (connection, timeout, throttling, 5xx) or
/// contention that outlasted its retries (`is_contention`) is a 503 that is safe to retry;
/// anything else is our bug, a 500. The text is only logged.
pub fn classify<E, R>(err: SdkError<E, R>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let text = format!("{}", aws_sdk_dynamodb::error::DisplayErrorContext(&err));
    if is_contention(&err) {
        return ApiError::Unavailable(text);
    }
    match &err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            ApiError::Unavailable(text)
        }
        SdkError::ServiceError(se) => {
            let code = se.err().code().unwrap_or_default();
            let transient = code.contains("Throttl")
                || code.contains("ProvisionedThroughputExceeded")
                || code.contains("RequestLimitExceeded")
                || code.contains("ServiceUnavailable")
                || code.contains("InternalServerError")
                || code.contains("TransactionInProgress");
            if transient {
                ApiError::Unavailable(text)
            } else {
                ApiError::Internal(text)
            }
        }
        _ => ApiError::Internal(text),
    }
}

/// A conditional write's outcome: `true` when applied, `false` when its condition did not hold
/// (a lost race or a missing item, which callers answer for themselves); anything else is an error.
pub fn applied<T, E, R>(result: Result<T, SdkError<E, R>>) -> Result<bool, ApiError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match result {
        Ok(_) => Ok(true),
        Err(SdkError::ServiceError(se))
            if se.err().code() == Some("ConditionalCheckFailedException") =>
        {
            Ok(false)
        }
        Err(e) => Err(classify(e)),
    }
}

pub fn from_item<T: serde::de::DeserializeOwned>(item: Item) -> Result<T, ApiError> {
    serde_dynamo::from_item(item).map_err(|e| ApiError::Internal(format!("corrupt item: {e}")))
}

pub fn to_item<T: serde::Serialize>(value: &T) -> Result<Item, ApiError> {
    serde_dynamo::to_item(value)
        .map_err(|e| ApiError::Internal(format!("unserialisable item: {e}")))
}

/// Adds the key attributes to a serialised entity.
pub fn with_keys(mut item: Item, pairs: &[(&str, String)]) -> Item {
    for (k, v) in pairs {
        item.insert(k.to_string(), s(v.clone()));
    }
    item
}

/// For a transaction cancelled because a condition failed: which items' conditions failed, in
/// request order. `None` for any other outcome, a cancellation for contention included (that is
/// an error for `classify`, never "the condition did not hold").
pub fn condition_failed_at(
    err: &SdkError<TransactWriteItemsError, impl std::fmt::Debug>,
) -> Option<Vec<bool>> {
    let SdkError::ServiceError(se) = err else {
        return None;
    };
    let failed: Vec<bool> = cancellation_codes(se.err())?
        .iter()
        .map(|c| *c == Some("ConditionalCheckFailed"))
        .collect();
    failed.contains(&true).then_some(failed)
}

/// Calls one `BatchGetItem` may take before its unprocessed keys make the store unavailable.
const BATCH_GET_ATTEMPTS: u32 = 10;

/// The items of one `BatchGetItem` (<= 100 keys) of `table` that exist: the catalog's reads by
/// id and the blacklist lookup. Unprocessed keys (throttling, or more than 16 MB) are sent again
/// after 40 ms, doubling up to 1.28 s; still unprocessed after `BATCH_GET_ATTEMPTS` calls (some
/// 6 s of waiting), the store is unavailable (a 503).
pub async fn batch_get(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    request: aws_sdk_dynamodb::types::KeysAndAttributes,
) -> Result<Vec<Item>, ApiError> {
    let mut found = Vec::new();
    let mut pending = Some(request);
    let mut attempt = 0u32;
    while let Some(keys) = pending.take() {
        let out = client
            .batch_get_item()
            .request_items(table, keys)
            .send()
            .await
            .map_err(classify)?;
        if let Some(items) = out.responses.and_then(|mut r| r.remove(table)) {
            found.extend(items);
        }
        pending = out
            .unprocessed_keys
            .and_then(|mut m| m.remove(table))
            .filter(|k| !k.keys().is_empty());
        attempt += 1;
        if pending.is_some() {
            if attempt >= BATCH_GET_ATTEMPTS {
                return Err(ApiError::Unavailable(format!(
                    "batch get on {table} left unprocessed keys"
                )));
            }
            tokio::time::sleep(Duration::from_millis(20 << attempt.min(6))).await;
        }
    }
    Ok(found)
}

/// A match key as an item attribute (the blacklist entries' `match_key` encoding).
pub(crate) fn match_key_value(
    key: &domain::blacklist::MatchKey,
) -> Result<aws_sdk_dynamodb::types::AttributeValue, ApiError> {
    serde_dynamo::to_attribute_value(key).map_err(|e| ApiError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::error::ErrorMetadata;
    use aws_sdk_dynamodb::operation::put_item::PutItemError;
    use aws_sdk_dynamodb::types::error::{
        TransactionCanceledException, TransactionConflictException,
    };
    use aws_sdk_dynamodb::types::CancellationReason;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A cancellation as DynamoDB sends it: one reason per item, `"None"` for the items that were fine.
    fn cancelled(codes: &[&str]) -> SdkError<TransactWriteItemsError, ()> {
        let reasons = codes
            .iter()
            .map(|c| CancellationReason::builder().code(*c).build())
            .collect();
        let e = TransactionCanceledException::builder()
            .message(format!("Transaction cancelled [{}]", codes.join(", ")))
            .set_cancellation_reasons(Some(reasons))
            .meta(
                ErrorMetadata::builder()
                    .code("TransactionCanceledException")
                    .build(),
            )
            .build();
        SdkError::service_error(TransactWriteItemsError::TransactionCanceledException(e), ())
    }

    fn single_write_conflict() -> SdkError<PutItemError, ()> {
        let e = TransactionConflictException::builder()
            .message("Transaction is ongoing for the item")
            .meta(
                ErrorMetadata::builder()
                    .code("TransactionConflictException")
                    .build(),
            )
            .build();
        SdkError::service_error(PutItemError::TransactionConflictException(e), ())
    }

    #[test]
    fn contention_is_retried_and_answered_503_never_500_or_a_failed_condition() {
        for codes in [
            &["None", "TransactionConflict"][..],
            &["TransactionConflict", "TransactionConflict"],
            &["ThrottlingError", "None"],
        ] {
            let err = cancelled(codes);
            assert!(is_contention(&err), "{codes:?}");
            assert_eq!(condition_failed_at(&err), None, "{codes:?}");
            assert!(
                matches!(classify(err), ApiError::Unavailable(_)),
                "{codes:?}"
            );
        }
        assert!(is_contention(&single_write_conflict()));
        assert!(matches!(
            classify(single_write_conflict()),
            ApiError::Unavailable(_)
        ));
    }

    #[test]
    fn a_failed_condition_is_the_callers_answer_even_beside_a_conflict() {
        let err = cancelled(&["None", "ConditionalCheckFailed"]);
        assert!(!is_contention(&err));
        assert_eq!(condition_failed_at(&err), Some(vec![false, true]));
        let err = cancelled(&["TransactionConflict", "ConditionalCheckFailed"]);
        assert!(!is_contention(&err));
        assert_eq!(condition_failed_at(&err), Some(vec![false, true]));
        let err = cancelled(&["ValidationError", "None"]);
        assert!(!is_contention(&err));
        assert!(matches!(classify(err), ApiError::Internal(_)));
    }

    fn offline(budget: Duration) -> Dynamo {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .build();
        Dynamo::new(aws_sdk_dynamodb::Client::from_conf(config), "T").with_contention_budget(budget)
    }

    #[tokio::test]
    async fn contention_is_sent_again_until_it_clears() {
        let db = offline(Duration::from_secs(30));
        let calls = AtomicUsize::new(0);
        let result = db
            .retry_contention(|| async {
                match calls.fetch_add(1, Ordering::SeqCst) {
                    0..=3 => Err(cancelled(&["None", "TransactionConflict"])),
                    _ => Ok("written"),
                }
            })
            .await;
        assert_eq!(result.ok(), Some("written"));
        assert_eq!(calls.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn a_failed_condition_is_not_sent_again_and_contention_stops_at_the_budget() {
        let db = offline(Duration::from_secs(30));
        let calls = AtomicUsize::new(0);
        let result: Result<(), _> = db
            .retry_contention(|| async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(cancelled(&["ConditionalCheckFailed"]))
            })
            .await;
        assert!(condition_failed_at(&result.unwrap_err()).is_some());
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        // Past the budget, the last refusal is the answer (for `classify`: a 503).
        let db = offline(Duration::from_millis(50));
        let result: Result<(), _> = db
            .retry_contention(|| async { Err(single_write_conflict()) })
            .await;
        assert!(result.is_err_and(|e| is_contention(&e)));
    }
}
