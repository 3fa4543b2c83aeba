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
use super::{letter_units, same_word, spelled, spells, tokens, Industry, Unit, GROUPS};
use crate::text::query_terms;

/// Words that join a label's words ("Drug Manufacturers - Specialty & Generic").
const JOINING: &[&str] = &["and", "or", "of", "the", "for", "other"];

/// The words most of a segment's labels carry ("banks" of "Banks - Regional", "oil" and "gas" of
/// "Oil & Gas Midstream"): they say the segment, not one of its labels.
/// Broad words of the groups the segment is in (`taxonomy::GROUPS`: "technology", "health",
/// "energy") are common too: "Technology companies" names no sub-industry of hardware.
fn common_words(segment: Industry) -> Vec<String> {
    let labels: Vec<Vec<String>> = segment.segment().labels.iter().map(|l| tokens(l)).collect();
    // Only the broad words of groups the segment is in: "materials" says chemicals or mining,
    // but of semiconductors it says "Semiconductor Equipment & Materials".
    let mut out: Vec<String> = GROUPS
        .iter()
        .filter(|(_, segments)| segments.contains(&segment))
        .flat_map(|(words, _)| words.iter().map(|w| tokens(w)))
        .filter(|t| t.len() == 1)
        .flatten()
        .collect();
    for word in labels.iter().flatten() {
        let carried = labels
            .iter()
            .filter(|l| l.iter().any(|w| same_word(w, word)))
            .count();
        // Of three labels, two carrying a word may be one listing the other beside the segment
        // ("equipment" of "Semiconductors & Semiconductor Equipment"): in a small segment only
        // the words all labels carry say it.
        let most = if labels.len() > 3 {
            2 * carried > labels.len()
        } else {
            carried == labels.len()
        };
        if most && !out.contains(word) {
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
/// names a part of what the label holds. Letters joined by "&" are one item of their own
/// ("E&P" of "Oil & Gas E&P"), read as `sub_labels` reads them (`Unit::Letters`).
fn own_items(label: &str, segment: Industry, common: &[String]) -> Vec<Vec<Unit>> {
    // The part after a group: "Fintech / Payments", "Beverages - Brewers".
    let sub = [" / ", " - "]
        .iter()
        .find_map(|group| label.rsplit_once(group))
        .map_or(label, |(_, sub)| sub);
    let name = tokens(segment.label());
    let is = |set: &[String], w: &str| set.iter().any(|g| same_word(g, w));
    let joined = letters_joined(sub);
    let raw: Vec<Vec<String>> = joined
        .split([',', '&', '(', ')'])
        .flat_map(|item| item.split(" and "))
        .map(tokens)
        .collect();
    raw.iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let units: Vec<Unit> = letter_units(item.iter().cloned())
                .into_iter()
                .filter(|u| match u {
                    Unit::Word(w) => {
                        w.len() > 2 && !JOINING.contains(&w.as_str()) && !is(common, w)
                    }
                    Unit::Letters(run) => run.len() > 1,
                })
                .collect();
            if units.is_empty() {
                // An item of the segment's common words is the segment itself where another item
                // of the label repeats it ("Semiconductors" of "Semiconductors & Semiconductor
                // Equipment": the label holds chipmakers besides equipment), a prefix of the
                // label's other words where none does ("Oil" of "Oil & Gas Midstream").
                let repeated = raw.iter().enumerate().any(|(j, other)| {
                    j != i && item.iter().any(|w| other.iter().any(|o| same_word(o, w)))
                });
                return (repeated && !item.is_empty()).then(Vec::new);
            }
            Some(
                units
                    .into_iter()
                    .filter(|u| !matches!(u, Unit::Word(w) if is(&name, w)))
                    .collect(),
            )
        })
        .collect()
}

/// A label with the "&" between single letters made a space ("Oil & Gas E P"), so that splitting
/// its items at "&" keeps them together.
fn letters_joined(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    let letter_at = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_ascii_alphabetic())
    };
    let alone = |i: usize, step: isize| {
        // A letter at i whose next character further in the same direction is no letter.
        let next = i.checked_add_signed(step);
        letter_at(Some(i)) && !letter_at(next)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let joins = *c == '&' && i > 0 && alone(i - 1, -1) && alone(i + 1, 1);
            if joins {
                ' '
            } else {
                *c
            }
        })
        .collect()
}

