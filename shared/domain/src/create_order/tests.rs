//! The validation table: one case per rule and message of the guide and the contract.
use super::*;
use serde_json::{json, Value};

fn discovery() -> Value {
    json!({
        "order_type": "DISCOVERY",
        "title": "DACH SaaS Discovery Q1 2026",
        "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS"],
        "ideal_customer_profile": "Mid-market SaaS companies in the DACH region with 50-500 employees",
        "seller_offering": "AI-powered lead generation and prospect enrichment platform",
        "seller_industry": "Software / Technology",
        "target_countries": ["Germany", "Austria", "Switzerland"],
        "target_cities": ["Berlin", "Munich", "Vienna"],
        "excluded_industries": ["Government", "Non-profit"],
        "output_language": "en",
        "blacklist_ids": ["d33b69ce-80ce-4ede-b4df-4b11427f8b55"],
        "profile_name": "DACH SaaS Discovery Profile"
    })
}

fn enrichment() -> Value {
    json!({
        "order_type": "ENRICHMENT",
        "title": "CRM refresh",
        "features": ["COMPANY_DATA"],
        "companies": [
            {"external_id": "crm-1", "company_name": "Acme GmbH", "city": "Berlin", "country": "Germany"},
            {"external_id": "crm-2", "website_url": "https://www.example.de"}
        ]
    })
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        if v == &json!("__remove__") {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

fn errors(body: &Value) -> Vec<(String, String)> {
    validate(body, false)
        .unwrap()
        .errors
        .into_iter()
        .map(|e| (e.field, e.message))
        .collect()
}

#[test]
fn the_guides_examples_are_valid() {
    let v = validate(&discovery(), false).unwrap();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let order = v.order.unwrap();
    assert_eq!(
        order.profile,
        ProfileChoice::New("DACH SaaS Discovery Profile".into())
    );
    assert_eq!(order.priority, Priority::Normal);
    let v = validate(&enrichment(), false).unwrap();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert_eq!(v.order.unwrap().companies.len(), 2);
}

#[test]
fn validation_table() {
    let long = |n: usize| json!("x".repeat(n));
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        // Discovery-specific errors of the guide, verbatim.
        ("icp missing", with(discovery(), json!({"ideal_customer_profile": "__remove__"})), "ideal_customer_profile", "ideal_customer_profile is required"),
        ("icp blank", with(discovery(), json!({"ideal_customer_profile": "  "})), "ideal_customer_profile", "ideal_customer_profile is required"),
        ("offering missing", with(discovery(), json!({"seller_offering": "__remove__"})), "seller_offering", "seller_offering is required"),
        ("countries missing", with(discovery(), json!({"target_countries": "__remove__"})), "target_countries", "target_countries is required"),
        ("countries empty", with(discovery(), json!({"target_countries": []})), "target_countries", "target_countries is required"),
        ("companies on discovery", with(discovery(), json!({"companies": [{"external_id": "1", "company_name": "A"}]})), "companies", "companies is not allowed"),
        ("duplicate features", with(discovery(), json!({"features": ["COMPANY_DATA", "CONTACTS", "COMPANY_DATA"]})), "features", "Duplicate features: COMPANY_DATA"),
        ("profile conflict", with(discovery(), json!({"profile_id": "d33b69ce-80ce-4ede-b4df-4b11427f8b55"})), "profile_id", "Profile conflict: profile_id and profile_name are mutually exclusive; use one or the other"),
        // Required fields and maximum lengths of the guide's tables.
        ("order_type missing", with(discovery(), json!({"order_type": "__remove__"})), "order_type", "order_type is required"),
        ("order_type unknown", with(discovery(), json!({"order_type": "SEARCH"})), "order_type", "order_type must be one of ENRICHMENT, DISCOVERY"),
        ("title missing", with(discovery(), json!({"title": "__remove__"})), "title", "title is required"),
        ("title too long", with(discovery(), json!({"title": long(501)})), "title", "title must be at most 500 characters"),
        ("features missing", with(discovery(), json!({"features": "__remove__"})), "features", "features is required"),
        ("features empty", with(discovery(), json!({"features": []})), "features", "features is required"),
        ("feature unknown", with(discovery(), json!({"features": ["COMPANY_DATA", "MAGIC"]})), "features[1]", "features[1] must be one of COMPANY_DATA, CONTACTS, ANALYSIS, TECHNOLOGIES, EMAIL_DISCOVERY"),
        ("features not array", with(discovery(), json!({"features": "COMPANY_DATA"})), "features", "features must be an array"),
        ("icp too long", with(discovery(), json!({"ideal_customer_profile": long(5001)})), "ideal_customer_profile", "ideal_customer_profile must be at most 5000 characters"),
        ("offering too long", with(discovery(), json!({"seller_offering": long(5001)})), "seller_offering", "seller_offering must be at most 5000 characters"),
        ("seller_industry too long", with(discovery(), json!({"seller_industry": long(1001)})), "seller_industry", "seller_industry must be at most 1000 characters"),
        ("output_language too long", with(discovery(), json!({"output_language": long(11)})), "output_language", "output_language must be at most 10 characters"),
        ("output_language not a code", with(discovery(), json!({"output_language": "english"})), "output_language", "output_language must be a language code such as \"en\" or \"de\""),
        ("profile_name too long", with(discovery(), json!({"profile_name": long(501)})), "profile_name", "profile_name must be at most 500 characters"),
        ("profile_id not uuid", with(discovery(), json!({"profile_name": "__remove__", "profile_id": "abc"})), "profile_id", "profile_id must be a UUID"),
        ("blacklist id not uuid", with(discovery(), json!({"blacklist_ids": ["nope"]})), "blacklist_ids[0]", "blacklist_ids[0] must be a UUID"),
        ("priority unknown", with(discovery(), json!({"priority": "URGENT"})), "priority", "priority must be one of NORMAL, EXPRESS"),
        ("webhook http", with(discovery(), json!({"webhook_url": "http://partner.example.com/hook"})), "webhook_url", "webhook_url must be an absolute https URL"),
        ("webhook relative", with(discovery(), json!({"webhook_url": "/hook"})), "webhook_url", "webhook_url must be an absolute https URL"),
        ("webhook metadata", with(discovery(), json!({"webhook_url": "https://169.254.169.254/latest"})), "webhook_url", "webhook_url must not target a private, loopback, link-local or metadata address"),
        ("country not string", with(discovery(), json!({"target_countries": ["Germany", 49]})), "target_countries[1]", "target_countries[1] must be a string"),
        ("city blank", with(discovery(), json!({"target_cities": [""]})), "target_cities[0]", "target_cities[0] must not be blank"),
        ("contact roles not array", with(discovery(), json!({"contact_roles": "CEO"})), "contact_roles", "contact_roles must be an array"),
        ("unknown field", with(discovery(), json!({"budget": 5})), "budget", "budget is not a known field"),
        ("title not string", with(discovery(), json!({"title": 7})), "title", "title must be a string"),
        // Enrichment rules of the contract.
        ("companies missing", with(enrichment(), json!({"companies": "__remove__"})), "companies", "companies is required"),
        ("companies empty", with(enrichment(), json!({"companies": []})), "companies", "companies must contain between 1 and 10000 items"),
        ("company needs name or website", with(enrichment(), json!({"companies": [{"external_id": "1", "city": "Berlin"}]})), "companies[0].company_name", "company_name or website_url is required"),
        ("external_id missing", with(enrichment(), json!({"companies": [{"company_name": "A"}]})), "companies[0].external_id", "companies[0].external_id is required"),
        ("external_id too long", with(enrichment(), json!({"companies": [{"external_id": "x".repeat(256), "company_name": "A"}]})), "companies[0].external_id", "companies[0].external_id must be at most 255 characters"),
        ("external_id duplicated", with(enrichment(), json!({"companies": [{"external_id": "1", "company_name": "A"}, {"external_id": "1", "company_name": "B"}]})), "companies[1].external_id", "companies[1].external_id duplicates companies[0].external_id; external_id must be unique within the order"),
        ("company website invalid", with(enrichment(), json!({"companies": [{"external_id": "1", "website_url": "not a url"}]})), "companies[0].website_url", "companies[0].website_url is not a valid website URL"),
        ("company unknown field", with(enrichment(), json!({"companies": [{"external_id": "1", "company_name": "A", "vat": "x"}]})), "companies[0].vat", "companies[0].vat is not a known field"),
        ("company not object", with(enrichment(), json!({"companies": ["Acme"]})), "companies[0]", "companies[0] must be an object"),
        ("analysis needs icp", with(enrichment(), json!({"features": ["ANALYSIS"], "seller_offering": "x"})), "ideal_customer_profile", "ideal_customer_profile is required when ANALYSIS is requested"),
        ("analysis needs offering", with(enrichment(), json!({"features": ["ANALYSIS"], "ideal_customer_profile": "x"})), "seller_offering", "seller_offering is required when ANALYSIS is requested"),
    ];
    for (name, body, field, message) in cases {
        let errs = errors(&body);
        assert!(
            errs.contains(&(field.to_string(), message.to_string())),
            "{name}: expected ({field}: {message}), got {errs:?}"
        );
        assert!(validate(&body, false).unwrap().order.is_none(), "{name}");
    }
}

#[test]
fn too_many_companies() {
    let companies: Vec<Value> = (0..10_001)
        .map(|i| json!({"external_id": i.to_string(), "company_name": "A"}))
        .collect();
    let errs = errors(&with(enrichment(), json!({"companies": companies})));
    assert_eq!(
        errs,
        vec![(
            "companies".to_string(),
            "companies must contain between 1 and 10000 items".to_string()
        )]
    );
}

#[test]
fn several_invalid_fields_are_reported_together() {
    let body = json!({"order_type": "DISCOVERY", "title": "", "features": ["X", "COMPANY_DATA"], "companies": [], "foo": 1});
    let fields: Vec<String> = errors(&body).into_iter().map(|(f, _)| f).collect();
    for want in [
        "foo",
        "title",
        "features[0]",
        "ideal_customer_profile",
        "seller_offering",
        "target_countries",
        "companies",
    ] {
        assert!(
            fields.contains(&want.to_string()),
            "{want} missing from {fields:?}"
        );
    }
}

#[test]
fn enrichment_does_not_require_icp_without_analysis() {
    assert!(errors(&enrichment()).is_empty());
}

#[test]
fn local_mode_accepts_loopback_http_webhooks() {
    let body = with(
        discovery(),
        json!({"webhook_url": "http://127.0.0.1:9999/hook"}),
    );
    assert!(!errors(&body).is_empty());
    assert!(validate(&body, true).unwrap().errors.is_empty());
}

#[test]
fn referenced_ids_survive_other_errors_with_their_positions() {
    let id = "d33b69ce-80ce-4ede-b4df-4b11427f8b55";
    let v = validate(
        &with(
            discovery(),
            json!({"title": "__remove__", "blacklist_ids": ["nope", id]}),
        ),
        false,
    )
    .unwrap();
    assert_eq!(v.blacklist_ids, vec![(1, id.parse::<Uuid>().unwrap())]);
    // More ids than allowed: an error, and no id to look up.
    let many: Vec<String> = (0..21).map(|_| Uuid::new_v4().to_string()).collect();
    let v = validate(&with(discovery(), json!({"blacklist_ids": many})), false).unwrap();
    assert!(v.blacklist_ids.is_empty());
    assert_eq!(v.errors.len(), 1, "{:?}", v.errors);
}

#[test]
fn rules_across_items_and_fields_still_run_beside_item_errors() {
    let errs = errors(&with(
        discovery(),
        json!({"features": ["COMPANY_DATA", "COMPANY_DATA", "BOGUS", "COMPANY_DATA"]}),
    ));
    assert!(errs.contains(&(
        "features[2]".into(),
        format!("features[2] must be one of {}", Feature::choices())
    )));
    assert!(
        errs.contains(&("features".into(), "Duplicate features: COMPANY_DATA".into())),
        "{errs:?}"
    );
    let conflict = (
        "profile_id".to_string(),
        "Profile conflict: profile_id and profile_name are mutually exclusive; use one or the other"
            .to_string(),
    );
    for patch in [
        json!({"profile_name": "p".repeat(501), "profile_id": "d33b69ce-80ce-4ede-b4df-4b11427f8b55"}),
        json!({"profile_name": "ok", "profile_id": "nope"}),
    ] {
        let errs = errors(&with(discovery(), patch.clone()));
        assert!(errs.contains(&conflict), "{patch}: {errs:?}");
        assert_eq!(errs.len(), 2, "{patch}: {errs:?}");
    }
}

#[test]
fn excluded_industries_that_exclude_nothing_are_warned_about() {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        exclusion_warnings(&strings(&["Crypto", "Say \"hi\"", "Crypto"])),
        [
            "excluded_industries: \"Crypto\" matches no known industry and excludes nothing",
            "excluded_industries: \"Say \\\"hi\\\"\" matches no known industry and excludes nothing",
        ]
    );
    assert!(exclusion_warnings(&[]).is_empty());
}

