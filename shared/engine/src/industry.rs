//! Industry matching on the taxonomy of `taxonomy`: which segments a free text names (an ICP, an
//! excluded industry), and which segment a company belongs to (its label, else its tags).
//!
//! Texts are folded and tokenised (`&` reads "and", hyphens split words); a phrase matches a run
//! of tokens, each token allowing an inflection ending ("banks", "Versicherungen"); German
//! compounds are split (`german`), their last industry part deciding ("Logistiksoftware" is
//! software); ASCII umlaut spellings ("Rueckversicherer") match too. A phrase inside a longer
//! matched phrase does not count ("medical" inside "medical devices").
use super::german;
pub use super::taxonomy::{Industry, Segment, SEGMENTS};
use super::taxonomy::{
    COMPOSITE_LABELS, GENERIC_LABELS, GROUPS, LABEL_SYNONYMS, LABEL_TERMS, SYNONYMS, WITHIN,
};
use super::word_lists::{self, List};
use domain::normalize::fold;
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

thread_local! {
    /// The words the text being read writes as abbreviations (`with_abbreviations`), folded.
    static ABBREVIATED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Each word's compound parts as `compound_parts` read them while one text is read
    /// (`with_word_memo`); `None` outside such a reading.
    static WORD_PARTS: std::cell::RefCell<Option<WordMemo>> = const { std::cell::RefCell::new(None) };
}

/// Per reading mode (`german::reading_mode`), each word read in it and its parts.
type WordMemo = HashMap<(Option<bool>, bool), HashMap<String, Option<Vec<String>>>>;

/// Runs `f` reading each word's compound parts at most once per reading mode: a need, a list
/// item and the whole ICP are read from the same words, and a long ICP's needs re-read them
/// all (its cost is bounded by its distinct words, which its length bounds).
pub fn with_word_memo<R>(f: impl FnOnce() -> R) -> R {
    super::scoped::with(&WORD_PARTS, Some(HashMap::new()), f)
}

/// Runs `f` knowing which words of `texts` are written as abbreviations: two capitals or more
/// ("REITs", "E&P", "IPPs", "OEMs"). Reading folds case away, and a one-word parenthesis names
/// the need in its word's place only where it is one (`definition`): "Immobilien-
/// Investmentgesellschaften (REITs)" asks for REITs, "Softwareanbieter (Banken)" for software.
pub fn with_abbreviations<R>(texts: &[&str], f: impl FnOnce() -> R) -> R {
    let abbreviated: Vec<String> = texts
        .iter()
        .flat_map(|t| t.split(|c: char| !(c.is_alphanumeric() || c == '&')))
        .filter(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 2)
        .map(fold)
        .collect();
    super::scoped::with(&ABBREVIATED, abbreviated, f)
}

/// Whether the text being read writes `word` (folded) as an abbreviation (`with_abbreviations`).
fn abbreviated(word: &str) -> bool {
    ABBREVIATED.with(|a| a.borrow().iter().any(|w| w == word))
}

mod domain_tech;
mod groups;
mod named;
mod needs;
pub use domain_tech::{domain_technology, is_vendor, DomainTechnology};
pub use groups::parted as parted_groups;
pub use named::{name_terms, named_labels, named_labels_termed, NamedLabels};
pub use needs::{needs, Needs};

impl Industry {
    fn segment(self) -> &'static Segment {
        &SEGMENTS[self as usize]
    }

    /// The segment's name in English.
    pub fn label(self) -> &'static str {
        self.segment().en
    }

    /// The segment's name in German.
    pub fn label_de(self) -> &'static str {
        self.segment().de
    }

    /// Segments named anywhere in a free text (a list of excluded industries, an ICP).
    pub fn mentioned_in(text: &str) -> Vec<Industry> {
        industries_of(&hits(&match_tokens(text)))
    }

    /// The segments the head (last) phrase of each item of a short list names: "Health
    /// insurance" is insurance, "Tobacco & Gambling" both.
    pub fn head_of(text: &str) -> Vec<Industry> {
        let mut out: Vec<Industry> = list_items(text)
            .iter()
            .flat_map(|item| {
                let all = hits(&match_tokens(item));
                let last = all.iter().map(|h| h.end).max();
                industries_of(
                    &all.into_iter()
                        .filter(|h| Some(h.end) == last)
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The segments an ICP asks for. Its definition (the text before a colon, without
    /// parentheses) decides when it names any: what follows are examples ("Aerospace contractors:
    /// aircraft components, military electronics"). Within that, the segments named before the
    /// first audience word ("software for banks" wants software, not banks), or every named one
    /// when the text starts with its audience; broad words only when nothing specific is named.
    pub fn wanted_in(icp: &str) -> Vec<Industry> {
        with_abbreviations(&[icp], || {
            let (asked, _) = split_negations(icp);
            Self::wanted_in_asked(&asked)
        })
    }

    /// `wanted_in` for a text whose negations are already taken out (`split_negations`).
    pub fn wanted_in_asked(icp: &str) -> Vec<Industry> {
        let definition = definition(icp);
        if definition.len() < icp.trim().len() {
            let wanted = Self::wanted_in_asked(&definition);
            if !wanted.is_empty() {
                return narrowed_by_examples(&definition, icp, wanted);
            }
        }
        let toks = english_tokens(match_tokens(icp));
        let all = hits(&toks);
        let audience = first_audience(&toks);
        let head: Vec<Hit> = all
            .iter()
            .filter(|h| audience.is_none_or(|a| h.start < a))
            .cloned()
            .collect();
        let named = if head.is_empty() { all } else { head };
        // An industry word before the customers served says whom, where the ICP names what it
        // wants otherwise ("banks focused on retail customers"); alone it stays the need.
        let (customers, others): (Vec<Hit>, Vec<Hit>) =
            named.into_iter().partition(|h| names_customers(&toks, h));
        let named = if others.is_empty() { customers } else { others };
        // A broad word beside specific ones qualifies them ("SaaS for finance and HR software",
        // "home health" among healthcare providers).
        let specific = heads_only(named.iter().filter(|h| !h.group).cloned().collect());
        industries_of(if specific.is_empty() {
            &named
        } else {
            &specific
        })
    }

    /// The segments an ICP names by a word of their own, not only by a broad word of
    /// `taxonomy::GROUPS` ("Healthcare companies" names none; "hospital operators" names
    /// healthcare providers): what an exclusion that names a segment must not remove.
    pub fn named_specifically(icp: &str) -> Vec<Industry> {
        let specific: Vec<Hit> = hits(&english_tokens(match_tokens(icp)))
            .into_iter()
            .filter(|h| !h.group)
            .collect();
        industries_of(&specific)
    }

    /// The segment of a company: its label when the taxonomy knows it or names a segment in it,
    /// else its tags, else the default of a generic label ("B2B"), else `Other`.
    pub fn classify(label: Option<&str>, tags: &[String]) -> Industry {
        Self::classify_with_source(label, tags).0
    }

    /// `classify`, and whether the company's own label named the segment (rather than its tags or
    /// a generic label's default): the stronger evidence.
    pub fn classify_with_source(label: Option<&str>, tags: &[String]) -> (Industry, bool) {
        let m = matcher();
        let key = label.map(|l| tokens(l).join(" "));
        // A generic label ("Financials") defers to the tags even where a segment lists it.
        let generic = key.as_ref().and_then(|k| m.generic.get(k)).copied();
        if generic.is_none() {
            if let Some(i) = key.as_ref().and_then(|k| m.labels.get(k)) {
                return (*i, true);
            }
            if let Some(i) = label.and_then(specific) {
                return (i, true);
            }
        }
        let from_tags = tags
            .iter()
            .filter(|t| !m.generic.contains_key(&tokens(t).join(" ")))
            .find_map(|t| {
                m.labels
                    .get(&tokens(t).join(" "))
                    .copied()
                    .or_else(|| specific(t))
            });
        (from_tags.or(generic).unwrap_or(Industry::Other), false)
    }

    /// The segment a company of this (primary) segment also belongs to by its own description
    /// (`taxonomy::WITHIN`): "Software" that describes itself as cybersecurity.
    pub fn also_in(self, description: &str) -> Option<Industry> {
        let toks = match_tokens(description);
        WITHIN
            .iter()
            .filter(|(_, hosts)| hosts.contains(&self))
            .map(|(segment, _)| *segment)
            .find(|segment| {
                let m = matcher();
                m.phrases
                    .iter()
                    .filter(|p| !p.group && p.industries == [*segment])
                    .any(|p| {
                        toks.windows(p.tokens.len())
                            .any(|w| w.iter().zip(&p.tokens).all(|(t, w)| tok_eq(t, w)))
                    })
            })
    }

    /// Segments that share a broad word (`taxonomy::GROUPS`) with any of these, without them:
    /// where a discovery looks when the wanted segments hold too few companies.
    pub fn related(wanted: &[Industry]) -> Vec<Industry> {
        let mut out: Vec<Industry> = GROUPS
            .iter()
            .filter(|(_, members)| members.iter().any(|m| wanted.contains(m)))
            .flat_map(|(_, members)| members.iter().copied())
            .filter(|m| !wanted.contains(m))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The partitions to read for these segments: their own and those of their hosts.
    pub fn reach(wanted: &[Industry]) -> Vec<Industry> {
        let mut out: Vec<Industry> = wanted
            .iter()
            .flat_map(|w| {
                let hosts = WITHIN
                    .iter()
                    .filter(move |(s, _)| s == w)
                    .flat_map(|(_, hosts)| hosts.iter().copied());
                std::iter::once(*w).chain(hosts)
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The segments a label spanning several of them names (`taxonomy::COMPOSITE_LABELS`).
    pub fn composite_of(label: Option<&str>) -> Option<&'static [Industry]> {
        let key = tokens(label?).join(" ");
        COMPOSITE_LABELS
            .iter()
            .find(|(l, _)| tokens(l).join(" ") == key)
            .map(|(_, segments)| *segments)
    }

    /// A stable short key used in catalog partition keys.
    pub fn key(self) -> String {
        format!("{self:?}").to_ascii_lowercase()
    }
}

/// In "logistics software" the last word names what is wanted (software), as in German compounds;
/// but in "cybersecurity software" the first names a kind of the second (`taxonomy::WITHIN`) and
/// is the more precise. Hits that touch are read that way; others are all kept.
/// A definition that names its segments only by a broad word ("Energy producers", of oil, gas &
/// energy and utilities) says which of them by its examples ("Energy producers: oil and gas
/// explorers, refiners, coal and uranium producers" wants oil and gas, not power utilities): the
/// broad word's segments the examples name by a word of their own, where they name any.
/// Examples marked as such ("e.g.", "such as", "z. B.") only illustrate, and never narrow.
fn narrowed_by_examples(definition: &str, icp: &str, wanted: Vec<Industry>) -> Vec<Industry> {
    const MARKERS: &[&[&str]] = &[
        &["e", "g"],
        &["eg"],
        &["for", "example"],
        &["for", "instance"],
        &["such", "as"],
        &["including"],
        &["like"],
        &["z", "b"],
        &["zb"],
        &["zum", "beispiel"],
        &["beispielsweise"],
        &["etwa"],
        &["wie"],
        &["u", "a"],
        &["unter", "anderem"],
    ];
    let broad_only = hits(&english_tokens(match_tokens(definition)))
        .iter()
        .all(|h| h.group);
    if !broad_only || wanted.len() < 2 {
        return wanted;
    }
    // The examples: after the definition's colon or dash, to the end of that sentence, not the
    // partner's own offer in a later one.
    let Some(after) = icp.find([':', '\u{2013}', '\u{2014}']).map(|at| &icp[at..]) else {
        return wanted;
    };
    let examples = after.split(['.', '!', '?', ';']).next().unwrap_or(after);
    let toks = match_tokens(examples);
    if MARKERS.iter().any(|m| {
        toks.windows(m.len())
            .any(|w| w.iter().zip(*m).all(|(t, m)| t == m))
    }) {
        return wanted;
    }
    let named: Vec<Industry> = industries_of(&heads_only(
        hits(&english_tokens(toks))
            .into_iter()
            .filter(|h| !h.group)
            .collect(),
    ))
    .into_iter()
    .filter(|i| wanted.contains(i))
    .collect();
    if named.is_empty() {
        wanted
    } else {
        named
    }
}

fn heads_only(hits: Vec<Hit>) -> Vec<Hit> {
    let within = |inner: &[Industry], outer: &[Industry]| {
        WITHIN
            .iter()
            .any(|(s, hosts)| inner.contains(s) && hosts.iter().any(|h| outer.contains(h)))
    };
    let mut drop = vec![false; hits.len()];
    for (i, left) in hits.iter().enumerate() {
        for (j, right) in hits.iter().enumerate() {
            if left.end == right.start && left.industries != right.industries {
                if within(&left.industries, &right.industries) {
                    drop[j] = true;
                } else {
                    drop[i] = true;
                }
            }
        }
    }
    hits.into_iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(h, _)| h)
        .collect()
}

/// Words that rule out what follows them in a clause ("No airlines", "keine Makler").
static NEGATIONS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Negations));
/// Words that end a negation's reach ("not airlines but airports").
static CONTRASTS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Contrasts));
/// Words that rule out their own clause, or their sentence when the ICP says more elsewhere
/// ("Mining companies are excluded").
static EXCLUDING: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Excluding));
static QUALIFIERS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Qualifiers));
/// Words that join the items of a list.
static LIST_WORDS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::ListWords));

/// Words partners shorten with a full stop ("inkl.", "bzw."): the stop ends no sentence.
pub static ABBREVIATIONS: LazyLock<&[&str]> =
    LazyLock::new(|| word_lists::words(List::Abbreviations));

/// Two-letter words that end sentences as often as any word: the places partners name last ("in
/// the US and the UK. Banks are excluded.").
const SHORT_SENTENCE_ENDS: [&str; 3] = ["uk", "us", "eu"];

/// Sentences of a folded text: a full stop ends one only after a word of three letters or more
/// that is no abbreviation (`ABBREVIATIONS`), or one of `SHORT_SENTENCE_ENDS`, and before a
/// space, so "e.g.", "z.B." and "inkl." do not.
fn sentences(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut letters = 0;
    let mut word_at = 0;
    let bytes: Vec<(usize, char)> = folded.char_indices().collect();
    for (k, (at, c)) in bytes.iter().enumerate() {
        let next_is_space = bytes.get(k + 1).is_none_or(|(_, n)| n.is_whitespace());
        let ends = match c {
            ';' | '!' | '?' | '\n' => true,
            '.' => {
                let word = folded[word_at..*at].trim_end_matches(|c: char| !c.is_alphanumeric());
                next_is_space
                    && if letters >= 3 {
                        !ABBREVIATIONS.contains(&word)
                    } else {
                        letters == 2 && SHORT_SENTENCE_ENDS.contains(&word)
                    }
            }
            _ => false,
        };
        if c.is_alphanumeric() && letters == 0 {
            word_at = *at;
        }
        // A closing parenthesis or quote keeps the word before it: "(HL7/FHIR). We want ..."
        // ends a sentence as "HL7/FHIR. We want ..." does.
        letters = if c.is_alphanumeric() {
            letters + 1
        } else if matches!(
            c,
            ')' | ']' | '"' | '\u{201c}' | '\u{201d}' | '\u{ab}' | '\u{bb}'
        ) {
            letters
        } else {
            0
        };
        if ends {
            out.push(&folded[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    if start < folded.len() {
        out.push(&folded[start..]);
    }
    out
}

/// Words of a text with their byte offsets; hyphens stay inside words ("no-code" is no "no").
fn words_at(text: &str) -> Vec<(usize, &str)> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect()
}

/// Whether these words say one of a list's entries; an entry of several words ("out of scope")
/// is said by those words in a row.
fn says(words: &[(usize, &str)], list: &[&str]) -> bool {
    list.iter().any(|entry| {
        let parts: Vec<&str> = entry.split(' ').collect();
        words
            .windows(parts.len())
            .any(|w| w.iter().zip(&parts).all(|((_, a), b)| a == b))
    })
}

/// Words by which the partner speaks of itself as a clause's subject ("we", "our", "wir",
/// "unsere").
static FIRST_PERSON: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::FirstPerson));
/// Verbs by which the partner says what it sells or does ("We sell ...", "Wir bieten ...").
static OFFERING: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Offering));
/// Words by which a clause the partner speaks in says whom it looks for ("we focus on", "unsere
/// Zielgruppe").
static SEEKING: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Seeking));

/// Where the partner's own offer begins in a sentence, if it speaks of one: the first clause (from
/// the last comma, dash or full stop before it) whose subject is the partner ("We sell crew rostering
/// software", "Unser Produkt ist eine App", ", da wir dort wachsen"), to the sentence's end. Such
/// a clause describes the seller, not the customers wanted, unless it says whom the partner looks
/// for and sells nothing ("in the US we focus on OEMs", "Händler sind nicht unsere Zielgruppe").
fn offer_at(sentence: &str) -> Option<usize> {
    let words = words_at(sentence);
    let bounds = [',', '\u{2013}', '\u{2014}', ':', '.'];
    for (at, w) in &words {
        if !FIRST_PERSON.contains(w) {
            continue;
        }
        let start = sentence[..*at].rfind(bounds).map_or(0, |b| {
            b + sentence[b..].chars().next().map_or(1, char::len_utf8)
        });
        let end = sentence[*at..]
            .find(bounds)
            .map_or(sentence.len(), |e| at + e);
        let clause: Vec<(usize, &str)> = words
            .iter()
            .copied()
            .filter(|(a, _)| (start..end).contains(a))
            .collect();
        let offers = clause.iter().any(|(_, w)| OFFERING.contains(w));
        // A clause saying whom the partner looks for stays; a later one may still be its offer
        // ("Wir suchen Banken, die wir mit Software beliefern").
        if !offers && says(&clause, &SEEKING) {
            continue;
        }
        return Some(start);
    }
    None
}

/// A negation that ends its clause ("Unterhaltungselektronik interessiert uns nicht",
/// "Werbeagenturen bitte nicht", "Game studios are not relevant for us"): what follows it up to
/// the clause's end is at most a few words that name no industry, and the clause before it,
/// without a relative clause or qualifier ("Banks that are not listed"), is what is ruled out.
/// The byte range of that clause, if the negation at `i` ends it.
fn negated_before(
    sentence: &str,
    words: &[(usize, &str)],
    i: usize,
) -> Option<(usize, usize, usize)> {
    const TAIL: usize = 3;
    let (at, w) = words[i];
    let end = sentence[at..]
        .find([',', ';', '.', '(', '\u{2013}', '\u{2014}'])
        .map_or(sentence.len(), |e| at + e);
    let tail = &sentence[at + w.len()..end];
    if words_at(tail).len() > TAIL || !Industry::mentioned_in(tail).is_empty() {
        return None;
    }
    // The clause ends at the negation's, and begins after the sentence's last comma or dash
    // outside parentheses before it.
    let before = &sentence[..at];
    let mut depth = 0usize;
    // Where each clause before the negation begins, outside parentheses.
    let mut starts = vec![0];
    for (k, c) in before.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ':' | '\u{2013}' | '\u{2014}' if depth == 0 => starts.push(k + c.len_utf8()),
            _ => {}
        }
    }
    let start = starts[starts.len() - 1];
    if !names_an_industry(&sentence[start..at]) {
        return ruled_out_with_relative(sentence, &starts, at)
            .map(|(from, until)| (from, until, end));
    }
    let clause = &sentence[start..at];
    let clause_words = words_at(clause);
    // A German article before an industry's name is its genitive ("Ausrüster der Netzbetreiber":
    // the carriers' suppliers), no relative clause.
    // At the clause's start the article is a relative pronoun ("Softwareanbieter, die Banken
    // nicht beliefern").
    let genitive = |k: usize| {
        k > 0
            && ["der", "die", "das"].contains(&clause_words[k].1)
            && clause_words
                .get(k + 1)
                .is_some_and(|(_, next)| names_an_industry(next))
    };
    if clause_words.is_empty()
        || clause_words
            .iter()
            .enumerate()
            .any(|(k, (_, w))| QUALIFIERS.contains(w) && !genitive(k))
    {
        return None;
    }
    Some((start, at, end))
}

/// A negation whose own clause only says that the partner does not want something ("suchen wir
/// nicht", "are not for us"), after a noun and its relative clause: "Netzwerkausrüster, die die
/// Carrier beliefern, suchen wir nicht" rules out the network-equipment makers, not the carriers
/// they supply. The byte range of that noun's clause, if the sentence says so; `starts` are where
/// the clauses before the negation at `at` begin.
fn ruled_out_with_relative(sentence: &str, starts: &[usize], at: usize) -> Option<(usize, usize)> {
    const SAYING: usize = 4;
    let [.., head, relative, own] = starts else {
        return None;
    };
    let own_words = words_at(&sentence[*own..at]);
    let pronoun = words_at(&sentence[*relative..*own])
        .first()
        .map(|(_, w)| *w);
    // A relative clause follows a comma, not a colon or dash.
    let head_text = sentence[*head..*relative].strip_suffix(',')?;
    let head_until = head + head_text.len();
    let head_words = words_at(head_text);
    (!own_words.is_empty()
        && own_words.len() <= SAYING
        && pronoun.is_some_and(|p| RELATIVE_PRONOUNS.contains(&p))
        && names_an_industry(head_text)
        && !head_words.iter().any(|(_, w)| QUALIFIERS.contains(w)))
    .then_some((*head, head_until))
}

/// Whether a folded text names an industry or a label, in its own words or in English
/// ("Netzwerkausrüster": network equipment).
fn names_an_industry(text: &str) -> bool {
    if !Industry::mentioned_in(text).is_empty() || !termed_labels(text).is_empty() {
        return true;
    }
    let english = in_english(text);
    !Industry::mentioned_in(&english).is_empty() || !termed_labels(&english).is_empty()
}

