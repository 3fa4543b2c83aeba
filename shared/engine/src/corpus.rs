//! Corpus statistics: what BM25 weighs a query's terms with (how many companies, their total
//! length, and how many contain each term), and their stored form.
//!
//! The importer keeps them per market (`CatalogStore`): the counts in one item, the document
//! frequencies in `df_parts` items split by term hash, so a discovery reads only the parts its
//! query's terms fall in. A market's vocabulary grows slower than its companies (the real
//! dataset: 2,256 US software companies use 11,510 terms, 46 KB stored at ~4 bytes a term), so one
//! part per `COMPANIES_PER_PART` companies keeps every item far under DynamoDB's 400 KB, and a
//! small market costs one item. What a company adds and removes is exactly its distinct terms
//! (`Features::doc`), which its catalog item keeps (`encode_terms`), so a re-import replaces them
//! exactly.
//!
//! Statistics are those of whole markets, before any hard filter: a company's relevance does not
//! depend on the partner's blacklist or exclusions, and a discovery knows them before reading the
//! first record.
use super::text::{term_hash, Doc};
use std::collections::{BTreeMap, HashMap};

/// Companies per part of a market's document frequencies.
pub const COMPANIES_PER_PART: u64 = 20_000;

/// How many parts a market of `companies` companies has its frequencies in, one per
/// `per_part` companies (`COMPANIES_PER_PART`): a power of two, so growing splits every part
/// in two.
pub fn df_parts(companies: u64, per_part: u64) -> u32 {
    (companies.div_ceil(per_part.max(1)).clamp(1, 1024) as u32).next_power_of_two()
}

/// The part of a market's frequencies (in `parts` parts) that holds `term`.
pub fn df_part(term: u32, parts: u32) -> u32 {
    term % parts.max(1)
}

/// BM25's statistics for one query over some markets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// Companies.
    pub docs: u64,
    /// Their total BM25 length (`Doc::len`).
    pub tokens: u64,
    /// For each query term (hashed), the companies containing it; a term absent is in none.
    pub df: HashMap<u32, u64>,
}

impl Corpus {
    /// Counted from the documents at hand, for the terms of `query`: a catalog in memory, a
    /// benchmark or a test (the stored statistics are these same counts, kept by the importer).
    pub fn of<'a>(docs: impl IntoIterator<Item = &'a Doc>, query: &[String]) -> Self {
        let hashes = hashes(query);
        let mut corpus = Corpus::default();
        for d in docs {
            corpus.docs += 1;
            corpus.tokens += d.len() as u64;
            for h in &hashes {
                if d.count(*h) > 0 {
                    *corpus.df.entry(*h).or_default() += 1;
                }
            }
        }
        corpus
    }

    /// The statistics of two disjoint sets of companies together.
    pub fn add(&mut self, other: &Corpus) {
        self.docs += other.docs;
        self.tokens += other.tokens;
        for (term, n) in &other.df {
            *self.df.entry(*term).or_default() += n;
        }
    }

    pub fn df(&self, term: u32) -> u64 {
        self.df.get(&term).copied().unwrap_or(0)
    }
}

/// The hashed terms of a query, as documents hold them.
pub fn hashes(query: &[String]) -> Vec<u32> {
    query.iter().map(|q| term_hash(q)).collect()
}

/// A company's distinct terms, as its catalog item keeps them: what it added to its market's
/// frequencies, to take back exactly when it is re-imported.
pub fn encode_terms(doc: &Doc) -> Vec<u8> {
    let terms: Vec<u32> = doc.terms().iter().map(|(t, _)| *t).collect();
    postcard::to_allocvec(&gaps(terms.iter().map(|t| (*t, ())))).unwrap_or_default()
}

pub fn decode_terms(bytes: &[u8]) -> Option<Vec<u32>> {
    let wire: Vec<(u32, ())> = postcard::from_bytes(bytes).ok()?;
    Some(ungaps(wire).into_iter().map(|(t, _)| t).collect())
}