#[test]
fn exclusions_that_remove_a_whole_segment_are_warned_about() {
    let pair = |v: &str, s: &str| (v.to_string(), s.to_string());
    assert_eq!(
        broad_exclusion_warnings(&[
            pair("Health insurance", "Insurance"),
            pair("Health insurance", "Insurance"),
            pair("Rüstung", "Aerospace & defense"),
        ]),
        [
            "excluded_industries: \"Health insurance\" excludes the whole segment \"Insurance\"",
            "excluded_industries: \"Rüstung\" excludes the whole segment \"Aerospace & defense\"",
        ]
    );
    assert!(broad_exclusion_warnings(&[]).is_empty());
}

#[test]
fn a_field_given_but_invalid_is_not_also_reported_missing() {
    for countries in [json!(["", ""]), json!([null, 5])] {
        let errs = errors(&with(
            discovery(),
            json!({"target_countries": countries.clone()}),
        ));
        assert!(
            !errs.iter().any(|(f, _)| f == "target_countries"),
            "{countries}: {errs:?}"
        );
        assert!(
            errs.iter().any(|(f, _)| f == "target_countries[0]"),
            "{errs:?}"
        );
    }
    let long_name = json!([{"external_id": "1", "company_name": "n".repeat(501)}]);
    let errs = errors(&with(enrichment(), json!({"companies": long_name})));
    assert_eq!(
        errs.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        ["companies[0].company_name"],
        "{errs:?}"
    );
}