/// Words that begin a relative clause after a comma.
const RELATIVE_PRONOUNS: [&str; 10] = [
    "die", "der", "das", "welche", "welcher", "deren", "dessen", "that", "which", "who",
];

/// An ICP split into what it asks for (folded) and the items it rules out ("Not airports,
/// aircraft lessors or ground handling companies" rules out three). What the partner says of its
/// own offer (`offer_at`) is neither: it names what the partner sells, not whom it sells to. Only
/// where nothing else names an industry does it stay, as the ICP's only reading.
pub fn split_negations(icp: &str) -> (String, Vec<String>) {
    let folded = fold(icp);
    let all: Vec<&str> = sentences(&folded)
        .into_iter()
        .map(|s| self_described_until(s).map_or(s, |from| &s[from..]))
        .collect();
    let mut offered = false;
    let own: Vec<String> = all
        .iter()
        .map(|s| match offer_at(s) {
            Some(at) => {
                offered = true;
                match seeking_after_offer(s, at) {
                    Some(from) => format!("{} {}", &s[..at], without_seeking(&s[from..])),
                    None => s[..at].to_string(),
                }
            }
            None => s.to_string(),
        })
        .collect();
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    let (asked, ruled_out) = negations_of(&own);
    if offered && Industry::wanted_in_asked(&asked).is_empty() {
        // An ICP that says nothing but its offer asks for whom the partner sells to ("We sell
        // scheduling software to operators of care facilities: ..."), where it says so.
        let told: Vec<String> = all
            .iter()
            .map(|s| match offer_at(s) {
                Some(at) => match audience_at(&s[at..]) {
                    Some(to) => format!("{} {}", &s[..at], &s[at + to..]),
                    None => s[..at].to_string(),
                },
                None => s.to_string(),
            })
            .collect();
        let told: Vec<&str> = told.iter().map(String::as_str).collect();
        let (asked, ruled_out) = negations_of(&told);
        if !Industry::wanted_in_asked(&asked).is_empty() {
            return (asked, ruled_out);
        }
        return negations_of(&all);
    }
    (asked, ruled_out)
}

/// Where a sentence that opens with the partner describing itself in the third person says whom
/// it seeks ("IT-Dienstleister für die Luftfahrt sucht Kunden: Airlines ...", "Payroll vendor
/// looking for new clients: ..."): after the colon that closes "sucht Kunden". What comes before
/// says what the seller is, not whom it wants.
fn self_described_until(sentence: &str) -> Option<usize> {
    const VERBS: [&str; 7] = [
        "sucht", "suchen", "seeks", "seeking", "looking", "looks", "wants",
    ];
    const CUSTOMERS: [&str; 9] = [
        "kunden",
        "zielkunden",
        "neukunden",
        "abnehmer",
        "auftraggeber",
        "customers",
        "clients",
        "buyers",
        "prospects",
    ];
    let colon = sentence.find(':')?;
    let words = words_at(&sentence[..colon]);
    let (last, before) = words.split_last()?;
    if !CUSTOMERS.contains(&last.1) {
        return None;
    }
    // The verb is at most three words before the customers ("is looking for new clients"), and
    // the seller is named before it.
    let verb = before
        .iter()
        .rev()
        .take(3)
        .position(|(_, w)| VERBS.contains(w))?;
    (verb + 1 < before.len()).then_some(colon + 1)
}

/// Where an offer clause goes on to say whom the partner seeks, joined by "and" ("Wir bieten
/// Cloud-Hosting und wollen CTOs von Firmen erreichen, die Software für Kliniken entwickeln",
/// "We sell X and want to reach Y"): from that "and" on, the sentence says who is wanted, as a
/// sentence of its own would. `None` where the offer says no such thing.
fn seeking_after_offer(sentence: &str, offer: usize) -> Option<usize> {
    // Verbs of seeking, not the nouns of `SEEKING` ("Kunden" after an offer are its users).
    const NOUNS: [&str; 8] = [
        "customers",
        "clients",
        "buyers",
        "prospects",
        "kunden",
        "zielkunden",
        "zielgruppe",
        "interested",
    ];
    const REACH: usize = 4;
    let words = words_at(&sentence[offer..]);
    let verb = words.iter().position(|(_, w)| OFFERING.contains(w))?;
    let and = (verb + 1..words.len()).find(|&i| {
        matches!(words[i].1, "and" | "und")
            && words[i + 1..]
                .iter()
                .take(REACH)
                .any(|(_, w)| SEEKING.contains(w) && !NOUNS.contains(w))
    })?;
    Some(offer + words[and].0)
}

/// A clause that says whom the partner seeks without its words of seeking and the "and" that
/// joins it ("and want to reach software vendors": "software vendors"): they name no one, and
/// the "to" of "want to reach" is no audience.
fn without_seeking(clause: &str) -> String {
    let mut out = String::with_capacity(clause.len());
    let mut after_seeking = false;
    for (i, piece) in clause.split_inclusive(' ').enumerate() {
        let word = piece.trim_matches(|c: char| !c.is_alphanumeric());
        let seeking = SEEKING.contains(&word);
        let dropped = seeking
            || (i == 0 && matches!(word, "and" | "und"))
            || (after_seeking && matches!(word, "to" | "zu"));
        after_seeking = seeking || (after_seeking && matches!(word, "to" | "zu"));
        if !dropped {
            out.push_str(piece);
        } else if piece.contains(',') {
            out.push_str(", ");
        }
    }
    out
}

/// Where the customers of an offer clause begin: after the first word after its offering verb
/// that names whom the offer goes to ("to", "for", "an", "für").
fn audience_at(clause: &str) -> Option<usize> {
    const TO: &[&str] = &["to", "for", "an", "fur"];
    let words = words_at(clause);
    let verb = words.iter().position(|(_, w)| OFFERING.contains(w))?;
    words[verb + 1..]
        .iter()
        .find(|(_, w)| TO.contains(w))
        .map(|(at, w)| at + w.len())
}

/// A sentence that rules something out after a dash, split at its last dash (a spaced hyphen
/// too; "50–500" is no dash between clauses): the clause before it when it names an industry
/// and rules nothing out, and the rest, when that still names something once its words of ruling
/// out are gone ("Banks – excluded" rules out the banks).
fn asked_before_dash(sentence: &str) -> Option<(&str, &str)> {
    const SAYING_NOTHING: [&str; 10] = [
        "both",
        "all",
        "everything",
        "yes",
        "no",
        "beide",
        "alle",
        "alles",
        "bitte",
        "ja",
    ];
    let (at, dash) = sentence.char_indices().rev().find(|&(k, c)| match c {
        '\u{2013}' | '\u{2014}' => !sentence[..k].ends_with(|p: char| p.is_ascii_digit()),
        '-' => sentence[..k].ends_with(' ') && sentence[k + 1..].starts_with(' '),
        _ => false,
    })?;
    let (before, after) = (&sentence[..at], &sentence[at + dash.len_utf8()..]);
    let names = !Industry::mentioned_in(&in_english(before)).is_empty();
    let names_something = words_at(&without_excluding(after))
        .iter()
        .any(|(_, w)| !SAYING_NOTHING.contains(w));
    (names && names_something && !rules_out(before) && rules_out(after)).then_some((before, after))
}

/// Verdicts among `EXCLUDING` that rule out only where they close their clause: "Retail banks
/// are out." does, "firms whose trucks are out on the road" and "ERP systems that don't fit
/// their processes" do not.
const VERDICTS: [&str; 8] = [
    "are out",
    "is out",
    "don t fit",
    "doesn t fit",
    "do not fit",
    "does not fit",
    "don t interest us",
    "doesn t interest us",
];

/// Whether a text says one of `EXCLUDING`, a verdict only where it closes its clause (but for
/// "for us", "here", "either").
fn rules_out(text: &str) -> bool {
    const TAIL: [&str; 5] = ["for", "us", "here", "either", "too"];
    let words = words_at(text);
    EXCLUDING.iter().any(|entry| {
        let parts: Vec<&str> = entry.split(' ').collect();
        words.windows(parts.len()).any(|run| {
            let said = run.iter().zip(&parts).all(|((_, a), b)| a == b);
            said && (!VERDICTS.contains(entry) || {
                let (at, last) = run[run.len() - 1];
                let rest = &text[at + last.len()..];
                let clause = rest
                    .find([',', ';', '.', ':', '(', ')', '\u{2013}', '\u{2014}'])
                    .map_or(rest, |end| &rest[..end]);
                words_at(clause).iter().all(|(_, w)| TAIL.contains(w))
            })
        })
    })
}

/// `split_negations` over these sentences.
fn negations_of(all: &[&str]) -> (String, Vec<String>) {
    negations_within(all, 0)
}

/// How many negations after the first one sentence is read for ("Speditionen; Broker ohne LKW
/// nicht, Banken auch nicht"): a bound, so that a text of thousands costs no deeper recursion.
const LATER_NEGATIONS: usize = 4;

/// `negations_of`, `depth` negations into a sentence already.
fn negations_within(all: &[&str], depth: usize) -> (String, Vec<String>) {
    let saying = all
        .iter()
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .count();
    let mut asked = String::new();
    let mut ruled_out: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for sentence in all.iter().copied() {
        let mut words = words_at(sentence);
        if rules_out(sentence) {
            // "Solar park operators – module makers excluded": what a dash ends, naming an
            // industry and ruling nothing out, is asked; only what follows is ruled out.
            let sentence = match asked_before_dash(sentence) {
                Some((before, after)) => {
                    asked.push_str(before);
                    asked.push(' ');
                    words = words_at(after);
                    after
                }
                None => sentence,
            };
            if saying > 1 {
                ruled_out.push(without_excluding(sentence).into());
                asked.push(' ');
            } else {
                for clause in sentence.split_inclusive(',') {
                    if rules_out(clause) {
                        ruled_out.push(without_excluding(clause).into());
                    } else {
                        asked.push_str(clause);
                    }
                }
            }
            continue;
        }
        let negation = words.iter().enumerate().find(|(i, (at, w))| {
            NEGATIONS.contains(w)
                && !listed_alone(sentence, *at, w.len())
                && without_in_ruled_out(sentence, &words, *i).is_none()
                && !words
                    .get(i + 1)
                    .is_some_and(|(_, next)| ["only", "nur", "just"].contains(next))
        });
        let Some((i, (at, w))) = negation else {
            asked.push_str(sentence);
            continue;
        };
        if let Some((start, until, end)) = negated_before(sentence, &words, i) {
            asked.push_str(&sentence[..start]);
            asked.push(' ');
            // What follows the clause may rule out more ("..., Banken auch nicht").
            let rest = &sentence[end..];
            if depth < LATER_NEGATIONS && end > 0 {
                let (rest_asked, rest_out) = negations_within(&[rest], depth + 1);
                asked.push_str(&rest_asked);
                ruled_out.extend(rest_out.into_iter().map(std::borrow::Cow::Owned));
            } else {
                asked.push_str(rest);
            }
            // "Brokers without own trucks are not relevant" rules out the brokers, not trucks.
            let until = words
                .iter()
                .enumerate()
                .filter(|(_, (a, _))| (start..until).contains(a))
                .find(|(k, _)| without_in_ruled_out(sentence, &words, *k).is_some())
                .map_or(until, |(_, (a, _))| *a);
            ruled_out.push(sentence[start..until].into());
            continue;
        }
        let from = at + w.len();
        let until = words[i + 1..]
            .iter()
            .find(|(_, w)| CONTRASTS.contains(w))
            .map_or(sentence.len(), |(a, _)| *a);
        asked.push_str(&sentence[..*at]);
        asked.push(' ');
        asked.push_str(&sentence[until..]);
        ruled_out.push(sentence[from..until].into());
    }
    let items = ruled_out.iter().flat_map(|t| list_items(t)).collect();
    (asked, items)
}

/// A "without" ("ohne") inside a clause that a later negation rules out ("Freight brokers without
/// their own trucks are not relevant", "Reine Frachtbroker ohne eigene LKW sind nicht relevant"):
/// it says which of the clause's companies are ruled out, and rules nothing out itself. The
/// later negation's clause (`negated_before`), if the word at `i` is such a "without".
fn without_in_ruled_out(
    sentence: &str,
    words: &[(usize, &str)],
    i: usize,
) -> Option<(usize, usize, usize)> {
    let (at, w) = words[i];
    if !["without", "ohne"].contains(&w) {
        return None;
    }
    (i + 1..words.len())
        .filter(|&j| NEGATIONS.contains(&words[j].1))
        .find_map(|j| negated_before(sentence, words, j))
        .filter(|(start, until, _)| *start < at && at < *until)
}

/// Whether the word at `at` (of `len` bytes) stands alone as an item of a list, between commas,
/// slashes or parentheses ("Nordics (SE, NO, DK, FI)": Norway's code, no negation): a negation
/// says what it rules out after it, never a list item on its own.
fn listed_alone(sentence: &str, at: usize, len: usize) -> bool {
    let before = sentence[..at].trim_end().chars().next_back();
    let after = sentence[at + len..].trim_start().chars().next();
    matches!(before, Some(',' | '(' | '/')) && matches!(after, Some(',' | ')' | '/'))
}

