//! ICPs that name several industries, over the whole evaluation dataset (`../shared/datasets`,
//! read in place): naming one more wanted industry never shrinks what an ICP matches.
use engine::blacklist_match::BlacklistIndex;
use engine::catalog::CatalogCompany;
use engine::icp::parse_parts;
use engine::industry::{Industry, SEGMENTS};
use engine::pipeline::find_all;
use engine::ports::MemoryCatalog;
use proptest::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

fn catalog() -> &'static MemoryCatalog {
    static CATALOG: OnceLock<MemoryCatalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/datasets/companies.jsonl");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("the evaluation dataset must be at {}: {e}", path.display())
        });
        let companies: Vec<CatalogCompany> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| engine::import::parse_json_line(l).expect("every row parses"))
            .collect();
        MemoryCatalog::new(companies)
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

/// Every company the pipeline matches for this ICP text (not only the best it returns).
fn matches(text: &str, countries: &[String]) -> HashSet<String> {
    let icp = parse_parts(text, countries, &[], &[]);
    runtime()
        .block_on(find_all(
            &icp,
            countries,
            catalog(),
            &BlacklistIndex::default(),
        ))
        .expect("the memory catalog answers")
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A need alone, and the same need with a second one, as partners join them.
fn phrasings(a: &str, b: &str, joiner: usize, german: bool) -> (String, String) {
    if german {
        let joined = [
            format!("{a} und {b}"),
            format!("{a}, {b}"),
            format!("{a} oder {b}"),
            format!("{a} (sowie {b})"),
        ];
        (a.to_string(), joined[joiner % joined.len()].clone())
    } else {
        let joined = [
            format!("{a} and {b} companies"),
            format!("{a}, {b} companies"),
            format!("{a} or {b} companies"),
            format!("{a} companies (and {b} companies)"),
        ];
        (
            format!("{a} companies"),
            joined[joiner % joined.len()].clone(),
        )
    }
}

/// The example: the broad need is not narrowed by naming a part of it beside it.
#[test]
fn consulting_and_professional_services_match_all_professional_services() {
    let uk = strings(&["United Kingdom"]);
    let broad = matches("Professional services firms", &uk);
    for text in [
        "Consulting and professional services firms",
        "Professional services and consulting firms",
        "Consulting, professional services firms",
        "Unternehmensberatungen und Unternehmensdienstleister",
    ] {
        let both = matches(text, &uk);
        let lost: Vec<&String> = broad.difference(&both).collect();
        assert!(
            lost.is_empty(),
            "{text}: {} matches, {} of the broad need's {} lost",
            both.len(),
            lost.len(),
            broad.len()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For segment names A and B (the taxonomy's own, English and German), "A and B", "A, B",
    /// "A or B" and "A (and B)" want every segment "A" wants and match every company "A"
    /// matches: "A" is an item of the joined ICP (`Icp::parts`), read as "A" alone is, and a
    /// company an item matches is a match. The premise: "A" is one item, and B's words state
    /// no size, business model or growth that "A" does not ("Consumer goods" reads as B2C,
    /// which changes how every company scores).
    #[test]
    fn naming_another_industry_never_shrinks_the_match(
        a in 0..SEGMENTS.len(),
        b in 0..SEGMENTS.len(),
        joiner in 0..4usize,
        german in any::<bool>(),
    ) {
        let (a, b) = (&SEGMENTS[a], &SEGMENTS[b]);
        prop_assume!(a.industry != Industry::Other && b.industry != Industry::Other);
        let name = |s: &engine::industry::Segment| if german { s.de } else { s.en };
        let (alone, joined) = phrasings(name(a), name(b), joiner, german);
        let countries = strings(&["United States", "Germany", "United Kingdom"]);
        let icp_alone = parse_parts(&alone, &countries, &[], &[]);
        let icp_joined = parse_parts(&joined, &countries, &[], &[]);
        for s in &icp_alone.industries {
            prop_assert!(icp_joined.industries.contains(s), "{joined:?} lost {s:?} of {alone:?}");
        }
        prop_assume!(icp_alone.parts.is_empty());
        prop_assume!(
            (icp_alone.size, icp_alone.business_model, icp_alone.wants_growth)
                == (icp_joined.size, icp_joined.business_model, icp_joined.wants_growth)
        );
        let (m_alone, m_joined) = (matches(&alone, &countries), matches(&joined, &countries));
        let lost: Vec<&String> = m_alone.difference(&m_joined).collect();
        prop_assert!(
            lost.is_empty(),
            "{joined:?} ({} matches) lost {} of the {} of {alone:?}: {:?}",
            m_joined.len(),
            lost.len(),
            m_alone.len(),
            &lost[..lost.len().min(5)]
        );
    }
}
