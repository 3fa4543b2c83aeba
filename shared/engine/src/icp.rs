//! Understanding an order's Ideal Customer Profile: industries, keywords, employee range, business
//! model and growth signals from free text (English and German), plus the hard filters
//! (`target_countries`, `excluded_industries`) and the soft `target_cities`.
use super::industry::Industry;
use super::text;
use domain::normalize;
use domain::order::Order;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRange {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl SizeRange {
    pub fn contains(&self, n: u64) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }

    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            (Some(a), None) => format!("{a}+"),
            (None, Some(b)) => format!("up to {b}"),
            (None, None) => "any".into(),
        }
    }

    /// `describe` in German.
    pub fn describe_de(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            (Some(a), None) => format!("ab {a}"),
            (None, Some(b)) => format!("bis {b}"),
            (None, None) => "beliebig".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessModel {
    B2B,
    B2C,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Icp {
    pub industries: Vec<Industry>,
    /// Query terms for text relevance (folded, stop words removed).
    pub keywords: Vec<String>,
    pub size: Option<SizeRange>,
    pub business_model: Option<BusinessModel>,
    pub wants_growth: bool,
    /// ISO codes (or folded names for unlisted countries): a hard filter.
    pub countries: Vec<String>,
    /// Folded city names: a preference, not a filter.
    pub cities: Vec<String>,
    /// A hard filter: segments...
    pub excluded: Vec<Industry>,
    /// ...and the excluded values' own words, matched against a company's label and tags
    /// ("Tobacco" also excludes "Food, Beverage & Tobacco").
    pub excluded_phrases: Vec<Vec<String>>,
}

/// Words that say a company is growing, in an ICP or a company description.
pub const GROWTH_WORDS: &[&str] = &[
    "growing",
    "growth",
    "hiring",
    "series a",
    "series b",
    "series c",
    "funding",
    "funded",
    "raised",
    "scale-up",
    "scaleup",
    "scaling",
    "expanding",
    "expansion",
    "wachsend",
    "wachstum",
    "expandierend",
    "finanzierungsrunde",
    "stellen",
    "recruiting",
];

pub fn parse(order: &Order) -> Icp {
    let icp_text = order.ideal_customer_profile.as_deref().unwrap_or_default();
    parse_parts(
        icp_text,
        order.target_countries.as_deref().unwrap_or_default(),
        order.target_cities.as_deref().unwrap_or_default(),
        order.excluded_industries.as_deref().unwrap_or_default(),
    )
}

pub fn parse_parts(
    icp_text: &str,
    countries: &[String],
    cities: &[String],
    excluded: &[String],
) -> Icp {
    // What the ICP text itself rules out ("No airlines") excludes like `excluded_industries`;
    // everything else is read from what it asks for, so a ruled-out word is never a keyword.
    let (asked, ruled_out) = super::industry::split_negations(icp_text);
    let folded = format!(" {} ", super::industry::tokens_joined(&asked));
    let wanted = Industry::wanted_in_asked(&asked);
    // Each item of a value counts ("Tobacco & Gambling").
    let excluded: Vec<String> = excluded
        .iter()
        .flat_map(|e| super::industry::list_items(e))
        .chain(ruled_out)
        .collect();
    // An excluded value removes the segment its head word names ("Health insurance": insurance),
    // unless the ICP asks for that very segment: then the partner means a part of it ("Equity
    // REITs" without "Mortgage REITs", logistics without "Airlines"), and the value's own words,
    // matched against each company's label, do the excluding.
    let mut excluded_buckets: Vec<Industry> = excluded
        .iter()
        .flat_map(|e| Industry::head_of(e))
        .filter(|s| !wanted.contains(s))
        .collect();
    excluded_buckets.sort();
    excluded_buckets.dedup();
    let industries: Vec<Industry> = wanted
        .into_iter()
        .filter(|b| !excluded_buckets.contains(b))
        .collect();
    // The wanted segments' English names join the query: catalog descriptions are English, and a
    // German ICP ("Maschinenbauer") would otherwise rank its segment by nothing.
    let mut keywords = text::query_terms(&asked);
    for term in industries.iter().flat_map(|i| text::query_terms(i.label())) {
        if !keywords.contains(&term) {
            keywords.push(term);
        }
    }
    Icp {
        industries,
        keywords,
        size: size_range(icp_text),
        business_model: business_model(&folded),
        wants_growth: GROWTH_WORDS
            .iter()
            .any(|w| folded.contains(&format!(" {w}"))),
        countries: countries.iter().map(|c| normalize::country(c)).collect(),
        cities: cities.iter().map(|c| normalize::city(c)).collect(),
        excluded: excluded_buckets,
        excluded_phrases: excluded
            .iter()
            .map(|e| super::industry::tokens(e))
            .filter(|p| !p.is_empty())
            .collect(),
    }
}

fn business_model(folded: &str) -> Option<BusinessModel> {
    let b2b = folded.contains(" b2b ") || folded.contains(" business-to-business ");
    let b2c = folded.contains(" b2c ")
        || folded.contains(" consumer ")
        || folded.contains(" consumers ")
        || folded.contains(" endkunden ");
    match (b2b, b2c) {
        (true, false) => Some(BusinessModel::B2B),
        (false, true) => Some(BusinessModel::B2C),
        _ => None,
    }
}

const PEOPLE_WORDS: &[&str] = &[
    "employees",
    "employee",
    "staff",
    "people",
    "fte",
    "ftes",
    "headcount",
    "team",
    "mitarbeiter",
    "mitarbeitende",
    "mitarbeitern",
    "beschaftigte",
    "angestellte",
];

/// Employee ranges: "50-500 employees", "between 50 and 500", "more than 200 staff", "200+",
/// "fewer than 50", "up to 100", "über 200 Mitarbeiter", and the segment words (SMB, mid-market,
/// enterprise, startup, KMU, Mittelstand, Konzern).
pub fn size_range(text: &str) -> Option<SizeRange> {
    let t = strip_digit_groups(&normalize::fold(text).replace('\'', ""));
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let num = |w: &str| -> Option<u64> { w.trim_end_matches('+').parse().ok() };
    let near_people = |i: usize| {
        words
            .iter()
            .skip(i)
            .take(4)
            .any(|w| PEOPLE_WORDS.iter().any(|p| w.starts_with(p)))
    };
    for i in 0..words.len() {
        let w = words[i];
        // "50-500" or "50–500"
        if let Some((a, b)) = w.split_once(['-', '–']) {
            if let (Some(a), Some(b)) = (num(a), num(b)) {
                if a < b && near_people(i + 1) {
                    return Some(SizeRange {
                        min: Some(a),
                        max: Some(b),
                    });
                }
            }
        }
        let Some(n) = num(w) else { continue };
        // "50 employees" or "50 to 500 employees": the number must be about people.
        let range_follows =
            i + 2 < words.len() && num(words[i + 2]).is_some() && near_people(i + 3);
        if !near_people(i + 1) && !range_follows {
            continue;
        }
        let prev = |k: usize| if i >= k { words[i - k] } else { "" };
        // "50 to 500", "50 bis 500", "between 50 and 500"
        if i + 2 < words.len() && ["to", "bis", "and", "und"].contains(&words[i + 1]) {
            if let Some(m) = num(words[i + 2]) {
                return Some(SizeRange {
                    min: Some(n),
                    max: Some(m),
                });
            }
        }
        if w.ends_with('+') {
            return Some(SizeRange {
                min: Some(n),
                max: None,
            });
        }
        let before = format!("{} {}", prev(2), prev(1));
        let at_least = [
            "more than",
            "over",
            "above",
            "at least",
            "mehr als",
            "uber",
            "mindestens",
            "ab",
            "minimum",
        ];
        let at_most = [
            "fewer than",
            "less than",
            "under",
            "up to",
            "below",
            "at most",
            "weniger als",
            "unter",
            "bis zu",
            "maximal",
            "max",
        ];
        // "more than 200" excludes 200 itself; "at least" and "up to" include it.
        let inclusive = [
            "at least",
            "mindestens",
            "ab",
            "minimum",
            "up to",
            "at most",
            "bis zu",
            "maximal",
            "max",
        ];
        let bound = |p: &str, exclusive: u64| if inclusive.contains(&p) { n } else { exclusive };
        if let Some(p) = at_least.iter().find(|p| before.ends_with(**p)) {
            return Some(SizeRange {
                min: Some(bound(p, n + 1)),
                max: None,
            });
        }
        if let Some(p) = at_most.iter().find(|p| before.ends_with(**p)) {
            return Some(SizeRange {
                min: None,
                max: Some(bound(p, n.saturating_sub(1))),
            });
        }
    }
    let padded = format!(" {} ", words.join(" "));
    let segments: &[(&[&str], SizeRange)] = &[
        (
            &[
                " mid-market ",
                " mid market ",
                " midmarket ",
                " mittelstand ",
                " mittelstandische ",
                " mittelständische ",
            ],
            SizeRange {
                min: Some(50),
                max: Some(1000),
            },
        ),
        (
            &[
                " large enterprises ",
                " enterprises ",
                " large companies ",
                " grossunternehmen ",
                " konzern ",
                " konzerne ",
            ],
            SizeRange {
                min: Some(1000),
                max: None,
            },
        ),
        (
            &[
                " smb ",
                " smbs ",
                " sme ",
                " smes ",
                " kmu ",
                " small and medium ",
                " small businesses ",
            ],
            SizeRange {
                min: Some(1),
                max: Some(250),
            },
        ),
        (
            &[
                " startup ",
                " startups ",
                " start-up ",
                " start-ups ",
                " early-stage ",
            ],
            SizeRange {
                min: Some(1),
                max: Some(50),
            },
        ),
    ];
    segments
        .iter()
        .find(|(phrases, _)| phrases.iter().any(|p| padded.contains(p)))
        .map(|(_, r)| *r)
}

/// "1,000" and "1.000" -> "1000", so thousands separators do not split numbers.
fn strip_digit_groups(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, c) in chars.iter().enumerate() {
        let grouped = (*c == ',' || *c == '.')
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !grouped {
            out.push(*c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(min: Option<u64>, max: Option<u64>) -> Option<SizeRange> {
        Some(SizeRange { min, max })
    }

    #[test]
    fn size_phrases() {
        let cases = [
            (
                "Mid-market SaaS companies in the DACH region with 50-500 employees",
                r(Some(50), Some(500)),
            ),
            (
                "companies with between 20 and 200 employees",
                r(Some(20), Some(200)),
            ),
            ("more than 200 staff", r(Some(201), None)),
            ("over 1,000 employees", r(Some(1001), None)),
            ("at least 50 employees", r(Some(50), None)),
            ("200+ employees", r(Some(200), None)),
            ("fewer than 50 people", r(None, Some(49))),
            ("up to 100 employees", r(None, Some(100))),
            (
                "Unternehmen mit 50 bis 250 Mitarbeitern",
                r(Some(50), Some(250)),
            ),
            ("mehr als 200 Mitarbeiter", r(Some(201), None)),
            ("über 500 Mitarbeitende", r(Some(501), None)),
            ("weniger als 20 Mitarbeiter", r(None, Some(19))),
            (
                "Maschinenbau-Unternehmen in Deutschland mit mehr als 200 Mitarbeitern",
                r(Some(201), None),
            ),
            ("Mid-market software vendors", r(Some(50), Some(1000))),
            ("Mittelständische Maschinenbauer", r(Some(50), Some(1000))),
            ("SMB retailers", r(Some(1), Some(250))),
            ("large enterprises in banking", r(Some(1000), None)),
            ("enterprise software for HR", None),
            ("early-stage startups", r(Some(1), Some(50))),
            ("Founded in 2015 in Berlin, B2B software", None),
            ("Tech companies in Europe", None),
        ];
        for (text, want) in cases {
            assert_eq!(size_range(text), want, "{text}");
        }
    }

    #[test]
    fn parses_the_guides_icp() {
        let icp = parse_parts(
            "Mid-market B2B SaaS companies in the DACH region with 50-500 employees, focused on enterprise software solutions for HR, finance, or operations. Ideally companies that have raised Series A-C funding and are actively growing their sales team.",
            &["Germany".into(), "Österreich".into(), "CH".into()],
            &["München".into()],
            &["Government".into(), "Non-profit".into()],
        );
        assert_eq!(icp.countries, vec!["DE", "AT", "CH"]);
        assert_eq!(icp.cities, vec!["munich"]);
        assert_eq!(
            icp.excluded,
            vec![Industry::Government, Industry::NonProfit]
        );
        assert!(icp.industries.contains(&Industry::Software));
        assert_eq!(icp.size, r(Some(50), Some(500)));
        assert_eq!(icp.business_model, Some(BusinessModel::B2B));
        assert!(icp.wants_growth);
        assert!(icp.keywords.contains(&"saas".to_string()));
        assert!(!icp.keywords.contains(&"the".to_string()));
    }

    #[test]
    fn excluded_industries_never_count_as_wanted() {
        let icp = parse_parts(
            "Banks and insurance companies",
            &["DE".into()],
            &[],
            &["Insurance".into()],
        );
        assert!(icp.excluded.is_empty(), "the ICP asks for insurers itself");
        assert_eq!(icp.excluded_phrases, vec![vec!["insurance".to_string()]]);
        let icp = parse_parts("Regional banks", &["DE".into()], &[], &["Insurance".into()]);
        assert_eq!(icp.excluded, vec![Industry::Insurance]);
        assert_eq!(icp.industries, vec![Industry::Banks]);
        let icp = parse_parts(
            "Equity REITs owning offices",
            &["US".into()],
            &[],
            &["Mortgage REITs".into(), "Health insurance".into()],
        );
        assert_eq!(icp.industries, vec![Industry::Reits]);
        assert_eq!(icp.excluded, vec![Industry::Insurance]);
    }

    #[test]
    fn business_models() {
        assert_eq!(
            parse_parts("B2C brands", &[], &[], &[]).business_model,
            Some(BusinessModel::B2C)
        );
        assert_eq!(parse_parts("software", &[], &[], &[]).business_model, None);
    }
}
