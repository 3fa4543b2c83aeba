use crate::harness::*;
use crate::run;
use serde_json::json;

#[tokio::test]
async fn discovery_order_as_in_the_guide() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let bl = create_blacklist(&app, &key).await;
    let mut body = discovery_order();
    body["blacklist_ids"] = json!([bl]);
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    assert_eq!(r.body["status"], "RECEIVED");
    assert_eq!(r.body["order_type"], "DISCOVERY");
    assert_eq!(r.body["company_count"], 0);
    assert!(r.body["estimated_cost"].is_null());
    assert_eq!(r.body["message"], "Order received. Awaiting admin review.");
    let id = r.body["order_id"].as_str().unwrap();

    let r = call("GET")
        .key(&key)
        .path("order_id", id)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    let o = r.body.as_object().unwrap();
    for field in [
        "order_id",
        "order_type",
        "title",
        "status",
        "priority",
        "company_count",
        "features",
        "estimated_cost",
        "prospect_search_id",
        "admin_notes",
        "webhook_url",
        "seller_offering",
        "seller_industry",
        "excluded_industries",
        "target_countries",
        "target_cities",
        "output_language",
        "created_at",
        "accepted_at",
        "completed_at",
        "cancelled_at",
        "warnings",
    ] {
        assert!(
            o.contains_key(field),
            "{field} missing from the status object"
        );
    }
    assert_eq!(o["priority"], "NORMAL");
    assert_eq!(o["target_cities"], json!(["Berlin", "Munich", "Vienna"]));
    assert!(
        o["created_at"].as_str().unwrap().ends_with('Z')
            && o["created_at"].as_str().unwrap().len() == 27
    );

    // The profile named on the order now exists and can be reused by id.
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_profiles))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    let profile_id = r.body["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["items"][0]["name"], "DACH SaaS Discovery Profile");
    call("GET")
        .key(&key)
        .path("profile_id", &profile_id)
        .send(&app, run!(get_profile))
        .await
        .expect(200);
    let reuse = json!({"order_type": "DISCOVERY", "title": "Reuse", "features": ["COMPANY_DATA"], "profile_id": profile_id});
    let id2 = create_order(&app, &key, &reuse).await;
    let r = call("GET")
        .key(&key)
        .path("order_id", &id2)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    assert_eq!(
        r.body["target_countries"],
        json!(["Germany", "Austria", "Switzerland"]),
        "profile fields fill the order"
    );
}

#[tokio::test]
async fn enrichment_order_is_priced_at_once() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let companies: Vec<_> = (0..2500).map(|i| json!({"external_id": format!("crm-{i}"), "company_name": format!("Company {i} GmbH"), "website_url": format!("https://www.c{i}.de")})).collect();
    let body = json!({"order_type": "ENRICHMENT", "title": "CRM", "priority": "EXPRESS", "features": ["COMPANY_DATA", "CONTACTS"], "companies": companies});
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    assert_eq!(r.body["company_count"], 2500);
    // 2500 x (0.10 + 0.30) x 1.5
    assert_eq!(
        r.body["estimated_cost"],
        json!({"total": 1500.0, "currency": "EUR"})
    );
    let id: uuid::Uuid = r.body["order_id"].as_str().unwrap().parse().unwrap();
    let tenant = app
        .authenticate(
            Some(&format!("Bearer {key}")),
            auth::Scope::OrdersRead,
            None,
        )
        .await
        .unwrap()
        .tenant_id;
    let stored = app.db.submitted_companies(&tenant, id).await.unwrap();
    assert_eq!(stored.len(), 2500);
    assert_eq!(stored[2499].external_id, "crm-2499");
}

