//! No request input crashes a parser: every request parser of the domain, given valid bodies with
//! fields replaced by arbitrary JSON (blanks, nulls, wrong types, huge numbers, deep nesting,
//! odd Unicode) or arbitrary bodies outright, returns a value or a 422 whose every error names a
//! field, naming each field that was certainly invalid. A panic fails the property.
use testkit::arb;

use arb::{
    apply, check_errors, invalid_fields, json, mutations, nasty_values, string, Kind, Op, Shape,
};
use domain::blacklist::{parse_entries, parse_new, parse_patch};
use domain::create_order::validate;
use domain::paging::{Page, MAX_LIMIT};
use domain::ApiError;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const ORDER_TYPES: &[&str] = &["ENRICHMENT", "DISCOVERY"];
const PRIORITIES: &[&str] = &["NORMAL", "EXPRESS"];
const FEATURES: &[&str] = &[
    "COMPANY_DATA",
    "CONTACTS",
    "ANALYSIS",
    "TECHNOLOGIES",
    "EMAIL_DISCOVERY",
];
const ORDER_FIELDS: &[&str] = domain::create_order::FIELDS;
const COMPANY_FIELDS: &[&str] = &[
    "external_id",
    "company_name",
    "website_url",
    "city",
    "country",
];
const BLACKLIST_FIELDS: &[&str] = &["name", "description"];

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn discovery() -> Map<String, Value> {
    obj(json!({
        "order_type": "DISCOVERY",
        "title": "DACH SaaS",
        "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS"],
        "ideal_customer_profile": "Mid-market SaaS companies with 50-500 employees",
        "seller_offering": "Prospect enrichment",
        "seller_industry": "Software",
        "target_countries": ["Germany", "Austria"],
        "target_cities": ["Berlin"],
        "excluded_industries": ["Government"],
        "output_language": "de",
        "blacklist_ids": ["d33b69ce-80ce-4ede-b4df-4b11427f8b55"],
        "priority": "EXPRESS",
        "webhook_url": "https://hooks.partner.example/orders",
        "contact_roles": ["CEO"],
        "profile_name": "DACH"
    }))
}

fn enrichment() -> Map<String, Value> {
    obj(json!({
        "order_type": "ENRICHMENT",
        "title": "CRM refresh",
        "features": ["COMPANY_DATA", "TECHNOLOGIES"],
        "companies": [
            {"external_id": "crm-1", "company_name": "Acme GmbH", "city": "Berlin", "country": "Germany"},
            {"external_id": "crm-2", "website_url": "https://www.example.de"}
        ]
    }))
}

/// What each order field accepts. `companies` depends on the order type as it ends up.
fn order_kind(field: &str, order_type: Option<&str>) -> Option<Kind> {
    Some(match field {
        "order_type" => Kind::Enum(ORDER_TYPES, true),
        "title" => Kind::RequiredText(500),
        "features" => Kind::EnumList(FEATURES, true),
        "ideal_customer_profile" | "seller_offering" => Kind::Text(5000),
        "seller_industry" => Kind::Text(1000),
        "target_countries" => Kind::StringList(50, 100),
        "target_cities" => Kind::StringList(100, 100),
        "excluded_industries" => Kind::StringList(50, 200),
        "contact_roles" => Kind::StringList(20, 100),
        "output_language" => Kind::Lang,
        "blacklist_ids" => Kind::UuidList(20),
        "priority" => Kind::Enum(PRIORITIES, false),
        "webhook_url" => Kind::Opaque(Shape::String),
        "profile_name" => Kind::Text(500),
        "profile_id" => Kind::Uuid,
        // Normalised to registrable domains (rules a fuzzer cannot predict); an enrichment
        // order may not carry seeds, so there it depends on presence alone.
        "lookalike_domains" => match order_type {
            Some("DISCOVERY") => Kind::Opaque(Shape::Array),
            _ => Kind::Any,
        },
        // A boolean, and on an enrichment order not allowed at all (create_order's own tests).
        "exclude_delivered" => Kind::Any,
        "companies" => match order_type {
            Some("ENRICHMENT") => Kind::Opaque(Shape::Array),
            _ => Kind::Any,
        },
        _ => return None,
    })
}

