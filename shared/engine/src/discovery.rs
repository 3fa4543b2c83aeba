//! Discovery: hard filters, then scoring, then the best companies above a threshold.
//!
//! - Hard filters (never relaxed): the company's country is one of `target_countries`, its industry
//!   is not in `excluded_industries`, it matches no assigned blacklist, and (with
//!   `exclude_delivered`) it was not delivered to the tenant before.
//! - Ranking: the match score of `scoring` (always computed, even without ANALYSIS), then its
//!   unrounded fit, then text relevance, then name and id, so the order is deterministic.
//! - Returned: companies scoring at least `MIN_SCORE`, best first, at most `MAX_RESULTS`.
use super::blacklist_match::BlacklistIndex;
use super::bm25::Bm25;
use super::features::Features;
use super::icp::Icp;
use super::ports::Candidates;
use super::scoring::{assess_labelled, Assessment};

/// Below this a company meets too little of the ICP to be worth a partner's money.
pub const MIN_SCORE: u8 = 5;
/// At most this many companies per discovery order.
pub const MAX_RESULTS: usize = 200;

#[derive(Debug, Clone)]
pub struct Ranked {
    /// Index into the candidate slice.
    pub index: usize,
    pub assessment: Assessment,
}

/// Why a candidate was dropped before scoring (for counters and tests).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FilterStats {
    pub outside_countries: usize,
    pub excluded_industry: usize,
    pub blacklisted: usize,
    /// The candidates skipped as delivered to the tenant before (`exclude_delivered`), by id:
    /// a set, so a company read for several needs counts once.
    pub delivered: std::collections::BTreeSet<String>,
    pub below_threshold: usize,
    /// Companies scoring at least `MIN_SCORE`, whether or not they fit in `MAX_RESULTS`: what a
    /// preview reports as matching.
    pub matching: usize,
}

pub fn passes_hard_filters(
    icp: &Icp,
    c: &Features,
    blacklist: &BlacklistIndex,
    stats: &mut FilterStats,
) -> bool {
    if !c
        .facts
        .country
        .as_ref()
        .is_some_and(|country| icp.countries.contains(country))
    {
        stats.outside_countries += 1;
        return false;
    }
    if c.facts.segment_in(&icp.excluded).is_some() || icp.excludes_labels(&c.labels) {
        stats.excluded_industry += 1;
        return false;
    }
    if !blacklist.is_empty() && blacklist.matches(c) {
        stats.blacklisted += 1;
        return false;
    }
    if blacklist.was_delivered(c) {
        stats.delivered.insert(c.id.clone());
        return false;
    }
    true
}

/// Scores every candidate that passes the hard filters (checked before any scoring) and hands each
/// scored one to `keep`, in candidate order. Text relevance is BM25 under the statistics of the
/// markets read (`Candidates::corpus`), normalised to the best candidate that passes; the terms a
/// company matched are named only for those `keep` keeps (`with_terms`), so scoring allocates
/// nothing per company.
fn score(
    icp: &Icp,
    candidates: &Candidates,
    blacklist: &BlacklistIndex,
    stats: &mut FilterStats,
    mut keep: impl FnMut(Ranked),
) {
    let bm25 = Bm25::new(&icp.keywords, &candidates.corpus);
    let candidates = &candidates.records;
    let kept: Vec<usize> = (0..candidates.len())
        .filter(|i| passes_hard_filters(icp, &candidates[*i], blacklist, stats))
        .collect();
    let raw: Vec<f64> = kept
        .iter()
        .map(|i| bm25.score(&candidates[*i].doc))
        .collect();
    let best = raw.iter().copied().fold(0.0_f64, f64::max);
    for (index, r) in kept.into_iter().zip(raw) {
        let relevance = if best > 0.0 { r / best } else { 0.0 };
        let c = &candidates[index];
        let assessment = assess_labelled(icp, &c.facts, Some(&c.labels), relevance, Vec::new());
        keep(Ranked { index, assessment });
    }
}

