use super::*;
use crate::email::{MxLookup, StaticMx};
use crate::generator::generate;
use crate::ports::MemoryCatalog;
use crate::technologies::{FetchError, PageFetcher, PageSnapshot};
use domain::blacklist::MatchKey;
use domain::order::{Feature, OrderStatus, OrderType, Priority};
use std::collections::HashMap;

struct FixturePage;

#[async_trait::async_trait]
impl PageFetcher for FixturePage {
    async fn fetch(&self, url: &str) -> Result<PageSnapshot, FetchError> {
        Ok(PageSnapshot {
            final_url: url.to_string(),
            status: 200,
            headers: vec![("server".into(), "cloudflare".into())],
            body: "<html><script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\"></script><link href=\"/wp-content/themes/x.css\"></html>".into(),
        })
    }
}

fn order(order_type: OrderType, features: &[Feature]) -> Order {
    Order {
        order_id: uuid::Uuid::now_v7(),
        tenant_id: "t".into(),
        order_type,
        title: "t".into(),
        status: OrderStatus::InProgress,
        priority: Priority::Normal,
        company_count: 0,
        features: features.to_vec(),
        estimated_cost: None,
        prospect_search_id: None,
        admin_notes: None,
        webhook_url: None,
        ideal_customer_profile: Some(
            "Mid-market B2B SaaS companies with 50-500 employees, HR and finance software".into(),
        ),
        seller_offering: Some("Lead generation".into()),
        seller_industry: None,
        excluded_industries: Some(vec!["Government".into()]),
        target_countries: Some(vec!["Germany".into(), "Austria".into()]),
        target_cities: Some(vec!["Berlin".into(), "Vienna".into()]),
        output_language: Some("de".into()),
        contact_roles: Some(vec!["CTO".into()]),
        blacklist_ids: vec![],
        profile_id: None,
        created_at: "2026-01-01T00:00:00.000000Z".into(),
        accepted_at: None,
        completed_at: None,
        cancelled_at: None,
        result_count: 0,
        next_batch: 0,
        planned_batches: None,
        warnings: Vec::new(),
        lookalike_domains: None,
        exclude_delivered: false,
        excluded_delivered_count: None,
        delivered_recorded: 0,
    }
}

fn mx() -> StaticMx {
    StaticMx(HashMap::new())
}

#[tokio::test]
async fn discovery_fills_exactly_the_ordered_features() {
    let catalog = MemoryCatalog::new(generate(3000, 11));
    let resolver = mx();
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: None,
    };
    let o = order(
        OrderType::Discovery,
        &[Feature::CompanyData, Feature::Analysis],
    );
    let out = discover_order(&o, &catalog, &BlacklistIndex::default(), &ctx)
        .await
        .unwrap();
    assert!(!out.results.is_empty());
    let first = &out.results[0];
    assert!(
        first.match_score.is_some()
            && first
                .match_reasoning
                .as_deref()
                .unwrap()
                .contains("ICP-Passung"),
        "German reasoning"
    );
    assert!(first.employee_count.is_some() && first.source_id.is_none());
    assert!(
        first.prospects.is_empty() && first.web_technologies.is_none(),
        "features not ordered stay empty/null"
    );
    assert!(out
        .results
        .windows(2)
        .all(|w| w[0].match_score >= w[1].match_score));
    for r in &out.results {
        let country = domain::normalize::country(r.country.as_deref().unwrap());
        assert!(country == "DE" || country == "AT");
    }

    // Without ANALYSIS the ranking is the same, but the fields stay null.
    let bare = order(OrderType::Discovery, &[Feature::CompanyData]);
    let out2 = discover_order(&bare, &catalog, &BlacklistIndex::default(), &ctx)
        .await
        .unwrap();
    assert_eq!(
        out2.results
            .iter()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>(),
        out.results
            .iter()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
    );
    assert!(out2
        .results
        .iter()
        .all(|r| r.match_score.is_none() && r.match_reasons.is_none()));

    // The blacklist applies.
    let mut ix = BlacklistIndex::default();
    ix.insert(MatchKey::Domain {
        domain: out.results[0].normalized_url.clone().unwrap(),
    });
    let out3 = discover_order(&o, &catalog, &ix, &ctx).await.unwrap();
    assert!(out3
        .results
        .iter()
        .all(|r| r.normalized_url != out.results[0].normalized_url));
}

