//! Every error a partner can see, with its stable code and public message (docs/contract-notes.md
//! "Conventions"). Which HTTP status answers a code is the HTTP edge's table, not this crate's.
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Field errors a 422 lists at most (`ApiError::body`).
pub const MAX_DETAILS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    InvalidJson(String),
    #[error("Invalid or expired API key")]
    Unauthorized,
    #[error("Missing required scope: {0}")]
    Forbidden(String),
    #[error("Order not found")]
    OrderNotFound,
    #[error("Blacklist not found")]
    BlacklistNotFound,
    #[error("Entry not found")]
    EntryNotFound,
    #[error("Profile not found")]
    ProfileNotFound,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidStatusTransition(String),
    #[error("Idempotency-Key was already used with a different request body")]
    IdempotencyKeyReused,
    /// A per-tenant bound (open orders) would be passed; nothing was created.
    #[error("{0}")]
    LimitExceeded(String),
    #[error("Request body exceeds 6 MB")]
    PayloadTooLarge,
    /// Under 6 MB but holding more JSON values than any valid request (`json::MAX_VALUES`).
    #[error("Request body holds more than {} JSON values", crate::json::MAX_VALUES)]
    TooManyValues,
    #[error("Content-Type must be application/json")]
    UnsupportedMediaType,
    #[error("Request validation failed")]
    Validation(Vec<FieldError>),
    /// Over the key's (or a source's bad-key) rate limit; retry after this many seconds.
    #[error("Rate limit exceeded; retry after {0} s")]
    RateLimited(u64),
    /// A dependency (DynamoDB, SQS, ...) failed in a way a retry may fix. The text is logged, never shown.
    #[error("dependency unavailable: {0}")]
    Unavailable(String),
    /// A bug. The text is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    /// The contract's stable code; the HTTP edge maps each to its status (`http_edge::status_of`).
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::InvalidJson(_) => "INVALID_JSON",
            ApiError::Unauthorized => "UNAUTHORIZED",
            ApiError::Forbidden(_) => "AUTHORIZATION_ERROR",
            ApiError::OrderNotFound => "ORDER_NOT_FOUND",
            ApiError::BlacklistNotFound => "BLACKLIST_NOT_FOUND",
            ApiError::EntryNotFound => "ENTRY_NOT_FOUND",
            ApiError::ProfileNotFound => "PROFILE_NOT_FOUND",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::InvalidStatusTransition(_) => "INVALID_STATUS_TRANSITION",
            ApiError::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            ApiError::LimitExceeded(_) => "LIMIT_EXCEEDED",
            ApiError::PayloadTooLarge | ApiError::TooManyValues => "PAYLOAD_TOO_LARGE",
            ApiError::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            ApiError::Validation(_) => "VALIDATION_ERROR",
            ApiError::RateLimited(_) => "RATE_LIMITED",
            ApiError::Internal(_) => "INTERNAL_ERROR",
            ApiError::Unavailable(_) => "SERVICE_UNAVAILABLE",
        }
    }

    /// The message a partner sees: 5xx never carry the internal text.
    pub fn public_message(&self) -> String {
        match self {
            ApiError::Internal(_) => "An internal error occurred".into(),
            ApiError::Unavailable(_) => {
                "A dependency is temporarily unavailable; retrying is safe".into()
            }
            other => other.to_string(),
        }
    }

    pub fn details(&self) -> &[FieldError] {
        match self {
            ApiError::Validation(details) => details,
            _ => &[],
        }
    }

    /// The error body. A 422 lists at most `MAX_DETAILS` fields, and its message says how many
    /// more there are: thousands of invalid items would otherwise make a response larger than the
    /// request (and than Lambda's 6 MB response limit), and no partner reads past the first.
    pub fn body(&self, request_id: &str) -> serde_json::Value {
        let details = self.details();
        let shown = &details[..details.len().min(MAX_DETAILS)];
        let mut message = self.public_message();
        if shown.len() < details.len() {
            message = format!(
                "{message}; the first {} of {} errors are listed",
                shown.len(),
                details.len()
            );
        }
        serde_json::json!({
            "error": {
                "code": self.code(),
                "message": message,
                "details": shown,
                "request_id": request_id,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_text_never_reaches_the_body() {
        let e = ApiError::Internal("table arn:aws:dynamodb:secret".into());
        let body = e.body("r1").to_string();
        assert!(!body.contains("arn:aws"));
        assert_eq!(e.code(), "INTERNAL_ERROR");
        let e = ApiError::Unavailable("ThrottlingException on table X".into());
        assert!(!e.body("r1").to_string().contains("Throttling"));
        assert_eq!(e.code(), "SERVICE_UNAVAILABLE");
    }

    #[test]
    fn validation_lists_every_field() {
        let e = ApiError::Validation(vec![
            FieldError::new("title", "title is required"),
            FieldError::new("features", "features is required"),
        ]);
        let body = e.body("r1");
        assert_eq!(body["error"]["details"].as_array().unwrap().len(), 2);
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
        assert_eq!(body["error"]["request_id"], "r1");
        assert_eq!(body["error"]["message"], "Request validation failed");
    }

    #[test]
    fn a_422_lists_at_most_100_errors_and_counts_the_rest() {
        let errors = (0..2500)
            .map(|i| FieldError::new(format!("companies[{i}]"), "x"))
            .collect();
        let body = ApiError::Validation(errors).body("r1");
        let details = body["error"]["details"].as_array().unwrap();
        assert_eq!(details.len(), MAX_DETAILS);
        assert_eq!(details[99]["field"], "companies[99]");
        assert_eq!(
            body["error"]["message"],
            "Request validation failed; the first 100 of 2500 errors are listed"
        );
    }
}
