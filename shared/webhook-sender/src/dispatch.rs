//! The webhook dispatcher (SQS event source, partial batch failures). Each message is one attempt
//! of one event: claimed conditionally (a duplicate message never doubles an attempt in flight),
//! signed afresh (same `webhook-id`, new `webhook-timestamp`), sent through the guard, logged,
//! then ended (delivered / dead-lettered and failed) or followed by the next attempt's message.
//! Messages are handled concurrently, each within its own time limit, so one slow receiver never
//! holds another partner's delivery.
use crate::sender::{Sender, Sent};
use api::app::App;
use api::usecases::lifecycle::enqueue;
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use config::positive_number;
use domain::ApiError;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;
use webhook_secrets::secrets::Secrets;
use webhooks::event::{
    AttemptOutcome, AttemptRecord, Message, WebhookDeliveryState, WebhookDeliveryStatus,
};
use webhooks::schedule::{Schedule, Verdict};
use webhooks::signing::sign;

/// The dispatcher's own settings, read once per container.
#[derive(Debug, Clone)]
pub struct Settings {
    pub dead_letter_queue_url: String,
    /// Success is a 2xx within this.
    pub attempt_timeout: Duration,
    pub schedule: Schedule,
}

impl Settings {
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let number = |name: &str, default: f64| positive_number(&get, name, default);
        Ok(Self {
            dead_letter_queue_url: get("WEBHOOK_DEAD_LETTER_QUEUE_URL")
                .filter(|v| !v.is_empty())
                .ok_or("WEBHOOK_DEAD_LETTER_QUEUE_URL is not set")?,
            attempt_timeout: Duration::from_secs_f64(number(
                "WEBHOOK_ATTEMPT_TIMEOUT_SECONDS",
                10.0,
            )?),
            schedule: Schedule {
                scale: number("WEBHOOK_SCHEDULE_SCALE", 1.0)?,
            },
        })
    }
}

pub struct Dispatcher {
    pub app: Arc<App>,
    pub secrets: Arc<Secrets>,
    sender: Sender,
    settings: Settings,
}

fn now_ms() -> i64 {
    (domain::clock::now().unix_timestamp_nanos() / 1_000_000) as i64
}

impl Dispatcher {
    pub fn new(app: Arc<App>, secrets: Arc<Secrets>, settings: Settings) -> Result<Self, String> {
        let policy = guard::Policy {
            allow_loopback: app.config.local_mode,
        };
        Ok(Self {
            sender: Sender::new(policy, settings.attempt_timeout)?,
            app,
            secrets,
            settings,
        })
    }

    /// One SQS batch: every message concurrently; the ones that could not be handled (a
    /// dependency down) are reported for SQS to redeliver.
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        // Beyond the attempt itself: the claim, the secret, the log and the next message.
        let limit = self.settings.attempt_timeout + Duration::from_secs(15);
        let runs = event.records.iter().map(|record| async move {
            let id = record.message_id.clone().unwrap_or_default();
            let body = record.body.as_deref().unwrap_or_default();
            let outcome = tokio::time::timeout(limit, self.send(body)).await;
            let failed = match outcome {
                Ok(Ok(())) => false,
                Ok(Err(e)) => {
                    tracing::warn!(message_id = %id, error = %e, "webhook message not handled; SQS redelivers it");
                    true
                }
                Err(_) => {
                    tracing::warn!(message_id = %id, "webhook message over its time limit; SQS redelivers it");
                    true
                }
            };
            failed.then_some(id)
        });
        let mut response = SqsBatchResponse::default();
        for id in futures::future::join_all(runs).await.into_iter().flatten() {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
        response
    }