#[tokio::test]
async fn contacts_emails_and_technologies() {
    let catalog = MemoryCatalog::new(generate(2000, 12));
    let domains: Vec<String> = catalog
        .all()
        .iter()
        .filter_map(|c| c.domain.clone())
        .collect();
    let resolver = StaticMx(
        domains
            .iter()
            .map(|d| (d.clone(), MxLookup::Found(vec![format!("mx.{d}")])))
            .collect(),
    );
    let fetcher = FixturePage;
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: Some(&fetcher),
    };
    let o = order(
        OrderType::Discovery,
        &[
            Feature::CompanyData,
            Feature::Contacts,
            Feature::EmailDiscovery,
            Feature::Technologies,
        ],
    );
    let out = discover_order(&o, &catalog, &BlacklistIndex::default(), &ctx)
        .await
        .unwrap();
    let with_people = out
        .results
        .iter()
        .find(|r| !r.prospects.is_empty())
        .expect("some prospects");
    let p = &with_people.prospects[0];
    assert_eq!(p.company_id, with_people.id);
    assert!(p.qualification_score.is_some_and(|s| (1..=10).contains(&s)));
    assert!(p
        .email
        .as_deref()
        .is_some_and(|e| e.ends_with(with_people.normalized_url.as_deref().unwrap())));
    assert_eq!(p.email_type.as_deref(), Some("PERSONAL"));
    let tech = with_people.web_technologies.as_ref().unwrap();
    assert!(
        tech.iter().any(|t| t == "WordPress") && tech.iter().any(|t| t == "Cloudflare"),
        "{tech:?}"
    );
    assert!(with_people.web_technologies_analyzed_at.is_some());
}

#[tokio::test]
async fn enrichment_matches_by_domain_then_name_and_keeps_submission_order() {
    let catalog_rows = generate(500, 13);
    let known = catalog_rows[3].clone();
    let by_name = catalog_rows[4].clone();
    let catalog = MemoryCatalog::new(catalog_rows);
    let resolver = mx();
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: None,
    };
    let submitted = vec![
        SubmittedCompany {
            external_id: "crm-1".into(),
            company_name: None,
            website_url: Some(format!(
                "https://www.{}/about",
                known.domain.clone().unwrap()
            )),
            city: None,
            country: None,
        },
        SubmittedCompany {
            external_id: "crm-2".into(),
            company_name: Some("Unknown Widgets GmbH".into()),
            website_url: None,
            city: Some("Berlin".into()),
            country: Some("DE".into()),
        },
        SubmittedCompany {
            external_id: "crm-3".into(),
            company_name: Some(by_name.name.clone()),
            website_url: None,
            city: by_name.city.clone(),
            country: by_name.country.clone(),
        },
        SubmittedCompany {
            external_id: "crm-4".into(),
            company_name: Some(by_name.name.clone()),
            website_url: None,
            city: Some("Atlantis".into()),
            country: None,
        },
    ];
    let o = order(
        OrderType::Enrichment,
        &[Feature::CompanyData, Feature::Analysis],
    );
    let results = enrich_submitted(&o, &submitted, &catalog, &ctx)
        .await
        .unwrap();
    assert_eq!(
        results
            .iter()
            .map(|r| r.source_id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["crm-1", "crm-2", "crm-3", "crm-4"]
    );
    assert_eq!(results[0].name, known.name);
    assert_eq!(results[0].employee_count, known.employee_count);
    assert_eq!(results[1].name, "Unknown Widgets GmbH");
    assert_eq!(
        (results[1].employee_count, results[1].city.as_deref()),
        (None, Some("Berlin")),
        "unmatched keeps what is known"
    );
    assert_eq!(
        results[2].description, by_name.description,
        "matched by name + place"
    );
    assert_eq!(
        results[3].description, None,
        "a different city is a different company"
    );
    assert!(results.iter().all(|r| r.match_score.is_some()));
    let again = enrich_submitted(&o, &submitted, &catalog, &ctx)
        .await
        .unwrap();
    assert_eq!(
        results.iter().map(|r| r.id).collect::<Vec<_>>(),
        again.iter().map(|r| r.id).collect::<Vec<_>>(),
        "stable ids"
    );
}

