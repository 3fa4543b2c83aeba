//! BM25: how relevant a company's text is to an ICP's terms, weighed by a corpus's statistics
//! (`corpus`) or by fixed ones.
use super::corpus::{self, Corpus};
use super::text::Doc;

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
                idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * doc.len() as f64 / self.avg_len))
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
    use crate::text::query_terms;

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