#[tokio::test]
async fn bad_requests_get_clear_errors_and_change_nothing() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let r = call("POST")
        .key(&key)
        .raw("application/json", "{\"order_type\": ")
        .send(&app, run!(create_order))
        .await
        .expect(400);
    assert_eq!(r.code(), "INVALID_JSON");
    let r = call("POST")
        .key(&key)
        .raw("text/plain", "hello")
        .send(&app, run!(create_order))
        .await
        .expect(415);
    assert_eq!(r.code(), "UNSUPPORTED_MEDIA_TYPE");
    let big = format!("{{\"title\": \"{}\"}}", "x".repeat(6 * 1024 * 1024 + 1));
    let r = call("POST")
        .key(&key)
        .raw("application/json", &big)
        .send(&app, run!(create_order))
        .await
        .expect(413);
    assert_eq!(r.code(), "PAYLOAD_TOO_LARGE");
    let mut body = discovery_order();
    body["colour"] = json!("blue");
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), vec!["colour"]);
    // Several invalid fields, including a blacklist that is not the caller's, in one 422.
    let body = json!({"order_type": "DISCOVERY", "title": "", "features": ["COMPANY_DATA", "COMPANY_DATA"],
        "blacklist_ids": ["nope", uuid::Uuid::now_v7()], "companies": [], "webhook_url": "http://example.com"});
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(422);
    assert_eq!(r.code(), "VALIDATION_ERROR");
    let fields = r.detail_fields();
    for f in [
        "title",
        "features",
        "ideal_customer_profile",
        "seller_offering",
        "target_countries",
        "companies",
        "webhook_url",
        "blacklist_ids[0]",
        "blacklist_ids[1]",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} not in {fields:?}");
    }
    // `exclude_delivered` is a boolean of discovery orders, named when it is anything else;
    // create and preview answer alike.
    for (order_type, value, message) in [
        (
            "DISCOVERY",
            json!("yes"),
            "exclude_delivered must be true or false",
        ),
        (
            "DISCOVERY",
            json!(1),
            "exclude_delivered must be true or false",
        ),
        (
            "ENRICHMENT",
            json!(true),
            "exclude_delivered is only for DISCOVERY orders",
        ),
    ] {
        let mut body = discovery_order();
        body["exclude_delivered"] = value;
        if order_type == "ENRICHMENT" {
            body = json!({"order_type": "ENRICHMENT", "title": "CRM", "features": ["COMPANY_DATA"],
                "companies": [{"external_id": "1", "website_url": "acme.de"}], "exclude_delivered": true});
        }
        let endpoints = [
            call("POST")
                .key(&key)
                .json(&body)
                .send(&app, run!(create_order))
                .await,
            call("POST")
                .key(&key)
                .json(&body)
                .send(&app, run!(preview_order))
                .await,
        ];
        for (i, r) in endpoints.into_iter().enumerate() {
            let r = r.expect(422);
            if order_type == "ENRICHMENT" && i == 1 {
                // A preview takes no enrichment order at all: that is said first.
                assert!(r.detail_fields().contains(&"order_type".to_string()));
                continue;
            }
            assert_eq!(r.detail_fields(), vec!["exclude_delivered"], "{body}");
            assert_eq!(r.body["error"]["details"][0]["message"], message);
        }
    }
    // A blank enum value in an otherwise valid body (this crashed create and preview): a 422
    // naming the field, with its choices.
    for blank in ["", " "] {
        let mut body = discovery_order();
        body["order_type"] = json!(blank);
        for r in [
            call("POST")
                .key(&key)
                .json(&body)
                .send(&app, run!(create_order))
                .await,
            call("POST")
                .key(&key)
                .json(&body)
                .send(&app, run!(preview_order))
                .await,
        ] {
            let r = r.expect(422);
            assert_eq!(r.detail_fields(), vec!["order_type"]);
            assert!(r.body["error"]["details"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("ENRICHMENT, DISCOVERY")));
        }
    }
    let r = call("GET")
        .key(&key)
        .query("status", "DONE")
        .query("limit", "500")
        .query("colour", "x")
        .send(&app, run!(list_orders))
        .await
        .expect(422);
    assert_eq!(r.detail_fields().len(), 3);
    // A timestamp whose UTC time is past year 9999 (this crashed the results page).
    let r = call("GET")
        .key(&key)
        .path("order_id", uuid::Uuid::now_v7())
        .query("delivered_since", "9999-12-31T23:59:59-01:00")
        .send(&app, run!(get_order_results))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), vec!["delivered_since"]);
    // Nothing was written by any of these.
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 0);
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_profiles))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 0);
    // Unknown and malformed ids are 404s, never 5xx.
    call("GET")
        .key(&key)
        .path("order_id", "not-a-uuid")
        .send(&app, run!(get_order))
        .await
        .expect(404);
    let r = call("GET")
        .key(&key)
        .path("order_id", uuid::Uuid::now_v7())
        .send(&app, run!(get_order_results))
        .await
        .expect(404);
    assert_eq!(r.code(), "ORDER_NOT_FOUND");
}

