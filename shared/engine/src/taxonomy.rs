//! The industry taxonomy: the segments buyers tell apart (`Industry`), and, in one place to
//! review (`data/taxonomy.json`), the source labels each one owns and the words (English and
//! German) that name it in an ICP or in an unknown label. Matching logic lives in `industry`; this
//! file reads the data.
//!
//! - `labels`: industry labels of the catalog's sources (GICS-like, Yahoo-like, YC "A / B"),
//!   compared whole after folding. Every label of `../shared/datasets` is listed exactly once.
//! - `terms`: words and phrases, folded (`ü` as `u`, `ß` as `ss`); English plurals and German
//!   inflections (`s`, `es`, `n`, `en`, `e`) are added by the matcher, German compounds are split
//!   by `german`. A term must name this segment and no other.
//! - `GROUPS`: broad words that mean several segments ("financial services", "healthcare").
//! - `GENERIC_LABELS`: labels too broad to classify on their own ("B2B", "Healthcare"); the
//!   company's tags decide, else the segment given there.
//!
//! The data file names a segment by its `Industry::key`; `tests::the_taxonomy_file_parses_whole`
//! checks its schema.
use serde::Deserialize;
use std::sync::LazyLock;

/// The enum and `Industry::ALL` from one list, so the two keep one order (`features` stores a
/// segment by its place in it).
macro_rules! industries {
    ($($variant:ident),+ $(,)?) => {
        /// An industry segment (the catalog partitions by it; exclusions and matching work on it).
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        pub enum Industry { $($variant),+ }

        impl Industry {
            pub const ALL: &'static [Industry] = &[$(Industry::$variant),+];
        }
    };
}

industries! {
    Software, ItServices, Cybersecurity, Internet, Banks, Insurance, InsuranceBrokers, Payments,
    Lending, AssetManagement, RealEstate, Reits, Pharma, MedicalDevices, HealthcareProviders,
    HealthIt, Chemicals, Mining, Materials, Forestry, Semiconductors, Electronics, Hardware,
    Telecom, Media, AerospaceDefense, Machinery, ElectricalEquipment, Automotive, Energy, Utilities,
    Construction, Logistics, Airlines, Shipping, Hospitality, Gambling, Retail, ConsumerGoods, Food,
    Tobacco, Education, Professional, Consulting, Staffing, Distribution, Holdings, Government,
    NonProfit, Other,
}

impl Industry {
    /// The segment whose `key` this is (how the data files name segments); `None` for none.
    pub fn from_key(key: &str) -> Option<Industry> {
        Self::ALL.iter().copied().find(|i| i.key() == key)
    }
}

pub struct Segment {
    pub industry: Industry,
    pub en: &'static str,
    pub de: &'static str,
    pub labels: &'static [&'static str],
    pub terms: &'static [&'static str],
}

/// In the order of `Industry::ALL`.
pub static SEGMENTS: LazyLock<&[Segment]> = LazyLock::new(|| &tables().segments);

/// Broad words that mean several segments. An ICP naming "financial services" wants all of them;
/// excluding "Healthcare" excludes all of them.
pub static GROUPS: LazyLock<&[(&[&str], &[Industry])]> = LazyLock::new(|| &tables().groups);

/// Segments whose companies often carry another segment's label: a security vendor listed as
/// "Software". A company of a host segment whose own description names the segment belongs to it
/// too, so discovery reads the hosts' partitions as well.
pub static WITHIN: LazyLock<&[(Industry, &[Industry])]> = LazyLock::new(|| &tables().within);

/// Words that mean the same in an industry label, for matching excluded values against a
/// company's own label ("Car dealerships" is "Auto & Truck Dealerships"). Folded, one class a row.
pub static SYNONYMS: LazyLock<&[&[&str]]> = LazyLock::new(|| &tables().synonyms);

/// Catalog labels and the labels of the other vocabularies each one covers: an excluded label
/// removes these too (GICS "Semiconductors & Semiconductor Equipment" is Yahoo's "Semiconductors"
/// and "Semiconductor Equipment & Materials"). Only within one segment, and only what the first
/// label holds entirely: excluding the narrower "Oil & Gas Drilling" leaves "Energy Equipment &
/// Services". Pairs that mean the same are listed both ways.
pub static LABEL_SYNONYMS: LazyLock<&[(&str, &[&str])]> =
    LazyLock::new(|| &tables().label_synonyms);

