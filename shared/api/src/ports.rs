//! The outbound ports the use cases need beyond the table: a message queue (webhook attempts and
//! their dead letters) and the order runs (Step Functions executions). Each function wires only
//! the adapters it uses (`events-sqs`, `runs-sfn`), so the others never link those SDK clients.
//! Each is a trait because each has two implementations in every build: the adapter, and
//! `Unwired` for the functions built without it.
use async_trait::async_trait;
use domain::ApiError;

/// Implemented by `events_sqs::SqsQueue` and `Unwired`.
#[async_trait]
pub trait Queue: Send + Sync {
    /// Sends `body` to `queue_url`, visible after `delay_secs`, with string message attributes.
    async fn send(
        &self,
        queue_url: &str,
        body: &str,
        delay_secs: i32,
        attributes: &[(&str, &str)],
    ) -> Result<(), ApiError>;
}

/// Implemented by `runs_sfn::SfnRuns` and `Unwired`.
#[async_trait]
pub trait Runs: Send + Sync {
    /// Starts the run `name` of `state_machine` with `input`; a run of that name already
    /// started counts as started (accepts are retried and raced).
    async fn start(&self, state_machine: &str, name: &str, input: &str) -> Result<(), ApiError>;
    /// Stops the run `execution_arn`, giving `cause`.
    async fn stop(&self, execution_arn: &str, cause: &str) -> Result<(), ApiError>;
    /// Whether the run `execution_arn` exists and is still running.
    async fn running(&self, execution_arn: &str) -> Result<bool, ApiError>;
}

/// The port of a function built without that adapter: every call is a loud internal error
/// (a wiring mistake shows in the first test that reaches it, never as silence).
pub struct Unwired(pub &'static str);

impl Unwired {
    fn error(&self) -> ApiError {
        ApiError::Internal(format!("this function is built without {}", self.0))
    }
}

#[async_trait]
impl Queue for Unwired {
    async fn send(&self, _: &str, _: &str, _: i32, _: &[(&str, &str)]) -> Result<(), ApiError> {
        Err(self.error())
    }
}

#[async_trait]
impl Runs for Unwired {
    async fn start(&self, _: &str, _: &str, _: &str) -> Result<(), ApiError> {
        Err(self.error())
    }
    async fn stop(&self, _: &str, _: &str) -> Result<(), ApiError> {
        Err(self.error())
    }
    async fn running(&self, _: &str) -> Result<bool, ApiError> {
        Err(self.error())
    }
}
