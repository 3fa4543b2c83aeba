//! `api::ports::Runs` on Step Functions, for the functions that start or stop order runs; must not
//! depend on lambda_http.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::app::OnFirstUse;
use api::ports::Runs;
use async_trait::async_trait;
use domain::ApiError;
use std::sync::Arc;

pub struct SfnRuns {
    client: OnFirstUse<aws_sdk_sfn::Client>,
}

impl SfnRuns {
    pub fn new(sdk: &aws_config::SdkConfig) -> Self {
        Self {
            client: OnFirstUse::new(sdk, aws_sdk_sfn::Client::new),
        }
    }
}

/// Wires order runs into `app` (a `api::app::Wiring`).
pub fn wire(app: &mut App, sdk: &aws_config::SdkConfig) {
    app.runs = Arc::new(SfnRuns::new(sdk));
}

#[async_trait]
impl Runs for SfnRuns {
    async fn start(&self, state_machine: &str, name: &str, input: &str) -> Result<(), ApiError> {
        let started = self
            .client
            .get()
            .start_execution()
            .state_machine_arn(state_machine)
            .name(name)
            .input(input)
            .send()
            .await;
        match started {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_execution_already_exists()) =>
            {
                Ok(())
            }
            Err(e) => Err(store::classify(e)),
        }
    }

    async fn stop(&self, execution_arn: &str, cause: &str) -> Result<(), ApiError> {
        self.client
            .get()
            .stop_execution()
            .execution_arn(execution_arn)
            .cause(cause)
            .send()
            .await
            .map_err(store::classify)?;
        Ok(())
    }

    async fn running(&self, execution_arn: &str) -> Result<bool, ApiError> {
        match self
            .client
            .get()
            .describe_execution()
            .execution_arn(execution_arn)
            .send()
            .await
        {
            Ok(d) => Ok(d.status().as_str() == "RUNNING"),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_execution_does_not_exist()) =>
            {
                Ok(false)
            }
            Err(e) => Err(store::classify(e)),
        }
    }
}
