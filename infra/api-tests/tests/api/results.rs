use crate::harness::*;
use crate::run;
use domain::order::OrderStatus;
use domain::paging::Page;
use domain::results::CompanyResult;
use std::collections::HashSet;
use workflow::Budget;

/// Delivers `results` the one way production does (enrich-batch): staged as the order's next
/// batches of at most `BATCH_SIZE`, then flushed in batch order. The order afterwards.
async fn deliver(
    app: &api::app::App,
    order: &domain::order::Order,
    results: Vec<CompanyResult>,
) -> domain::order::Order {
    let current = app
        .db
        .get_order(&order.tenant_id, order.order_id)
        .await
        .unwrap()
        .unwrap();
    let first = current.next_batch;
    for (i, batch) in results.chunks(workflow::tasks::BATCH_SIZE).enumerate() {
        app.db
            .stage_batch(&current, first + i as u64, batch)
            .await
            .unwrap();
    }
    app.db
        .flush_staged(&order.tenant_id, order.order_id)
        .await
        .unwrap()
}

/// When the results at `position` were delivered.
async fn delivered_at(
    app: &api::app::App,
    order: &domain::order::Order,
    position: usize,
) -> String {
    let page = app
        .db
        .results_page(
            order,
            Page {
                limit: 1,
                offset: position,
            },
            None,
        )
        .await
        .unwrap();
    page.items[0].delivered_at.clone().unwrap()
}

pub(crate) async fn in_progress_order(
    app: &std::sync::Arc<api::app::App>,
) -> (String, String, domain::order::Order) {
    let (tenant, key) = partner(app).await;
    let id: uuid::Uuid = create_order(app, &key, &discovery_order())
        .await
        .parse()
        .unwrap();
    app.db
        .transition(&tenant, id, OrderStatus::Accepted, &Default::default())
        .await
        .unwrap();
    let t = app
        .db
        .transition(&tenant, id, OrderStatus::InProgress, &Default::default())
        .await
        .unwrap();
    assert!(t.order.prospect_search_id.is_some());
    (tenant, key, t.order)
}

#[tokio::test]
async fn every_page_walk_returns_each_result_exactly_once() {
    let app = app().await;
    let (tenant, key, order) = in_progress_order(&app).await;
    // Three deliveries (100 + 100 + 50, each two batches or one) as enrich-batch writes them.
    let mut first_delivery_at = String::new();
    for (d, n) in [100, 100, 50].into_iter().enumerate() {
        let batch: Vec<CompanyResult> = (0..n)
            .map(|i| CompanyResult::named(format!("Company {d}-{i}")))
            .collect();
        let after = deliver(&app, &order, batch).await;
        assert_eq!(after.tenant_id, tenant);
        if d == 0 {
            first_delivery_at = delivered_at(&app, &after, 99).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let oid = order.order_id.to_string();
    let expected: Vec<String> = [(0, 100), (1, 100), (2, 50)]
        .iter()
        .flat_map(|(d, n)| (0..*n).map(move |i| format!("Company {d}-{i}")))
        .collect();
    for limit in [1usize, 7, 50, 100] {
        let mut seen = vec![];
        let mut offset = 0;
        loop {
            let r = call("GET")
                .key(&key)
                .path("order_id", &oid)
                .query("limit", limit)
                .query("offset", offset)
                .send(&app, run!(get_order_results))
                .await
                .expect(200);
            assert_eq!(r.body["total"], 250);
            for item in r.body["items"].as_array().unwrap() {
                seen.push(item["name"].as_str().unwrap().to_string());
                assert!(item["delivered_at"].is_string());
                assert!(item.get("prospects").is_some());
            }
            if !r.body["has_more"].as_bool().unwrap() {
                break;
            }
            offset += limit;
        }
        assert_eq!(
            seen, expected,
            "limit {limit}: stable order, nothing skipped or repeated"
        );
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 250);
    }
    // Past the end: empty, no more.
    let r = call("GET")
        .key(&key)
        .path("order_id", &oid)
        .query("offset", 250)
        .send(&app, run!(get_order_results))
        .await
        .expect(200);
    assert_eq!(
        (
            r.body["items"].as_array().unwrap().len(),
            r.body["has_more"].as_bool()
        ),
        (0, Some(false))
    );
    let r = call("GET")
        .key(&key)
        .path("order_id", &oid)
        .query("offset", 100000)
        .send(&app, run!(get_order_results))
        .await
        .expect(200);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    // delivered_since skips the first delivery.
    let r = call("GET")
        .key(&key)
        .path("order_id", &oid)
        .query("delivered_since", &first_delivery_at)
        .query("limit", 100)
        .send(&app, run!(get_order_results))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 150);
    assert_eq!(r.body["items"][0]["name"], "Company 1-0");
    let r = call("GET")
        .key(&key)
        .path("order_id", &oid)
        .query("delivered_since", "last tuesday")
        .send(&app, run!(get_order_results))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), vec!["delivered_since"]);
}

