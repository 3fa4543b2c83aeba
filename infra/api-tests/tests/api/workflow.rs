//! The lifecycle on the real ASL, executed by the emulator (tests start the bridge themselves).
use crate::harness::*;
use crate::run;
use crate::workflow_harness::{call_count, inject, lifecycle_ready};
use auth::Scope;
use domain::blacklist::MatchKey;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Ctx {
    app: Arc<api::app::App>,
    admin: String,
    partner: String,
}

async fn ctx() -> Ctx {
    lifecycle_ready().await;
    let app = app().await;
    let admin = key_for(&app, "operators", &[Scope::Admin]).await;
    let (_, partner) = partner(&app).await;
    Ctx {
        app,
        admin,
        partner,
    }
}

fn discovery(webhook: bool) -> Value {
    let mut o = json!({
        "order_type": "DISCOVERY", "title": "DACH SaaS", "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS"],
        "ideal_customer_profile": "Mid-market B2B SaaS companies in the DACH region with 50-500 employees, HR and finance software",
        "seller_offering": "Lead generation", "target_countries": ["Germany", "Austria", "Switzerland"],
        "target_cities": ["Berlin", "Munich", "Vienna"], "excluded_industries": ["Government"], "output_language": "en"
    });
    if webhook {
        o["webhook_url"] = json!("http://127.0.0.1:9/hooks/openprospect");
    }
    o
}

/// Most submitted companies carry the website of a demo-catalog company (matched by domain); one
/// in 25 only a name (matched by name, or kept as submitted).
fn enrichment(n: usize) -> Value {
    let catalog = catalog_gen::generate(3000, 5);
    let companies: Vec<Value> = (0..n)
        .map(|i| match i % 25 {
            0 => json!({"external_id": format!("crm-{i}"), "company_name": format!("Company {i} GmbH"), "city": "Berlin", "country": "Germany"}),
            _ => json!({"external_id": format!("crm-{i}"), "website_url": catalog[i % 3000].website_url}),
        })
        .collect();
    json!({"order_type": "ENRICHMENT", "title": "CRM", "features": ["COMPANY_DATA"], "companies": companies})
}

async fn accept(c: &Ctx, id: &str) -> Reply {
    call("POST")
        .key(&c.admin)
        .path("order_id", id)
        .send(&c.app, run!(admin_accept_order))
        .await
}

async fn status(c: &Ctx, id: &str) -> Value {
    call("GET")
        .key(&c.partner)
        .path("order_id", id)
        .send(&c.app, run!(get_order))
        .await
        .expect(200)
        .body
}

async fn wait_for(c: &Ctx, id: &str, want: &[&str], within: Duration) -> Value {
    let start = Instant::now();
    loop {
        let s = status(c, id).await;
        if want.contains(&s["status"].as_str().unwrap()) {
            return s;
        }
        assert!(
            start.elapsed() < within,
            "order {id} still {} after {within:?}",
            s["status"]
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The order's status once it is COMPLETED or CANCELLED.
async fn finished(c: &Ctx, id: &str, within: Duration) -> Value {
    wait_for(c, id, &["COMPLETED", "CANCELLED"], within).await
}

async fn all_results(c: &Ctx, id: &str) -> Vec<Value> {
    let mut out = vec![];
    let mut offset = 0;
    loop {
        let r = call("GET")
            .key(&c.partner)
            .path("order_id", id)
            .query("limit", 100)
            .query("offset", offset)
            .send(&c.app, run!(get_order_results))
            .await
            .expect(200);
        out.extend(r.body["items"].as_array().unwrap().iter().cloned());
        if !r.body["has_more"].as_bool().unwrap() {
            return out;
        }
        offset += 100;
    }
}

/// `order.status_changed` messages on the webhook queue for these orders (others' are released).
async fn events_for(orders: &HashSet<String>, expected: usize) -> BTreeMap<String, Vec<Value>> {
    let sqs = &sqs().await;
    let queue = stack_env("WEBHOOK_QUEUE_URL");
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let start = Instant::now();
    while out.values().map(Vec::len).sum::<usize>() < expected
        && start.elapsed() < Duration::from_secs(20)
    {
        let got = sqs
            .receive_message()
            .queue_url(&queue)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .unwrap();
        for m in got.messages() {
            let message: Value = serde_json::from_str(m.body().unwrap()).unwrap();
            let body = message["event"].clone();
            let order = body["payload"]["order_id"].as_str().unwrap().to_string();
            if orders.contains(&order) {
                assert_eq!(
                    message["attempt"], 1,
                    "the request path sends first attempts"
                );
                out.entry(order).or_default().push(body);
                sqs.delete_message()
                    .queue_url(&queue)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            } else {
                sqs.change_message_visibility()
                    .queue_url(&queue)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .visibility_timeout(0)
                    .send()
                    .await
                    .unwrap();
            }
        }
    }
    out
}

fn transitions(events: &[Value]) -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (
                e["payload"]["previous_status"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                e["payload"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let rank = |s: &str| {
        [
            "RECEIVED",
            "ACCEPTED",
            "IN_PROGRESS",
            "COMPLETED",
            "CANCELLED",
        ]
        .iter()
        .position(|x| *x == s)
        .unwrap()
    };
    t.sort_by_key(|(a, b)| (rank(a), rank(b)));
    t
}

#[tokio::test]
async fn discovery_happy_path_with_events() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &discovery(true)).await;
    let r = accept(&c, &id).await.expect(200);
    assert_eq!(r.body["status"], "ACCEPTED");
    let done = finished(&c, &id, Duration::from_secs(90)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert!(
        done["prospect_search_id"].is_string()
            && done["accepted_at"].is_string()
            && done["completed_at"].is_string()
    );
    let results = all_results(&c, &id).await;
    assert!(!results.is_empty());
    assert_eq!(
        done["company_count"].as_u64().unwrap() as usize,
        results.len()
    );
    assert!(
        done["estimated_cost"]["total"].as_f64().unwrap() > 0.0,
        "cost set when discovery finishes"
    );
    assert!(results
        .iter()
        .all(|r| r["source_id"].is_null() && r["match_score"].as_u64().unwrap() >= 5));
    assert!(
        results
            .windows(2)
            .all(|w| w[0]["match_score"].as_u64() >= w[1]["match_score"].as_u64()),
        "best first"
    );
    let events = events_for(&HashSet::from([id.clone()]), 3).await;
    let t = transitions(&events[&id]);
    assert_eq!(
        t,
        vec![
            ("RECEIVED".into(), "ACCEPTED".into()),
            ("ACCEPTED".into(), "IN_PROGRESS".into()),
            ("IN_PROGRESS".into(), "COMPLETED".into())
        ]
    );
    let ids: HashSet<&str> = events[&id]
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "a stable, distinct id per event");
    assert_eq!(events[&id][0]["payload"]["event"], "order.status_changed");
}

#[tokio::test]
async fn enrichment_of_2500_companies_in_submission_order() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &enrichment(2500)).await;
    accept(&c, &id).await.expect(200);
    let done = finished(&c, &id, Duration::from_secs(900)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    let results = all_results(&c, &id).await;
    assert_eq!(results.len(), 2500);
    let sources: Vec<String> = results
        .iter()
        .map(|r| r["source_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        sources,
        (0..2500).map(|i| format!("crm-{i}")).collect::<Vec<_>>(),
        "one result per company, in submission order"
    );
    assert_eq!(
        call_count(&id, "enrich-batch"),
        28,
        "2,500 companies in 28 batches of at most 90"
    );
    assert_eq!(done["company_count"], 2500);
}

#[tokio::test]
async fn reject_needs_notes_and_ends_the_order() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &discovery(false)).await;
    let r = call("POST")
        .key(&c.admin)
        .path("order_id", &id)
        .json(&json!({}))
        .send(&c.app, run!(admin_reject_order))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), vec!["admin_notes"]);
    let queue = call("GET")
        .key(&c.admin)
        .query("limit", 100)
        .send(&c.app, run!(admin_list_orders))
        .await
        .expect(200);
    assert!(
        queue.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["order_id"] == id.as_str()),
        "in the review queue"
    );
    let r = call("POST")
        .key(&c.admin)
        .path("order_id", &id)
        .json(&json!({"admin_notes": "Target countries not served yet"}))
        .send(&c.app, run!(admin_reject_order))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "CANCELLED");
    let s = status(&c, &id).await;
    assert_eq!(
        (s["status"].as_str(), s["admin_notes"].as_str()),
        (Some("CANCELLED"), Some("Target countries not served yet"))
    );
    accept(&c, &id).await.expect(409);
    call("POST")
        .key(&c.partner)
        .path("order_id", &id)
        .json(&json!({"admin_notes": "x"}))
        .send(&c.app, run!(admin_reject_order))
        .await
        .expect(403);
}