#[tokio::test]
async fn sparse_segments_widen_to_related_ones_without_claiming_an_industry_match() {
    let company = |id: &str, industry: &str, description: &str| CatalogCompany {
        id: id.into(),
        name: id.into(),
        industry: Some(industry.into()),
        description: Some(description.into()),
        city: Some("Wien".into()),
        country: Some("Austria".into()),
        ..Default::default()
    };
    let catalog = MemoryCatalog::new(vec![
        company(
            "flug.at",
            "Airlines",
            "Passenger airline flying from Vienna.",
        ),
        company(
            "airport.at",
            "Airports & Air Services",
            "Airport and ground services for passenger airlines.",
        ),
        company(
            "ferry.at",
            "Marine",
            "Passenger ferries and river cruises for airline travellers.",
        ),
        company(
            "bank.at",
            "Banks",
            "A regional bank financing passenger airlines.",
        ),
    ]);
    let icp = icp::parse_parts(
        "Fluggesellschaften im Passagierverkehr (passenger airlines)",
        &["Österreich".into()],
        &[],
        &[],
    );
    assert_eq!(icp.industries, vec![Industry::Airlines]);
    let found = find(&icp, &["AT".into()], &catalog, &BlacklistIndex::default())
        .await
        .unwrap();
    let ids: Vec<&str> = found.selected.iter().map(|(c, _)| c.id.as_str()).collect();
    assert_eq!(ids[0], "flug.at", "{ids:?}");
    assert!(
        ids.contains(&"airport.at") && ids.contains(&"ferry.at"),
        "{ids:?}"
    );
    assert!(
        !ids.contains(&"bank.at"),
        "banks share no broad word with airlines"
    );
    for (_, assessment) in &found.selected[1..] {
        assert!(!assessment
            .met
            .contains(&crate::scoring::Criterion::Industry));
    }
}

/// The same company in the same order scores the same whichever batch it lands in: its text
/// relevance does not depend on the other companies of its batch.
#[tokio::test]
async fn enrichment_scores_do_not_depend_on_the_batch() {
    let rows = generate(400, 21);
    let catalog = MemoryCatalog::new(rows.clone());
    let resolver = mx();
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: None,
    };
    let submitted: Vec<SubmittedCompany> = rows
        .iter()
        .take(60)
        .enumerate()
        .map(|(i, c)| SubmittedCompany {
            external_id: format!("crm-{i}"),
            company_name: None,
            website_url: c.domain.as_ref().map(|d| format!("https://{d}/")),
            city: None,
            country: None,
        })
        .collect();
    let o = order(
        OrderType::Enrichment,
        &[Feature::CompanyData, Feature::Analysis],
    );
    let whole = enrich_submitted(&o, &submitted, &catalog, &ctx)
        .await
        .unwrap();
    let mut pieces = Vec::new();
    for chunk in submitted.chunks(7) {
        pieces.extend(enrich_submitted(&o, chunk, &catalog, &ctx).await.unwrap());
    }
    let scores = |r: &[domain::results::CompanyResult]| -> Vec<(Option<u8>, Vec<String>)> {
        r.iter()
            .map(|c| (c.match_score, c.match_reasons.clone().unwrap_or_default()))
            .collect()
    };
    assert!(whole.iter().any(|c| c.match_score.unwrap_or(0) > 0));
    assert_eq!(scores(&whole), scores(&pieces));
}