#[tokio::test]
async fn listing_filters_and_pages_newest_first() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let mut ids = vec![];
    for i in 0..5 {
        let mut body = discovery_order();
        body["title"] = json!(format!("order {i}"));
        body.as_object_mut().unwrap().remove("profile_name");
        ids.push(create_order(&app, &key, &body).await);
    }
    let enrichment = json!({"order_type": "ENRICHMENT", "title": "E", "features": ["COMPANY_DATA"], "companies": [{"external_id": "1", "company_name": "Acme"}]});
    ids.push(create_order(&app, &key, &enrichment).await);
    app.db
        .transition(
            &tenant,
            ids[0].parse().unwrap(),
            domain::order::OrderStatus::Cancelled,
            &Default::default(),
        )
        .await
        .unwrap();

    let r = call("GET")
        .key(&key)
        .query("limit", 2)
        .query("offset", 1)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(
        (r.body["total"].as_u64(), r.body["has_more"].as_bool()),
        (Some(6), Some(true))
    );
    let got: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![ids[4].as_str(), ids[3].as_str()], "newest first");
    let r = call("GET")
        .key(&key)
        .query("order_type", "ENRICHMENT")
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    let r = call("GET")
        .key(&key)
        .query("status", "CANCELLED")
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["order_id"], ids[0]);
    let r = call("GET")
        .key(&key)
        .query("status", "RECEIVED")
        .query("order_type", "DISCOVERY")
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 4);
}

#[tokio::test]
async fn an_unreachable_database_is_a_503_without_internals() {
    let s = config::Config::from_lookup(|k| (k == "TABLE_NAME").then(|| "MainTable".to_string()))
        .unwrap();
    let port = ops::emulator::free_port().unwrap();
    let sdk = ops::sdk_for(&format!("http://127.0.0.1:{port}")).await;
    let dead = std::sync::Arc::new(api::app::App::wired(s, &sdk, ops::ADAPTERS));
    let key = format!(
        "lnc_test_{}{}",
        uuid::Uuid::now_v7().simple(),
        "a".repeat(32)
    );
    let r = call("GET")
        .key(&key)
        .send(&dead, run!(list_orders))
        .await
        .expect(503);
    assert_eq!(r.code(), "SERVICE_UNAVAILABLE");
    assert!(
        !r.body.to_string().contains("127.0.0.1"),
        "no internals in the body: {}",
        r.body
    );
    assert!(r.retry_after.is_some(), "503 says when to retry");
}

/// A frozen dependency (connections accepted, never answered) with the production timeouts: every
/// endpoint answers 503 with the envelope and Retry-After, in seconds, instead of hanging until
/// API Gateway cuts it at 30 s with a bare 504.
#[tokio::test]
async fn a_stalled_database_answers_503_within_seconds() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket); // never answered, never closed
        }
    });
    let config =
        config::Config::from_lookup(|k| (k == "TABLE_NAME").then(|| "MainTable".to_string()))
            .unwrap();
    assert_eq!(config.aws, config::AwsTimeouts::default());
    let sdk = ops::sdk_for(&format!("http://127.0.0.1:{port}")).await;
    let frozen = std::sync::Arc::new(api::app::App::wired(config, &sdk, ops::ADAPTERS));
    let key = format!(
        "lnc_test_{}{}",
        uuid::Uuid::now_v7().simple(),
        "a".repeat(32)
    );
    let id = uuid::Uuid::now_v7();
    let calls = [
        (call("GET"), run!(list_orders)),
        (call("GET").path("order_id", id), run!(get_order)),
        (call("POST").json(&discovery_order()), run!(create_order)),
        (call("POST").path("order_id", id), run!(cancel_order)),
    ];
    for (c, f) in calls {
        let started = std::time::Instant::now();
        let r = c.key(&key).send(&frozen, f).await.expect(503);
        assert_eq!(r.code(), "SERVICE_UNAVAILABLE");
        assert_eq!(r.retry_after.as_deref(), Some("5"));
        // Bounded by the operation timeout (5 s), far from a hang.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn exclusions_that_remove_a_whole_segment_are_warned_about() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let create = |icp: &str, excluded: serde_json::Value| {
        let mut body = discovery_order();
        body["ideal_customer_profile"] = json!(icp);
        body["excluded_industries"] = excluded;
        body
    };
    // "Health insurance" names no label: its head word removes every insurer, and says so.
    let body = create(
        "Hospital operators and outpatient clinics",
        json!(["Health insurance", "Government"]),
    );
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    let broad =
        "excluded_industries: \"Health insurance\" excludes the whole segment \"Insurance\"";
    assert_eq!(r.body["warnings"], json!([broad]));
    let id = r.body["order_id"].as_str().unwrap().to_string();
    let r = call("GET")
        .key(&key)
        .path("order_id", &id)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    assert_eq!(r.body["warnings"], json!([broad]));

    // An exact catalog label removes only that label, so there is nothing to warn about.
    let body = create(
        "Oil and gas exploration and production companies",
        json!(["Oil & Gas Refining & Marketing", "Refining"]),
    );
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    assert_eq!(r.body["warnings"], json!([]));
}

