//! No order text crashes the engine: what create-order and preview-order hand it from a request
//! (an order's ICP texts, countries, cities, exclusions, contact roles and language, and an
//! enrichment's submitted companies) is any text the validation lets through, arbitrary Unicode of
//! any length included. Discovery, the preview's offline build, enrichment and the exclusion
//! warnings must answer for each; a panic fails the property.
use testkit::arb;

use arb::string;
use domain::order::{Order, SubmittedCompany};
use engine::blacklist_match::BlacklistIndex;
use engine::enrich::EnrichContext;
use engine::ports::{MemoryCatalog, Network};
use proptest::prelude::*;
use serde_json::json;
use std::sync::OnceLock;

fn catalog() -> &'static MemoryCatalog {
    static CATALOG: OnceLock<MemoryCatalog> = OnceLock::new();
    CATALOG.get_or_init(|| MemoryCatalog::new(catalog_gen::generate(400, 11)))
}

/// Text as validation passes it: non-blank, trimmed, at most `max` characters.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => string(),
        1 => prop::sample::select(vec![
            "Mid-market SaaS companies in Germany with 50-500 employees, not banks",
            "Softwarehersteller und Medizintechnikunternehmen in Österreich, keine Behörden",
            "B2B software; no government. Excluding: hotels, restaurants!",
            "nicht nicht nicht kein keine ohne außer except not no",
            "\u{201e}Immobilien-Investmentgesellschaften (REITs)\u{201c} \u{2013} und \u{bb}Versicherer (P&C)\u{ab}",
        ])
        .prop_map(String::from),
        1 => structured(),
    ]
    .prop_map(move |s| s.trim().chars().take(max).collect::<String>())
    .prop_filter("non-blank", |s| !s.is_empty())
}

/// Words and the punctuation the readers cut and split on, joined with or without a space:
/// arbitrary Unicode seldom builds "„Word (ABBR)“", "X – Y" or "(SE, NO)" by chance.
fn structured() -> impl Strategy<Value = String> {
    let pieces = vec![
        "Immobilien-Investmentgesellschaften",
        "REITs",
        "E&P",
        "Banken",
        "Softwareanbieter",
        "Software",
        "Maschinen-",
        "Zulieferer",
        "Öl",
        "Straße",
        "und",
        "oder",
        "and",
        "nicht",
        "keine",
        "die",
        "der",
        "NO",
        "SE",
        "50\u{2013}500",
        "(",
        ")",
        "[",
        "]",
        "\u{201e}",
        "\u{201c}",
        "\u{bb}",
        "\u{ab}",
        "\u{2013}",
        "\u{2014}",
        "-",
        ",",
        ":",
        ";",
        ".",
        "/",
        "&",
        "'",
    ];
    prop::collection::vec((prop::sample::select(pieces), any::<bool>()), 1..80).prop_map(|picks| {
        picks
            .iter()
            .map(|(piece, spaced)| {
                if *spaced {
                    format!("{piece} ")
                } else {
                    piece.to_string()
                }
            })
            .collect()
    })
}

fn list(max_items: usize, max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            2 => text(max),
            1 => prop::sample::select(vec!["Germany", "DE", "Österreich", "Banks", "Government", "CEO", "Munich"])
                .prop_map(String::from),
        ],
        0..max_items.min(6),
    )
}

/// The order's request text: ICP, offering, seller industry, countries, cities, exclusions,
/// contact roles, language.
type Texts = (
    String,
    String,
    Option<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Option<String>,
);

fn order(texts: Texts) -> Order {
    let (icp, offering, industry, countries, cities, excluded, roles, language) = texts;
    let order = json!({
        "order_id": uuid::Uuid::now_v7(), "tenant_id": "t", "order_type": "DISCOVERY", "title": "t",
        "status": "IN_PROGRESS", "priority": "NORMAL", "company_count": 0,
        "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS", "TECHNOLOGIES", "EMAIL_DISCOVERY"],
        "estimated_cost": null, "prospect_search_id": null, "admin_notes": null, "webhook_url": null,
        "ideal_customer_profile": icp, "seller_offering": offering, "seller_industry": industry,
        "excluded_industries": excluded, "target_countries": countries, "target_cities": cities,
        "output_language": language, "contact_roles": roles, "blacklist_ids": [], "profile_id": null,
        "created_at": "2026-01-01T00:00:00.000000Z", "accepted_at": null, "completed_at": null,
        "cancelled_at": null
    });
    serde_json::from_value(order).unwrap_or_else(|e| panic!("an order: {e}"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|e| panic!("a runtime: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_order_text_is_discovered_previewed_and_warned_about(
        icp in text(5000),
        offering in text(5000),
        industry in prop::option::of(text(1000)),
        countries in list(50, 100),
        cities in list(100, 100),
        excluded in list(50, 200),
        roles in list(20, 100),
        language in prop::option::of(prop::sample::select(vec!["en", "de", "de-AT", "fr", "zz-ZZZZ"]).prop_map(String::from)),
    ) {
        let _ = engine::industry::unmatched_exclusions(&excluded);
        let order = order((icp, offering, industry, countries, cities, excluded, roles, language));
        let offline = Network::offline();
        let ctx = EnrichContext { resolver: offline.resolver.as_ref(), fetcher: None };
        let outcome = runtime().block_on(engine::pipeline::discover_order(
            &order,
            catalog(),
            &BlacklistIndex::default(),
            &ctx,
        ));
        prop_assert!(outcome.is_ok(), "{:?}", outcome.err());
    }

    #[test]
    fn any_submitted_company_is_enriched(
        companies in prop::collection::vec(
            (prop::option::of(text(500)), prop::option::of(text(2048)), prop::option::of(text(200)), prop::option::of(text(100))),
            1..6,
        ),
        icp in text(5000),
    ) {
        let order = order((icp, "Prospect enrichment".into(), None, vec![], vec![], vec![], vec![], None));
        let submitted: Vec<SubmittedCompany> = companies
            .into_iter()
            .enumerate()
            .map(|(i, (company_name, website_url, city, country))| SubmittedCompany {
                external_id: i.to_string(),
                company_name,
                website_url,
                city,
                country,
            })
            .collect();
        let offline = Network::offline();
        let ctx = EnrichContext { resolver: offline.resolver.as_ref(), fetcher: None };
        let results = runtime().block_on(engine::pipeline::enrich_submitted(&order, &submitted, catalog(), &ctx));
        prop_assert_eq!(results.map(|r| r.len()).ok(), Some(submitted.len()));
    }
}
