//! Text as BM25 reads it: tokenisation (folded, stop words removed, light plural stemming), term
//! hashes and documents (`bm25` scores them).
use domain::normalize::fold;
use std::collections::HashMap;

const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "have",
    "in",
    "into",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "that",
    "the",
    "their",
    "them",
    "they",
    "this",
    "to",
    "was",
    "were",
    "which",
    "with",
    "we",
    "our",
    "you",
    "your",
    "who",
    "companies",
    "company",
    "ideally",
    "focused",
    "based",
    "like",
    "such",
    "other",
    "more",
    "than",
    "also",
    "der",
    "die",
    "das",
    "und",
    "oder",
    "mit",
    "fur",
    "von",
    "im",
    "in",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einer",
    "zu",
    "auf",
    "als",
    "bei",
    "unternehmen",
    "firmen",
    // What kind of company, not which industry: "Makers of X" and "Hersteller von X" (read
    // "maker manufacturer") rank by X alike.
    "maker",
    "makers",
    "manufacturer",
    "manufacturers",
    "producer",
    "producers",
    "vendor",
    "vendors",
    "provider",
    "providers",
    "firm",
    "firms",
    "sowie",
    "region",
    "employees",
    "mitarbeiter",
    "staff",
    "people",
    "team",
];

/// Whether BM25 drops this folded word as saying nothing ("in", "und", "companies").
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// The one tokeniser: the words of a folded text (`domain::normalize::fold`), everything not
/// alphanumeric separating them. BM25 terms (`tokens`), industry phrases (`industry::tokens`) and
/// contact titles build on it, each adding only its own normalisation.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// BM25 terms: folded words without stop words and numbers; a trailing plural `s` is dropped from
/// longer words so "solutions" ~ "solution".
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    words(&fold(text))
        .filter(|t| {
            t.len() >= 2 && !STOP_WORDS.contains(t) && !t.chars().all(|c| c.is_ascii_digit())
        })
        .map(|t| {
            if t.len() > 4 && t.ends_with('s') && !t.ends_with("ss") {
                t[..t.len() - 1].to_string()
            } else {
                t.to_string()
            }
        })
        .collect::<Vec<_>>()
        .into_iter()
}

/// Legal forms partners write in ICPs ("GmbHs", "AGs"; tokens arrive without a plural "s" when
/// long enough). Short ones that are also words ("ev", "spa", "as") stay keywords.
const QUERY_LEGAL_FORMS: &[&str] = &[
    "gmbh", "gmbhs", "ag", "ags", "kg", "kgaa", "mbh", "ohg", "ug", "inc", "ltd", "llc", "llp",
    "plc", "corp", "sarl", "bv", "nv", "srl",
];

/// Distinct query terms in first-seen order. Country names are hard filters, not keywords
/// ("Deutschland" would otherwise favour "Kabel Deutschland"); legal forms ("GmbHs", "AG") say
/// nothing about an industry.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tokens(text)
        .filter(|t| domain::normalize::country(t).len() != 2 || t.len() == 2)
        .filter(|t| !QUERY_LEGAL_FORMS.contains(&t.as_str()))
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

/// A term as documents and queries hold it: 32 bits of FNV-1a. A collision (about one in 4
/// billion pairs) could only credit a company with a query term it lacks.
pub fn term_hash(term: &str) -> u32 {
    term.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// A document reduced to what BM25 needs: (term hash, count) sorted by hash, and its length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doc {
    terms: Vec<(u32, u32)>,
    len: u32,
}

impl Doc {
    pub fn new<'a>(fields: impl IntoIterator<Item = &'a str>) -> Self {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        let mut len = 0;
        for field in fields {
            for t in tokens(field) {
                *counts.entry(term_hash(&t)).or_insert(0) += 1;
                len += 1;
            }
        }
        let mut terms: Vec<(u32, u32)> = counts.into_iter().collect();
        terms.sort_unstable();
        Self { terms, len }
    }

    /// A stored document (`features::Features`): `terms` sorted by hash.
    pub fn from_parts(mut terms: Vec<(u32, u32)>, len: u32) -> Self {
        terms.sort_unstable();
        Self { terms, len }
    }

    pub fn terms(&self) -> &[(u32, u32)] {
        &self.terms
    }

    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn count(&self, term: u32) -> u32 {
        self.terms
            .binary_search_by_key(&term, |(t, _)| *t)
            .map(|i| self.terms[i].1)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenises_and_stems_lightly() {
        let t: Vec<String> =
            tokens("B2B Software-Solutions for the Mittelstand, 50 employees").collect();
        assert_eq!(t, ["b2b", "software", "solution", "mittelstand"]);
    }

    #[test]
    fn legal_forms_and_countries_are_not_query_terms() {
        assert_eq!(
            query_terms("Maschinenbau GmbHs und AGs in Deutschland"),
            ["maschinenbau"]
        );
    }
}
