//! What discovery reads of a company: its feature record, computed once when the company is
//! imported (`Features::of`) and stored beside the company, so a discovery decodes a few hundred
//! bytes per candidate instead of re-reading, folding and tokenising its whole body.
//!
//! The record holds everything the hard filters, the score and the ranking need: the segment
//! facts (`scoring::Facts`), the identity the blacklist matches on, the words exclusions match on,
//! and the BM25 term counts (terms hashed to 32 bits). Only the companies a discovery selects are
//! read in full afterwards (`CatalogSource::by_ids`), for their results.
//!
//! The record is versioned (`VERSION`): a change to what `of` computes (the taxonomy, the
//! tokeniser, a new field) bumps it; a record of another version is never trusted: the catalog
//! recomputes it from the company (`CatalogStore`), and `opsctl catalog-features` reports and
//! rewrites such records.
use super::catalog::CatalogCompany;
use super::icp::{BusinessModel, GROWTH_WORDS};
use super::industry::{tokens, Industry};
use super::scoring::Facts;
use super::taxonomy::COMPOSITE_LABELS;
use super::text::Doc;
use domain::normalize;
use serde::{Deserialize, Serialize};

/// The version of what `Features::of` computes. Bump it with any change to its output.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub id: String,
    pub name: String,
    /// `normalize::company_name`: what blacklist entries by name match.
    pub name_key: String,
    /// The registrable domain: what blacklist entries by domain match.
    pub domain: Option<String>,
    pub facts: Facts,
    /// The tokens of the company's industry label and of each tag, in that order: what excluded
    /// phrases match ("No tobacco" against "Food, Beverage & Tobacco").
    pub labels: Vec<Vec<String>>,
    pub doc: Doc,
}

impl Features {
    pub fn of(c: &CatalogCompany) -> Self {
        let domain = c.domain.clone().or_else(|| {
            c.website_url
                .as_deref()
                .and_then(normalize::registrable_domain)
        });
        Self {
            id: c.id.clone(),
            name: c.name.clone(),
            name_key: normalize::company_name(&c.name),
            domain,
            facts: Facts::of(c),
            labels: c
                .industry
                .iter()
                .chain(&c.keywords)
                .map(|l| tokens(l))
                .collect(),
            doc: doc(c),
        }
    }

    /// The stored form: compact binary (postcard), the version first.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_allocvec(&Wire::from(self)).unwrap_or_default()
    }

    /// `None` for a record of another version, or one that does not decode: the caller
    /// recomputes it from the company.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let wire: Wire = postcard::from_bytes(bytes).ok()?;
        (wire.version == VERSION).then(|| wire.into_features())?
    }
}

/// What BM25 reads of a company: its name, description, industry, business type and tags.
pub fn doc(c: &CatalogCompany) -> Doc {
    let keywords = c.keywords.join(" ");
    Doc::new([
        c.name.as_str(),
        c.description.as_deref().unwrap_or_default(),
        c.industry.as_deref().unwrap_or_default(),
        c.business_type.as_deref().unwrap_or_default(),
        keywords.as_str(),
    ])
}

/// The stored record: enums as their index in their static tables, so it stays small.
#[derive(Serialize, Deserialize)]
struct Wire {
    version: u32,
    id: String,
    name: String,
    name_key: String,
    domain: Option<String>,
    industry: u16,
    industry_from_label: bool,
    also: Option<u16>,
    composite: Option<u16>,
    model: Option<u8>,
    growth_word: Option<u16>,
    city: Option<String>,
    country: Option<String>,
    employees: Option<u64>,
    labels: Vec<Vec<String>>,
    terms: Vec<(u32, u32)>,
    len: u32,
}

fn index_of<T: PartialEq>(all: &[T], v: &T) -> u16 {
    all.iter().position(|x| x == v).unwrap_or_default() as u16
}

impl From<&Features> for Wire {
    fn from(f: &Features) -> Self {
        let facts = &f.facts;
        Wire {
            version: VERSION,
            id: f.id.clone(),
            name: f.name.clone(),
            name_key: f.name_key.clone(),
            domain: f.domain.clone(),
            industry: index_of(Industry::ALL, &facts.industry),
            industry_from_label: facts.industry_from_label,
            also: facts.also.map(|i| index_of(Industry::ALL, &i)),
            composite: facts.composite.and_then(|segments| {
                COMPOSITE_LABELS
                    .iter()
                    .position(|(_, s)| *s == segments)
                    .map(|i| i as u16)
            }),
            model: facts.model.map(|m| match m {
                BusinessModel::B2B => 0,
                BusinessModel::B2C => 1,
            }),
            growth_word: facts.growth_word.map(|w| index_of(&GROWTH_WORDS, &w)),
            city: facts.city.clone(),
            country: facts.country.clone(),
            employees: facts.employees,
            labels: f.labels.clone(),
            terms: f.doc.terms().to_vec(),
            len: f.doc.len(),
        }
    }
}

impl Wire {
    fn into_features(self) -> Option<Features> {
        let industry = |i: u16| Industry::ALL.get(i as usize).copied();
        Some(Features {
            id: self.id,
            name: self.name,
            name_key: self.name_key,
            domain: self.domain,
            facts: Facts {
                industry: industry(self.industry)?,
                industry_from_label: self.industry_from_label,
                also: match self.also {
                    Some(i) => Some(industry(i)?),
                    None => None,
                },
                composite: match self.composite {
                    Some(i) => Some(COMPOSITE_LABELS.get(i as usize)?.1),
                    None => None,
                },
                model: match self.model {
                    None => None,
                    Some(0) => Some(BusinessModel::B2B),
                    Some(1) => Some(BusinessModel::B2C),
                    Some(_) => return None,
                },
                growth_word: match self.growth_word {
                    Some(i) => Some(*GROWTH_WORDS.get(i as usize)?),
                    None => None,
                },
                city: self.city,
                country: self.country,
                employees: self.employees,
            },
            labels: self.labels,
            doc: Doc::from_parts(self.terms, self.len),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_its_stored_form_and_another_version_is_refused() {
        for c in crate::generator::generate(300, 3) {
            let f = Features::of(&c);
            let bytes = f.encode();
            assert_eq!(Features::decode(&bytes).as_ref(), Some(&f), "{}", c.id);
            assert!(
                bytes.len() < serde_json::to_vec(&c).unwrap().len(),
                "smaller than the company"
            );
        }
        let mut stale = Wire::from(&Features::of(&CatalogCompany {
            id: "acme.de".into(),
            name: "Acme".into(),
            ..Default::default()
        }));
        stale.version = VERSION + 1;
        assert_eq!(
            Features::decode(&postcard::to_allocvec(&stale).unwrap()),
            None
        );
        assert_eq!(Features::decode(b"not a record"), None);
    }

    #[test]
    fn composite_labels_keep_their_segments() {
        let (label, segments) = COMPOSITE_LABELS[0];
        let f = Features::of(&CatalogCompany {
            id: "x.de".into(),
            name: "X".into(),
            industry: Some(label.into()),
            ..Default::default()
        });
        assert_eq!(f.facts.composite, Some(segments));
        let back = Features::decode(&f.encode()).unwrap();
        assert_eq!(back.facts.composite, Some(segments));
    }
}
