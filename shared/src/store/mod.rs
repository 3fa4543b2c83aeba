//! The DynamoDB adapter. Each aggregate has a narrow port (trait) in `ports`; `Dynamo` implements
//! them all over one table. Every status write is conditional on the current status.
pub mod api_keys;
pub mod blacklists;
pub mod catalog;
pub mod keys;
pub mod orders;
pub mod ports;
pub mod profiles;
pub mod query;
pub mod rate_limits;
pub mod results;
pub mod webhooks;
pub mod work;

use crate::ApiError;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

#[derive(Clone)]
pub struct Dynamo {
    pub client: aws_sdk_dynamodb::Client,
    pub table: String,
}

impl Dynamo {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }
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

/// Maps an SDK failure to what a partner sees: an outage (connection, timeout, throttling, 5xx) is a
/// 503 that is safe to retry; anything else is our bug, a 500. The text is only logged.
pub fn classify<E, R>(err: SdkError<E, R>) -> ApiError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let text = format!("{}", aws_sdk_dynamodb::error::DisplayErrorContext(&err));
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

/// Whether a transaction was cancelled by a failed condition on item `index`.
pub fn condition_failed_at(
    err: &SdkError<
        aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
        impl std::fmt::Debug,
    >,
) -> Option<Vec<bool>> {
    let SdkError::ServiceError(se) = err else {
        return None;
    };
    match se.err() {
        aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(tc) => Some(
            tc.cancellation_reasons()
                .iter()
                .map(|r| r.code() == Some("ConditionalCheckFailed"))
                .collect(),
        ),
        _ => None,
    }
}
