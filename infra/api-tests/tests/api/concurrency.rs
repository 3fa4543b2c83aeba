//! DynamoDB's own semantics, which the serialised emulator does not have by itself
//! (`infra/local/dynamodb_semantics.py`): transaction conflicts, index lag, throttling and the
//! size limits. Each test turns them up for its own tenant only (a scope of the emulator: the
//! requests and items that mention the tenant), so the rest of the suite keeps the defaults.
use crate::harness::*;
use crate::run;
use crate::workflow_harness::lifecycle_ready;
use auth::Scope;
use domain::order::OrderStatus;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The emulator's DynamoDB behaviour for whatever mentions `scope`; answers its counters so far.
async fn emulate(scope: &str, settings: Value) -> Value {
    let mut body = settings;
    body["match"] = json!(scope);
    let r = reqwest::Client::new()
        .post(format!("{}/_emulation/dynamodb", stack_endpoint()))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

/// What the emulator did to the scope (a tenant id, URL-safe): `conflicts`, `throttled`,
/// `lagged_items`.
async fn counters(scope: &str) -> Value {
    let r = reqwest::get(format!(
        "{}/_emulation/dynamodb?match={scope}",
        stack_endpoint()
    ))
    .await
    .unwrap();
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

/// Transactions on the tenant's items hold them 50 ms (conflicts between overlapping requests,
/// as in AWS) and one write in five is refused as a conflict whatever the timing.
async fn conflicting(tenant: &str) {
    emulate(
        tenant,
        json!({"conflict_window_ms": 50, "conflict_rate": 0.2}),
    )
    .await;
}

#[tokio::test]
async fn twenty_concurrent_entry_additions_to_one_blacklist_all_land_with_an_exact_count() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let id = create_blacklist(&app, &key).await;
    conflicting(&tenant).await;
    // Each request adds its own company and one that every request adds: every addition moves
    // the one blacklist item's entry_count, so the transactions all meet on it.
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let req = call("POST")
                .key(&key)
                .path("blacklist_id", &id)
                .json(&json!({"entries": [
                    {"website_url": format!("https://www.customer-{i}.de")},
                    {"company_name": "Everyone's Customer GmbH", "country": "Germany"}
                ]}));
            let app = app.clone();
            tokio::spawn(async move { req.send(&app, run!(add_blacklist_entries)).await })
        })
        .collect();
    let (mut added, mut duplicates) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap().expect(200);
        added += r.body["added"].as_u64().unwrap();
        duplicates += r.body["duplicates"].as_u64().unwrap();
    }
    assert_eq!(
        (added, duplicates),
        (21, 19),
        "each company added once, the shared one a duplicate 19 times"
    );
    let bl = call("GET")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(get_blacklist))
        .await
        .expect(200);
    assert_eq!(bl.body["entry_count"], 21);
    let entries = call("GET")
        .key(&key)
        .path("blacklist_id", &id)
        .query("limit", 100)
        .send(&app, run!(list_blacklist_entries))
        .await
        .expect(200);
    assert_eq!(entries.body["total"], 21);
    assert!(
        counters(&tenant).await["conflicts"].as_u64().unwrap() > 0,
        "the additions met conflicts"
    );
}

#[tokio::test]
async fn ten_concurrent_creates_with_one_idempotency_key_make_one_order_and_nine_replays() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    // The creations also meet on the blacklist they all check.
    let blacklist = create_blacklist(&app, &key).await;
    conflicting(&tenant).await;
    let mut body = discovery_order();
    body["blacklist_ids"] = json!([blacklist]);
    // Rounds of ten, each with its own key, until the emulator has refused some write as a
    // conflict (one in five is, whatever the timing; on a loaded machine the ten may not overlap):
    // every round must hold, and at least one must have met a conflict.
    let mut rounds = 0;
    while rounds < 8 {
        rounds += 1;
        let idempotency_key = format!("q1-dach-{rounds}");
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let req = call("POST")
                    .key(&key)
                    .header("idempotency-key", &idempotency_key)
                    .json(&body);
                let app = app.clone();
                tokio::spawn(async move { req.send(&app, run!(create_order)).await })
            })
            .collect();
        let mut answers = BTreeSet::new();
        for t in tasks {
            let r = t.await.unwrap().expect(202);
            answers.insert((
                r.body["order_id"].as_str().unwrap().to_string(),
                r.body["status"].as_str().unwrap().to_string(),
            ));
        }
        assert_eq!(answers.len(), 1, "the same answer ten times: {answers:?}");
        let (order_id, status) = answers.into_iter().next().unwrap();
        assert_eq!(status, "RECEIVED");
        let orders = call("GET")
            .key(&key)
            .send(&app, run!(list_orders))
            .await
            .expect(200);
        assert_eq!(orders.body["total"], rounds, "one order per key");
        assert_eq!(orders.body["items"][0]["order_id"], order_id.as_str());
        let profiles = call("GET")
            .key(&key)
            .send(&app, run!(list_profiles))
            .await
            .expect(200);
        assert_eq!(
            profiles.body["total"], rounds,
            "one profile per key (its `profile_name`)"
        );
        if counters(&tenant).await["conflicts"].as_u64().unwrap() > 0 {
            break;
        }
    }
    assert!(
        counters(&tenant).await["conflicts"].as_u64().unwrap() > 0,
        "no conflict in {rounds} rounds"
    );
}

