//! Webhooks end to end in-process: status changes through the real handlers, the outbox, SQS in
//! the emulator, the dispatcher, a real receiver on a local port; the signature checked by a
//! verifier written here from the Standard Webhooks text (not the production signer). The retry
//! schedule is configuration, compressed to seconds.
use crate::harness::*;
use crate::receiver::{Answer, Counter, Received, Receiver};
use crate::run;
use api::app::App;
use auth::Scope;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use webhook_secrets::SecretsApp;
use webhook_sender::dispatch::{Dispatcher, Settings};
use webhooks::event::{AttemptOutcome, AttemptRecord};
use webhooks::schedule::Schedule;

pub struct Hooks {
    pub app: Arc<App>,
    pub secrets: Arc<SecretsApp>,
    pub dispatcher: Arc<Dispatcher>,
    pub queue: String,
    pub dead_letters: String,
    pub tenant: String,
    pub partner: String,
    pub admin: String,
    pub receiver: Receiver,
}

/// A tenant, a receiver, its own webhook queue and dead-letter queue, and a dispatcher with the
/// schedule compressed by `scale` and attempts limited to `timeout`.
pub async fn hooks(scale: f64, timeout: Duration) -> Hooks {
    let sqs = sqs().await;
    let name = uuid::Uuid::new_v4().simple().to_string();
    let mut urls = vec![];
    for q in [format!("hooks-{name}"), format!("hooks-dlq-{name}")] {
        let url = sqs.create_queue().queue_name(q).send().await.unwrap();
        urls.push(url.queue_url.unwrap());
    }
    let (queue, dead_letters) = (urls[0].clone(), urls[1].clone());
    hooks_on(&queue, &dead_letters, scale, timeout, true).await
}

pub async fn hooks_on(
    queue: &str,
    dead_letters: &str,
    scale: f64,
    timeout: Duration,
    local: bool,
) -> Hooks {
    let app = app_with(&[
        ("WEBHOOK_QUEUE_URL", queue),
        ("LOCAL_MODE", if local { "true" } else { "false" }),
    ])
    .await;
    let sdk = ops::sdk_for(stack_endpoint()).await;
    let secrets = Arc::new(SecretsApp::with_key(
        app.clone(),
        &sdk,
        stack_env("WEBHOOK_SECRETS_KEY_ID"),
    ));
    names("WEBHOOK_DEAD_LETTER_QUEUE_URL", dead_letters);
    let settings = Settings {
        dead_letter_queue_url: dead_letters.to_string(),
        attempt_timeout: timeout,
        schedule: Schedule { scale },
    };
    let dispatcher =
        Arc::new(Dispatcher::new(app.clone(), secrets.secrets.clone(), settings).unwrap());
    let (tenant, partner) = partner(&app).await;
    let admin = key_for(&app, "operators", &[Scope::Admin]).await;
    Hooks {
        app,
        secrets,
        dispatcher,
        queue: queue.to_string(),
        dead_letters: dead_letters.to_string(),
        tenant,
        partner,
        admin,
        receiver: Receiver::start().await,
    }
}

/// A day of retries in about 6 seconds.
const FAST: f64 = 1.0 / 14_400.0;

impl Hooks {
    pub async fn order_to(&self, path: &str) -> String {
        let mut body = discovery_order();
        body.as_object_mut().unwrap().remove("profile_name");
        body["webhook_url"] = json!(self.receiver.url(path));
        create_order(&self.app, &self.partner, &body).await
    }

    /// RECEIVED -> CANCELLED: one event.
    pub async fn cancel(&self, order: &str) {
        call("POST")
            .key(&self.partner)
            .path("order_id", order)
            .send(&self.app, run!(cancel_order))
            .await
            .expect(200);
    }

