//! How a task fails: the stable `errorType`s the state machine's Retry/Catch match on.
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskError {
    pub error_type: &'static str,
    pub message: String,
}

pub const ORDER_CANCELLED: &str = "OrderCancelled";
pub const RETRYABLE: &str = "Retryable";
pub const PERMANENT: &str = "Permanent";

impl TaskError {
    pub fn cancelled(message: impl Into<String>) -> Self {
        Self {
            error_type: ORDER_CANCELLED,
            message: message.into(),
        }
    }
    pub fn retryable(message: impl Into<String>) -> Self {
        Self {
            error_type: RETRYABLE,
            message: message.into(),
        }
    }
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            error_type: PERMANENT,
            message: message.into(),
        }
    }
}

impl From<domain::ApiError> for TaskError {
    fn from(e: domain::ApiError) -> Self {
        match e {
            domain::ApiError::Unavailable(m) => TaskError::retryable(m),
            other => TaskError::permanent(other.to_string()),
        }
    }
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)
    }
}

impl From<TaskError> for lambda_runtime::Diagnostic {
    fn from(e: TaskError) -> Self {
        lambda_runtime::Diagnostic {
            error_type: e.error_type.to_string(),
            error_message: e.message,
        }
    }
}

pub type TaskResult = Result<serde_json::Value, TaskError>;