/// The chain of status events an order in `status` went through, by the timestamps it carries.
fn chain(order: &Value) -> Vec<&'static str> {
    let set = |f: &str| !order[f].is_null();
    let mut events = vec![];
    if set("accepted_at") {
        events.push("EVENT#ACCEPTED");
    }
    if !order["prospect_search_id"].is_null() {
        events.push("EVENT#IN_PROGRESS");
    }
    if set("completed_at") {
        events.push("EVENT#COMPLETED");
    }
    if set("cancelled_at") {
        events.push("EVENT#CANCELLED");
    }
    events
}

/// When the partner cancels an order an operator accepts.
#[derive(Clone, Copy, Debug)]
enum Cancel {
    /// At the same moment: accept and cancel race on the order item.
    WithTheAccept,
    /// Once the run is IN_PROGRESS: the cancel races the run's tasks and deliveries.
    DuringTheRun,
    /// Never: the run must complete, whatever conflicts its writes meet.
    Never,
}

/// Accepts the order and cancels it as `cancel` says; answers the cancel's status, if any.
async fn accept_and_cancel(
    app: Arc<api::app::App>,
    admin: String,
    partner: String,
    id: String,
    cancel: Cancel,
) -> Option<u16> {
    let accept = call("POST").key(&admin).path("order_id", &id);
    let cancelling = call("POST").key(&partner).path("order_id", &id);
    let answers = match cancel {
        Cancel::WithTheAccept => {
            let (a, c) = (app.clone(), app.clone());
            let (accepted, cancelled) = tokio::join!(
                tokio::spawn(async move { accept.send(&a, run!(admin_accept_order)).await }),
                tokio::spawn(async move { cancelling.send(&c, run!(cancel_order)).await }),
            );
            vec![accepted.unwrap(), cancelled.unwrap()]
        }
        Cancel::DuringTheRun => {
            let accepted = accept.send(&app, run!(admin_accept_order)).await;
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let status = order_status(&app, &partner, &id).await;
                if status != OrderStatus::Accepted {
                    break;
                }
                assert!(Instant::now() < deadline, "{id} never started");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            vec![accepted, cancelling.send(&app, run!(cancel_order)).await]
        }
        Cancel::Never => vec![accept.send(&app, run!(admin_accept_order)).await],
    };
    for r in &answers {
        assert!(
            r.status == 200 || (r.status == 409 && r.code() == "INVALID_STATUS_TRANSITION"),
            "{id} ({cancel:?}): {} {}",
            r.status,
            r.body
        );
    }
    answers.get(1).map(|r| r.status)
}

async fn order_status(app: &Arc<api::app::App>, key: &str, id: &str) -> OrderStatus {
    let order = call("GET")
        .key(key)
        .path("order_id", id)
        .send(app, run!(get_order))
        .await
        .expect(200)
        .body;
    serde_json::from_value(order["status"].clone()).unwrap()
}

