use crate::harness::*;
use crate::run;
use serde_json::json;

#[tokio::test]
async fn same_key_same_body_creates_one_order() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let body = discovery_order();
    let mut ids = std::collections::BTreeSet::new();
    // 5 sequential, then 15 concurrent.
    for _ in 0..5 {
        let r = call("POST")
            .key(&key)
            .header("idempotency-key", "retry-1")
            .json(&body)
            .send(&app, run!(create_order))
            .await
            .expect(202);
        ids.insert(r.body["order_id"].as_str().unwrap().to_string());
    }
    let tasks: Vec<_> = (0..15)
        .map(|_| {
            let (app, key, body) = (app.clone(), key.clone(), body.clone());
            tokio::spawn(async move {
                call("POST")
                    .key(&key)
                    .header("idempotency-key", "retry-1")
                    .json(&body)
                    .send(&app, run!(create_order))
                    .await
            })
        })
        .collect();
    for t in tasks {
        let r = t.await.unwrap().expect(202);
        ids.insert(r.body["order_id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_profiles))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1, "the profile was created once too");

    let mut other = body.clone();
    other["title"] = json!("something else");
    let r = call("POST")
        .key(&key)
        .header("idempotency-key", "retry-1")
        .json(&other)
        .send(&app, run!(create_order))
        .await
        .expect(409);
    assert_eq!(r.code(), "IDEMPOTENCY_KEY_REUSED");
}

#[tokio::test]
async fn concurrent_first_requests_race_to_one_order() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let body = json!({"order_type": "ENRICHMENT", "title": "E", "features": ["COMPANY_DATA"], "companies": [{"external_id": "1", "company_name": "Acme"}]});
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, key, body) = (app.clone(), key.clone(), body.clone());
            tokio::spawn(async move {
                call("POST")
                    .key(&key)
                    .header("idempotency-key", "race")
                    .json(&body)
                    .send(&app, run!(create_order))
                    .await
            })
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 202, "{}", r.body);
        ids.insert(r.body["order_id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1);
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    // Keys are per tenant: another partner may use the same key freely.
    let (_, other) = partner(&app).await;
    call("POST")
        .key(&other)
        .header("idempotency-key", "race")
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
}

#[tokio::test]
async fn a_key_is_up_to_255_characters_of_text_and_a_bad_one_is_refused_with_the_body_errors() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let body = discovery_order();
    let create = |header: Vec<u8>, body: serde_json::Value| {
        let (app, key) = (app.clone(), key.clone());
        async move {
            call("POST")
                .key(&key)
                .header_bytes("idempotency-key", &header)
                .json(&body)
                .send(&app, run!(create_order))
                .await
        }
    };

    // Characters, not bytes: 255 two-byte characters are 510 bytes and a valid key, replayed.
    let long = "ü".repeat(255);
    let first = create(long.clone().into_bytes(), body.clone())
        .await
        .expect(202);
    let again = create(long.into_bytes(), body.clone()).await.expect(202);
    assert_eq!(first.body["order_id"], again.body["order_id"]);

    // Too long, not text, or blank: a 422 that also names the body's own errors, and no order.
    let mut bad_body = body.clone();
    bad_body.as_object_mut().unwrap().remove("title");
    for header in [
        "ü".repeat(256).into_bytes(),
        vec![b'k', 0xff, 0xfe],
        b"   ".to_vec(),
    ] {
        let r = create(header.clone(), bad_body.clone()).await.expect(422);
        let fields: Vec<&str> = r.body["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"Idempotency-Key"),
            "{header:?}: {fields:?}"
        );
        assert!(fields.contains(&"title"), "{header:?}: {fields:?}");
        create(header, body.clone()).await.expect(422);
    }
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1, "only the valid key's order exists");
}
