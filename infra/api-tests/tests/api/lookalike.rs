//! Lookalike discovery at the API (docs/contract-notes.md "Lookalike discovery" and "No repeats"):
//! `lookalike_domains` validated and normalised, seeds looked up when the order is created or
//! previewed (unknown ones warned of, none known a 422), echoed in the status object and kept by
//! a profile; a preview never shows a seed and names each item's closest seed.
use crate::harness::*;
use crate::run;
use serde_json::{json, Value};
use std::sync::Arc;

/// Generated companies of a country no other test writes, each keyed by its own domain (as
/// the importer keys them), so seeds can be named by domain. Their domains.
async fn seeded(app: &Arc<api::app::App>) -> &'static [String] {
    static SEEDED: tokio::sync::OnceCell<Vec<String>> = tokio::sync::OnceCell::const_new();
    SEEDED
        .get_or_init(|| async {
            let mut companies = catalog_gen::generate(300, 22);
            for (i, c) in companies.iter_mut().enumerate() {
                let domain = format!("lk{i}-{}", c.domain.clone().unwrap_or_default());
                c.id = domain.clone();
                c.domain = Some(domain.clone());
                c.website_url = Some(format!("https://www.{domain}/"));
                c.country = Some("Malta".into());
                c.city = Some("Valletta".into());
            }
            store::catalog::CatalogStore::of(&app.config, &app.db)
                .unwrap()
                .put(&companies)
                .await
                .unwrap();
            // Three seeds of one segment, as a partner's best customers would be.
            let first = engine::scoring::Facts::of(&companies[0]).industry;
            companies
                .iter()
                .filter(|c| engine::scoring::Facts::of(c).industry == first)
                .take(3)
                .map(|c| c.id.clone())
                .collect()
        })
        .await
}

fn lookalike(title: &str, seeds: Vec<String>) -> Value {
    json!({
        "order_type": "DISCOVERY", "title": title, "features": ["COMPANY_DATA", "ANALYSIS"],
        "lookalike_domains": seeds,
        "seller_offering": "Lead generation", "target_countries": ["Malta"],
        "output_language": "de"
    })
}

#[tokio::test]
async fn a_lookalike_preview_shows_no_seed_and_names_the_closest_one() {
    let app = app().await;
    let seeds = seeded(&app).await;
    let (_, key) = partner(&app).await;
    // Seeds as partners write them: websites with paths, upper case.
    let written: Vec<String> = seeds
        .iter()
        .map(|d| format!("https://WWW.{}/customers", d.to_uppercase()))
        .collect();
    let p = call("POST")
        .key(&key)
        .json(&lookalike("preview", written))
        .send(&app, run!(preview_order))
        .await
        .expect(200)
        .body;
    let items = p["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{p}");
    for item in items {
        let domain = item["normalized_url"].as_str().unwrap();
        assert!(!seeds.iter().any(|s| s == domain), "a seed was shown: {p}");
        let first = item["match_reasons"][0].as_str().unwrap();
        let seed = first
            .strip_prefix("Similar to ")
            .unwrap_or_else(|| panic!("{p}"));
        assert!(seeds.iter().any(|s| s == seed), "{first} names no seed");
        let reasoning = item["match_reasoning"].as_str().unwrap();
        assert!(
            reasoning.contains(&format!("Ähnlich wie {seed}")),
            "{reasoning}"
        );
    }
}

#[tokio::test]
async fn seeds_are_looked_up_at_creation_echoed_normalised_and_kept_by_a_profile() {
    let app = app().await;
    let seeds = seeded(&app).await;
    let (_, key) = partner(&app).await;
    let mut written: Vec<String> = seeds.iter().map(|d| format!("http://{d}/about")).collect();
    written.push("unknown-lookalike-seed-22.com".into());
    let mut body = lookalike("with seeds", written);
    body["profile_name"] = json!("Best customers");
    let r = call("POST")
        .key(&key)
        .json(&body)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    let warnings = r.body["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{}", r.body);
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("unknown-lookalike-seed-22.com"),
        "{}",
        r.body
    );
    let id = r.body["order_id"].as_str().unwrap().to_string();
    let order = call("GET")
        .key(&key)
        .path("order_id", &id)
        .send(&app, run!(get_order))
        .await
        .expect(200)
        .body;
    let mut echoed: Vec<Value> = seeds.iter().map(|d| json!(d)).collect();
    echoed.push(json!("unknown-lookalike-seed-22.com"));
    assert_eq!(order["lookalike_domains"], json!(echoed), "{order}");
    assert_eq!(order["warnings"], json!(warnings));

    // The profile keeps the seeds; an order naming it looks alike them without an ICP.
    let profiles = call("GET")
        .key(&key)
        .send(&app, run!(list_profiles))
        .await
        .expect(200)
        .body;
    let profile = &profiles["items"][0];
    assert_eq!(profile["lookalike_domains"], json!(echoed), "{profiles}");
    let reuse = json!({
        "order_type": "DISCOVERY", "title": "again", "features": ["COMPANY_DATA"],
        "profile_id": profile["id"]
    });
    let r = call("POST")
        .key(&key)
        .json(&reuse)
        .send(&app, run!(create_order))
        .await
        .expect(202);
    let again = call("GET")
        .key(&key)
        .path("order_id", r.body["order_id"].as_str().unwrap())
        .send(&app, run!(get_order))
        .await
        .expect(200)
        .body;
    assert_eq!(again["lookalike_domains"], json!(echoed), "{again}");
}

#[tokio::test]
async fn unknown_or_invalid_seeds_are_422s_naming_the_field() {
    let app = app().await;
    seeded(&app).await;
    let (_, key) = partner(&app).await;
    let none = lookalike(
        "nobody",
        vec![
            "unknown-lookalike-one-22.com".into(),
            "unknown-lookalike-two-22.com".into(),
        ],
    );
    for function in [run!(create_order), run!(preview_order)] {
        let r = call("POST")
            .key(&key)
            .json(&none)
            .send(&app, function)
            .await
            .expect(422);
        assert_eq!(
            r.body["error"]["details"],
            json!([{"field": "lookalike_domains", "message": "lookalike_domains: none of these companies is known"}]),
            "{}",
            r.body
        );
    }
    let invalid = lookalike("invalid", vec!["acme.de".into(), "not a domain".into()]);
    let r = call("POST")
        .key(&key)
        .json(&invalid)
        .send(&app, run!(create_order))
        .await
        .expect(422);
    assert_eq!(
        r.body["error"]["details"][0]["field"], "lookalike_domains[1]",
        "{}",
        r.body
    );
    // Without seeds the ICP stays required.
    let mut plain = lookalike("plain", vec![]);
    plain.as_object_mut().unwrap().remove("lookalike_domains");
    let r = call("POST")
        .key(&key)
        .json(&plain)
        .send(&app, run!(create_order))
        .await
        .expect(422);
    assert_eq!(
        r.body["error"]["details"][0]["message"],
        "ideal_customer_profile is required"
    );
}