/// A label word is generic where labels of at least this many segments carry it ("services",
/// "products", "equipment", "consumer").
const GENERIC_SEGMENTS: usize = 6;

/// Whether labels of `GENERIC_SEGMENTS` segments or more carry the word (`same_word`).
fn is_catalog_generic(w: &str) -> bool {
    static GENERIC: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut seen: Vec<(String, Vec<Industry>)> = Vec::new();
        for segment in super::SEGMENTS.iter() {
            for label in segment.labels {
                for word in tokens(label) {
                    match seen.iter_mut().find(|(w, _)| same_word(w, &word)) {
                        Some((_, s)) if !s.contains(&segment.industry) => s.push(segment.industry),
                        Some(_) => {}
                        None => seen.push((word, vec![segment.industry])),
                    }
                }
            }
        }
        seen.into_iter()
            .filter(|(_, s)| s.len() >= GENERIC_SEGMENTS)
            .map(|(w, _)| w)
            .collect()
    });
    GENERIC.iter().any(|g| same_word(g, w))
}

/// The words of a label that name none of its items alone: words of many segments' labels
/// (`is_catalog_generic`) that another label of its segment carries beside other words ("products"
/// of "Farm Products" beside "Food Products"; not "equipment" of "Communications Equipment", whose
/// segment has no other equipment label).
fn generic_in(label: &[String], segment: Industry) -> Vec<String> {
    let rest = |l: &[String], w: &str| -> Vec<String> {
        l.iter().filter(|x| !same_word(x, w)).cloned().collect()
    };
    label
        .iter()
        .filter(|w| is_catalog_generic(w))
        .filter(|w| {
            let mine = rest(label, w);
            segment
                .segment()
                .labels
                .iter()
                .map(|l| tokens(l))
                .any(|other| {
                    other.iter().any(|x| same_word(x, w)) && {
                        let theirs = rest(&other, w);
                        let same = theirs.len() == mine.len()
                            && theirs.iter().all(|t| mine.iter().any(|m| same_word(m, t)));
                        !same
                    }
                })
        })
        .cloned()
        .collect()
}

/// A label as `named_labels` reads it. It depends on the taxonomy alone, so it is read once per
/// process (`readings`), not once per ICP and wanted segment: an ICP listing dozens of industries
/// read every label of each of their segments again.
struct LabelReading {
    label: &'static str,
    /// Its `tokens`.
    tokens: Vec<String>,
    /// Its items (`own_items`).
    items: Vec<Vec<Unit>>,
    /// Its words that name none of its items alone (`generic_in`).
    generic: Vec<String>,
}

/// The readings of a segment's labels, in the order of `Segment::labels`.
fn readings(segment: Industry) -> &'static [LabelReading] {
    static READINGS: std::sync::LazyLock<Vec<Vec<LabelReading>>> = std::sync::LazyLock::new(|| {
        super::SEGMENTS
            .iter()
            .map(|s| {
                let common = common_words(s.industry);
                s.labels
                    .iter()
                    .map(|label| {
                        let tokens = tokens(label);
                        LabelReading {
                            label,
                            items: own_items(label, s.industry, &common),
                            generic: generic_in(&tokens, s.industry),
                            tokens,
                        }
                    })
                    .collect()
            })
            .collect()
    });
    // `SEGMENTS` is in the order of `Industry::ALL`.
    &READINGS[segment as usize]
}

