//! The operators' endpoints the console needs (issue 23): an order's preview, stuck orders and
//! their repair, failed webhook deliveries across tenants, keys by tenant.
use crate::harness::*;
use crate::run;
use auth::Scope;
use domain::order::{OrderStatus, StatusChanged, StatusChangedPayload};
use serde_json::{json, Value};
use std::sync::Arc;
use store::orders::Change;
use uuid::Uuid;
use webhooks::event::{Message, WebhookDeliveryStatus};

/// A discovery order over a small market no other test writes (Estonia, 20 companies): few
/// candidates, so a large blacklist is looked up rather than read whole.
fn estonian(title: &str) -> Value {
    json!({
        "order_type": "DISCOVERY", "title": title, "features": ["COMPANY_DATA", "CONTACTS"],
        "priority": "EXPRESS",
        "ideal_customer_profile": "Companies with 20-500 employees, growing",
        "seller_offering": "Lead generation", "target_countries": ["Estonia"]
    })
}

fn without_ids(v: &Value) -> Value {
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| *k != "id" && *k != "company_id")
            .map(|(k, v)| (k.clone(), without_ids(v)))
            .collect(),
        Value::Array(a) => a.iter().map(without_ids).collect(),
        other => other.clone(),
    }
}

#[tokio::test]
async fn admin_preview_of_a_stored_order_is_the_partners_preview_of_its_body() {
    // Two apps: each container computes its own answer (no shared preview cache).
    let (partners, operators) = (app().await, app().await);
    seed_market(&partners, 20, 41, ("Estonia", &["Tallinn", "Tartu"]), "ee").await;
    let (_, key) = partner(&partners).await;
    let admin = key_for(&operators, &new_tenant(), &[Scope::Admin]).await;
    // A small blacklist (read whole) and a large one (its entries looked up by the candidates'
    // keys): the two ways discovery reads blacklists.
    let (small, large) = (
        create_blacklist(&partners, &key).await,
        create_blacklist(&partners, &key).await,
    );
    let add = |id: &str, entries: Vec<Value>| {
        call("POST")
            .key(&key)
            .path("blacklist_id", id)
            .json(&json!({ "entries": entries }))
    };
    add(&small, vec![json!({"website_url": "example.ee"})])
        .send(&partners, run!(add_blacklist_entries))
        .await
        .expect(200);
    for chunk in 0..2 {
        let entries = (0..1000)
            .map(|i| json!({"website_url": format!("https://www.console-{chunk}-{i}.ee")}))
            .collect();
        add(&large, entries)
            .send(&partners, run!(add_blacklist_entries))
            .await
            .expect(200);
    }
    let mut body = estonian("preview me");
    body["blacklist_ids"] = json!([small, large]);
    let id = create_order(&partners, &key, &body).await;
    let theirs = call("POST")
        .key(&key)
        .json(&body)
        .send(&partners, run!(preview_order))
        .await
        .expect(200)
        .body;
    let ours = call("GET")
        .key(&admin)
        .path("order_id", &id)
        .send(&operators, run!(admin_preview_order))
        .await
        .expect(200)
        .body;
    // The same companies, prospects and figures; result ids derive from the order's id, and the
    // partner's preview is of an order that was never stored.
    assert_eq!(without_ids(&ours), without_ids(&theirs));
    assert!(ours["matching_companies"].as_u64().unwrap() > 0, "{ours}");
    let items = ours["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 5);
    assert!(items.iter().all(|i| i["match_reasons"].is_array()));
    // Nothing stored: the order is as it was.
    let order = call("GET")
        .key(&admin)
        .path("order_id", &id)
        .send(&operators, run!(admin_get_order))
        .await
        .expect(200)
        .body;
    assert_eq!(order["status"], "RECEIVED");
}

#[tokio::test]
async fn admin_preview_names_an_enrichment_order_and_404s_ids_of_no_order() {
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[Scope::Admin]).await;
    let (_, key) = partner(&app).await;
    let enrichment = create_order(
        &app,
        &key,
        &json!({"order_type": "ENRICHMENT", "title": "CRM", "features": ["COMPANY_DATA"],
                "companies": [{"external_id": "1", "company_name": "Beispiel GmbH"}]}),
    )
    .await;
    let r = call("GET")
        .key(&admin)
        .path("order_id", &enrichment)
        .send(&app, run!(admin_preview_order))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), ["order_id"]);
    for id in [Uuid::now_v7().to_string(), "not-a-uuid".into()] {
        let r = call("GET")
            .key(&admin)
            .path("order_id", &id)
            .send(&app, run!(admin_preview_order))
            .await
            .expect(404);
        assert_eq!(r.code(), "ORDER_NOT_FOUND");
    }
}