    /// One message: wait longer, skip a duplicate, or make the attempt and decide what follows.
    pub async fn send(&self, body: &str) -> Result<(), ApiError> {
        let msg: Message = match serde_json::from_str(body) {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "unreadable webhook message; dead-lettered");
                return self.dead_letter(body, "unreadable message").await;
            }
        };
        let span = tracing::info_span!("webhook", event_id = %msg.event.event_id, order_id = %msg.event.payload.order_id, tenant_id = %msg.event.tenant_id, attempt = msg.attempt);
        self.attempt(msg).instrument(span).await
    }

    async fn attempt(&self, msg: Message) -> Result<(), ApiError> {
        let now = now_ms();
        if msg.is_early(now) {
            // Waits beyond SQS's 15-minute delay are made of several hops.
            return enqueue(&self.app, &msg, msg.queue_delay_secs(now)).await;
        }
        let Some(url) = msg.event.webhook_url.clone() else {
            return Ok(());
        };
        let lease =
            now + (self.settings.attempt_timeout + Duration::from_secs(30)).as_millis() as i64;
        let Some(state) = self.app.db.claim_attempt(&msg, now, lease).await? else {
            tracing::info!("duplicate or stale message skipped");
            return Ok(());
        };
        let body = serde_json::to_vec(&msg.event.payload)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        let keys = self.secrets.signing_keys(&state.tenant_id).await?;
        let attempted_at = domain::clock::now();
        let headers = sign(
            &keys,
            &msg.event.event_id.to_string(),
            attempted_at.unix_timestamp(),
            &body,
        );
        let sent = self.sender.post(&url, &headers, body).await;
        let after = now_ms();
        let since_first = Duration::from_millis((after - state.first_attempt_at_ms).max(0) as u64);
        let verdict =
            self.settings
                .schedule
                .verdict(msg.attempt, since_first, sent.response, rand::random());
        let record = |outcome, next_attempt_at| AttemptRecord {
            event_id: msg.event.event_id,
            order_id: msg.event.payload.order_id,
            event: msg.event.payload.event.clone(),
            status: msg.event.payload.status,
            previous_status: msg.event.payload.previous_status,
            attempt: msg.attempt,
            outcome,
            response_code: sent.code,
            duration_ms: sent.duration.as_millis() as u64,
            error_class: sent.error_class,
            response_excerpt: sent.excerpt.clone(),
            next_attempt_at,
            attempted_at: domain::clock::format(attempted_at),
        };
        tracing::info!(code = ?sent.code, error_class = ?sent.error_class, duration_ms = sent.duration.as_millis() as u64, verdict = ?verdict, "webhook attempt");
        match verdict {
            Verdict::Delivered => {
                self.log(&state, &record(AttemptOutcome::Delivered, None))
                    .await?;
                self.finish(&state, WebhookDeliveryStatus::Delivered, None)
                    .await
            }
            Verdict::RetryIn(delay) => {
                let next = msg.next(after, delay.as_millis() as i64);
                // The next message first: if anything after it fails, a duplicate attempt is
                // possible, a lost one is not.
                enqueue(&self.app, &next, next.queue_delay_secs(after)).await?;
                let next_at = domain::clock::format(
                    time::OffsetDateTime::from_unix_timestamp_nanos(
                        next.due_at_ms.unwrap_or(after) as i128 * 1_000_000,
                    )
                    .unwrap_or(attempted_at),
                );
                self.log(&state, &record(AttemptOutcome::Retrying, Some(next_at)))
                    .await
            }
            Verdict::Gone | Verdict::Exhausted => {
                let reason = failure_reason(verdict, &sent);
                let text =
                    serde_json::to_string(&msg).map_err(|e| ApiError::Internal(e.to_string()))?;
                self.dead_letter(&text, &reason).await?;
                self.log(&state, &record(AttemptOutcome::Failed, None))
                    .await?;
                self.finish(&state, WebhookDeliveryStatus::Failed, Some(&reason))
                    .await
            }
        }
    }

    async fn log(
        &self,
        state: &WebhookDeliveryState,
        record: &AttemptRecord,
    ) -> Result<(), ApiError> {
        self.app
            .db
            .record_attempt(&state.tenant_id, state.round, record)
            .await
    }

    async fn finish(
        &self,
        state: &WebhookDeliveryState,
        status: WebhookDeliveryStatus,
        reason: Option<&str>,
    ) -> Result<(), ApiError> {
        let at = domain::clock::now_string();
        self.app
            .db
            .finish_webhook_delivery(state, status, reason, &at)
            .await
    }

    async fn dead_letter(&self, body: &str, reason: &str) -> Result<(), ApiError> {
        self.app
            .queue
            .send(
                &self.settings.dead_letter_queue_url,
                body,
                0,
                &[("reason", reason)],
            )
            .await
    }
}

fn failure_reason(verdict: Verdict, sent: &Sent) -> String {
    match verdict {
        Verdict::Gone => "the receiver answered 410 Gone".into(),
        _ => match (sent.code, sent.error_class) {
            (Some(code), _) => format!("retries exhausted; last answer {code}"),
            (None, Some(class)) => format!(
                "retries exhausted; last error {}",
                serde_json::to_value(class)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            ),
            _ => "retries exhausted".into(),
        },
    }
}