#[tokio::test]
async fn reads_per_page_do_not_grow_with_offset() {
    let app = app().await;
    let (tenant, _, order) = in_progress_order(&app).await;
    let batch: Vec<CompanyResult> = (0..250)
        .map(|i| CompanyResult::named(format!("C{i}")))
        .collect();
    let order = deliver(&app, &order, batch).await;
    assert_eq!(order.tenant_id, tenant);
    assert_eq!(order.result_count, 250);
    let mut reads = vec![];
    for offset in [0usize, 100, 200, 240] {
        let p = app
            .db
            .results_page(&order, Page { limit: 10, offset }, None)
            .await
            .unwrap();
        assert_eq!(p.items.len(), 10);
        assert_eq!(p.items[0].name, format!("C{offset}"));
        reads.push(p.items_read);
    }
    assert_eq!(
        reads,
        vec![10, 10, 10, 10],
        "each page reads exactly `limit` items"
    );
}

#[tokio::test]
async fn no_result_is_delivered_unless_in_progress() {
    let app = app().await;
    let (tenant, key, order) = in_progress_order(&app).await;
    deliver(&app, &order, vec![CompanyResult::named("before")]).await;
    app.db
        .transition(
            &tenant,
            order.order_id,
            OrderStatus::Cancelled,
            &Default::default(),
        )
        .await
        .unwrap();
    let after = deliver(&app, &order, vec![CompanyResult::named("after")]).await;
    assert_eq!(after.status, OrderStatus::Cancelled);
    assert_eq!(after.result_count, 1, "nothing delivered once cancelled");
    let r = call("GET")
        .key(&key)
        .path("order_id", order.order_id)
        .send(&app, run!(get_order_results))
        .await
        .expect(200);
    assert_eq!(
        r.body["total"], 1,
        "results delivered before cancellation stay readable"
    );
    assert_eq!(r.body["items"][0]["name"], "before");
}

/// A task function's run, its AWS calls attributed to it.
fn as_task<F: std::future::Future>(
    function: &str,
    run: F,
) -> impl std::future::Future<Output = F::Output> {
    ops::attribution::as_function(function, "api-tests", run)
}

/// The task functions' engine over a fresh App, as a task's `main` builds it.
async fn engine() -> std::sync::Arc<workflow::tasks::Engine> {
    let app = std::sync::Arc::try_unwrap(app().await).unwrap_or_else(|_| unreachable!("fresh"));
    let catalog = store::catalog::CatalogStore::of(&app.config, &app.db).unwrap();
    std::sync::Arc::new(workflow::tasks::Engine {
        app,
        catalog: std::sync::Arc::new(catalog),
        resolver: std::sync::Arc::new(engine::email::StaticMx(Default::default())),
        fetcher: None,
    })
}

