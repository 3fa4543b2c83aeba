//! Group labels an ICP asks for only a part of. One vocabulary's label may hold what another
//! splits into several ("Metals & Mining": gold, copper, steel...; "Real Estate Management &
//! Development": agents, developers, diversified groups). An ICP that names one of those parts
//! whole ("copper miners", "property developers") or rules one out ("no gold miners") asks for
//! less than the group: a company known only by the group label may be the part it wants or
//! another, so it still matches, on weaker evidence than one whose own label is that part
//! (`scoring::assess_labelled`).
use super::named::{says_label, NamedLabels};
use super::{tokens, LABEL_SYNONYMS};
use crate::taxonomy::{Industry, GROUP_HOLDS};
use std::sync::LazyLock;

/// A group label of the catalog and what it holds.
struct Group {
    /// As written.
    label: &'static str,
    /// Tokenised.
    tokens: Vec<String>,
    /// The labels of the other vocabularies it covers (`taxonomy::LABEL_SYNONYMS`), tokenised.
    parts: Vec<Vec<String>>,
    /// Labels of other segments it also holds (`taxonomy::GROUP_HOLDS`), tokenised...
    held: Vec<Vec<String>>,
    /// ...and those labels' segments.
    held_segments: Vec<Industry>,
}

/// The catalog's group labels with their parts, tokenised: a label that covers two or more
/// labels of the other vocabularies (`taxonomy::LABEL_SYNONYMS`), none of which covers it back
/// (those say the same thing twice: "Health Care Technology" and "Health Information Services").
fn groups() -> &'static [Group] {
    static GROUPS: LazyLock<Vec<Group>> = LazyLock::new(|| {
        let covers = |label: &str, other: &str| {
            LABEL_SYNONYMS
                .iter()
                .any(|(l, covered)| *l == label && covered.contains(&other))
        };
        LABEL_SYNONYMS
            .iter()
            .filter(|(label, parts)| {
                parts.len() >= 2 && parts.iter().all(|part| !covers(part, label))
            })
            .map(|(label, parts)| {
                let held: Vec<&str> = GROUP_HOLDS
                    .iter()
                    .filter(|(l, _)| l == label)
                    .flat_map(|(_, held)| held.iter().copied())
                    .collect();
                let mut segments: Vec<Industry> = held
                    .iter()
                    .map(|l| Industry::classify(Some(l), &[]))
                    .filter(|s| *s != Industry::Other)
                    .collect();
                segments.sort();
                segments.dedup();
                Group {
                    label,
                    tokens: tokens(label),
                    parts: parts.iter().map(|p| tokens(p)).collect(),
                    held: held.iter().map(|l| tokens(l)).collect(),
                    held_segments: segments,
                }
            })
            .collect()
    });
    &GROUPS
}

/// The group labels (tokens) an ICP asks for only a part of, given its text in English and the
/// labels and segments it rules out: it rules out one of the group's parts ("no gold miners" of
/// "Metals & Mining") or a label the group also holds ("no casinos" of "Hotels, Restaurants &
/// Leisure"), even where it names the group whole ("Equity REITs, no hotel REITs": a company
/// known only by the group may be the part ruled out); or, without naming the group whole, it
/// names fewer than half of the parts (evidence > 0) and does not say the group
/// (`named::says_label`): "steel producers" asks for a part of "Metals & Mining", which holds
/// gold and copper miners too; "infrastructure software vendors" asks for "Software", "REITs
/// with office, retail and hotel properties" for "Equity Real Estate Investment Trusts (REITs)".
pub fn parted(
    named: &NamedLabels,
    english: &str,
    excluded_labels: &[Vec<String>],
    excluded_segments: &[Industry],
) -> Vec<Vec<String>> {
    let evidence = |label: &[String]| {
        named
            .labels
            .iter()
            .find(|(l, _)| l.as_slice() == label)
            .map_or(0.0, |(_, e)| *e)
    };
    groups()
        .iter()
        .filter(|group| {
            if group
                .parts
                .iter()
                .chain(&group.held)
                .any(|p| excluded_labels.contains(p))
                || group
                    .held_segments
                    .iter()
                    .any(|s| excluded_segments.contains(s))
            {
                return true;
            }
            if evidence(&group.tokens) >= 1.0 {
                return false;
            }
            let said = group.parts.iter().filter(|p| evidence(p) > 0.0).count();
            said > 0 && 2 * said < group.parts.len() && !says_label(english, group.label)
        })
        .map(|group| group.tokens.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::industry::named_labels;
    use crate::taxonomy::Industry;

    #[test]
    fn a_group_label_is_parted_where_the_icp_names_or_rules_out_a_part_of_it() {
        let group = tokens("Metals & Mining");
        let parted_in = |icp: &str, excluded: &[&str]| {
            let named = named_labels(icp, &[Industry::Mining]);
            let excluded: Vec<Vec<String>> = excluded.iter().map(|l| tokens(l)).collect();
            parted(&named, icp, &excluded, &[]).contains(&group)
        };
        assert!(parted_in("steel producers", &[]));
        assert!(parted_in("copper miners", &[]));
        assert!(!parted_in("metals and mining companies", &[]));
        assert!(!parted_in(
            "copper and gold mining and metals companies",
            &[]
        ));
        assert!(parted_in("metals and mining companies", &["Gold"]));
        // Labels that say the same thing twice are no group.
        let named = named_labels("health information services", &[Industry::HealthIt]);
        assert!(parted(&named, "health information services", &[], &[]).is_empty());
        // Ruling out a part, or a label of another segment the group holds, parts it even where
        // the ICP names the group whole.
        let reits = tokens("Equity Real Estate Investment Trusts (REITs)");
        let named = named_labels("equity reits", &[Industry::Reits]);
        assert!(!parted(&named, "equity reits", &[], &[]).contains(&reits));
        let hotel_reits = [tokens("REIT - Hotel & Motel")];
        assert!(parted(&named, "equity reits", &hotel_reits, &[]).contains(&reits));
        let hospitality = tokens("Hotels, Restaurants & Leisure");
        let icp = "hotels, restaurants and leisure companies";
        let named = named_labels(icp, &[Industry::Hospitality]);
        assert!(!parted(&named, icp, &[], &[]).contains(&hospitality));
        assert!(parted(&named, icp, &[], &[Industry::Gambling]).contains(&hospitality));
        assert!(parted(&named, icp, &[tokens("Gambling")], &[]).contains(&hospitality));
    }
}
