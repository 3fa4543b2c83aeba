use super::*;
use crate::generator::generate;
use crate::icp::parse_parts;
use crate::industry::Industry;
use domain::blacklist::MatchKey;
use proptest::prelude::*;

/// The records the importer would store for these companies (same order), with their
/// statistics for the ICP's terms.
fn candidates(catalog: &[crate::catalog::CatalogCompany], icp: &Icp) -> Candidates {
    Candidates::counted(catalog.iter().map(Features::of).collect(), &icp.keywords)
}

fn dach_saas() -> Icp {
    parse_parts(
        "Mid-market B2B SaaS companies in the DACH region with 50-500 employees, focused on HR, finance or operations software",
        &["Germany".into(), "Austria".into(), "Switzerland".into()],
        &["Berlin".into(), "Munich".into(), "Vienna".into()],
        &["Government".into(), "Non-profit".into()],
    )
}

#[test]
fn the_bounded_heap_keeps_exactly_what_sorting_everything_would() {
    let catalog = generate(20_000, 7);
    let broad = parse_parts(
        "Companies in Germany",
        &["Germany".into(), "Austria".into()],
        &[],
        &[],
    );
    let mut capped = false;
    for icp in [dach_saas(), broad] {
        let mut stats = FilterStats::default();
        let everything = rank(
            &icp,
            &candidates(&catalog, &icp),
            &BlacklistIndex::default(),
            &mut stats,
        );
        let expected: Vec<usize> = everything
            .iter()
            .filter(|r| r.assessment.score >= MIN_SCORE)
            .take(MAX_RESULTS)
            .map(|r| r.index)
            .collect();
        let (found, found_stats) = discover(
            &icp,
            &candidates(&catalog, &icp),
            &BlacklistIndex::default(),
        );
        assert_eq!(found.iter().map(|r| r.index).collect::<Vec<_>>(), expected);
        assert_eq!(
            found_stats.below_threshold,
            everything.len() - expected.len(),
            "every scored company not returned is counted"
        );
        assert_eq!(found_stats.outside_countries, stats.outside_countries);
        capped |= expected.len() == MAX_RESULTS && everything.len() > MAX_RESULTS;
    }
    assert!(
        capped,
        "the heap had to evict: more candidates qualified than it keeps"
    );
}

#[test]
fn returns_good_matches_best_first_within_the_cap() {
    let catalog = generate(5000, 1);
    let (found, stats) = discover(
        &dach_saas(),
        &candidates(&catalog, &dach_saas()),
        &BlacklistIndex::default(),
    );
    assert!(!found.is_empty() && found.len() <= MAX_RESULTS);
    assert!(found
        .windows(2)
        .all(|w| w[0].assessment.score >= w[1].assessment.score));
    assert!(found.iter().all(|r| r.assessment.score >= MIN_SCORE));
    assert!(stats.outside_countries > 0 && stats.excluded_industry > 0);
    let top = &catalog[found[0].index];
    assert_eq!(
        Industry::classify(top.industry.as_deref(), &top.keywords),
        Industry::Software,
        "{top:?}"
    );
    let same = discover(
        &dach_saas(),
        &candidates(&catalog, &dach_saas()),
        &BlacklistIndex::default(),
    )
    .0;
    assert_eq!(
        found.iter().map(|r| r.index).collect::<Vec<_>>(),
        same.iter().map(|r| r.index).collect::<Vec<_>>(),
        "deterministic"
    );
}

#[test]
fn blacklisted_companies_are_never_returned() {
    let catalog = generate(3000, 2);
    let (before, _) = discover(
        &dach_saas(),
        &candidates(&catalog, &dach_saas()),
        &BlacklistIndex::default(),
    );
    let mut ix = BlacklistIndex::default();
    for r in before.iter().take(10) {
        ix.insert(MatchKey::Domain {
            domain: catalog[r.index].domain.clone().unwrap(),
        });
    }
    let by_name = &catalog[before[10].index];
    ix.insert(MatchKey::Name {
        name: domain::normalize::company_name(&by_name.name),
        city: None,
        country: None,
    });
    let (after, stats) = discover(&dach_saas(), &candidates(&catalog, &dach_saas()), &ix);
    assert!(stats.blacklisted >= 11);
    assert!(after
        .iter()
        .all(|r| !ix.matches(&Features::of(&catalog[r.index]))));
}

prop_compose! {
    fn icp_strategy()(
        countries in proptest::sample::subsequence(vec!["Germany", "AT", "Schweiz", "France", "United States", "UK", "NL"], 1..4),
        excluded in proptest::sample::subsequence(vec!["Government", "Non-profit", "Banks", "Hotels", "Software", "Real estate"], 0..3),
        text in proptest::sample::select(vec![
            "B2B SaaS with 50-500 employees", "Logistics companies that are growing", "enterprise manufacturing",
            "Hotels and restaurants", "startups in fintech", "anything",
        ]),
    ) -> Icp {
        parse_parts(text, &countries.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &[], &excluded.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn discovery_respects_every_hard_filter(seed in 0u64..1000, icp in icp_strategy(), blacklisted in proptest::collection::vec(0usize..800, 0..40)) {
        let catalog = generate(800, seed);
        let mut ix = BlacklistIndex::default();
        for i in &blacklisted {
            ix.insert(MatchKey::Domain { domain: catalog[*i].domain.clone().unwrap() });
        }
        let (found, _) = discover(&icp, &candidates(&catalog, &icp), &ix);
        for r in found {
            let c = &catalog[r.index];
            let country = domain::normalize::country(c.country.as_deref().unwrap());
            prop_assert!(icp.countries.contains(&country), "{} outside {:?}", country, icp.countries);
            prop_assert!(!icp.excluded.contains(&Industry::classify(c.industry.as_deref(), &c.keywords)));
            prop_assert!(!ix.matches(&Features::of(c)));
            prop_assert!(!blacklisted.contains(&r.index));
        }
    }
}