#[tokio::test]
async fn excluded_industries_that_match_nothing_are_warned_about() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let unknown =
        "excluded_industries: \"Xylophones\" matches no known industry and excludes nothing";

    // The guide's order: every exclusion names an industry, so no warnings (but the field is there).
    let r = call("POST")
        .key(&key)
        .json(&discovery_order())
        .send(&app, run!(create_order))
        .await
        .expect(202);
    assert_eq!(r.body["warnings"], json!([]));
    let guide_id = r.body["order_id"].as_str().unwrap().to_string();
    let r = call("GET")
        .key(&key)
        .path("order_id", &guide_id)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    assert_eq!(r.body["warnings"], json!([]));

    // "Xylophones" names no industry; "Government" does.
    let mut body = discovery_order();
    body["excluded_industries"] = json!(["Xylophones", "Government"]);
    body["profile_name"] = json!("Xylophone-free profile");
    let created = call("POST")
        .key(&key)
        .header("idempotency-key", "warn-1")
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    assert_eq!(created.body["warnings"], json!([unknown]));
    let id = created.body["order_id"].as_str().unwrap().to_string();
    let replay = call("POST")
        .key(&key)
        .header("idempotency-key", "warn-1")
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    assert_eq!(replay.body, created.body, "a replay answers the same body");

    let r = call("GET")
        .key(&key)
        .path("order_id", &id)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    assert_eq!(r.body["warnings"], json!([unknown]));
    assert_eq!(
        r.body["excluded_industries"],
        json!(["Xylophones", "Government"])
    );
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    let items = r.body["items"].as_array().unwrap();
    let warnings_of = |id: &str| {
        items
            .iter()
            .find(|o| o["order_id"] == id)
            .map(|o| o["warnings"].clone())
    };
    assert_eq!(warnings_of(&id), Some(json!([unknown])));
    assert_eq!(warnings_of(&guide_id), Some(json!([])));

    // Exclusions filled from a reused profile are checked too.
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_profiles))
        .await
        .expect(200);
    let profile_id = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Xylophone-free profile")
        .unwrap()["id"]
        .clone();
    let reuse = json!({"order_type": "DISCOVERY", "title": "Reuse", "features": ["COMPANY_DATA"], "profile_id": profile_id});
    let r = call("POST")
        .key(&key)
        .json(&reuse)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    assert_eq!(r.body["warnings"], json!([unknown]));
    let reused = r.body["order_id"].as_str().unwrap().to_string();

    // The cancel answer is the status object too.
    let r = call("POST")
        .key(&key)
        .path("order_id", &reused)
        .send(&app, run!(cancel_order))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "CANCELLED");
    assert_eq!(r.body["warnings"], json!([unknown]));
}

#[tokio::test]
async fn admin_get_order_shows_any_tenants_order_as_its_partner_sees_it_plus_the_tenant() {
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[auth::Scope::Admin]).await;
    let (a, b) = (partner(&app).await, partner(&app).await);
    for (tenant, key) in [&a, &b] {
        let id = create_order(&app, key, &discovery_order()).await;
        let own = call("GET")
            .key(key)
            .path("order_id", &id)
            .send(&app, run!(get_order))
            .await
            .expect(200);
        let r = call("GET")
            .key(&admin)
            .path("order_id", &id)
            .send(&app, run!(admin_get_order))
            .await
            .expect(200);
        let mut want = own.body;
        want["tenant_id"] = json!(tenant);
        assert_eq!(r.body, want, "{tenant}'s order");
        // The partner's key, whatever it holds, is no operator's.
        let r = call("GET")
            .key(key)
            .path("order_id", &id)
            .send(&app, run!(admin_get_order))
            .await
            .expect(403);
        assert_eq!(r.code(), "AUTHORIZATION_ERROR");
    }
}

#[tokio::test]
async fn admin_get_order_answers_404_for_ids_of_no_order() {
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[auth::Scope::Admin]).await;
    let (_, key) = partner(&app).await;
    let order = create_order(&app, &key, &discovery_order()).await;
    let blacklist = create_blacklist(&app, &key).await;
    for id in [
        uuid::Uuid::now_v7().to_string(),
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::nil().to_string(),
        // Another resource's id, and ids shaped like the table's keys.
        blacklist,
        format!("ORDER#{order}"),
        format!("{order}#x"),
        "not-a-uuid".into(),
        "x".repeat(1000),
    ] {
        let r = call("GET")
            .key(&admin)
            .path("order_id", &id)
            .send(&app, run!(admin_get_order))
            .await;
        assert_eq!(r.status, 404, "{id}: {}", r.body);
        assert_eq!(r.code(), "ORDER_NOT_FOUND", "{id}");
    }
}
