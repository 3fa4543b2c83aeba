//! Match scores with reasons that name their evidence (docs/contract-notes.md "Results": ANALYSIS).
//!
//! Each criterion the ICP states has a weight; a company earns the weights of the criteria it
//! truly meets, plus text relevance (BM25, normalised to the best candidate). The score is
//! `1 + round(9 * earned / possible)`, so meeting strictly more criteria never scores lower.
use super::catalog::CatalogCompany;
use super::icp::{BusinessModel, Icp, GROWTH_WORDS};
use super::industry::{tokens_joined, Industry};
use domain::language::Language;
use domain::normalize;

pub const W_INDUSTRY: f64 = 3.0;
/// An industry match on weaker evidence (tags, a generic label, the description): still a
/// match, but a company whose own label names the segment ranks first.
pub const W_INDUSTRY_WEAK: f64 = 1.5;
/// An industry match only the description makes (a "Software" company describing itself as a
/// security vendor, `Industry::also_in`).
pub const W_INDUSTRY_DESCRIBED: f64 = 1.0;
pub const W_SIZE: f64 = 2.0;
/// What an unknown headcount earns of `W_SIZE` (not a reason): it may fit, unlike a headcount
/// known to be outside the range.
pub const W_SIZE_UNKNOWN: f64 = 0.75;
pub const W_LOCATION: f64 = 1.5;
pub const W_MODEL: f64 = 1.0;
pub const W_GROWTH: f64 = 1.0;
pub const W_TEXT: f64 = 2.5;
/// What a company of a wanted segment earns beyond its industry match, times its label's
/// evidence, where the ICP names labels of that segment by their own words
/// (`industry::named_labels`): "specialty chemicals makers" ranks "Specialty Chemicals" before
/// "Chemicals". A bonus beyond what is possible, not a criterion: a company whose label is only
/// broader ("Chemicals", or a vocabulary without sub-industries) matches as it did.
pub const W_LABEL_BONUS: f64 = 1.2;
/// Normalised relevance from which "Keyword relevance" is named as a reason.
pub const TEXT_REASON_THRESHOLD: f64 = 0.25;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Criterion {
    Industry,
    Size,
    Location,
    BusinessModel,
    Growth,
    Keywords,
}

impl Criterion {
    pub fn label(self) -> &'static str {
        match self {
            Criterion::Industry => "Industry match",
            Criterion::Size => "Size match",
            Criterion::Location => "Location match",
            Criterion::BusinessModel => "Business model match",
            Criterion::Growth => "Growth signals",
            Criterion::Keywords => "Keyword relevance",
        }
    }
}

/// What a company has, as far as scoring is concerned (computed once per company, at import:
/// `features::Features`).
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub industry: Industry,
    /// Whether the company's own label named `industry` (not its tags or a generic default).
    pub industry_from_label: bool,
    /// A second segment the company's description puts it in (`Industry::also_in`).
    pub also: Option<Industry>,
    /// The segments a label spanning several names (`Industry::composite_of`).
    pub composite: Option<&'static [Industry]>,
    pub model: Option<BusinessModel>,
    pub growth_word: Option<&'static str>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub employees: Option<u64>,
}

impl Facts {
    pub fn of(c: &CatalogCompany) -> Self {
        let descriptive = format!(
            " {} {} {} ",
            tokens_joined(c.business_type.as_deref().unwrap_or_default()),
            tokens_joined(c.industry.as_deref().unwrap_or_default()),
            tokens_joined(&c.keywords.join(" "))
        );
        let model = if descriptive.contains(" b2b ") {
            Some(BusinessModel::B2B)
        } else if descriptive.contains(" b2c ") || descriptive.contains(" consumer ") {
            Some(BusinessModel::B2C)
        } else {
            None
        };
        let (industry, industry_from_label) =
            Industry::classify_with_source(c.industry.as_deref(), &c.keywords);
        let text = format!(
            " {} {} ",
            tokens_joined(c.description.as_deref().unwrap_or_default()),
            descriptive
        );
        Self {
            industry,
            industry_from_label,
            composite: Industry::composite_of(c.industry.as_deref()),
            also: industry.also_in(&format!(
                "{} {}",
                c.description.as_deref().unwrap_or_default(),
                c.keywords.join(" ")
            )),
            model,
            growth_word: GROWTH_WORDS
                .iter()
                .copied()
                .find(|w| text.contains(&format!(" {w} "))),
            city: c.city.as_deref().map(normalize::city),
            country: c.country.as_deref().map(normalize::country),
            employees: c.employee_count,
        }
    }
}