#[test]
fn an_external_id_is_kept_as_sent() {
    let body = with(
        enrichment(),
        json!({"companies": [{"external_id": " b ", "company_name": "Padded"}, {"external_id": "b", "company_name": "Plain"}]}),
    );
    let v = validate(&body, false).unwrap();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let ids: Vec<String> = v
        .order
        .unwrap()
        .companies
        .into_iter()
        .map(|c| c.external_id)
        .collect();
    assert_eq!(ids, [" b ", "b"]);
}

#[test]
fn lookalike_domains_are_normalised_and_make_the_icp_optional() {
    let body = with(
        discovery(),
        json!({
            "ideal_customer_profile": "__remove__",
            "lookalike_domains": ["https://www.shop.acme.co.uk/about", "acme.co.uk", " Personio.DE "]
        }),
    );
    let v = validate(&body, false).unwrap();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let order = v.order.unwrap();
    assert_eq!(
        order.lookalike_domains,
        Some(vec!["acme.co.uk".to_string(), "personio.de".to_string()]),
        "one seed per company, in the order given"
    );
    assert_eq!(order.ideal_customer_profile, None);
    // Without seeds the ICP stays required; seeds never replace seller_offering or countries.
    let errs = errors(&with(
        discovery(),
        json!({"ideal_customer_profile": "__remove__"}),
    ));
    assert!(errs.contains(&(
        "ideal_customer_profile".into(),
        "ideal_customer_profile is required".into()
    )));
    let errs = errors(&with(
        discovery(),
        json!({"lookalike_domains": ["acme.de"], "seller_offering": "__remove__", "target_countries": "__remove__"}),
    ));
    let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["seller_offering", "target_countries"], "{errs:?}");
}