#[tokio::test]
async fn review_queue_is_express_first_then_oldest() {
    let c = ctx().await;
    let mut normal = discovery(false);
    normal["title"] = json!("normal");
    let first_normal = create_order(&c.app, &c.partner, &normal).await;
    let mut express = discovery(false);
    express["priority"] = json!("EXPRESS");
    let express_id = create_order(&c.app, &c.partner, &express).await;
    let r = call("GET")
        .key(&c.admin)
        .query("limit", 100)
        .send(&c.app, run!(admin_list_orders))
        .await
        .expect(200);
    let order: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    let (e, n) = (
        order.iter().position(|x| *x == express_id).unwrap(),
        order.iter().position(|x| *x == first_normal).unwrap(),
    );
    assert!(e < n, "EXPRESS before NORMAL");
    let priorities: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["priority"].as_str().unwrap())
        .collect();
    let first_normal_pos = priorities
        .iter()
        .position(|p| *p == "NORMAL")
        .unwrap_or(priorities.len());
    assert!(priorities[first_normal_pos..]
        .iter()
        .all(|p| *p == "NORMAL"));
    assert!(
        r.body["items"][0]["tenant_id"].is_string(),
        "operators see the tenant"
    );
}

#[tokio::test]
async fn cancel_in_received_and_accepted() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &discovery(false)).await;
    call("POST")
        .key(&c.partner)
        .path("order_id", &id)
        .send(&c.app, run!(cancel_order))
        .await
        .expect(200);
    accept(&c, &id).await.expect(409);

    // Hold the run in ACCEPTED (start-processing keeps failing transiently), then cancel.
    let id = create_order(&c.app, &c.partner, &discovery(false)).await;
    inject(&id, "start-processing", &["Retryable", "Retryable"]);
    accept(&c, &id).await.expect(200);
    assert_eq!(status(&c, &id).await["status"], "ACCEPTED");
    call("POST")
        .key(&c.partner)
        .path("order_id", &id)
        .send(&c.app, run!(cancel_order))
        .await
        .expect(200);
    tokio::time::sleep(Duration::from_secs(8)).await; // the retries run out their backoff
    let s = status(&c, &id).await;
    assert_eq!(s["status"], "CANCELLED");
    assert!(
        s["prospect_search_id"].is_null(),
        "the run never started processing"
    );
    assert!(all_results(&c, &id).await.is_empty());
}

#[tokio::test]
async fn cancel_during_the_map_stops_delivery() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &enrichment(2500)).await;
    accept(&c, &id).await.expect(200);
    let start = Instant::now();
    loop {
        let r = call("GET")
            .key(&c.partner)
            .path("order_id", &id)
            .query("limit", 1)
            .send(&c.app, run!(get_order_results))
            .await
            .expect(200);
        if r.body["total"].as_u64().unwrap() > 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no batch delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = call("POST")
        .key(&c.partner)
        .path("order_id", &id)
        .send(&c.app, run!(cancel_order))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "CANCELLED");
    let at_cancel = all_results(&c, &id).await.len();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let later = all_results(&c, &id).await.len();
    assert!(later < 2500, "the run stopped");
    assert!(
        later <= at_cancel + 90,
        "at most the batch being written when the cancel landed"
    );
    let after = all_results(&c, &id).await.len();
    assert_eq!(
        later, after,
        "no result is delivered after the cancellation"
    );
    assert_eq!(status(&c, &id).await["status"], "CANCELLED");
}

#[tokio::test]
async fn a_transient_failure_is_retried_then_succeeds() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &discovery(false)).await;
    inject(&id, "discover", &["Retryable", "Retryable"]);
    accept(&c, &id).await.expect(200);
    let done = finished(&c, &id, Duration::from_secs(90)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert!(
        call_count(&id, "discover") >= 3,
        "two failures, then the retry that succeeded"
    );
}

