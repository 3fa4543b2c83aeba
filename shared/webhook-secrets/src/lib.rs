//! The tenants' webhook signing secrets, sealed with a KMS envelope (`secrets`); must not depend on
//! lambda_http or the network. Linked by the secret endpoints and the dispatcher (crate
//! `webhook-sender`); the pure rules (signing, schedule, message and log types) live in the
//! `webhooks` crate.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod secrets;

use api::app::App;
use secrets::{Sealer, Secrets};
use std::sync::Arc;

/// What a secret endpoint builds once per container: the App and the tenants' secrets.
pub struct SecretsApp {
    pub app: Arc<App>,
    pub secrets: Arc<Secrets>,
}

impl SecretsApp {
    pub fn new(app: Arc<App>, sdk: &aws_config::SdkConfig) -> Result<Self, String> {
        let key_id = std::env::var("WEBHOOK_SECRETS_KEY_ID")
            .ok()
            .filter(|v| !v.is_empty())
            .ok_or("WEBHOOK_SECRETS_KEY_ID is not set")?;
        Ok(Self::with_key(app, sdk, key_id))
    }

    pub fn with_key(app: Arc<App>, sdk: &aws_config::SdkConfig, key_id: String) -> Self {
        let secrets = Secrets {
            db: app.db.clone(),
            sealer: Sealer::new(
                aws_sdk_kms::Client::new(&api::app::bounded(sdk, &app.config.aws)),
                key_id,
            ),
        };
        Self {
            app,
            secrets: Arc::new(secrets),
        }
    }

    pub async fn from_env() -> Result<Self, String> {
        Self::from_env_wired(&[]).await
    }

    /// `from_env` with the adapters of `wiring` in the `App`.
    pub async fn from_env_wired(wiring: api::app::Wiring) -> Result<Self, String> {
        let sdk = api::app::load_sdk().await;
        let app = Arc::new(App::wired(config::Config::from_env()?, &sdk, wiring));
        Self::new(app, &sdk)
    }
}
