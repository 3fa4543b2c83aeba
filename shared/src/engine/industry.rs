//! A small industry taxonomy. Sources name industries in many vocabularies ("Banks - Regional",
//! "B2B / Recruiting and Talent", "Software - Application", "Maschinenbau"); matching, exclusion and
//! the catalog's access pattern all work on these buckets.
use crate::domain::normalize::fold;
use serde::{Deserialize, Serialize};

macro_rules! buckets {
    ($($variant:ident = $label:literal : [$($kw:literal),* $(,)?]),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Industry { $($variant),+ }

        impl Industry {
            pub const ALL: &'static [Industry] = &[$(Industry::$variant),+];

            pub fn label(self) -> &'static str {
                match self { $(Industry::$variant => $label),+ }
            }

            /// Folded phrases that name this bucket, English and German. Order of the table
            /// matters: the first bucket with a matching phrase wins.
            fn phrases(self) -> &'static [&'static str] {
                match self { $(Industry::$variant => &[$($kw),*]),+ }
            }
        }
    };
}

buckets! {
    NonProfit = "Non-profit": ["non-profit", "nonprofit", "non profit", "charity", "ngo", "gemeinnutzig", "verein", "foundation"],
    Government = "Government": ["government", "public sector", "public administration", "municipal", "behorde", "offentliche verwaltung", "verwaltung", "military", "defense agency"],
    Software = "Software": ["saas", "software", "developer tools", "devops", "cloud", "b2b software", "information technology services", "it services", "cybersecurity", "security software", "artificial intelligence", "machine learning", "data analytics", "b2b infrastructure", "engineering, product and design", "softwareentwicklung", "internet content", "it-dienstleistung", "productivity"],
    Fintech = "Financial services": ["consumer finance", "financials", "diversified financials", "fintech", "bank", "banks", "banking", "insurance", "payments", "asset management", "capital markets", "credit services", "financial", "lending", "mortgage", "brokerage", "versicherung", "finanz"],
    Healthcare = "Healthcare": ["health", "healthcare", "medical", "biotech", "biotechnology", "pharma", "pharmaceutical", "drug", "diagnostics", "hospital", "therapeutics", "medizin", "gesundheit", "krankenhaus", "pflege"],
    Retail = "Retail & e-commerce": ["household products", "household & personal products", "distributors", "trading companies", "retail", "e-commerce", "ecommerce", "consumer goods", "apparel", "grocery", "department stores", "specialty retail", "luxury goods", "footwear", "einzelhandel", "handel", "marketplace"],
    Manufacturing = "Manufacturing": ["maschinenbauer", "electrical equipment", "capital goods", "aerospace & defense", "manufacturing", "industrial", "machinery", "specialty industrial", "tools & accessories", "metal fabrication", "chemicals", "steel", "packaging", "maschinenbau", "fertigung", "produktion", "industrie"],
    Automotive = "Automotive": ["auto manufacturers", "auto parts", "auto components", "automobiles", "automotive", "vehicles", "auto & truck", "automobil", "fahrzeug"],
    Semiconductors = "Hardware & semiconductors": ["semiconductor", "semiconductors", "electronic components", "computer hardware", "hardware", "consumer electronics", "scientific & technical instruments", "robotics", "elektronik"],
    Energy = "Energy & utilities": ["utilities", "energy", "oil & gas", "oil", "solar", "renewable", "power", "electric", "coal", "uranium", "energie", "stadtwerke"],
    RealEstate = "Real estate": ["real estate", "reit", "property", "properties", "immobilien"],
    Construction = "Construction": ["construction", "engineering & construction", "building materials", "building products", "residential construction", "bau", "bauunternehmen", "handwerk"],
    Logistics = "Logistics & transport": ["logistics", "shipping", "trucking", "airlines", "freight", "railroads", "marine", "airports", "transportation", "delivery", "supply chain", "spedition", "logistik", "transport"],
    Hospitality = "Hospitality & travel": ["hospitality", "hotel", "hotels", "restaurant", "restaurants", "travel", "leisure", "resorts", "casinos", "lodging", "gastronomie", "tourismus", "reise"],
    Media = "Media & entertainment": ["media", "entertainment", "publishing", "broadcasting", "gaming", "games", "advertising", "marketing agency", "music", "film", "verlag", "medien", "werbung"],
    Telecom = "Telecommunications": ["telecom", "telecommunication", "telecommunications", "communication equipment", "wireless", "telekommunikation"],
    Education = "Education": ["education", "edtech", "e-learning", "school", "university", "training", "bildung", "schule", "weiterbildung"],
    Food = "Food & agriculture": ["agriculture", "farm products", "food", "beverages", "packaged foods", "confectioners", "agricultural", "landwirtschaft", "lebensmittel", "getranke"],
    Professional = "Professional services": ["professional services", "commercial services & supplies", "waste management", "consulting", "staffing", "recruiting", "legal", "accounting", "business services", "human resources", "recruiting and talent", "beratung", "unternehmensberatung", "personaldienstleistung", "kanzlei"],
    Materials = "Mining & materials": ["paper & forest products", "mining", "gold", "copper", "silver", "aluminum", "lumber", "bergbau"],
    Other = "Other": [],
}

