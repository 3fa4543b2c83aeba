//! The webhook dispatcher: consumes the webhook queue (SQS event source with partial batch
//! failures) and delivers each message's attempt; see `dispatch::dispatch`.
use delivery::SecretsApp;
use dispatch::dispatch::{Dispatcher, Settings};

/// Built once per container.
pub async fn from_env() -> Result<Dispatcher, String> {
    let ctx = SecretsApp::from_env_wired(&[events_sqs::wire]).await?;
    let settings = Settings::from_lookup(|k| std::env::var(k).ok())?;
    Dispatcher::new(ctx.app, ctx.secrets, settings)
}