#[tokio::test]
async fn technologies_are_dated_by_their_newest_source() {
    let order = order(OrderType::Enrichment, &[Feature::Technologies]);
    let resolver = StaticMx(HashMap::new());
    // No homepage fetch: what is reported is the catalog's, as fresh as the catalog learnt it.
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: None,
    };
    let seen = "2026-03-01T10:30:00.000000Z".to_string();
    let company = |technologies: &[&str], seen_at: Option<&String>| CatalogCompany {
        id: "acme.de".into(),
        name: "Acme".into(),
        domain: Some("acme.de".into()),
        technologies: technologies.iter().map(|t| t.to_string()).collect(),
        technologies_seen_at: seen_at.cloned(),
        ..Default::default()
    };
    let dated = |c: CatalogCompany| {
        let (order, ctx) = (&order, &ctx);
        async move {
            let r = crate::enrich::build_result(order, &c, None, None, ctx).await;
            (r.web_technologies.unwrap(), r.web_technologies_analyzed_at)
        }
    };
    assert_eq!(
        dated(company(&["Shopify"], Some(&seen))).await,
        (vec!["Shopify".to_string()], Some(seen.clone()))
    );
    assert_eq!(dated(company(&[], Some(&seen))).await, (vec![], None));
    assert_eq!(dated(company(&["Shopify"], None)).await.1, None);
}

/// A preview's bound: an ICP naming no segment over every country of the catalog reads only
/// the largest markets the budget allows, and says how much it read; a budget covering
/// everything reads (and counts) exactly what an unbounded discovery does.
#[tokio::test]
async fn a_budget_reads_the_largest_markets_and_reports_its_coverage() {
    let rows = generate(1500, 5);
    let mut countries: Vec<String> = rows.iter().filter_map(|c| c.country.clone()).collect();
    countries.sort();
    countries.dedup();
    let catalog = MemoryCatalog::new(rows);
    let icp = icp::parse_parts(
        "Companies with 50-500 employees, growing",
        &countries,
        &[],
        &[],
    );
    assert!(icp.industries.is_empty(), "{:?}", icp.industries);
    let none = BlacklistIndex::default();
    let all = find(&icp, &countries, &catalog, &none).await.unwrap();
    assert!(all.coverage.is_none());

    let named = markets(&countries, None);
    let sizes = catalog.market_sizes(&named).await.unwrap();
    let mut largest: Vec<u64> = sizes.values().copied().collect();
    largest.sort_unstable_by(|a, b| b.cmp(a));
    let tight = Budget {
        markets: 3,
        records: u64::MAX,
        bodies: 5,
    };
    let some = find_within(&icp, &countries, &catalog, &none, Some(tight))
        .await
        .unwrap();
    let coverage = some.coverage.unwrap();
    assert_eq!(some.candidates as u64, largest[..3].iter().sum::<u64>());
    assert_eq!(coverage.read, some.candidates as u64);
    assert_eq!(coverage.named, all.candidates as u64);
    assert!(coverage.partial());
    assert!(some.selected.len() <= 5);
    assert!(some.stats.matching < all.stats.matching);
    assert!(coverage.extrapolate(some.stats.matching) >= some.stats.matching);

    // Records: never more than the budget, even of a largest market holding more.
    let half = largest[0] / 2;
    let by_records = Budget {
        markets: 1000,
        records: half,
        bodies: 5,
    };
    let part = find_within(&icp, &countries, &catalog, &none, Some(by_records))
        .await
        .unwrap();
    assert_eq!(part.candidates as u64, half);
    assert_eq!(part.coverage.unwrap().read, half);
    let some_markets = Budget {
        markets: 1000,
        records: largest[0] + largest[1],
        bodies: 5,
    };
    let two = find_within(&icp, &countries, &catalog, &none, Some(some_markets))
        .await
        .unwrap();
    assert_eq!(two.candidates as u64, largest[0] + largest[1]);

    let roomy = Budget {
        markets: 10_000,
        records: u64::MAX,
        bodies: 200,
    };
    let whole = find_within(&icp, &countries, &catalog, &none, Some(roomy))
        .await
        .unwrap();
    let coverage = whole.coverage.unwrap();
    assert!(!coverage.partial());
    assert_eq!(whole.stats.matching, all.stats.matching);
    assert_eq!(
        coverage.extrapolate(whole.stats.matching),
        all.stats.matching
    );
    let ids = |f: &Found| {
        f.selected
            .iter()
            .map(|(c, _)| c.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&whole), ids(&all));
}