/// Every bucket's phrases, folded and padded once per process (classification is a hot path).
fn padded_phrases() -> &'static [(Industry, Vec<String>)] {
    static PHRASES: std::sync::OnceLock<Vec<(Industry, Vec<String>)>> = std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        Industry::ALL
            .iter()
            .map(|b| {
                (
                    *b,
                    b.phrases()
                        .iter()
                        .map(|p| format!(" {} ", tokens_joined(p)))
                        .collect(),
                )
            })
            .collect()
    })
}

/// Buckets whose phrases occur in an already padded, folded text, in table order.
fn buckets_in(padded_text: &str) -> impl Iterator<Item = Industry> + '_ {
    padded_phrases()
        .iter()
        .filter(move |(_, phrases)| phrases.iter().any(|p| padded_text.contains(p.as_str())))
        .map(|(b, _)| *b)
}

impl Industry {
    /// Buckets named anywhere in a free text (an ICP, a list of excluded industries). Hyphenated
    /// compounds count by their parts too ("Maschinenbau-Unternehmen").
    pub fn mentioned_in(text: &str) -> Vec<Industry> {
        let joined = tokens_joined(text);
        let padded = format!(" {joined} {} ", joined.replace('-', " "));
        let mut out: Vec<Industry> = buckets_in(&padded).collect();
        out.sort();
        out.dedup();
        out
    }

    /// The bucket of a company from its industry label (and keywords as a fallback).
    pub fn classify(industry: Option<&str>, keywords: &[String]) -> Industry {
        let first = |text: &str| buckets_in(&format!(" {} ", tokens_joined(text))).next();
        industry
            .and_then(first)
            .or_else(|| keywords.iter().find_map(|k| first(k)))
            .unwrap_or(Industry::Other)
    }

    /// A stable short key used in catalog partition keys.
    pub fn key(self) -> String {
        format!("{self:?}").to_ascii_lowercase()
    }
}

/// The `excluded_industries` values that name no industry at all: reported back on the order
/// (`warnings`) instead of being silently ignored. Values are returned as the partner wrote them.
pub fn unmatched_exclusions(values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter(|v| Industry::mentioned_in(v).is_empty())
        .cloned()
        .collect()
}

/// Folded words joined by single spaces, so phrases match on word boundaries.
pub fn tokens_joined(text: &str) -> String {
    fold(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '&' || c == '-'))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Industry::*;

    #[test]
    fn classifies_source_vocabularies() {
        let cases = [
            ("Banks - Regional", Fintech),
            ("Software - Application", Software),
            ("B2B / Engineering, Product and Design", Software),
            ("B2B / Recruiting and Talent", Professional),
            ("Utilities - Regulated Electric", Energy),
            ("Real Estate Services", RealEstate),
            ("Specialty Industrial Machinery", Manufacturing),
            ("Biotechnology", Healthcare),
            ("Auto Parts", Automotive),
            ("Semiconductors", Semiconductors),
            ("Restaurants", Hospitality),
            ("Maschinenbau", Manufacturing),
            ("Softwareentwicklung", Software),
            ("Fintech", Fintech),
            ("Consumer / Home and Personal", Other),
        ];
        for (label, want) in cases {
            assert_eq!(Industry::classify(Some(label), &[]), want, "{label}");
        }
        assert_eq!(Industry::classify(None, &["SaaS".into()]), Software);
    }

    #[test]
    fn finds_buckets_in_free_text() {
        assert_eq!(Industry::mentioned_in("Government"), vec![Government]);
        assert_eq!(Industry::mentioned_in("Non-profit"), vec![NonProfit]);
        let icp = Industry::mentioned_in(
            "Mid-market SaaS companies in the DACH region, focused on B2B software solutions",
        );
        assert_eq!(icp, vec![Software]);
        assert!(Industry::mentioned_in("Hotels und Gastronomie in Bayern").contains(&Hospitality));
        assert!(Industry::mentioned_in("Tech companies in Europe").is_empty());
    }
}