#[test]
fn invalid_lookalike_domains_are_named_each() {
    let body = with(
        discovery(),
        json!({"ideal_customer_profile": "__remove__", "lookalike_domains": ["acme.de", "not a domain", 7, "localhost"]}),
    );
    let errs = errors(&body);
    let message = |i: usize| {
        format!("lookalike_domains[{i}] must be a company's website or domain, such as acme.de")
    };
    for i in 1..=3 {
        assert!(
            errs.contains(&(format!("lookalike_domains[{i}]"), message(i))),
            "{errs:?}"
        );
    }
    assert!(
        !errs.iter().any(|(f, _)| f == "ideal_customer_profile"),
        "seeds given, even invalid, stand for the ICP: {errs:?}"
    );
    for (value, message) in [
        (
            json!([]),
            "lookalike_domains must contain between 1 and 20 items",
        ),
        (
            json!((0..21).map(|i| format!("c{i}.de")).collect::<Vec<_>>()),
            "lookalike_domains must contain between 1 and 20 items",
        ),
        (json!("acme.de"), "lookalike_domains must be an array"),
    ] {
        let errs = errors(&with(discovery(), json!({ "lookalike_domains": value })));
        assert_eq!(errs, vec![("lookalike_domains".into(), message.into())]);
    }
    let errs = errors(&with(
        enrichment(),
        json!({"lookalike_domains": ["acme.de"]}),
    ));
    assert_eq!(
        errs,
        vec![(
            "lookalike_domains".into(),
            "lookalike_domains is not allowed".into()
        )]
    );
}

