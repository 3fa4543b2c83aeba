//! Bodies crafted to cost: what a request may hold is judged before what it holds is worked on,
//! so a huge list, thousands of invalid items or a body of millions of values are answered at once
//! with a bounded answer (issue 24, finding 1), and a padded `profile_id` is the profile it names
//! (finding 4). Times are printed (`--nocapture`), never asserted.
use crate::harness::*;
use crate::run;
use auth::Scope;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;

/// The reported body: a discovery order whose `target_countries` is `1` 2.9 million times.
fn five_megabyte_order() -> String {
    let mut body = discovery_order();
    body.as_object_mut().unwrap().remove("profile_name");
    body["target_countries"] = json!("LIST");
    let text = body
        .to_string()
        .replace("\"LIST\"", &format!("[{}]", vec!["1"; 2_900_000].join(",")));
    assert!(text.len() > 5_800_000 && text.len() < 6 * 1024 * 1024);
    text
}

#[tokio::test]
async fn the_five_megabyte_list_is_one_error_on_create_and_preview() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let text = five_megabyte_order();
    for (name, run) in [
        ("POST /orders", run!(create_order)),
        ("POST /orders/preview", run!(preview_order)),
    ] {
        let request = call("POST").key(&key).raw("application/json", &text);
        let started = Instant::now();
        let r = request.send(&app, run).await.expect(422);
        eprintln!(
            "{name}: 5.8 MB body, target_countries of 2.9 million items: {} in {:?}",
            r.status,
            started.elapsed()
        );
        assert_eq!(r.detail_fields(), ["target_countries"]);
        assert_eq!(
            r.body["error"]["details"][0]["message"],
            "target_countries must have at most 50 items"
        );
    }
}

#[tokio::test]
async fn a_422_lists_the_first_100_errors_and_counts_the_rest() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    // Within the limit of 10,000, every company invalid three ways.
    let body = json!({"order_type": "ENRICHMENT", "title": "CRM", "features": ["COMPANY_DATA"],
        "companies": vec![json!({"city": 1}); 10_000]});
    let started = Instant::now();
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(422);
    eprintln!(
        "POST /orders: 10,000 invalid companies: 422 in {:?}",
        started.elapsed()
    );
    assert_eq!(r.detail_fields().len(), 100);
    assert!(r.detail_fields()[0].starts_with("companies[0]."));
    assert_eq!(
        r.body["error"]["message"],
        "Request validation failed; the first 100 of 30000 errors are listed"
    );

    // Past the limit: one error, no item judged.
    let blacklist = create_blacklist(&app, &key).await;
    let r = call("POST")
        .key(&key)
        .path("blacklist_id", &blacklist)
        .json(&json!({"entries": vec![json!(1); 1_001]}))
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(422);
    assert_eq!(r.detail_fields(), ["entries"]);
    assert_eq!(r.body["error"]["message"], "Request validation failed");
}

/// Under 6 MB, but more values than any valid request holds (here 250,000 in 50 nested lists,
/// each under the length an array keeps): refused whole before any rule runs.
#[tokio::test]
async fn a_body_of_too_many_values_is_a_413() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let inner = format!("[{}]", vec!["1"; 5_000].join(","));
    let text = format!("{{\"entries\": [{}]}}", vec![inner; 50].join(","));
    let blacklist = create_blacklist(&app, &key).await;
    let r = call("POST")
        .key(&key)
        .path("blacklist_id", &blacklist)
        .raw("application/json", &text)
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(413);
    assert_eq!(r.code(), "PAYLOAD_TOO_LARGE");
    assert_eq!(
        r.body["error"]["message"],
        "Request body holds more than 200000 JSON values"
    );
}

/// Every function that reads a body answers a body over 6 MB with 413 before reading it.
#[tokio::test]
async fn every_body_endpoint_refuses_a_body_over_6_mb() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let admin = key_for(&app, &new_tenant(), &[Scope::Admin]).await;
    let sdk = ops::sdk_for(stack_endpoint()).await;
    let secrets = Arc::new(webhook_secrets::SecretsApp::with_key(
        app.clone(),
        &sdk,
        stack_env("WEBHOOK_SECRETS_KEY_ID"),
    ));
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(6 * 1024 * 1024));
    let any = uuid::Uuid::now_v7();
    let as_partner = |name: &str| {
        call("POST")
            .key(&key)
            .raw("application/json", &big)
            .path(name, any)
    };
    let as_admin = || {
        call("POST")
            .key(&admin)
            .raw("application/json", &big)
            .path("order_id", any)
            .path("event_id", any)
            .path("tenant_id", &tenant)
    };
    let replies = [
        (
            "create-order",
            as_partner("x").send(&app, run!(create_order)).await,
        ),
        (
            "preview-order",
            as_partner("x").send(&app, run!(preview_order)).await,
        ),
        (
            "cancel-order",
            as_partner("order_id").send(&app, run!(cancel_order)).await,
        ),
        (
            "create-blacklist",
            as_partner("x").send(&app, run!(create_blacklist)).await,
        ),
        (
            "update-blacklist",
            as_partner("blacklist_id")
                .send(&app, run!(update_blacklist))
                .await,
        ),
        (
            "add-blacklist-entries",
            as_partner("blacklist_id")
                .send(&app, run!(add_blacklist_entries))
                .await,
        ),
        (
            "rotate-webhook-secret",
            as_partner("x")
                .send_to(&secrets, rotate_webhook_secret::handler)
                .await,
        ),
        (
            "create-api-key",
            as_admin().send(&app, run!(create_api_key)).await,
        ),
        (
            "admin-accept-order",
            as_admin().send(&app, run!(admin_accept_order)).await,
        ),
        (
            "admin-reject-order",
            as_admin().send(&app, run!(admin_reject_order)).await,
        ),
        (
            "admin-redeliver-webhook",
            as_admin().send(&app, run!(admin_redeliver_webhook)).await,
        ),
        (
            "admin-recover-webhooks",
            as_admin().send(&app, run!(admin_recover_webhooks)).await,
        ),
        (
            "admin-rotate-webhook-secret",
            as_admin()
                .send_to(&secrets, admin_rotate_webhook_secret::handler)
                .await,
        ),
    ];
    for (function, r) in replies {
        assert_eq!(r.status, 413, "{function}: {}", r.body);
        assert_eq!(r.code(), "PAYLOAD_TOO_LARGE", "{function}");
    }
}