/// Labels of other segments a group label of `LABEL_SYNONYMS` also holds (GICS "Hotels,
/// Restaurants & Leisure" holds "Casinos & Gaming"): not synonyms (an excluded group label does
/// not remove another segment), but an ICP ruling one of them out asks for only a part of the
/// group (`industry::groups::parted`).
pub static GROUP_HOLDS: LazyLock<&[(&str, &[&str])]> = LazyLock::new(|| &tables().group_holds);

/// Labels that span several segments (GICS "Professional Services" is research and consulting
/// plus HR and employment services). A company's label of this kind is full evidence for an ICP
/// that asks for all of those segments; for one of them alone only its description can tell.
/// Its order is stored (`features`): new labels go last.
pub static COMPOSITE_LABELS: LazyLock<&[(&str, &[Industry])]> =
    LazyLock::new(|| &tables().composite_labels);

/// Vendors of technology for a customer domain (`industry::domain`): the segments that sell
/// technology, and per domain the catalog labels of its technology companies.
pub static DOMAIN_TECHNOLOGY: LazyLock<&DomainTechnologyTable> =
    LazyLock::new(|| &tables().domain_technology);

/// `DOMAIN_TECHNOLOGY`.
#[derive(Default)]
pub struct DomainTechnologyTable {
    /// Segments whose words name a vendor of technology ("software", "IT services").
    pub vendors: Vec<Industry>,
    pub rows: Vec<DomainRow>,
}

/// One domain: the segments naming it (`words`, when not empty: only these of their words) and
/// the labels of its technology companies.
pub struct DomainRow {
    pub domains: &'static [Industry],
    pub words: &'static [&'static str],
    pub labels: &'static [&'static str],
}

/// Words partners use for catalog labels that carry none of them ("alcohol" for the brewers and
/// the wineries & distilleries, "pharmacies" and "Apotheken" for "Pharmaceutical Retailers",
/// "estate agents" for "Real Estate Services", "fossil fuels" for the oil, gas and coal labels):
/// one row a set of labels and the words that name exactly that set. Read in excluded values
/// (`industry::termed_labels`), so that a word naming several labels removes them all and nothing
/// else, and in what an ICP asks for (`industry::named_labels_termed`), where it names those
/// labels whole ("hotel groups" rank "Lodging" first).
pub static LABEL_TERMS: LazyLock<&[(&[&str], &[&str])]> = LazyLock::new(|| &tables().label_terms);

/// Labels too broad to name a segment: the company's tags decide, else this default.
pub static GENERIC_LABELS: LazyLock<&[(&str, Industry)]> =
    LazyLock::new(|| &tables().generic_labels);

/// The taxonomy's tables (`data/taxonomy.json`), in the file's order.
const TAXONOMY_JSON: &str = include_str!("../data/taxonomy.json");

