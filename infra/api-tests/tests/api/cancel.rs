use crate::harness::*;
use crate::run;
use domain::order::OrderStatus;

async fn order_in(
    app: &std::sync::Arc<api::app::App>,
    status: OrderStatus,
) -> (String, String, uuid::Uuid) {
    let (tenant, key) = partner(app).await;
    let id: uuid::Uuid = create_order(app, &key, &discovery_order())
        .await
        .parse()
        .unwrap();
    let path: &[OrderStatus] = match status {
        OrderStatus::Received => &[],
        OrderStatus::Accepted => &[OrderStatus::Accepted],
        OrderStatus::InProgress => &[OrderStatus::Accepted, OrderStatus::InProgress],
        OrderStatus::Completed => &[
            OrderStatus::Accepted,
            OrderStatus::InProgress,
            OrderStatus::Completed,
        ],
        OrderStatus::Cancelled => &[OrderStatus::Cancelled],
    };
    for s in path {
        app.db
            .transition(&tenant, id, *s, &Default::default())
            .await
            .unwrap();
    }
    (tenant, key, id)
}

#[tokio::test]
async fn cancel_from_each_status() {
    let app = app().await;
    for status in OrderStatus::ALL {
        let (_, key, id) = order_in(&app, status).await;
        let r = call("POST")
            .key(&key)
            .path("order_id", id)
            .send(&app, run!(cancel_order))
            .await;
        if matches!(status, OrderStatus::Completed | OrderStatus::Cancelled) {
            assert_eq!(
                (r.status, r.code()),
                (409, "INVALID_STATUS_TRANSITION"),
                "from {status}: {}",
                r.body
            );
        } else {
            assert_eq!(r.status, 200, "from {status}: {}", r.body);
            assert_eq!(r.body["status"], "CANCELLED");
            assert!(r.body["cancelled_at"].is_string());
        }
    }
}

#[tokio::test]
async fn twenty_concurrent_cancels_make_one_transition() {
    let app = app().await;
    let (tenant, key, id) = order_in(&app, OrderStatus::InProgress).await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, key) = (app.clone(), key.clone());
            tokio::spawn(async move {
                call("POST")
                    .key(&key)
                    .path("order_id", id)
                    .send(&app, run!(cancel_order))
                    .await
            })
        })
        .collect();
    let mut ok = vec![];
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            200 => ok.push(r.body["cancelled_at"].as_str().unwrap().to_string()),
            409 => assert_eq!(r.code(), "INVALID_STATUS_TRANSITION"),
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert_eq!(ok.len(), 1, "exactly one cancel wins");
    let stored = app.db.get_order(&tenant, id).await.unwrap().unwrap();
    assert_eq!(stored.status, OrderStatus::Cancelled);
    assert_eq!(
        stored.cancelled_at.as_deref(),
        Some(ok[0].as_str()),
        "one cancelled_at"
    );
    // Exactly one event was recorded for the transition.
    let sks = outbox_events(&app, &tenant, &id.to_string()).await;
    assert_eq!(
        sks,
        vec!["EVENT#ACCEPTED", "EVENT#CANCELLED", "EVENT#IN_PROGRESS"]
    );
}

#[tokio::test]
async fn a_cancel_body_is_none_or_empty_json_and_a_bad_one_cancels_nothing() {
    let app = app().await;
    let (_, key, id) = order_in(&app, OrderStatus::Received).await;
    let cancel = || call("POST").key(&key).path("order_id", id);
    let refused = [
        (
            cancel().raw("text/plain", "hello"),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            cancel().raw("application/json", "{bad"),
            400,
            "INVALID_JSON",
        ),
        (cancel().raw("application/json", "[]"), 400, "INVALID_JSON"),
        (
            cancel().json(&serde_json::json!({"reason": "x", "force": true})),
            422,
            "VALIDATION_ERROR",
        ),
    ];
    for (request, status, code) in refused {
        let r = request.send(&app, run!(cancel_order)).await.expect(status);
        assert_eq!(r.code(), code);
        if status == 422 {
            assert_eq!(r.detail_fields(), vec!["force", "reason"]);
        }
    }
    let r = call("GET")
        .key(&key)
        .path("order_id", id)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    assert_eq!(
        r.body["status"], "RECEIVED",
        "no refused request cancelled it"
    );
    let r = cancel()
        .json(&serde_json::json!({}))
        .send(&app, run!(cancel_order))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "CANCELLED");
}