impl Facts {
    /// The company's segment among `segments`: its own, else the one its description adds.
    pub fn segment_in(&self, segments: &[Industry]) -> Option<Industry> {
        std::iter::once(self.industry)
            .chain(self.also)
            .find(|s| segments.contains(s))
    }

    /// The wanted segment the company belongs to and how strong the evidence is: its own label
    /// naming it (or naming exactly the set of segments asked for), its tags or a generic
    /// label, or only its description.
    pub fn industry_match(&self, wanted: &[Industry]) -> Option<(Industry, f64)> {
        if let Some(segments) = self.composite {
            if segments.iter().all(|s| wanted.contains(s)) {
                return Some((segments[0], W_INDUSTRY));
            }
        }
        let s = self.segment_in(wanted)?;
        let weight = match (s == self.industry, self.industry_from_label) {
            (true, true) => W_INDUSTRY,
            (true, false) => W_INDUSTRY_WEAK,
            (false, _) => W_INDUSTRY_DESCRIBED,
        };
        Some((s, weight))
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assessment {
    pub score: u8,
    pub met: Vec<Criterion>,
    pub relevance: f64,
    pub matched_terms: Vec<String>,
    /// `earned / possible` before rounding: orders companies of the same score.
    #[serde(default)]
    pub fit: f64,
    /// A lookalike order's closest seed and what the company shares with it (`similarity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similar: Option<super::similarity::respects::Similar>,
}

/// Scores one company. `relevance` is its BM25 score divided by the best candidate's (0..=1).
/// Without its labels: the sub-industries an ICP names do not count (`assess_labelled`).
pub fn assess(icp: &Icp, facts: &Facts, relevance: f64, matched_terms: Vec<String>) -> Assessment {
    assess_labelled(icp, facts, None, relevance, matched_terms)
}

/// `assess`, with the company's label and tags (`industry::tokens` each): where the ICP names
/// labels of the company's segment (`Icp::named`), its label's evidence earns `W_LABEL_BONUS`.
pub fn assess_labelled(
    icp: &Icp,
    facts: &Facts,
    labels: Option<&[Vec<String>]>,
    relevance: f64,
    matched_terms: Vec<String>,
) -> Assessment {
    let mut possible = W_LOCATION;
    let mut earned = 0.0;
    let mut met = Vec::new();
    // Location is always possible (counted once above); a met criterion earns `earned_weight`,
    // which is its weight except for an industry match on weak evidence.
    let mut check = |applies: bool, meets: Option<f64>, weight: f64, criterion: Criterion| {
        if applies {
            possible += if criterion == Criterion::Location {
                0.0
            } else {
                weight
            };
            if let Some(earned_weight) = meets {
                earned += earned_weight;
                met.push(criterion);
            }
        }
    };
    let full = |meets: bool, weight: f64| meets.then_some(weight);
    // A company of a segment the ICP names only as its customers matches by its technology label.
    let matched = facts
        .industry_match(&icp.industries)
        .filter(|(segment, _)| {
            !icp.served.contains(segment)
                || labels.is_none_or(|l| icp.named.evidence(*segment, l).is_some_and(|e| e > 0.0))
        });
    // A group label the ICP asks for only a part of ("Metals & Mining" for copper miners) is
    // weaker evidence than the part's own label.
    let parted = labels.is_some_and(|l| icp.named.in_parted_group(l));
    let industry = matched.map(|(_, w)| if parted { w.min(W_INDUSTRY_WEAK) } else { w });
    let label_bonus = matched
        .and_then(|(segment, _)| labels.and_then(|l| icp.named.evidence(segment, l)))
        .map_or(0.0, |e| W_LABEL_BONUS * e);
    check(
        !icp.industries.is_empty(),
        industry,
        W_INDUSTRY,
        Criterion::Industry,
    );
    check(
        icp.size.is_some(),
        full(
            matches!((icp.size, facts.employees), (Some(r), Some(n)) if r.contains(n)),
            W_SIZE,
        ),
        W_SIZE,
        Criterion::Size,
    );
    let location = if icp.cities.is_empty() {
        facts
            .country
            .as_ref()
            .is_some_and(|c| icp.countries.contains(c))
    } else {
        facts.city.as_ref().is_some_and(|c| icp.cities.contains(c))
    };
    check(
        true,
        full(location, W_LOCATION),
        W_LOCATION,
        Criterion::Location,
    );
    check(
        icp.business_model.is_some(),
        full(
            icp.business_model.is_some() && icp.business_model == facts.model,
            W_MODEL,
        ),
        W_MODEL,
        Criterion::BusinessModel,
    );
    check(
        icp.wants_growth,
        full(facts.growth_word.is_some(), W_GROWTH),
        W_GROWTH,
        Criterion::Growth,
    );
    let relevance = relevance.clamp(0.0, 1.0);
    if !icp.keywords.is_empty() {
        possible += W_TEXT;
        earned += W_TEXT * relevance;
        if relevance >= TEXT_REASON_THRESHOLD {
            met.push(Criterion::Keywords);
        }
    }
    if icp.size.is_some() && facts.employees.is_none() {
        earned += W_SIZE_UNKNOWN;
    }
    earned += label_bonus;
    let fit = earned / possible;
    let score = (1.0 + (9.0 * fit).round()).clamp(1.0, 10.0) as u8;
    Assessment {
        score,
        fit,
        met,
        relevance,
        matched_terms,
        similar: None,
    }
}

/// One or two sentences naming the evidence, in `en` or `de` (other languages fall back to `en`).
/// Every clause is a fact of the company; internal names (the `Other` segment) never show.
pub fn reasoning(
    icp: &Icp,
    c: &CatalogCompany,
    facts: &Facts,
    a: &Assessment,
    language: Option<&str>,
) -> String {
    let de = Language::from_code(language) == Language::De;
    let place = [c.city.as_deref(), c.country.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let evidence: Vec<String> = a
        .met
        .iter()
        .map(|m| evidence(*m, icp, c, facts, a, &place, de))
        .collect();
    let strength = match (evidence.is_empty(), a.score, de) {
        (true, _, false) => "Weak ICP fit",
        (true, _, true) => "Geringe ICP-Passung",
        (false, 8.., false) => "Strong ICP fit",
        (false, 5..=7, false) => "Good ICP fit",
        (false, _, false) => "Partial ICP fit",
        (false, 8.., true) => "Sehr gute ICP-Passung",
        (false, 5..=7, true) => "Gute ICP-Passung",
        (false, _, true) => "Teilweise ICP-Passung",
    };
    let head = format!("{strength}: {}.", describe_company(c, facts, &place, de));
    match (evidence.is_empty(), de) {
        (true, false) => format!("{head} It meets none of the criteria the ICP states."),
        (true, true) => format!("{head} Es erfüllt keines der im ICP genannten Kriterien."),
        (false, false) => format!("{head} Matches on {}.", evidence.join(", ")),
        (false, true) => format!("{head} Passt bei {}.", evidence.join(", ")),
    }
}

/// "Banking company in Frankfurt, Germany with 85 employees" / "Unternehmen der Branche Banken in
/// Frankfurt, Germany mit 85 Mitarbeitenden". Without a known segment, the company's own label.
pub(crate) fn describe_company(c: &CatalogCompany, facts: &Facts, place: &str, de: bool) -> String {
    let kind = match facts.industry {
        Industry::Other => c.industry.clone().filter(|l| !l.trim().is_empty()),
        known => Some(if de { known.label_de() } else { known.label() }.to_string()),
    };
    let mut out = match (kind, de) {
        (Some(k), false) => format!("{k} company"),
        (None, false) => "Company".to_string(),
        (Some(k), true) => format!("Unternehmen der Branche {k}"),
        (None, true) => "Unternehmen".to_string(),
    };
    if !place.is_empty() {
        out.push_str(&format!(" in {place}"));
    }
    if let Some(n) = c.employee_count {
        out.push_str(&if de {
            format!(" mit {n} Mitarbeitenden")
        } else {
            format!(" with {n} employees")
        });
    }
    out
}

/// The evidence clause of one met criterion.
fn evidence(
    m: Criterion,
    icp: &Icp,
    c: &CatalogCompany,
    facts: &Facts,
    a: &Assessment,
    place: &str,
    de: bool,
) -> String {
    let wanted = icp
        .size
        .map(|s| if de { s.describe_de() } else { s.describe() })
        .unwrap_or_default();
    let model = match facts.model {
        Some(BusinessModel::B2B) => "B2B",
        Some(BusinessModel::B2C) => "B2C",
        None => "",
    };
    let n = c.employee_count.unwrap_or(0);
    let matched = facts
        .industry_match(&icp.industries)
        .map_or(facts.industry, |(s, _)| s);
    match (m, de) {
        (Criterion::Industry, false) => format!("industry ({})", matched.label()),
        (Criterion::Industry, true) => format!("Branche ({})", matched.label_de()),
        (Criterion::Size, false) => format!("size ({n} employees, wanted {wanted})"),
        (Criterion::Size, true) => format!("Größe ({n} Mitarbeitende, gesucht {wanted})"),
        (Criterion::Location, false) => format!("location ({place})"),
        (Criterion::Location, true) => format!("Standort ({place})"),
        (Criterion::BusinessModel, false) => format!("business model ({model}, as wanted)"),
        (Criterion::BusinessModel, true) => format!("Geschäftsmodell ({model}, wie gesucht)"),
        (Criterion::Growth, false) => format!(
            "growth signals (\"{}\")",
            facts.growth_word.unwrap_or_default()
        ),
        (Criterion::Growth, true) => format!(
            "Wachstumssignale („{}“)",
            facts.growth_word.unwrap_or_default()
        ),
        (Criterion::Keywords, false) => format!("keywords ({})", a.matched_terms.join(", ")),
        (Criterion::Keywords, true) => format!("Schlagworte ({})", a.matched_terms.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::icp::parse_parts;

    fn company() -> CatalogCompany {
        CatalogCompany {
            id: "cloudops-tech.de".into(),
            name: "CloudOps Technologies GmbH".into(),
            industry: Some("Software - Application".into()),
            business_type: Some("B2B SaaS".into()),
            description: Some(
                "Cloud operations platform for enterprise DevOps teams. We are hiring.".into(),
            ),
            employee_count: Some(85),
            city: Some("Berlin".into()),
            country: Some("Germany".into()),
            ..Default::default()
        }
    }

    fn icp() -> Icp {
        parse_parts(
            "Mid-market B2B SaaS companies with 50-500 employees that are growing",
            &["Germany".into()],
            &["Berlin".into()],
            &[],
        )
    }

    #[test]
    fn a_full_match_scores_ten_and_names_its_evidence() {
        let c = company();
        let f = Facts::of(&c);
        let a = assess(&icp(), &f, 1.0, vec!["saas".into()]);
        assert_eq!(a.score, 10);
        let labels: Vec<_> = a.met.iter().map(|m| m.label()).collect();
        assert_eq!(
            labels,
            [
                "Industry match",
                "Size match",
                "Location match",
                "Business model match",
                "Growth signals",
                "Keyword relevance"
            ]
        );
        let en = reasoning(&icp(), &c, &f, &a, Some("en"));
        assert!(
            en.starts_with(
                "Strong ICP fit: Software & SaaS company in Berlin, Germany with 85 employees."
            ),
            "{en}"
        );
        assert!(en.contains("size (85 employees, wanted 50-500)"), "{en}");
        let de = reasoning(&icp(), &c, &f, &a, Some("de"));
        assert!(
            de.starts_with("Sehr gute ICP-Passung") && de.contains("Mitarbeitende"),
            "{de}"
        );
        assert_eq!(
            reasoning(&icp(), &c, &f, &a, Some("fr")),
            en,
            "other languages fall back to en"
        );
    }

    #[test]
    fn reasons_are_only_criteria_that_truly_matched() {
        let mut c = company();
        c.employee_count = Some(5000);
        c.city = Some("Hamburg".into());
        let f = Facts::of(&c);
        let a = assess(&icp(), &f, 0.1, vec![]);
        assert!(
            !a.met.contains(&Criterion::Size)
                && !a.met.contains(&Criterion::Location)
                && !a.met.contains(&Criterion::Keywords)
        );
        assert!(a.score < 10);
    }

    #[test]
    fn more_criteria_never_score_lower() {
        // Every subset of the five criteria, same text relevance: a superset never scores lower.
        let icp = icp();
        let variants: Vec<(u32, u8)> = (0..32u32)
            .map(|mask| {
                let mut c = company();
                if mask & 1 == 0 {
                    c.industry = Some("Restaurants".into());
                    c.keywords.clear();
                }
                if mask & 2 == 0 {
                    c.employee_count = Some(10_000);
                }
                if mask & 4 == 0 {
                    c.city = Some("Köln".into());
                }
                if mask & 8 == 0 {
                    c.business_type = Some("Agency".into());
                }
                if mask & 16 == 0 {
                    c.description = Some("Cloud operations platform.".into());
                }
                let f = Facts::of(&c);
                (mask, assess(&icp, &f, 0.5, vec![]).score)
            })
            .collect();
        for (m1, s1) in &variants {
            for (m2, s2) in &variants {
                if m1 & m2 == *m1 && m1 != m2 {
                    assert!(
                        s2 >= s1,
                        "criteria {m2:05b} scored {s2} < {m1:05b} scored {s1}"
                    );
                }
            }
        }
        assert!(variants.iter().all(|(_, s)| (1..=10).contains(s)));
    }

    #[test]
    fn software_for_a_domain_ranks_its_technology_first_and_never_its_customers() {
        for (en, de, tech, customer) in [
            (
                "Software for insurance carriers",
                "Anbieter von Versicherungssoftware",
                "Fintech / Insurance",
                "Insurance - Property & Casualty",
            ),
            (
                "Hospital software vendors",
                "Anbieter von Krankenhaussoftware",
                "Healthcare / Healthcare IT",
                "Medical Care Facilities",
            ),
            (
                "Software for schools and universities",
                "Software für Schulen und Hochschulen",
                "Education",
                "Education & Training Services",
            ),
            (
                "Software for city governments",
                "Software für Behörden und Kommunen",
                "Government",
                "Software - Application",
            ),
        ] {
            let customer_label = customer;
            for text in [en, de] {
                let icp = parse_parts(text, &["USA".into()], &[], &[]);
                let assessed = |label: &str| {
                    let c = CatalogCompany {
                        industry: Some(label.into()),
                        country: Some("United States".into()),
                        ..Default::default()
                    };
                    let labels = vec![crate::industry::tokens(label)];
                    assess_labelled(&icp, &Facts::of(&c), Some(&labels), 0.5, vec![])
                };
                let (tech, customer, software) =
                    (assessed(tech), assessed(customer), assessed("Software"));
                assert!(tech.met.contains(&Criterion::Industry), "{text}: {tech:?}");
                assert!(tech.fit > software.fit, "{text}: {tech:?} / {software:?}");
                assert!(software.met.contains(&Criterion::Industry), "{text}");
                // The customers themselves are not what is wanted.
                if customer_label != "Software - Application" {
                    assert!(
                        !customer.met.contains(&Criterion::Industry),
                        "{text}: {customer:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_named_sub_industry_ranks_first_and_a_broader_label_still_matches() {
        let icp = parse_parts("Specialty chemicals makers", &["USA".into()], &[], &[]);
        let company = |label: &str| CatalogCompany {
            industry: Some(label.into()),
            country: Some("United States".into()),
            ..Default::default()
        };
        let assessed = |label: &str| {
            let c = company(label);
            let labels = vec![crate::industry::tokens(label)];
            let f = Facts::of(&c);
            (
                assess_labelled(&icp, &f, Some(&labels), 0.5, vec![]),
                assess(&icp, &f, 0.5, vec![]),
            )
        };
        let (specialty, specialty_unlabelled) = assessed("Specialty Chemicals");
        let (broad, broad_unlabelled) = assessed("Chemicals");
        assert!(specialty.fit > broad.fit, "{specialty:?} / {broad:?}");
        // The bonus only adds: the broader label scores as it did without it.
        assert_eq!(broad.score, broad_unlabelled.score);
        assert!(specialty.score >= specialty_unlabelled.score);
        assert!(broad.met.contains(&Criterion::Industry));
    }
}