/// The terms of the query each selected company matched (for its explanation).
fn with_terms(icp: &Icp, candidates: &[Features], mut ranked: Vec<Ranked>) -> Vec<Ranked> {
    let bm25 = Bm25::fixed(&icp.keywords);
    for r in &mut ranked {
        r.assessment.matched_terms = bm25
            .matched_terms(&candidates[r.index].doc)
            .into_iter()
            .map(String::from)
            .collect();
    }
    ranked
}

/// The order of results: score, then unrounded fit, then text relevance, then name and id.
fn best_first(candidates: &[Features], a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.assessment
        .score
        .cmp(&a.assessment.score)
        .then(b.assessment.fit.total_cmp(&a.assessment.fit))
        .then(b.assessment.relevance.total_cmp(&a.assessment.relevance))
        .then_with(|| candidates[a.index].name.cmp(&candidates[b.index].name))
        .then_with(|| candidates[a.index].id.cmp(&candidates[b.index].id))
}

/// Every candidate that passes the hard filters, scored, best first (tests and evaluation; a
/// discovery keeps only its best `MAX_RESULTS`, see `discover`).
pub fn rank(
    icp: &Icp,
    candidates: &Candidates,
    blacklist: &BlacklistIndex,
    stats: &mut FilterStats,
) -> Vec<Ranked> {
    let mut ranked = Vec::new();
    score(icp, candidates, blacklist, stats, |r| ranked.push(r));
    let records = &candidates.records;
    ranked.sort_by(|a, b| best_first(records, a, b));
    with_terms(icp, records, ranked)
}

/// A scored company in the bounded heap of `discover`: the heap's top is the worst one kept.
struct Kept<'a> {
    ranked: Ranked,
    candidates: &'a [Features],
}

impl Ord for Kept<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        best_first(self.candidates, &self.ranked, &other.ranked)
    }
}

impl PartialOrd for Kept<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Kept<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Kept<'_> {}

/// The companies a discovery returns: those scoring at least `MIN_SCORE`, best first, at most
/// `MAX_RESULTS`. A bounded heap keeps the best as they are scored, so memory and ordering work
/// grow with the results, not with the candidates (no sort of everything).
pub fn discover(
    icp: &Icp,
    candidates: &Candidates,
    blacklist: &BlacklistIndex,
) -> (Vec<Ranked>, FilterStats) {
    let (ranked, stats, _) = discover_matching(icp, candidates, blacklist, false);
    (ranked, stats)
}

/// `discover`, and with `all` the indices of every candidate that matches (scores at least
/// `MIN_SCORE`), kept or not: what the needs of one ICP match together (`pipeline::find`).
pub fn discover_matching(
    icp: &Icp,
    candidates: &Candidates,
    blacklist: &BlacklistIndex,
    all: bool,
) -> (Vec<Ranked>, FilterStats, Vec<usize>) {
    let records = &candidates.records;
    let mut matched = Vec::new();
    let mut stats = FilterStats::default();
    let mut heap = std::collections::BinaryHeap::with_capacity(MAX_RESULTS + 1);
    let mut dropped = 0;
    let mut matching = 0;
    score(icp, candidates, blacklist, &mut stats, |ranked| {
        if ranked.assessment.score < MIN_SCORE {
            dropped += 1;
            return;
        }
        matching += 1;
        if all {
            matched.push(ranked.index);
        }
        heap.push(Kept {
            ranked,
            candidates: records,
        });
        if heap.len() > MAX_RESULTS {
            heap.pop();
            dropped += 1;
        }
    });
    stats.below_threshold += dropped;
    stats.matching = matching;
    let selected = heap
        .into_sorted_vec()
        .into_iter()
        .map(|k| k.ranked)
        .collect();
    (with_terms(icp, records, selected), stats, matched)
}

#[cfg(test)]
mod tests;
