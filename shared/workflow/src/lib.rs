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
pub mod error;
pub mod tasks;

pub use budget::Budget;
use error::TaskResult;

/// The network of task functions that never reach the internet.
pub fn no_network(_local_mode: bool) -> engine::ports::Network {
    engine::ports::Network::offline()
}

use std::future::Future;
use std::sync::Arc;
use tracing::Instrument;

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
                // Boxed: a task's future holds every store call it awaits (the store's methods
                // are plain `async fn`s), too deep a type to lay out inline in `main`'s.
                let result = Box::pin(handler(engine, event.payload, budget)).await;
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