/// A ruled-out text without the words that rule it out (`EXCLUDING`), each made a list break:
/// "Leave out brokers and agencies" rules out "brokers" and "agencies", not "leave out brokers";
/// "Reine Onlinehändler raus" rules out "reine onlinehandler".
fn without_excluding(text: &str) -> String {
    let words = words_at(text);
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut i = 0;
    while i < words.len() {
        let said = EXCLUDING.iter().find_map(|entry| {
            let parts: Vec<&str> = entry.split(' ').collect();
            let run = words.get(i..i + parts.len())?;
            run.iter()
                .zip(&parts)
                .all(|((_, a), b)| a == b)
                .then_some(parts.len())
        });
        match said {
            Some(n) => {
                let (at, _) = words[i];
                let (last, w) = words[i + n - 1];
                out.push_str(&text[from..at]);
                out.push(',');
                from = last + w.len();
                i += n;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[from..]);
    out
}

/// The items of a short list ("Tobacco & Gambling", "airports, aircraft lessors or ground
/// handling"), folded; fragments too short to name anything are dropped.
pub fn list_items(text: &str) -> Vec<String> {
    let folded = fold(text).replace('&', " and ");
    let mut listed = String::with_capacity(folded.len());
    for word in folded.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric());
        if LIST_WORDS.contains(&bare) {
            listed.push(',');
        } else {
            listed.push_str(word);
        }
    }
    listed
        .split([',', '(', ')', '/', '.', ';', ':', '!', '?'])
        .map(|i| i.trim().to_string())
        .filter(|i| i.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .collect()
}

/// What an ICP asks for in its own words, folded and tokenised: its definition (`definition`)
/// where that names a segment, else the whole text, up to its first audience word (`AUDIENCE`):
/// "Hotel groups and restaurant chains (operators)" all of it, "Media companies: publishers, game
/// studios" the media companies, "Software for estate agents" the software.
pub(crate) fn asked_part(icp: &str) -> String {
    let def = definition(icp);
    let text = if def.len() < icp.trim().len() && !Industry::mentioned_in(&def).is_empty() {
        def
    } else {
        icp.to_string()
    };
    let toks = match_tokens(&text);
    toks[..first_audience(&toks).unwrap_or(toks.len())].join(" ")
}

/// Where the first audience word (`AUDIENCE`: "for", "to", "serving"...) of these tokens stands.
/// "up to 500 employees" and "for 10 years" name no audience.
fn first_audience(toks: &[String]) -> Option<usize> {
    let number = |i: usize| {
        toks.get(i)
            .is_some_and(|t| t.chars().all(|c| c.is_ascii_digit()))
    };
    toks.iter().enumerate().position(|(i, t)| {
        is_audience(toks, i) && !number(i + 1) && !(t == "to" && i > 0 && toks[i - 1] == "up")
    })
}

/// Whether the token at `i` is an audience word (`AUDIENCE`), or German "an" naming whom
/// something goes to ("Software an Krankenhäuser verkaufen", "an die Autoindustrie"): only in a
/// German text (English "an" is the article) and not before a dative article, which places
/// ("an der Ostküste", "an der Börse notiert").
pub(crate) fn is_audience(toks: &[String], i: usize) -> bool {
    let Some(t) = toks.get(i) else {
        return false;
    };
    AUDIENCE.contains(&t.as_str())
        || (t == "an"
            && !toks
                .get(i + 1)
                .is_some_and(|n| matches!(n.as_str(), "der" | "dem"))
            && german::reads_german_by(|| toks.join(" ")))
}

/// The text before its first colon, or a dash that opens examples as a colon does ("Automobil-
/// zulieferer in Japan – Antriebsstrang, Elektronik, Reifen"), without parenthesised asides. A
/// parenthesis of one word right after a longer word is no aside but the abbreviation that word
/// goes by (`named_in_parenthesis`): where it says a segment ("Immobilien-Investmentgesellschaften
/// (REITs)", "Förderung (E&P)") it is read in the word's place, as the term of art for what the
/// ICP means (the compound alone reads as investment companies). A longer word in parentheses
/// spells out the one before it ("REITs (Immobilien-Investmentfonds)") and stays an aside.
fn definition(icp: &str) -> String {
    let mut out = String::with_capacity(icp.len());
    let mut depth = 0usize;
    let mut skip_to = 0;
    for (at, c) in icp.char_indices() {
        if at < skip_to {
            continue;
        }
        match c {
            '(' if depth == 0 => {
                let kept = out.trim_end().len();
                // After the character found, whatever its length ("„", "»").
                let word_at = out[..kept]
                    .char_indices()
                    .rfind(|(_, c)| !(c.is_alphanumeric() || *c == '-' || *c == '\''))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                let word_len = out[word_at..kept].chars().count();
                match named_in_parenthesis(icp, at) {
                    Some((name, end))
                        if name.chars().count() < word_len
                            && abbreviated(name)
                            && names_anew(name, &out) =>
                    {
                        out.truncate(word_at);
                        out.push_str(name);
                        out.push(' ');
                        skip_to = end;
                    }
                    _ => depth += 1,
                }
            }
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => break,
            '\u{2013}' | '\u{2014}' if depth == 0 && opens_examples(icp, at) => break,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Whether the dash at byte `at` opens examples as a colon does ("Automobilzulieferer in Japan –
/// Antriebsstrang, Elektronik"): spaced on both sides, and not going on with a list's joint
/// ("Banken – und Versicherungen –" is an aside). A dash between numbers ("50–500") or closing a
/// compound's first part ("Maschinen– und Anlagenbauer") is none.
fn opens_examples(icp: &str, at: usize) -> bool {
    let before = icp[..at].chars().next_back();
    let after = &icp[at..];
    let rest = after.char_indices().nth(1).map_or("", |(i, _)| &after[i..]);
    let next_word = rest
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    before.is_some_and(char::is_whitespace)
        && rest.starts_with(char::is_whitespace)
        && !LIST_WORDS.contains(&next_word)
}

/// Whether an abbreviation names a segment that the words before it do not name already: in
/// "Real estate investment trusts (REITs)" the words say it themselves, and their phrase stays.
fn names_anew(name: &str, before: &str) -> bool {
    let named = Industry::mentioned_in(name);
    if named.is_empty() {
        return false;
    }
    // Only the item it follows: a whole prefix per parenthesis grew with the square of the text.
    let item = before
        .rfind([',', ';', '.', ':'])
        .map_or(before, |i| &before[i + 1..]);
    let already = Industry::mentioned_in(item);
    named.iter().any(|s| !already.contains(s))
}

/// The one word in the parenthesis opening at byte `open` when it directly follows a word, and
/// the byte after the parenthesis: an abbreviation or another name of that word's thing
/// ("(REITs)", "(E&P)", "(3PL)"). A parenthesis of several words, or after punctuation, is an
/// aside.
fn named_in_parenthesis(text: &str, open: usize) -> Option<(&str, usize)> {
    let before = text[..open].trim_end();
    if !before.ends_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let rest = &text[open + 1..];
    let close = rest.find([')', '(', '[', ']'])?;
    if !rest[close..].starts_with(')') {
        return None;
    }
    let word = rest[..close].trim();
    let is_word = word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '&' | '-' | '\''));
    is_word.then_some((word, open + 1 + close + 1))
}

/// An excluded value that gives an abbreviation and what it stands for, one in parentheses
/// ("E&P-Unternehmen (Exploration & Produktion)", "Exploration and production (E&P)",
/// "Independent power producers (IPPs)"), read as the side with the abbreviation alone: the term
/// of art names the trade, while the spelled-out words one by one name others ("Produktion" is
/// manufacturing). `None` for a value without such a pair.
pub fn abbreviation_alone(value: &str) -> Option<String> {
    let open = value.find('(')?;
    let close = open + value[open..].find(')')?;
    let inside = &value[open + 1..close];
    let outside = format!("{} {}", &value[..open], &value[close + 1..]);
    let (abbreviated, spelled) = if initials(inside) == abbreviation_letters(&outside) {
        (outside.as_str(), inside)
    } else if initials(&outside) == abbreviation_letters(inside) {
        (inside, outside.as_str())
    } else if inside.split_whitespace().count() == 1
        && !abbreviation_letters(inside).is_empty()
        && german::reads_german(&fold(&outside))
    {
        // An abbreviation alone in parentheses, of German words ("Explorations- und
        // Förderunternehmen (E&P)"), whose initials need not spell it.
        (inside, outside.as_str())
    } else {
        return None;
    };
    // Initials of one word are no spelling out ("Banken (B)"). The abbreviation must be the
    // term of art for a sub-industry ("E&P", "IPPs") whose labels say the spelled-out words, or
    // German ones ("Exploration & Produktion"), and the spelled-out side no catalog label of its
    // own ("Equity Real Estate Investment Trusts (REITs)" is that label, not all REITs). "Private
    // Equity (PE)" and "Public administration (PA)" are read by their words.
    let spelled_words = tokens(spelled);
    let german = german::reads_german(&fold(spelled));
    // A word of the label's own, not a joining one ("and").
    let says = |w: &String| w.len() > 3 && spelled_words.contains(w);
    let term_of_art = exclusions_of(abbreviated).iter().any(|e| match e {
        Exclusion::Part { labels, .. } => labels.iter().any(|l| german || l.iter().any(says)),
        Exclusion::Label { words, .. } => german || words.iter().any(says),
        _ => false,
    });
    (initials(spelled).len() >= 2
        && term_of_art
        && !is_label(&compound_parts(spelled_words.clone())))
    .then(|| abbreviated.trim().to_string())
}

/// The letters of the first abbreviation in a text: a run of capitals, joined by "&" or not,
/// with a plural "s" ("E&P", "IPPs", "REITs"), or a folded word the partner wrote so
/// (`with_abbreviations`: "oems" of "Keine Fahrzeughersteller (OEMs)"); empty when it has none.
fn abbreviation_letters(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find_map(|w| {
            let stem = w.strip_suffix('s').unwrap_or(w);
            let capitals = stem.chars().filter(char::is_ascii_uppercase).count();
            let written = capitals >= 2 && stem.chars().all(|c| c.is_ascii_uppercase() || c == '&');
            (written || (!w.is_empty() && abbreviated(&fold(w)))).then(|| {
                stem.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
        })
        .unwrap_or_default()
        .to_lowercase()
}

/// The first letters of a text's words but its small ones ("Exploration & Produktion": "ep").
fn initials(text: &str) -> String {
    const SMALL: [&str; 8] = ["and", "und", "of", "von", "the", "der", "die", "for"];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !SMALL.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words after which an ICP names its customers' industries, not its own.
static AUDIENCE: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Audience));

/// The trade a role phrase names: a role word, "of" ("von"), and the goods or services, up to the
/// words for whom the firms sell to (`AUDIENCE`): "Suppliers of network equipment to carriers" is
/// the network equipment; the carriers are their customers, no trade excluded. Folded; `None` for
/// a value that is no such phrase.
pub fn role_object(value: &str) -> Option<String> {
    let bare = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let folded = fold(value);
    let mut words = folded.split_whitespace();
    let role = bare(words.next()?);
    if !(ROLE_WORDS.contains(&role.as_str()) || is_role_word(&role)) {
        return None;
    }
    if !matches!(words.next()?, "of" | "von") {
        return None;
    }
    let object: Vec<&str> = words
        .take_while(|w| !AUDIENCE.contains(&bare(w).as_str()))
        .collect();
    let object = object.join(" ");
    object.chars().any(char::is_alphanumeric).then_some(object)
}

/// The trade a "suppliers to" phrase names: "Suppliers to the oil industry", "Zulieferer der
/// Ölindustrie" are the firms that equip and serve that industry, which the labels call its
/// equipment and services ("Oil & Gas Equipment & Services"), not the industry itself. In
/// English, folded; `None` for a value that is no such phrase or names no industry after it.
pub fn supplied_trade(value: &str) -> Option<String> {
    const SUPPLIERS: [&str; 4] = ["supplier", "suppliers", "outfitter", "outfitters"];
    const TO: [&str; 6] = ["to", "for", "fur", "der", "des", "of"];
    const ARTICLES: [&str; 6] = ["the", "die", "den", "der", "des", "dem"];
    const TRADE: [&str; 6] = [
        "industry",
        "industries",
        "industrial",
        "sector",
        "branche",
        "industrie",
    ];
    let english = tokens(&in_english(&fold(value)));
    // "Zulieferer" reads "parts supplier" (`german_english.tsv`): a supplier all the same.
    let english = match english.as_slice() {
        [parts, supplier, ..] if parts == "parts" && SUPPLIERS.contains(&supplier.as_str()) => {
            &english[1..]
        }
        _ => &english[..],
    };
    let (role, rest) = english.split_first()?;
    let (to, rest) = rest.split_first()?;
    // "Suppliers of network equipment" names what they supply (`role_object`); only "of the"
    // names whom they supply.
    let of_whom = to != "of" || rest.first().is_some_and(|w| w == "the");
    if !SUPPLIERS.contains(&role.as_str()) || !TO.contains(&to.as_str()) || !of_whom {
        return None;
    }
    let object: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .skip_while(|w| ARTICLES.contains(w))
        .filter(|w| !TRADE.contains(w))
        .collect();
    let object = object.join(" ");
    (!object.is_empty() && !supplied_segments(value, &object).is_empty())
        .then(|| format!("{object} equipment and services"))
}

/// The segments a "suppliers to" value's object names: in its English reading, else as the value
/// spells it ("Zulieferer der Netzbetreiber": "Netzbetreiber" is a German term of telecom whose
/// English reading "network operator" no term lists). The value's first two words (role word and
/// "to"/"der") are left out: "Zulieferer" alone names automotive suppliers.
fn supplied_segments(value: &str, object: &str) -> Vec<Industry> {
    let read = Industry::mentioned_in(object);
    if !read.is_empty() {
        return read;
    }
    let folded = fold(value);
    let spelled: Vec<&str> = folded.split_whitespace().skip(2).collect();
    Industry::mentioned_in(&spelled.join(" "))
}

/// The labels of the industry a "suppliers to" value names (`supplied_trade`) that name its
/// equipment ("Communications Equipment", "Networking & Communication Devices" for "Zulieferer
/// der Netzbetreiber"; "Oil & Gas Equipment & Services" for "Suppliers to the oil industry"):
/// the firms that equip an industry are what its suppliers are, whatever word the labels use
/// for the trade itself. Not for an industry that is equipment itself ("Suppliers to the
/// electrical equipment industry" are not its makers). Tokenised, with their synonyms.
pub fn supplied_equipment_labels(value: &str) -> Vec<Vec<String>> {
    const EQUIPMENT: [&str; 2] = ["equipment", "devices"];
    let Some(trade) = supplied_trade(value) else {
        return Vec::new();
    };
    let object = trade.trim_end_matches(" equipment and services");
    let mut out: Vec<Vec<String>> = Vec::new();
    let supplied = supplied_segments(value, object);
    for segment in SEGMENTS.iter().filter(|s| supplied.contains(&s.industry)) {
        let is_equipment = |text: &str| {
            tokens(text)
                .iter()
                .any(|w| EQUIPMENT.contains(&w.as_str()) || w == "device")
        };
        if is_equipment(segment.en) {
            continue;
        }
        // A label that joins the trade itself to its equipment ("Semiconductors & Semiconductor
        // Equipment", "Technology Hardware & Equipment") holds the industry's own firms too.
        let trade_itself = |label: &str| {
            label.split(['&', ',']).any(|part| {
                !is_equipment(part) && Industry::mentioned_in(part).contains(&segment.industry)
            })
        };
        for label in segment
            .labels
            .iter()
            .filter(|l| is_equipment(l) && !trade_itself(l))
        {
            let label = tokens(label);
            for l in std::iter::once(label.clone()).chain(label_synonyms(&label)) {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
    }
    out
}

/// The `excluded_industries` values that name no industry at all: reported back on the order
/// (`warnings`) instead of being silently ignored. Values are returned as the partner wrote them.
pub fn unmatched_exclusions(values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter(|v| {
            Industry::mentioned_in(v).is_empty()
                && !names_a_label(v)
                && sub_labels(v).is_none()
                && label_reading(&compound_parts(tokens(v)))
                    .is_none_or(|read| !names_something(&read))
        })
        .cloned()
        .collect()
}

/// What an excluded value, or one item of it, removes (`exclusions_of`).
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusion {
    /// The value names these segments: by their name or a part of it ("Banks", "Defense",
    /// "Öffentliche Verwaltung", "Rüstungsindustrie") or by a broad word ("Healthcare"). They go,
    /// with every company whose label or tags carry the words, unless the ICP names one of them
    /// itself (not only by a broad word: "Healthcare companies" without "Pharma" lose pharma);
    /// then only what the value names: the whole segment when the value is its whole name
    /// (`exact`: "Versicherungen"), else, when it is also a catalog label (`label`: "Banks" of
    /// "Banks - Regional"), only the companies labelled so, else those whose labels carry its words.
    Segments {
        segments: Vec<Industry>,
        words: Vec<String>,
        label: bool,
        exact: bool,
    },
    /// A catalog label, or a synonym of one ("Oil & Gas Refining & Marketing", "Mortgage REITs"
    /// for "REIT - Mortgage"), of these segments: the companies whose own label or a tag is that
    /// label or what it covers in another vocabulary (`label_synonyms`); and the segments
    /// themselves where the ICP does not ask for them at all.
    Label {
        words: Vec<String>,
        segments: Vec<Industry>,
    },
    /// Plain words: the companies whose label or tags carry them ("Refining", "Coal", "Oil and
    /// gas"); and the segments their head word names ("Health insurance": insurance; "Oil and
    /// gas": oil, gas & energy), unless the ICP names those itself.
    Words {
        words: Vec<String>,
        head: Vec<Industry>,
    },
    /// A sub-industry as partners write it (`sub_labels`: "Midstream", "Regionalbanken", "P&C
    /// insurers"): the labels it names, with what they cover in the other vocabularies, and the
    /// companies whose label or tags carry its words; nothing else of their segments.
    Part {
        labels: Vec<Vec<String>>,
        words: Vec<String>,
    },
    /// What a label carrying a value's words is called in the other vocabularies ("Energy
    /// Equipment & Services" for "Oilfield equipment suppliers", carried by "Oil & Gas Equipment
    /// & Services"): those labels alone, not what they cover in turn.
    Covered { labels: Vec<Vec<String>> },
}

/// How an excluded value excludes: read whole first, so that a label or a name with "&" in it
/// ("Oil & Gas Refining & Marketing", "Aerospace & Defense") stays one value; a list of several
/// ("Tobacco & Gambling") is read item by item. A German compound reads as its parts without
/// their role words ("Rüstungsindustrie" as "Rüstung", "Halbleiterhersteller" as "Halbleiter"),
/// unless the compound itself names a segment ("Versicherungsmakler").
pub fn exclusions_of(value: &str) -> Vec<Exclusion> {
    let words = compound_parts(tokens(value));
    if words.iter().all(|w| FILLER.contains(&w.as_str())) {
        return Vec::new();
    }
    let label = is_label(&words);
    let segments = named_segments(&words);
    if !segments.is_empty() {
        // A German maker of a segment's goods ("Fahrzeug-hersteller") names the makers, as
        // "vehicle manufacturers" does, not the segment's whole name its other part may be.
        let exact = segments.iter().any(|s| names_exactly(&words, *s)) && !names_makers(value);
        return vec![Exclusion::Segments {
            segments,
            words,
            label,
            exact,
        }];
    }
    if label {
        // A sub-industry's label leaves the rest of its segment, wanted or not.
        let segments = if sub_labels(value).is_some() {
            Vec::new()
        } else {
            label_segments(&words)
        };
        return vec![Exclusion::Label { segments, words }];
    }
    // A label written with a role word is that label (below).
    let a_label = label_reading(&words).is_some_and(|read| is_label(&read));
    if let Some(labels) = sub_labels(value).filter(|_| !a_label) {
        // Letters stay words of their own: "P&C insurers" is no phrase "insurers".
        let words = sub_label_units(value, false)
            .into_iter()
            .flat_map(|u| match u {
                Unit::Word(w) => vec![w],
                Unit::Letters(letters) => letters,
            })
            .collect();
        return vec![Exclusion::Part { labels, words }];
    }
    // An English compound no label carries whole ("Homebuilders"), read as its two words where
    // one label carries both ("Residential Construction" for "home builders").
    if let [word] = words.as_slice() {
        if let Some((head, rest)) = english_compound(word) {
            return exclusions_of(&format!("{head} {rest}"));
        }
    }
    if names_a_label(value) {
        return vec![Exclusion::Words {
            head: Industry::head_of(value),
            words,
        }];
    }
    // A value that names nothing as written ("Casino operators", "Oilfield equipment
    // suppliers", "Oil & Gas Refining & Marketing suppliers"): read as the labels read it,
    // without role words and with compounds by parts, before it is cut into items.
    if let Some((read, from)) = label_reading_from(&words) {
        let mut out = exclusions_of(&rejoined(&read, &from, &item_of_words(value)));
        // A label found so, carrying the words, goes with what it covers in the other
        // vocabularies ("Oil & Gas Equipment & Services" is GICS "Energy Equipment & Services");
        // a value that is a label has its own (`Exclusion::Label`). A label broader than the
        // words ("Oil, Gas & Consumable Fuels" for "oil producers") lends only what carries them
        // too: its coal and uranium are no oil.
        let mut covered: Vec<Vec<String>> = Vec::new();
        for label in label_tokens()
            .iter()
            .filter(|l| !is_label(&read) && phrase_in(&read, l))
            .flat_map(|l| {
                let whole = phrase_in(l, &read);
                let read = &read;
                label_synonyms(l)
                    .into_iter()
                    .filter(move |s| whole || phrase_in(read, s))
            })
        {
            if !covered.contains(&label) {
                covered.push(label);
            }
        }
        if !covered.is_empty() {
            out.push(Exclusion::Covered { labels: covered });
        }
        return out;
    }
    let items = list_items(value);
    if items.len() > 1 {
        return items.iter().flat_map(|i| exclusions_of(i)).collect();
    }
    vec![Exclusion::Words {
        head: Industry::head_of(value),
        words,
    }]
}

/// Whether a value's last word is a German compound of a role word for the makers or sellers
/// of what its first part names ("Fahrzeughersteller", "Reifenproduzenten", "Autozulieferer").
fn names_makers(value: &str) -> bool {
    const MAKERS: [&str; 8] = [
        "hersteller",
        "produzent",
        "erzeuger",
        "zulieferer",
        "lieferant",
        "anbieter",
        "handler",
        "betreiber",
    ];
    let folded = fold(value);
    let Some(last) = folded
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
    else {
        return false;
    };
    MAKERS.iter().any(|m| {
        last.len() > m.len() + 2
            && std::iter::once(last)
                .chain(german::ENDINGS.iter().filter_map(|e| last.strip_suffix(e)))
                .any(|w| w.ends_with(m))
    })
}

/// The catalog labels an excluded value names by a partner's word for them that no label
/// carries (`taxonomy::LABEL_TERMS`: "Alcohol", "Apotheken", "estate agents", "mREITs"), with what
/// they cover in the other vocabularies (`label_synonyms`), tokenised; empty when it names none.
/// A term is found as a run of the value's words (up to inflection, `same_word`), of its German
/// compounds' parts, or of its English reading; in a German value a term of 7+ letters also ends a
/// compound ("Versandapotheken"), or begins one whose rest is a role word ("Baumarktbetreiber").
pub fn termed_labels(value: &str) -> Vec<Vec<String>> {
    labels_of_terms(&terms_in(value, None))
}

/// The labels of these rows of `taxonomy::LABEL_TERMS`, with what they cover in the other
/// vocabularies, tokenised.
fn labels_of_terms(rows: &[usize]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for &row in rows {
        for label in LABEL_TERMS[row].0.iter().map(|l| tokens(l)) {
            for l in std::iter::once(label.clone()).chain(label_synonyms(&label)) {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
    }
    out
}

/// The labels a part of an ICP names by a partner's word (`termed_labels`), of those the whole
/// ICP names so (`Terms`): each need of a long ICP looks only for the terms found in the whole.
pub(crate) fn termed_labels_among(part: &str, whole: &Terms) -> Vec<Vec<String>> {
    if whole.rows.is_empty() {
        return Vec::new();
    }
    labels_of_terms(&terms_in(part, Some(&whole.rows)))
}

/// The rows of `taxonomy::LABEL_TERMS` a text names, and their labels (`termed_labels`).
pub(crate) struct Terms {
    rows: Vec<usize>,
    pub labels: Vec<Vec<String>>,
}

impl Terms {
    pub(crate) fn of(text: &str) -> Terms {
        let rows = terms_in(text, None);
        Terms {
            labels: labels_of_terms(&rows),
            rows,
        }
    }
}

/// The rows of `taxonomy::LABEL_TERMS` whose terms `value` carries (`termed_labels`), looking
/// only at the rows `among` where given.
fn terms_in(value: &str, among: Option<&[usize]>) -> Vec<usize> {
    const MIN_AFFIX: usize = 7;
    let m = matcher();
    let folded = fold(value);
    let raw = tokens(value);
    // A catalog label, also with a role word, names itself and what it covers
    // (`Exclusion::Label`), not its family: "Other Precious Metals & Mining" is no "precious
    // metals".
    let words = compound_parts(raw.clone());
    if is_label(&words) || label_reading(&words).is_some_and(|read| is_label(&read)) {
        return Vec::new();
    }
    let known = |w: &str| m.lexicon.contains(w) || german::is_part(w);
    let mut readings: Vec<Vec<String>> = vec![raw.clone(), words];
    let split: Vec<String> = raw
        .iter()
        .flat_map(|w| {
            german::split(w, &|p: &str| p != w && known(p)).unwrap_or_else(|| vec![w.clone()])
        })
        .collect();
    readings.push(split);
    if german::reads_german(&folded) {
        readings.push(tokens(&in_english(&folded)));
    }
    let role = |rest: &str| {
        let rest = rest.trim_start_matches(['s', '-']);
        german::HEADS.contains(&rest) || ROLE_WORDS.contains(&rest)
    };
    // "non-alcoholic", "alcohol-free", "ohne Alkohol" say the opposite of the term.
    let negated = |words: &[String], at: usize, len: usize| {
        (at > 0 && NOT_BEFORE.contains(&words[at - 1].as_str()))
            || words
                .get(at + len)
                .is_some_and(|w| NOT_AFTER.contains(&w.as_str()))
    };
    // A term is already the partner's word: inflection and synonyms only, no agent/trade pairs
    // ("invoice discounting" is no "discounters"), and a compound's end only in German, where
    // compounds are written whole ("safeguarding" is no "guarding").
    let term_word = |w: &str, t: &str| {
        tok_eq(w, t) || tok_eq(t, w) || same_word(w, t) && !agent_of(w, t) && !agent_of(t, w)
    };
    // The last word of a term of several, cut short as partners write it ("E-Com" for
    // "e-commerce"): the term's other words say it, the cut word begins the term's own.
    let clipped = |w: &str, t: &str| w.len() >= 3 && t.len() >= w.len() + 3 && t.starts_with(w);
    let german = german::reads_german(&folded);
    let found = |term: &[String]| {
        readings.iter().any(|words| {
            words.windows(term.len()).enumerate().any(|(at, run)| {
                let last = term.len() - 1;
                run.iter()
                    .zip(term)
                    .enumerate()
                    .all(|(k, (w, t))| term_word(w, t) || (k == last && k > 0 && clipped(w, t)))
                    && !negated(words, at, term.len())
            }) || (german
                && term.len() == 1
                && term[0].len() >= MIN_AFFIX
                && words.iter().any(|w| {
                    w.len() > term[0].len()
                        && (w.ends_with(term[0].as_str())
                            || w.strip_prefix(term[0].as_str()).is_some_and(role))
                }))
        })
    };
    // The terms tokenised once per process: this runs for every need of an ICP.
    static TERMS: LazyLock<Vec<Vec<Vec<String>>>> = LazyLock::new(|| {
        LABEL_TERMS
            .iter()
            .map(|(_, terms)| terms.iter().map(|t| tokens(t)).collect())
            .collect()
    });
    (0..TERMS.len())
        .filter(|row| among.is_none_or(|rows| rows.contains(row)))
        .filter(|&row| TERMS[row].iter().any(|t| found(t)))
        .collect()
}

/// Words before a label term that say the opposite ("non-alcoholic", "ohne Alkohol").
const NOT_BEFORE: &[&str] = &[
    "non", "not", "no", "without", "ohne", "kein", "keine", "nicht",
];
/// Words after a label term that say the opposite ("alcohol-free", "alkohol-frei").
const NOT_AFTER: &[&str] = &["free", "frei", "freie", "freien", "freier"];

/// A word no label carries, cut into two label words of 3+ letters that one label carries
/// together (`phrase_in`, synonyms included): "homebuilders" is "home" and "builders",
/// carried by "Residential Construction". `None` for a word with no such cut.
fn english_compound(word: &str) -> Option<(String, String)> {
    const MIN_PART: usize = 3;
    // Longer tokens are no words a partner writes (each cut scans the labels).
    const MAX_WORD: usize = 40;
    if !word.is_ascii() || !(2 * MIN_PART..=MAX_WORD).contains(&word.len()) || is_label_word(word) {
        return None;
    }
    (MIN_PART..=word.len() - MIN_PART).find_map(|cut| {
        let (head, rest) = word.split_at(cut);
        let pair = [head.to_string(), rest.to_string()];
        (is_label_word(head)
            && is_label_word(rest)
            && label_tokens().iter().any(|l| phrase_in(&pair, l)))
        .then(|| (pair[0].clone(), pair[1].clone()))
    })
}

/// One unit of a value read against labels (`sub_labels`): a word, or a run of single letters
/// ("P&C", "E&P") that a label spells out or abbreviates.
#[derive(Debug, Clone, PartialEq)]
enum Unit {
    Word(String),
    Letters(Vec<String>),
}

/// The catalog labels of a sub-industry a value names as partners write it: a part of a label
/// ("Midstream"), its words reordered or inflected ("Retail REITs", "regional banks"), a German
/// compound read in English ("Einzelhandels-REITs", "Gasversorger"), letters for its words
/// ("P&C insurers"), with role words ("makers", "-hersteller") and filler dropped. A label is
/// named when each of the value's words is one of its words, or names its segment ("insurers",
/// "software"), or, beside such a segment word, is a word no label or segment knows (the rest of
/// a German compound: "Schaden-"); and when one of them says which part of the segment it is (a
/// word not every label of the segment carries). `None` when no label is named so, or when the
/// value names every label of a segment (then it names the segment, `exclusions_of`). The labels
/// come with what they cover in the other vocabularies (`label_synonyms`), tokenised.
fn sub_labels(value: &str) -> Option<Vec<Vec<String>>> {
    // Items of a list ("Oil & Gas, Coal") name one thing each (`exclusions_of`).
    if match_tokens(value).iter().any(|t| t == ",") {
        return None;
    }
    // A label's own role words are its words ("Business Software & Services").
    let units = sub_label_units(value, is_label(&compound_parts(tokens(value))));
    let words: Vec<String> = units
        .iter()
        .filter_map(|u| match u {
            Unit::Word(w) => Some(w.clone()),
            Unit::Letters(_) => None,
        })
        .collect();
    // Read so, a segment's name names the segment ("Tobacco producers").
    if units.is_empty() || !named_segments(&words).is_empty() {
        return None;
    }
    let named_by = |w: &str| -> Vec<Industry> {
        phrase_hits(&[w.to_string()], 0)
            .into_iter()
            .filter(|h| !h.group)
            .flat_map(|h| h.industries)
            .collect()
    };
    // Letters stand for themselves where a label carries them ("E&P"), else for its words' initials.
    let literal = |letters: &[String]| label_tokens().iter().any(|l| spells(l, letters, false));
    let carried_by = |unit: &Unit, label: &[String]| match unit {
        Unit::Word(w) => label.iter().any(|t| same_word(t, w)),
        Unit::Letters(letters) => spells(label, letters, !literal(letters)),
    };
    // The labels named, and whether each carries every one of the value's words: only those
    // go with what they cover in the other vocabularies ("Energy Equipment & Services", named
    // by "oil equipment" through its segment's name, does not bring the drillers it covers).
    let mut named: Vec<(Vec<String>, bool)> = Vec::new();
    for segment in SEGMENTS.iter().filter(|s| s.industry != Industry::Other) {
        let labels: Vec<Vec<String>> = segment.labels.iter().map(|l| tokens(l)).collect();
        let name: Vec<String> = tokens(segment.en)
            .into_iter()
            .chain(tokens(segment.de))
            .collect();
        let in_name = |u: &Unit| matches!(u, Unit::Word(w) if name.iter().any(|n| same_word(n, w)));
        let names_segment =
            |u: &Unit| matches!(u, Unit::Word(w) if named_by(w).contains(&segment.industry));
        // A word naming the segment need not be the label's own where it is a word of the
        // segment's name ("software", "banks") or of none of its labels ("insurers", "mine");
        // one some labels carry says which of them ("generic" of "Generic drug makers").
        let what =
            |u: &Unit| names_segment(u) && (in_name(u) || !labels.iter().any(|l| carried_by(u, l)));
        let beside_segment_word = units.iter().any(names_segment);
        let mut of_segment: Vec<&Vec<String>> = Vec::new();
        for label in &labels {
            let fits = units.iter().all(|u| {
                carried_by(u, label)
                    || what(u)
                    || (beside_segment_word
                        && matches!(u, Unit::Word(w) if named_by(w).is_empty() && !is_label_word(w)))
            });
            let says_which = units.iter().any(|u| {
                carried_by(u, label) && !in_name(u) && !labels.iter().all(|l| carried_by(u, l))
            });
            if fits && says_which {
                of_segment.push(label);
            }
        }
        if of_segment.is_empty() {
            continue;
        }
        if of_segment.len() == labels.len() {
            return None;
        }
        named.extend(
            of_segment
                .into_iter()
                .map(|l| (l.clone(), units.iter().all(|u| carried_by(u, l)))),
        );
    }
    if named.is_empty() {
        return None;
    }
    let mut out: Vec<Vec<String>> = Vec::new();
    for label in named.iter().flat_map(|(l, whole)| {
        let covered = if *whole {
            label_synonyms(l)
        } else {
            Vec::new()
        };
        std::iter::once(l.clone()).chain(covered)
    }) {
        if !out.contains(&label) {
            out.push(label);
        }
    }
    Some(out)
}

/// A value's words for `sub_labels`: German parts in English in a German ICP ("regionalbanken":
/// regional, bank), without filler and (unless `keep_roles`) role words, runs of single letters
/// kept together.
fn sub_label_units(value: &str, keep_roles: bool) -> Vec<Unit> {
    let m = matcher();
    let german = german::reads_german(&fold(value));
    let known = |w: &str| m.lexicon.contains(w);
    let mut words: Vec<String> = Vec::new();
    for w in compound_parts(tokens(value)) {
        match german::english(&w, &known, german) {
            Some(english) => words.extend(english.iter().flat_map(|e| tokens(e))),
            None => words.push(w),
        }
    }
    // A German piece no table lists may be a label's word in German spelling ("Infrastruktur").
    if german {
        for w in words.iter_mut().filter(|w| !is_label_word(w)) {
            if let Some(c) = german::cognates(w).into_iter().find(|c| is_label_word(c)) {
                *w = c;
            }
        }
    }
    // An acronym written in capitals ("ISPs", "MSP") is its letters, the initials of a label's
    // words, where no label has it as a word ("REITs" is one).
    let acronyms: Vec<String> = value
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| {
            let bare = w.strip_suffix('s').unwrap_or(w);
            let capitals =
                (2..=5).contains(&bare.len()) && bare.chars().all(|c| c.is_ascii_uppercase());
            capitals.then(|| (fold(w), fold(bare)))
        })
        .filter(|(w, bare)| !is_label_word(w) && !is_label_word(bare))
        .map(|(w, _)| w)
        .collect();
    let mut units: Vec<Unit> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for w in words {
        if acronyms.contains(&w) {
            units.extend(letter_units(std::mem::take(&mut pending)));
            let bare = w.strip_suffix('s').unwrap_or(&w);
            units.push(Unit::Letters(bare.chars().map(String::from).collect()));
            continue;
        }
        let role = is_role_word(&w) || ROLE_WORDS.contains(&w.as_str());
        if !(filler(&w) || (role && !keep_roles)) {
            pending.push(w);
        }
    }
    units.extend(letter_units(pending));
    units
}

/// Words as `Unit`s: runs of single letters kept together ("p", "c" of "P&C"), filler dropped
/// ("and" of the "&" between them), every other word a unit of its own.
fn letter_units(words: impl IntoIterator<Item = String>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for w in words.into_iter().filter(|w| !filler(w)) {
        let letter = w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic());
        match units.last_mut() {
            Some(Unit::Letters(run)) if letter => run.push(w),
            _ if letter => units.push(Unit::Letters(vec![w])),
            _ => units.push(Unit::Word(w)),
        }
    }
    units
}

/// Whether a label's words, "and" and filler aside, hold these letters in a row: as words of
/// their own ("Oil & Gas E&P") or, with `initials`, as the first letters of words in a row
/// ("Insurance - Property & Casualty" for "P&C").
fn spells(label: &[String], letters: &[String], initials: bool) -> bool {
    spelled(label, letters, initials).is_some()
}

/// The words of `spells` that hold the letters (the first such run): "property", "casualty" of
/// "Insurance - Property & Casualty" for "P&C".
fn spelled<'a>(label: &'a [String], letters: &[String], initials: bool) -> Option<Vec<&'a String>> {
    let words: Vec<&String> = label.iter().filter(|t| !filler(t)).collect();
    let matches = |t: &String, l: &String| {
        if initials {
            t.len() > 1 && t.starts_with(l.as_str())
        } else {
            t == l
        }
    };
    words
        .windows(letters.len())
        .find(|w| w.iter().zip(letters).all(|(t, l)| matches(t, l)))
        .map(<[&String]>::to_vec)
}

/// A value's words as the catalog's labels would say them, when they name something so and
/// not as written: a role word ("makers", "operators", German "-hersteller") or the rest of a
/// compound that begins with a label's industry word ("oil" of "oilfield") counts only where a
/// label carries it with the value's other words: "Health care providers" keeps "providers"
/// ("Health Care Providers & Services"), "Medical device makers" reads "medical device".
/// `None` when nothing is dropped.
fn label_reading(words: &[String]) -> Option<Vec<String>> {
    label_reading_from(words).map(|(read, _)| read)
}

/// `label_reading`, with the index in `words` each read word comes from.
fn label_reading_from(words: &[String]) -> Option<(Vec<String>, Vec<usize>)> {
    read_by_labels(words, true).or_else(|| read_by_labels(words, false))
}

/// For each word of `compound_parts(tokens(value))`, the item of the value it stands in: items
/// are what punctuation separates ("Oil & Gas, Coal producers" has two), not "and", which
/// labels carry ("Oil & Gas Refining & Marketing").
fn item_of_words(value: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut item = 0;
    for t in match_tokens(value) {
        if t == "," {
            item += 1;
        } else {
            out.extend(std::iter::repeat_n(item, compound_parts(vec![t]).len()));
        }
    }
    out
}

/// Read words as a value again, a comma where the words they come from (`from`, indices into
/// the words `items` gives the item of) stand in different items: dropping a role word must not
/// make one item of several ("Oil & Gas, Coal producers" is oil and gas, and coal).
fn rejoined(read: &[String], from: &[usize], items: &[usize]) -> String {
    let mut out = String::new();
    let mut last: Option<usize> = None;
    for (w, i) in read.iter().zip(from) {
        let item = items.get(*i).copied();
        if !out.is_empty() {
            out.push_str(if item != last { ", " } else { " " });
        }
        out.push_str(w);
        last = item;
    }
    out
}

/// `label_reading_from`, cutting compounds or not.
fn read_by_labels(words: &[String], cut: bool) -> Option<(Vec<String>, Vec<usize>)> {
    let named = |w: &str| phrase_hits(&[w.to_string()], 0).iter().any(|h| !h.group);
    let mut core: Vec<String> = Vec::with_capacity(words.len());
    // The index in `words` of each word of `core`.
    let mut core_from: Vec<usize> = Vec::with_capacity(words.len());
    let mut optional: Vec<(usize, String, usize)> = Vec::new();
    let mut split = false;
    // A role word inside a taxonomy phrase is part of a name ("IT-Dienstleister", "hospital
    // operators"), not a role.
    let phrases = phrase_hits(words, 0);
    let in_phrase = |i: usize| {
        phrases
            .iter()
            .any(|h| h.end - h.start >= 2 && (h.start..h.end).contains(&i))
    };
    for (i, w) in words.iter().enumerate() {
        if (is_role_word(w) || ROLE_WORDS.contains(&w.as_str())) && !in_phrase(i) {
            optional.push((core.len(), w.clone(), i));
            continue;
        }
        match label_word_compound(w, &named).filter(|_| cut) {
            Some((head, rest)) => {
                split = true;
                core.push(head);
                core_from.push(i);
                optional.push((core.len(), rest, i));
            }
            None => {
                core.push(w.clone());
                core_from.push(i);
            }
        }
    }
    if optional.is_empty() {
        return None;
    }
    // An optional word stays where some label carries it with the others ("Independent Power
    // and Renewable Electricity Producers" for "Power producers").
    let mut out = core.clone();
    let mut from = core_from;
    for (at, w, i) in optional.iter().rev() {
        let mut with = core.clone();
        with.push(w.clone());
        if label_tokens().iter().any(|l| phrase_in(&with, l)) {
            out.insert(*at, w.clone());
            from.insert(*at, *i);
        }
    }
    let says_something = out.iter().any(|w| !filler(w));
    // A role word says nothing; a cut into a label word is trusted only where a label carries
    // that word with another of the value's ("Oil & Gas Equipment & Services" for "oilfield
    // equipment"): "Bankruptcy" alone is no bank.
    let trusted = !split
        || (out.iter().filter(|w| !filler(w)).count() >= 2
            && label_tokens().iter().any(|l| phrase_in(&out, l)));
    (says_something && trusted && out.as_slice() != words).then_some((out, from))
}

/// Whether words name a segment or a label, or a label carries them.
fn names_something(words: &[String]) -> bool {
    !named_segments(words).is_empty()
        || is_label(words)
        || label_tokens().iter().any(|l| phrase_in(words, l))
}

/// A word no label carries and no taxonomy phrase names, made of a label's industry word (one
/// the taxonomy reads as a segment) and a rest of 4+ letters that is no derivation ending:
/// "oilfield" is "oil" + "field", "mediation" is no "media" + "tion".
fn label_word_compound(w: &str, named: &dyn Fn(&str) -> bool) -> Option<(String, String)> {
    const MIN_HEAD: usize = 3;
    const MIN_REST: usize = 4;
    // Longer tokens are no words a partner writes (each cut scans the labels).
    const MAX_WORD: usize = 40;
    if !w.is_ascii()
        || !(MIN_HEAD + MIN_REST..=MAX_WORD).contains(&w.len())
        || named(w)
        || is_label_word(w)
    {
        return None;
    }
    (MIN_HEAD..=w.len() - MIN_REST).rev().find_map(|cut| {
        let (head, rest) = w.split_at(cut);
        let label_word = is_label_word(head);
        let derivation = rest.starts_with(['a', 'e', 'i', 'o', 'u', 'y'])
            || DERIVATIONS.iter().any(|d| rest.starts_with(d));
        (label_word && named(head) && !derivation).then(|| (head.to_string(), rest.to_string()))
    })
}

/// Every catalog label the taxonomy knows (its segments', generic and composite ones),
/// tokenised once: reading one excluded value compares it with each of them many times.
fn label_tokens() -> &'static [Vec<String>] {
    static LABELS: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
        SEGMENTS
            .iter()
            .flat_map(|s| s.labels.iter().copied())
            .chain(GENERIC_LABELS.iter().map(|(l, _)| *l))
            .chain(COMPOSITE_LABELS.iter().map(|(l, _)| *l))
            .map(tokens)
            .collect()
    });
    &LABELS
}

/// Whether some catalog label carries the word (`same_word`).
fn is_label_word(w: &str) -> bool {
    static WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        let mut words: Vec<&str> = label_tokens()
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    });
    WORDS.iter().any(|t| same_word(t, w))
}

