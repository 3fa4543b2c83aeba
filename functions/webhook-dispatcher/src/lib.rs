//! The webhook dispatcher: consumes the webhook queue (SQS event source with partial batch
//! failures) and delivers each message's attempt; see `webhook_sender::dispatch`.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use webhook_secrets::SecretsApp;
use webhook_sender::dispatch::{Dispatcher, Settings};

/// Built once per container.
pub async fn from_env() -> Result<Dispatcher, String> {
    let ctx = SecretsApp::from_env_wired(&[events_sqs::wire]).await?;
    let settings = Settings::from_lookup(|k| std::env::var(k).ok())?;
    Dispatcher::new(ctx.app, ctx.secrets, settings)
}
