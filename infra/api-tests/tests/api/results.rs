use crate::harness::*;
use crate::run;
use shared::domain::order::OrderStatus;
use shared::domain::paging::Page;
use shared::domain::results::CompanyResult;
use shared::store::ports::{Orders, Results};
use std::collections::HashSet;

async fn in_progress_order(
    app: &std::sync::Arc<shared::App>,
) -> (String, String, shared::domain::order::Order) {
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
    // Three deliveries (100 + 100 + 50) written through the storage layer.
    let mut first_delivery_at = String::new();
    for (d, n) in [100, 100, 50].into_iter().enumerate() {
        let batch: Vec<CompanyResult> = (0..n)
            .map(|i| CompanyResult::named(format!("Company {d}-{i}")))
            .collect();
        let current = app
            .db
            .get_order(&tenant, order.order_id)
            .await
            .unwrap()
            .unwrap();
        let delivery = app.db.deliver(&current, batch).await.unwrap();
        if d == 0 {
            first_delivery_at = delivery.delivered_at.clone();
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
    app.db.deliver(&order, batch).await.unwrap();
    let order = app
        .db
        .get_order(&tenant, order.order_id)
        .await
        .unwrap()
        .unwrap();
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
    app.db
        .deliver(&order, vec![CompanyResult::named("before")])
        .await
        .unwrap();
    app.db
        .transition(
            &tenant,
            order.order_id,
            OrderStatus::Cancelled,
            &Default::default(),
        )
        .await
        .unwrap();
    let err = app
        .db
        .deliver(&order, vec![CompanyResult::named("after")])
        .await
        .unwrap_err();
    assert_eq!(err.status(), 409);
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
