//! The preview's bounds (docs/contract-notes.md "Discovery preview", infra/README.md "Cost bounds"): markets
//! and keywords capped (the count then an estimate), a per-key preview quota beside the general
//! rate limit (429 `RATE_LIMITED` with `Retry-After`), identical previews answered from the
//! container's cache, uncharged.
use crate::harness::*;
use crate::run;
use serde_json::{json, Value};
use std::sync::Arc;

/// Companies of a country no other test writes, spread over the generator's segments.
async fn seeded(app: &Arc<api::app::App>) {
    static SEEDED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SEEDED
        .get_or_init(|| {
            crate::harness::seed_market(app, 400, 29, ("Iceland", &["Reykjavik"]), "is")
        })
        .await;
}

/// An ICP naming no segment: every market of the country is named.
fn wide(title: &str) -> Value {
    json!({
        "order_type": "DISCOVERY", "title": title, "features": ["COMPANY_DATA"],
        "ideal_customer_profile": "Companies with 20-500 employees, growing",
        "seller_offering": "Lead generation", "target_countries": ["Iceland"]
    })
}

async fn preview(app: &Arc<api::app::App>, key: &str, body: &Value) -> Reply {
    call("POST")
        .key(key)
        .json(body)
        .send(app, run!(preview_order))
        .await
}

#[tokio::test]
async fn a_preview_past_its_market_or_keyword_cap_says_its_count_is_an_estimate() {
    let roomy = app().await;
    seeded(&roomy).await;
    let (_, key) = partner(&roomy).await;
    let exact = preview(&roomy, &key, &wide("all")).await.expect(200).body;
    assert_eq!(exact["count_is_estimate"], false, "{exact}");
    let all = exact["matching_companies"].as_u64().unwrap();
    assert!(all > 5, "{exact}");

    // One market of the country's many: the largest, its matches scaled by the companies of all.
    let capped = app_with(&[("PREVIEW_MAX_MARKETS", "1")]).await;
    let p = preview(&capped, &key, &wide("one market"))
        .await
        .expect(200)
        .body;
    assert_eq!(p["count_is_estimate"], true, "{p}");
    let estimated = p["matching_companies"].as_u64().unwrap();
    assert!(estimated > 0, "{p}");
    let items = p["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 5, "{p}");
    assert!(items.iter().all(|i| i["country"] == "Iceland"), "{p}");

    // Fewer records than the largest market holds: only those are read (the store's bounded
    // query), the count scaled from them.
    let few = app_with(&[("PREVIEW_MAX_RECORDS", "10")]).await;
    let p = preview(&few, &key, &wide("ten records"))
        .await
        .expect(200)
        .body;
    assert_eq!(p["count_is_estimate"], true, "{p}");
    assert!(p["items"].as_array().unwrap().len() <= 5, "{p}");
    assert!(p["matching_companies"].as_u64().unwrap() <= all * 10, "{p}");

    // More distinct words than a preview ranks by.
    let mut wordy = wide("wordy");
    let words: Vec<String> = (0..60).map(|i| format!("term{i}x")).collect();
    wordy["ideal_customer_profile"] = json!(format!(
        "Companies with 20-500 employees {}",
        words.join(" ")
    ));
    let p = preview(&roomy, &key, &wordy).await.expect(200).body;
    assert_eq!(p["count_is_estimate"], true, "{p}");
}

#[tokio::test]
async fn a_key_over_its_preview_quota_gets_429_with_retry_after_and_keeps_its_rate_limit() {
    let app = app_with(&[
        ("PREVIEW_RATE_LIMIT_PER_MINUTE", "2"),
        ("PREVIEW_CACHE_TTL_SECONDS", "0"),
    ])
    .await;
    seeded(&app).await;
    let (_, key) = partner(&app).await;
    for _ in 0..2 {
        preview(&app, &key, &wide("q")).await.expect(200);
    }
    let refused = preview(&app, &key, &wide("q")).await.expect(429);
    assert_eq!(refused.code(), "RATE_LIMITED", "{}", refused.body);
    let retry: u64 = refused.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let error = &refused.body["error"];
    assert!(
        error["message"].is_string()
            && error["details"].is_array()
            && error["request_id"].is_string(),
        "the contract's error shape: {}",
        refused.body
    );
    // The headers stay the key's general limit, which the quota does not spend.
    assert_eq!(refused.rate("limit"), Some(600));
    assert!(refused.rate("remaining").is_some_and(|r| r >= 590));
    call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    // Another key of the same tenant has its own quota.
    let (tenant, _) = partner(&app).await;
    let other = key_for(&app, &tenant, PARTNER).await;
    preview(&app, &other, &wide("q")).await.expect(200);
}

#[tokio::test]
async fn an_identical_preview_is_answered_from_the_cache_until_a_blacklist_changes() {
    // A quota of one: whatever is not a cache hit after the first preview is refused.
    let app = app_with(&[("PREVIEW_RATE_LIMIT_PER_MINUTE", "1")]).await;
    seeded(&app).await;
    let (_, key) = partner(&app).await;
    let bl = create_blacklist(&app, &key).await;
    let mut body = wide("first");
    body["blacklist_ids"] = json!([bl]);
    let first = preview(&app, &key, &body).await.expect(200).body;

    // The same order after validation: another title, spacing, field order, a profile name.
    let same = json!({
        "profile_name": "never stored", "target_countries": [" Iceland "],
        "seller_offering": "Lead generation", "blacklist_ids": [bl],
        "ideal_customer_profile": "Companies with 20-500 employees, growing",
        "features": ["COMPANY_DATA"], "title": "second", "order_type": "DISCOVERY"
    });
    let hit = preview(&app, &key, &same).await.expect(200).body;
    assert_eq!(hit, first);
    assert_eq!(app.previews.len(), 1);

    // Another body is computed, so charged: over the quota.
    let mut other = body.clone();
    other["target_cities"] = json!(["Reykjavik"]);
    preview(&app, &key, &other).await.expect(429);

    // An entry added to the named blacklist makes the same body another preview.
    call("POST")
        .key(&key)
        .path("blacklist_id", &bl)
        .json(&json!({"entries": [{"website_url": "example.is"}]}))
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(200);
    preview(&app, &key, &body).await.expect(429);

    // Another tenant's identical body is not this tenant's answer.
    let (_, stranger) = partner(&app).await;
    preview(&app, &stranger, &wide("first")).await.expect(200);
    assert_eq!(app.previews.len(), 2);
}

#[tokio::test]
async fn the_catalog_store_reads_no_more_records_than_asked_of_a_larger_market() {
    let app = app().await;
    seeded(&app).await;
    let store = store::catalog::CatalogStore::of(&app.config, &app.db).unwrap();
    let named = engine::ports::markets(&["Iceland".to_string()], None);
    let sizes = store.market_sizes(&named).await.unwrap();
    let (largest, held) = sizes.iter().max_by_key(|(_, n)| **n).unwrap();
    assert!(*held > 10, "{sizes:?}");
    let market = std::slice::from_ref(largest);
    let all = store.candidates(market, &[]).await.unwrap();
    assert_eq!(all.records.len() as u64, *held);
    let ten = store
        .candidates_at_most(market, &[], Some(10))
        .await
        .unwrap();
    assert_eq!(ten.records.len(), 10);
    // Its statistics stay the whole market's (what ranking weighs terms by).
    assert_eq!(ten.corpus.docs, all.corpus.docs);
    let more = store
        .candidates_at_most(market, &[], Some(held + 5))
        .await
        .unwrap();
    assert_eq!(more.records.len() as u64, *held);
}
