use crate::harness::*;
use crate::run;
use serde_json::json;

#[tokio::test]
async fn another_tenants_ids_are_404_and_never_listed() {
    let app = app().await;
    let (_, a) = partner(&app).await;
    let (_, b) = partner(&app).await;
    let order = create_order(&app, &a, &discovery_order()).await;
    let bl = create_blacklist(&app, &a).await;
    call("POST")
        .key(&a)
        .path("blacklist_id", &bl)
        .json(&json!({"entries": [{"website_url": "acme.com"}]}))
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(200);
    let entries = call("GET")
        .key(&a)
        .path("blacklist_id", &bl)
        .send(&app, run!(list_blacklist_entries))
        .await
        .expect(200);
    let entry = entries.body["items"][0]["id"].as_str().unwrap().to_string();
    let profiles = call("GET")
        .key(&a)
        .send(&app, run!(list_profiles))
        .await
        .expect(200);
    let profile = profiles.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let cases: Vec<(&str, Run, Call, &str)> = vec![
        (
            "get-order",
            run!(get_order),
            call("GET").path("order_id", &order),
            "ORDER_NOT_FOUND",
        ),
        (
            "cancel-order",
            run!(cancel_order),
            call("POST").path("order_id", &order),
            "ORDER_NOT_FOUND",
        ),
        (
            "get-order-results",
            run!(get_order_results),
            call("GET").path("order_id", &order),
            "ORDER_NOT_FOUND",
        ),
        (
            "get-blacklist",
            run!(get_blacklist),
            call("GET").path("blacklist_id", &bl),
            "BLACKLIST_NOT_FOUND",
        ),
        (
            "update-blacklist",
            run!(update_blacklist),
            call("PATCH")
                .path("blacklist_id", &bl)
                .json(&json!({"name": "mine"})),
            "BLACKLIST_NOT_FOUND",
        ),
        (
            "delete-blacklist",
            run!(delete_blacklist),
            call("DELETE").path("blacklist_id", &bl),
            "BLACKLIST_NOT_FOUND",
        ),
        (
            "add-blacklist-entries",
            run!(add_blacklist_entries),
            call("POST")
                .path("blacklist_id", &bl)
                .json(&json!({"entries": [{"company_name": "X"}]})),
            "BLACKLIST_NOT_FOUND",
        ),
        (
            "list-blacklist-entries",
            run!(list_blacklist_entries),
            call("GET").path("blacklist_id", &bl),
            "BLACKLIST_NOT_FOUND",
        ),
        (
            "delete-blacklist-entry",
            run!(delete_blacklist_entry),
            call("DELETE")
                .path("blacklist_id", &bl)
                .path("entry_id", &entry),
            "BLACKLIST_NOT_FOUND",
        ),
        (
            "get-profile",
            run!(get_profile),
            call("GET").path("profile_id", &profile),
            "PROFILE_NOT_FOUND",
        ),
    ];
    for (name, run, req, code) in cases {
        let r = req.key(&b).send(&app, run).await;
        assert_eq!((r.status, r.code()), (404, code), "{name}: {}", r.body);
    }
    // B cannot use A's blacklist or profile on its own orders either: they "do not exist".
    let mut body = discovery_order();
    body["blacklist_ids"] = json!([bl]);
    let r = call("POST")
        .key(&b)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), vec!["blacklist_ids[0]"]);
    let reuse = json!({"order_type": "DISCOVERY", "title": "t", "features": ["COMPANY_DATA"], "profile_id": profile});
    let r = call("POST")
        .key(&b)
        .json(&reuse)
        .send(&app, run!(create_order))
        .await
        .expect(422);
    assert!(r.detail_fields().contains(&"profile_id".to_string()));
    // B's lists never show A's items, and A's items are untouched.
    for run in [
        run!(list_orders),
        run!(list_blacklists),
        run!(list_profiles),
    ] {
        let r = call("GET").key(&b).send(&app, run).await.expect(200);
        assert_eq!(r.body["total"], 0, "{}", r.body);
    }
    let r = call("GET")
        .key(&a)
        .path("order_id", &order)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "RECEIVED");
    let r = call("GET")
        .key(&a)
        .path("blacklist_id", &bl)
        .send(&app, run!(get_blacklist))
        .await
        .expect(200);
    assert_eq!(
        (r.body["name"].as_str(), r.body["entry_count"].as_u64()),
        (Some("Existing Customers"), Some(1))
    );
}