    /// The tenant's secret item as stored, if any.
    pub async fn stored_secret(
        &self,
        tenant: &str,
    ) -> Option<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        use aws_sdk_dynamodb::types::AttributeValue::S;
        let db = &self.app.db;
        let out = db
            .client
            .get_item()
            .table_name(&db.table)
            .key("PK", S(format!("TENANT#{tenant}")))
            .key("SK", S("WEBHOOK_SECRET".into()))
            .send()
            .await
            .unwrap();
        out.item
    }

    pub async fn secret(&self) -> String {
        let r = call("GET")
            .key(&self.partner)
            .send_to(&self.secrets, get_webhook_secret::handler)
            .await
            .expect(200);
        r.body["secret"].as_str().unwrap().to_string()
    }

    pub async fn log(&self, order: &str) -> Vec<Value> {
        let r = call("GET")
            .key(&self.partner)
            .path("order_id", order)
            .send(&self.app, run!(list_webhook_deliveries))
            .await
            .expect(200);
        r.body["items"].as_array().unwrap().clone()
    }

    /// Pumps until the order's delivery log satisfies `done`; the log (empty if it never did).
    pub async fn attempts_until(
        &self,
        order: &str,
        within: Duration,
        done: impl Fn(&[AttemptRecord]) -> bool,
    ) -> Vec<AttemptRecord> {
        let order: uuid::Uuid = order.parse().unwrap();
        let start = Instant::now();
        while start.elapsed() < within {
            self.pump_until(Duration::from_secs(2), || false).await;
            let page = domain::paging::Page {
                limit: 100,
                offset: 0,
            };
            let (log, _) = self
                .app
                .db
                .attempts(&self.tenant, order, page)
                .await
                .unwrap();
            if done(&log) {
                return log;
            }
        }
        vec![]
    }

    /// Plays the SQS event source on this fixture's queue until `done` or `within` passed.
    pub async fn pump_until(&self, within: Duration, done: impl Fn() -> bool) -> bool {
        let tenants = HashSet::from([self.tenant.clone()]);
        pump(&self.dispatcher, &self.queue, &tenants, within, done).await
    }

    pub async fn dead_lettered(&self) -> Vec<Value> {
        let got = sqs()
            .await
            .receive_message()
            .queue_url(&self.dead_letters)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_attribute_names("All")
            .send()
            .await
            .unwrap();
        got.messages()
            .iter()
            .map(|m| {
                let mut v: Value = serde_json::from_str(m.body().unwrap()).unwrap();
                let reason = m
                    .message_attributes()
                    .and_then(|a| a.get("reason"))
                    .and_then(|r| r.string_value())
                    .unwrap_or_default();
                v["reason"] = json!(reason);
                v
            })
            .collect()
    }
}