#[test]
fn exclude_delivered_is_a_boolean_of_discovery_orders() {
    let order = |body: &Value| validate(body, false).unwrap().order.unwrap();
    assert!(!order(&discovery()).exclude_delivered, "off by default");
    assert!(!order(&with(discovery(), json!({"exclude_delivered": null}))).exclude_delivered);
    assert!(order(&with(discovery(), json!({"exclude_delivered": true}))).exclude_delivered);
    assert!(!order(&with(discovery(), json!({"exclude_delivered": false}))).exclude_delivered);
    for wrong in [json!("true"), json!(1), json!([true]), json!({}), json!("")] {
        let body = with(
            discovery(),
            json!({"exclude_delivered": wrong, "title": "  "}),
        );
        assert!(
            errors(&body).contains(&("title".to_string(), "title is required".to_string())),
            "every invalid field in one answer: {:?}",
            errors(&body)
        );
        assert!(
            errors(&body).contains(&(
                "exclude_delivered".to_string(),
                "exclude_delivered must be true or false".to_string()
            )),
            "{wrong}: {:?}",
            errors(&body)
        );
    }
    for value in [json!(true), json!(false)] {
        assert_eq!(
            errors(&with(enrichment(), json!({"exclude_delivered": value}))),
            vec![(
                "exclude_delivered".to_string(),
                "exclude_delivered is only for DISCOVERY orders".to_string()
            )]
        );
    }
    assert_eq!(
        errors(&with(enrichment(), json!({"exclude_delivered": 3}))),
        vec![(
            "exclude_delivered".to_string(),
            "exclude_delivered must be true or false".to_string()
        )],
        "one error per field"
    );
}