/// An order of `key`'s tenant moved to ACCEPTED with no run behind it (the run never started,
/// or died unrecorded): stuck at once for `stuck_after_minutes=0`.
async fn accepted_without_a_run(app: &Arc<api::app::App>, tenant: &str, key: &str) -> String {
    let mut body = discovery_order();
    body["webhook_url"] = json!("http://127.0.0.1:9/hooks/console");
    let id = create_order(app, key, &body).await;
    app.db
        .transition(
            tenant,
            id.parse().unwrap(),
            OrderStatus::Accepted,
            &Change::default(),
        )
        .await
        .unwrap();
    id
}

/// Every page of `GET /admin/orders/stuck` with `query`, as the console pages it.
async fn every_stuck(app: &Arc<api::app::App>, admin: &str, after: &str) -> Vec<Value> {
    let (mut all, mut offset) = (Vec::new(), 0);
    loop {
        let r = call("GET")
            .key(admin)
            .query("stuck_after_minutes", after)
            .query("limit", 100)
            .query("offset", offset)
            .send(app, run!(admin_list_stuck_orders))
            .await
            .expect(200);
        let items = r.body["items"].as_array().unwrap().clone();
        assert_eq!(r.body["offset"], offset);
        offset += items.len();
        all.extend(items);
        if !r.body["has_more"].as_bool().unwrap() {
            return all;
        }
    }
}

fn listed<'a>(all: &'a [Value], id: &str) -> Option<&'a Value> {
    all.iter().find(|i| i["order"]["order_id"] == id)
}

async fn repair(app: &Arc<api::app::App>, admin: &str, id: &str, body: Option<Value>) -> Reply {
    let c = call("POST").key(admin).path("order_id", id);
    let c = match body {
        Some(b) => c.json(&b),
        None => c,
    };
    c.send(app, run!(admin_repair_order)).await
}

#[tokio::test]
async fn stuck_orders_of_every_tenant_are_listed_and_repaired_once_whatever_the_retries() {
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[Scope::Admin]).await;
    let (a, b) = (partner(&app).await, partner(&app).await);
    let first = accepted_without_a_run(&app, &a.0, &a.1).await;
    let second = accepted_without_a_run(&app, &b.0, &b.1).await;
    let received = create_order(&app, &a.1, &discovery_order()).await;
    // The state machine's last resort recorded the second one.
    app.db
        .client
        .put_item()
        .table_name(&app.db.table)
        .item("PK", store::s(store::keys::STUCK))
        .item("SK", store::s(&second))
        .item("tenant_id", store::s(&b.0))
        .send()
        .await
        .unwrap();

    let all = every_stuck(&app, &admin, "0").await;
    for (id, tenant, recorded) in [(&first, &a.0, false), (&second, &b.0, true)] {
        let item = listed(&all, id).unwrap_or_else(|| panic!("{id} listed"));
        assert_eq!(item["order"]["tenant_id"], tenant.as_str());
        assert_eq!(item["order"]["status"], "ACCEPTED");
        assert_eq!(item["execution_running"], false);
        assert_eq!(item["recorded_stuck"], recorded);
    }
    assert!(
        listed(&all, &received).is_none(),
        "RECEIVED is not in flight"
    );
    // Accepted just now: not stuck by the default's or a week's measure.
    for after in ["30", "10080"] {
        let all = every_stuck(&app, &admin, after).await;
        assert!(listed(&all, &first).is_none() && listed(&all, &second).is_none());
    }

    // The operator ends the first with a note; the partner reads it.
    let note = "Processing stopped on our side; this order will not be charged.";
    let r = repair(&app, &admin, &first, Some(json!({ "admin_notes": note })))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "CANCELLED");
    assert_eq!(r.body["tenant_id"], a.0.as_str());
    let theirs = call("GET")
        .key(&a.1)
        .path("order_id", &first)
        .send(&app, run!(get_order))
        .await
        .expect(200)
        .body;
    assert_eq!(theirs["admin_notes"], note);
    assert_eq!(
        outbox_events(&app, &a.0, &first).await,
        ["EVENT#ACCEPTED", "EVENT#CANCELLED"]
    );
    // Again (a retry): the same answer, nothing written twice.
    let again = repair(&app, &admin, &first, None).await.expect(200);
    assert_eq!(again.body, r.body);

    // Ten repairs of the second at once: one write, every answer the same order, its record gone.
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (app, admin, id) = (app.clone(), admin.clone(), second.clone());
            tokio::spawn(async move { repair(&app, &admin, &id, None).await })
        })
        .collect();
    let mut cancelled_at = std::collections::HashSet::new();
    for t in tasks {
        let r = t.await.unwrap().expect(200);
        assert_eq!(r.body["status"], "CANCELLED");
        assert!(r.body["admin_notes"]
            .as_str()
            .unwrap()
            .contains("will not be charged"));
        cancelled_at.insert(r.body["cancelled_at"].to_string());
    }
    assert_eq!(cancelled_at.len(), 1, "{cancelled_at:?}");
    let record = app
        .db
        .client
        .get_item()
        .table_name(&app.db.table)
        .key("PK", store::s(store::keys::STUCK))
        .key("SK", store::s(&second))
        .send()
        .await
        .unwrap();
    assert!(record.item.is_none(), "the STUCK record is cleared");
    let all = every_stuck(&app, &admin, "0").await;
    assert!(listed(&all, &first).is_none() && listed(&all, &second).is_none());

    // Not stuck: waiting for review (reject it instead), or an id of no order.
    let r = repair(&app, &admin, &received, None).await.expect(409);
    assert_eq!(r.code(), "INVALID_STATUS_TRANSITION");
    repair(&app, &admin, &Uuid::now_v7().to_string(), None)
        .await
        .expect(404);
}