/// Finding 4: `" <uuid>"` is the profile `<uuid>` names. Another tenant's profile, padded,
/// answers as an unknown id does; the caller's own, padded, fills the order.
#[tokio::test]
async fn a_padded_profile_id_is_the_profile_it_names() {
    let app = app().await;
    let (_, owner) = partner(&app).await;
    let (_, other) = partner(&app).await;
    create_order(&app, &owner, &discovery_order()).await;
    let r = call("GET")
        .key(&owner)
        .send(&app, run!(list_profiles))
        .await
        .expect(200);
    let profile_id = r.body["items"][0]["id"].as_str().unwrap().to_string();

    let reuse = |id: &str| {
        json!({"order_type": "DISCOVERY", "title": "Reuse", "features": ["COMPANY_DATA"],
            "profile_id": id})
    };
    let unknown = uuid::Uuid::now_v7().to_string();
    let answer = |r: &Reply, id: &str| -> Value {
        // The same answer but for the id each names.
        let text = r.body["error"]["details"].to_string().replace(id, "<id>");
        serde_json::from_str(&text).unwrap()
    };
    let as_unknown = call("POST")
        .key(&other)
        .json(&reuse(&unknown))
        .send(&app, run!(create_order))
        .await
        .expect(422);
    let preview_unknown = call("POST")
        .key(&other)
        .json(&reuse(&unknown))
        .send(&app, run!(preview_order))
        .await
        .expect(422);
    for padded in [
        format!(" {profile_id}"),
        format!("{profile_id}\t"),
        format!("  {profile_id}  "),
    ] {
        let r = call("POST")
            .key(&other)
            .json(&reuse(&padded))
            .send(&app, run!(create_order))
            .await
            .expect(422);
        assert_eq!(
            answer(&r, &profile_id),
            answer(&as_unknown, &unknown),
            "{padded:?}"
        );
        let preview = call("POST")
            .key(&other)
            .json(&reuse(&padded))
            .send(&app, run!(preview_order))
            .await
            .expect(422);
        assert_eq!(
            answer(&preview, &profile_id),
            answer(&preview_unknown, &unknown),
            "{padded:?}"
        );

        let id = create_order(&app, &owner, &reuse(&padded)).await;
        let r = call("GET")
            .key(&owner)
            .path("order_id", &id)
            .send(&app, run!(get_order))
            .await
            .expect(200);
        assert_eq!(
            r.body["target_countries"],
            json!(["Germany", "Austria", "Switzerland"]),
            "the padded id's profile fills the order"
        );
    }
}

/// Finding 7: a tenant id is judged by one rule however the key is minted: the API, and `mint`
/// itself (what `opsctl create-key` calls; its flag applies the rule too, tested in opsctl).
#[tokio::test]
async fn no_key_is_minted_for_a_tenant_id_the_rule_refuses() {
    use api::usecases::api_keys::{mint, KeyRequest};
    let app = app().await;
    let admin = key_for(&app, &new_tenant(), &[Scope::Admin]).await;
    for bad in ["t-1#ORDER", "a b", ""] {
        let minted = mint(
            &app.db,
            KeyRequest {
                tenant_id: bad.into(),
                name: "ops".into(),
                scopes: vec![Scope::Admin],
                environment: auth::KeyEnvironment::Live,
                expires_at: None,
                rate_limit_per_minute: 600,
            },
        )
        .await;
        let Err(domain::ApiError::Validation(details)) = minted else {
            panic!("{bad:?} minted");
        };
        assert_eq!(details[0].field, "tenant_id");
        if !bad.is_empty() {
            let r = call("POST")
                .key(&admin)
                .json(&json!({"tenant_id": bad, "name": "x", "scopes": ["orders:read"]}))
                .send(&app, run!(create_api_key))
                .await
                .expect(422);
            assert_eq!(
                r.body["error"]["details"][0]["message"].as_str(),
                Some(details[0].message.as_str()),
                "the API and mint say the same"
            );
        }
    }
}
