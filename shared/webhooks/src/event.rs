//! What travels on the webhook queue and what the delivery log records: the stages of one event's
//! delivery as types (pending with its next attempt -> delivered | failed).
use domain::order::{OrderStatus, StatusChanged};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// SQS cannot delay a message longer than this; longer waits are re-enqueued (see infra/README.md).
pub const MAX_QUEUE_DELAY_SECS: i64 = 900;

/// One message on the webhook queue: the event and the attempt it carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub event: StatusChanged,
    /// The attempt this message makes, 1 for the first.
    #[serde(default = "first")]
    pub attempt: u32,
    /// An operator's redelivery starts a new round; messages of an older round are stale.
    #[serde(default)]
    pub round: u32,
    /// Not before this instant (unix milliseconds).
    #[serde(default)]
    pub due_at_ms: Option<i64>,
}

fn first() -> u32 {
    1
}

impl Message {
    pub fn first(event: StatusChanged) -> Self {
        Self {
            event,
            attempt: 1,
            round: 0,
            due_at_ms: None,
        }
    }

    /// The message of the next attempt, due `delay_ms` after `now_ms`.
    pub fn next(&self, now_ms: i64, delay_ms: i64) -> Self {
        Self {
            attempt: self.attempt + 1,
            due_at_ms: Some(now_ms + delay_ms),
            ..self.clone()
        }
    }

    /// How long SQS should hold this message now: the time left until it is due, capped at SQS's
    /// maximum (a longer wait comes back early and is re-enqueued). Rounded up to whole seconds.
    pub fn queue_delay_secs(&self, now_ms: i64) -> i32 {
        let left = self.due_at_ms.unwrap_or(now_ms) - now_ms;
        let secs = (left.max(0) + 999) / 1000;
        secs.min(MAX_QUEUE_DELAY_SECS) as i32
    }

    /// Whether the message arrived before it is due (a wait of more than 15 minutes, in pieces).
    pub fn is_early(&self, now_ms: i64) -> bool {
        self.due_at_ms.is_some_and(|due| due > now_ms)
    }
}

/// Where an event's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookDeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl WebhookDeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }
}

/// Why an attempt did not succeed, as a partner can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// The receiver answered with a status other than 2xx (3xx included: redirects are not followed).
    HttpStatus,
    /// No answer within the attempt's time limit.
    Timeout,
    /// The connection could not be made (refused, reset, TLS).
    Connection,
    /// The host name does not resolve.
    Dns,
    /// The URL or its resolved address is one we never send to (private, loopback, metadata...).
    ForbiddenAddress,
}

/// What one attempt led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttemptOutcome {
    Delivered,
    /// Another attempt is scheduled (`next_attempt_at`).
    Retrying,
    /// No further attempt: 410 Gone or the retry window is over; the event is dead-lettered.
    Failed,
}

/// One line of the delivery log (`GET /orders/{order_id}/webhook-deliveries`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRecord {
    pub event_id: Uuid,
    pub order_id: Uuid,
    pub event: String,
    /// The order status the event announced, and the one before it.
    pub status: OrderStatus,
    pub previous_status: OrderStatus,
    pub attempt: u32,
    pub outcome: AttemptOutcome,
    pub response_code: Option<u16>,
    pub duration_ms: u64,
    pub error_class: Option<ErrorClass>,
    /// At most `EXCERPT_CHARS` of the receiver's answer or of the error, for the partner's debugging.
    pub response_excerpt: Option<String>,
    pub next_attempt_at: Option<String>,
    pub attempted_at: String,
}

pub const EXCERPT_CHARS: usize = 256;

/// `text` cut to `EXCERPT_CHARS` characters.
pub fn excerpt(text: &str) -> String {
    text.chars().take(EXCERPT_CHARS).collect()
}

/// The delivery state of one event (one item per event id, written conditionally).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookDeliveryState {
    pub event_id: Uuid,
    pub tenant_id: String,
    pub order_id: Uuid,
    pub event: StatusChanged,
    pub status: WebhookDeliveryStatus,
    pub round: u32,
    /// The last attempt claimed; a redelivered copy of it may reclaim it once `lease_until_ms` passed.
    pub attempts: u32,
    pub lease_until_ms: i64,
    pub first_attempt_at_ms: i64,
    #[serde(default)]
    pub failed_at: Option<String>,
    #[serde(default)]
    pub failure: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::order::StatusChangedPayload;

    fn event() -> StatusChanged {
        StatusChanged {
            event_id: Uuid::nil(),
            tenant_id: "t".into(),
            webhook_url: Some("https://example.com/hook".into()),
            payload: StatusChangedPayload {
                event: "order.status_changed".into(),
                order_id: Uuid::nil(),
                status: OrderStatus::Accepted,
                previous_status: OrderStatus::Received,
                timestamp: "2026-03-01T10:30:00.000000Z".into(),
            },
        }
    }

    #[test]
    fn long_waits_are_queued_in_pieces_of_at_most_fifteen_minutes() {
        let m = Message::first(event()).next(0, 3 * 3600 * 1000);
        assert_eq!(m.attempt, 2);
        assert!(m.is_early(0));
        assert_eq!(m.queue_delay_secs(0), 900);
        assert_eq!(m.queue_delay_secs(3 * 3600 * 1000 - 1500), 2);
        assert!(!m.is_early(3 * 3600 * 1000));
        assert_eq!(m.queue_delay_secs(3 * 3600 * 1000 + 5), 0);
    }

    #[test]
    fn a_bare_first_message_reads_with_defaults() {
        let json = serde_json::json!({"event": event()});
        let m: Message = serde_json::from_value(json).unwrap();
        assert_eq!(m, Message::first(event()));
    }

    #[test]
    fn excerpts_are_capped_by_characters() {
        assert_eq!(excerpt(&"ü".repeat(1000)).chars().count(), EXCERPT_CHARS);
    }
}
