use crate::harness::*;
use crate::run;
use serde_json::json;

#[tokio::test]
async fn crud_and_entry_normalisation_with_dedupe() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let r = call("POST")
        .key(&key)
        .json(&json!({"name": "Existing Customers", "description": "Companies already in our CRM"}))
        .send(&app, run!(create_blacklist))
        .await
        .expect(201);
    for f in [
        "id",
        "name",
        "description",
        "entry_count",
        "created_at",
        "updated_at",
    ] {
        assert!(r.body.get(f).is_some(), "{f}");
    }
    let id = r.body["id"].as_str().unwrap().to_string();
    let add = |entries: serde_json::Value| {
        call("POST")
            .key(&key)
            .path("blacklist_id", &id)
            .json(&json!({"entries": entries}))
    };

    let r = add(json!([
        {"company_name": "Acme Corp", "website_url": "https://WWW.Acme.com/about"},
        {"website_url": "acme.com:443"},
        {"website_url": "https://www.shop.acme.co.uk/x"},
        {"website_url": "acme.co.uk."},
        {"website_url": "http://bücher.de"},
        {"website_url": "xn--bcher-kva.de"},
        {"company_name": "Global Industries GmbH", "city": "Munich", "country": "Germany"},
        {"company_name": "GLOBAL INDUSTRIES", "city": "munich", "country": "DE"},
        {"company_name": "Müller & Söhne KG"},
        {"company_name": "Muller und Sohne"},
        {"company_name": "Société Générale S.A.", "city": "Paris"}
    ]))
    .send(&app, run!(add_blacklist_entries))
    .await
    .expect(200);
    assert_eq!(
        r.body,
        json!({"added": 6, "duplicates": 5, "entry_count": 6})
    );

    // Across calls too: existing entries count as duplicates, new ones are added.
    let r = add(json!([{"website_url": "acme.com"}, {"website_url": "beta.io"}]))
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(200);
    assert_eq!(
        r.body,
        json!({"added": 1, "duplicates": 1, "entry_count": 7})
    );

    // Concurrent adds of overlapping entries never double-count.
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let (app, req) = (
                app.clone(),
                add(json!([{"website_url": "gamma.com"}, {"website_url": "delta.com"}])),
            );
            tokio::spawn(async move { req.send(&app, run!(add_blacklist_entries)).await })
        })
        .collect();
    let mut added = 0;
    for t in tasks {
        added += t.await.unwrap().expect(200).body["added"].as_u64().unwrap();
    }
    assert_eq!(added, 2);

    let r = call("GET")
        .key(&key)
        .path("blacklist_id", &id)
        .query("limit", 100)
        .send(&app, run!(list_blacklist_entries))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 9);
    let domains: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["normalized_domain"].as_str())
        .collect();
    for d in ["acme.com", "acme.co.uk", "xn--bcher-kva.de", "beta.io"] {
        assert!(domains.contains(&d), "{d} in {domains:?}");
    }
    let entry = r.body["items"][0]["id"].as_str().unwrap().to_string();
    call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .path("entry_id", &entry)
        .send(&app, run!(delete_blacklist_entry))
        .await
        .expect(204);
    let r = call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .path("entry_id", &entry)
        .send(&app, run!(delete_blacklist_entry))
        .await
        .expect(404);
    assert_eq!(r.code(), "ENTRY_NOT_FOUND");
    let r = call("GET")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(get_blacklist))
        .await
        .expect(200);
    assert_eq!(r.body["entry_count"], 8);

    // Invalid entries: all named, nothing added.
    let r = add(json!([{"city": "Berlin"}, {"website_url": "not a url"}, {"company_name": "ok.com", "extra": 1}])).send(&app, run!(add_blacklist_entries)).await.expect(422);
    assert_eq!(
        r.detail_fields(),
        vec![
            "entries[0].company_name",
            "entries[1].website_url",
            "entries[2].extra"
        ]
    );
    let too_many: Vec<_> = (0..1001)
        .map(|i| json!({"website_url": format!("c{i}.com")}))
        .collect();
    add(json!(too_many))
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(422);
    let r = call("GET")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(get_blacklist))
        .await
        .expect(200);
    assert_eq!(r.body["entry_count"], 8);

    // 1,000 at once is allowed.
    let thousand: Vec<_> = (0..1000)
        .map(|i| json!({"website_url": format!("https://www.bulk{i}.de")}))
        .collect();
    let r = add(json!(thousand))
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(200);
    assert_eq!(
        r.body,
        json!({"added": 1000, "duplicates": 0, "entry_count": 1008})
    );

    // Patch, list, delete.
    let r = call("PATCH")
        .key(&key)
        .path("blacklist_id", &id)
        .json(&json!({"name": "Customers", "description": null}))
        .send(&app, run!(update_blacklist))
        .await
        .expect(200);
    assert_eq!(
        (r.body["name"].as_str(), r.body["description"].is_null()),
        (Some("Customers"), true)
    );
    call("PATCH")
        .key(&key)
        .path("blacklist_id", &id)
        .json(&json!({"name": ""}))
        .send(&app, run!(update_blacklist))
        .await
        .expect(422);
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_blacklists))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1);
    // Deleting a blacklist that still holds its 1,008 entries removes them all (in batches).
    call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(delete_blacklist))
        .await
        .expect(204);
    let uuid: uuid::Uuid = id.parse().unwrap();
    assert!(
        stored_entries(&app, &tenant, uuid).await == 0,
        "no entry left behind"
    );
    call("GET")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(get_blacklist))
        .await
        .expect(404);
    call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(delete_blacklist))
        .await
        .expect(404);
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_blacklists))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 0);
}

