//! bench-webhooks: the webhook dispatcher against a fast receiver on loopback, in the local stack
//! (moto's SQS, DynamoDB and KMS), as the SQS event source drives it in AWS: batches of 10, several
//! batches in flight.
//!
//!   cargo run --release -p ops --bin bench-webhooks -- [--events 2000] [--concurrency 4] [--rate 20]
//!
//! Phase 1 (throughput): `--events` first-attempt messages queued at once, drained by
//! `--concurrency` pollers; deliveries per second. Phase 2 (latency): events queued at `--rate` per
//! second while the pollers run; p50/p99 from the event's timestamp (the status change) to its arrival.
//! Prints the process's peak RSS too (an upper bound for the dispatcher: it includes the receiver).
use anyhow::{anyhow, Result};
use domain::order::{OrderStatus, StatusChanged, StatusChangedPayload};
use ops::measure::{arg, peak_rss_mb, percentile};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use webhook_secrets::SecretsApp;
use webhook_sender::dispatch::{Dispatcher, Settings};
use webhooks::event::Message;

/// Arrivals: the delay of each delivery from its event's timestamp, in milliseconds.
#[derive(Default)]
struct Arrivals {
    count: AtomicUsize,
    delays_ms: Mutex<Vec<f64>>,
}

async fn receiver(arrivals: Arc<Arrivals>) -> Result<u16> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let arrivals = arrivals.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf);
                    let Some(head_end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let length: usize = text[..head_end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() < head_end + 4 + length {
                        continue;
                    }
                    let body: serde_json::Value =
                        serde_json::from_slice(&buf[head_end + 4..head_end + 4 + length])
                            .unwrap_or_default();
                    if let Some(at) = body["timestamp"].as_str().and_then(domain::clock::parse) {
                        let delay = domain::clock::now() - at;
                        arrivals
                            .delays_ms
                            .lock()
                            .unwrap()
                            .push(delay.as_seconds_f64() * 1000.0);
                    }
                    arrivals.count.fetch_add(1, Ordering::SeqCst);
                    let _ = socket
                        .write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    buf.clear();
                }
            });
        }
    });
    Ok(port)
}

fn event(port: u16) -> Message {
    let order_id = uuid::Uuid::now_v7();
    Message::first(StatusChanged {
        event_id: uuid::Uuid::new_v4(),
        tenant_id: "bench".into(),
        webhook_url: Some(format!("http://127.0.0.1:{port}/hook")),
        payload: StatusChangedPayload {
            event: "order.status_changed".into(),
            order_id,
            status: OrderStatus::Accepted,
            previous_status: OrderStatus::Received,
            timestamp: domain::clock::now_string(),
        },
    })
}

/// The SQS event source: receive up to 10, hand them to the dispatcher, delete what succeeded.
async fn poller(
    d: Arc<Dispatcher>,
    sqs: aws_sdk_sqs::Client,
    queue: String,
    arrivals: Arc<Arrivals>,
    target: usize,
) {
    while arrivals.count.load(Ordering::SeqCst) < target {
        let Ok(got) = sqs
            .receive_message()
            .queue_url(&queue)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
        else {
            continue;
        };
        let messages = got.messages.unwrap_or_default();
        if messages.is_empty() {
            continue;
        }
        let records: Vec<serde_json::Value> = messages
            .iter()
            .map(|m| serde_json::json!({"messageId": m.message_id(), "receiptHandle": m.receipt_handle(), "body": m.body()}))
            .collect();
        let event = serde_json::from_value(serde_json::json!({ "Records": records }))
            .expect("an SQS event");
        let failed: std::collections::HashSet<String> = d
            .handle(event)
            .await
            .batch_item_failures
            .into_iter()
            .map(|f| f.item_identifier)
            .collect();
        for m in &messages {
            if !failed.contains(m.message_id().unwrap_or_default()) {
                let _ = sqs
                    .delete_message()
                    .queue_url(&queue)
                    .receipt_handle(m.receipt_handle().unwrap_or_default())
                    .send()
                    .await;
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let events = arg("--events", 2000)?;
    let concurrency = arg("--concurrency", 4)?;
    let rate = arg("--rate", 20)?.max(1);
    let ops::emulator::LocalStack {
        emulator: _emulator,
        sdk,
        env,
        app,
    } = ops::emulator::LocalStack::start().await?;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let app = Arc::new(app);
    let secrets = SecretsApp::with_key(app.clone(), &sdk, env["WEBHOOK_SECRETS_KEY_ID"].clone());
    let settings = Settings {
        dead_letter_queue_url: env["WEBHOOK_DEAD_LETTER_QUEUE_URL"].clone(),
        attempt_timeout: Duration::from_secs(10),
        schedule: Default::default(),
    };
    let dispatcher = Arc::new(
        Dispatcher::new(app.clone(), secrets.secrets.clone(), settings).map_err(|e| anyhow!(e))?,
    );
    let queue = env["WEBHOOK_QUEUE_URL"].clone();
    let arrivals = Arc::new(Arrivals::default());
    let port = receiver(arrivals.clone()).await?;

    // Phase 1: a backlog drained.
    for chunk in (0..events).collect::<Vec<_>>().chunks(20) {
        let messages: Vec<Message> = chunk.iter().map(|_| event(port)).collect();
        let sends = messages
            .iter()
            .map(|m| api::usecases::lifecycle::enqueue(&app, m, 0));
        for r in futures::future::join_all(sends).await {
            r.map_err(|e| anyhow!("{e}"))?;
        }
    }
    let t = Instant::now();
    let pollers: Vec<_> = (0..concurrency)
        .map(|_| {
            tokio::spawn(poller(
                dispatcher.clone(),
                sqs.clone(),
                queue.clone(),
                arrivals.clone(),
                events,
            ))
        })
        .collect();
    for p in pollers {
        p.await?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "throughput: {events} deliveries in {secs:.1} s = {:.0}/s ({concurrency} batches of 10 in flight)",
        events as f64 / secs
    );

    // Phase 2: a steady stream below saturation.
    arrivals.delays_ms.lock().unwrap().clear();
    let stream = (rate * 10).max(100);
    let target = events + stream;
    let pollers: Vec<_> = (0..concurrency)
        .map(|_| {
            tokio::spawn(poller(
                dispatcher.clone(),
                sqs.clone(),
                queue.clone(),
                arrivals.clone(),
                target,
            ))
        })
        .collect();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    for _ in 0..stream {
        tick.tick().await;
        api::usecases::lifecycle::enqueue(&app, &event(port), 0)
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    for p in pollers {
        p.await?;
    }
    let mut delays = arrivals.delays_ms.lock().unwrap().clone();
    delays.sort_by(|a, b| a.total_cmp(b));
    println!(
        "latency at {rate}/s: status change -> delivery p50 {:.0} ms, p99 {:.0} ms (n={})",
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        delays.len()
    );
    println!("peak RSS of this process: {:.1} MB", peak_rss_mb());
    Ok(())
}
