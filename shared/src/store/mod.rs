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
pub mod results;
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
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, s(pk))
            .key(keys::SK, s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        out.item.map(from_item).transpose()
    }
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