/// English words for who a company is, after its industry words: labels carry few of them
/// ("Auto Manufacturers", "Health Care Providers & Services"), so where none carries one with
/// the value's other words it says nothing about the industry, as German `german::HEADS`.
static ROLE_WORDS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::RoleWords));

/// Consonant-initial English derivation endings: a word that is a label word and one of these
/// is a derivation ("mediation", "banking"), not a compound.
static DERIVATIONS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Derivations));

/// A value's words with each German compound of a role word ("-industrie", "-hersteller",
/// "-anbieter") that names no segment whole read as its other parts: the parts are what labels
/// carry (`taxonomy::SYNONYMS`: "rustung" is "defense").
fn compound_parts(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        match memoised_parts(&w) {
            Some(parts) => out.extend(parts),
            None => out.push(w),
        }
    }
    out
}

/// `word_parts`, read once per word and reading mode inside `with_word_memo`.
fn memoised_parts(w: &str) -> Option<Vec<String>> {
    let mode = german::reading_mode();
    let known = WORD_PARTS.with(|m| {
        m.borrow()
            .as_ref()
            .and_then(|m| m.get(&mode)?.get(w).cloned())
    });
    if let Some(parts) = known {
        return parts;
    }
    let parts = word_parts(w);
    WORD_PARTS.with(|m| {
        if let Some(m) = m.borrow_mut().as_mut() {
            m.entry(mode)
                .or_default()
                .insert(w.to_string(), parts.clone());
        }
    });
    parts
}

/// The parts of a German compound with a role word, without the role words (`compound_parts`);
/// `None` for a word that stays whole.
fn word_parts(w: &str) -> Option<Vec<String>> {
    let m = matcher();
    let whole = [w.to_string()];
    if !named_segments(&whole).is_empty() || is_label(&whole) {
        return None;
    }
    // Parts other than the word itself, which the taxonomy may list whole.
    let known = |p: &str| p != w && m.lexicon.contains(p);
    german::split(w, &known)
        .or_else(|| german::ascii_umlauts(w).and_then(|a| german::split(&a, &known)))
        // Only a compound with a role word: an English word that happens to split into
        // lexicon parts stays whole.
        .filter(|parts| parts.iter().any(|p| german::HEADS.contains(&p.as_str())))
        .map(|parts| {
            parts
                .into_iter()
                .filter(|p| !is_role_word(p))
                .collect::<Vec<_>>()
        })
        .filter(|parts| !parts.is_empty())
}

/// A German role word that labels do not carry ("-hersteller", "-industrie"); "-händler" is
/// a dealer and "-versorger" a utility (`taxonomy::SYNONYMS`).
fn is_role_word(part: &str) -> bool {
    german::HEADS.contains(&part) && !matcher().synonyms.contains_key(part)
}