#[tokio::test]
async fn stuck_list_and_repair_name_every_invalid_field_at_once() {
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[Scope::Admin]).await;
    let r = call("GET")
        .key(&admin)
        .query("stuck_after_minutes", "-1")
        .query("limit", "101")
        .query("offset", "10001")
        .query("tenant", "x")
        .send(&app, run!(admin_list_stuck_orders))
        .await
        .expect(422);
    let mut fields = r.detail_fields();
    fields.sort();
    assert_eq!(fields, ["limit", "offset", "stuck_after_minutes", "tenant"]);
    let (tenant, key) = partner(&app).await;
    let id = accepted_without_a_run(&app, &tenant, &key).await;
    let r = repair(
        &app,
        &admin,
        &id,
        Some(json!({"admin_notes": 5, "force": true})),
    )
    .await
    .expect(422);
    let mut fields = r.detail_fields();
    fields.sort();
    assert_eq!(fields, ["admin_notes", "force"]);
    // Nothing changed.
    let all = every_stuck(&app, &admin, "0").await;
    assert_eq!(listed(&all, &id).unwrap()["order"]["status"], "ACCEPTED");
}

/// A delivery of a (made-up) event of `tenant` that failed at `at`, written as the dispatcher
/// writes it: the attempt claimed, then the round ended failed.
async fn failed_delivery(app: &api::app::App, tenant: &str, at: &str) -> Uuid {
    let event = StatusChanged {
        event_id: Uuid::now_v7(),
        tenant_id: tenant.into(),
        webhook_url: Some("https://hooks.example.com/op".into()),
        payload: StatusChangedPayload {
            event: "order.status_changed".into(),
            order_id: Uuid::now_v7(),
            status: OrderStatus::Accepted,
            previous_status: OrderStatus::Received,
            timestamp: at.into(),
        },
    };
    let now = domain::clock::now().unix_timestamp() * 1000;
    let state = app
        .db
        .claim_attempt(&Message::first(event.clone()), now, now + 60_000)
        .await
        .unwrap()
        .unwrap();
    app.db
        .finish_webhook_delivery(&state, WebhookDeliveryStatus::Failed, Some("HTTP 500"), at)
        .await
        .unwrap();
    event.event_id
}

async fn failed_page(app: &Arc<api::app::App>, admin: &str, query: &[(&str, &str)]) -> Reply {
    let mut c = call("GET").key(admin).query("status", "failed");
    for (k, v) in query {
        c = c.query(k, v);
    }
    c.send(app, run!(admin_list_webhook_deliveries)).await
}