fn company_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "external_id" => Kind::RequiredText(255),
        "company_name" => Kind::Text(500),
        "website_url" => Kind::Opaque(Shape::String),
        "city" => Kind::Text(200),
        "country" => Kind::Text(100),
        _ => return None,
    })
}

/// Validates an order body and checks the outcome; `must_name` are the fields certainly invalid.
fn check_order(body: &Value, must_name: &[String]) -> Result<(), TestCaseError> {
    let v = match validate(body, false) {
        Ok(v) => v,
        Err(ApiError::InvalidJson(_)) if !body.is_object() => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("{e:?} for {body}"))),
    };
    match (&v.order, v.errors.is_empty()) {
        (Some(_), true) => {
            prop_assert!(
                must_name.is_empty(),
                "accepted with invalid {must_name:?}: {body}"
            );
        }
        (None, false) => {
            check_errors(&v.errors, body, ORDER_FIELDS, must_name)
                .map_err(|e| TestCaseError::fail(format!("{e}\nbody: {body}")))?;
        }
        (order, _) => {
            return Err(TestCaseError::fail(format!(
                "an order with errors, or neither: {order:?} {:?}",
                v.errors
            )))
        }
    }
    Ok(())
}

fn trimmed(body: &Map<String, Value>, field: &str) -> Option<String> {
    body.get(field)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Create and preview share this parser: discovery and enrichment bodies, any fields changed.
    #[test]
    fn an_order_body_is_an_order_or_a_422_naming_its_fields(
        enrich in any::<bool>(),
        muts in mutations(ORDER_FIELDS),
    ) {
        let mut body = if enrich { enrichment() } else { discovery() };
        let order_type = {
            let mut probe = body.clone();
            apply(&mut probe, &muts, |_| None);
            trimmed(&probe, "order_type")
        };
        let must = apply(&mut body, &muts, |f| order_kind(f, order_type.as_deref()));
        check_order(&Value::Object(body), &must)?;
    }

    /// An enrichment order's companies, each field of each changed.
    #[test]
    fn submitted_companies_are_each_checked(
        muts in prop::collection::vec((0usize..3, mutations(COMPANY_FIELDS)), 1..4),
    ) {
        let mut body = enrichment();
        let mut companies: Vec<Map<String, Value>> = vec![
            obj(json!({"external_id": "a", "company_name": "Acme GmbH"})),
            obj(json!({"external_id": "b", "website_url": "acme.co.uk"})),
            obj(json!({"external_id": "c", "company_name": "Beta", "city": "Köln", "country": "DE"})),
        ];
        for (i, m) in &muts {
            apply(&mut companies[*i], m, company_kind);
        }
        let must: Vec<String> = companies
            .iter()
            .any(|c| !invalid_fields(c, COMPANY_FIELDS.iter().copied(), company_kind).is_empty())
            .then(|| "companies".to_string())
            .into_iter()
            .collect();
        body.insert("companies".into(), Value::Array(companies.into_iter().map(Value::Object).collect()));
        check_order(&Value::Object(body), &must)?;
    }

    /// Any JSON at all as the body: 400 for what is not an object, else an order or a 422.
    #[test]
    fn any_json_body_is_answered(body in json()) {
        check_order(&body, &[])?;
    }

    #[test]
    fn a_new_blacklist_is_a_name_or_a_422(muts in mutations(BLACKLIST_FIELDS)) {
        let mut body = obj(json!({"name": "Existing customers", "description": "from the CRM"}));
        let must = apply(&mut body, &muts, |f| match f {
            "name" => Some(Kind::RequiredText(200)),
            "description" => Some(Kind::Text(1000)),
            _ => None,
        });
        let body = Value::Object(body);
        match parse_new(&body) {
            Ok((name, _)) => {
                prop_assert!(must.is_empty(), "accepted with invalid {must:?}: {body}");
                prop_assert!(!name.trim().is_empty());
            }
            Err(ApiError::Validation(errors)) => {
                check_errors(&errors, &body, BLACKLIST_FIELDS, &must).map_err(TestCaseError::fail)?;
            }
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }

    #[test]
    fn a_blacklist_patch_is_a_patch_or_a_422(muts in mutations(BLACKLIST_FIELDS)) {
        let mut body = obj(json!({"name": "Renamed"}));
        let must = apply(&mut body, &muts, |f| match f {
            // Given, a name must be one (null included); the description may be cleared.
            "name" => Some(Kind::RequiredText(200)),
            "description" => Some(Kind::Text(1000)),
            _ => None,
        });
        let must: Vec<String> = must
            .into_iter()
            .filter(|f| f != "name" || body.contains_key("name"))
            .collect();
        let body = Value::Object(body);
        match parse_patch(&body) {
            Ok(patch) => {
                prop_assert!(must.is_empty(), "accepted with invalid {must:?}: {body}");
                prop_assert!(patch.name.is_some() || patch.description.is_some());
            }
            Err(ApiError::Validation(errors)) => {
                check_errors(&errors, &body, BLACKLIST_FIELDS, &must).map_err(TestCaseError::fail)?;
            }
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }

    #[test]
    fn blacklist_entries_are_entries_or_a_422(
        muts in prop::collection::vec((0usize..3, mutations(COMPANY_FIELDS)), 0..4),
        whole in prop::option::weighted(0.2, json()),
    ) {
        let mut entries: Vec<Map<String, Value>> = vec![
            obj(json!({"company_name": "Acme GmbH", "city": "Berlin"})),
            obj(json!({"website_url": "https://www.acme.com/about"})),
            obj(json!({"company_name": "Müller & Söhne KG", "country": "Deutschland"})),
        ];
        let entry_kind = |f: &str| match f {
            "external_id" => None,
            f => company_kind(f),
        };
        for (i, m) in &muts {
            apply(&mut entries[*i], m, entry_kind);
        }
        let mut must: Vec<String> = entries
            .iter()
            .any(|e| !invalid_fields(e, COMPANY_FIELDS.iter().copied(), entry_kind).is_empty())
            .then(|| "entries".to_string())
            .into_iter()
            .collect();
        let body = match whole {
            Some(v) => {
                must = match &v {
                    Value::Array(_) => vec![],
                    _ => vec!["entries".to_string()],
                };
                json!({"entries": v})
            }
            None => json!({"entries": entries}),
        };
        match parse_entries(&body) {
            Ok(list) => {
                prop_assert!(must.is_empty(), "accepted with invalid {must:?}: {body}");
                prop_assert!(!list.is_empty());
            }
            Err(ApiError::Validation(errors)) => {
                check_errors(&errors, &body, &["entries"], &must).map_err(TestCaseError::fail)?;
            }
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }

    /// `limit` and `offset` as any query string carries them.
    #[test]
    fn limit_and_offset_are_a_page_or_named(
        limit in prop::option::of(query_value()),
        offset in prop::option::of(query_value()),
    ) {
        let mut q = HashMap::new();
        if let Some(l) = &limit { q.insert("limit".to_string(), l.clone()); }
        if let Some(o) = &offset { q.insert("offset".to_string(), o.clone()); }
        let mut errors = Vec::new();
        let page = Page::from_query(&q, &mut errors);
        prop_assert!((1..=MAX_LIMIT).contains(&page.limit));
        let limit_ok = limit.as_deref().is_none_or(|l| l.parse::<usize>().is_ok_and(|n| (1..=MAX_LIMIT).contains(&n)));
        let offset_ok = offset.as_deref().is_none_or(|o| o.parse::<usize>().is_ok());
        prop_assert_eq!(errors.iter().any(|e| e.field == "limit"), !limit_ok);
        prop_assert_eq!(errors.iter().any(|e| e.field == "offset"), !offset_ok);
    }

    /// Timestamps a partner writes (RFC 3339 bodies, ISO 8601 queries): a UTC time that formats,
    /// or none.
    #[test]
    fn timestamps_parse_to_utc_or_nothing(s in timestamp_like()) {
        for t in [domain::clock::parse(&s), domain::clock::parse_iso8601(&s)].into_iter().flatten() {
            prop_assert!(t.offset().is_utc());
            let text = domain::clock::format(t);
            prop_assert_eq!(domain::clock::parse(&text), Some(t), "{}", text);
        }
    }

    /// The normalisation under blacklist entries, companies and webhook URLs, on any text.
    #[test]
    fn normalisation_takes_any_text(s in string()) {
        let _ = domain::normalize::registrable_domain(&s);
        let _ = domain::normalize::company_name(&s);
        let _ = domain::normalize::city(&s);
        let _ = domain::normalize::country(&s);
        let _ = domain::webhook_url::check(&s, false);
        let _ = domain::webhook_url::check(&s, true);
    }
}

/// What a query parameter's value can be: text, numbers written every way, blanks.
fn query_value() -> impl Strategy<Value = String> {
    prop_oneof![
        string(),
        any::<i128>().prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "",
            " ",
            "+5",
            "05",
            "0x10",
            "1e2",
            "50.0",
            "-0",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
            "100",
            "101",
            "0",
        ])
        .prop_map(String::from),
    ]
}

fn timestamp_like() -> impl Strategy<Value = String> {
    prop_oneof![
        string(),
        (
            -1i32..=10000,
            0u8..14,
            0u8..33,
            0u8..25,
            0u8..61,
            prop::sample::select(vec!["Z", "+00:00", "-01:00", "+23:59", "-23:59", "", "+01"]),
        )
            .prop_map(|(y, mo, d, h, mi, off)| {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{off}")
            }),
    ]
}

/// The same, as a table: each field of each order kind given each value of `nasty_values`, the
/// rest of the body valid (so every rule that runs only on an otherwise valid body is reached).
#[test]
fn every_order_field_given_each_nasty_value() {
    for base in [discovery(), enrichment()] {
        let order_type = trimmed(&base, "order_type");
        for field in ORDER_FIELDS.iter().copied().chain(["x"]) {
            for value in nasty_values() {
                let mut body = base.clone();
                let muts = [(field.to_string(), Op::Set(value))];
                let must = apply(&mut body, &muts, |f| order_kind(f, order_type.as_deref()));
                if let Err(e) = check_order(&Value::Object(body), &must) {
                    panic!("{field}: {e}");
                }
            }
        }
    }
}

#[test]
fn a_blank_enum_is_a_422_naming_it() {
    for blank in ["", " ", "\t"] {
        for field in ["order_type", "priority", "output_language"] {
            let mut body = discovery();
            body.insert(field.into(), json!(blank));
            let v = validate(&Value::Object(body), false).unwrap();
            assert!(v.order.is_none(), "{field}={blank:?}");
            let e = v.errors.iter().find(|e| e.field == field);
            assert!(e.is_some(), "{field}={blank:?}: {:?}", v.errors);
        }
        let mut body = discovery();
        body.insert("features".into(), json!(["COMPANY_DATA", blank]));
        let v = validate(&Value::Object(body), false).unwrap();
        assert!(
            v.errors.iter().any(|e| e.field == "features[1]"),
            "{:?}",
            v.errors
        );
    }
    let mut body = discovery();
    body.insert("order_type".into(), json!(" "));
    let v = validate(&Value::Object(body), false).unwrap();
    assert_eq!(
        v.errors[0].message,
        "order_type must be one of ENRICHMENT, DISCOVERY (blank given)"
    );
}

#[test]
fn null_and_absent_optional_enums_take_their_defaults() {
    let mut body = discovery();
    body.insert("priority".into(), Value::Null);
    body.insert("output_language".into(), Value::Null);
    let v = validate(&Value::Object(body), false).unwrap();
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let order = v.order.unwrap();
    assert_eq!(order.priority, domain::order::Priority::Normal);
    assert_eq!(order.output_language, None);
}

/// Every list an order or a blacklist call takes, with its limit, a valid item and an invalid one.
fn lists() -> Vec<(&'static str, bool, usize, Value, Value)> {
    // (field, on an enrichment body, at most, valid item, invalid item)
    vec![
        ("target_countries", false, 50, json!("Germany"), json!(1)),
        ("target_cities", false, 100, json!("Berlin"), json!("")),
        (
            "excluded_industries",
            false,
            50,
            json!("Government"),
            json!([]),
        ),
        ("contact_roles", false, 20, json!("CEO"), json!(null)),
        (
            "blacklist_ids",
            false,
            20,
            json!("d33b69ce-80ce-4ede-b4df-4b11427f8b55"),
            json!("x"),
        ),
        (
            "features",
            false,
            domain::create_order::FEATURES_MAX_ITEMS,
            json!("CONTACTS"),
            json!("X"),
        ),
        (
            "companies",
            true,
            10_000,
            json!({"external_id": "a", "company_name": "Acme"}),
            json!({"x": 1}),
        ),
    ]
}

/// What a body text costs to judge is bounded by the lists' limits, not by what was sent: an
/// over-long list, read by the bounded parser the API uses, is one error naming the field and its
/// limit, and none of its items is judged (so no error per item).
fn check_over_long(field: &str, enrich: bool, text: &str) -> Result<(), TestCaseError> {
    let body =
        domain::json::parse(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    let v = validate(&body, false).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    prop_assert!(v.order.is_none());
    let on_field: Vec<_> = v
        .errors
        .iter()
        .filter(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
        .collect();
    prop_assert_eq!(
        on_field.len(),
        1,
        "{:?}",
        &v.errors[..v.errors.len().min(5)]
    );
    prop_assert_eq!(&on_field[0].field, field);
    let limit_named =
        on_field[0].message.contains("at most") || on_field[0].message.contains("between 1 and");
    prop_assert!(limit_named, "{}", on_field[0].message);
    // The rest of the body was valid: nothing else is reported but what follows from the list.
    prop_assert!(
        v.errors.len() <= 2,
        "{:?} (enrichment: {})",
        v.errors,
        enrich
    );
    let body = ApiError::Validation(v.errors).body("r");
    prop_assert!(body["error"]["details"]
        .as_array()
        .is_some_and(|d| d.len() <= domain::error::MAX_DETAILS));
    Ok(())
}

fn with_list(enrich: bool, field: &str, items: &str) -> String {
    let mut body = if enrich { enrichment() } else { discovery() };
    body.insert(field.into(), json!("LIST"));
    Value::Object(body)
        .to_string()
        .replace("\"LIST\"", &format!("[{items}]"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Lists past their limit, of valid items, invalid ones or a mix, up to five times the
    /// longest list a request may hold.
    #[test]
    fn an_over_long_list_is_one_error_naming_its_limit(
        which in 0usize..7,
        over in 1usize..(5 * domain::json::LONGEST_LIST),
        pattern in prop::collection::vec(any::<bool>(), 1..4),
    ) {
        let (field, enrich, max, valid, invalid) = lists().swap_remove(which);
        let (valid, invalid) = (valid.to_string(), invalid.to_string());
        let items: Vec<&str> = (0..max + over)
            .map(|i| if pattern[i % pattern.len()] { valid.as_str() } else { invalid.as_str() })
            .collect();
        check_over_long(field, enrich, &with_list(enrich, field, &items.join(",")))?;
    }
}

/// The body of the report: `[1, 1, ...]` 2.9 million times (5.8 MB) in each list of an order.
#[test]
fn the_five_megabyte_list_is_one_error() {
    let ones = vec!["1"; 2_900_000].join(",");
    for (field, enrich, ..) in lists() {
        let text = with_list(enrich, field, &ones);
        assert!(text.len() > 5_800_000 && text.len() < 6 * 1024 * 1024);
        check_over_long(field, enrich, &text).unwrap();
    }
}

/// Blacklist entries: past 1,000 one error, and the items are not judged.
#[test]
fn over_long_entries_are_one_error() {
    for n in [1_001, 10_001, 1_000_000] {
        let text = format!("{{\"entries\": [{}]}}", vec!["7"; n].join(","));
        let body = domain::json::parse(text.as_bytes()).unwrap();
        match parse_entries(&body) {
            Err(ApiError::Validation(errors)) => {
                assert_eq!(errors.len(), 1, "{:?}", &errors[..errors.len().min(3)]);
                assert_eq!(errors[0].field, "entries");
                assert_eq!(
                    errors[0].message,
                    "entries must contain between 1 and 1000 items"
                );
            }
            other => panic!("{n}: {:?}", other.map(|l| l.len())),
        }
    }
}

/// Within the limits, every invalid item is still named, and the response lists the first 100
/// with the count of the rest in its message.
#[test]
fn many_invalid_items_within_the_limit_are_all_counted_and_100_listed() {
    let mut body = enrichment();
    body.insert("companies".into(), json!(vec![json!({"city": 1}); 10_000]));
    let v = validate(&Value::Object(body), false).unwrap();
    // Per company: city not a string, external_id required, company_name or website_url required.
    assert_eq!(v.errors.len(), 30_000);
    let body = ApiError::Validation(v.errors).body("r");
    assert_eq!(body["error"]["details"].as_array().unwrap().len(), 100);
    assert_eq!(
        body["error"]["message"],
        "Request validation failed; the first 100 of 30000 errors are listed"
    );
}