#[tokio::test]
async fn completion_delivers_staged_batches_and_waits_for_missing_ones() {
    let app = app().await;
    let (tenant, key, order) = in_progress_order(&app).await;
    let named = |b: u64| -> Vec<CompanyResult> {
        (0..2)
            .map(|i| CompanyResult::named(format!("b{b}-{i}")))
            .collect()
    };
    app.db.set_planned_batches(&order, 3).await.unwrap();
    // Batch 1 staged before 0, and nobody flushed them (a stager's read missed the other one).
    app.db.stage_batch(&order, 1, &named(1)).await.unwrap();
    app.db.stage_batch(&order, 0, &named(0)).await.unwrap();
    let engine = engine().await;
    let input = serde_json::json!({"tenant_id": tenant, "order_id": order.order_id});
    let err = as_task(
        "complete-order",
        complete_order::handler(engine.clone(), input.clone(), Budget::unlimited()),
    )
    .await
    .unwrap_err();
    assert_eq!(err.error_type, "Retryable", "batch 2 is missing: {err}");
    let o = app
        .db
        .get_order(&tenant, order.order_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (o.status, o.next_batch, o.result_count),
        (OrderStatus::InProgress, 2, 4)
    );

    app.db.stage_batch(&order, 2, &named(2)).await.unwrap();
    as_task(
        "complete-order",
        complete_order::handler(engine.clone(), input.clone(), Budget::unlimited()),
    )
    .await
    .unwrap();
    // Retried completion and a late fail change nothing and emit no second event.
    as_task(
        "complete-order",
        complete_order::handler(engine.clone(), input.clone(), Budget::unlimited()),
    )
    .await
    .unwrap();
    let late = as_task(
        "fail-order",
        fail_order::handler(engine, input, Budget::unlimited()),
    )
    .await
    .unwrap();
    assert_eq!(late["status"], "unchanged");
    let events = outbox_events(&app, &tenant, &order.order_id.to_string()).await;
    assert_eq!(
        events.len(),
        3,
        "ACCEPTED, IN_PROGRESS, COMPLETED: once each"
    );
    let o = app
        .db
        .get_order(&tenant, order.order_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.status, OrderStatus::Completed);
    assert_eq!((o.company_count, o.result_count), (6, 6));
    let page = call("GET")
        .key(&key)
        .path("order_id", order.order_id)
        .send(&app, run!(get_order_results))
        .await
        .expect(200);
    let names: Vec<&str> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["b0-0", "b0-1", "b1-0", "b1-1", "b2-0", "b2-1"]);
}

#[tokio::test]
async fn a_page_of_large_results_is_complete_past_dynamodbs_one_megabyte() {
    let app = app().await;
    let (_, key, order) = in_progress_order(&app).await;
    // 100 results of ~20 KB: one query page would stop near 50 of them.
    let big: Vec<CompanyResult> = (0..100)
        .map(|i| CompanyResult {
            description: Some(format!("{i:03} {}", "x".repeat(20_000))),
            ..CompanyResult::named(format!("Large {i:03}"))
        })
        .collect();
    deliver(&app, &order, big).await;
    let page = call("GET")
        .key(&key)
        .path("order_id", order.order_id)
        .query("limit", 100)
        .send(&app, run!(get_order_results))
        .await
        .expect(200);
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        100,
        "min(limit, remaining) items, whatever their size"
    );
    assert_eq!(page.body["has_more"], false);
    assert_eq!(items[99]["name"], "Large 099");
}

#[tokio::test]
async fn the_audit_finds_lost_doubled_and_misordered_results_and_stuck_orders() {
    let app = app().await;
    let (tenant, _, order) = in_progress_order(&app).await;
    let batch: Vec<CompanyResult> = (0..5)
        .map(|i| CompanyResult {
            match_score: Some(90 - i as u8),
            ..CompanyResult::named(format!("C{i}"))
        })
        .collect();
    deliver(&app, &order, batch.clone()).await;
    let opts = |minutes| ops::audit::Options {
        tenant: Some(tenant.clone()),
        stuck_after: time::Duration::minutes(minutes),
    };
    let clean = ops::audit::audit(&app, &opts(30)).await.unwrap();
    assert!(clean.is_clean(), "{clean:?}");
    assert_eq!((clean.orders, clean.results), (1, 5));

    // Position 1 overwritten with a copy of position 3: one result lost, one doubled, and the
    // ranking broken; no run was ever started, so past the threshold the order is stuck.
    let pk = format!("TENANT#{tenant}#ORDER#{}", order.order_id);
    app.db
        .client
        .put_item()
        .table_name(&app.db.table)
        .item("PK", aws_sdk_dynamodb::types::AttributeValue::S(pk))
        .item(
            "SK",
            aws_sdk_dynamodb::types::AttributeValue::S("RESULT#0000000001".into()),
        )
        .item(
            "body",
            aws_sdk_dynamodb::types::AttributeValue::S(serde_json::to_string(&batch[3]).unwrap()),
        )
        .send()
        .await
        .unwrap();
    let found = ops::audit::audit(&app, &opts(0)).await.unwrap();
    assert_eq!(
        (found.lost, found.doubled, found.out_of_order, found.stuck),
        (1, 1, 1, 1),
        "{found:?}"
    );
    assert_eq!((found.missing_events, found.extra_events), (0, 0));
}

/// Every key in `tenant`'s register of delivered companies, and its summary's count.
pub(crate) async fn register(
    app: &api::app::App,
    tenant: &str,
) -> (Vec<domain::blacklist::MatchKey>, u64) {
    let mut keys = Vec::new();
    app.db
        .each_delivered_key(tenant, &mut |k| keys.push(k))
        .await
        .unwrap();
    let summary = app.db.delivered_summary(tenant).await.unwrap();
    (keys, summary.recorded)
}

