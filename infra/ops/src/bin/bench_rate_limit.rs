//! bench-rate-limit: what the rate limiter adds to a request, against the emulator over the wire.
//! For `--requests` requests of one key, one after the other, it times the key's charge alone
//! (`Limiter::charge`: the conditional writes of `store::rate_limits`) and counts the DynamoDB
//! calls it made, in two patterns:
//! - busy: back to back at a limit the requests cannot reach (the bucket stays ahead of now);
//! - sparse: a pause longer than a token's refill between requests (the bucket is full again
//!   each time).
//!
//! Either way the container's last view of the bucket picks the write that applies first, so a
//! second `UpdateItem` is paid only when another container changed the bucket's state since.
//!
//!   cargo run --release -p ops --bin bench-rate-limit -- [--requests 2000]
use anyhow::{anyhow, Result};
use auth::rate::Bucket;
use std::time::{Duration, Instant};
use store::limiter::Limiter;

#[tokio::main]
async fn main() -> Result<()> {
    let requests = ops::measure::arg("--requests", 2000)?;
    // The emulator logs each call it serves (`MOTO_TRACE`): what the counts come from.
    let log = std::env::temp_dir().join(format!("bench-rate-limit-{}.jsonl", std::process::id()));
    std::env::set_var("MOTO_TRACE", &log);
    let calls = || {
        std::fs::read_to_string(&log)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };
    let stack = ops::emulator::LocalStack::start().await?;
    let app = &stack.app;
    for (pattern, limit, pause) in [
        ("busy", 10_000u32, None),
        ("sparse", 60_000, Some(Duration::from_millis(2))),
    ] {
        let limiter = Limiter::default();
        let bucket = Bucket::new(limit);
        let subject = format!("bench#{}", uuid::Uuid::now_v7());
        let mut times = Vec::with_capacity(requests);
        let calls_before = calls();
        for _ in 0..requests {
            if let Some(p) = pause {
                tokio::time::sleep(p).await;
            }
            let t = Instant::now();
            limiter
                .charge(&app.db, &subject, bucket)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let calls = calls() - calls_before;
        times.sort_by(f64::total_cmp);
        println!(
            "{pattern}: {requests} requests, limit {limit}/min: p50 {:.2} ms, p99 {:.2} ms; \
             {:.2} DynamoDB calls per request",
            ops::measure::percentile(&times, 0.50),
            ops::measure::percentile(&times, 0.99),
            calls as f64 / requests as f64
        );
    }
    Ok(())
}
