//! `opsctl listen` (`ops::listen::serve`) on a local port, fed by the dispatcher's own sender:
//! a signed delivery is verified and answered with the chosen status; a wrong signature or a
//! stale timestamp is reported and answered 400, so the sender would retry. No emulator needed.
use guard::Policy;
use ops::listen::{serve, Line, Rejection};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use webhook_sender::sender::Sender;
use webhooks::schedule::Response;
use webhooks::signing::{sign, SigningSecret};

const EVENT_ID: &str = "0195f0c2-7a41-5c3e-9d2b-6f1e8a4c0b17";
const BODY: &str = r#"{"event":"order.status_changed","order_id":"0195f0c2-0000-7000-8000-000000000001","status":"ACCEPTED","previous_status":"RECEIVED","timestamp":"2026-03-01T10:30:00.000000Z"}"#;

/// A listener on 127.0.0.1:<free port>: its URL and the lines it prints.
async fn listen(secrets: Vec<SigningSecret>, status: u16) -> (String, UnboundedReceiver<Line>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://127.0.0.1:{}/hook",
        listener.local_addr().unwrap().port()
    );
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(serve(listener, secrets, status, tx));
    (url, rx)
}

fn sender() -> Sender {
    Sender::new(
        Policy {
            allow_loopback: true,
        },
        Duration::from_secs(10),
    )
    .unwrap()
}

fn now() -> i64 {
    domain::clock::now().unix_timestamp()
}

async fn next(lines: &mut UnboundedReceiver<Line>) -> Line {
    tokio::time::timeout(Duration::from_secs(5), lines.recv())
        .await
        .expect("a line within 5 s")
        .expect("the listener runs")
}

fn code(response: Response) -> u16 {
    match response {
        Response::Status { code, .. } => code,
        other => panic!("no answer: {other:?}"),
    }
}

#[tokio::test]
async fn listen_verifies_a_signed_delivery_and_prints_its_transition() {
    let (secret, _) = SigningSecret::generate();
    let (url, mut lines) = listen(vec![secret.clone()], 200).await;
    let headers = sign(&[secret], EVENT_ID, now(), BODY.as_bytes());
    let sent = sender().post(&url, &headers, BODY.into()).await;
    assert_eq!(code(sent.response), 200, "{sent:?}");
    let line = next(&mut lines).await;
    assert!(line.verified(), "{line}");
    assert_eq!(line.answered, 200);
    assert_eq!(line.webhook_id.as_deref(), Some(EVENT_ID));
    let printed = line.to_string();
    assert!(
        printed.contains(&format!("{EVENT_ID}  verified  order.status_changed 0195f0c2-0000-7000-8000-000000000001 RECEIVED -> ACCEPTED  => 200")),
        "{printed}"
    );
}

#[tokio::test]
async fn listen_refuses_a_wrong_signature_with_400() {
    let (secret, _) = SigningSecret::generate();
    let (other, _) = SigningSecret::generate();
    let (url, mut lines) = listen(vec![secret], 200).await;
    let headers = sign(&[other], EVENT_ID, now(), BODY.as_bytes());
    let sent = sender().post(&url, &headers, BODY.into()).await;
    assert_eq!(code(sent.response), 400);
    assert_eq!(
        sent.excerpt.as_deref(),
        Some("webhook verification failed: bad signature"),
        "the reason reaches the delivery log"
    );
    let line = next(&mut lines).await;
    assert_eq!(line.verdict, Err(Rejection::BadSignature));
    assert_eq!(line.answered, 400);
    let printed = line.to_string();
    assert!(
        printed.contains("NOT verified (bad signature)  order.status_changed"),
        "{printed}"
    );
    assert!(
        printed.contains("RECEIVED -> ACCEPTED  => 400"),
        "{printed}"
    );
}

#[tokio::test]
async fn listen_refuses_a_stale_timestamp_with_400() {
    let (secret, _) = SigningSecret::generate();
    let (url, mut lines) = listen(vec![secret.clone()], 200).await;
    let headers = sign(&[secret], EVENT_ID, now() - 600, BODY.as_bytes());
    let sent = sender().post(&url, &headers, BODY.into()).await;
    assert_eq!(code(sent.response), 400);
    let line = next(&mut lines).await;
    assert!(
        matches!(line.verdict, Err(Rejection::StaleTimestamp(age)) if (600..=605).contains(&age)),
        "{line}"
    );
    assert!(line
        .to_string()
        .contains("NOT verified (stale timestamp: 6"));
}

#[tokio::test]
async fn listen_accepts_either_secret_of_a_rotation_and_answers_the_chosen_status() {
    let (old, _) = SigningSecret::generate();
    let (new, _) = SigningSecret::generate();
    // The listener knows only the old secret; the sender signs with both, the new one first.
    let (url, mut lines) = listen(vec![old.clone()], 410).await;
    let headers = sign(&[new, old], EVENT_ID, now(), BODY.as_bytes());
    assert_eq!(headers.signature.split(' ').count(), 2);
    let sent = sender().post(&url, &headers, BODY.into()).await;
    assert_eq!(code(sent.response), 410, "--status 410 tries out Gone");
    let line = next(&mut lines).await;
    assert!(line.verified() && line.answered == 410, "{line}");
}