/// For a value naming a segment the ICP asks for, the words or compound parts that say which
/// part of that segment it means ("Kohlebergbau" and "Uranium mining" from miners are coal and
/// uranium, "Lebensversicherer" and "Health insurers" from insurers life and health,
/// "Autohändler" from the automotive industry dealers), in English, with the kept segments the
/// other words name. `None` when no word names a kept segment, or nothing else is left.
pub fn narrowed(words: &[String], kept: &[Industry]) -> Option<(Vec<String>, Vec<Industry>)> {
    let m = matcher();
    // Words of labels (`taxonomy::SYNONYMS`: "uran") are parts too: "Uranbergbau".
    let lexical =
        |p: &str| m.lexicon.contains(p) || german::is_part(p) || m.synonyms.contains_key(p);
    // The kept segments a word names by a term, in English too ("finanzierer": lender), or as
    // a word of their name ("auto": automotive).
    let kept_by = |p: &String| -> Vec<Industry> {
        let english = german::english(p, &lexical, true).unwrap_or_default();
        let mut out: Vec<Industry> = std::iter::once(p)
            .chain(&english)
            .flat_map(|w| phrase_hits(std::slice::from_ref(w), 0))
            .flat_map(|h| h.industries)
            .chain(kept.iter().copied().filter(|s| {
                let s = s.segment();
                tokens(s.en)
                    .iter()
                    .chain(&tokens(s.de))
                    .any(|n| same_word(n, p))
            }))
            .filter(|s| kept.contains(s))
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let names_kept = |p: &String| !kept_by(p).is_empty();
    let mut out = Vec::with_capacity(words.len());
    let mut named: Vec<Industry> = Vec::new();
    for w in words {
        let known = |p: &str| p != w && lexical(p);
        let parts = german::split(w, &known)
            .or_else(|| german::ascii_umlauts(w).and_then(|a| german::split(&a, &known)));
        let Some(parts) = parts else {
            // A word of its own naming the kept segment ("mining" of "Uranium mining"): the
            // other words say which part of it. Where every word names it ("Mortgage lenders"
            // from lenders), the last is the head and the others say which part.
            let last = words.iter().rev().find(|o| !filler(o.as_str())) == Some(w);
            let others = words.iter().any(|o| o != w && !filler(o.as_str()));
            let all_kept = words.iter().filter(|o| !filler(o.as_str())).all(names_kept);
            if names_kept(w) && others && (!all_kept || last) {
                named.extend(kept_by(w));
            } else {
                out.push(w.clone());
            }
            continue;
        };
        let mut rest: Vec<String> = parts
            .iter()
            .filter(|p| !names_kept(p) && !is_role_word(p))
            .cloned()
            .collect();
        // Every part names the kept segment ("Goldminen", "Hypothekenfinanzierer"): the head
        // is the segment, the modifiers say which part of it.
        if rest.is_empty() && parts.last().is_some_and(names_kept) {
            rest = parts[..parts.len() - 1]
                .iter()
                .filter(|p| !is_role_word(p))
                .cloned()
                .collect();
        }
        if rest.len() < parts.len() && !rest.is_empty() && parts.iter().any(names_kept) {
            named.extend(
                parts
                    .iter()
                    .filter(|p| !rest.contains(p))
                    .flat_map(&kept_by),
            );
            out.extend(rest);
        } else {
            out.push(w.clone());
        }
    }
    if named.is_empty() || !out.iter().any(|w| !filler(w.as_str())) {
        return None;
    }
    named.sort();
    named.dedup();
    // Labels are English: a German part reads as its English word ("wasser": water).
    Some((english_tokens(out), named))
}

fn filler(w: &str) -> bool {
    FILLER.contains(&w)
}

/// `phrase_in`, where a label's word may also be a compound the value's word begins
/// ("health" in "Healthcare Plans", "oil" in "Oilfield Services"): what a part of a segment an
/// excluded value names (`icp::Icp::excluded_parts`) removes.
pub fn carried(phrase: &[String], label: &[String]) -> bool {
    let mut words = phrase.iter().filter(|w| !filler(w.as_str())).peekable();
    words.peek().is_some()
        && words.all(|w| {
            label.iter().any(|t| {
                same_word(t, w)
                    || (w.len() >= 4 && t.len() >= w.len() + 3 && t.starts_with(w.as_str()))
            })
        })
}

/// The segments whose catalog labels (or generic and composite labels) are these words.
fn label_segments(words: &[String]) -> Vec<Industry> {
    let is = |l: &str| same_label(words, &tokens(l));
    let mut out: Vec<Industry> = SEGMENTS
        .iter()
        .filter(|s| s.labels.iter().any(|l| is(l)))
        .map(|s| s.industry)
        .chain(
            GENERIC_LABELS
                .iter()
                .filter(|(l, _)| is(l))
                .map(|(_, i)| *i),
        )
        .chain(
            COMPOSITE_LABELS
                .iter()
                .filter(|(l, _)| is(l))
                .flat_map(|(_, members)| members.iter().copied()),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The catalog labels an excluded label covers in the other vocabularies
/// (`taxonomy::LABEL_SYNONYMS`), and the labels under it where it is a parent ("Fintech /
/// Payments" under "Fintech"), tokenised; the label itself is not listed.
pub fn label_synonyms(words: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = label_children(words);
    for (label, covered) in LABEL_SYNONYMS.iter() {
        if !same_label(words, &tokens(label)) {
            continue;
        }
        for other in covered.iter().map(|l| tokens(l)) {
            if !same_label(words, &other) && !out.contains(&other) {
                out.push(other);
            }
        }
    }
    out
}

/// The catalog labels written "parent / child" whose parent is these words ("Fintech / Payments",
/// "Fintech / Insurance" for "Fintech"), tokenised: a parent label covers its children.
fn label_children(words: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let raw = SEGMENTS
        .iter()
        .flat_map(|s| s.labels.iter().copied())
        .chain(GENERIC_LABELS.iter().map(|(l, _)| *l))
        .chain(COMPOSITE_LABELS.iter().map(|(l, _)| *l));
    for label in raw {
        let Some((parent, _)) = label.split_once(" / ") else {
            continue;
        };
        let child = tokens(label);
        if same_label(words, &tokens(parent)) && !out.contains(&child) {
            out.push(child);
        }
    }
    out
}

/// Whether removing this whole segment for this value says more than the value does: the value
/// is not the segment's name, and some of the segment's labels do not carry its words
/// ("Health insurance" removes every insurer; "Banks" and "Government" only what they name).
pub fn exclusion_is_broader(value: &str, segment: Industry) -> bool {
    let words = tokens(value);
    // A value read as the labels say it ("Tobacco producers" as "Tobacco") is judged so too.
    let read = label_reading(&compound_parts(words.clone()));
    !std::iter::once(&words).chain(&read).any(|words| {
        names_exactly(words, segment)
            || segment
                .segment()
                .labels
                .iter()
                .all(|l| phrase_in(words, &tokens(l)))
    })
}

/// Whether the words are the segment's whole English or German name (`same_label`: "Banks" for
/// "Banking", "Versicherungen").
pub fn names_exactly(words: &[String], segment: Industry) -> bool {
    let s = segment.segment();
    same_label(words, &tokens(s.en)) || same_label(words, &tokens(s.de))
}

/// The segments a value names by their English or German name, a part of it the taxonomy reads
/// as that segment ("Defense" of "Aerospace & defense", "Pharmaceuticals" of "Pharma & biotech"),
/// or a broad word of `taxonomy::GROUPS` ("Healthcare").
fn named_segments(words: &[String]) -> Vec<Industry> {
    let mentioned = Industry::mentioned_in(&words.join(" "));
    let names = |s: &Segment| {
        same_label(words, &tokens(s.en))
            || same_label(words, &tokens(s.de))
            || (mentioned.contains(&s.industry)
                && [s.en, s.de]
                    .iter()
                    .flat_map(|n| list_items(n))
                    .any(|part| same_label(words, &tokens(&part))))
    };
    let mut out: Vec<Industry> = SEGMENTS
        .iter()
        .filter(|s| names(s))
        .map(|s| s.industry)
        .chain(
            GROUPS
                .iter()
                .filter(|(broad, _)| broad.iter().any(|w| same_label(words, &tokens(w))))
                .flat_map(|(_, members)| members.iter().copied()),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether the words are a catalog label's, or a synonym's of one (`same_label`).
fn is_label(words: &[String]) -> bool {
    label_tokens().iter().any(|l| same_label(words, l))
}

/// Whether a phrase and a label have the same words, filler aside, up to inflection and the
/// synonyms of `taxonomy::SYNONYMS` ("Mortgage REITs" and "REIT - Mortgage", "Car & Truck
/// Dealerships" and "Auto & Truck Dealerships"): what an excluded label removes.
pub fn same_label(phrase: &[String], label: &[String]) -> bool {
    phrase_in(phrase, label) && phrase_in(label, phrase)
}

/// Whether every word of a phrase occurs in a company's industry label or in one of its tags
/// ("Tobacco" in "Food, Beverage & Tobacco", "Mortgage REITs" in "REIT - Mortgage"): exclusions
/// apply to the company's own words too.
pub fn label_mentions(phrase: &[String], label: Option<&str>, tags: &[String]) -> bool {
    label
        .into_iter()
        .chain(tags.iter().map(String::as_str))
        .any(|l| phrase_in(phrase, &tokens(l)))
}

/// Whether every word of a phrase (filler aside) occurs among one label's tokens (`tokens`):
/// `label_mentions` for a label tokenised in advance (`features::Features::labels`).
pub fn phrase_in(phrase: &[String], label: &[String]) -> bool {
    let mut words = phrase
        .iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .peekable();
    words.peek().is_some() && words.all(|w| label.iter().any(|t| same_word(t, w)))
}

/// Words an excluded value may carry that say nothing about the industry.
static FILLER: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::Filler));

/// Whether some source label of the taxonomy contains the value's words.
fn names_a_label(value: &str) -> bool {
    let phrase = tokens(value);
    SEGMENTS
        .iter()
        .flat_map(|s| s.labels)
        .any(|l| label_mentions(&phrase, Some(l), &[]))
}

/// The segment a label names most specifically: the longest non-group phrase in it, compounds
/// read by their head as in ICPs ("Logistics Software" is software).
fn specific(label: &str) -> Option<Industry> {
    heads_only(
        hits(&match_tokens(label))
            .into_iter()
            .filter(|h| !h.group)
            .collect(),
    )
    .into_iter()
    .max_by_key(|h| (h.end - h.start, std::cmp::Reverse(h.start)))
    .and_then(|h| h.industries.first().copied())
}

/// Folded word tokens: `&` reads "and", everything not alphanumeric separates.
pub fn tokens(text: &str) -> Vec<String> {
    super::text::words(&fold(text).replace('&', " and "))
        .map(String::from)
        .collect()
}

/// `tokens`, with a "," wherever punctuation separates words, so that no phrase spans it and
/// items of a list ("Banks, insurers") never read as one compound.
fn match_tokens(text: &str) -> Vec<String> {
    let folded = fold(text).replace('&', " and ");
    let mut out: Vec<String> = Vec::new();
    for piece in folded.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let word = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
        if !word.is_empty() {
            out.push(word.to_string());
        }
        if piece.ends_with([',', ';', ':', '/', '(', ')', '[', ']', '.', '!', '?'])
            && out.last().is_some_and(|l| l != ",")
        {
            out.push(",".to_string());
        }
    }
    out
}

/// Tokens with German words read as their English words (`german::english`), so a compound's
/// modifiers count as the English ones do ("Krankenhaussoftware" is "hospital software"); a word
/// the taxonomy names whole stays as it is.
fn english_tokens(toks: Vec<String>) -> Vec<String> {
    let m = matcher();
    let german = german::reads_german(&toks.join(" "));
    let known = |w: &str| m.lexicon.contains(w);
    let named = |t: &String| {
        let ascii = german::ascii_umlauts(t);
        std::iter::once(t).chain(ascii.as_ref()).any(|w| {
            phrase_hits(std::slice::from_ref(w), 0)
                .iter()
                .any(|h| h.end == 1)
        })
    };
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        match (!named(&t)).then(|| german::english(&t, &known, german)) {
            Some(Some(words)) => out.extend(without_broad_head(words)),
            _ => out.push(t),
        }
    }
    out
}

/// A German compound's English words without the broad words of `taxonomy::GROUPS` that
/// follow a modifier: German names a kind of a part by the words before it ("Netz-technik" is
/// network equipment, "Netztechnik-hersteller" its makers, "Umwelt-technik" environmental
/// engineering), so the modifier says which industry, not the broad word ("technology" would
/// want every technology segment, as "Technology companies" does).
fn without_broad_head(words: Vec<String>) -> Vec<String> {
    // Only words of several segments: "security" (cybersecurity alone) is no broad word.
    let broad = |w: &str| {
        GROUPS
            .iter()
            .any(|(group, segments)| segments.len() > 1 && group.contains(&w))
    };
    words
        .into_iter()
        .enumerate()
        .filter(|(i, w)| *i == 0 || !broad(w))
        .map(|(_, w)| w)
        .collect()
}

/// German words that join the items of a list, and the English word that says each.
const GERMAN_JOINERS: [(&str, &str); 4] = [
    ("und", "and"),
    ("sowie", "and"),
    ("oder", "or"),
    ("bzw", "or"),
];

/// A folded text with its German words in English (`german::english`): the terms a German ICP
/// ranks by are those of its English translation.
pub fn in_english(folded: &str) -> String {
    let m = matcher();
    let german = german::reads_german(folded);
    let known = |w: &str| m.lexicon.contains(w);
    // A German compound with a piece nobody listed still ranks by its known parts, and a word the
    // hand tables do not list by the dictionary's English.
    german::with_dictionary(|| {
        super::text::words(folded)
            .map(|w| {
                // The words that join a list read as the English ones, so that phrases across
                // them ("leisure and hospitality", "oil and gas") read as in English.
                let joiner = GERMAN_JOINERS
                    .iter()
                    .find(|(de, _)| german && *de == w)
                    .map(|(_, en)| vec![en.to_string()]);
                let read = joiner
                    .or_else(|| german::english(w, &known, german))
                    .or_else(|| {
                        german
                            .then(|| german::english_loose(w, &known, false))
                            .flatten()
                    })
                    .map_or_else(|| w.to_string(), |e| e.join(" "));
                // A German word the taxonomy lists as a segment's own ("Bremsbeläge",
                // "Molkerei"), alone or as a compound's part ("Gastgewerbe-unternehmen"), stays
                // itself, which names its segment, and ranks by the dictionary's English beside
                // it, as its English translation would. Not a word that names no segment by
                // itself ("Unternehmen", "Gruppe"): its senses are no industry's words.
                if !german {
                    return read;
                }
                let senses: Vec<String> = read
                    .split_whitespace()
                    .filter(|t| w.contains(*t) && german::is_listed(t, &known))
                    .filter(|t| !Industry::mentioned_in(t).is_empty())
                    .filter_map(|t| {
                        // The dictionary's word, else the word read by its parts as if the
                        // taxonomy did not list it ("Luxus-güter": luxury goods).
                        let sense: Vec<String> = german::dictionary_sense(t)
                            .or_else(|| german::english(t, &|_| false, true))?
                            .into_iter()
                            .filter(|e| e != t)
                            .collect();
                        (!sense.is_empty()).then(|| sense.join(" "))
                    })
                    .collect();
                if senses.is_empty() {
                    read
                } else {
                    format!("{read} {}", senses.join(" "))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// A folded German text's English reading (`in_english`) with each word or compound part that
/// reading leaves German read by the dictionary (`german::dictionary_sense`): the taxonomy lists
/// some German words as a segment's own ("Süßwaren" of food), so `in_english` keeps them as they
/// are and never names the label their English does ("confectionery": "Confectioners").
/// `None` where no part reads otherwise. For excluded values only (`icp::read_exclusion`).
pub fn in_english_by_dictionary(folded: &str) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = super::text::words(folded)
        .map(|w| {
            in_english(w)
                .split_whitespace()
                .map(|t| {
                    // A piece of the German word itself, which the English reading kept.
                    let sense = w
                        .contains(t)
                        .then(|| german::dictionary_sense(t))
                        .flatten()
                        .filter(|sense| sense.iter().any(|e| e != t));
                    match sense {
                        Some(sense) => {
                            changed = true;
                            sense.join(" ")
                        }
                        None => t.to_string(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// Folded words joined by single spaces (phrase search over labels and descriptions).
pub fn tokens_joined(text: &str) -> String {
    tokens(text).join(" ")
}

/// `token` is `word`, `word` with an inflection ending, or the singular of a plural `word`
/// ("service" for "services"); short words must match exactly.
fn tok_eq(token: &str, word: &str) -> bool {
    token == word
        || (word.len() >= 5
            && token.len() > word.len()
            && token.starts_with(word)
            && german::ENDINGS.contains(&&token[word.len()..]))
        || (token.len() >= 4 && word.strip_suffix('s') == Some(token))
}

/// Words equal up to an inflection ending, either way round ("REITs" and "REIT"), or synonyms in
/// labels (`taxonomy::SYNONYMS`: "car" and "auto"), or who does a trade and the trade
/// (`agent_of`: "Refiners" and "Refining").
fn same_word(a: &str, b: &str) -> bool {
    fn stem(w: &str) -> &str {
        w.strip_suffix('s').filter(|s| s.len() >= 3).unwrap_or(w)
    }
    let class = |w: &str| matcher().synonyms.get(w).copied();
    tok_eq(a, b)
        || tok_eq(b, a)
        || stem(a) == stem(b)
        || class(a).is_some_and(|c| class(b) == Some(c))
        || agent_of(a, b)
        || agent_of(b, a)
}

/// Whether an ICP's query term (`text::query_terms`, which stems a plural: "drinks" is "drink",
/// "breweries" "brewerie") and a label's word are synonyms (`taxonomy::SYNONYMS`), the term read
/// as the plural it stems where it is no synonym itself.
pub(super) fn stemmed_synonyms(term: &str, word: &str) -> bool {
    let m = matcher();
    let class = |w: &str| {
        m.synonyms
            .get(w)
            .or_else(|| m.synonym_stems.get(w))
            .copied()
    };
    class(term).is_some_and(|c| class(word) == Some(c))
}

/// Whether `agent` names who does the trade `trade` names: an English agent noun in "-er(s)"
/// beside the trade's "-ing" on the same stem of 4+ letters ("refiners" and "refining",
/// "lenders" and "lending", "marketers" and "marketing"), or beside the place of the trade in
/// "-ery" ("grocers" and "grocery", "distillers" and "distilleries"), as labels name trades
/// ("Oil & Gas Refining & Marketing", "Grocery Stores") and partners those who ply them.
fn agent_of(agent: &str, trade: &str) -> bool {
    const MIN_STEM: usize = 4;
    let doer = agent.strip_suffix('s').unwrap_or(agent);
    let Some(stem) = doer.strip_suffix("er").filter(|s| s.len() >= MIN_STEM) else {
        return false;
    };
    trade.strip_suffix("ing") == Some(stem)
        || trade
            .strip_suffix("ies")
            .or_else(|| trade.strip_suffix('y'))
            .is_some_and(|place| place == doer)
}

struct Phrase {
    tokens: Vec<String>,
    industries: Vec<Industry>,
    group: bool,
}

struct Matcher {
    labels: HashMap<String, Industry>,
    generic: HashMap<String, Industry>,
    phrases: Vec<Phrase>,
    /// The phrases by the `tok_key` of their first token, each list in the order of `phrases`.
    by_key: HashMap<Vec<u8>, Vec<usize>>,
    /// Single words of the taxonomy and German heads: the parts compounds split into.
    lexicon: HashSet<String>,
    /// A word's synonym class (its row in `taxonomy::SYNONYMS`).
    synonyms: HashMap<&'static str, usize>,
    /// The class of a synonym's plural without its "s", as query terms stem it ("drink" of
    /// "drinks", "brewerie" of "breweries"), where that stem is no synonym of its own.
    synonym_stems: HashMap<&'static str, usize>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut phrases: Vec<Phrase> = SEGMENTS
            .iter()
            .flat_map(|s| {
                s.terms.iter().map(|t| Phrase {
                    tokens: tokens(t),
                    industries: vec![s.industry],
                    group: false,
                })
            })
            .collect();
        phrases.extend(GROUPS.iter().flat_map(|(words, industries)| {
            words.iter().map(|w| Phrase {
                tokens: tokens(w),
                industries: industries.to_vec(),
                group: true,
            })
        }));
        let lexicon = phrases
            .iter()
            .filter(|p| p.tokens.len() == 1)
            .map(|p| p.tokens[0].clone())
            .chain(german::HEADS.iter().map(|h| h.to_string()))
            .collect();
        let mut by_key: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for (i, p) in phrases.iter().enumerate() {
            if let Some(first) = p.tokens.first() {
                by_key.entry(tok_key(first).to_vec()).or_default().push(i);
            }
        }
        Matcher {
            by_key,
            labels: SEGMENTS
                .iter()
                .flat_map(|s| s.labels.iter().map(|l| (tokens(l).join(" "), s.industry)))
                .collect(),
            generic: GENERIC_LABELS
                .iter()
                .map(|(l, i)| (tokens(l).join(" "), *i))
                .collect(),
            phrases,
            lexicon,
            synonyms: SYNONYMS
                .iter()
                .enumerate()
                .flat_map(|(i, class)| class.iter().map(move |w| (*w, i)))
                .collect(),
            synonym_stems: {
                let all: HashSet<&str> = SYNONYMS.iter().flat_map(|c| c.iter().copied()).collect();
                SYNONYMS
                    .iter()
                    .enumerate()
                    .flat_map(|(i, class)| {
                        class
                            .iter()
                            .filter_map(|w| w.strip_suffix('s').filter(|s| s.len() >= 4))
                            .map(move |s| (s, i))
                    })
                    .filter(|(s, _)| !all.contains(s))
                    .collect()
            },
        }
    })
}

/// A phrase found in a text, over tokens `start..end`.
#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    industries: Vec<Industry>,
    group: bool,
}

/// What two tokens equal by `tok_eq` have in common: their first `TOK_KEY` bytes, or the whole
/// token where it is shorter (such a token is `tok_eq` only to itself). `phrase_hits` looks up
/// only the phrases whose first token shares it, instead of trying every phrase at every token.
fn tok_key(token: &str) -> &[u8] {
    const TOK_KEY: usize = 4;
    let bytes = token.as_bytes();
    &bytes[..bytes.len().min(TOK_KEY)]
}

fn phrase_hits(toks: &[String], offset: usize) -> Vec<Hit> {
    let m = matcher();
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let Some(candidates) = m.by_key.get(tok_key(&toks[i])) else {
            continue;
        };
        for p in candidates.iter().map(|&c| &m.phrases[c]) {
            let n = p.tokens.len();
            if n > 0
                && i + n <= toks.len()
                && toks[i..i + n]
                    .iter()
                    .zip(&p.tokens)
                    .all(|(t, w)| tok_eq(t, w))
            {
                out.push(Hit {
                    start: offset + i,
                    end: offset + i + n,
                    industries: p.industries.clone(),
                    group: p.group,
                });
            }
        }
    }
    out
}

/// Every phrase of the text (also in its ASCII-umlaut spelling and inside compounds), without
/// those contained in a longer one.
/// Words that join two modifiers of one head ("machine and plant builders").
const MODIFIER_JOINS: &[&str] = &["and", "or", "und", "oder"];

/// Phrases a head shared by two joined modifiers makes with the first ("Machine and plant
/// builders" says "machine builders" and "plant builders"): a hit over the whole run, so that the
/// bare head ("builders") no longer counts on its own. Only where nothing in the modifiers names
/// an industry itself ("software and telecom providers" stays two needs), but for a first
/// modifier the phrase reads otherwise ("retail and regional banks" are retail banks and
/// regional banks, no retailers).
fn shared_heads(toks: &[String], found: &[Hit]) -> Vec<Hit> {
    const SECOND: usize = 2;
    let m = matcher();
    let mut out = Vec::new();
    for i in 0..toks.len().saturating_sub(2) {
        if !MODIFIER_JOINS.contains(&toks[i + 1].as_str()) || toks[i] == "," {
            continue;
        }
        for p in m.phrases.iter().filter(|p| p.tokens.len() >= 2) {
            if !tok_eq(&toks[i], &p.tokens[0]) {
                continue;
            }
            let rest = &p.tokens[1..];
            for k in (i + 3)..=(i + 2 + SECOND) {
                let Some(run) = toks.get(k..k + rest.len()) else {
                    break;
                };
                let second = &toks[i + 2..k];
                // The first modifier's own reading yields where the phrase reads it otherwise
                // ("retail" of "retail and regional banks"), and the second's own where it names
                // what the phrase does ("regional banks", "drugstore retail").
                let named_inside = found.iter().any(|h| {
                    h.start >= i
                        && h.start < k
                        && !(h.start == i && h.end == i + 1 && h.industries != p.industries)
                        && !(h.start > i && h.industries == p.industries)
                });
                if second
                    .iter()
                    .any(|t| t == "," || MODIFIER_JOINS.contains(&t.as_str()))
                    || named_inside
                {
                    break;
                }
                if run.iter().zip(rest).all(|(t, w)| tok_eq(t, w)) {
                    out.push(Hit {
                        start: i,
                        end: k + rest.len(),
                        industries: p.industries.clone(),
                        group: p.group,
                    });
                }
            }
        }
    }
    out
}

fn hits(toks: &[String]) -> Vec<Hit> {
    let m = matcher();
    let mut all = phrase_hits(toks, 0);
    let ascii: Vec<String> = toks
        .iter()
        .map(|t| german::ascii_umlauts(t).unwrap_or_else(|| t.clone()))
        .collect();
    if ascii != toks {
        all.extend(phrase_hits(&ascii, 0));
    }
    for (i, (t, a)) in toks.iter().zip(&ascii).enumerate() {
        if all.iter().any(|h| h.start == i && h.end == i + 1) {
            continue;
        }
        let known = |w: &str| m.lexicon.contains(w);
        let parts = german::split(t, &known).or_else(|| german::split(a, &known));
        if let Some(parts) = parts {
            // The last part that names an industry decides, as the head of a German compound;
            // generic heads ("-industrie", "-händler") only when nothing else does.
            let named = |p: &String| phrase_hits(std::slice::from_ref(p), 0).into_iter().next();
            let is_head = |p: &String| german::HEADS.contains(&p.as_str());
            let decisive = parts
                .iter()
                .rev()
                .filter(|p| !is_head(p))
                .find_map(named)
                .or_else(|| parts.iter().rev().find_map(named));
            if let Some(h) = decisive {
                all.push(Hit {
                    start: i,
                    end: i + 1,
                    ..h
                });
            }
        }
    }
    all.extend(shared_heads(toks, &all));
    let longer = |h: &Hit, o: &Hit| {
        o.start <= h.start && h.end <= o.end && (o.end - o.start) > (h.end - h.start)
    };
    // "Non-food retail" names the trade that is not food: a word after "non" names no industry
    // (a phrase that holds "non" itself, as a label's "Non-Alcoholic", still does).
    let negated = |h: &Hit| h.start > 0 && toks[h.start - 1] == "non";
    all.iter()
        .filter(|h| !negated(h) && !all.iter().any(|o| !negated(o) && longer(h, o)))
        .cloned()
        .collect()
}

/// Nouns for the customers a company serves (`names_customers`).
static CUSTOMER_NOUNS: LazyLock<&[&str]> = LazyLock::new(|| word_lists::words(List::CustomerNouns));

/// Whether a hit says whom the companies serve, not what they are: an industry word before a
/// customer noun that ends its phrase ("banks focused on retail customers", "retail and business
/// customers", "Privatkunden in den USA" read as "retail customer in den usa"). A singular noun
/// that goes on ("insurance customer experience software") is a modifier, and the industry counts.
fn names_customers(toks: &[String], h: &Hit) -> bool {
    let is_noun = |t: &String| CUSTOMER_NOUNS.contains(&t.as_str());
    // The noun right after the hit, or after "and"/"or" and one or two more modifiers.
    let at = if toks.get(h.end).is_some_and(is_noun) {
        h.end
    } else if toks
        .get(h.end)
        .is_some_and(|t| LIST_WORDS.contains(&t.as_str()))
    {
        let Some(at) = (h.end + 2..=h.end + 3).find(|&i| toks.get(i).is_some_and(is_noun)) else {
            return false;
        };
        let between_are_modifiers = toks[h.end + 1..at]
            .iter()
            .all(|t| t != "," && !AUDIENCE.contains(&t.as_str()) && !super::text::is_stop_word(t));
        if !between_are_modifiers {
            return false;
        }
        at
    } else {
        return false;
    };
    let noun = toks[at].as_str();
    let plural = noun.ends_with('s') || matches!(noun, "kunden" | "clientele");
    let ends = toks.get(at + 1).is_none_or(|t| {
        let t = t.as_str();
        t == ","
            || LIST_WORDS.contains(&t)
            || AUDIENCE.contains(&t)
            || QUALIFIERS.contains(&t)
            || super::text::is_stop_word(t)
    });
    plural || ends
}

fn industries_of(hits: &[Hit]) -> Vec<Industry> {
    let mut out: Vec<Industry> = hits.iter().flat_map(|h| h.industries.clone()).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    /// A German word the taxonomy lists as its segment's own keeps naming the segment and ranks
    /// by its English too ("Bremsbeläge": brake linings), in each inflection.
    #[test]
    fn a_german_word_the_taxonomy_lists_reads_in_english_beside_itself() {
        for icp in [
            "Produzenten von Bremsbelägen",
            "Bremsbeläge und Reifen aus Deutschland",
        ] {
            let english = german::in_language(true, || in_english(&fold(icp)));
            let words: Vec<&str> = english.split_whitespace().collect();
            assert!(words.contains(&"brake"), "{icp}: {english}");
            assert!(
                words.iter().any(|w| w.starts_with("bremsbelage")),
                "{icp}: {english}"
            );
        }
        // ...also as a compound's part.
        let part = german::in_language(true, || in_english(&fold("Sägewerksbetreiber in den USA")));
        assert!(
            part.contains("sagewerk") && part.contains("sawmill"),
            "{part}"
        );
        // An English text reads as it is.
        assert_eq!(in_english("brake pads"), "brake pads");
        // A word that names no segment by itself adds none of its senses.
        let firms = german::in_language(true, || in_english("unternehmen der chemieindustrie"));
        assert!(!firms.contains("venture"), "{firms}");
    }

    /// An abbreviation given with what it stands for is read as the abbreviation alone, either
    /// way round; a parenthesis that spells out nothing is left to the list reading.
    #[test]
    fn an_abbreviation_with_its_spelling_out_reads_as_the_abbreviation() {
        for (value, alone) in [
            (
                "E&P-Unternehmen (Exploration & Produktion)",
                Some("E&P-Unternehmen"),
            ),
            // English words the E&P label does not say are read as they are.
            ("Exploration and production (E&P)", None),
            ("Explorations- und Förderunternehmen (E&P)", Some("E&P")),
            ("Rüstung (EU)", None),
            ("Equity Real Estate Investment Trusts (REITs)", None),
            ("Private Equity (PE)", None),
            ("Banks and Insurers (B&I)", None),
            ("Public administration (PA)", None),
            ("Independent power producers (IPPs)", Some("IPPs")),
            // Both sides name the REITs; read as a list, as before.
            ("REITs (Real Estate Investment Trusts)", None),
            ("Rüstung (Waffen, Munition)", None),
            ("REITs (Immobilien-Investmentfonds)", None),
            ("Banken (B)", None),
            ("Tobacco", None),
            ("Tabak (", None),
        ] {
            // As an order reads them: German values in a German order.
            let german = german::reads_german(&fold(value)) || value.contains("Produktion");
            let read = german::in_language(german, || abbreviation_alone(value));
            assert_eq!(read.as_deref(), alone, "{value}");
        }
    }

    /// An offer that goes on to say whom the partner seeks keeps that part as what is asked,
    /// without its words of seeking; an offer that says no such thing is cut whole.
    #[test]
    fn an_offer_joined_to_whom_the_partner_seeks_keeps_the_sought() {
        let (asked, _) = split_negations(
            "Wir bieten Cloud-Hosting und wollen CTOs von Firmen erreichen, die Software für Krankenhäuser entwickeln.",
        );
        assert!(asked.contains("software fur krankenhauser"), "{asked}");
        assert!(
            !asked.contains("cloud") && !asked.contains("wollen"),
            "{asked}"
        );
        let (asked, _) = split_negations(
            "We sell cloud hosting and want to reach software vendors for hospitals.",
        );
        assert!(asked.contains("software vendors for hospitals"), "{asked}");
        assert!(!asked.contains(" to "), "{asked}");
        let (asked, _) = split_negations(
            "Banken in Deutschland. Wir bieten Cloud-Hosting und helfen Kunden bei der Migration.",
        );
        assert!(
            !asked.contains("kunden") && !asked.contains("cloud"),
            "{asked}"
        );
    }

    /// A sentence may rule out more after its first negated clause.
    #[test]
    fn a_later_negation_in_the_sentence_rules_out_too() {
        for icp in [
            "Speditionen; Broker ohne eigene LKW nicht, Banken auch nicht",
            "Freight forwarders; brokers are not relevant, banks neither, no insurers",
        ] {
            let (asked, out) = split_negations(icp);
            assert!(
                !Industry::wanted_in_asked(&asked).contains(&Banks),
                "{icp}: {asked}"
            );
            assert!(out.iter().any(|o| o.contains("ban")), "{icp}: {out:?}");
        }
    }

    /// A seller that describes itself before "sucht Kunden:" is not what it seeks.
    #[test]
    fn a_seller_seeking_customers_is_not_what_it_seeks() {
        for icp in [
            "IT-Dienstleister für Versicherer sucht Kunden: Krankenkassen und Lebensversicherer.",
            "Softwarehaus für den Handel sucht neue Kunden: Supermarktketten und Drogerien.",
            "Payroll software vendor looking for new clients: hotel chains and restaurant groups.",
        ] {
            let (asked, _) = split_negations(icp);
            assert!(
                !asked.contains("software") && !asked.contains("dienstleister"),
                "{icp}: {asked}"
            );
            assert!(!Industry::wanted_in(icp).is_empty(), "{icp}");
        }
        // Customers the partner names before the colon are what it seeks.
        let (asked, _) = split_negations("Banken als Kunden: Sparkassen und Volksbanken.");
        assert!(asked.contains("banken"), "{asked}");
    }

    /// An industry word before the customers a company serves says whom, not what is wanted.
    #[test]
    fn an_industry_word_before_a_customer_noun_names_the_customers() {
        for (text, wanted) in [
            ("Banks focused on retail customers", vec![Industry::Banks]),
            (
                "Banks with retail and business customers",
                vec![Industry::Banks],
            ),
            (
                "Regionalbanken, die Privatkunden in den USA bedienen",
                vec![Industry::Banks],
            ),
            ("Privatkundenbanken", vec![Industry::Banks]),
            // A singular noun that goes on is a modifier.
            (
                "Insurance customer experience software",
                vec![Industry::Insurance, Industry::Software],
            ),
        ] {
            let mut got = german::in_language(german::reads_german(&fold(text)), || {
                Industry::wanted_in(text)
            });
            got.sort();
            let mut wanted = wanted;
            wanted.sort();
            assert_eq!(got, wanted, "{text}");
        }
    }

    /// A word's parts read inside `with_word_memo` are those read outside it, in each reading
    /// mode, also when the same scope has read the word in another mode first.
    #[test]
    fn memoised_compound_parts_are_the_parts_read_afresh() {
        let words = || -> Vec<String> {
            [
                "Krankenhaussoftware",
                "Logistikdienstleister",
                "software",
                "Versicherer",
            ]
            .iter()
            .flat_map(|w| tokens(w))
            .collect()
        };
        let afresh = |german: bool| german::in_language(german, || compound_parts(words()));
        let dictionary = || german::with_dictionary(|| compound_parts(words()));
        let (de, en) = (afresh(true), afresh(false));
        let in_dictionary = german::in_language(true, dictionary);
        assert_ne!(de, words(), "the German reading splits compounds");
        with_word_memo(|| {
            for _ in 0..2 {
                assert_eq!(german::in_language(false, || compound_parts(words())), en);
                assert_eq!(german::in_language(true, || compound_parts(words())), de);
                assert_eq!(german::in_language(true, dictionary), in_dictionary);
            }
        });
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// The index by `tok_key` drops no phrase a scan of every phrase at every token finds:
        /// texts made of the taxonomy's own words, as they are, inflected (`german::ENDINGS`) or
        /// without their last letter ("service" of "services").
        #[test]
        fn phrase_hits_finds_what_a_scan_of_every_phrase_finds(
            picks in proptest::collection::vec((0usize..10_000, 0usize..10), 1..16),
        ) {
            let m = matcher();
            let words: Vec<&String> = m.phrases.iter().flat_map(|p| &p.tokens).collect();
            let toks: Vec<String> = picks
                .iter()
                .map(|&(w, form)| {
                    let w = words[w % words.len()];
                    match form {
                        0 => w[..w.len() - w.chars().last().map_or(0, char::len_utf8)].to_string(),
                        f => match german::ENDINGS.get(f - 1) {
                            Some(ending) => format!("{w}{ending}"),
                            None => w.clone(),
                        },
                    }
                })
                .collect();
            let scan: Vec<(usize, usize, bool)> = (0..toks.len())
                .flat_map(|i| {
                    let toks = &toks;
                    m.phrases.iter().filter_map(move |p| {
                        let n = p.tokens.len();
                        (n > 0
                            && i + n <= toks.len()
                            && toks[i..i + n].iter().zip(&p.tokens).all(|(t, w)| tok_eq(t, w)))
                        .then_some((i, i + n, p.group))
                    })
                })
                .collect();
            let indexed: Vec<(usize, usize, bool)> = phrase_hits(&toks, 0)
                .iter()
                .map(|h| (h.start, h.end, h.group))
                .collect();
            proptest::prop_assert_eq!(indexed, scan);
        }
    }

    #[test]
    fn who_plies_a_trade_is_the_trades_word() {
        for (agent, trade) in [
            ("refiners", "refining"),
            ("lenders", "lending"),
            ("marketer", "marketing"),
            ("grocers", "grocery"),
            ("distillers", "distilleries"),
        ] {
            assert!(
                same_word(agent, trade) && same_word(trade, agent),
                "{agent}"
            );
        }
        // Short stems and other endings are no trades: "miner"/"mining" is a synonym, not this.
        for (a, b) in [
            ("cater", "caring"),
            ("power", "powing"),
            ("water", "wating"),
        ] {
            assert!(!agent_of(a, b), "{a} {b}");
        }
        assert_eq!(
            english_compound("homebuilders"),
            Some(("home".to_string(), "builders".to_string()))
        );
        assert_eq!(english_compound("bankruptcy"), None);
    }

    use super::*;
    use Industry::*;

    #[test]
    fn only_exclusions_that_name_no_industry_are_warned_about() {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let warnings = |v: &[&str]| {
            domain::create_order::exclusion_warnings(&unmatched_exclusions(&strings(v)))
        };
        assert_eq!(
            warnings(&["Xylophones", "Government"]),
            ["excluded_industries: \"Xylophones\" matches no known industry and excludes nothing"]
        );
        assert!(warnings(&["Government", "Non-profit"]).is_empty());
    }

    #[test]
    fn classifies_source_vocabularies() {
        let cases = [
            ("Banks - Regional", Banks),
            ("Insurance - Life", Insurance),
            ("Fintech / Payments", Payments),
            ("Capital Markets", AssetManagement),
            ("Software - Application", Software),
            ("B2B / Engineering, Product and Design", Software),
            ("B2B / Security", Cybersecurity),
            ("Utilities - Regulated Electric", Utilities),
            ("Equity Real Estate Investment Trusts (REITs)", Reits),
            ("Real Estate Services", RealEstate),
            ("Specialty Industrial Machinery", Machinery),
            ("Biotechnology", Pharma),
            ("Health Care Equipment & Supplies", MedicalDevices),
            ("Medical Care Facilities", HealthcareProviders),
            ("Specialty Chemicals", Chemicals),
            ("Metals & Mining", Mining),
            ("Semiconductors & Semiconductor Equipment", Semiconductors),
            (
                "Electronic Equipment, Instruments & Components",
                Electronics,
            ),
            ("Technology Hardware, Storage & Peripherals", Hardware),
            ("Aerospace & Defense", AerospaceDefense),
            ("Auto Parts", Automotive),
            ("Restaurants", Hospitality),
            ("Resorts & Casinos", Gambling),
            // Unknown vocabularies: the words decide.
            ("Maschinenbau", Machinery),
            ("Versicherungen", Insurance),
            ("Medizintechnik", MedicalDevices),
            ("Softwareentwicklung", Software),
            ("Cybersecurity Services", Cybersecurity),
        ];
        for (label, want) in cases {
            assert_eq!(Industry::classify(Some(label), &[]), want, "{label}");
        }
        assert_eq!(Industry::classify(None, &["SaaS".into()]), Software);
        assert_eq!(
            Industry::classify(Some("B2B"), &["B2B".into(), "Insurance".into()]),
            Insurance,
            "a generic label defers to the tags"
        );
        assert_eq!(Industry::classify(Some("B2B"), &[]), Software);
        assert_eq!(Industry::classify(Some("Consumer"), &[]), Other);
    }

    #[test]
    fn label_synonyms_stay_within_one_segment() {
        let segment_of = |l: &str| {
            SEGMENTS
                .iter()
                .find(|s| s.labels.contains(&l))
                .map(|s| s.industry)
        };
        for (label, covered) in LABEL_SYNONYMS.iter() {
            let segment = segment_of(label);
            assert!(segment.is_some(), "{label} is no taxonomy label");
            for other in *covered {
                assert_eq!(segment_of(other), segment, "{label}: {other}");
            }
        }
    }

    #[test]
    fn every_segment_but_other_has_labels_and_terms() {
        for s in SEGMENTS.iter().filter(|s| s.industry != Other) {
            assert!(!s.terms.is_empty(), "{:?}", s.industry);
            assert!(!s.en.is_empty() && !s.de.is_empty());
        }
        assert_eq!(SEGMENTS.len(), Industry::ALL.len());
        for (i, s) in SEGMENTS.iter().enumerate() {
            assert_eq!(s.industry as usize, i, "SEGMENTS is in enum order");
        }
    }

    #[test]
    fn finds_segments_in_english_and_german() {
        let cases: &[(&str, &[Industry])] = &[
            ("Government", &[Government]),
            ("Non-profit", &[NonProfit]),
            ("REITs", &[Reits]),
            ("Tobacco", &[Tobacco]),
            ("Gambling", &[Gambling]),
            ("Defense", &[AerospaceDefense]),
            ("Öffentliche Verwaltung", &[Government]),
            ("Oeffentliche Verwaltung", &[Government]),
            ("Insurance", &[Insurance]),
            ("Softwarehersteller", &[Software]),
            ("Maschinenbauer", &[Machinery]),
            ("Medizintechnikunternehmen", &[MedicalDevices]),
            ("Automobilzulieferer", &[Automotive]),
            ("Versicherungsgesellschaften", &[Insurance]),
            ("Rueckversicherer", &[Insurance]),
            ("Rückversicherer", &[Insurance]),
            ("Halbleiterhersteller", &[Semiconductors]),
            ("Chemieunternehmen", &[Chemicals]),
            ("Logistikdienstleister", &[Logistics]),
            ("Rüstungsunternehmen", &[AerospaceDefense]),
            ("Banken und Sparkassen", &[Banks]),
            ("Energieversorger", &[Utilities]),
            ("Pharmaunternehmen", &[Pharma]),
            ("medical device makers", &[MedicalDevices]),
            ("companies that make chips", &[Semiconductors]),
            ("Investment banks", &[AssetManagement]),
            (
                "Tech companies in Europe",
                &[
                    Software,
                    ItServices,
                    Cybersecurity,
                    Internet,
                    Semiconductors,
                    Electronics,
                    Hardware,
                ],
            ),
            ("Logistiksoftware", &[Software]),
            // Facilities where care is given are run by its providers, not the whole sector.
            ("Operators of healthcare facilities", &[HealthcareProviders]),
            (
                "Betreiber von Gesundheitseinrichtungen",
                &[HealthcareProviders],
            ),
            // Transport companies, in either language, are the transport group's.
            ("Transport companies", &[Logistics, Airlines, Shipping]),
            ("Transportunternehmen", &[Logistics, Airlines, Shipping]),
        ];
        for (text, want) in cases {
            assert_eq!(Industry::mentioned_in(text), *want, "{text}");
        }
        assert!(Industry::mentioned_in("Europe and the DACH region").is_empty());
    }

    #[test]
    fn the_audience_is_not_the_target() {
        assert_eq!(
            Industry::wanted_in(
                "B2B software vendors selling enterprise software for HR, finance or operations"
            ),
            vec![Software]
        );
        assert_eq!(
            Industry::wanted_in("Softwareanbieter für Banken und Versicherungen"),
            vec![Software]
        );
        assert_eq!(Industry::wanted_in("for banks"), vec![Banks]);
        assert_eq!(
            Industry::wanted_in(
                "Mid-market B2B SaaS focused on HR, finance or operations software"
            ),
            vec![Software]
        );
        assert_eq!(
            Industry::wanted_in("Healthcare providers: hospital operators, home health"),
            vec![HealthcareProviders]
        );
        assert_eq!(
            Industry::wanted_in(
                "Aerospace and defense contractors: aircraft components, military electronics"
            ),
            vec![AerospaceDefense]
        );
        assert_eq!(
            Industry::wanted_in(
                "Telekommunikationsanbieter und Medienhäuser (TV-Sender, Netzbetreiber)"
            ),
            vec![Telecom, Media]
        );
        assert_eq!(
            Industry::wanted_in("Healthcare companies in Europe"),
            vec![Pharma, MedicalDevices, HealthcareProviders, HealthIt]
        );
    }

    #[test]
    fn german_compounds_read_like_their_english_translation() {
        let pairs = [
            (
                "Anbieter von Krankenhaussoftware und digitalen Gesundheitsplattformen",
                "Hospital software and digital health platform vendors",
            ),
            (
                "Hersteller von Haushaltsgeräten, Möbeln und Konsumgütern für den Haushalt",
                "Makers of household appliances, furniture and home consumer goods",
            ),
            ("Mobilfunknetzbetreiber", "Mobile network operators"),
            (
                "Frachtspeditionen und Lkw-Transportunternehmen",
                "Freight forwarders and trucking companies",
            ),
        ];
        for (de, en) in pairs {
            assert_eq!(Industry::wanted_in(de), Industry::wanted_in(en), "{de}");
        }
        assert!(Industry::wanted_in(pairs[0].0).contains(&HealthIt));
        // What a food producer processes, raises or catches, farm machines, two wheelers.
        let cases: &[(&str, &[Industry])] = &[
            ("Hersteller von Fleischwaren und Geflügelprodukten", &[Food]),
            ("Makers of meat and poultry products", &[Food]),
            ("Betreiber von Garnelen- und Lachszuchten in Asien", &[Food]),
            (
                "Rinder- und Schweinezüchter sowie Futterproduzenten",
                &[Food],
            ),
            ("Traktoren- und Landtechnikhersteller", &[Machinery]),
            ("Motorradhersteller und Zweiradmarken", &[Automotive]),
            ("Motorcycle and two-wheeler brands", &[Automotive]),
            ("Auto makers in Asia", &[Automotive]),
            // A "-fertiger" is a maker: "OEM-Fertiger" names no manufacturing segment.
            ("Bekleidungsmarken oder OEM-Fertiger", &[ConsumerGoods]),
            // The materials of chipmaking are semiconductors', not the materials group's.
            (
                "Semiconductor equipment and materials suppliers",
                &[Semiconductors],
            ),
            ("Makers of semiconductor materials", &[Semiconductors]),
            // Intralogistics (forklifts, conveyors) is machinery, not logistics.
            ("Intralogistik-Hersteller und Fördertechnik", &[Machinery]),
            ("Intralogistics and material handling OEMs", &[Machinery]),
        ];
        for (text, want) in cases {
            assert_eq!(Industry::wanted_in(text), *want, "{text}");
        }
    }

    #[test]
    fn trades_named_by_what_they_build_or_run_read_as_their_segment() {
        // A machine tool builder builds machines, not buildings; a shipyard builds ships; a toll
        // road operator runs transport infrastructure; a biogas plant makes power.
        let cases = [
            (
                "Machine tool builders for the die and mould trade",
                Machinery,
            ),
            ("Mid-sized machine tool makers", Machinery),
            ("Naval shipyards and commercial shipbuilders", Machinery),
            ("Operators of toll roads in southern Europe", Logistics),
            ("Motorway and expressway concessionaires", Logistics),
            (
                "Biogas plant operators and bioenergy cooperatives",
                Utilities,
            ),
            // A machine shop or an MRO shop is a workshop, not a store.
            ("Precision machine shops and job shops", Machinery),
            (
                "Aviation MRO shops and aircraft maintenance firms",
                AerospaceDefense,
            ),
            // Rolling stock is rail, not a car maker's vehicle.
            (
                "Makers of rail vehicles, locomotives and railcars",
                Logistics,
            ),
        ];
        for (text, segment) in cases {
            assert!(Industry::wanted_in(text).contains(&segment), "{text}");
        }
        assert!(!Industry::wanted_in(cases[0].0).contains(&Construction));
        assert!(!Industry::wanted_in(cases[6].0).contains(&Retail));
        assert!(!Industry::wanted_in(cases[7].0).contains(&Retail));
    }

    #[test]
    fn german_machine_ship_home_and_road_words_read_as_their_trade() {
        let pairs = [
            (
                "Hersteller von Hydraulikzylindern, Ventilen und Pumpen",
                "Makers of hydraulic cylinders, valves and pumps",
            ),
            ("Werften und Schiffbauer", "Shipyards and shipbuilders"),
            (
                "Bauträger und Hausbauer in Bayern",
                "Homebuilders and residential developers in Bavaria",
            ),
            ("Autobahnbetreiber", "Motorway operators"),
            ("Uranminen", "Uranium mines"),
            // A mine is a miner's ("Kohleminen", "coal mines"), not only the coal it digs.
            ("Kohleminen und Goldminen", "Coal mines and gold mines"),
            // "HLK" is German for HVAC.
            ("HLK-Hersteller", "HVAC equipment makers"),
            (
                "Hersteller von Schienenfahrzeugen, Lokomotiven und Waggons",
                "Makers of rail vehicles, locomotives and railcars",
            ),
        ];
        for (de, en) in pairs {
            let (d, e) = (Industry::wanted_in(de), Industry::wanted_in(en));
            assert_eq!(d, e, "{de}");
            assert!(!d.is_empty(), "{de}");
        }
        assert!(Industry::wanted_in("Kohleminen").contains(&Mining));
        assert!(Industry::wanted_in("Coal mine operators").contains(&Mining));
        assert!(Industry::wanted_in("HLK-Hersteller").contains(&Construction));
        assert!(Industry::wanted_in(pairs[0].0).contains(&Machinery));
        assert!(Industry::wanted_in(pairs[2].0).contains(&Construction));
        // A German head alone tells the text is German, so its words read in English.
        assert_eq!(
            Industry::wanted_in("Paket-Dienstleister: Kurier, Express"),
            vec![Logistics]
        );
    }

    #[test]
    fn security_software_is_also_cybersecurity() {
        assert_eq!(
            Software.also_in("Endpoint security and threat detection for enterprises"),
            Some(Cybersecurity)
        );
        assert_eq!(
            Software.also_in("Payroll software for small businesses"),
            None
        );
        assert_eq!(Banks.also_in("Cybersecurity"), None, "only host segments");
        assert_eq!(
            Industry::reach(&[Cybersecurity]),
            vec![Software, ItServices, Cybersecurity]
        );
    }

    #[test]
    fn related_segments_share_a_broad_word() {
        assert_eq!(
            Industry::related(&[Consulting]),
            vec![Professional, Staffing]
        );
        assert!(Industry::related(&[Airlines]).contains(&Logistics));
        assert!(Industry::related(&[Other]).is_empty());
    }

    #[test]
    fn lists_are_not_compounds_and_exclusions_cover_every_item() {
        assert_eq!(
            Industry::wanted_in("Banks, insurers and asset managers"),
            vec![Banks, Insurance, AssetManagement]
        );
        assert_eq!(
            Industry::wanted_in("Banken, Versicherungen"),
            vec![Banks, Insurance]
        );
        assert_eq!(
            Industry::head_of("Tobacco & Gambling"),
            vec![Gambling, Tobacco]
        );
        assert_eq!(
            Industry::head_of("Banks, Insurance"),
            vec![Banks, Insurance]
        );
        assert_eq!(Industry::mentioned_in("Pharmaindustrie"), vec![Pharma]);
        assert_eq!(
            Industry::mentioned_in("Gesundheitsversorger"),
            vec![Pharma, MedicalDevices, HealthcareProviders, HealthIt]
        );
        assert_eq!(
            Industry::wanted_in("Banks with up to 500 employees and insurers"),
            vec![Banks, Insurance]
        );
        assert_eq!(
            Industry::wanted_in("Healthcare service operators"),
            vec![HealthcareProviders]
        );
    }

    #[test]
    fn the_head_of_a_compound_decides() {
        assert_eq!(
            Industry::wanted_in("Logistics software vendors"),
            vec![Software]
        );
        assert_eq!(
            Industry::wanted_in("Cybersecurity software vendors"),
            vec![Cybersecurity]
        );
        assert_eq!(
            Industry::wanted_in("Pharma distributors"),
            vec![Distribution]
        );
        assert_eq!(
            Industry::wanted_in("Banks and insurers"),
            vec![Banks, Insurance]
        );
    }

    #[test]
    fn a_one_word_parenthesis_after_a_word_names_what_it_means() {
        // The abbreviation says the need where the German compound alone reads otherwise.
        let de = Industry::wanted_in(
            "Immobilien-Investmentgesellschaften (REITs) in den USA, die Büros besitzen.",
        );
        assert_eq!(de, [Industry::Reits], "{de:?}");
        let en = Industry::wanted_in("Real estate investment trusts (REITs) in the United States.");
        assert_eq!(en, [Industry::Reits], "{en:?}");
        // A longer word spells the abbreviation out; several words, or a word after
        // punctuation, stay an aside.
        let gloss = Industry::wanted_in("REITs (Immobilien-Investmentfonds) in den USA");
        assert_eq!(gloss, [Industry::Reits], "{gloss:?}");
        assert!(definition("Software vendors (mostly banks and insurers)").ends_with("vendors"));
        assert!(definition("Software vendors, (banks)").ends_with(','));
    }

    #[test]
    fn a_parenthesis_reads_in_its_word_s_place_only_as_an_abbreviation() {
        // The customers in parentheses are no abbreviation of the product's maker.
        assert_eq!(
            Industry::wanted_in("Softwareanbieter (Banken) in Deutschland"),
            [Software]
        );
        assert_eq!(
            Industry::wanted_in("Software companies (Banking) in Germany"),
            [Software]
        );
        // Quotes of more than one byte before the word read as any other character.
        for icp in [
            "\u{201e}Immobilien-Investmentgesellschaften (REITs)\u{201c} in den USA",
            "Wir suchen \u{bb}Immobilien-Investmentgesellschaften (REITs)\u{ab} in den USA",
        ] {
            assert_eq!(Industry::wanted_in(icp), [Reits], "{icp}");
        }
    }

    #[test]
    fn only_a_spaced_dash_before_examples_ends_the_definition() {
        let range =
            Industry::wanted_in("Software companies with 50\u{2013}500 employees and banks");
        assert!(
            range.contains(&Software) && range.contains(&Banks),
            "{range:?}"
        );
        let aside =
            Industry::wanted_in("Banken \u{2013} und Versicherungen \u{2013} in Deutschland");
        assert!(
            aside.contains(&Banks) && aside.contains(&Insurance),
            "{aside:?}"
        );
    }

    #[test]
    fn an_article_opening_a_clause_is_a_relative_pronoun() {
        // Software vendors that do not supply banks: the banks qualify the vendors, and no
        // industry is ruled out.
        let (asked, out) = split_negations("Softwareanbieter, die Banken nicht beliefern.");
        assert!(out.iter().all(|o| !o.contains("banken")), "{out:?}");
        assert!(asked.contains("softwareanbieter"), "{asked}");
    }

    #[test]
    fn a_country_code_listed_alone_is_no_negation() {
        // Norway's code among others is a list item, not "no".
        let (asked, out) =
            split_negations("Nordics (SE, NO, DK, FI): Bauunternehmen und Baustoffhersteller.");
        assert!(out.is_empty(), "{out:?}");
        assert!(asked.contains("bauunternehmen"), "{asked}");
        let (_, out) = split_negations("Banks in Europe (no insurers).");
        assert_eq!(out, ["insurers"]);
    }

    #[test]
    fn an_article_before_an_industry_opens_no_relative_clause() {
        let (asked, out) = split_negations(
            "Telekommunikationsanbieter in Europa. Ausrüster der Netzbetreiber bitte nicht.",
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].starts_with("ausruster der netzbetreiber"), "{out:?}");
        assert!(!asked.contains("ausruster"), "{asked}");
        // A relative clause still qualifies: only listed banks are ruled out, not banks.
        let (asked, _) = split_negations("Banken, die nicht gelistet sind.");
        assert!(asked.contains("banken"), "{asked}");
    }

    #[test]
    fn joined_modifiers_share_their_head() {
        // "Machine and plant builders" are machine builders, not builders of anything.
        assert_eq!(
            Industry::wanted_in("Machine and plant builders in Austria"),
            vec![Machinery]
        );
        // A modifier that names an industry itself stays its own need.
        let both = Industry::wanted_in("Software and telecom providers");
        assert!(
            both.contains(&Telecom) && both.contains(&Software),
            "{both:?}"
        );
        // ...but for one the phrase with the head reads otherwise: retail banks are banks.
        assert_eq!(
            Industry::wanted_in("Retail and regional banks"),
            vec![Banks]
        );
        assert!(Industry::wanted_in("Lebensmittel- und Drogeriehandel in Japan").contains(&Retail));
        let needs = needs::needs(&fold(
            "retail and regional banks, savings and mortgage lenders",
        ));
        assert!(
            needs
                .texts
                .iter()
                .all(|t| !Industry::wanted_in(t).contains(&Retail)),
            "{needs:?}"
        );
    }

    #[test]
    fn a_dash_opens_examples_as_a_colon_does() {
        assert_eq!(
            Industry::wanted_in("Autozulieferer in Japan \u{2013} Elektronik, Reifen."),
            vec![Automotive]
        );
    }

    /// Restaurants as a trade of chains and operators name Yahoo's "Restaurants"; the word in
    /// the segment's own name ("hotels, restaurants and leisure") names the whole segment.
    #[test]
    fn restaurant_chains_name_the_restaurants_label() {
        let restaurants = tokens("Restaurants");
        for text in [
            "Restaurant chains",
            "Systemgastronomie",
            "Restaurantketten und Hotels",
        ] {
            assert!(termed_labels(text).contains(&restaurants), "{text}");
        }
        assert!(!termed_labels("Hotels, restaurants and leisure").contains(&restaurants));
    }

    #[test]
    fn a_term_cut_short_names_its_labels() {
        let labels = termed_labels("E-Com");
        assert!(labels.contains(&tokens("Internet Retail")), "{labels:?}");
        assert!(termed_labels("E-Co").is_empty());
    }

    #[test]
    fn negated_parts_are_ruled_out_not_wanted() {
        let (asked, out) = split_negations(
            "Passenger airlines only. Not airports, aircraft lessors or ground handling companies.",
        );
        assert_eq!(asked.trim(), "passenger airlines only.");
        assert_eq!(
            out,
            ["airports", "aircraft lessors", "ground handling companies"]
        );
        let (_, out) =
            split_negations("Chemieunternehmen. Bergbauunternehmen sind ausgeschlossen.");
        assert_eq!(out, ["bergbauunternehmen sind"]);
        let (_, out) = split_negations("Versicherungsmakler – nur Vermittler, keine Versicherungsgesellschaften (Risikoträger).");
        assert_eq!(out, ["versicherungsgesellschaften", "risikotrager"]);
        let (_, out) = split_negations("No-code platforms, not only for SMBs");
        assert!(out.is_empty(), "{out:?}");
        let (asked, out) = split_negations("Chemieunternehmen, Bergbau ausgeschlossen");
        assert_eq!(out, ["bergbau"]);
        assert!(asked.contains("chemieunternehmen"));
        // Imperatives and "not a fit" rule out their sentence too, without their own words.
        for (icp, ruled_out) in [
            (
                "Hotel operators. Leave out anyone running casinos or gaming.",
                vec!["anyone running casinos", "gaming"],
            ),
            (
                "Retailers with stores. Exclude pure-play online retailers.",
                vec!["pure-play online retailers"],
            ),
            (
                "Filialisten. Reine Onlinehändler (Pure Player) raus.",
                vec!["reine onlinehandler", "pure player"],
            ),
            (
                "Pharmahersteller. Biotech-Firmen bitte weglassen.",
                vec!["biotech-firmen bitte"],
            ),
            (
                "Property developers. Estate agents are not a fit.",
                vec!["estate agents are"],
            ),
            (
                "Card acquirers in Spain. Issuing banks and neobanks are out.",
                vec!["issuing banks", "neobanks"],
            ),
            (
                "Fibre builders; cable-only operators don't fit.",
                vec!["cable-only operators"],
            ),
            (
                "Generic drug makers. Research biotechs do not fit, nor CROs.",
                vec!["research biotechs", "cros"],
            ),
        ] {
            let (asked, out) = split_negations(icp);
            assert_eq!(out, ruled_out, "{icp}");
            assert!(!asked.contains(ruled_out[0]), "{icp}: {asked}");
        }
        let (asked, out) = split_negations("Not airlines but airports, e.g. regional airports.");
        assert_eq!(out, ["airlines"]);
        assert!(
            asked.contains("airports, e.g. regional airports"),
            "{asked}"
        );
        assert_eq!(
            Industry::wanted_in(
                "Logistics providers: trucking and freight forwarding. No airlines."
            ),
            vec![Logistics]
        );
        assert_eq!(
            Industry::wanted_in(
                "Chemieunternehmen mit Spezialchemie. Bergbauunternehmen sind ausgeschlossen."
            ),
            vec![Chemicals]
        );
    }

    #[test]
    fn an_abbreviation_s_full_stop_ends_no_sentence() {
        // "inkl." inside the offer: the whole sentence is the offer, nothing after it is wanted.
        let (asked, _) = split_negations(
            "Textil- und Schuhhersteller in Italien. Wir verkaufen ein PLM-Tool inkl. \
             Lieferanten-Compliance und digitalem Produktpass.",
        );
        assert!(asked.contains("schuhhersteller"), "{asked}");
        assert!(!asked.contains("lieferanten"), "{asked}");
        assert!(!asked.contains("produktpass"), "{asked}");
        assert_eq!(sentences("a tool incl. support. banks.").len(), 2);
        // A place named last ends its sentence; the short words partners abbreviate do not.
        assert_eq!(
            sentences("insurers in the uk. brokers are excluded.").len(),
            2
        );
        assert_eq!(
            sentences("lenders in the eu. no banks. sold to us. fine").len(),
            4
        );
        assert_eq!(sentences("e.g. co. kg and no. 1 vendors").len(), 1);
        let (asked, out) =
            split_negations("Payment processors in the US. Retail banks are excluded.");
        assert!(asked.contains("payment processors"), "{asked}");
        assert_eq!(out, ["retail banks are"]);
        // Words that end lists end sentences as often: the stop stays a sentence end.
        let (asked, _) = split_negations(
            "Banks, insurers, asset managers etc. Payment companies are out of scope.",
        );
        assert!(asked.contains("asset managers"), "{asked}");
        let (asked, _) = split_negations(
            "Retailers built with sustainability in mind. Logistics firms are excluded.",
        );
        assert!(asked.contains("retailers"), "{asked}");
    }

    #[test]
    fn a_full_stop_after_a_closing_parenthesis_ends_the_sentence() {
        // The offer ends at "(HL7/FHIR)."; the next sentence is what is wanted.
        assert_eq!(
            sentences("we sell middleware (hl7/fhir). we want vendors.").len(),
            2
        );
        assert_eq!(sentences("we sell a tool \"inkl.\" and more").len(), 1);
        let icp = "Our offer: cloud hosting and middleware (HL7/FHIR). We want vendors of \
                   healthcare IT - companies whose product is software for hospitals and payers: \
                   EHR, telehealth platforms.";
        assert!(Industry::wanted_in_asked(&split_negations(icp).0).contains(&HealthIt));
    }

    #[test]
    fn an_industrial_trader_is_a_distributor_not_a_retailer() {
        // "Industriehändler" trades with businesses: a distributor, never a retailer.
        let wanted = Industry::wanted_in("Industriehändler in Japan");
        assert!(!wanted.contains(&Retail), "{wanted:?}");
        assert!(wanted.contains(&Distribution), "{wanted:?}");
        assert!(Industry::wanted_in("Modehändler in Japan").contains(&Retail));
    }

    #[test]
    fn a_word_after_non_names_no_industry() {
        // "Non-food" retail is no food; a label's "Non-Alcoholic" still names its beverages.
        assert_eq!(Industry::wanted_in("Non-food retailers"), vec![Retail]);
        assert_eq!(
            Industry::wanted_in("Non-alcoholic beverage makers"),
            vec![Food]
        );
    }

    #[test]
    fn suppliers_to_an_industry_are_its_equipment_and_services() {
        for value in [
            "Suppliers to the oil industry",
            "Zulieferer der Ölindustrie",
        ] {
            assert_eq!(
                supplied_trade(value).as_deref(),
                Some("oil equipment and services"),
                "{value}"
            );
        }
        // What they supply is `role_object`'s; a value without an industry names no trade.
        assert_eq!(
            supplied_trade("Suppliers of network equipment to carriers"),
            None
        );
        assert_eq!(supplied_trade("Suppliers to the big ones"), None);
        assert_eq!(supplied_trade("Oil producers"), None);
    }

    #[test]
    fn examples_narrow_a_broad_definition_to_the_segments_they_name() {
        assert_eq!(
            Industry::wanted_in(
                "Energy producers around the North Sea: oil and gas explorers, refiners, coal producers."
            ),
            vec![Industry::Energy]
        );
        // Examples naming no segment of the broad word leave it whole.
        let broad = Industry::wanted_in("Energy companies: big and small ones.");
        assert!(broad.contains(&Industry::Energy) && broad.contains(&Industry::Utilities));
        // Examples marked as such only illustrate; the partner's offer after them says nothing.
        for icp in [
            "Energy companies: e.g. utilities",
            "Energieunternehmen: zum Beispiel Stadtwerke",
            "Energy producers: for example solar and wind farms",
        ] {
            let wanted = Industry::wanted_in(icp);
            assert!(
                wanted.contains(&Industry::Energy) && wanted.contains(&Industry::Utilities),
                "{icp}: {wanted:?}"
            );
        }
        assert_eq!(
            Industry::wanted_in("Energy producers: oil and gas explorers. We sell to utilities."),
            vec![Industry::Energy]
        );
    }

    #[test]
    fn suppliers_to_an_industry_are_its_equipment_labels() {
        let has =
            |value: &str, label: &str| supplied_equipment_labels(value).contains(&tokens(label));
        for value in [
            "Zulieferer der Netzbetreiber",
            "Suppliers to the telecom industry",
        ] {
            assert!(has(value, "Communications Equipment"), "{value}");
            assert!(has(value, "Networking & Communication Devices"), "{value}");
            assert!(!has(value, "Telecom Services"), "{value}");
        }
        assert!(has(
            "Suppliers to the oil industry",
            "Oil & Gas Equipment & Services"
        ));
        assert!(!has("Suppliers to the oil industry", "Oil & Gas E&P"));
        assert!(supplied_equipment_labels("Network equipment vendors").is_empty());
        // A label joining the trade itself to its equipment holds the trade's own firms.
        let chips = "Suppliers to the semiconductor industry";
        assert!(has(chips, "Semiconductor Equipment & Materials"));
        assert!(!has(chips, "Semiconductors & Semiconductor Equipment"));
        assert!(!has(chips, "Semiconductors"));
        assert!(!has(
            "Suppliers to the tech industry",
            "Technology Hardware & Equipment"
        ));
    }

    #[test]
    fn trade_names_of_a_segment_s_companies_name_it() {
        for (icp, segment) in [
            // Lessors are lenders whatever they lease: "aircraft leasing" is no aerospace company.
            (
                "Aircraft leasing firms and other lessors in Ireland",
                Lending,
            ),
            ("Equipment leasing companies in Poland and Czechia", Lending),
            // A vehicle's finance is lending: no carmaker.
            ("Auto finance and car loan providers in Mexico", Lending),
            ("Vehicle financing companies in Brazil", Lending),
            // Traditional and herbal medicine is made by drug makers.
            ("Producers of herbal remedies in Germany", Pharma),
            ("Traditional Chinese medicine brands", Pharma),
            // Contract drug makers (CDMOs) are pharma; contract research organisations are
            // research services (`Diagnostics & Research`).
            ("CDMOs serving biotech start-ups", Pharma),
            (
                "Contract development and manufacturing companies in Ireland",
                Pharma,
            ),
            // An API made is a drug's active ingredient, not an interface of software.
            ("API makers in Italy and Spain", Pharma),
            ("API-Hersteller in Spanien", Pharma),
            ("Producers of active pharmaceutical ingredients", Pharma),
            // Food service operators run restaurants and canteens; they make no food.
            ("Food service operators in Texas", Hospitality),
            (
                "Contract caterers and foodservice operators in France",
                Hospitality,
            ),
            // Tower companies, and "TK-", the German shorthand of telecommunications in
            // compounds; alone, "TK" is as often a health insurer or TK Maxx.
            ("Cell tower companies in Africa", Telecom),
            ("TK-Anbieter und Funkturmbetreiber in Österreich", Telecom),
            ("TK-Unternehmen in der Schweiz", Telecom),
            ("Health insurers such as TK, AOK and Barmer", Insurance),
        ] {
            assert_eq!(Industry::wanted_in(icp), vec![segment], "{icp}");
        }
    }

    #[test]
    fn a_broad_word_after_a_german_modifier_names_no_group() {
        // "Netztechnik" is network equipment, not every technology segment.
        let wanted =
            Industry::wanted_in("Netztechnik- und Telekom-Ausrüstungshersteller in Taiwan");
        assert_eq!(wanted, vec![Telecom], "{wanted:?}");
        let words = |w: &[&str]| w.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            without_broad_head(words(&["network", "technology", "maker"])),
            words(&["network", "maker"])
        );
        // A word of one segment's group is that segment's ("Netzwerksicherheit").
        assert_eq!(
            without_broad_head(words(&["network", "security", "provider"])),
            words(&["network", "security", "provider"])
        );
        // A broad word that begins the reading is the word itself.
        assert_eq!(
            without_broad_head(words(&["technology", "company"])),
            words(&["technology", "company"])
        );
    }

    #[test]
    fn the_partners_own_offer_is_no_wanted_industry() {
        // What the partner sells describes the seller, not the customers.
        for icp in [
            "Airlines and airport operators in Asia. We sell crew scheduling software.",
            "Brauereien und Weingüter. Wir bieten Software für den Außendienst.",
            "Versicherer in Europa. Unser Produkt ist eine App für Schadenmeldungen.",
            "Shipping lines; our fleet-analytics software integrates with their systems.",
        ] {
            let wanted = Industry::wanted_in(icp);
            assert!(!wanted.is_empty(), "{icp}");
            assert!(!wanted.contains(&Software), "{icp}: {wanted:?}");
        }
        // Only the clause the partner speaks in goes, from its comma, dash or full stop.
        let (asked, _) =
            split_negations("Maschinenbauer und Anlagenbauer, da wir dort gerade wachsen.");
        assert!(asked.contains("anlagenbauer"), "{asked}");
        assert!(!asked.contains("wachsen"), "{asked}");
        let (asked, _) = split_negations(
            "Builders working on roads (rail, plants). Our project software suits them.",
        );
        assert!(asked.contains("plants)"), "{asked}");
        assert!(!asked.contains("software"), "{asked}");
        // A clause that says whom the partner looks for, and sells nothing, stays.
        let (asked, _) = split_negations(
            "Mid-sized firms are the sweet spot; in the US we focus on machinery makers.",
        );
        assert!(asked.contains("machinery makers"), "{asked}");
        let (asked, _) = split_negations("Banken. Unsere Zielgruppe sind auch Versicherer.");
        assert!(asked.contains("versicherer"), "{asked}");
        let (asked, _) = split_negations(
            "Wir suchen Regionalbanken, denen wir unsere Meldewesen-Software verkaufen.",
        );
        assert!(asked.contains("regionalbanken"), "{asked}");
        assert!(!asked.contains("software"), "{asked}");
        let (asked, _) = split_negations("Spediteure. Für Europa suchen wir auch Reedereien.");
        assert!(asked.contains("reedereien"), "{asked}");
        // An ICP that says nothing but its offer asks for whom it sells to, and is read whole
        // where that names nothing.
        let (asked, _) = split_negations("We sell software to banks.");
        assert_eq!(asked.trim(), "banks.");
        let (asked, _) = split_negations(
            "Wir verkaufen Dienstplansoftware an Klinikbetreiber in den USA. Keine Labore.",
        );
        assert!(
            asked.contains("klinikbetreiber") && !asked.contains("software"),
            "{asked}"
        );
        assert_eq!(split_negations("We sell software.").0, "we sell software.");
        // "Wir bauen ..." builds the partner's own offer, as "we build" does: not a builder.
        let (asked, _) = split_negations("Wir bauen Apps für Versicherer und Banken.");
        assert!(
            asked.contains("versicherer") && !asked.contains("apps"),
            "{asked}"
        );
        assert_eq!(
            Industry::wanted_in("Wir bauen Planungssoftware für Reedereien."),
            vec![Shipping]
        );
    }

    #[test]
    fn what_a_dash_ends_before_an_exclusion_stays_asked() {
        let (asked, out) =
            split_negations("Wind farm operators – turbine and blade makers excluded.");
        assert!(asked.contains("wind farm operators"), "{asked}");
        assert!(
            out.iter().any(|o| o.contains("turbine")) && !out.iter().any(|o| o.contains("wind")),
            "{out:?}"
        );
        assert_eq!(
            Industry::wanted_in("Regional banks and credit unions — insurers excluded"),
            vec![Banks]
        );
        // A dash after the exclusion word still rules out what follows it.
        assert!(Industry::wanted_in("Excluded – banks and insurers.").is_empty());
        // What follows the dash names nothing but its ruling out: the clause before it is what
        // is ruled out ("Banks – excluded").
        for icp in [
            "Gambling – excluded.",
            "Banks and insurers – both excluded.",
            "Crypto – out of scope",
        ] {
            let (asked, out) = split_negations(icp);
            assert!(!out.is_empty(), "{icp}: {out:?}");
            assert!(
                Industry::wanted_in_asked(&asked).is_empty(),
                "{icp}: {asked}"
            );
        }
        // The last dash is the one before the exclusion, a spaced hyphen is one too, and a range
        // is none.
        for (icp, asked_part, ruled) in [
            (
                "Fintechs – especially neobanks – crypto exchanges excluded",
                "neobanks",
                "crypto",
            ),
            (
                "Solar park operators - module makers excluded.",
                "solar park",
                "module",
            ),
            (
                "Software companies, 50–500 employees – banks excluded",
                "software",
                "banks",
            ),
        ] {
            let (asked, out) = split_negations(icp);
            assert!(asked.contains(asked_part), "{icp}: {asked}");
            assert!(out.iter().any(|o| o.contains(ruled)), "{icp}: {out:?}");
            assert!(
                !out.iter().any(|o| o.contains(asked_part)),
                "{icp}: {out:?}"
            );
        }
    }

    #[test]
    fn a_without_in_a_ruled_out_clause_says_which_are_ruled_out() {
        for (icp, out_part, kept) in [
            (
                "Freight forwarders. Brokers without a trucking fleet of their own are not relevant.",
                "brokers",
                "trucking",
            ),
            (
                "Speditionen. Reine Frachtbroker ohne eigene LKW sind nicht relevant.",
                "frachtbroker",
                "lkw",
            ),
            (
                "Software vendors; resellers without software of their own are not for us",
                "resellers",
                "software",
            ),
        ] {
            let (_, out) = split_negations(icp);
            assert!(out.iter().any(|o| o.contains(out_part)), "{icp}: {out:?}");
            assert!(!out.iter().any(|o| o.contains(kept)), "{icp}: {out:?}");
        }
        // A "without" that no later negation closes still rules out what follows it.
        let (_, out) = split_negations("Banks, without neobanks");
        assert_eq!(out, ["neobanks"]);
    }

    #[test]
    fn a_verdict_rules_out_only_where_it_closes_its_clause() {
        for icp in [
            "Banks. Retail banks don't interest us.",
            "Banks; neobanks doesn't interest us either",
            "Banks. Retail banks are out.",
            "Banks. Neobanks don't fit for us.",
            "Banks; neobanks are out, crypto lenders too",
        ] {
            let (_, out) = split_negations(icp);
            assert!(
                out.iter()
                    .any(|o| o.contains("neobanks") || o.contains("retail banks")),
                "{icp}: {out:?}"
            );
        }
        for (icp, wanted) in [
            (
                "Mid-size machinery makers whose ERP systems don't fit their processes",
                Machinery,
            ),
            (
                "Logistics firms whose trucks are out on the road all day",
                Logistics,
            ),
            (
                "Hotels whose guests are out exploring the city",
                Hospitality,
            ),
            ("Banks whose core systems don't fit modern payments", Banks),
            (
                "Insurers whose legacy tools don't interest us anymore",
                Insurance,
            ),
        ] {
            let (_, out) = split_negations(icp);
            assert!(out.is_empty(), "{icp}: {out:?}");
            assert!(Industry::wanted_in(icp).contains(&wanted), "{icp}");
        }
    }

    #[test]
    fn a_negation_ending_its_clause_rules_out_the_clause() {
        let (asked, out) = split_negations(
            "Computerhardware-Hersteller. Unterhaltungselektronik (TV, Audio) interessiert uns nicht.",
        );
        assert!(
            out.contains(&"unterhaltungselektronik".to_string()),
            "{out:?}"
        );
        assert!(!asked.contains("unterhaltung"), "{asked}");
        let (asked, out) = split_negations("Medienhäuser und Verlage. Werbeagenturen bitte nicht.");
        assert!(!asked.contains("werbeagenturen"), "{asked}");
        assert!(!out.is_empty());
        let (asked, _) = split_negations("Software vendors. Game studios are not relevant for us.");
        assert!(!asked.contains("game"), "{asked}");
        assert_eq!(
            Industry::wanted_in("Software vendors. Game studios are not relevant for us."),
            vec![Software]
        );
        // A qualified clause is no industry ruled out: "not" says what the banks are.
        let (asked, _) = split_negations("Banks that are not listed.");
        assert!(asked.contains("banks"), "{asked}");
        // Phrases and verbs that rule out their sentence.
        for icp in [
            "Media companies. Ad agencies are out of scope.",
            "Medienunternehmen. Werbeagenturen bitte ausklammern.",
            "Medienunternehmen. Werbeagenturen bitte ausschließen.",
        ] {
            let (asked, out) = split_negations(icp);
            assert!(!asked.contains("agen"), "{icp}: {asked}");
            assert_eq!(out.len(), 1, "{icp}: {out:?}");
        }
    }

    #[test]
    fn a_negated_noun_with_its_relative_clause_rules_out_the_noun_only() {
        let icp = "Telekommunikationsanbieter in Westeuropa: Mobilfunk- und Breitbandcarrier. \
                   Netzwerkausrüster, die die Carrier beliefern, suchen wir nicht.";
        let (asked, out) = split_negations(icp);
        assert!(!asked.contains("netzwerkausruster"), "{asked}");
        assert!(!asked.contains("beliefern"), "{asked}");
        assert_eq!(out, vec!["netzwerkausruster".to_string()]);
        let (_, out) =
            split_negations("Banks. Software vendors, which sell to banks, are not for us.");
        assert_eq!(out, vec!["software vendors".to_string()]);
        // A relative clause that says the negation itself is no such sentence.
        let (asked, _) = split_negations("Banken, die nicht gelistet sind.");
        assert!(asked.contains("banken"), "{asked}");
        // Nor is a clause that says more than that the partner does not want it.
        let (asked, _) = split_negations(
            "Reedereien, die Containerschiffe betreiben, und deren Häfen wir derzeit leider noch nicht beliefern.",
        );
        assert!(asked.contains("reedereien"), "{asked}");
        // A dash (three bytes) or colon before the relative words is no relative clause.
        for icp in [
            "Carrier. Netzwerkausrüster – die die Carrier beliefern, suchen wir nicht.",
            "Carrier. Netzwerkausrüster: die die Carrier beliefern, suchen wir nicht.",
        ] {
            let (_, out) = split_negations(icp);
            assert!(
                !out.contains(&"netzwerkausruster".to_string()),
                "{icp}: {out:?}"
            );
        }
    }

    #[test]
    fn unmatched_exclusions_are_reported() {
        let values: Vec<String> = [
            "Crypto",
            "Government",
            "Glücksspiel",
            "Xylophones",
            "Casinos",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            unmatched_exclusions(&values),
            vec!["Xylophones".to_string()]
        );
    }

    #[test]
    fn role_words_and_label_word_compounds_read_as_labels_say_them() {
        let read = |v: &str| label_reading(&compound_parts(tokens(v)));
        let words = |v: &[&str]| Some(v.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        assert_eq!(read("Medical device makers"), words(&["medical", "device"]));
        assert_eq!(read("Tobacco producers"), words(&["tobacco"]));
        assert_eq!(read("Casino operators"), words(&["casino"]));
        assert_eq!(read("Coal mining industry"), words(&["coal", "mining"]));
        assert_eq!(
            read("Oilfield equipment suppliers"),
            words(&["oil", "equipment"])
        );
        // A role word a label carries with the other words stays: nothing to read otherwise.
        assert_eq!(read("Health care providers"), None);
        assert_eq!(read("Power producers"), None);
        assert_eq!(read("Auto manufacturers"), None);
        // A derivation is no compound, and what is left must name something.
        assert_eq!(read("Mediation services"), None);
        assert_eq!(read("Bankruptcy"), None);
        assert_eq!(read("Goldsmith suppliers"), words(&["goldsmith"]));
        assert_eq!(read("Xylophone makers"), words(&["xylophone"]));
        assert_eq!(
            unmatched_exclusions(&["Xylophone makers".to_string()]),
            ["Xylophone makers"]
        );
        assert!(unmatched_exclusions(&["Oilfield equipment suppliers".to_string()]).is_empty());
        assert!(!exclusion_is_broader("Tobacco producers", Tobacco));
    }

    #[test]
    fn a_dropped_role_word_keeps_the_items_of_a_value_apart() {
        // "Oil & Gas, Coal producers" names two things: read without "producers" it must still
        // be two, as the same value without the role word is.
        let read = exclusions_of("Oil & Gas, Coal producers");
        assert_eq!(read, exclusions_of("Oil & Gas, Coal"));
        assert!(
            read.iter()
                .any(|e| matches!(e, Exclusion::Part { words, .. } if words == &["coal"])),
            "{read:?}"
        );
        assert_eq!(
            rejoined(
                &tokens("oil and gas coal"),
                &[0, 1, 2, 3],
                &item_of_words("Oil & Gas, Coal producers")
            ),
            "oil and gas, coal"
        );
        // "and" inside a label is no item boundary.
        assert_eq!(
            exclusions_of("Oil & Gas Refining & Marketing suppliers"),
            exclusions_of("Oil & Gas Refining & Marketing")
        );
    }

    #[test]
    fn a_label_read_from_role_words_goes_with_its_synonyms() {
        let mut labels: Vec<Vec<String>> = exclusions_of("Oilfield equipment suppliers")
            .into_iter()
            .filter_map(|e| match e {
                Exclusion::Covered { labels } | Exclusion::Part { labels, .. } => Some(labels),
                _ => None,
            })
            .flatten()
            .collect();
        labels.sort();
        labels.dedup();
        // Not what those cover in turn ("Oil & Gas Drilling" under GICS's name).
        assert_eq!(
            labels,
            vec![
                tokens("Energy Equipment & Services"),
                tokens("Oil & Gas Equipment & Services")
            ]
        );
        assert_eq!(
            exclusions_of("Tobacco producers"),
            exclusions_of("Tobacco"),
            "as the label's own word"
        );
        assert_eq!(exclusions_of("Casino operators"), exclusions_of("Casino"));
    }

    /// The labels `sub_labels` reads a value as naming, as written in the taxonomy, sorted.
    fn sub_label_names(value: &str) -> Option<Vec<&'static str>> {
        let read = sub_labels(value)?;
        let mut out: Vec<&str> = SEGMENTS
            .iter()
            .flat_map(|s| s.labels.iter().copied())
            .filter(|l| read.contains(&tokens(l)))
            .collect();
        out.sort_unstable();
        out.dedup();
        Some(out)
    }

    #[test]
    fn a_sub_industry_reads_as_partners_write_it() {
        let english: &[(&str, &[&str])] = &[
            ("Midstream", &["Oil & Gas Midstream"]),
            ("midstream companies", &["Oil & Gas Midstream"]),
            ("E&P companies", &["Oil & Gas E&P"]),
            // An acronym in capitals spells a label's initials; "REITs" is a label's word.
            ("ISPs", &["Internet Service Providers"]),
            ("Retail REITs", &["REIT - Retail"]),
            ("hotel reits", &["REIT - Hotel & Motel"]),
            (
                "Infrastructure software",
                &["B2B / Infrastructure", "Software - Infrastructure"],
            ),
            (
                "Regional banks",
                &["Banks - Regional", "Regional - Mid-Atlantic Banks"],
            ),
            ("P&C insurers", &["Insurance - Property & Casualty"]),
            ("Life insurers", &["Insurance - Life"]),
            (
                "Generic drug makers",
                &["Drug Manufacturers - Specialty & Generic"],
            ),
            ("non-alcoholic beverages", &["Beverages - Non-Alcoholic"]),
            ("Brewers", &["Beverages - Brewers"]),
            ("Specialty chemical makers", &["Specialty Chemicals"]),
            ("Thermal coal producers", &["Thermal Coal"]),
            // With what it covers in the other vocabularies.
            (
                "regulated water utilities",
                &["Utilities - Regulated Water", "Water Utilities"],
            ),
            ("Apparel retailers", &["Apparel Retail"]),
        ];
        for (value, labels) in english {
            assert_eq!(sub_label_names(value).as_deref(), Some(*labels), "{value}");
        }
        let german: &[(&str, &[&str])] = &[
            ("Midstream-Unternehmen", &["Oil & Gas Midstream"]),
            ("Einzelhandels-REITs", &["REIT - Retail"]),
            ("Hypotheken-REITs", &["REIT - Mortgage"]),
            (
                "Infrastruktursoftware",
                &["B2B / Infrastructure", "Software - Infrastructure"],
            ),
            (
                "Regionalbanken",
                &["Banks - Regional", "Regional - Mid-Atlantic Banks"],
            ),
            (
                "Schaden- und Unfallversicherer",
                &["Insurance - Property & Casualty"],
            ),
            ("Lebensversicherer", &["Insurance - Life"]),
            (
                "Generikahersteller",
                &["Drug Manufacturers - Specialty & Generic"],
            ),
            ("Spezialchemie-Hersteller", &["Specialty Chemicals"]),
            (
                "Gasversorger",
                &["Gas Utilities", "Utilities - Regulated Gas"],
            ),
            (
                "Wasserversorger",
                &["Utilities - Regulated Water", "Water Utilities"],
            ),
        ];
        german::in_language(true, || {
            for (value, labels) in german {
                assert_eq!(sub_label_names(value).as_deref(), Some(*labels), "{value}");
            }
        });
        // A segment's name, its broad words, or words that say no part of it are no sub-industry.
        for value in [
            "Banks",
            "Insurance",
            "Software",
            "Oil and gas",
            "REITs",
            "Online banks",
            "Xylophone makers",
        ] {
            assert_eq!(sub_label_names(value), None, "{value}");
        }
    }

    #[test]
    fn a_sub_industry_leaves_the_rest_of_its_segment() {
        // Named by a label or a part of one, wanted by the ICP or not: no segment goes.
        for value in [
            "Oil & Gas Refining & Marketing",
            "Banks - Regional",
            "Midstream",
        ] {
            for exclusion in exclusions_of(value) {
                match exclusion {
                    Exclusion::Label { segments, .. } => assert!(segments.is_empty(), "{value}"),
                    Exclusion::Covered { .. } | Exclusion::Part { .. } => {}
                    other => panic!("{value}: {other:?}"),
                }
            }
        }
        assert!(unmatched_exclusions(&["Generic drug makers".to_string()]).is_empty());
        // A segment's name still names the segment.
        assert!(matches!(
            exclusions_of("REITs").as_slice(),
            [Exclusion::Segments { .. }]
        ));
    }

    #[test]
    fn exclusions_see_the_companys_own_label() {
        let phrase = tokens("Tobacco");
        assert!(label_mentions(
            &phrase,
            Some("Food, Beverage & Tobacco"),
            &[]
        ));
        assert!(!label_mentions(&phrase, Some("Beverages"), &[]));
        assert!(label_mentions(
            &tokens("Mortgage REITs"),
            Some("REIT - Mortgage"),
            &[]
        ));
        assert!(!label_mentions(
            &tokens("Mortgage REITs"),
            Some("REIT - Office"),
            &[]
        ));
        assert!(label_mentions(&tokens("Airlines"), Some("Airlines"), &[]));
        assert!(label_mentions(
            &tokens("Car dealerships"),
            Some("Auto & Truck Dealerships"),
            &[]
        ));
        assert!(label_mentions(
            &tokens("Autohäuser"),
            Some("Auto & Truck Dealerships"),
            &[]
        ));
        assert!(!label_mentions(
            &tokens("Car dealerships"),
            Some("Auto Parts"),
            &[]
        ));
    }
}