#[tokio::test]
async fn accept_racing_cancel_under_conflicts_ends_consistent_with_a_clean_audit() {
    lifecycle_ready().await;
    let app = app().await;
    let admin = key_for(&app, "operators", &[Scope::Admin]).await;
    let (tenant, partner_key) = partner(&app).await;
    let plan = [
        Cancel::WithTheAccept,
        Cancel::WithTheAccept,
        Cancel::DuringTheRun,
        Cancel::DuringTheRun,
        Cancel::Never,
        Cancel::Never,
    ];
    let mut ids = vec![];
    for _ in plan {
        ids.push(create_order(&app, &partner_key, &discovery_order()).await);
    }
    // The transitions, the run's tasks and its deliveries all write the order item; half of the
    // tenant's writes are refused as conflicts at their first try.
    emulate(
        &tenant,
        json!({"conflict_window_ms": 50, "conflict_rate": 0.5}),
    )
    .await;
    let runs: Vec<_> = ids
        .iter()
        .zip(plan)
        .map(|(id, cancel)| {
            let (app, admin, partner, id) =
                (app.clone(), admin.clone(), partner_key.clone(), id.clone());
            tokio::spawn(accept_and_cancel(app, admin, partner, id, cancel))
        })
        .collect();
    let mut cancels = vec![];
    for r in runs {
        cancels.push(r.await.unwrap());
    }
    for ((id, cancel), answered) in ids.iter().zip(plan).zip(cancels) {
        let order = wait_until_settled(&app, &partner_key, id).await;
        // The partner's cancel decides: it wins unless the run completed first (then a 409). A
        // run never fails for a conflict: that would cancel the order with its reason.
        let expected = if answered == Some(200) {
            "CANCELLED"
        } else {
            "COMPLETED"
        };
        assert_eq!(
            order["status"], expected,
            "{cancel:?}, cancel {answered:?}: {order}"
        );
        assert!(order["admin_notes"].is_null(), "no run failed: {order}");
        let mut events = outbox_events(&app, &tenant, id).await;
        events.sort();
        let mut expected = chain(&order);
        expected.sort();
        assert_eq!(events, expected, "one event per status change: {order}");
    }
    let audit = ops::audit::audit(
        &app,
        &ops::audit::Options {
            tenant: Some(tenant.clone()),
            stuck_after: time::Duration::minutes(0),
        },
    )
    .await
    .unwrap();
    assert!(audit.is_clean(), "{audit:?}");
    assert_eq!(audit.orders, ids.len());
    assert!(counters(&tenant).await["conflicts"].as_u64().unwrap() > 0);
}