/// Whether an ICP names a label's item: one of its words says one of the item's words
/// (`akin`) or spells it out by letters ("P&C" for "Property" of "Insurance - Property &
/// Casualty", `spelled`); the item's letters are the ICP's too ("E&P companies") or the initials
/// of its words in a row ("exploration and production").
fn names_item(item: &[Unit], icp: &Icp<'_>, label: &[String], generic: &[String]) -> bool {
    let by_letters: Vec<&String> = icp
        .letters
        .iter()
        .filter_map(|run| spelled(label, run, true))
        .flatten()
        .collect();
    // A word the labels of many segments carry ("products", "services") says which item only
    // beside nothing else: "Farm Products" is named by "farm", not by any "product".
    let words = item.iter().filter(|u| matches!(u, Unit::Word(_))).count();
    item.iter().any(|u| match u {
        Unit::Word(w) if words > 1 && generic.contains(w) => false,
        Unit::Word(w) => {
            icp.words.iter().any(|q| akin(q, w)) || by_letters.iter().any(|s| same_word(s, w))
        }
        Unit::Letters(run) => spells(icp.tokens, run, true) || spells(icp.tokens, run, false),
    })
}

/// An ICP's text as `named_labels` reads it.
#[derive(Clone)]
struct Icp<'a> {
    /// Its query terms.
    words: &'a [String],
    /// Its `tokens` (for letters).
    tokens: &'a [String],
    /// Its runs of single letters ("p", "c" of "P&C").
    letters: Vec<Vec<String>>,
}

/// What an ICP's words name of its wanted segments' labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamedLabels {
    /// Segments at least one of whose labels the ICP names by its own words.
    pub segments: Vec<Industry>,
    /// Each label of those segments (its `tokens`) that the ICP names, with its evidence (0..=1]:
    /// the share of its items the ICP names.
    pub labels: Vec<(Vec<String>, f64)>,
    /// The labels named only by their segment's own words said as a need (`phrase_share`):
    /// a reading of software for a domain drops them ("Software vendors for insurers" asks for
    /// the domain's technology, not the "Software" label).
    pub said: Vec<Vec<String>>,
    /// Group labels the ICP asks for only a part of (`groups::parted`): their companies match on
    /// weaker evidence than those whose label is the part.
    pub groups: Vec<Vec<String>>,
}

impl NamedLabels {
    /// Whether a company's label or tags (`industry::tokens` each) is a group label the ICP asks
    /// for only a part of.
    pub fn in_parted_group(&self, labels: &[Vec<String>]) -> bool {
        labels.iter().any(|l| self.groups.contains(l))
    }

    /// This reading for the segments an ICP still asks for once its exclusions removed others:
    /// the ICP's words name the labels of those as they did when it asked for all of them, so
    /// that removing a segment it named ("Leisure and hospitality companies ..." without
    /// "Betting and gaming") changes nothing of how the rest ranks.
    pub fn within(mut self, segments: &[Industry]) -> NamedLabels {
        let dropped: Vec<Industry> = self
            .segments
            .iter()
            .copied()
            .filter(|s| !segments.contains(s))
            .collect();
        if dropped.is_empty() {
            return self;
        }
        let of_dropped = |label: &Vec<String>| {
            dropped
                .iter()
                .any(|s| s.segment().labels.iter().any(|l| tokens(l) == *label))
        };
        self.segments.retain(|s| segments.contains(s));
        self.labels.retain(|(l, _)| !of_dropped(l));
        self.said.retain(|l| !of_dropped(l));
        self
    }

