//! Lookalike discovery over the whole evaluation dataset (`../shared/datasets`, read in place):
//! every respect a result names (`Similar to <seed>` and the reasoning) is backed by a field of
//! both the result and that seed; no seed is returned; the reasoning is in the order's language.
mod common;
use common::dataset;
use engine::blacklist_match::BlacklistIndex;
use engine::catalog::CatalogCompany;
use engine::icp::{parse_parts, BusinessModel};
use engine::pipeline::find;
use engine::ports::MemoryCatalog;
use engine::scoring::Facts;
use engine::similarity::reasons::{reasoning, reasons};
use engine::similarity::respects::{Respect, Similar};
use engine::similarity::{terms_of, SIZE_FACTOR};
use std::collections::HashMap;

/// Seeds of one label and country: the first `n` companies of the dataset carrying both.
fn seeds(label: &str, country: &str, n: usize) -> Vec<String> {
    dataset()
        .iter()
        .filter(|c| c.industry.as_deref() == Some(label) && c.country.as_deref() == Some(country))
        .filter_map(|c| c.domain.clone())
        .take(n)
        .collect()
}

fn backed(c: &CatalogCompany, seed: &CatalogCompany, s: &Similar) -> Result<(), String> {
    let (fc, fs) = (Facts::of(c), Facts::of(seed));
    for r in &s.respects {
        let ok = match r {
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
                let (a, b) = (terms_of(c), terms_of(seed));
                !terms.is_empty() && terms.iter().all(|t| a.contains(t) && b.contains(t))
            }
            Respect::Technologies { technologies } => technologies.iter().all(|t| {
                c.technologies.iter().any(|x| x.eq_ignore_ascii_case(t))
                    && seed.technologies.iter().any(|x| x.eq_ignore_ascii_case(t))
            }),
        };
        if !ok {
            return Err(format!("{r:?} of {} and {}", c.id, seed.id));
        }
    }
    Ok(())
}

/// Seeds, ICP text, target countries, output language, excluded industries.
type Case<'a> = (Vec<String>, &'a str, &'a [&'a str], &'a str, &'a [&'a str]);

#[tokio::test]
async fn every_respect_is_backed_by_a_field_of_both_companies() {
    let catalog = MemoryCatalog::new(dataset().to_vec());
    let by_domain: HashMap<&str, &CatalogCompany> = dataset()
        .iter()
        .filter_map(|c| Some((c.domain.as_deref()?, c)))
        .collect();
    let cases: Vec<Case> = vec![
        (
            seeds("Software - Application", "United States", 6),
            "",
            &["United States"],
            "en",
            &[],
        ),
        (
            seeds("Fintech / Payments", "United States", 4),
            "B2B payments startups",
            &["United States"],
            "de",
            &[],
        ),
        (
            seeds("Biotechnology", "United States", 20),
            "",
            &["USA", "Canada"],
            "de",
            &["Insurance"],
        ),
        (
            seeds("Machinery", "Germany", 4),
            "Maschinenbauer mit über 500 Mitarbeitern",
            &["Deutschland", "Schweiz"],
            "de",
            &[],
        ),
        (
            seeds("B2B / Human Resources", "United States", 5),
            "",
            &["United States", "UK"],
            "en",
            &[],
        ),
        (
            seeds("Banks - Regional", "United States", 5),
            "",
            &["United States"],
            "en",
            &["Banks"],
        ),
    ];
    let mut checked = 0;
    for (seed_domains, text, countries, language, excluded) in cases {
        assert!(!seed_domains.is_empty());
        let countries: Vec<String> = countries.iter().map(|s| s.to_string()).collect();
        let excluded: Vec<String> = excluded.iter().map(|s| s.to_string()).collect();
        let mut icp = parse_parts(text, &countries, &[], &excluded);
        icp.lookalike = seed_domains.clone();
        let found = find(&icp, &countries, &catalog, &BlacklistIndex::default())
            .await
            .unwrap();
        for (c, a) in &found.selected {
            assert!(!seed_domains.contains(&c.id), "seed {} returned", c.id);
            let text = reasoning(&icp, c, &Facts::of(c), a, Some(language));
            let Some(s) = &a.similar else {
                assert!(!reasons(a).iter().any(|r| r.starts_with("Similar to")));
                continue;
            };
            assert!(seed_domains.contains(&s.seed), "{} is no seed", s.seed);
            assert_eq!(reasons(a)[0], format!("Similar to {}", s.seed));
            backed(c, by_domain[s.seed.as_str()], s).unwrap();
            checked += s.respects.len();
            if language == "de" {
                assert!(text.contains(&format!("Ähnlich wie {}", s.seed)), "{text}");
                for english in [
                    "Similar to",
                    "same segment",
                    "employees",
                    "shared",
                    "company",
                ] {
                    assert!(
                        !text.contains(english),
                        "{english} in a German text: {text}"
                    );
                }
            } else {
                assert!(text.contains(&format!("Similar to {}", s.seed)), "{text}");
            }
        }
    }
    assert!(checked > 500, "{checked} respects checked");
}
