//! What a discovery may read (`Budget`), which markets it then reads (`choose`), and what it
//! found (`Found`): shared by the ICP path (`pipeline`) and the lookalike path (`similarity`).
use crate::catalog::CatalogCompany;
use crate::discovery::FilterStats;
use crate::industry::Industry;
use crate::scoring::Assessment;
use std::collections::HashMap;

/// What one discovery found: the selected companies, read in full, best first, each with the
/// assessment that selected it; and how many candidates were ranked.
pub struct Found {
    pub selected: Vec<(CatalogCompany, Assessment)>,
    pub candidates: usize,
    pub stats: FilterStats,
    /// What a bounded discovery (`find_within`) read of what the ICP names; `None`: everything.
    pub coverage: Option<Coverage>,
}

/// What a discovery may read at most (a preview's bound; an order reads everything its ICP names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Markets (country, segment) read.
    pub markets: usize,
    /// Feature records read, summed over the markets chosen; of a largest market holding more,
    /// only this many are read (`CatalogSource::candidates_at_most`).
    pub records: u64,
    /// Companies read in full (the selection's head).
    pub bodies: usize,
}

/// How much of what the ICP names a bounded discovery read, in companies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    pub read: u64,
    pub named: u64,
}

impl Coverage {
    /// Whether markets the ICP names were left unread.
    pub fn partial(&self) -> bool {
        self.read < self.named
    }

    /// `matching` scaled to every market named, by companies: an estimate once partial.
    pub fn extrapolate(&self, matching: usize) -> usize {
        if !self.partial() || self.read == 0 {
            return matching;
        }
        ((matching as f64) * (self.named as f64) / (self.read as f64)).round() as usize
    }
}

/// The markets of `wanted` a budget allows, largest first (they hold most of what matches),
/// with the companies they hold and those named: the largest always (read in part when it holds
/// more than the budget's records), the others while they fit. Markets holding nobody are never
/// chosen (nothing to read).
pub(crate) fn choose(
    wanted: &[(String, Industry)],
    sizes: &HashMap<(String, Industry), u64>,
    budget: &Budget,
) -> (Vec<(String, Industry)>, Coverage) {
    let mut by_size: Vec<(&(String, Industry), u64)> = wanted
        .iter()
        .filter_map(|m| Some((m, *sizes.get(m)?)))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut chosen = Vec::new();
    let mut coverage = Coverage::default();
    for (market, n) in by_size {
        coverage.named += n;
        let fits = chosen.is_empty() || coverage.read + n <= budget.records;
        if fits && chosen.len() < budget.markets {
            chosen.push(market.clone());
            coverage.read += n;
        }
    }
    (chosen, coverage)
}