struct Tables {
    segments: Vec<Segment>,
    groups: Vec<(&'static [&'static str], &'static [Industry])>,
    within: Vec<(Industry, &'static [Industry])>,
    synonyms: Vec<&'static [&'static str]>,
    label_synonyms: Vec<(&'static str, &'static [&'static str])>,
    group_holds: Vec<(&'static str, &'static [&'static str])>,
    composite_labels: Vec<(&'static str, &'static [Industry])>,
    generic_labels: Vec<(&'static str, Industry)>,
    domain_technology: DomainTechnologyTable,
    label_terms: Vec<(&'static [&'static str], &'static [&'static str])>,
}

fn tables() -> &'static Tables {
    static TABLES: LazyLock<Tables> = LazyLock::new(|| {
        // The file is compiled in, and `the_taxonomy_file_parses_whole` parses all of it.
        #[allow(clippy::expect_used)]
        let tables = parse(TAXONOMY_JSON).expect("data/taxonomy.json parses");
        tables
    });
    &TABLES
}

// The rows of `data/taxonomy.json`. `why` says, for its reader, why a row is there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File<'a> {
    #[serde(default, rename = "about")]
    _about: Option<String>,
    #[serde(borrow)]
    segments: Vec<SegmentRow<'a>>,
    #[serde(borrow)]
    groups: Vec<GroupRow<'a>>,
    #[serde(borrow)]
    within: Vec<WithinRow<'a>>,
    #[serde(borrow)]
    synonyms: Vec<SynonymRow<'a>>,
    #[serde(borrow)]
    label_synonyms: Vec<LabelSynonymRow<'a>>,
    #[serde(borrow)]
    composite_labels: Vec<CompositeRow<'a>>,
    #[serde(borrow)]
    generic_labels: Vec<GenericRow<'a>>,
    #[serde(borrow, default)]
    domain_technology: Option<DomainTechnologyFile<'a>>,
    #[serde(borrow, default)]
    label_terms: Vec<LabelTermRow<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelTermRow<'a> {
    #[serde(borrow)]
    labels: Vec<&'a str>,
    #[serde(borrow)]
    terms: Vec<&'a str>,
    #[serde(default, rename = "why")]
    _why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainTechnologyFile<'a> {
    #[serde(default, rename = "why")]
    _why: Option<String>,
    #[serde(borrow)]
    vendors: Vec<&'a str>,
    #[serde(borrow)]
    rows: Vec<DomainRowFile<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DomainRowFile<'a> {
    #[serde(borrow)]
    domains: Vec<&'a str>,
    #[serde(borrow, default)]
    words: Vec<&'a str>,
    #[serde(borrow)]
    labels: Vec<&'a str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentRow<'a> {
    industry: &'a str,
    en: &'a str,
    de: &'a str,
    #[serde(borrow)]
    labels: Vec<&'a str>,
    #[serde(borrow)]
    terms: Vec<&'a str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupRow<'a> {
    #[serde(borrow)]
    words: Vec<&'a str>,
    #[serde(borrow)]
    industries: Vec<&'a str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithinRow<'a> {
    industry: &'a str,
    #[serde(borrow)]
    hosts: Vec<&'a str>,
    #[serde(default, rename = "why")]
    _why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymRow<'a> {
    #[serde(borrow)]
    words: Vec<&'a str>,
    #[serde(default, rename = "why")]
    _why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelSynonymRow<'a> {
    label: &'a str,
    #[serde(borrow)]
    covers: Vec<&'a str>,
    /// Labels of other segments the group label also holds (GICS "Hotels, Restaurants &
    /// Leisure" holds casinos and gaming): never synonyms, only what parts the group where an
    /// ICP rules them out (`GROUP_HOLDS`).
    #[serde(borrow, default)]
    holds: Vec<&'a str>,
    #[serde(default, rename = "why")]
    _why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompositeRow<'a> {
    label: &'a str,
    #[serde(borrow)]
    industries: Vec<&'a str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenericRow<'a> {
    label: &'a str,
    industry: &'a str,
}

/// The tables of a taxonomy file, or what is wrong with it: a field missing or unknown, a
/// segment key no `Industry` has, segments not one per `Industry` in its order. The rows' lists
/// are leaked, once for the program's life, so the tables keep the `&'static` slices the matcher
/// and `features` hand out.
fn parse(json: &'static str) -> Result<Tables, String> {
    let file: File<'static> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let industry = |key: &str| Industry::from_key(key).ok_or(format!("no industry {key:?}"));
    let industries = |keys: Vec<&str>| -> Result<&'static [Industry], String> {
        Ok(keys
            .into_iter()
            .map(industry)
            .collect::<Result<Vec<_>, _>>()?
            .leak())
    };
    let segments = file
        .segments
        .into_iter()
        .map(|s| {
            Ok(Segment {
                industry: industry(s.industry)?,
                en: s.en,
                de: s.de,
                labels: s.labels.leak(),
                terms: s.terms.leak(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    // `Industry::segment` looks a segment up by its place.
    if !segments
        .iter()
        .map(|s| s.industry)
        .eq(Industry::ALL.iter().copied())
    {
        return Err("segments: not one per industry in the order of Industry::ALL".into());
    }
    let domain_technology = match file.domain_technology {
        None => DomainTechnologyTable::default(),
        Some(d) => DomainTechnologyTable {
            vendors: industries(d.vendors)?.to_vec(),
            rows: d
                .rows
                .into_iter()
                .map(|r| {
                    Ok(DomainRow {
                        domains: industries(r.domains)?,
                        words: r.words.leak(),
                        labels: r.labels.leak(),
                    })
                })
                .collect::<Result<_, String>>()?,
        },
    };
    Ok(Tables {
        domain_technology,
        label_terms: file
            .label_terms
            .into_iter()
            .map(|r| (&*r.labels.leak(), &*r.terms.leak()))
            .collect(),
        segments,
        groups: file
            .groups
            .into_iter()
            .map(|g| Ok((&*g.words.leak(), industries(g.industries)?)))
            .collect::<Result<_, String>>()?,
        within: file
            .within
            .into_iter()
            .map(|w| Ok((industry(w.industry)?, industries(w.hosts)?)))
            .collect::<Result<_, String>>()?,
        synonyms: file
            .synonyms
            .into_iter()
            .map(|s| &*s.words.leak())
            .collect(),
        group_holds: file
            .label_synonyms
            .iter()
            .filter(|l| !l.holds.is_empty())
            .map(|l| (l.label, &*l.holds.clone().leak()))
            .collect(),
        label_synonyms: file
            .label_synonyms
            .into_iter()
            .map(|l| (l.label, &*l.covers.leak()))
            .collect(),
        composite_labels: file
            .composite_labels
            .into_iter()
            .map(|c| Ok((c.label, industries(c.industries)?)))
            .collect::<Result<_, String>>()?,
        generic_labels: file
            .generic_labels
            .into_iter()
            .map(|g| Ok((g.label, industry(g.industry)?)))
            .collect::<Result<_, String>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn no_duplicates<'a>(what: &str, items: impl IntoIterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for item in items {
            assert!(!item.trim().is_empty(), "{what}: an empty entry");
            assert!(seen.insert(item), "{what}: {item:?} twice");
        }
    }

    #[test]
    fn the_taxonomy_file_parses_whole() {
        let t = parse(TAXONOMY_JSON).unwrap_or_else(|e| panic!("data/taxonomy.json: {e}"));
        assert_eq!(t.segments.len(), Industry::ALL.len());
        for s in &t.segments {
            let what = format!("segment {}", s.industry.key());
            assert!(!s.en.is_empty() && !s.de.is_empty(), "{what}: a name");
            assert_eq!(
                s.labels.is_empty(),
                s.industry == Industry::Other,
                "{what}: labels"
            );
            assert_eq!(
                s.terms.is_empty(),
                s.industry == Industry::Other,
                "{what}: terms"
            );
            no_duplicates(&what, s.terms.iter().copied());
        }
        no_duplicates(
            "labels",
            t.segments.iter().flat_map(|s| s.labels.iter().copied()),
        );
        for (words, members) in &t.groups {
            assert!(!words.is_empty() && !members.is_empty(), "group {words:?}");
        }
        no_duplicates(
            "group words",
            t.groups.iter().flat_map(|g| g.0.iter().copied()),
        );
        for (segment, hosts) in &t.within {
            assert!(
                !hosts.is_empty() && !hosts.contains(segment),
                "within {segment:?}"
            );
        }
        for class in &t.synonyms {
            assert!(class.len() >= 2, "synonyms {class:?}");
        }
        no_duplicates(
            "synonyms",
            t.synonyms.iter().flat_map(|c| c.iter().copied()),
        );
        no_duplicates("label synonyms", t.label_synonyms.iter().map(|l| l.0));
        for (label, covered) in &t.label_synonyms {
            assert!(!covered.is_empty(), "label synonyms of {label}");
            no_duplicates(label, covered.iter().copied());
        }
        // A group's held labels are labels of other segments than the group's own.
        let segment_of = |l: &str| {
            t.segments
                .iter()
                .find(|s| s.labels.contains(&l))
                .map(|s| s.industry)
        };
        for (label, held) in &t.group_holds {
            assert!(segment_of(label).is_some(), "{label} is no segment's label");
            for other in held.iter() {
                assert!(
                    segment_of(other).is_some() && segment_of(other) != segment_of(label),
                    "{label} holds {other}: a label of another segment"
                );
            }
        }
        no_duplicates("composite labels", t.composite_labels.iter().map(|c| c.0));
        for (label, members) in &t.composite_labels {
            assert!(members.len() >= 2, "composite label {label}");
        }
        no_duplicates("generic labels", t.generic_labels.iter().map(|g| g.0));
        // Every label of a domain's technology is a label of some segment or a generic one.
        assert!(!t.domain_technology.rows.is_empty());
        for row in &t.domain_technology.rows {
            assert!(!row.domains.is_empty() && !row.labels.is_empty());
            for label in row.labels {
                assert!(
                    t.segments.iter().any(|s| s.labels.contains(label))
                        || t.generic_labels.iter().any(|g| g.0 == *label),
                    "domain technology: {label:?} is no segment's or generic label"
                );
            }
        }
    }

    #[test]
    fn every_label_term_names_catalog_labels() {
        let t = parse(TAXONOMY_JSON).unwrap_or_else(|e| panic!("data/taxonomy.json: {e}"));
        assert!(!t.label_terms.is_empty());
        let known = |label: &str| {
            t.segments.iter().any(|s| s.labels.contains(&label))
                || t.generic_labels.iter().any(|g| g.0 == label)
                || t.composite_labels.iter().any(|c| c.0 == label)
        };
        for (labels, terms) in &t.label_terms {
            assert!(
                !labels.is_empty() && !terms.is_empty(),
                "label terms {labels:?}"
            );
            for label in labels.iter() {
                assert!(known(label), "label terms: {label:?} is no catalog label");
            }
            no_duplicates("label terms", terms.iter().copied());
            for term in terms.iter() {
                assert_eq!(
                    *term,
                    term.to_lowercase(),
                    "label terms: {term:?} is not folded"
                );
            }
        }
        no_duplicates(
            "label terms",
            t.label_terms.iter().flat_map(|r| r.1.iter().copied()),
        );
    }

    #[test]
    fn every_industry_is_found_by_its_key() {
        for i in Industry::ALL {
            assert_eq!(Industry::from_key(&i.key()), Some(*i));
        }
        assert_eq!(Industry::from_key("Software"), None, "keys are lowercase");
        assert_eq!(Industry::from_key(""), None);
    }

    #[test]
    fn a_taxonomy_file_with_an_unknown_key_or_field_does_not_parse() {
        let file = |segments: &str, generic: &str| -> &'static str {
            format!(
                r#"{{"segments": [{segments}], "groups": [], "within": [], "synonyms": [],
                "label_synonyms": [], "composite_labels": [], "generic_labels": [{generic}]}}"#
            )
            .leak()
        };
        let all: Vec<String> = Industry::ALL
            .iter()
            .map(|i| {
                format!(
                    r#"{{"industry": "{}", "en": "E", "de": "D", "labels": [], "terms": []}}"#,
                    i.key()
                )
            })
            .collect();
        assert!(parse(file(&all.join(","), "")).is_ok());
        let generic = r#"{"label": "B2B", "industry": "software"}"#;
        assert!(parse(file(&all.join(","), generic)).is_ok());
        let err = parse(file(
            &all.join(","),
            r#"{"label": "B2B", "industry": "saas"}"#,
        ));
        assert_eq!(err.err().as_deref(), Some(r#"no industry "saas""#));
        // A segment missing, or out of the enum's order.
        assert!(parse(file(&all[1..].join(","), "")).is_err());
        let mut swapped = all.clone();
        swapped.swap(0, 1);
        assert!(parse(file(&swapped.join(","), "")).is_err());
        let typo = r#"{"label": "B2B", "industry": "software", "segment": "software"}"#;
        assert!(parse(file(&all.join(","), typo)).is_err());
    }
}
