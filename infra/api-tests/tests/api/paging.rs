//! Bounded paging (issue 24, finding 2): pages reached by cursor inside the store, totals from
//! stored counters kept exact under concurrency, the per-tenant limits, and a large blacklist
//! read by the preview. Fixtures are a few thousand entries but one: a blacklist of 100,000
//! entries applied by a preview and a discovery (looked up, not read whole); its reads and memory
//! are measured by `infra/bench/blacklist.sh`, not here.
use crate::blacklists::stored_entries;
use crate::harness::*;
use crate::run;
use domain::blacklist::MatchKey;
use serde_json::{json, Value};
use std::collections::BTreeSet;

async fn add_entries(
    app: &std::sync::Arc<api::app::App>,
    key: &str,
    id: &str,
    entries: Vec<Value>,
) -> Reply {
    call("POST")
        .key(key)
        .path("blacklist_id", id)
        .json(&json!({ "entries": entries }))
        .send(app, run!(add_blacklist_entries))
        .await
}

fn domains(from: usize, to: usize, tag: &str) -> Vec<Value> {
    (from..to)
        .map(|i| json!({"website_url": format!("https://www.{tag}-{i}.de")}))
        .collect()
}

async fn entries_page(
    app: &std::sync::Arc<api::app::App>,
    key: &str,
    id: &str,
    offset: usize,
    limit: usize,
) -> Reply {
    call("GET")
        .key(key)
        .path("blacklist_id", id)
        .query("offset", offset)
        .query("limit", limit)
        .send(app, run!(list_blacklist_entries))
        .await
}

/// Pages deep in a blacklist of 2,400 entries are exactly the slices of the whole listing
/// (entries in id order), with the stored count as `total`; past the end is empty, and an
/// offset past the documented maximum is a 422 naming `offset`.
#[tokio::test]
async fn deep_offsets_on_a_large_blacklist_return_the_right_page() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let id = create_blacklist(&app, &key).await;
    for chunk in domains(0, 2400, "deep").chunks(1000) {
        add_entries(&app, &key, &id, chunk.to_vec())
            .await
            .expect(200);
    }
    // The whole listing, page by page as a client reads it.
    let mut all = Vec::new();
    let mut offset = 0;
    loop {
        let r = entries_page(&app, &key, &id, offset, 100).await.expect(200);
        assert_eq!(r.body["total"], 2400, "{}", r.body["total"]);
        let items = r.body["items"].as_array().unwrap().clone();
        offset += items.len();
        all.extend(items);
        if r.body["has_more"] == false {
            break;
        }
    }
    let ids: Vec<String> = all
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2400);
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        2400,
        "no entry twice"
    );
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "entries in the order of their ids");

    for (offset, limit) in [
        (0, 1),
        (1, 7),
        (1234, 100),
        (2300, 100),
        (2399, 100),
        (2350, 73),
    ] {
        let r = entries_page(&app, &key, &id, offset, limit)
            .await
            .expect(200);
        let got: Vec<&str> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = ids
            .iter()
            .skip(offset)
            .take(limit)
            .map(String::as_str)
            .collect();
        assert_eq!(got, want, "offset {offset} limit {limit}");
        assert_eq!(r.body["offset"], offset);
        assert_eq!(r.body["has_more"], offset + limit < 2400);
    }
    for offset in [2400, 5000, 10_000] {
        let r = entries_page(&app, &key, &id, offset, 100).await.expect(200);
        assert_eq!(r.body["items"], json!([]), "offset {offset}");
        assert_eq!(
            (r.body["total"].clone(), r.body["has_more"].clone()),
            (json!(2400), json!(false))
        );
    }
    let r = entries_page(&app, &key, &id, 10_001, 100).await.expect(422);
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(r.detail_fields(), vec!["offset"]);
}