/// The SQS event source, for the messages of `tenants` on `queue` (others are left to their own
/// consumers, out of the way for a few seconds): an SQS event to the dispatcher, then the
/// successful messages deleted, as Lambda does with `ReportBatchItemFailures`.
pub async fn pump(
    dispatcher: &Dispatcher,
    queue: &str,
    tenants: &HashSet<String>,
    within: Duration,
    done: impl Fn() -> bool,
) -> bool {
    let sqs = &sqs().await;
    let start = Instant::now();
    while !done() {
        if start.elapsed() > within {
            return false;
        }
        let got = sqs
            .receive_message()
            .queue_url(queue)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        let mut records = vec![];
        for m in got.messages() {
            let body: Value = serde_json::from_str(m.body().unwrap_or("{}")).unwrap_or_default();
            let tenant = body["event"]["tenant_id"].as_str().unwrap_or_default();
            if tenants.contains(tenant) {
                records.push(json!({"messageId": m.message_id(), "receiptHandle": m.receipt_handle(), "body": m.body(), "eventSource": "aws:sqs"}));
            } else {
                sqs.change_message_visibility()
                    .queue_url(queue)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .visibility_timeout(3)
                    .send()
                    .await
                    .unwrap();
            }
        }
        if records.is_empty() {
            continue;
        }
        let event = serde_json::from_value(json!({ "Records": records.clone() })).unwrap();
        let handled = dispatcher.handle(event);
        let response =
            ops::attribution::as_function("webhook-dispatcher", "api-tests", handled).await;
        let failed: HashSet<String> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.clone())
            .collect();
        for r in &records {
            if !failed.contains(r["messageId"].as_str().unwrap()) {
                sqs.delete_message()
                    .queue_url(queue)
                    .receipt_handle(r["receiptHandle"].as_str().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
        }
    }
    true
}

/// The Standard Webhooks check, written from the scheme's text: base64 of HMAC-SHA256 keyed with
/// the base64-decoded part of `whsec_...`, over `{id}.{timestamp}.{body}`, compared against each
/// space-separated `v1,` signature; and a timestamp within 5 minutes.
pub fn verifies(secret: &str, r: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let (id, ts) = (r.header("webhook-id"), r.header("webhook-timestamp"));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{ts}.").as_bytes());
    mac.update(&r.body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    let age = time::OffsetDateTime::now_utc().unix_timestamp() - ts.parse::<i64>().unwrap();
    age.abs() <= 300
        && r.header("webhook-signature")
            .split(' ')
            .any(|s| s == expected)
}

fn assert_contract_body(r: &Received, order: &str, status: &str) {
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    let keys: HashSet<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from([
            "event",
            "order_id",
            "status",
            "previous_status",
            "timestamp"
        ])
    );
    assert_eq!(body["event"], "order.status_changed");
    assert_eq!(body["order_id"], order);
    assert_eq!(body["status"], status);
    let ts = body["timestamp"].as_str().unwrap();
    assert!(
        ts.len() == 32
            && ts.ends_with("+00:00")
            && &ts[19..20] == "."
            && domain::clock::parse(ts).is_some(),
        "microseconds and +00:00, as the guide's event: {ts}"
    );
    assert_eq!(r.header("content-type"), "application/json");
    assert!(r.header("user-agent").starts_with("OpenProspect-Webhooks/"));
}

#[tokio::test]
async fn failing_three_times_then_ok_is_delivered_once_signed_afresh_each_time() {
    let h = hooks(FAST, Duration::from_secs(2)).await;
    let path = "/flaky";
    h.receiver.script(
        path,
        &[
            Answer::Status(500),
            Answer::Status(503),
            Answer::Redirect(h.receiver.port),
        ],
    );
    let order = h.order_to(path).await;
    h.cancel(&order).await;
    let delivered = || h.receiver.answered_ok(path);
    assert!(h.pump_until(Duration::from_secs(60), delivered).await);
    // Nothing more arrives for a delivered event.
    h.pump_until(Duration::from_secs(2), || false).await;
    let got = h.receiver.requests(path);
    assert_eq!(got.len(), 4, "{got:?}");
    let secret = h.secret().await;
    let ids: HashSet<&str> = got.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(ids.len(), 1, "one webhook-id across retries");
    for r in &got {
        assert!(verifies(&secret, r), "verifies: {:?}", r.headers);
        assert_contract_body(r, &order, "CANCELLED");
    }
    assert_eq!(
        got.iter()
            .map(|r| r.body.clone())
            .collect::<HashSet<_>>()
            .len(),
        1,
        "the same body every time"
    );
    let stamps: Vec<i64> = got
        .iter()
        .map(|r| r.header("webhook-timestamp").parse().unwrap())
        .collect();
    assert!(
        stamps.windows(2).all(|w| w[0] <= w[1]),
        "signed afresh: {stamps:?}"
    );

    let log = h.log(&order).await;
    let outcomes: Vec<&str> = log.iter().map(|a| a["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["retrying", "retrying", "retrying", "delivered"]);
    let codes: Vec<i64> = log
        .iter()
        .map(|a| a["response_code"].as_i64().unwrap())
        .collect();
    assert_eq!(
        codes,
        [500, 503, 302, 200],
        "a redirect is a failure, never followed"
    );
    for (i, a) in log.iter().enumerate() {
        assert_eq!(a["attempt"], i as i64 + 1);
        assert_eq!(a["status"], "CANCELLED");
        assert_eq!(a["previous_status"], "RECEIVED");
        assert_eq!(a["event_id"], got[0].header("webhook-id"));
        assert!(a["attempted_at"].as_str().unwrap().ends_with('Z'));
    }
    assert!(log[0]["next_attempt_at"].is_string() && log[3]["next_attempt_at"].is_null());
    assert_eq!(log[0]["error_class"], "http_status");
}

#[tokio::test]
async fn gone_stops_at_once_and_an_operator_can_redeliver() {
    let h = hooks(FAST, Duration::from_secs(2)).await;
    h.receiver.always("/gone", Answer::Status(410));
    let order = h.order_to("/gone").await;
    h.cancel(&order).await;
    let failed = || h.receiver.requests("/gone").len() == 1;
    assert!(h.pump_until(Duration::from_secs(30), failed).await);
    h.pump_until(Duration::from_secs(3), || false).await;
    assert_eq!(h.receiver.requests("/gone").len(), 1, "410 stops retries");
    let log = h.log(&order).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["outcome"], "failed");
    let dead = h.dead_lettered().await;
    assert_eq!(dead.len(), 1);
    let event_id = log[0]["event_id"].as_str().unwrap().to_string();
    assert_eq!(dead[0]["event"]["event_id"], event_id.as_str());
    assert!(dead[0]["reason"].as_str().unwrap().contains("410"));

    // The partner fixed the endpoint; the operator sends the event again, same webhook-id.
    h.receiver.clear_always("/gone");
    let r = call("POST")
        .key(&h.admin)
        .path("event_id", &event_id)
        .send(&h.app, run!(admin_redeliver_webhook))
        .await
        .expect(202);
    assert_eq!(r.body["round"], 1);
    let ok = || h.receiver.answered_ok("/gone");
    assert!(h.pump_until(Duration::from_secs(30), ok).await);
    let got = h.receiver.requests("/gone");
    assert_eq!(got[1].header("webhook-id"), event_id);
    assert!(verifies(&h.secret().await, &got[1]));
    // A delivery under way cannot be redelivered twice at once; an unknown id is a 404.
    call("POST")
        .key(&h.admin)
        .path("event_id", uuid::Uuid::new_v4())
        .send(&h.app, run!(admin_redeliver_webhook))
        .await
        .expect(404);
    call("POST")
        .key(&h.partner)
        .path("event_id", &event_id)
        .send(&h.app, run!(admin_redeliver_webhook))
        .await
        .expect(403);
}

#[tokio::test]
async fn always_failing_is_dead_lettered_and_recovered_after_the_outage() {
    let h = hooks(FAST, Duration::from_secs(2)).await;
    h.receiver.always("/down", Answer::Status(500));
    let since = domain::clock::now_string();
    let order = h.order_to("/down").await;
    h.cancel(&order).await;
    let done = h
        .attempts_until(&order, Duration::from_secs(90), |log| {
            log.last()
                .is_some_and(|a| a.outcome == AttemptOutcome::Failed)
        })
        .await;
    assert!(!done.is_empty(), "the retry window ends in failed");
    let log = h.log(&order).await;
    assert!(log.len() >= 4, "{log:?}");
    assert!(log[..log.len() - 1]
        .iter()
        .all(|a| a["outcome"] == "retrying"));
    let dead = h.dead_lettered().await;
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert!(dead[0]["reason"].as_str().unwrap().contains("exhausted"));
    let attempts_before = h.receiver.requests("/down").len();
    assert_eq!(attempts_before, log.len());

    // The partner is back: recover everything that failed since the outage began.
    h.receiver.clear_always("/down");
    let bad = call("POST")
        .key(&h.admin)
        .path("tenant_id", &h.tenant)
        .json(&json!({"since": "yesterday", "extra": 1}))
        .send(&h.app, run!(admin_recover_webhooks))
        .await
        .expect(422);
    assert_eq!(bad.detail_fields(), ["extra", "since"]);
    let r = call("POST")
        .key(&h.admin)
        .path("tenant_id", &h.tenant)
        .json(&json!({ "since": since }))
        .send(&h.app, run!(admin_recover_webhooks))
        .await
        .expect(202);
    assert_eq!(r.body["requeued"], 1);
    let ok = || h.receiver.answered_ok("/down");
    assert!(h.pump_until(Duration::from_secs(30), ok).await);
    let state = h
        .app
        .db
        .webhook_delivery_state(log[0]["event_id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        state.status,
        webhooks::event::WebhookDeliveryStatus::Delivered
    );
}

#[tokio::test]
async fn slow_receivers_time_out_and_never_hold_other_deliveries() {
    let h = hooks(FAST, Duration::from_secs(1)).await;
    h.receiver
        .script("/slow", &[Answer::After(Duration::from_secs(4), 200)]);
    let slow = h.order_to("/slow").await;
    let fast = h.order_to("/fast").await;
    h.cancel(&slow).await;
    h.cancel(&fast).await;
    let both = || {
        h.receiver.requests("/fast").len() == 1
            && h.receiver
                .requests("/slow")
                .iter()
                .any(|r| r.answered == Some(200) && r.at.elapsed() < Duration::from_secs(3))
    };
    assert!(h.pump_until(Duration::from_secs(60), both).await);
    let log = h.log(&slow).await;
    assert_eq!(log[0]["error_class"], "timeout");
    assert_eq!(log[0]["outcome"], "retrying");
    assert_eq!(log.last().unwrap()["outcome"], "delivered");
    // Handled side by side: the fast receiver was not kept waiting for the slow one's time limit.
    let (s, f) = (
        &h.receiver.requests("/slow")[0],
        &h.receiver.requests("/fast")[0],
    );
    if f.at > s.at {
        assert!(f.at - s.at < Duration::from_secs(1), "fast waited for slow");
    }
}

#[tokio::test]
async fn connection_refused_is_retried() {
    let h = hooks(FAST, Duration::from_secs(1)).await;
    // A port that was free a moment ago and has no listener now.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut body = discovery_order();
    body.as_object_mut().unwrap().remove("profile_name");
    body["webhook_url"] = json!(format!("http://127.0.0.1:{closed}/hook"));
    let order = create_order(&h.app, &h.partner, &body).await;
    h.cancel(&order).await;
    let log = h
        .attempts_until(&order, Duration::from_secs(30), |log| log.len() >= 2)
        .await;
    assert!(log.len() >= 2, "retried: {log:?}");
    assert_eq!(
        log[0].error_class,
        Some(webhooks::event::ErrorClass::Connection)
    );
    assert_eq!(log[0].response_code, None);

    // A receiver answering garbage is a failed attempt like any other, then retried.
    h.receiver.script("/garbage", &[Answer::Garbage]);
    let order = h.order_to("/garbage").await;
    h.cancel(&order).await;
    let retried = || h.receiver.answered_ok("/garbage");
    assert!(h.pump_until(Duration::from_secs(30), retried).await);
    let log = h.log(&order).await;
    assert_eq!(log[0]["error_class"], "connection");
    assert_eq!(log[1]["outcome"], "delivered");
}

#[tokio::test]
async fn an_event_whose_send_failed_after_the_transaction_still_arrives() {
    let h = hooks(FAST, Duration::from_secs(2)).await;
    // The request path's SQS send fails (a queue that does not exist); the transaction holds.
    let broken = app_with(&[(
        "WEBHOOK_QUEUE_URL",
        &format!("{}/000000000000/no-such-queue", stack_endpoint()),
    )])
    .await;
    let order = h.order_to("/late").await;
    call("POST")
        .key(&h.partner)
        .path("order_id", &order)
        .send(&broken, run!(cancel_order))
        .await
        .expect(200);
    h.pump_until(Duration::from_secs(2), || false).await;
    assert!(
        h.receiver.requests("/late").is_empty(),
        "nothing was queued"
    );
    // The relay (its grace compressed) puts the outbox event on the queue.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let relay = outbox_relay::handler(&h.app, Duration::from_secs(1));
    let relayed = ops::attribution::as_function("outbox-relay", "api-tests", relay)
        .await
        .unwrap();
    assert!(relayed["published"].as_u64().unwrap() >= 1);
    let arrived = || !h.receiver.requests("/late").is_empty();
    assert!(h.pump_until(Duration::from_secs(30), arrived).await);
    let got = h.receiver.requests("/late");
    assert!(verifies(&h.secret().await, &got[0]));
    assert_contract_body(&got[0], &order, "CANCELLED");
    // Published now: the outbox index no longer lists it.
    let mine = h.app.db.unpublished_events("9999", 100).await.unwrap();
    assert!(mine.iter().all(|e| e.payload.order_id.to_string() != order));
}

#[tokio::test]
async fn secrets_are_per_tenant_sealed_and_rotate_with_a_day_of_overlap() {
    let h = hooks(FAST, Duration::from_secs(2)).await;
    let first = h.secret().await;
    assert!(first.starts_with("whsec_"));
    assert!(STANDARD.decode(&first[6..]).unwrap().len() >= 24);
    assert_eq!(h.secret().await, first, "created once, then the same");
    // Stored sealed: the table never holds the secret's text.
    let stored = format!("{:?}", h.stored_secret(&h.tenant).await.unwrap());
    assert!(!stored.contains(&first[6..]), "sealed at rest");

    // Scopes: orders:write; reading orders is not enough. Operators see the same secret.
    let reader = key_for(&h.app, &h.tenant, &[Scope::OrdersRead]).await;
    call("GET")
        .key(&reader)
        .send_to(&h.secrets, get_webhook_secret::handler)
        .await
        .expect(403);
    let admin_view = call("GET")
        .key(&h.admin)
        .path("tenant_id", &h.tenant)
        .send_to(&h.secrets, admin_get_webhook_secret::handler)
        .await
        .expect(200);
    assert_eq!(admin_view.body["secret"], first.as_str());
    assert!(admin_view.body["previous_secret_expires_at"].is_null());
    call("GET")
        .key(&h.partner)
        .path("tenant_id", &h.tenant)
        .send_to(&h.secrets, admin_get_webhook_secret::handler)
        .await
        .expect(403);

    // The rotation takes no fields: one sent is a 422, and nothing rotates.
    let r = call("POST")
        .key(&h.partner)
        .json(&serde_json::json!({"grace_hours": 1}))
        .send_to(&h.secrets, rotate_webhook_secret::handler)
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), vec!["grace_hours"]);
    assert_eq!(h.secret().await, first);
    let rotated = call("POST")
        .key(&h.partner)
        .send_to(&h.secrets, rotate_webhook_secret::handler)
        .await
        .expect(200);
    let second = rotated.body["secret"].as_str().unwrap().to_string();
    assert_ne!(second, first);
    let until =
        domain::clock::parse(rotated.body["previous_secret_expires_at"].as_str().unwrap()).unwrap();
    let left = until - domain::clock::now();
    assert!(left > time::Duration::hours(23) && left <= time::Duration::hours(24));

    // During the overlap both secrets verify the same delivery.
    let order = h.order_to("/rotated").await;
    h.cancel(&order).await;
    let arrived = || !h.receiver.requests("/rotated").is_empty();
    assert!(h.pump_until(Duration::from_secs(30), arrived).await);
    let got = &h.receiver.requests("/rotated")[0];
    assert_eq!(got.header("webhook-signature").split(' ').count(), 2);
    assert!(verifies(&first, got) && verifies(&second, got));

    // An operator's rotation: the tenant's secret changes, another tenant's does not.
    let other = hooks(FAST, Duration::from_secs(2)).await;
    let others = other.secret().await;
    let third = call("POST")
        .key(&h.admin)
        .path("tenant_id", &h.tenant)
        .send_to(&h.secrets, admin_rotate_webhook_secret::handler)
        .await
        .expect(200);
    assert_eq!(h.secret().await, third.body["secret"].as_str().unwrap());
    assert_eq!(other.secret().await, others);

    // A tenant no key was issued to (a typo, say) is a 404 on both, and gets no secret.
    let unknown = format!("{}-typo", h.tenant);
    for (method, path) in [("GET", "webhook-secret"), ("POST", "webhook-secret/rotate")] {
        let call = call(method).key(&h.admin).path("tenant_id", &unknown);
        let r = match path {
            "webhook-secret" => {
                call.send_to(&h.secrets, admin_get_webhook_secret::handler)
                    .await
            }
            _ => {
                call.send_to(&h.secrets, admin_rotate_webhook_secret::handler)
                    .await
            }
        }
        .expect(404);
        assert_eq!(r.code(), "NOT_FOUND", "{method} {path}");
    }
    assert!(
        h.stored_secret(&unknown).await.is_none(),
        "no secret for an unknown tenant"
    );
}

#[tokio::test]
async fn the_delivery_log_is_tenant_scoped_and_paged() {
    let h = hooks(FAST, Duration::from_secs(2)).await;
    let order = h.order_to("/paged").await;
    h.cancel(&order).await;
    let arrived = || !h.receiver.requests("/paged").is_empty();
    assert!(h.pump_until(Duration::from_secs(30), arrived).await);
    let r = call("GET")
        .key(&h.partner)
        .path("order_id", &order)
        .query("limit", 1)
        .send(&h.app, run!(list_webhook_deliveries))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["limit"], 1);
    assert_eq!(r.body["has_more"], false);
    assert_eq!(r.body["items"][0]["response_code"], 200);
    assert!(r.body["items"][0]["duration_ms"].is_u64());
    // Another tenant's order answers like an unknown one.
    let (_, stranger) = partner(&h.app).await;
    call("GET")
        .key(&stranger)
        .path("order_id", &order)
        .send(&h.app, run!(list_webhook_deliveries))
        .await
        .expect(404);
    let bad = call("GET")
        .key(&h.partner)
        .path("order_id", &order)
        .query("limit", 0)
        .query("colour", "red")
        .send(&h.app, run!(list_webhook_deliveries))
        .await
        .expect(422);
    assert_eq!(bad.detail_fields(), ["colour", "limit"]);
}

