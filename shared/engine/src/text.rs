//! Text relevance: tokenisation (folded, stop words removed, light plural stemming) and Okapi BM25
//! over the candidate companies of one discovery.
use super::corpus::{self, Corpus};
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

/// BM25 over a fixed set of documents, for one query.
pub struct Bm25 {
    query: Vec<String>,
    hashes: Vec<u32>,
    idf: Vec<f64>,
    avg_len: f64,
}

/// Tokens in a typical catalog text (name, description, industry): the median over the dataset
/// is ~120 words.
const TYPICAL_DOC_TOKENS: f64 = 120.0;
/// A company naming this many of an ICP's terms is as relevant as text alone can show.
const FULL_RELEVANCE_TERMS: usize = 3;

const K1: f64 = 1.2;
const B: f64 = 0.75;

impl Bm25 {
    /// Weighs the query's terms by the corpus: rare terms count more, and lengths are compared
    /// with the corpus's average.
    pub fn new(query: &[String], corpus: &Corpus) -> Self {
        let hashes = corpus::hashes(query);
        let n = corpus.docs.max(1) as f64;
        let idf = hashes
            .iter()
            .map(|h| {
                // Counts kept apart can disagree (an import run again after a failure may
                // count twice): a term is never in more companies than there are.
                let df = (corpus.df(*h) as f64).min(n);
                ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
            })
            .collect();
        Self {
            query: query.to_vec(),
            hashes,
            idf,
            avg_len: (corpus.tokens as f64 / n).max(1.0),
        }
    }

    /// Statistics fixed in advance rather than taken from the documents at hand: every query term
    /// weighs the same and lengths are compared with a typical company text. A document's score
    /// then depends on nothing but itself, so enrichment batches of any composition agree.
    pub fn fixed(query: &[String]) -> Self {
        Self {
            query: query.to_vec(),
            hashes: corpus::hashes(query),
            idf: vec![1.0; query.len()],
            avg_len: TYPICAL_DOC_TOKENS,
        }
    }

    /// What counts as fully relevant under `fixed` statistics: a text of typical length naming
    /// `FULL_RELEVANCE_TERMS` of the query's terms once (each then scores exactly 1).
    pub fn full_score(&self) -> f64 {
        self.query.len().min(FULL_RELEVANCE_TERMS) as f64
    }

    pub fn score(&self, doc: &Doc) -> f64 {
        self.hashes
            .iter()
            .zip(&self.idf)
            .map(|(q, idf)| {
                let tf = doc.count(*q) as f64;
                if tf == 0.0 {
                    return 0.0;
                }
                idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * doc.len as f64 / self.avg_len))
            })
            .sum()
    }

    /// The query terms a document contains (for the explanation).
    pub fn matched_terms<'a>(&'a self, doc: &Doc) -> Vec<&'a str> {
        self.query
            .iter()
            .zip(&self.hashes)
            .filter(|(_, h)| doc.count(**h) > 0)
            .map(|(q, _)| q.as_str())
            .collect()
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

    #[test]
    fn rare_terms_weigh_more_and_repetition_saturates() {
        let docs = vec![
            Doc::new(["payroll software for hr teams"]),
            Doc::new(["accounting software"]),
            Doc::new(["software software software software"]),
            Doc::new(["bakery"]),
        ];
        let q = query_terms("HR payroll software");
        let bm = Bm25::new(&q, &Corpus::of(&docs, &q));
        let s: Vec<f64> = docs.iter().map(|d| bm.score(d)).collect();
        assert!(s[0] > s[1] && s[0] > s[2], "{s:?}");
        assert!(s[2] < 2.0 * s[1], "term frequency saturates: {s:?}");
        assert_eq!(s[3], 0.0);
        assert_eq!(
            bm.matched_terms(&docs[0]),
            vec!["hr", "payroll", "software"]
        );
    }

    #[test]
    fn fixed_statistics_score_a_document_by_itself() {
        let q: Vec<String> = ["payroll", "software", "hr"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let bm = Bm25::fixed(&q);
        let typical = |extra: &str| {
            let filler = "word ".repeat(TYPICAL_DOC_TOKENS as usize - 1);
            Doc::new([filler.as_str(), extra])
        };
        assert!(
            (bm.score(&typical("payroll")) - 1.0).abs() < 1e-9,
            "one term once, typical length"
        );
        assert_eq!(bm.full_score(), 3.0);
        // The same document scores the same whatever else is around (no corpus).
        let d = Doc::new(["HR and payroll software for mid-sized firms"]);
        assert_eq!(bm.score(&d), Bm25::fixed(&q).score(&d));
    }
}