/// Every list paged by skipping refuses an offset past the maximum in the contract's shape, and
/// pages by the same cursor: orders newest first, filtered by status and type from counters.
#[tokio::test]
async fn every_skipped_list_caps_its_offset_and_orders_page_from_counters() {
    let app = app().await;
    let (_, key) = partner(&app).await;
    let mut created = Vec::new();
    for i in 0..7 {
        let mut body = discovery_order();
        body["title"] = json!(format!("order {i}"));
        body.as_object_mut().unwrap().remove("profile_name");
        created.push(create_order(&app, &key, &body).await);
    }
    for id in &created[..2] {
        call("POST")
            .key(&key)
            .path("order_id", id)
            .send(&app, run!(cancel_order))
            .await
            .expect(200);
    }
    let newest_first: Vec<&String> = created.iter().rev().collect();
    let list = |q: &[(&str, &str)]| {
        let mut c = call("GET").key(&key);
        for (k, v) in q {
            c = c.query(k, v);
        }
        c
    };
    let r = list(&[("offset", "2"), ("limit", "3")])
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    let got: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        newest_first[2..5]
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        (r.body["total"].clone(), r.body["has_more"].clone()),
        (json!(7), json!(true))
    );

    // A filter decides what counts: the skip reads keys only, the total is the filter's counter.
    let r = list(&[
        ("status", "RECEIVED"),
        ("order_type", "DISCOVERY"),
        ("offset", "3"),
    ])
    .send(&app, run!(list_orders))
    .await
    .expect(200);
    let got: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![created[3].as_str(), created[2].as_str()]);
    assert_eq!(r.body["total"], 5);
    let r = list(&[("status", "CANCELLED"), ("offset", "1")])
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 2);
    assert_eq!(r.body["items"][0]["order_id"], json!(created[0]));
    let r = list(&[("order_type", "ENRICHMENT")])
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(
        (r.body["total"].clone(), r.body["items"].clone()),
        (json!(0), json!([]))
    );

    for f in [
        run!(list_orders),
        run!(list_blacklists),
        run!(list_profiles),
    ] {
        let r = list(&[("offset", "10001")]).send(&app, f).await.expect(422);
        assert_eq!(r.detail_fields(), vec!["offset"]);
        list(&[("offset", "10000")]).send(&app, f).await.expect(200);
    }
    let admin = key_for(&app, "operators", &[auth::Scope::Admin]).await;
    for f in [run!(list_api_keys), run!(admin_list_orders)] {
        let r = call("GET")
            .key(&admin)
            .query("offset", "10001")
            .send(&app, f)
            .await
            .expect(422);
        assert_eq!(r.detail_fields(), vec!["offset"]);
    }
}

