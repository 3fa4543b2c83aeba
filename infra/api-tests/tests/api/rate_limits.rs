//! Rate limits (docs/contract-notes.md "Rate limits"): a key's limit set by operators, `X-RateLimit-*` on
//! every response, 429 `RATE_LIMITED` with `Retry-After`, the limit holding under a concurrent
//! burst spread over two containers, and bad keys throttled per source.
use crate::harness::*;
use crate::run;
use auth::Scope;
use futures::StreamExt;
use std::time::Instant;

/// A key minted through the admin endpoint with `limit` requests per minute.
async fn key_with_limit(app: &std::sync::Arc<api::app::App>, admin: &str, limit: u32) -> String {
    let r = call("POST")
        .key(admin)
        .json(&serde_json::json!({
            "name": "burst", "scopes": ["orders:read"], "tenant_id": new_tenant(),
            "rate_limit_per_minute": limit
        }))
        .send(app, run!(create_api_key))
        .await
        .expect(201);
    assert_eq!(
        r.body["rate_limit_per_minute"], limit,
        "the key's object shows it"
    );
    r.body["api_key"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn operators_set_a_keys_limit_within_the_contracts_range() {
    let app = app().await;
    let admin = key_for(&app, "operators", &[Scope::Admin]).await;
    for bad in [
        serde_json::json!(0),
        serde_json::json!(100_001),
        serde_json::json!("600"),
        serde_json::json!(1.5),
    ] {
        let r = call("POST")
            .key(&admin)
            .json(&serde_json::json!({"name": "k", "scopes": ["orders:read"], "rate_limit_per_minute": bad, "environment": "prod"}))
            .send(&app, run!(create_api_key))
            .await
            .expect(422);
        assert_eq!(
            r.detail_fields(),
            ["environment", "rate_limit_per_minute"],
            "every invalid field named at once: {}",
            r.body
        );
    }
    let r = call("POST")
        .key(&admin)
        .json(
            &serde_json::json!({"name": "k", "scopes": ["orders:read"], "tenant_id": new_tenant()}),
        )
        .send(&app, run!(create_api_key))
        .await
        .expect(201);
    assert_eq!(r.body["rate_limit_per_minute"], 600, "the default");
    let key = r.body["api_key"].as_str().unwrap().to_string();
    let first = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(
        (first.rate("limit"), first.rate("remaining")),
        (Some(600), Some(599))
    );
    assert!(first.rate("reset").is_some_and(|s| (1..=60).contains(&s)));
    // Refused requests are counted and carry the headers too. A key of 2 a minute refills one
    // token in 30 s, so the count is exact however slowly the machine runs the two calls (at
    // 600 a minute a token comes back every 100 ms).
    let slow = key_with_limit(&app, &admin, 2).await;
    let first = call("GET")
        .key(&slow)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(first.rate("remaining"), Some(1));
    let forbidden = call("POST")
        .key(&slow)
        .json(&discovery_order())
        .send(&app, run!(create_order))
        .await
        .expect(403);
    assert_eq!(forbidden.rate("remaining"), Some(0));
}

#[tokio::test]
async fn a_concurrent_burst_gets_the_limit_within_five_percent_and_other_keys_are_unaffected() {
    // Two containers: what they share is the table, as two Lambda instances do.
    let (a, b) = (app().await, app().await);
    let admin = key_for(&a, "operators", &[Scope::Admin]).await;
    const LIMIT: u32 = 60;
    let limited = key_with_limit(&a, &admin, LIMIT).await;
    let other = key_with_limit(&a, &admin, 600).await;
    let started = Instant::now();
    let replies: Vec<(bool, Reply)> = futures::stream::iter(0..200)
        .map(|i| {
            let app = if i % 2 == 0 { a.clone() } else { b.clone() };
            let (key, is_limited) = if i % 5 == 4 {
                (other.clone(), false)
            } else {
                (limited.clone(), true)
            };
            async move {
                let r = call("GET").key(&key).send(&app, run!(list_orders)).await;
                (is_limited, r)
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let elapsed = started.elapsed().as_secs_f64();
    let ok = replies
        .iter()
        .filter(|(l, r)| *l && r.status == 200)
        .count() as f64;
    // The whole bucket at once, and at most what it refills (a token a second) while the burst
    // runs; a refill that comes after the burst's last request has nothing to admit, so a slow
    // machine admits less than the upper bound, never less than the bucket.
    let allowed = LIMIT as f64 + elapsed * LIMIT as f64 / 60.0;
    assert!(
        ok >= 0.95 * LIMIT as f64 && ok <= 1.05 * allowed,
        "{ok} admitted, {LIMIT} to {allowed:.1} allowed ({elapsed:.2} s)"
    );
    for (is_limited, r) in &replies {
        assert!(
            r.rate("limit").is_some() && r.rate("remaining").is_some() && r.rate("reset").is_some()
        );
        if !is_limited {
            assert_eq!(r.status, 200, "another key is unaffected: {}", r.body);
            continue;
        }
        assert_eq!(r.rate("limit"), Some(LIMIT as u64));
        if r.status != 200 {
            assert_eq!((r.status, r.code()), (429, "RATE_LIMITED"), "{}", r.body);
            let retry: u64 = r.retry_after.as_deref().unwrap().parse().unwrap();
            assert!((1..=60).contains(&retry), "{retry}");
            assert_eq!(r.rate("remaining"), Some(0));
        }
    }
}

#[tokio::test]
async fn repeated_bad_keys_from_one_source_are_throttled_and_others_are_not() {
    let app = app().await;
    let good = key_for(&app, &new_tenant(), &[Scope::OrdersRead]).await;
    let fake = |i: u32| format!("lnc_live_{}{:032}", uuid::Uuid::now_v7().simple(), i);
    let mut statuses = Vec::new();
    let started = std::time::Instant::now();
    for i in 0..40 {
        let r = call("GET")
            .key(&fake(i))
            .source("203.0.113.9")
            .send(&app, run!(list_orders))
            .await;
        assert!(r.status == 401 || r.code() == "RATE_LIMITED", "{}", r.body);
        statuses.push(r.status);
    }
    // The bucket refills one request every 60/limit s while the loop runs: a loaded machine earns
    // a few more than the burst, never fewer, and never more than the time it took allows.
    let limit = auth::rate::BAD_KEYS_PER_MINUTE as usize;
    let refilled = (started.elapsed().as_secs_f64() * limit as f64 / 60.0).ceil() as usize;
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    assert!(
        statuses[..limit].iter().all(|s| *s == 401),
        "the burst is admitted: {statuses:?}"
    );
    assert!(
        unauthorized <= limit + refilled,
        "{unauthorized} admitted, {refilled} refilled: {statuses:?}"
    );
    if limit + refilled < statuses.len() {
        assert!(statuses.contains(&429), "{statuses:?}");
    }
    // Another source, and a good key from anywhere, still get through.
    call("GET")
        .key(&fake(99))
        .source("198.51.100.7")
        .send(&app, run!(list_orders))
        .await
        .expect(401);
    call("GET")
        .key(&good)
        .source("198.51.100.7")
        .send(&app, run!(list_orders))
        .await
        .expect(200);
}

/// Finding 5 of issue 24: bad keys from a shared address (a carrier NAT, a corporate proxy)
/// throttle that address's bad keys, never a valid key sent from it, cached or not.
#[tokio::test]
async fn bad_keys_from_a_shared_address_never_throttle_its_valid_keys() {
    let app = app().await;
    let tenant = new_tenant();
    let (cached, fresh) = (
        key_for(&app, &tenant, &[Scope::OrdersRead]).await,
        key_for(&app, &tenant, &[Scope::OrdersRead]).await,
    );
    const SHARED: &str = "203.0.113.77";
    let send = |key: String| {
        let app = app.clone();
        async move {
            call("GET")
                .key(&key)
                .source(SHARED)
                .send(&app, run!(list_orders))
                .await
        }
    };
    send(cached.clone()).await.expect(200);
    // Bad keys until the address is refused: it is over its limit right after (a token
    // refills every two seconds).
    let throttle = || async {
        for _ in 0..(4 * auth::rate::BAD_KEYS_PER_MINUTE) {
            let fake = format!(
                "lnc_live_{}{}",
                uuid::Uuid::now_v7().simple(),
                "A".repeat(32)
            );
            let r = send(fake).await;
            if r.status == 429 {
                return;
            }
            assert_eq!(r.status, 401, "{}", r.body);
        }
        panic!("the address's bad keys are never throttled");
    };
    // A key this container never looked up, then one it has cached: both admitted.
    for key in [&fresh, &cached] {
        throttle().await;
        send(key.clone()).await.expect(200);
    }
    // A wrong secret of a valid key is a bad key like any other.
    let mut wrong_secret = fresh.clone();
    wrong_secret.replace_range(fresh.len() - 4.., "zzzz");
    throttle().await;
    let r = send(wrong_secret).await.expect(429);
    assert_eq!(r.code(), "RATE_LIMITED");
}
