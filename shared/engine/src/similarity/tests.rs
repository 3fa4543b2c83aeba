use super::reasons::{reasoning, reasons};
use super::*;
use crate::blacklist_match::{BlacklistIndex, Whole};
use crate::generator::generate;
use crate::icp::parse_parts;
use crate::ports::MemoryCatalog;
use domain::blacklist::MatchKey;
use proptest::prelude::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// `n` seeds of one segment and country of a generated catalog, with their domains.
fn seeds_of(catalog: &[CatalogCompany], n: usize, skip: usize) -> (Vec<String>, Industry, String) {
    let first = &catalog[skip];
    let segment = Facts::of(first).industry;
    let country = first.country.clone().unwrap();
    let domains = catalog
        .iter()
        .skip(skip)
        .filter(|c| Facts::of(c).industry == segment && c.country == first.country)
        .filter_map(|c| c.domain.clone())
        .take(n)
        .collect();
    (domains, segment, country)
}

fn lookalike(text: &str, countries: &[String], excluded: &[String], seeds: Vec<String>) -> Icp {
    let mut icp = parse_parts(text, countries, &[], excluded);
    icp.lookalike = seeds;
    icp
}

#[test]
fn lookalikes_share_the_seeds_segment_and_never_are_a_seed() {
    let catalog = generate(4000, 11);
    let memory = MemoryCatalog::new(catalog.clone());
    let (seeds, segment, country) = seeds_of(&catalog, 5, 0);
    assert!(seeds.len() >= 2, "{seeds:?}");
    let icp = lookalike("", std::slice::from_ref(&country), &[], seeds.clone());
    let found = runtime()
        .block_on(find_lookalike(
            &icp,
            &[country],
            &memory,
            &mut Whole(&BlacklistIndex::default()),
            None,
        ))
        .unwrap();
    assert!(!found.selected.is_empty());
    for (c, a) in &found.selected {
        assert!(!seeds.contains(&c.id), "a seed was returned: {}", c.id);
        assert!(a.score >= MIN_SCORE);
    }
    let (top, a) = &found.selected[0];
    assert_eq!(Facts::of(top).industry, segment, "{top:?}");
    let similar = a.similar.as_ref().expect("the best lookalike names a seed");
    assert!(seeds.contains(&similar.seed));
    assert!(reasons(a)[0].starts_with("Similar to "));
    let again = runtime()
        .block_on(find_lookalike(
            &icp,
            &icp.countries.clone(),
            &memory,
            &mut Whole(&BlacklistIndex::default()),
            None,
        ))
        .unwrap();
    let ids = |f: &Found| {
        f.selected
            .iter()
            .map(|(c, _)| c.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&found), ids(&again), "deterministic");
}

#[test]
fn reasoning_names_the_seed_in_the_orders_language() {
    let catalog = generate(3000, 5);
    let memory = MemoryCatalog::new(catalog.clone());
    let (seeds, _, country) = seeds_of(&catalog, 4, 3);
    for text in ["", "B2B companies with 50-500 employees"] {
        let icp = lookalike(text, std::slice::from_ref(&country), &[], seeds.clone());
        let found = runtime()
            .block_on(find_lookalike(
                &icp,
                std::slice::from_ref(&country),
                &memory,
                &mut Whole(&BlacklistIndex::default()),
                None,
            ))
            .unwrap();
        for (c, a) in found.selected.iter().take(20) {
            let Some(s) = &a.similar else { continue };
            let facts = Facts::of(c);
            let en = reasoning(&icp, c, &facts, a, Some("en"));
            assert!(en.contains(&format!("Similar to {}", s.seed)), "{en}");
            let de = reasoning(&icp, c, &facts, a, Some("de"));
            assert!(de.contains(&format!("Ähnlich wie {}", s.seed)), "{de}");
            for english in ["Similar to", "same segment", "employees", "shared "] {
                assert!(!de.contains(english), "{english} in a German text: {de}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn lookalike_discovery_respects_every_hard_filter(
        seed in 0u64..500,
        skip in 0usize..50,
        excluded in proptest::sample::subsequence(vec!["Banks", "Software", "Hotels", "Real estate", "Logistics"], 0..3),
        extra in proptest::sample::subsequence(vec!["Germany", "AT", "France", "United States", "UK"], 0..3),
        blacklisted in proptest::collection::vec(0usize..800, 0..40),
    ) {
        let catalog = generate(800, seed);
        let memory = MemoryCatalog::new(catalog.clone());
        let (seeds, _, country) = seeds_of(&catalog, 4, skip);
        let mut countries = vec![country];
        countries.extend(extra.iter().map(|s| s.to_string()));
        let excluded: Vec<String> = excluded.iter().map(|s| s.to_string()).collect();
        let icp = lookalike("", &countries, &excluded, seeds.clone());
        let mut ix = BlacklistIndex::default();
        for i in &blacklisted {
            ix.insert(MatchKey::Domain { domain: catalog[*i].domain.clone().unwrap() });
        }
        let found = runtime().block_on(find_lookalike(&icp, &countries, &memory, &mut Whole(&ix), None)).unwrap();
        for (c, a) in &found.selected {
            let f = Features::of(c);
            prop_assert!(!seeds.contains(&c.id));
            prop_assert!(icp.countries.contains(f.facts.country.as_ref().unwrap()));
            prop_assert!(f.facts.segment_in(&icp.excluded).is_none());
            prop_assert!(!ix.matches(&f));
            // Every respect is a field of both companies.
            if let Some(s) = &a.similar {
                let seed = catalog.iter().find(|x| x.domain.as_deref() == Some(s.seed.as_str())).unwrap();
                prop_assert!(backed(c, seed, s));
            }
        }
    }
}

/// Whether every respect of `s` holds of both companies' own fields.
pub(crate) fn backed(c: &CatalogCompany, seed: &CatalogCompany, s: &Similar) -> bool {
    let (fc, fs) = (Facts::of(c), Facts::of(seed));
    let text = |x: &CatalogCompany| terms_of(x);
    s.respects.iter().all(|r| match r {
        Respect::Segment { industry } => fc.industry == *industry && fs.industry == *industry,
        Respect::Size {
            employees,
            seed_employees,
        } => {
            c.employee_count == Some(*employees)
                && seed.employee_count == Some(*seed_employees)
                && (*employees.max(seed_employees) as f64)
                    <= SIZE_FACTOR * (*employees.min(seed_employees)).max(1) as f64
        }
        Respect::Model { b2b } => {
            let m = Some(if *b2b {
                BusinessModel::B2B
            } else {
                BusinessModel::B2C
            });
            fc.model == m && fs.model == m
        }
        Respect::Terms { terms } => {
            let (a, b) = (text(c), text(seed));
            !terms.is_empty() && terms.iter().all(|t| a.contains(t) && b.contains(t))
        }
        Respect::Technologies { technologies } => technologies.iter().all(|t| {
            c.technologies.iter().any(|x| x.eq_ignore_ascii_case(t))
                && seed.technologies.iter().any(|x| x.eq_ignore_ascii_case(t))
        }),
    })
}