/// One part of a market's document frequencies: (term, companies) by term, stored as gaps
/// between sorted hashes (varints: ~3 bytes a term instead of 5).
pub fn encode_df(df: &BTreeMap<u32, u64>) -> Vec<u8> {
    postcard::to_allocvec(&gaps(df.iter().map(|(t, n)| (*t, *n)))).unwrap_or_default()
}

pub fn decode_df(bytes: &[u8]) -> Option<BTreeMap<u32, u64>> {
    let wire: Vec<(u32, u64)> = postcard::from_bytes(bytes).ok()?;
    Some(ungaps(wire).into_iter().collect())
}

fn gaps<V>(sorted: impl Iterator<Item = (u32, V)>) -> Vec<(u32, V)> {
    let mut last = 0u32;
    sorted
        .map(|(t, v)| {
            let gap = t.wrapping_sub(last);
            last = t;
            (gap, v)
        })
        .collect()
}

fn ungaps<V>(wire: Vec<(u32, V)>) -> Vec<(u32, V)> {
    let mut last = 0u32;
    wire.into_iter()
        .map(|(gap, v)| {
            last = last.wrapping_add(gap);
            (last, v)
        })
        .collect()
}

/// Adds `delta` (terms gained minus terms lost, per term) to one part's frequencies; a term
/// counted by nobody is dropped. Counts never go below zero (a statistics item lost or written
/// by hand cannot make a discovery fail).
pub fn apply_delta(df: &mut BTreeMap<u32, u64>, delta: &BTreeMap<u32, i64>) {
    for (term, d) in delta {
        let n = df.get(term).copied().unwrap_or(0) as i64 + d;
        if n > 0 {
            df.insert(*term, n as u64);
        } else {
            df.remove(term);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_the_documents_contain() {
        let docs = [
            Doc::new(["payroll software"]),
            Doc::new(["accounting software software"]),
            Doc::new(["bakery"]),
        ];
        let q = vec!["software".to_string(), "payroll".into(), "cloud".into()];
        let c = Corpus::of(&docs, &q);
        assert_eq!((c.docs, c.tokens), (3, 6));
        assert_eq!(c.df(term_hash("software")), 2);
        assert_eq!(c.df(term_hash("payroll")), 1);
        assert_eq!(c.df(term_hash("cloud")), 0);
        let mut both = Corpus::of(&docs[..1], &q);
        both.add(&Corpus::of(&docs[1..], &q));
        assert_eq!(both, c, "statistics of disjoint markets add up");
    }

    #[test]
    fn stored_forms_round_trip() {
        let doc = Doc::new(["payroll software for hr teams, software again"]);
        let terms = decode_terms(&encode_terms(&doc)).unwrap();
        assert_eq!(
            terms,
            doc.terms().iter().map(|(t, _)| *t).collect::<Vec<_>>()
        );
        let df: BTreeMap<u32, u64> = [(3, 1), (17, 40_000), (u32::MAX, 2)].into();
        assert_eq!(decode_df(&encode_df(&df)).unwrap(), df);
        assert!(decode_df(b"\xff\xff\xff").is_none());
    }

    #[test]
    fn parts_grow_with_the_market_by_halves() {
        assert_eq!(df_parts(0, COMPANIES_PER_PART), 1);
        assert_eq!(df_parts(20_000, COMPANIES_PER_PART), 1);
        assert_eq!(df_parts(20_001, COMPANIES_PER_PART), 2);
        assert_eq!(df_parts(1_000_000, COMPANIES_PER_PART), 64);
        for t in [0u32, 7, 12345, u32::MAX] {
            // A term's part in 2n parts is its part in n, or that plus n: splitting is local.
            assert_eq!(df_part(t, 8) % 4, df_part(t, 4));
        }
    }

    #[test]
    fn deltas_add_and_remove_terms() {
        let mut df: BTreeMap<u32, u64> = [(1, 2), (2, 1)].into();
        apply_delta(&mut df, &[(1, -1), (2, -1), (3, 4), (4, -2)].into());
        assert_eq!(df, [(1, 1), (3, 4)].into());
    }
}