fn event_ids(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["event_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn failed_deliveries_of_every_tenant_are_listed_latest_first_and_leave_when_redelivered() {
    // Its own webhook queue: the redelivery below queues a message nobody else reads.
    let h = crate::webhooks::hooks(1.0, std::time::Duration::from_secs(2)).await;
    let other = new_tenant();
    // Later than any failure another test makes, so they lead the list across tenants.
    let mut ours = Vec::new();
    for (tenant, at) in [
        (&h.tenant, "2099-01-01T00:00:01.000000Z"),
        (&other, "2099-01-01T00:00:02.000000Z"),
        (&h.tenant, "2099-01-01T00:00:03.000000Z"),
        (&h.tenant, "2099-01-01T00:00:04.000000Z"),
    ] {
        ours.push(failed_delivery(&h.app, tenant, at).await.to_string());
    }
    let newest_first: Vec<String> = ours.iter().rev().cloned().collect();

    let everyone = failed_page(&h.app, &h.admin, &[("limit", "4")])
        .await
        .expect(200);
    assert_eq!(event_ids(&everyone), newest_first);
    assert!(everyone.body["total"].as_u64().unwrap() >= 4);
    let first = &everyone.body["items"][0];
    assert_eq!(first["tenant_id"], h.tenant.as_str());
    assert_eq!(first["status"], "failed");
    assert_eq!(first["failed_at"], "2099-01-01T00:00:04.000000Z");
    assert_eq!(first["failure"], "HTTP 500");
    assert_eq!(first["event_status"], "ACCEPTED");
    assert_eq!(first["attempts"], 1);

    // One tenant's, paged.
    let mine: Vec<String> = newest_first
        .iter()
        .filter(|id| **id != ours[1])
        .cloned()
        .collect();
    let tenant = h.tenant.as_str();
    let p1 = failed_page(&h.app, &h.admin, &[("tenant_id", tenant), ("limit", "2")])
        .await
        .expect(200);
    assert_eq!(event_ids(&p1), mine[..2]);
    assert_eq!(
        (p1.body["total"].clone(), p1.body["has_more"].clone()),
        (json!(3), json!(true))
    );
    let p2 = failed_page(
        &h.app,
        &h.admin,
        &[("tenant_id", tenant), ("limit", "2"), ("offset", "2")],
    )
    .await
    .expect(200);
    assert_eq!(event_ids(&p2), mine[2..]);
    assert_eq!(p2.body["has_more"], false);

    // Redelivered: no longer failed, so off both lists.
    call("POST")
        .key(&h.admin)
        .path("event_id", &mine[0])
        .send(&h.app, run!(admin_redeliver_webhook))
        .await
        .expect(202);
    let after = failed_page(&h.app, &h.admin, &[("tenant_id", tenant)])
        .await
        .expect(200);
    assert_eq!(event_ids(&after), mine[1..]);
    assert_eq!(after.body["total"], 2);
    let everyone = failed_page(&h.app, &h.admin, &[("limit", "3")])
        .await
        .expect(200);
    assert_eq!(
        event_ids(&everyone),
        [ours[2].clone(), ours[1].clone(), ours[0].clone()]
    );
}

#[tokio::test]
async fn failed_deliveries_name_every_invalid_parameter_at_once() {
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[Scope::Admin]).await;
    let r = call("GET")
        .key(&admin)
        .query("status", "pending")
        .query("tenant_id", "a#b")
        .query("limit", "0")
        .query("since", "x")
        .send(&app, run!(admin_list_webhook_deliveries))
        .await
        .expect(422);
    let mut fields = r.detail_fields();
    fields.sort();
    assert_eq!(fields, ["limit", "since", "status", "tenant_id"]);
    let r = call("GET")
        .key(&admin)
        .send(&app, run!(admin_list_webhook_deliveries))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), ["status"]);
    // A tenant with no failures: an empty page.
    let r = call("GET")
        .key(&admin)
        .query("status", "failed")
        .query("tenant_id", new_tenant())
        .send(&app, run!(admin_list_webhook_deliveries))
        .await
        .expect(200);
    assert_eq!(
        r.body,
        json!({"items": [], "total": 0, "limit": 50, "offset": 0, "has_more": false})
    );
}

#[tokio::test]
async fn operators_list_keys_by_tenant() {
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[Scope::Admin]).await;
    let (tenant, _) = partner(&app).await;
    key_for(&app, &tenant, &[Scope::OrdersRead]).await;
    partner(&app).await;
    let r = call("GET")
        .key(&admin)
        .query("tenant_id", &tenant)
        .send(&app, run!(list_api_keys))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 2);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|k| k["tenant_id"] == tenant.as_str()));
    assert!(items.iter().all(|k| k.get("api_key").is_none()));
}
