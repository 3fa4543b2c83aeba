//! `api::ports::Queue` on SQS, for the functions that send webhook attempts or dead letters; must
//! not depend on lambda_http.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use api::app::App;
use api::app::OnFirstUse;
use api::ports::Queue;
use async_trait::async_trait;
use aws_sdk_sqs::types::MessageAttributeValue;
use domain::ApiError;
use std::sync::Arc;

pub struct SqsQueue {
    client: OnFirstUse<aws_sdk_sqs::Client>,
}

impl SqsQueue {
    pub fn new(sdk: &aws_config::SdkConfig) -> Self {
        Self {
            client: OnFirstUse::new(sdk, aws_sdk_sqs::Client::new),
        }
    }
}

/// Wires the queue into `app` (a `api::app::Wiring`).
pub fn wire(app: &mut App, sdk: &aws_config::SdkConfig) {
    app.queue = Arc::new(SqsQueue::new(sdk));
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(
        &self,
        queue_url: &str,
        body: &str,
        delay_secs: i32,
        attributes: &[(&str, &str)],
    ) -> Result<(), ApiError> {
        let mut send = self
            .client
            .get()
            .send_message()
            .queue_url(queue_url)
            .message_body(body)
            .delay_seconds(delay_secs);
        for (name, value) in attributes {
            let value = MessageAttributeValue::builder()
                .data_type("String")
                .string_value(*value)
                .build()
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            send = send.message_attributes(*name, value);
        }
        send.send().await.map_err(store::classify)?;
        Ok(())
    }
}