/// Entries added and deleted at once by many requests (the emulator refusing overlapping
/// transactions as DynamoDB does), blacklists created and deleted at once, orders created and
/// cancelled at once: every total equals what is stored.
#[tokio::test]
async fn counts_are_exact_after_concurrent_adds_and_deletes() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let id = create_blacklist(&app, &key).await;
    let uuid: uuid::Uuid = id.parse().unwrap();
    add_entries(&app, &key, &id, domains(0, 60, "shared"))
        .await
        .expect(200);
    let first = entries_page(&app, &key, &id, 0, 30).await.expect(200);
    let doomed: Vec<String> = first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();

    let mut tasks = Vec::new();
    for i in 0..12 {
        // Overlapping additions: each adds 20 of its own and 20 every other one adds too.
        let mut entries = domains(i * 20, i * 20 + 20, "own");
        entries.extend(domains(0, 20, "everyone"));
        let (app, key, id) = (app.clone(), key.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            add_entries(&app, &key, &id, entries).await.status
        }));
    }
    for entry in doomed.clone() {
        let (app, key, id) = (app.clone(), key.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            call("DELETE")
                .key(&key)
                .path("blacklist_id", &id)
                .path("entry_id", &entry)
                .send(&app, run!(delete_blacklist_entry))
                .await
                .status
        }));
    }
    for t in tasks {
        let status = t.await.unwrap();
        assert!(status == 200 || status == 204, "{status}");
    }
    let stored = stored_entries(&app, &tenant, uuid).await;
    assert_eq!(stored, 60 - 30 + 12 * 20 + 20);
    let r = entries_page(&app, &key, &id, 0, 1).await.expect(200);
    assert_eq!(r.body["total"], stored);
    let bl = call("GET")
        .key(&key)
        .path("blacklist_id", &id)
        .send(&app, run!(get_blacklist))
        .await
        .expect(200);
    assert_eq!(bl.body["entry_count"], stored);

    // Blacklists created and deleted at once.
    let mut made = Vec::new();
    for _ in 0..6 {
        made.push(create_blacklist(&app, &key).await);
    }
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (app, key) = (app.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            call("POST")
                .key(&key)
                .json(&json!({"name": format!("list {i}")}))
                .send(&app, run!(create_blacklist))
                .await
                .status
        }));
    }
    for bl in made.iter().take(4).chain(made.iter().take(2)) {
        // Two deleted twice at once: the second deletion must not count it out again.
        let (app, key, bl) = (app.clone(), key.clone(), bl.clone());
        tasks.push(tokio::spawn(async move {
            call("DELETE")
                .key(&key)
                .path("blacklist_id", &bl)
                .send(&app, run!(delete_blacklist))
                .await
                .status
        }));
    }
    for t in tasks {
        let status = t.await.unwrap();
        assert!([201, 204, 404].contains(&status), "{status}");
    }
    let r = call("GET")
        .key(&key)
        .query("limit", 100)
        .send(&app, run!(list_blacklists))
        .await
        .expect(200);
    // The first blacklist, 6 made, 8 more, 4 deleted.
    assert_eq!(r.body["total"], 1 + 6 + 8 - 4, "{}", r.body);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 11);

    // Orders created and cancelled at once.
    let mut body = discovery_order();
    body.as_object_mut().unwrap().remove("profile_name");
    let first = create_order(&app, &key, &body).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, key, body) = (app.clone(), key.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            call("POST")
                .key(&key)
                .json(&body)
                .send(&app, run!(create_order))
                .await
                .status
        }));
    }
    for _ in 0..3 {
        let (app, key, first) = (app.clone(), key.clone(), first.clone());
        tasks.push(tokio::spawn(async move {
            call("POST")
                .key(&key)
                .path("order_id", &first)
                .send(&app, run!(cancel_order))
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        8,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "one cancel wins: {statuses:?}"
    );
    for (status, total) in [(None, 9), (Some("RECEIVED"), 8), (Some("CANCELLED"), 1)] {
        let mut c = call("GET").key(&key).query("limit", 100);
        if let Some(s) = status {
            c = c.query("status", s);
        }
        let r = c.send(&app, run!(list_orders)).await.expect(200);
        assert_eq!(r.body["total"], total, "{status:?}");
        assert_eq!(
            r.body["items"].as_array().unwrap().len(),
            total,
            "{status:?}"
        );
    }
}

/// The limits answer in the contract's error shape and hold under concurrent requests: entries
/// per blacklist a 422 naming `entries` (nothing of a refused call is stored), open orders per
/// tenant a 409 `LIMIT_EXCEEDED` (a cancelled order makes room again).
#[tokio::test]
async fn the_limits_are_answered_as_documented() {
    let app = app_with(&[("MAX_BLACKLIST_ENTRIES", "50"), ("MAX_OPEN_ORDERS", "3")]).await;
    let (tenant, key) = partner(&app).await;
    let id = create_blacklist(&app, &key).await;
    let uuid: uuid::Uuid = id.parse().unwrap();
    add_entries(&app, &key, &id, domains(0, 40, "limit"))
        .await
        .expect(200);
    let r = add_entries(&app, &key, &id, domains(40, 51, "limit"))
        .await
        .expect(422);
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(r.detail_fields(), vec!["entries"]);
    assert!(
        r.body["error"]["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 50"),
        "{}",
        r.body
    );
    assert_eq!(
        stored_entries(&app, &tenant, uuid).await,
        40,
        "nothing of the refused call stored"
    );
    let r = add_entries(&app, &key, &id, domains(40, 50, "limit"))
        .await
        .expect(200);
    assert_eq!(r.body["entry_count"], 50);

    // Concurrent additions to a fuller list never pass the bound.
    let other = create_blacklist(&app, &key).await;
    let other_uuid: uuid::Uuid = other.parse().unwrap();
    add_entries(&app, &key, &other, domains(0, 30, "race"))
        .await
        .expect(200);
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (app, key, other) = (app.clone(), key.clone(), other.clone());
            tokio::spawn(async move {
                add_entries(
                    &app,
                    &key,
                    &other,
                    domains(100 + i * 10, 110 + i * 10, "race"),
                )
                .await
            })
        })
        .collect();
    let mut accepted = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            200 => accepted += 1,
            422 => assert_eq!(r.detail_fields(), vec!["entries"]),
            s => panic!("{s}: {}", r.body),
        }
    }
    assert_eq!(accepted, 2, "room for two of the six");
    assert_eq!(stored_entries(&app, &tenant, other_uuid).await, 50);

    let mut body = discovery_order();
    body.as_object_mut().unwrap().remove("profile_name");
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(create_order(&app, &key, &body).await);
    }
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(409);
    assert_eq!(r.code(), "LIMIT_EXCEEDED");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("At most 3 orders"),
        "{}",
        r.body
    );
    call("POST")
        .key(&key)
        .path("order_id", &open[0])
        .send(&app, run!(cancel_order))
        .await
        .expect(200);
    create_order(&app, &key, &body).await;
    call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(409);
    let r = call("GET")
        .key(&key)
        .send(&app, run!(list_orders))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 4, "the refused orders left nothing");
}

