//! The reasons of a lookalike result, in English and German: `Similar to <seed>` and the
//! respects both companies share, each backed by a field of both.
use super::respects::{Respect, Similar};
use super::states_criteria;
use crate::catalog::CatalogCompany;
use crate::icp::Icp;
use crate::scoring::{describe_company, reasoning as icp_reasoning, Assessment, Facts};
use domain::language::Language;

/// `match_reasons`: `Similar to <seed>` first when there is a closest seed, then the ICP's met
/// criteria.
pub fn reasons(a: &Assessment) -> Vec<String> {
    a.similar
        .iter()
        .map(|s| format!("Similar to {}", s.seed))
        .chain(a.met.iter().map(|m| m.label().to_string()))
        .collect()
}

/// The clause naming one respect, with the values of both companies.
fn respect_clause(r: &Respect, de: bool) -> String {
    match (r, de) {
        (Respect::Segment { industry }, false) => {
            format!("the same segment ({})", industry.label())
        }
        (Respect::Segment { industry }, true) => {
            format!("gleiche Branche ({})", industry.label_de())
        }
        (
            Respect::Size {
                employees,
                seed_employees,
            },
            false,
        ) => format!("similar size ({employees} and {seed_employees} employees)"),
        (
            Respect::Size {
                employees,
                seed_employees,
            },
            true,
        ) => format!("ähnliche Größe ({employees} und {seed_employees} Mitarbeitende)"),
        (Respect::Model { b2b }, false) => format!(
            "the same business model ({})",
            if *b2b { "B2B" } else { "B2C" }
        ),
        (Respect::Model { b2b }, true) => format!(
            "gleiches Geschäftsmodell ({})",
            if *b2b { "B2B" } else { "B2C" }
        ),
        (Respect::Terms { terms }, false) => format!("shared terms ({})", terms.join(", ")),
        (Respect::Terms { terms }, true) => format!("gemeinsame Begriffe ({})", terms.join(", ")),
        (Respect::Technologies { technologies }, false) => {
            format!("shared technologies ({})", technologies.join(", "))
        }
        (Respect::Technologies { technologies }, true) => {
            format!("gemeinsame Technologien ({})", technologies.join(", "))
        }
    }
}

/// "Similar to acme.de in the same segment (...), similar size (...)." in `en` or `de`.
pub fn similarity_sentence(s: &Similar, de: bool) -> String {
    let clauses: Vec<String> = s.respects.iter().map(|r| respect_clause(r, de)).collect();
    if de {
        format!("Ähnlich wie {}: {}.", s.seed, clauses.join(", "))
    } else {
        format!("Similar to {}: {}.", s.seed, clauses.join(", "))
    }
}

/// `match_reasoning`: the ICP's reasoning (`scoring::reasoning`), followed by the closest seed
/// and the respects they share; for a lookalike order without ICP criteria, the strength of the
/// likeness, the company and those respects.
pub fn reasoning(
    icp: &Icp,
    c: &CatalogCompany,
    facts: &Facts,
    a: &Assessment,
    language: Option<&str>,
) -> String {
    let Some(similar) = &a.similar else {
        return icp_reasoning(icp, c, facts, a, language);
    };
    let de = Language::from_code(language) == Language::De;
    let sentence = similarity_sentence(similar, de);
    if states_criteria(icp) {
        return format!("{} {sentence}", icp_reasoning(icp, c, facts, a, language));
    }
    let place = [c.city.as_deref(), c.country.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let strength = match (a.score, de) {
        (8.., false) => "Strong lookalike",
        (5..=7, false) => "Good lookalike",
        (_, false) => "Partial lookalike",
        (8.., true) => "Sehr ähnlich",
        (5..=7, true) => "Ähnlich",
        (_, true) => "Teilweise ähnlich",
    };
    format!(
        "{strength}: {}. {sentence}",
        describe_company(c, facts, &place, de)
    )
}