#[tokio::test]
async fn a_permanent_failure_cancels_with_notes() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &enrichment(100)).await;
    inject(&id, "enrich-batch", &["Permanent"]);
    accept(&c, &id).await.expect(200);
    let done = finished(&c, &id, Duration::from_secs(90)).await;
    assert_eq!(done["status"], "CANCELLED", "{done}");
    let notes = done["admin_notes"].as_str().unwrap();
    assert!(
        notes.contains("could not complete this order") && !notes.contains("injected"),
        "{notes}"
    );
    assert!(done["cancelled_at"].is_string());
}

/// When fail-order itself fails, the state machine's last resort records the order under STUCK;
/// the audit lists it, and the repair command ends it with a note and its event.
#[tokio::test]
async fn an_order_the_run_cannot_end_is_recorded_listed_and_repaired() {
    let c = ctx().await;
    let tenant = s_tenant(&c).await;
    let id = create_order(&c.app, &c.partner, &enrichment(100)).await;
    inject(&id, "enrich-batch", &["Permanent"]);
    inject(&id, "fail-order", &["Boom"]);
    accept(&c, &id).await.expect(200);
    let start = Instant::now();
    while !ops::audit::recorded_stuck(&c.app)
        .await
        .unwrap()
        .contains(&id)
    {
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "recorded as stuck"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(status(&c, &id).await["status"], "IN_PROGRESS");
    let opts = ops::audit::Options {
        tenant: Some(tenant),
        stuck_after: time::Duration::minutes(0),
    };
    let before = ops::audit::audit(&c.app, &opts).await.unwrap();
    assert_eq!(before.stuck, 1, "{before:?}");

    let uuid: uuid::Uuid = id.parse().unwrap();
    let repaired = ops::audit::repair(&c.app, uuid, None, false).await.unwrap();
    assert_eq!(repaired, domain::order::OrderStatus::Cancelled);
    let done = status(&c, &id).await;
    assert_eq!(done["status"], "CANCELLED");
    assert!(done["admin_notes"]
        .as_str()
        .unwrap()
        .contains("will not be charged"));
    assert!(!ops::audit::recorded_stuck(&c.app)
        .await
        .unwrap()
        .contains(&id));
    let after = ops::audit::audit(&c.app, &opts).await.unwrap();
    assert!(after.is_clean(), "{after:?}");
    // A terminal order is not "repaired" again.
    assert!(ops::audit::repair(&c.app, uuid, None, true).await.is_err());
}

/// The same over the API the console calls: the recorded order is listed with its run over, and
/// the operator's repair ends it with a note and its event, once, however often it is sent.
#[tokio::test]
async fn an_order_the_run_cannot_end_is_listed_and_repaired_through_the_admin_api() {
    let c = ctx().await;
    let tenant = s_tenant(&c).await;
    let id = create_order(&c.app, &c.partner, &enrichment(50)).await;
    inject(&id, "enrich-batch", &["Permanent"]);
    inject(&id, "fail-order", &["Boom"]);
    accept(&c, &id).await.expect(200);
    let start = Instant::now();
    while !ops::audit::recorded_stuck(&c.app)
        .await
        .unwrap()
        .contains(&id)
    {
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "recorded as stuck"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // The run records the order as its last step: wait until it has ended too.
    let arn = api::usecases::lifecycle::execution_arn(&c.app, id.parse().unwrap()).unwrap();
    while c.app.runs.running(&arn).await.unwrap() {
        assert!(start.elapsed() < Duration::from_secs(120), "the run ends");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (mut listed, mut offset) = (None, 0);
    while listed.is_none() {
        let r = call("GET")
            .key(&c.admin)
            .query("stuck_after_minutes", 0)
            .query("limit", 100)
            .query("offset", offset)
            .send(&c.app, run!(admin_list_stuck_orders))
            .await
            .expect(200);
        let items = r.body["items"].as_array().unwrap().clone();
        listed = items
            .iter()
            .find(|i| i["order"]["order_id"] == id.as_str())
            .cloned();
        offset += items.len();
        assert!(
            listed.is_some() || r.body["has_more"] == true,
            "{id} listed"
        );
    }
    let listed = listed.unwrap();
    assert_eq!(listed["order"]["tenant_id"], tenant.as_str());
    assert_eq!(listed["order"]["status"], "IN_PROGRESS");
    assert_eq!(listed["execution_running"], false);
    assert_eq!(listed["recorded_stuck"], true);

    for _ in 0..2 {
        let r = call("POST")
            .key(&c.admin)
            .path("order_id", &id)
            .send(&c.app, run!(admin_repair_order))
            .await
            .expect(200);
        assert_eq!(r.body["status"], "CANCELLED");
    }
    let done = status(&c, &id).await;
    assert_eq!(done["status"], "CANCELLED");
    assert!(done["admin_notes"]
        .as_str()
        .unwrap()
        .contains("will not be charged"));
    assert_eq!(
        outbox_events(&c.app, &tenant, &id).await,
        ["EVENT#ACCEPTED", "EVENT#CANCELLED", "EVENT#IN_PROGRESS"]
    );
    assert!(!ops::audit::recorded_stuck(&c.app)
        .await
        .unwrap()
        .contains(&id));
}

/// Holds every homepage fetch until `release` is closed, and says when the first one began: a run
/// that is demonstrably still going, for as long as a test needs.
struct HeldFetches {
    entered: tokio::sync::Notify,
    release: tokio::sync::Semaphore,
}

#[async_trait::async_trait]
impl engine::technologies::PageFetcher for HeldFetches {
    async fn fetch(
        &self,
        url: &str,
    ) -> Result<engine::technologies::PageSnapshot, engine::technologies::FetchError> {
        self.entered.notify_one();
        // Closed, it lets every fetch through at once.
        let _ = self.release.acquire().await;
        Err(engine::technologies::FetchError::Unresolvable(url.into()))
    }
}

/// An order whose run is still going is listed as such and not repaired (409), however long ago
/// it was accepted; once the run ends, it is not stuck.
#[tokio::test]
async fn an_order_whose_run_is_going_is_listed_as_running_and_not_repaired() {
    let c = ctx().await;
    let mut body = enrichment(20);
    body["features"] = json!(["COMPANY_DATA", "TECHNOLOGIES"]);
    let id = create_order(&c.app, &c.partner, &body).await;
    let held = Arc::new(HeldFetches {
        entered: tokio::sync::Notify::new(),
        release: tokio::sync::Semaphore::new(0),
    });
    let fetcher: Arc<dyn engine::technologies::PageFetcher> = held.clone();
    let engine = crate::workflow_harness::engine_with(
        Arc::new(engine::email::StaticMx(Default::default())),
        Some(fetcher),
    )
    .await;
    crate::workflow_harness::run_order_with(&id, engine, Duration::from_secs(120));
    accept(&c, &id).await.expect(200);
    tokio::time::timeout(Duration::from_secs(90), held.entered.notified())
        .await
        .expect("the run fetches a homepage");

    let (mut listed, mut offset) = (None, 0);
    while listed.is_none() {
        let r = call("GET")
            .key(&c.admin)
            .query("stuck_after_minutes", 0)
            .query("limit", 100)
            .query("offset", offset)
            .send(&c.app, run!(admin_list_stuck_orders))
            .await
            .expect(200);
        let items = r.body["items"].as_array().unwrap().clone();
        listed = items
            .iter()
            .find(|i| i["order"]["order_id"] == id.as_str())
            .cloned();
        offset += items.len();
        assert!(
            listed.is_some() || r.body["has_more"] == true,
            "{id} listed"
        );
    }
    let listed = listed.unwrap();
    assert_eq!(listed["execution_running"], true);
    assert_eq!(listed["recorded_stuck"], false);
    let r = call("POST")
        .key(&c.admin)
        .path("order_id", &id)
        .send(&c.app, run!(admin_repair_order))
        .await
        .expect(409);
    assert_eq!(r.code(), "INVALID_STATUS_TRANSITION");
    assert_eq!(status(&c, &id).await["status"], "IN_PROGRESS");

    held.release.close();
    let done = finished(&c, &id, Duration::from_secs(120)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    call("POST")
        .key(&c.admin)
        .path("order_id", &id)
        .send(&c.app, run!(admin_repair_order))
        .await
        .expect(409);
}

#[tokio::test]
async fn duplicate_and_concurrent_accepts_start_one_run() {
    let c = Arc::new(ctx().await);
    let id = create_order(&c.app, &c.partner, &enrichment(10)).await;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (c, id) = (c.clone(), id.clone());
            tokio::spawn(async move { accept(&c, &id).await })
        })
        .collect();
    for t in tasks {
        let r = t.await.unwrap();
        assert!(r.status == 200, "{} {}", r.status, r.body);
    }
    let done = wait_for(&c, &id, &["COMPLETED"], Duration::from_secs(90)).await;
    accept(&c, &id).await.expect(409);
    assert_eq!(call_count(&id, "start-processing"), 1, "one run");
    let sm = stack_env("STATE_MACHINE_ARN");
    let sfn = &sfn().await;
    let execs = sfn
        .list_executions()
        .state_machine_arn(&sm)
        .max_results(1000)
        .send()
        .await
        .unwrap();
    assert_eq!(
        execs.executions().iter().filter(|e| e.name() == id).count(),
        1
    );
    assert_eq!(done["company_count"], 10);
}

#[tokio::test]
async fn racing_accepts_and_cancels_leave_legal_states_and_deliver_each_transition_once() {
    let c = Arc::new(ctx().await);
    // The dispatcher on the real webhook queue, delivering to a receiver on a local port.
    let hooks = crate::webhooks::hooks_on(
        &stack_env("WEBHOOK_QUEUE_URL"),
        &stack_env("WEBHOOK_DEAD_LETTER_QUEUE_URL"),
        1.0 / 3600.0,
        Duration::from_secs(2),
        true,
    )
    .await;
    let mut order = discovery(true);
    order["webhook_url"] = json!(hooks.receiver.url("/race"));
    let mut ids = vec![];
    for _ in 0..20 {
        ids.push(create_order(&c.app, &c.partner, &order).await);
    }
    let tasks: Vec<_> = ids
        .iter()
        .flat_map(|id| {
            let (c1, id1, c2, id2) = (c.clone(), id.clone(), c.clone(), id.clone());
            [
                tokio::spawn(async move { accept(&c1, &id1).await.status }),
                tokio::spawn(async move {
                    call("POST")
                        .key(&c2.partner)
                        .path("order_id", &id2)
                        .send(&c2.app, run!(cancel_order))
                        .await
                        .status
                }),
            ]
        })
        .collect();
    for t in tasks {
        let s = t.await.unwrap();
        assert!(s == 200 || s == 409, "{s}");
    }
    let mut expected_events = 0;
    let mut finals = BTreeMap::new();
    for id in &ids {
        let s = wait_for(
            &c,
            id,
            &["COMPLETED", "CANCELLED"],
            Duration::from_secs(120),
        )
        .await;
        let ts = |f: &str| s[f].as_str().map(String::from);
        match s["status"].as_str().unwrap() {
            "CANCELLED" => {
                assert!(ts("cancelled_at").is_some() && ts("completed_at").is_none());
                if let Some(acc) = ts("accepted_at") {
                    assert!(acc <= ts("cancelled_at").unwrap());
                }
            }
            "COMPLETED" => {
                assert!(
                    ts("accepted_at").unwrap() <= ts("completed_at").unwrap()
                        && ts("cancelled_at").is_none()
                );
            }
            other => panic!("illegal final state {other}"),
        }
        // The outbox holds exactly the transitions the order went through.
        let outbox = outbox_events(&c.app, &s_tenant(&c).await, id).await.len() as i32;
        expected_events += outbox as usize;
        finals.insert(
            id.clone(),
            (s["status"].as_str().unwrap().to_string(), outbox),
        );
    }
    let tenants = HashSet::from([s_tenant(&c).await]);
    let all_delivered = || {
        let ok: HashSet<String> = hooks
            .receiver
            .all()
            .iter()
            .filter(|r| r.answered == Some(200))
            .map(|r| r.header("webhook-id").to_string())
            .collect();
        ok.len() >= expected_events
    };
    let queue = stack_env("WEBHOOK_QUEUE_URL");
    assert!(
        crate::webhooks::pump(
            &hooks.dispatcher,
            &queue,
            &tenants,
            Duration::from_secs(120),
            all_delivered
        )
        .await,
        "every transition delivered"
    );
    // Nothing more arrives: no transition is delivered twice.
    crate::webhooks::pump(
        &hooks.dispatcher,
        &queue,
        &tenants,
        Duration::from_secs(2),
        || false,
    )
    .await;
    let secret = call("GET")
        .key(&c.partner)
        .send_to(&hooks.secrets, get_webhook_secret::handler)
        .await
        .expect(200)
        .body["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let received = hooks.receiver.all();
    let ids_seen: Vec<&str> = received.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(
        ids_seen.len(),
        ids_seen.iter().collect::<HashSet<_>>().len(),
        "each transition exactly once by event id"
    );
    let mut events: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for r in &received {
        assert!(crate::webhooks::verifies(&secret, r));
        let payload: Value = serde_json::from_slice(&r.body).unwrap();
        let order = payload["order_id"].as_str().unwrap().to_string();
        events
            .entry(order)
            .or_default()
            .push(json!({ "payload": payload }));
    }
    for id in &ids {
        let (final_status, outbox_count) = &finals[id];
        let t = transitions(events.get(id).map(Vec::as_slice).unwrap_or_default());
        assert_eq!(
            t.len() as i32,
            *outbox_count,
            "{id}: one delivery per transition, no duplicates"
        );
        let mut at = "RECEIVED".to_string();
        for (from, to) in &t {
            assert_eq!(from, &at, "{id}: chained transitions {t:?}");
            at = to.clone();
        }
        assert_eq!(
            &at, final_status,
            "{id}: deliveries end in the final status"
        );
    }
    // The operators' audit agrees: nothing lost, doubled, misordered, missing or stuck.
    let audit = audit_tenant(&c).await;
    assert!(audit.is_clean(), "{audit:?}");
    assert_eq!(audit.orders, 20);
}

/// The operators' audit of this test's tenant; a non-terminal order counts as stuck at once.
async fn audit_tenant(c: &Ctx) -> ops::audit::Report {
    let opts = ops::audit::Options {
        tenant: Some(s_tenant(c).await),
        stuck_after: time::Duration::minutes(0),
    };
    ops::audit::audit(&c.app, &opts).await.unwrap()
}

async fn s_tenant(c: &Ctx) -> String {
    c.app
        .authenticate(
            Some(&format!("Bearer {}", c.partner)),
            Scope::OrdersRead,
            None,
        )
        .await
        .unwrap()
        .tenant_id
}

/// DynamoDB throttles one request in five of 20 concurrent orders' runs (answered by the fault
/// proxy, never executed): every order completes, with exactly its results.
#[tokio::test]
async fn throttling_one_request_in_five_during_twenty_orders_loses_nothing() {
    use crate::fault_proxy::{proxy, Fault};
    let c = Arc::new(ctx().await);
    let before = proxy().injected.load(std::sync::atomic::Ordering::SeqCst);
    let mut ids = vec![];
    for i in 0..20 {
        let body = if i % 2 == 0 {
            enrichment(60)
        } else {
            discovery(false)
        };
        ids.push(create_order(&c.app, &c.partner, &body).await);
    }
    for id in &ids {
        proxy().inject(id, Fault::Throttle(5));
    }
    let accepts: Vec<_> = ids
        .iter()
        .map(|id| {
            let (c, id) = (c.clone(), id.clone());
            tokio::spawn(async move { accept(&c, &id).await.status })
        })
        .collect();
    for a in accepts {
        assert_eq!(a.await.unwrap(), 200);
    }
    for (i, id) in ids.iter().enumerate() {
        let s = wait_for(
            &c,
            id,
            &["COMPLETED", "CANCELLED"],
            Duration::from_secs(240),
        )
        .await;
        assert_eq!(s["status"], "COMPLETED", "{s}");
        if i % 2 == 0 {
            assert_eq!(s["company_count"], 60);
        }
    }
    for id in &ids {
        proxy().heal(id);
    }
    assert!(proxy().injected.load(std::sync::atomic::Ordering::SeqCst) > before);
    let audit = audit_tenant(&c).await;
    assert!(audit.is_clean(), "{audit:?}");
    assert_eq!(audit.orders, 20);
}

/// The AWS calls of 10 running orders stall or are refused for several seconds, then heal (the emulator keeps
/// its state): API requests in the gap answer 503 with the envelope, and afterwards every order
/// ends COMPLETED with exact results or CANCELLED with notes for the partner.
#[tokio::test]
async fn an_outage_in_the_middle_of_ten_orders_answers_503_and_loses_nothing() {
    use crate::fault_proxy::{proxy, Fault};
    let c = Arc::new(ctx().await);
    let api = app_through_proxy(&[
        ("AWS_ATTEMPT_TIMEOUT_SECONDS", "2"),
        ("AWS_OPERATION_TIMEOUT_SECONDS", "5"),
    ])
    .await;
    let mut ids = vec![];
    for _ in 0..10 {
        ids.push(create_order(&c.app, &c.partner, &enrichment(200)).await);
    }
    for id in &ids {
        accept(&c, id).await.expect(200);
    }
    wait_for(
        &c,
        &ids[0],
        &["IN_PROGRESS", "COMPLETED"],
        Duration::from_secs(60),
    )
    .await;
    // The outage: every call about these orders stalls or is refused for 12 s; the emulator
    // keeps its state.
    let outage = Instant::now();
    for (i, id) in ids.iter().enumerate() {
        proxy().inject(
            id,
            if i % 2 == 0 {
                Fault::Stall
            } else {
                Fault::Refuse
            },
        );
    }
    let r = call("GET")
        .key(&c.partner)
        .path("order_id", &ids[0])
        .send(&api, run!(get_order))
        .await
        .expect(503);
    assert_eq!(r.code(), "SERVICE_UNAVAILABLE");
    assert!(r.retry_after.is_some());
    // A new order in the gap (the tenant's calls are refused) answers 503 and leaves nothing:
    // the audit below counts exactly the ten orders.
    let tenant = s_tenant(&c).await;
    proxy().inject(&tenant, Fault::Refuse);
    let r = call("POST")
        .key(&c.partner)
        .json(&enrichment(50))
        .send(&api, run!(create_order))
        .await
        .expect(503);
    assert_eq!(r.code(), "SERVICE_UNAVAILABLE");
    proxy().heal(&tenant);
    tokio::time::sleep_until((outage + Duration::from_secs(12)).into()).await;
    for id in &ids {
        proxy().heal(id);
    }
    for id in &ids {
        let s = wait_for(
            &c,
            id,
            &["COMPLETED", "CANCELLED"],
            Duration::from_secs(240),
        )
        .await;
        match s["status"].as_str().unwrap() {
            "COMPLETED" => assert_eq!(s["company_count"], 200),
            _ => assert!(
                s["admin_notes"]
                    .as_str()
                    .unwrap()
                    .contains("will not be charged"),
                "{s}"
            ),
        }
    }
    let audit = audit_tenant(&c).await;
    assert!(audit.is_clean(), "{audit:?}");
    assert_eq!(audit.orders, 10);
}

/// Every batch of an order dies once mid-way (after 0-200 ms: before, between or during its
/// writes) and is retried: the results are exact, in submission order, none doubled.
#[tokio::test]
async fn a_batch_dying_mid_way_and_retried_never_doubles_or_reorders_results() {
    let c = ctx().await;
    let id = create_order(&c.app, &c.partner, &enrichment(400)).await;
    crate::workflow_harness::crash_each_batch_once(&id, Duration::from_millis(20));
    accept(&c, &id).await.expect(200);
    let s = finished(&c, &id, Duration::from_secs(240)).await;
    assert_eq!(s["status"], "COMPLETED", "{s}");
    assert_eq!(s["company_count"], 400);
    let results = all_results(&c, &id).await;
    let expected: Vec<String> = (0..400).map(|i| format!("crm-{i}")).collect();
    let got: Vec<String> = results
        .iter()
        .map(|r| r["source_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);
    let audit = audit_tenant(&c).await;
    assert!(audit.is_clean(), "{audit:?}");
    // Wherever the crashes fell (before, in or after a delivery and its recording), each
    // delivered company is in the tenant's register once, and counted once.
    let (keys, recorded) = crate::results::register(&c.app, &s_tenant(&c).await).await;
    let delivered: HashSet<MatchKey> = results.iter().map(delivered_key).collect();
    assert_eq!(delivered.len(), 400);
    assert_eq!(keys.len(), 400, "no company recorded twice");
    assert_eq!(keys.into_iter().collect::<HashSet<_>>(), delivered);
    assert_eq!(recorded, 400);
}

/// The key a delivered result is recorded under, from the result as the API returns it.
fn delivered_key(r: &Value) -> MatchKey {
    let r: domain::results::CompanyResult = serde_json::from_value(r.clone()).unwrap();
    engine::blacklist_match::result_delivered_key(&r).unwrap()
}

/// The guide's discovery with `exclude_delivered`, twice with the same body: the second delivers
/// none of the first's companies and says how many it skipped; a preview of the same body in
/// between leaves them out too.
#[tokio::test]
async fn a_discovery_excluding_delivered_companies_run_twice_delivers_none_twice() {
    let c = ctx().await;
    let mut body = discovery(false);
    body["exclude_delivered"] = json!(true);
    let first = create_order(&c.app, &c.partner, &body).await;
    assert_eq!(
        status(&c, &first).await["excluded_delivered_count"],
        Value::Null
    );
    accept(&c, &first).await.expect(200);
    let done = finished(&c, &first, Duration::from_secs(90)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert_eq!(done["exclude_delivered"], true);
    assert_eq!(
        done["excluded_delivered_count"], 0,
        "nothing delivered before"
    );
    let a: HashSet<MatchKey> = all_results(&c, &first)
        .await
        .iter()
        .map(delivered_key)
        .collect();
    assert!(!a.is_empty());

    let mut plain = body.clone();
    plain["exclude_delivered"] = json!(false);
    let shown = |r: &Reply| -> Vec<MatchKey> {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(delivered_key)
            .collect()
    };
    let with_flag = preview(&c, &c.partner, &body).await.expect(200);
    let without = preview(&c, &c.partner, &plain).await.expect(200);
    assert!(
        shown(&with_flag).iter().all(|k| !a.contains(k)),
        "{}",
        with_flag.body
    );
    assert!(
        shown(&without).iter().any(|k| a.contains(k)),
        "{}",
        without.body
    );
    assert!(
        with_flag.body["matching_companies"].as_u64() < without.body["matching_companies"].as_u64(),
        "{} vs {}",
        with_flag.body["matching_companies"],
        without.body["matching_companies"]
    );

    let second = create_order(&c.app, &c.partner, &body).await;
    accept(&c, &second).await.expect(200);
    let done = finished(&c, &second, Duration::from_secs(90)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    let b: HashSet<MatchKey> = all_results(&c, &second)
        .await
        .iter()
        .map(delivered_key)
        .collect();
    println!("first delivered {}, second {}", a.len(), b.len());
    assert!(
        a.is_disjoint(&b),
        "{:?}",
        a.intersection(&b).collect::<Vec<_>>()
    );
    assert_eq!(done["excluded_delivered_count"], a.len() as u64);
    // Without the flag the count is null and nothing is skipped.
    let third = create_order(&c.app, &c.partner, &plain).await;
    accept(&c, &third).await.expect(200);
    let done = finished(&c, &third, Duration::from_secs(90)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert_eq!(done["excluded_delivered_count"], Value::Null);
    let c3: HashSet<MatchKey> = all_results(&c, &third)
        .await
        .iter()
        .map(delivered_key)
        .collect();
    assert!(
        !c3.is_disjoint(&a),
        "the first's companies come again without the flag"
    );
}

/// How each fixture homepage answers, by a stable hash of its domain: most answer (some slowly,
/// some with a 500 whose headers still name the server), many stall until the fetcher gives up,
/// some answer garbage.
fn site_for(domain: &str) -> ops::fixtures::Site {
    use ops::fixtures::Site;
    let page = |delay_ms: u64, status: u16| {
        Site::Page {
        delay: Duration::from_millis(delay_ms),
        status,
        headers: vec![("Server".into(), "nginx/1.25".into())],
        body: r#"<html><head><meta name="generator" content="WordPress 6.4.2"></head><body>Welcome</body></html>"#.into(),
    }
    };
    match fixture_hash(domain, 1) % 10 {
        0..=1 => page(10, 200),
        2 => page(400, 200),
        3 => page(10, 500),
        4 => Site::Garbage,
        _ => Site::Stall,
    }
}

/// MX answers by another hash: most domains have exchanges, some none, some never answer.
fn mx_for(domain: &str) -> ops::fixtures::Mx {
    use ops::fixtures::Mx;
    match fixture_hash(domain, 2) % 10 {
        0..=6 => Mx::Found(vec![format!("mx1.{domain}")], Duration::from_millis(5)),
        7 => Mx::NoRecords,
        _ => Mx::Silent,
    }
}

fn fixture_hash(s: &str, salt: u64) -> u64 {
    s.bytes()
        .fold(salt.wrapping_mul(1_099_511_628_211), |h, b| {
            (h ^ b as u64).wrapping_mul(1_099_511_628_211)
        })
        >> 7
}

/// The network ports of an engine aimed at the fixtures, with tight limits (the fixture's
/// stalls cost one fetch timeout each).
struct NetworkFixtures {
    sites: ops::fixtures::Sites,
    resolver: Arc<dyn engine::email::MxResolver>,
    fetcher: Arc<dyn engine::technologies::PageFetcher>,
}

async fn network_fixtures() -> NetworkFixtures {
    let sites = ops::fixtures::Sites::start(Arc::new(site_for))
        .await
        .unwrap();
    let dns = ops::fixtures::DnsStub::start(Arc::new(mx_for))
        .await
        .unwrap();
    let fetcher = Arc::new(sites.fetcher(outbound::FetchOptions {
        connect_timeout: Duration::from_millis(500),
        total_timeout: Duration::from_secs(1),
        ..Default::default()
    }));
    let resolver = Arc::new(outbound::DnsMxResolver::with_nameserver(
        dns.addr,
        Duration::from_millis(300),
    ));
    NetworkFixtures {
        sites,
        resolver,
        fetcher,
    }
}

/// Runs `body` with every feature on, against the fixtures: Lambda cuts each invocation off
/// after 3 s, while at 16 companies at a time and one second per stalled site a batch of 90
/// needs about twice that. Returns the order id, its engine and its final status.
async fn run_with_every_feature(
    c: &Ctx,
    net: &NetworkFixtures,
    mut body: Value,
) -> (String, Arc<workflow::tasks::Engine>, Value) {
    body["features"] = json!([
        "COMPANY_DATA",
        "CONTACTS",
        "ANALYSIS",
        "TECHNOLOGIES",
        "EMAIL_DISCOVERY"
    ]);
    let id = create_order(&c.app, &c.partner, &body).await;
    let engine =
        crate::workflow_harness::engine_with(net.resolver.clone(), Some(net.fetcher.clone())).await;
    crate::workflow_harness::run_order_with(&id, engine.clone(), Duration::from_secs(3));
    accept(c, &id).await.expect(200);
    let done = finished(c, &id, Duration::from_secs(240)).await;
    (id, engine, done)
}

/// Technologies were detected exactly where the homepage answered (a 500 still names its server),
/// and dated whenever some are reported (elsewhere, by when the catalog learnt them); addresses
/// were found for most companies.
fn network_features_follow_the_fixtures(net: &NetworkFixtures, results: &[Value]) {
    let mut analysed = 0;
    let mut emails = 0;
    for r in results {
        let domain = r["normalized_url"].as_str().unwrap_or_default().to_string();
        let answered =
            !domain.is_empty() && matches!(site_for(&domain), ops::fixtures::Site::Page { .. });
        let reported = r["web_technologies"]
            .as_array()
            .is_some_and(|t| !t.is_empty());
        assert_eq!(
            r["web_technologies_analyzed_at"].is_string(),
            answered || reported,
            "{domain}: dated when analysed, or when technologies are reported: {r}"
        );
        if answered {
            analysed += 1;
            let techs: Vec<&str> = r["web_technologies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert!(techs.contains(&"nginx"), "{domain}: {techs:?}");
            assert!(net.sites.requests(&domain) >= 1);
        }
        emails += r["prospects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["email"].is_string())
            .count();
    }
    let n = results.len();
    assert!(
        analysed > n / 5 && emails > n,
        "{n} results: analysed {analysed}, emails {emails}"
    );
}

/// Every feature on, against fixture websites and a DNS server over real sockets, with a
/// function timeout a batch cannot fit in: each invocation stages what it finished within its
/// budget and hands the rest back, and the order completes with the same results as one
/// unhurried computation of the whole list.
#[tokio::test]
async fn every_feature_against_slow_sites_fits_the_time_budget_and_loses_nothing() {
    let c = ctx().await;
    let net = network_fixtures().await;
    let n = 180;
    let mut body = enrichment(n);
    body["ideal_customer_profile"] =
        json!("B2B software and IT services companies in Germany with 50-500 employees");
    body["contact_roles"] = json!(["CEO", "Head of Sales"]);
    body["seller_offering"] = json!("Sales automation");
    let (id, engine, done) = run_with_every_feature(&c, &net, body).await;
    let cut_off: Vec<(&str, usize, usize)> = ["start-processing", "enrich-batch", "complete-order"]
        .into_iter()
        .map(|f| {
            let timeouts = crate::workflow_harness::timeouts(&id, f);
            (f, call_count(&id, f), timeouts)
        })
        .collect();
    eprintln!("(function, invocations, cut off at the timeout): {cut_off:?}");
    if done["status"] != "COMPLETED" {
        let failures = crate::workflow_harness::failures_of(&c.app, &id).await;
        panic!("{done}\n{cut_off:?}\n{}", failures.join("\n"));
    }
    assert_eq!(done["company_count"], n);
    let got = all_results(&c, &id).await;
    let invocations = call_count(&id, "enrich-batch");
    assert!(
        invocations > 2,
        "2 batches, handed back at least once: {invocations} invocations"
    );

    // The reference: the same list computed in one go, without a time limit.
    let tenant = s_tenant(&c).await;
    let order_id = uuid::Uuid::parse_str(&id).unwrap();
    let order = c
        .app
        .db
        .get_order(&tenant, order_id)
        .await
        .unwrap()
        .unwrap();
    let submitted = c
        .app
        .db
        .submitted_companies(&tenant, order_id)
        .await
        .unwrap();
    let ctx = engine::enrich::EnrichContext {
        resolver: net.resolver.as_ref(),
        fetcher: Some(net.fetcher.as_ref()),
    };
    let want =
        engine::pipeline::enrich_submitted(&order, &submitted, engine.catalog.as_ref(), &ctx)
            .await
            .unwrap();
    let comparable = |mut v: Value| {
        let o = v.as_object_mut().unwrap();
        for volatile in ["web_technologies_analyzed_at", "delivered_at"] {
            o.remove(volatile);
        }
        v
    };
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(
            comparable(g.clone()),
            comparable(serde_json::to_value(w).unwrap()),
            "result for {}",
            g["normalized_url"]
        );
    }
    network_features_follow_the_fixtures(&net, &got);
    let audit = audit_tenant(&c).await;
    assert!(audit.is_clean(), "{audit:?}");
}

/// The discovery path with every feature on, under the same tight timeout: the selection is
/// delivered whole, best first, with the network features filled in.
#[tokio::test]
async fn a_discovery_with_every_feature_fits_the_time_budget() {
    let c = ctx().await;
    let net = network_fixtures().await;
    let (id, _, done) = run_with_every_feature(&c, &net, discovery(false)).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    let got = all_results(&c, &id).await;
    assert_eq!(done["company_count"].as_u64().unwrap() as usize, got.len());
    assert!(
        got.len() > 60,
        "a selection larger than one invocation can finish"
    );
    let batches = got.len().div_ceil(90);
    let invocations = call_count(&id, "enrich-batch");
    assert!(
        invocations > batches,
        "{batches} batches, handed back: {invocations} invocations"
    );
    assert!(
        got.windows(2)
            .all(|w| w[0]["match_score"].as_u64() >= w[1]["match_score"].as_u64()),
        "best first"
    );
    let ids: HashSet<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), got.len(), "no result twice");
    network_features_follow_the_fixtures(&net, &got);
    let audit = audit_tenant(&c).await;
    assert!(audit.is_clean(), "{audit:?}");
}

/// A discovery preview over companies of a country no other test writes: the order placed
/// afterwards reads the same catalog.
async fn previewed_market(c: &Ctx) -> Value {
    static SEEDED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SEEDED
        .get_or_init(|| {
            crate::harness::seed_market(
                &c.app,
                600,
                17,
                ("Malta", &["Valletta", "Sliema", "Sliema"]),
                "mt",
            )
        })
        .await;
    json!({
        "order_type": "DISCOVERY", "title": "Malta B2B software", "features": ["COMPANY_DATA", "CONTACTS"],
        "ideal_customer_profile": "B2B software companies with 20-500 employees, growing, cloud and HR software",
        "seller_offering": "Lead generation", "target_countries": ["Malta"], "target_cities": ["Valletta"],
        "excluded_industries": ["Government"], "output_language": "de", "profile_name": "never stored"
    })
}

async fn preview(c: &Ctx, key: &str, body: &Value) -> Reply {
    call("POST")
        .key(key)
        .json(body)
        .send(&c.app, run!(preview_order))
        .await
}

#[tokio::test]
async fn a_preview_shows_the_orders_first_results_priced_and_stores_nothing() {
    let c = ctx().await;
    let body = previewed_market(&c).await;
    let counts = |c: &Ctx| {
        let (app, key) = (c.app.clone(), c.partner.clone());
        async move {
            let orders = call("GET").key(&key).send(&app, run!(list_orders)).await;
            let profiles = call("GET").key(&key).send(&app, run!(list_profiles)).await;
            (
                orders.expect(200).body["total"].clone(),
                profiles.expect(200).body["total"].clone(),
            )
        }
    };
    let before = counts(&c).await;

    let p = preview(&c, &c.partner, &body).await.expect(200).body;
    let matching = p["matching_companies"].as_u64().unwrap();
    let items = p["items"].as_array().unwrap();
    assert!(matching > 5 && items.len() == 5, "{p}");
    assert_eq!(p["count_is_estimate"], false);
    // min(matching, 200) companies x (COMPANY_DATA 0.10 + CONTACTS 0.30), NORMAL priority.
    let priced = matching.min(200) as f64 * 0.40;
    assert_eq!(
        p["estimated_cost"],
        json!({"total": (priced * 100.0).round() / 100.0, "currency": "EUR"})
    );
    for item in items {
        assert!(item["match_score"].as_u64().unwrap() >= 5, "{item}");
        assert!(!item["match_reasons"].as_array().unwrap().is_empty());
        assert!(item["match_reasoning"]
            .as_str()
            .unwrap()
            .contains("ICP-Passung"));
        assert_eq!(item["country"], "Malta");
    }
    assert_eq!(
        counts(&c).await,
        before,
        "a preview stores no order and no profile"
    );

    // The order placed with the same body (and analysis, to compare) finds the same first five.
    let mut ordered = body.clone();
    ordered["features"] = json!(["COMPANY_DATA", "CONTACTS", "ANALYSIS"]);
    ordered.as_object_mut().unwrap().remove("profile_name");
    let id = create_order(&c.app, &c.partner, &ordered).await;
    accept(&c, &id).await.expect(200);
    assert_eq!(
        finished(&c, &id, Duration::from_secs(90)).await["status"],
        "COMPLETED"
    );
    let results = all_results(&c, &id).await;
    assert_eq!(results.len() as u64, matching.min(200));
    let view = |r: &Value| {
        json!([
            r["company_name"],
            r["normalized_url"],
            r["match_score"],
            r["match_reasons"],
            r["match_reasoning"]
        ])
    };
    assert_eq!(
        items.iter().map(view).collect::<Vec<_>>(),
        results[..5].iter().map(view).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_preview_refuses_what_order_creation_refuses_with_the_same_errors() {
    let c = ctx().await;
    let mut bad = discovery(false);
    bad["title"] = json!("");
    bad["features"] = json!(["COMPANY_DATA", "TELEPATHY"]);
    bad["blacklist_ids"] = json!([uuid::Uuid::now_v7()]);
    let refused = call("POST")
        .key(&c.partner)
        .json(&bad)
        .send(&c.app, run!(create_order))
        .await
        .expect(422);
    let previewed = preview(&c, &c.partner, &bad).await.expect(422);
    assert_eq!(
        previewed.body["error"]["details"],
        refused.body["error"]["details"]
    );
    assert_eq!(
        previewed.body["error"]["message"],
        refused.body["error"]["message"]
    );

    let enrichment = json!({"order_type": "ENRICHMENT", "title": "CRM", "features": ["COMPANY_DATA"],
        "companies": [{"external_id": "1", "company_name": "Acme GmbH"}]});
    let r = preview(&c, &c.partner, &enrichment).await.expect(422);
    assert!(
        r.body
            .to_string()
            .contains("a preview takes a DISCOVERY order"),
        "{}",
        r.body
    );

    let malformed = call("POST")
        .key(&c.partner)
        .raw("application/json", "{not json")
        .send(&c.app, run!(preview_order))
        .await;
    assert_eq!(malformed.status, 400);
    let blacklists_only = key_for(&c.app, "preview-scopes", &[Scope::BlacklistsRead]).await;
    assert_eq!(
        preview(&c, &blacklists_only, &discovery(false))
            .await
            .status,
        403
    );
}