/// A delivery whose recording never ran (the process died right after the delivery transaction)
/// is recorded by the order's next flush before its own batch; recording it again (a retried
/// batch, a late catch-up, a stale recorder) writes and counts each company once.
#[tokio::test]
async fn a_delivery_recorded_late_or_again_records_each_company_once() {
    use engine::blacklist_match::result_delivered_key;
    let app = app().await;
    let (tenant, _, order) = in_progress_order(&app).await;
    let company = |i: usize| {
        let mut r = CompanyResult::named(format!("Firma {i} GmbH"));
        r.website_url = Some(format!("https://www.firma{i}.de/kontakt"));
        r
    };
    let mut first: Vec<CompanyResult> = (0..4).map(company).collect();
    let mut no_site = CompanyResult::named("Müller & Söhne KG");
    no_site.country = Some("Deutschland".into());
    first.push(no_site);
    let keyed: Vec<_> = first
        .iter()
        .map(|r| (r.clone(), result_delivered_key(r)))
        .collect();
    let delivered = app
        .db
        .deliver_in_order(&tenant, order.order_id, 0, keyed)
        .await
        .unwrap();
    assert!(matches!(
        delivered,
        store::work::BatchDelivery::Delivered(_)
    ));
    let o = app
        .db
        .get_order(&tenant, order.order_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((o.result_count, o.delivered_recorded), (5, 0));
    assert_eq!(register(&app, &tenant).await, (vec![], 0));

    // The next batch (one company of the first again, one new) catches up, then records itself.
    let o = deliver(&app, &order, vec![company(0), company(9)]).await;
    assert_eq!((o.result_count, o.delivered_recorded), (7, 7));
    app.db
        .catch_up_delivered(&tenant, order.order_id)
        .await
        .unwrap();
    app.db.flush_staged(&tenant, order.order_id).await.unwrap();
    let first_keys: Vec<_> = first.iter().filter_map(result_delivered_key).collect();
    assert!(
        !app.db
            .record_delivered(&tenant, order.order_id, (0, 5), &first_keys)
            .await
            .unwrap(),
        "a recorder behind the watermark moves nothing"
    );

    // A last batch delivered, its recording cut off, and the run failing: the fail task records
    // it before the order ends.
    let last = vec![(company(20), result_delivered_key(&company(20)))];
    let delivered = app
        .db
        .deliver_in_order(&tenant, order.order_id, 2, last)
        .await
        .unwrap();
    assert!(matches!(
        delivered,
        store::work::BatchDelivery::Delivered(_)
    ));
    let input = serde_json::json!({"tenant_id": tenant, "order_id": order.order_id});
    as_task(
        "fail-order",
        fail_order::handler(engine().await, input, Budget::unlimited()),
    )
    .await
    .unwrap();

    let (keys, recorded) = register(&app, &tenant).await;
    let mut expected: Vec<_> = first_keys.clone();
    expected.extend(result_delivered_key(&company(9)));
    expected.extend(result_delivered_key(&company(20)));
    let canonical = |mut v: Vec<domain::blacklist::MatchKey>| {
        v.sort_by_cached_key(|k| k.canonical());
        v.into_iter().map(|k| k.canonical()).collect::<Vec<_>>()
    };
    assert_eq!(canonical(keys), canonical(expected), "each company once");
    // Looked up by the candidates' keys (what a discovery does when that reads less), only
    // recorded keys come back.
    let mut found = Vec::new();
    let asked = vec![
        result_delivered_key(&company(9)).unwrap(),
        result_delivered_key(&company(10)).unwrap(),
    ];
    {
        app.db
            .each_delivered_held(&tenant, &asked, &mut |k| found.push(k))
            .await
            .unwrap();
    }
    assert_eq!(found, asked[..1].to_vec());
    assert!(first_keys.contains(&domain::blacklist::MatchKey::Name {
        name: domain::normalize::company_name("Müller & Söhne KG"),
        city: None,
        country: Some("DE".into())
    }));
    assert_eq!(recorded, 8, "each delivered result counted once");
    let o = app
        .db
        .get_order(&tenant, order.order_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (o.status, o.result_count, o.delivered_recorded),
        (OrderStatus::Cancelled, 8, 8)
    );
    // Another tenant's register is its own.
    let (other, _) = partner(&app).await;
    assert_eq!(register(&app, &other).await, (vec![], 0));
}