    /// Names the siblings of a label the ICP rules out: where an excluded label is one of a
    /// family written "group - item" ("Insurance - Life", "Beverages - Brewers"), the ICP asks
    /// for the rest of that family in a wanted segment ("Insurance - Property & Casualty",
    /// "Beverages - Non-Alcoholic") before labels of the segment outside it ("Fintech /
    /// Insurance", "Packaged Foods"), with `SIBLING_EVIDENCE`, unless its words name some of
    /// the family: then those. Only where the ICP asks for the family alone: where its words
    /// (`english`) also name labels of the segment outside the family ("Food and beverage
    /// makers", no brewers: "food" of "Packaged Foods"), an exclusion must not rank those below
    /// the family's rest.
    pub fn name_siblings(&mut self, english: &str, excluded: &[Vec<String>], wanted: &[Industry]) {
        let family = |label: &str| label.split_once(" - ").map(|(group, _)| group.to_string());
        let icp_words = query_terms(english);
        let groups: Vec<String> = wanted
            .iter()
            .flat_map(|s| readings(*s))
            .filter(|r| excluded.contains(&r.tokens))
            .filter_map(|r| family(r.label))
            .collect();
        // A family some of whose labels the ICP's words name ("Equity REITs that own offices
        // and warehouses", no hotel REITs) is asked for by those.
        let said = |group: &String| {
            wanted.iter().flat_map(|s| readings(*s)).any(|r| {
                family(r.label).as_ref() == Some(group)
                    && self.labels.iter().any(|(l, e)| *l == r.tokens && *e > 0.0)
            })
        };
        // A word of the ICP a label outside the family carries, other than the family's own
        // ("beverage" of "Food, Beverage & Tobacco" says the family too) or one many segments'
        // labels carry ("products" of "Beverage products companies" says no other label).
        let beyond = |group: &String| {
            let own = tokens(group);
            wanted.iter().any(|s| {
                readings(*s).iter().any(|r| {
                    family(r.label).as_ref() != Some(group)
                        && icp_words.iter().any(|q| {
                            q.len() > 2
                                && !JOINING.contains(&q.as_str())
                                && !is_catalog_generic(q)
                                && !own.iter().any(|o| same_word(o, q))
                                && r.tokens.iter().any(|t| same_word(t, q))
                        })
                })
            })
        };
        let groups: Vec<String> = groups
            .into_iter()
            .filter(|g| !said(g) && !beyond(g))
            .collect();
        if groups.is_empty() {
            return;
        }
        for segment in wanted {
            for r in readings(*segment) {
                let sibling = family(r.label).is_some_and(|g| groups.contains(&g))
                    && !excluded.contains(&r.tokens);
                if !sibling {
                    continue;
                }
                match self.labels.iter_mut().find(|(l, _)| *l == r.tokens) {
                    Some((_, evidence)) => *evidence = evidence.max(SIBLING_EVIDENCE),
                    None => self.labels.push((r.tokens.clone(), SIBLING_EVIDENCE)),
                }
                if !self.segments.contains(segment) {
                    self.segments.push(*segment);
                }
            }
        }
    }

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

/// The evidence of a label whose sibling the ICP rules out (`NamedLabels::name_siblings`): less
/// than a label its words name whole.
const SIBLING_EVIDENCE: f64 = 0.5;

/// Shorter stems of a word and its derivations share too little ("gener-al", "gener-ic").
const MIN_STEM: usize = 6;

/// Whether an ICP's word says a label's word: the same word (`same_word`, or a synonym of the
/// plural a query term stems: "drink" says "beverages"), or one derived from
/// the same stem ("electricity" of "Electric", "distillers" of "Distilleries"): the shorter
/// without its last two letters begins the longer, or it is the plural in "-ies" of the other.
fn akin(a: &str, b: &str) -> bool {
    if same_word(a, b) || super::stemmed_synonyms(a, b) {
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

/// The labels of `wanted` segments that an ICP's English text names by their own words, each
/// with the share of its items named: a label listing several sub-industries ("Electronic
/// Equipment, Instruments & Components") is named less by one of them ("components") than the
/// label of that one alone ("Electronic Components").
pub fn named_labels(english: &str, wanted: &[Industry]) -> NamedLabels {
    named_labels_termed(english, &[], wanted)
}

/// `named_labels` with the labels a partner's words for them name (`taxonomy::LABEL_TERMS`,
/// `industry::termed_labels`), found in what the ICP asks for (`industry::asked_part` of its own
/// text, whose colons and customers its English reading may lose).
pub fn named_labels_termed(
    english: &str,
    termed: &[Vec<String>],
    wanted: &[Industry],
) -> NamedLabels {
    let words = query_terms(english);
    let icp_tokens = tokens(english);
    let listed = super::match_tokens(english);
    let icp = Icp {
        words: &words,
        tokens: &icp_tokens,
        letters: letter_units(icp_tokens.iter().cloned())
            .into_iter()
            .filter_map(|u| match u {
                Unit::Letters(run) if run.len() > 1 => Some(run),
                _ => None,
            })
            .collect(),
    };
    // The pairs of words in a row in every wanted label: a label's phrase followed by the
    // second of a pair it ends with is part of another label ("insurance brokers").
    let label_pairs: Vec<(String, String)> = wanted
        .iter()
        .flat_map(|s| readings(*s))
        .flat_map(|r| r.tokens.windows(2).map(|w| (w[0].clone(), w[1].clone())))
        .collect();
    // A word inside a taxonomy phrase of another segment ("management" of "management
    // consulting", "asset management") names no label of this one ("Waste Management"), unless
    // the ICP also says it on its own.
    let phrases: Vec<super::Hit> = super::phrase_hits(&icp_tokens, 0)
        .into_iter()
        .filter(|h| !h.group && h.end - h.start >= 2)
        .collect();
    // Per word, once for all segments: whether the ICP says it outside every phrase, and the
    // phrases it is inside.
    let placed: Vec<(bool, Vec<&super::Hit>)> = words
        .iter()
        .map(|q| {
            let inside: Vec<&super::Hit> = phrases
                .iter()
                .filter(|h| icp_tokens[h.start..h.end].iter().any(|t| same_word(t, q)))
                .collect();
            let alone = inside.is_empty()
                || icp_tokens.iter().enumerate().any(|(i, t)| {
                    same_word(t, q) && !phrases.iter().any(|h| (h.start..h.end).contains(&i))
                });
            (alone, inside)
        })
        .collect();
    let words_for = |segment: Industry| -> Vec<String> {
        words
            .iter()
            .zip(&placed)
            .filter(|(_, (alone, inside))| {
                *alone || inside.iter().all(|h| h.industries.contains(&segment))
            })
            .map(|(q, _)| q.clone())
            .collect()
    };
    // A partner's word for labels that carry none of it ("hotels" for "Lodging", "tour operators"
    // for "Travel Services", "pipelines" for "Oil & Gas Midstream") names those labels whole, as
    // it does in an excluded value.
    let mut out = NamedLabels::default();
    for segment in wanted {
        let before = out.labels.len();
        let own_words = words_for(*segment);
        let icp = Icp {
            words: &own_words,
            ..icp.clone()
        };
        for label in readings(*segment) {
            if termed.contains(&label.tokens) {
                out.labels.push((label.tokens.clone(), 1.0));
                continue;
            }
            let named = label
                .items
                .iter()
                .filter(|item| names_item(item, &icp, &label.tokens, &label.generic))
                .count();
            // A label most of whose items the ICP leaves unsaid holds more than it names.
            if named > 0 && 2 * named >= label.items.len() {
                out.labels.push((
                    label.tokens.clone(),
                    named as f64 / label.items.len() as f64,
                ));
            }
        }
        // A label whose own words are the segment's ("Airlines", "Fintech / Payments",
        // "Professional Services", "Gambling" of "Casinos & gambling") has no item of its own,
        // so an ICP saying it word for word named nothing, and in an ICP of several segments
        // the labels another segment's words name ("Air Freight & Logistics" by "air") ranked
        // above it. It is named where the ICP says it whole as one of its needs
        // (`phrase_share`). An ICP of one segment ranks its labels as before ("Chemical
        // companies" names no label).
        if wanted.len() > 1 {
            let said_whole = readings(*segment)
                .iter()
                .filter(|label| label.items.iter().all(|item| item.is_empty()))
                .map(|label| {
                    let share = phrase_share(label.label, &listed, &label_pairs);
                    (label.tokens.clone(), share)
                })
                .filter(|(_, share)| *share >= 1.0);
            for (label, share) in said_whole {
                match out.labels[before..].iter_mut().find(|(l, _)| *l == label) {
                    Some((_, evidence)) => *evidence = evidence.max(share),
                    None => {
                        out.said.push(label.clone());
                        out.labels.push((label, share));
                    }
                }
            }
        }
        if out.labels.len() > before {
            out.segments.push(*segment);
        }
    }
    out
}

/// Words before a label's phrase that leave it the ICP's whole need: a list's joints, not a
/// modifier ("specialty chemicals" names a sibling of "Chemicals", "hospital software" a
/// domain's software).
const BEFORE_A_NEED: &[&str] = &[
    ",",
    "and",
    "or",
    "of",
    "the",
    "other",
    "und",
    "oder",
    "sowie",
    "von",
    "plus",
    "as",
    "including",
];

/// The share of a label's items (after its group, as `own_items` splits them) that an ICP's
/// tokens (`match_tokens`) say word for word, in a row and as a need of their own: at the start
/// or after `BEFORE_A_NEED`, and not going on into a wanted label (`label_pairs`: "insurance
/// brokers" is no need for "Insurance"). "Professional Services" in "Staffing agencies and
/// professional services firms", "Airlines" in "Airlines (full-service ...)". Joining words and
/// single letters are no part of an item here.
fn phrase_share(label: &str, icp: &[String], label_pairs: &[(String, String)]) -> f64 {
    let sub = [" / ", " - "]
        .iter()
        .find_map(|group| label.rsplit_once(group))
        .map_or(label, |(_, sub)| sub);
    let items: Vec<Vec<String>> = sub
        .split([',', '&', '(', ')'])
        .flat_map(|item| item.split(" and "))
        .map(|item| {
            tokens(item)
                .into_iter()
                .filter(|w| w.len() > 1 && !JOINING.contains(&w.as_str()))
                .collect::<Vec<_>>()
        })
        .filter(|item| !item.is_empty())
        .collect();
    if items.is_empty() {
        return 0.0;
    }
    let said = items
        .iter()
        .filter(|item| {
            icp.windows(item.len()).enumerate().any(|(i, run)| {
                let bare = i == 0 || BEFORE_A_NEED.contains(&icp[i - 1].as_str());
                let last = &icp[i + item.len() - 1];
                // Last, as the dearest: every wanted label's pairs against the next word.
                let modifies = || {
                    icp.get(i + item.len()).is_some_and(|next| {
                        label_pairs
                            .iter()
                            .any(|(a, b)| same_word(a, last) && same_word(b, next))
                    })
                };
                bare && run.iter().zip(item.iter()).all(|(q, w)| same_word(q, w)) && !modifies()
            })
        })
        .count();
    said as f64 / items.len() as f64
}

/// Whether an ICP's English text says a label: more than half of its words (`akin`, joining
/// words aside; "fashion, footwear and luxury goods brands and their apparel manufacturers" says
/// "Textiles, Apparel & Luxury Goods"), or all of the name it gives in parentheses ("REITs" of
/// "Equity Real Estate Investment Trusts (REITs)").
pub(super) fn says_label(english: &str, label: &str) -> bool {
    let words = query_terms(english);
    let said = |part: &str| -> (usize, usize) {
        let own: Vec<String> = tokens(part)
            .into_iter()
            .filter(|w| !JOINING.contains(&w.as_str()))
            .collect();
        let n = own
            .iter()
            .filter(|w| words.iter().any(|q| akin(q, w)))
            .count();
        (n, own.len())
    };
    let (n, of) = said(label);
    if 2 * n > of {
        return true;
    }
    label
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .is_some_and(|(alias, _)| {
            let (n, of) = said(alias);
            of > 0 && n == of
        })
}

/// The words of a wanted segment's English name that an ICP's text search adds to its own
/// words (`icp::Icp::keywords`): all of them where the ICP names the segment in other words
/// ("Maschinenbauer": machinery, industrial, equipment), none where the name lists three or more
/// parts and the ICP already says one of them (each of its words, `akin`): the other parts would
/// rank siblings the ICP did not ask for ("Beverage companies" finding farms of "Food, beverages
/// & agriculture", "Travel and leisure" restaurants of "Hotels, restaurants & leisure").
pub fn name_terms(words: &[String], segment: Industry) -> Vec<String> {
    let label = segment.label();
    // An item is said when each of its words is: "public-safety" does not say "public sector".
    let items: Vec<Vec<String>> = label
        .split([',', '&'])
        .flat_map(|item| item.split(" and "))
        .map(query_terms)
        .filter(|item| !item.is_empty())
        .collect();
    let said = items
        .iter()
        .any(|item| item.iter().all(|n| words.iter().any(|q| akin(q, n))));
    // A name of two parts mostly says one trade twice ("Pharma & biotech", "Software & SaaS",
    // "Staffing & recruiting"): "pharmaceutical companies" still want biotech ranked.
    if said && items.len() > 2 {
        return Vec::new();
    }
    query_terms(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(icp: &str, segment: Industry, label: &str) -> Option<f64> {
        named_labels(icp, &[segment]).evidence(segment, &[tokens(label)])
    }

    #[test]
    fn a_label_is_read_by_the_items_it_says_beyond_its_segment() {
        use Industry::*;
        let items = |label: &str, segment: Industry| -> Vec<String> {
            own_items(label, segment, &common_words(segment))
                .iter()
                .map(|item| {
                    item.iter()
                        .map(|u| match u {
                            Unit::Word(w) => w.clone(),
                            Unit::Letters(run) => run.join("&"),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        };
        assert_eq!(items("Specialty Chemicals", Chemicals), ["specialty"]);
        assert!(items("Chemicals", Chemicals).iter().all(|i| i.is_empty()));
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
    fn a_word_of_many_segments_labels_names_no_item_beside_other_words() {
        use Industry::*;
        // "products" is carried by "Farm Products" and "Food Products": it says neither.
        let icp = "food production companies";
        assert_eq!(evidence(icp, Food, "Farm Products"), Some(0.0));
        assert_eq!(evidence("farm products", Food, "Farm Products"), Some(1.0));
        // No other equipment label in telecom: "equipment" names its equipment labels.
        assert_eq!(
            evidence(
                "network equipment makers",
                Telecom,
                "Communications Equipment"
            ),
            Some(1.0)
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
    fn letters_name_a_label_both_ways() {
        use Industry::*;
        // The ICP's words spell a label's letters: "exploration and production" is E&P.
        for icp in [
            "Oil and gas exploration and production companies",
            "E&P companies",
        ] {
            assert_eq!(evidence(icp, Energy, "Oil & Gas E&P"), Some(1.0), "{icp}");
            assert_eq!(
                evidence(icp, Energy, "Oil, Gas & Consumable Fuels"),
                Some(0.0)
            );
            assert_eq!(
                evidence(icp, Energy, "Oil & Gas Equipment & Services"),
                Some(0.0)
            );
        }
        // The ICP's letters spell a label's words: "P&C" is Property & Casualty.
        let icp = "P&C insurers and reinsurers";
        assert_eq!(
            evidence(icp, Insurance, "Insurance - Property & Casualty"),
            Some(1.0)
        );
        assert_eq!(evidence(icp, Insurance, "Insurance"), Some(0.0));
        assert_eq!(evidence(icp, Insurance, "Insurance - Life"), Some(0.0));
        // Letters spelling nothing of a segment name none of its labels.
        assert_eq!(evidence("B2B software vendors", Software, "Software"), None);
    }

    #[test]
    fn a_label_listing_its_segment_beside_a_part_is_named_less_than_the_part() {
        use Industry::*;
        // "Semiconductors & Semiconductor Equipment" holds chipmakers too: "equipment" names
        // half of it, all of "Semiconductor Equipment & Materials" with "materials".
        let icp = "Semiconductor equipment and materials suppliers";
        let gics = evidence(
            icp,
            Semiconductors,
            "Semiconductors & Semiconductor Equipment",
        );
        let own = evidence(icp, Semiconductors, "Semiconductor Equipment & Materials");
        assert!(own > gics, "{own:?} {gics:?}");
        assert_eq!(own, Some(1.0));
        // A prefix of the segment's words is no item of its own: "Oil & Gas Midstream" is all
        // midstream.
        assert_eq!(
            evidence("Midstream companies", Energy, "Oil & Gas Midstream"),
            Some(1.0)
        );
    }

    #[test]
    fn a_segment_name_adds_only_the_parts_the_icp_leaves_unsaid() {
        use Industry::*;
        let terms = |icp: &str, segment| name_terms(&query_terms(icp), segment);
        // Named in other words: the name's words rank too.
        assert!(!terms("Maschinenbauer", Machinery).is_empty());
        assert!(!terms("Industrial manufacturers", Machinery).is_empty());
        // One part of a name listing several is said: the others would rank siblings.
        assert!(terms("Beverage companies", Food).is_empty());
        assert!(terms("Travel and leisure companies", Hospitality).is_empty());
        // A word of a part is not the part: "forest" is not "forest products".
        assert!(!terms("Forest management services", Forestry).is_empty());
        assert!(terms("Forest products companies", Forestry).is_empty());
        // Two parts say one trade twice: pharmaceutical companies still rank biotech.
        assert!(!terms("Pharmaceutical companies", Pharma).is_empty());
    }

    #[test]
    fn a_label_of_its_segment_s_own_words_said_as_a_need_is_named_beside_other_segments() {
        use Industry::*;
        let named = |icp: &str, wanted: &[Industry], segment, label: &str| {
            named_labels(icp, wanted).evidence(segment, &[tokens(label)])
        };
        // "Airlines" has nothing beyond its segment; "air" names half of "Air Freight &
        // Logistics", which ranked airlines below freight forwarders.
        let icp = "Airlines, airport operators and other air-service companies";
        assert_eq!(
            named(icp, &[Logistics, Airlines], Airlines, "Airlines"),
            Some(1.0)
        );
        assert_eq!(
            named(
                icp,
                &[Logistics, Airlines],
                Logistics,
                "Airports & Air Services"
            ),
            Some(1.0)
        );
        let icp = "Staffing agencies and professional services firms in Canada";
        let wanted = [Professional, Consulting, Staffing];
        assert_eq!(
            named(icp, &wanted, Professional, "Professional Services"),
            Some(1.0)
        );
        assert_eq!(
            named(icp, &wanted, Professional, "Specialty Business Services"),
            Some(0.0)
        );
        let icp = "Payment and lending companies: payment processors and consumer lenders";
        assert_eq!(
            named(icp, &[Payments, Lending], Payments, "Fintech / Payments"),
            Some(1.0)
        );
        // Not where the words modify another need: "specialty chemicals", "insurance brokers",
        // "hospital software".
        let icp = "Specialty chemicals makers and machinery makers";
        assert_eq!(
            named(icp, &[Chemicals, Machinery], Chemicals, "Chemicals"),
            Some(0.0)
        );
        let icp = "Insurance brokers and managing general agents";
        assert_eq!(
            named(icp, &[Insurance, InsuranceBrokers], Insurance, "Insurance"),
            None
        );
        // An ICP of one segment ranks its labels alike, as before.
        assert_eq!(
            named(
                "Professional services firms",
                &[Professional],
                Professional,
                "Professional Services"
            ),
            None
        );
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