/// Outside local mode the guard refuses every non-public target at send time (the URL's literal
/// address, or what its name resolves to), before any connection; redirects are never followed.
#[tokio::test]
async fn outside_local_mode_private_targets_are_refused_at_send_time() {
    let local = hooks(FAST, Duration::from_secs(1)).await;
    let h = hooks_on(
        &local.queue,
        &local.dead_letters,
        FAST,
        Duration::from_secs(1),
        false,
    )
    .await;
    let listener = Counter::start().await;
    let targets = [
        "https://127.0.0.1/hook".to_string(),
        format!("https://127.0.0.1:{}/hook", listener.port),
        format!("https://localhost:{}/hook", listener.port),
        "https://localhost/hook".to_string(),
        "https://10.0.0.1/hook".into(),
        "https://172.16.0.1/hook".into(),
        "https://192.168.1.1/hook".into(),
        "https://169.254.169.254/latest/meta-data".into(),
        "https://100.64.0.1/hook".into(),
        "https://[::1]/hook".into(),
        "https://[fc00::1]/hook".into(),
        "https://[::ffff:127.0.0.1]/hook".into(),
        "https://[64:ff9b::a00:1]/hook".into(),
        "https://0.0.0.0/hook".into(),
        format!("http://127.0.0.1:{}/hook", listener.port),
    ];
    for (i, url) in targets.iter().enumerate() {
        let order = uuid::Uuid::now_v7();
        let event = domain::order::StatusChanged {
            event_id: uuid::Uuid::new_v4(),
            tenant_id: h.tenant.clone(),
            webhook_url: Some(url.clone()),
            payload: domain::order::StatusChangedPayload {
                event: "order.status_changed".into(),
                order_id: order,
                status: domain::order::OrderStatus::Cancelled,
                previous_status: domain::order::OrderStatus::Received,
                timestamp: domain::clock::now_string(),
            },
        };
        let message = webhooks::event::Message::first(event);
        h.dispatcher
            .send(&serde_json::to_string(&message).unwrap())
            .await
            .unwrap();
        let (log, _) = h
            .app
            .db
            .attempts(
                &h.tenant,
                order,
                domain::paging::Page {
                    limit: 10,
                    offset: 0,
                },
            )
            .await
            .unwrap();
        assert_eq!(log.len(), 1, "{url}");
        assert_eq!(
            log[0].error_class,
            Some(webhooks::event::ErrorClass::ForbiddenAddress),
            "target #{i} {url}: {:?}",
            log[0].response_excerpt
        );
    }
    assert_eq!(listener.count(), 0, "no connection was ever made");

    // In local mode loopback http is allowed, but a redirect to another address is not followed.
    let target = Counter::start().await;
    local
        .receiver
        .always("/moved", Answer::Redirect(target.port));
    let order = local.order_to("/moved").await;
    local.cancel(&order).await;
    let tried = || !local.receiver.requests("/moved").is_empty();
    assert!(local.pump_until(Duration::from_secs(30), tried).await);
    let log = local.log(&order).await;
    assert_eq!(log[0]["response_code"], 302);
    assert_eq!(log[0]["outcome"], "retrying");
    assert_eq!(target.count(), 0, "the redirect was not followed");
}