/// Deletion marks first, then cleans up: a crash right after the mark (or halfway through the
/// cleanup) leaves a blacklist that is gone for every reader and writer, and the partner's retry
/// finishes the job; no entry stays behind unreachable.
#[tokio::test]
async fn a_deletion_interrupted_after_its_mark_is_finished_by_the_retry() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let id = create_blacklist(&app, &key).await;
    let entries: Vec<_> = (0..30)
        .map(|i| json!({"company_name": format!("Firma {i} GmbH"), "website_url": format!("https://firma{i}.de")}))
        .collect();
    call("POST")
        .key(&key)
        .path("blacklist_id", &id)
        .json(&json!({ "entries": entries }))
        .send(&app, run!(add_blacklist_entries))
        .await
        .expect(200);
    let uuid: uuid::Uuid = id.parse().unwrap();
    // The crash: step 1 done, steps 2 and 3 never ran.
    assert!(app.db.mark_blacklist_deleted(&tenant, uuid).await.unwrap());

    for (c, f) in [
        (call("GET").path("blacklist_id", &id), run!(get_blacklist)),
        (
            call("GET").path("blacklist_id", &id),
            run!(list_blacklist_entries),
        ),
        (
            call("PATCH")
                .path("blacklist_id", &id)
                .json(&json!({"name": "x"})),
            run!(update_blacklist),
        ),
        (
            call("POST")
                .path("blacklist_id", &id)
                .json(&json!({"entries": [{"company_name": "Late GmbH"}]})),
            run!(add_blacklist_entries),
        ),
    ] {
        let r = c.key(&key).send(&app, f).await.expect(404);
        assert_eq!(r.code(), "BLACKLIST_NOT_FOUND");
    }
    let listed = call("GET")
        .key(&key)
        .send(&app, run!(list_blacklists))
        .await
        .expect(200);
    assert_eq!(listed.body["total"], 0, "{}", listed.body);
    let mut order = discovery_order();
    order["blacklist_ids"] = json!([id]);
    call("POST")
        .key(&key)
        .json(&order)
        .send(&app, run!(create_order))
        .await
        .expect(422);

    // The partner's retry finishes the deletion; a second retry finds nothing.
    call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(delete_blacklist))
        .await
        .expect(204);
    assert!(
        stored_entries(&app, &tenant, uuid).await == 0,
        "no entry left behind"
    );
    call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(delete_blacklist))
        .await
        .expect(404);
}

/// A DELETE removes entries for a few seconds, then answers; a large blacklist's remaining
/// entries (here: all of them, as if its time ran out right after the mark) are removed by the
/// outbox relay's sweep, with no operator and no repeated DELETE: none is left, nor the item.
#[tokio::test]
async fn a_deletion_left_unfinished_is_finished_by_the_relay() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let id = create_blacklist(&app, &key).await;
    for part in 0..2 {
        let entries: Vec<_> = (0..1000)
            .map(|i| json!({"website_url": format!("https://purge-{part}-{i}.de")}))
            .collect();
        call("POST")
            .key(&key)
            .path("blacklist_id", &id)
            .json(&json!({ "entries": entries }))
            .send(&app, run!(add_blacklist_entries))
            .await
            .expect(200);
    }
    let uuid: uuid::Uuid = id.parse().unwrap();
    let since = domain::clock::format(domain::clock::now());
    assert!(app.db.mark_blacklist_deleted(&tenant, uuid).await.unwrap());
    let before = domain::clock::format(domain::clock::now());
    assert_eq!(stored_entries(&app, &tenant, uuid).await, 2000);

    // Only the deletions marked in this window: other tests' marks are theirs to finish.
    let swept = ops::attribution::as_function(
        "outbox-relay",
        "api-tests",
        outbox_relay::purge_blacklists(&app, Some(&since), &before),
    )
    .await
    .unwrap();
    assert_eq!(swept["blacklists_deleted"], 1, "{swept}");
    assert_eq!(stored_entries(&app, &tenant, uuid).await, 0);
    call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(delete_blacklist))
        .await
        .expect(404);
    let again = outbox_relay::purge_blacklists(&app, Some(&since), &before)
        .await
        .unwrap();
    assert_eq!(
        again["blacklists_deleted"], 0,
        "out of the index once finished"
    );
}

/// Entries stored under a blacklist, whatever its item says (read as discovery reads them).
pub async fn stored_entries(app: &api::app::App, tenant: &str, id: uuid::Uuid) -> usize {
    let mut n = 0;
    app.db
        .each_match_key(tenant, id, &mut |_| n += 1)
        .await
        .unwrap();
    n
}