/// The order once no run works on it any more (its execution ended): its final state.
async fn wait_until_settled(app: &Arc<api::app::App>, key: &str, id: &str) -> Value {
    let sfn = sfn().await;
    let execution = api::usecases::lifecycle::execution_arn(app, id.parse().unwrap()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let order = call("GET")
            .key(key)
            .path("order_id", id)
            .send(app, run!(get_order))
            .await
            .expect(200)
            .body;
        let running = match sfn
            .describe_execution()
            .execution_arn(&execution)
            .send()
            .await
        {
            Ok(e) => e.status().as_str() == "RUNNING",
            Err(_) => false, // never started: the cancel came first
        };
        let status: OrderStatus = serde_json::from_value(order["status"].clone()).unwrap();
        if status.is_terminal() && !running {
            return order;
        }
        assert!(Instant::now() < deadline, "{id} still {order}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn index_lag_never_turns_a_valid_request_into_a_404() {
    let app = app().await;
    let admin = key_for(&app, "operators", &[Scope::Admin]).await;
    let tenant = new_tenant();
    // Whatever this tenant writes shows in the indexes only after ten minutes.
    emulate(&tenant, json!({"index_lag_ms": 600_000})).await;
    let key = key_for(&app, &tenant, PARTNER).await;

    // The operators' per-tenant secret endpoints know the tenant at once (a consistent read of
    // the tenant's marker), although the keys' index does not list its key yet.
    let sdk = ops::sdk_for(stack_endpoint()).await;
    let secrets = Arc::new(webhook_secrets::SecretsApp::with_key(
        app.clone(),
        &sdk,
        stack_env("WEBHOOK_SECRETS_KEY_ID"),
    ));
    let listed = call("GET")
        .key(&admin)
        .query("tenant_id", &tenant)
        .send(&app, run!(list_api_keys))
        .await
        .expect(200);
    assert_eq!(
        listed.body["items"],
        json!([]),
        "the index lags: {}",
        listed.body
    );
    // The total is the tenant's key counter, written with the key and read consistently.
    assert_eq!(listed.body["total"], 1, "{}", listed.body);
    let secret = call("GET")
        .key(&admin)
        .path("tenant_id", &tenant)
        .send_to(&secrets, admin_get_webhook_secret::handler)
        .await
        .expect(200);
    assert!(secret.body["secret"]
        .as_str()
        .unwrap()
        .starts_with("whsec_"));
    call("POST")
        .key(&admin)
        .path("tenant_id", &tenant)
        .send_to(&secrets, admin_rotate_webhook_secret::handler)
        .await
        .expect(200);
    call("GET")
        .key(&admin)
        .path("tenant_id", new_tenant())
        .send_to(&secrets, admin_get_webhook_secret::handler)
        .await
        .expect(404);

    // An order just placed: not yet in the review queue nor under its status, as AWS readers
    // may see it, but there for everything that acts on it.
    let fresh = create_order(&app, &key, &discovery_order()).await;
    let queued = review_queue(&app, &admin).await;
    assert!(!queued.contains(&fresh), "the review index lags");
    assert_eq!(
        listed_with_status(&app, &key, "RECEIVED").await,
        Vec::<String>::new()
    );
    let all = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(all.body["items"][0]["order_id"], fresh.as_str());
    call("GET")
        .key(&key)
        .path("order_id", &fresh)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    let reject = |id: &str, notes: &str| {
        call("POST")
            .key(&admin)
            .path("order_id", id)
            .json(&json!({"admin_notes": notes}))
    };
    let r = reject(&fresh, "Outside our markets")
        .send(&app, run!(admin_reject_order))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "CANCELLED");

    // An order the indexes caught up with, then rejected: they still show it RECEIVED. Acting
    // on the stale listing is answered by the order as it is (409), never a 404.
    emulate(&tenant, json!({"index_lag_ms": 0})).await;
    let settled = create_order(&app, &key, &discovery_order()).await;
    emulate(&tenant, json!({"index_lag_ms": 600_000})).await;
    reject(&settled, "Outside our markets")
        .send(&app, run!(admin_reject_order))
        .await
        .expect(200);
    assert!(review_queue(&app, &admin).await.contains(&settled));
    assert_eq!(
        listed_with_status(&app, &key, "RECEIVED").await,
        vec![settled.clone()]
    );
    let r = reject(&settled, "twice")
        .send(&app, run!(admin_reject_order))
        .await
        .expect(409);
    assert_eq!(r.code(), "INVALID_STATUS_TRANSITION");
    let r = call("POST")
        .key(&admin)
        .path("order_id", &settled)
        .send(&app, run!(admin_accept_order))
        .await
        .expect(409);
    assert_eq!(r.code(), "INVALID_STATUS_TRANSITION");
    assert!(counters(&tenant).await["lagged_items"].as_u64().unwrap() > 0);
}

async fn review_queue(app: &Arc<api::app::App>, admin: &str) -> Vec<String> {
    let mut ids = vec![];
    let mut offset = 0;
    loop {
        let page = call("GET")
            .key(admin)
            .query("limit", 100)
            .query("offset", offset)
            .send(app, run!(admin_list_orders))
            .await
            .expect(200)
            .body;
        let items = page["items"].as_array().unwrap();
        ids.extend(
            items
                .iter()
                .map(|o| o["order_id"].as_str().unwrap().to_string()),
        );
        offset += 100;
        if !page["has_more"].as_bool().unwrap() {
            return ids;
        }
    }
}

async fn listed_with_status(app: &Arc<api::app::App>, key: &str, status: &str) -> Vec<String> {
    call("GET")
        .key(key)
        .query("status", status)
        .send(app, run!(list_orders))
        .await
        .expect(200)
        .body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn throttling_on_demand_is_a_503_with_retry_after_and_ends_when_switched_off() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    emulate(&tenant, json!({"throttle_rate": 1})).await;
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(503);
    assert_eq!(r.code(), "SERVICE_UNAVAILABLE");
    assert!(r.retry_after.is_some());
    assert!(counters(&tenant).await["throttled"].as_u64().unwrap() >= 1);
    emulate(&tenant, json!({"throttle_rate": 0})).await;
    call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
}

#[tokio::test]
async fn the_emulator_enforces_the_item_size_and_transaction_limits_as_aws_does() {
    use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
    let app = app().await;
    let db = &app.db;
    let pk = format!("LIMITS#{}", uuid::Uuid::new_v4());
    let item = |sk: String, bytes: usize| {
        std::collections::HashMap::from([
            ("PK".to_string(), AttributeValue::S(pk.clone())),
            ("SK".to_string(), AttributeValue::S(sk)),
            ("body".to_string(), AttributeValue::S("x".repeat(bytes))),
        ])
    };
    let put = |sk: String, bytes: usize| {
        db.client
            .put_item()
            .table_name(&db.table)
            .set_item(Some(item(sk, bytes)))
    };
    put("under".into(), 390 * 1024).send().await.unwrap();
    let err = put("over".into(), 401 * 1024).send().await.unwrap_err();
    let code = |e: &dyn aws_sdk_dynamodb::error::ProvideErrorMetadata| {
        (e.code().map(String::from), e.message().map(String::from))
    };
    let (c, m) = code(err.as_service_error().unwrap());
    assert_eq!(c.as_deref(), Some("ValidationException"));
    assert!(m
        .unwrap()
        .contains("Item size has exceeded the maximum allowed size"));

    let transaction = |n: usize| {
        let items: Vec<TransactWriteItem> = (0..n)
            .map(|i| {
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(&db.table)
                            .set_item(Some(item(format!("{n}#{i:03}"), 10)))
                            .build()
                            .unwrap(),
                    )
                    .build()
            })
            .collect();
        db.client
            .transact_write_items()
            .set_transact_items(Some(items))
    };
    transaction(100).send().await.unwrap();
    let err = transaction(101).send().await.unwrap_err();
    let (c, m) = code(err.as_service_error().unwrap());
    assert_eq!(c.as_deref(), Some("ValidationException"));
    assert!(m
        .unwrap()
        .contains("Member must have length less than or equal to 100"));
}