/// 400 generated companies in a country no other test writes.
async fn cyprus_market(app: &api::app::App) {
    static SEEDED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SEEDED
        .get_or_init(|| crate::harness::seed_market(app, 400, 29, ("Cyprus", &["Nicosia"]), "cy"))
        .await;
}

fn cyprus_order() -> Value {
    json!({
        "order_type": "DISCOVERY", "title": "Cyprus B2B software", "features": ["COMPANY_DATA"],
        "ideal_customer_profile": "B2B software companies with 20-500 employees, growing, cloud and HR software",
        "seller_offering": "Lead generation", "target_countries": ["Cyprus"]
    })
}

/// A discovery naming a blacklist of 2,000 entries, among them the five companies its preview
/// shows first, completes without any of them (the plan task reads the blacklist page by page).
#[tokio::test]
async fn a_discovery_with_a_large_blacklist_delivers_none_of_its_companies() {
    crate::workflow_harness::lifecycle_ready().await;
    let app = app().await;
    let admin = key_for(&app, "operators", &[auth::Scope::Admin]).await;
    let (_, key) = partner(&app).await;
    cyprus_market(&app).await;
    let preview = call("POST")
        .key(&key)
        .json(&cyprus_order())
        .send(&app, run!(preview_order))
        .await
        .expect(200)
        .body;
    let best: Vec<String> = preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["normalized_url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(best.len(), 5, "{preview}");
    let id = create_blacklist(&app, &key).await;
    let mut entries = domains(0, 1995, "discovery-filler");
    entries.extend(best.iter().map(|d| json!({"website_url": d})));
    for chunk in entries.chunks(1000) {
        add_entries(&app, &key, &id, chunk.to_vec())
            .await
            .expect(200);
    }
    let mut order = cyprus_order();
    order["blacklist_ids"] = json!([id]);
    let order_id = create_order(&app, &key, &order).await;
    call("POST")
        .key(&admin)
        .path("order_id", &order_id)
        .send(&app, run!(admin_accept_order))
        .await
        .expect(200);
    let started = std::time::Instant::now();
    let done = loop {
        let s = call("GET")
            .key(&key)
            .path("order_id", &order_id)
            .send(&app, run!(get_order))
            .await
            .expect(200)
            .body;
        if s["status"] == "COMPLETED" || s["status"] == "CANCELLED" {
            break s;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(180),
            "still {}",
            s["status"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    };
    assert_eq!(done["status"], "COMPLETED", "{done}");
    let mut delivered = Vec::new();
    let mut offset = 0;
    loop {
        let r = call("GET")
            .key(&key)
            .path("order_id", &order_id)
            .query("limit", 100)
            .query("offset", offset)
            .send(&app, run!(get_order_results))
            .await
            .expect(200);
        let items = r.body["items"].as_array().unwrap().clone();
        offset += items.len();
        delivered.extend(
            items
                .into_iter()
                .map(|i| i["normalized_url"].as_str().unwrap_or_default().to_string()),
        );
        if r.body["has_more"] == false {
            break;
        }
    }
    assert!(!delivered.is_empty());
    assert!(
        delivered.iter().all(|d| !best.contains(d)),
        "a blacklisted company was delivered"
    );
}

/// A preview naming a blacklist of 2,500 entries (the companies it would show first among
/// them) answers without them: the blacklist is read page by page into match keys.
#[tokio::test]
async fn a_preview_with_a_large_blacklist_leaves_its_companies_out() {
    crate::workflow_harness::lifecycle_ready().await;
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    cyprus_market(&app).await;
    let body = cyprus_order();
    let preview = |body: Value| {
        let (app, key) = (app.clone(), key.clone());
        async move {
            call("POST")
                .key(&key)
                .json(&body)
                .send(&app, run!(preview_order))
                .await
                .expect(200)
                .body
        }
    };
    let before = preview(body.clone()).await;
    let shown: Vec<String> = before["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["normalized_url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(shown.len(), 5, "{before}");

    let id = create_blacklist(&app, &key).await;
    let mut entries = domains(0, 2497, "filler");
    entries.extend(shown.iter().map(|d| json!({"website_url": d})));
    let mut first_name = None;
    if let Some(named) = before["items"][0]["name"].as_str() {
        // One by name as well (with its city): matched on the normalised name.
        entries.push(json!({"company_name": named, "city": "Nicosia"}));
        first_name = Some(named.to_string());
    }
    for chunk in entries.chunks(1000) {
        add_entries(&app, &key, &id, chunk.to_vec())
            .await
            .expect(200);
    }
    let mut names = 0;
    app.db
        .each_match_key(&tenant, id.parse().unwrap(), &mut |k| {
            names += matches!(k, MatchKey::Name { .. }) as usize
        })
        .await
        .unwrap();
    assert_eq!(names, first_name.is_some() as usize);

    let mut with = body.clone();
    with["blacklist_ids"] = json!([id]);
    let after = preview(with).await;
    let now: Vec<&str> = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["normalized_url"].as_str().unwrap())
        .collect();
    assert!(
        now.iter().all(|d| !shown.iter().any(|s| s == d)),
        "{now:?} vs {shown:?}"
    );
    assert_eq!(
        after["matching_companies"].as_u64().unwrap(),
        before["matching_companies"].as_u64().unwrap() - 5,
        "exactly the five blacklisted companies are left out"
    );
}

/// The two ways discovery reads a blacklist, against the emulator on the same entries: read whole
/// (every match key into the matcher) and looked up by the candidates' possible keys (a
/// `BatchGetItem` of the entry ids they derive to) exclude exactly the same companies; and so does
/// what discovery uses, which picks one of them by cost.
#[tokio::test]
async fn a_blacklist_read_whole_and_looked_up_excludes_the_same_companies() {
    use engine::blacklist_match::{keys_matching, BlacklistIndex, Exclusions as _};
    use engine::features::Features;
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let mut companies = catalog_gen::generate(60, 7);
    for (i, co) in companies.iter_mut().enumerate() {
        co.country = Some(["Germany", "Austria"][i % 2].into());
        co.city = Some(["Munich", "Vienna", "Berlin"][i % 3].into());
        if i % 5 == 0 {
            co.website_url = None;
            co.domain = None;
        }
    }
    let candidates: Vec<Features> = companies.iter().map(Features::of).collect();
    let id = create_blacklist(&app, &key).await;
    let mut entries = domains(0, 40, "strategy-filler");
    for (i, co) in companies.iter().enumerate() {
        let site = co.website_url.clone();
        let (name, city, country) = (&co.name, co.city.clone(), co.country.clone());
        entries.push(match i % 8 {
            0 => json!({"website_url": site.unwrap_or_else(|| "https://www.nowhere-strategy.de".into())}),
            1 => json!({"company_name": name}),
            2 => json!({"company_name": name, "city": city}),
            3 => json!({"company_name": name, "country": country}),
            4 => json!({"company_name": name, "city": city, "country": country}),
            // The right name elsewhere: excludes nobody.
            5 => json!({"company_name": name, "city": "Hamburg"}),
            6 => json!({"company_name": name, "country": "France"}),
            _ => continue,
        });
    }
    add_entries(&app, &key, &id, entries).await.expect(200);
    let id: uuid::Uuid = id.parse().unwrap();

    let whole = api::usecases::blacklists::exclusions(&app.db, &tenant, &[id])
        .await
        .unwrap();
    let wanted: Vec<MatchKey> = candidates.iter().flat_map(keys_matching).collect();
    let mut looked_up = BlacklistIndex::default();
    app.db
        .each_held_key(&tenant, id, &wanted, &mut |k| looked_up.insert(k))
        .await
        .unwrap();
    let mut chosen = api::usecases::blacklists::Exclusions::of(&app.db, &tenant, &[id])
        .await
        .unwrap();
    chosen.cover(&candidates).await.unwrap();

    let excluded =
        |ix: &BlacklistIndex| -> Vec<bool> { candidates.iter().map(|c| ix.matches(c)).collect() };
    let by_whole = excluded(&whole);
    assert_eq!(by_whole, excluded(&looked_up));
    assert_eq!(by_whole, excluded(chosen.index()));
    let n = by_whole.iter().filter(|x| **x).count();
    assert!(
        n >= 20 && n < candidates.len(),
        "{n} of {}",
        candidates.len()
    );
    assert!(looked_up.len() < whole.len(), "the fillers are never read");
}

/// A blacklist records the kinds of key its entries have (never forgetting one, so removing
/// entries leaves a superset), and discovery looks up only the candidates' keys of those kinds:
/// a blacklist of websites alone is asked one key per candidate, and still excludes exactly what
/// reading it whole excludes.
#[tokio::test]
async fn a_blacklist_keeps_the_kinds_of_its_entries_and_is_looked_up_by_them_alone() {
    use engine::blacklist_match::{keys_matching, Exclusions as _};
    use engine::features::Features;
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let id = create_blacklist(&app, &key).await;
    let uid: uuid::Uuid = id.parse().unwrap();
    let kinds = |app: std::sync::Arc<api::app::App>, tenant: String| async move {
        app.db
            .get_blacklist_kinds(&tenant, uid)
            .await
            .unwrap()
            .map(|(_, k)| {
                k.map(|mut k| {
                    k.sort();
                    k
                })
            })
    };
    assert_eq!(kinds(app.clone(), tenant.clone()).await, Some(Some(vec![])));

    let companies = catalog_gen::generate(40, 11);
    let blacklisted: Vec<Value> = companies
        .iter()
        .filter_map(|c| c.website_url.clone())
        .step_by(3)
        .map(|url| json!({"website_url": url}))
        .collect();
    add_entries(&app, &key, &id, blacklisted).await.expect(200);
    assert_eq!(
        kinds(app.clone(), tenant.clone()).await,
        Some(Some(vec!["domain".to_string()]))
    );

    let candidates: Vec<Features> = companies.iter().map(Features::of).collect();
    let whole = api::usecases::blacklists::exclusions(&app.db, &tenant, &[uid])
        .await
        .unwrap();
    let mut chosen = api::usecases::blacklists::Exclusions::of(&app.db, &tenant, &[uid])
        .await
        .unwrap();
    // Candidates have several possible keys each; a blacklist of websites is asked their domains.
    assert!(candidates.iter().flat_map(keys_matching).count() > companies.len());
    chosen.cover(&candidates).await.unwrap();
    let excluded = |ix: &engine::blacklist_match::BlacklistIndex| -> Vec<bool> {
        candidates.iter().map(|c| ix.matches(c)).collect()
    };
    assert_eq!(excluded(&whole), excluded(chosen.index()));
    assert!(excluded(&whole).iter().any(|x| *x));

    let named = add_entries(
        &app,
        &key,
        &id,
        vec![json!({"company_name": "Kinds GmbH", "city": "Graz", "country": "Austria"})],
    )
    .await
    .expect(200);
    assert_eq!(named.body["added"], 1, "{}", named.body);
    let both = Some(Some(vec![
        "domain".to_string(),
        "name_city_country".to_string(),
    ]));
    assert_eq!(kinds(app.clone(), tenant.clone()).await, both);
    let listed = entries_page(&app, &key, &id, 0, 100).await.expect(200).body;
    let named_id = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["company_name"] == "Kinds GmbH")
        .map(|e| e["id"].as_str().unwrap().to_string())
        .unwrap();
    call("DELETE")
        .key(&key)
        .path("blacklist_id", &id)
        .path("entry_id", &named_id)
        .send(&app, run!(delete_blacklist_entry))
        .await
        .expect(204);
    assert_eq!(kinds(app.clone(), tenant.clone()).await, both);
}

/// A preview and a discovery naming a blacklist of 100,000 entries (the maximum), five of them the
/// companies the preview shows first: the preview answers, both leave those companies out. The
/// market's few hundred candidates are looked up in the blacklist (one `BatchGetItem` per 100 of
/// their possible keys) instead of reading its 100,000 entries, which takes minutes in the emulator.
#[tokio::test]
async fn a_blacklist_of_100000_entries_is_applied_by_the_preview_and_discovery() {
    use domain::blacklist::NewEntry;
    crate::workflow_harness::lifecycle_ready().await;
    let app = app().await;
    let admin = key_for(&app, "operators", &[auth::Scope::Admin]).await;
    let (tenant, key) = partner(&app).await;
    cyprus_market(&app).await;
    let preview = |body: Value| {
        let (app, key) = (app.clone(), key.clone());
        async move {
            call("POST")
                .key(&key)
                .json(&body)
                .send(&app, run!(preview_order))
                .await
                .expect(200)
                .body
        }
    };
    let before = preview(cyprus_order()).await;
    let shown: Vec<String> = before["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["normalized_url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(shown.len(), 5, "{before}");

    let id = create_blacklist(&app, &key).await;
    let max = app.db.limits.max_blacklist_entries;
    let domain_entry = |domain: String| NewEntry {
        company_name: None,
        website_url: Some(format!("https://{domain}")),
        city: None,
        country: None,
        key: MatchKey::Domain { domain },
    };
    // Written through the store's own path (the API's, without 100 HTTP calls).
    let entries: Vec<NewEntry> = (0..max - shown.len())
        .map(|i| domain_entry(format!("large-filler-{i}.de")))
        .chain(shown.iter().cloned().map(domain_entry))
        .collect();
    let added = app
        .db
        .add_entries(&tenant, id.parse().unwrap(), entries)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(added.entry_count as usize, max);

    let mut body = cyprus_order();
    body["blacklist_ids"] = json!([id]);
    let after = preview(body.clone()).await;
    let now: Vec<&str> = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["normalized_url"].as_str().unwrap())
        .collect();
    assert!(
        now.iter().all(|d| !shown.iter().any(|s| s == d)),
        "{now:?} vs {shown:?}"
    );
    assert_eq!(
        after["matching_companies"].as_u64().unwrap(),
        before["matching_companies"].as_u64().unwrap() - 5,
        "exactly the five blacklisted companies are left out"
    );

    let order_id = create_order(&app, &key, &body).await;
    call("POST")
        .key(&admin)
        .path("order_id", &order_id)
        .send(&app, run!(admin_accept_order))
        .await
        .expect(200);
    let started = std::time::Instant::now();
    let done = loop {
        let s = call("GET")
            .key(&key)
            .path("order_id", &order_id)
            .send(&app, run!(get_order))
            .await
            .expect(200)
            .body;
        if s["status"] == "COMPLETED" || s["status"] == "CANCELLED" || s["status"] == "FAILED" {
            break s;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(300),
            "still {}",
            s["status"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    };
    assert_eq!(done["status"], "COMPLETED", "{done}");
    let results = call("GET")
        .key(&key)
        .path("order_id", &order_id)
        .query("limit", 100)
        .send(&app, run!(get_order_results))
        .await
        .expect(200)
        .body;
    let delivered: Vec<&str> = results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["normalized_url"].as_str().unwrap_or_default())
        .collect();
    assert!(!delivered.is_empty(), "{results}");
    assert!(
        delivered.iter().all(|d| !shown.iter().any(|s| s == d)),
        "a blacklisted company was delivered: {delivered:?}"
    );
}
