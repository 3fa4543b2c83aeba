//! The sub-industries an ICP names by the catalog's own words. A segment holds labels of several
//! sub-industries ("Chemicals" and "Specialty Chemicals", "Oil, Gas & Consumable Fuels" and "Oil &
//! Gas Midstream"); an ICP that says "specialty chemicals makers" or "pipeline and midstream
//! companies" asks for one of them first. Every company of the segment still matches, but those
//! whose own label carries more of the ICP's words than the segment's name does rank first
//! (`scoring::assess`).
//!
//! A label is read as the items it lists after its group, if it has one ("Drug Manufacturers -
//! Specialty & Generic": specialty, generic; "Fintech / Payments": payments), each by its own words: not those most labels of its segment carry ("oil",
//! "gas" of "Oil & Gas Midstream"), nor those of the segment's English name ("software" of
//! "Software - Application"), nor joining words. An item is named when the ICP's words carry one of
//! its own words (`same_word`: "generics" carries "Generic"); a label's evidence is the share of
//! its items named, so a label listing several sub-industries ("Electronic Equipment, Instruments
//! & Components") is named less by one of them than that one's own label ("Electronic
//! Components"), and not at all where most of its items are unsaid. A segment none of whose labels the ICP names ("Software companies") ranks as
//! before.
use super::{same_word, tokens, Industry, GROUPS};

/// Words that join a label's words ("Drug Manufacturers - Specialty & Generic").
const JOINING: &[&str] = &["and", "or", "of", "the", "for", "other"];

/// The words most of a segment's labels carry ("banks" of "Banks - Regional", "oil" and "gas" of
/// "Oil & Gas Midstream"): they say the segment, not one of its labels.
/// Broad words of several segments (`taxonomy::GROUPS`: "technology", "health", "energy") are
/// common too: "Technology companies" names no sub-industry of hardware.
fn common_words(segment: Industry) -> Vec<String> {
    let labels: Vec<Vec<String>> = segment.segment().labels.iter().map(|l| tokens(l)).collect();
    let mut out: Vec<String> = GROUPS
        .iter()
        .flat_map(|(words, _)| words.iter().map(|w| tokens(w)))
        .filter(|t| t.len() == 1)
        .flatten()
        .collect();
    for word in labels.iter().flatten() {
        let carried = labels
            .iter()
            .filter(|l| l.iter().any(|w| same_word(w, word)))
            .count();
        if 2 * carried > labels.len() && !out.contains(word) {
            out.push(word.clone());
        }
    }
    out
}

/// A label's items within its segment, each as its own words (see the module doc): "Drug
/// Manufacturers - Specialty & Generic" is [specialty], [generic]. An item
/// of words most labels carry is none ("Oil" of "Oil & Gas Midstream", "Chemicals"); an item of
/// the segment's name is one no ICP names apart from the segment ([] for "Electronic Equipment"
/// and "Instruments" of "Electronic Equipment, Instruments & Components"): one of its other items
/// names a part of what the label holds.
fn own_items(label: &str, segment: Industry, common: &[String]) -> Vec<Vec<String>> {
    // The part after a group: "Fintech / Payments", "Beverages - Brewers".
    let sub = [" / ", " - "]
        .iter()
        .find_map(|group| label.rsplit_once(group))
        .map_or(label, |(_, sub)| sub);
    let name = tokens(segment.label());
    let is = |set: &[String], w: &str| set.iter().any(|g| same_word(g, w));
    sub.split([',', '&', '(', ')'])
        .flat_map(|item| item.split(" and "))
        .filter_map(|item| {
            let words: Vec<String> = tokens(item)
                .into_iter()
                .filter(|w| w.len() > 2 && !JOINING.contains(&w.as_str()) && !is(common, w))
                .collect();
            if words.is_empty() {
                return None;
            }
            Some(words.into_iter().filter(|w| !is(&name, w)).collect())
        })
        .collect()
}

/// What an ICP's words name of its wanted segments' labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamedLabels {
    /// Segments at least one of whose labels the ICP names by its own words.
    pub segments: Vec<Industry>,
    /// Each label of those segments (its `tokens`) that the ICP names, with its evidence (0..=1]:
    /// the share of its items the ICP names.
    pub labels: Vec<(Vec<String>, f64)>,
}

impl NamedLabels {
    /// The evidence of a company's label and tags (`industry::tokens` each) for a company of
    /// `segment`: `None` when the ICP names no label of that segment (it ranks as before), else
    /// the best evidence of its labels (0 for a label the ICP does not name).
    pub fn evidence(&self, segment: Industry, labels: &[Vec<String>]) -> Option<f64> {
        if !self.segments.contains(&segment) {
            return None;
        }
        Some(
            labels
                .iter()
                .filter_map(|l| self.labels.iter().find(|(n, _)| n == l).map(|(_, e)| *e))
                .fold(0.0, f64::max),
        )
    }
}

/// Shorter stems of a word and its derivations share too little ("gener-al", "gener-ic").
const MIN_STEM: usize = 6;

