//! The order lifecycle's task functions (Step Functions `Task` states); must not depend on the
//! network crates (`outbound` is wired in by enrich-batch alone). Each task:
//! - reads the order and ends quietly with error type `OrderCancelled` when it was cancelled;
//! - writes only conditionally on the status it expects;
//! - fails with a stable `errorType` the state machine's Retry/Catch match on:
//!   `Retryable` (a dependency hiccup: retried with backoff), `OrderCancelled` (stop, nothing
//!   more to do), `Permanent` (no retry: the order is cancelled with a note for the partner).
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod budget;
pub mod tasks;

pub use budget::Budget;

/// The network of task functions that never reach the internet.
pub fn no_network(_local_mode: bool) -> engine::ports::Network {
    engine::ports::Network::offline()
}

use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use tracing::Instrument;

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

/// The whole `main` of a task function: build the engine once (with the adapters of `wiring`
/// and the network ports of `network`), then serve `handler`.
pub async fn serve<F, Fut>(
    wiring: api::app::Wiring,
    network: tasks::NetworkFrom,
    handler: F,
) -> Result<(), lambda_runtime::Error>
where
    F: Fn(Arc<tasks::Engine>, serde_json::Value, Budget) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = TaskResult> + Send,
{
    api::logs::init_tracing();
    let engine = Arc::new(
        tasks::Engine::from_env(wiring, network)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "configuration error");
                e
            })?,
    );
    let handler = Arc::new(handler);
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: lambda_runtime::LambdaEvent<serde_json::Value>| {
            let (engine, handler) = (engine.clone(), handler.clone());
            let budget = Budget::until_epoch_ms(event.context.deadline);
            let field = |name: &str| {
                event
                    .payload
                    .get(name)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let span = tracing::info_span!(
                "task",
                order_id = field("order_id"),
                tenant_id = field("tenant_id"),
            );
            async move {
                let result = handler(engine, event.payload, budget).await;
                if let Err(e) = &result {
                    tracing::warn!(error_type = e.error_type, message = %e.message, "task failed");
                }
                result.map_err(lambda_runtime::Diagnostic::from)
            }
            .instrument(span)
        },
    ))
    .await
}