/// Whether an ICP's word says a label's word: the same word (`same_word`), or one derived from
/// the same stem ("electricity" of "Electric", "distillers" of "Distilleries"): the shorter
/// without its last two letters begins the longer, or it is the plural in "-ies" of the other.
fn akin(a: &str, b: &str) -> bool {
    if same_word(a, b) {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // "winery" and "wineries"
    if short
        .strip_suffix('y')
        .is_some_and(|s| long.strip_suffix("ies") == Some(s))
    {
        return true;
    }
    let stem = short
        .get(..short.len().saturating_sub(2))
        .unwrap_or_default();
    stem.len() >= MIN_STEM && long.starts_with(stem)
}

/// The labels of `wanted` segments that `words` (an ICP's query terms, in English) name by their
/// own words, each with the share of its items named: a label listing several sub-industries
/// ("Electronic Equipment, Instruments & Components") is named less by one of them
/// ("components") than the label of that one alone ("Electronic Components").
pub fn named_labels(words: &[String], wanted: &[Industry]) -> NamedLabels {
    let mut out = NamedLabels::default();
    for segment in wanted {
        let before = out.labels.len();
        // Once per segment, not per label: it reads every label of the segment.
        let common = common_words(*segment);
        for label in segment.segment().labels {
            let items = own_items(label, *segment, &common);
            let named = items
                .iter()
                .filter(|item| item.iter().any(|w| words.iter().any(|q| akin(q, w))))
                .count();
            // A label most of whose items the ICP leaves unsaid holds more than it names.
            if named > 0 && 2 * named >= items.len() {
                out.labels
                    .push((tokens(label), named as f64 / items.len() as f64));
            }
        }
        if out.labels.len() > before {
            out.segments.push(*segment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_terms;

    fn evidence(icp: &str, segment: Industry, label: &str) -> Option<f64> {
        named_labels(&query_terms(icp), &[segment]).evidence(segment, &[tokens(label)])
    }

    #[test]
    fn a_label_is_read_by_the_items_it_says_beyond_its_segment() {
        use Industry::*;
        let items = |label: &str, segment: Industry| -> Vec<String> {
            own_items(label, segment, &common_words(segment))
                .iter()
                .map(|item| item.join(" "))
                .collect()
        };
        assert_eq!(items("Specialty Chemicals", Chemicals), ["specialty"]);
        assert!(items("Chemicals", Chemicals).is_empty());
        assert_eq!(items("Software - Application", Software), ["application"]);
        assert_eq!(items("Application Software", Software), ["application"]);
        assert_eq!(
            items("Drug Manufacturers - Specialty & Generic", Pharma),
            ["specialty", "generic"]
        );
        // "drug" says pharma ("pharma" and "drug" are synonyms of labels).
        assert_eq!(
            items("Healthcare / Drug Discovery and Delivery", Pharma),
            ["discovery", "delivery"]
        );
        assert_eq!(items("Banks - Regional", Banks), ["regional"]);
        assert_eq!(items("Oil & Gas Midstream", Energy), ["midstream"]);
        assert_eq!(
            items("Technology Hardware & Equipment", Hardware),
            ["", "equipment"]
        );
        assert_eq!(
            items(
                "Electronic Equipment, Instruments & Components",
                Electronics
            ),
            ["", "", "components"]
        );
    }

    #[test]
    fn a_sub_industry_the_icp_names_ranks_its_label_first() {
        use Industry::*;
        let icp = "Specialty chemicals makers: coatings and adhesives";
        assert_eq!(evidence(icp, Chemicals, "Specialty Chemicals"), Some(1.0));
        assert_eq!(evidence(icp, Chemicals, "Chemicals"), Some(0.0));
        let icp = "Contract manufacturers of generics and specialty drugs";
        assert_eq!(
            evidence(icp, Pharma, "Drug Manufacturers - Specialty & Generic"),
            Some(1.0)
        );
        assert_eq!(evidence(icp, Pharma, "Biotechnology"), Some(0.0));
        let icp = "Pipeline operators and midstream companies";
        assert_eq!(evidence(icp, Energy, "Oil & Gas Midstream"), Some(1.0));
        assert_eq!(evidence(icp, Energy, "Oil & Gas E&P"), Some(0.0));
    }

    #[test]
    fn words_of_one_stem_name_each_other() {
        assert!(akin("electricity", "electric"));
        assert!(akin("distillers", "distilleries"));
        assert!(akin("generics", "generic"));
        assert!(!akin("general", "generic"));
        assert!(akin("winery", "wineries"));
        assert!(!akin("wine", "wineries"));
    }

    #[test]
    fn an_icp_naming_only_its_segment_ranks_every_label_alike() {
        for (icp, segment, label) in [
            (
                "Chemical companies",
                Industry::Chemicals,
                "Specialty Chemicals",
            ),
            ("Software companies", Industry::Software, "B2B / Legal"),
            ("Banks in Germany", Industry::Banks, "Banks - Regional"),
            (
                "Technologieunternehmen",
                Industry::Hardware,
                "Technology Hardware & Equipment",
            ),
        ] {
            assert_eq!(evidence(icp, segment, label), None, "{icp}");
        }
    }
}
