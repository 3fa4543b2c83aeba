//! The engine's ports: where companies come from. DynamoDB in production (the store's
//! `CatalogStore`), memory in tests, the evaluation and benchmarks.
use super::catalog::CatalogCompany;
use super::corpus::Corpus;
use super::features::Features;
use super::industry::Industry;
use async_trait::async_trait;
use domain::normalize;
use domain::ApiError;
use std::collections::HashMap;

/// The catalog partitions a discovery reads: (ISO country, industry bucket) for every target
/// country and every wanted segment with its hosts (`Industry::reach`; all when the ICP names none).
pub fn markets(countries: &[String], industries: Option<&[Industry]>) -> Vec<(String, Industry)> {
    let buckets = match industries.filter(|i| !i.is_empty()) {
        Some(wanted) => Industry::reach(wanted),
        None => Industry::ALL.to_vec(),
    };
    // "DE", "de" and "Germany" are one market: each is read once, or its companies would count
    // (and take result slots) twice.
    let mut codes: Vec<String> = countries.iter().map(|c| normalize::country(c)).collect();
    codes.sort();
    codes.dedup();
    codes
        .into_iter()
        .flat_map(|code| buckets.iter().map(move |b| (code.clone(), *b)))
        .collect()
}

/// The network ports of enrichment: MX lookups and homepage fetches (`None`: nothing fetched).
pub struct Network {
    pub resolver: std::sync::Arc<dyn super::email::MxResolver>,
    pub fetcher: Option<std::sync::Arc<dyn super::technologies::PageFetcher>>,
}

impl Network {
    /// For what never reaches the internet: every MX lookup fails (scored as neutral) and no
    /// homepage is fetched.
    pub fn offline() -> Self {
        Self {
            resolver: std::sync::Arc::new(super::email::Offline),
            fetcher: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_named_twice_is_one_market() {
        let countries: Vec<String> = ["DE", "de", "Germany", "AT"].map(String::from).to_vec();
        let read = markets(&countries, Some(&[Industry::Software]));
        let mut distinct = read.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(read.len(), distinct.len(), "{read:?}");
        assert!(read.iter().any(|(c, _)| c == "DE") && read.iter().any(|(c, _)| c == "AT"));
    }
}

#[async_trait]
pub trait CatalogSource: Send + Sync {
    /// The feature records (`features::Features`) of the companies in these markets (`markets`),
    /// with the markets' statistics for the terms of `query`: what discovery ranks, never whole
    /// companies.
    async fn candidates(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
    ) -> Result<Candidates, ApiError>;
    /// `candidates` reading at most `records` feature records: a bounded discovery's read of a
    /// market larger than its bound. By default all are read and the first kept (a catalog in
    /// memory reads nothing); a store reads only what it keeps.
    async fn candidates_at_most(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
        records: u64,
    ) -> Result<Candidates, ApiError> {
        let mut all = self.candidates(markets, query).await?;
        all.records
            .truncate(records.try_into().unwrap_or(usize::MAX));
        Ok(all)
    }
    async fn by_ids(&self, ids: &[String]) -> Result<HashMap<String, CatalogCompany>, ApiError>;
    /// The companies each of these markets holds (markets holding none may be absent): what a
    /// bounded discovery (`pipeline::find_within`) chooses its markets by, without reading them.
    async fn market_sizes(
        &self,
        markets: &[(String, Industry)],
    ) -> Result<HashMap<(String, Industry), u64>, ApiError>;
    /// Companies by normalised name (`normalize::company_name`), for many names at once: one
    /// batched lookup, not one query per name. Every name asked for has an entry.
    async fn by_names(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<CatalogCompany>>, ApiError>;
}

/// What discovery ranks: the feature records of the markets read and those markets' corpus
/// statistics (`corpus`), for one query.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    pub records: Vec<Features>,
    pub corpus: Corpus,
}

impl Candidates {
    /// Records with statistics counted from them: a catalog in memory, a benchmark, a test.
    pub fn counted(records: Vec<Features>, query: &[String]) -> Self {
        let corpus = Corpus::of(records.iter().map(|r| &r.doc), query);
        Self { records, corpus }
    }

    /// Adds the candidates of other markets (disjoint from those read: their statistics add up).
    pub fn extend(&mut self, other: Candidates) {
        self.records.extend(other.records);
        self.corpus.add(&other.corpus);
    }
}

/// An in-memory catalog with the same access patterns.
#[derive(Default)]
pub struct MemoryCatalog {
    companies: Vec<CatalogCompany>,
    /// Computed at insert, as the importer computes them.
    features: Vec<Features>,
    by_id: HashMap<String, usize>,
    by_market: HashMap<(String, Industry), Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

impl MemoryCatalog {
    pub fn new(companies: Vec<CatalogCompany>) -> Self {
        let mut m = MemoryCatalog::default();
        for c in companies {
            m.insert(c);
        }
        m
    }

    pub fn insert(&mut self, c: CatalogCompany) {
        if let Some(&i) = self.by_id.get(&c.id) {
            self.features[i] = Features::of(&c);
            self.companies[i] = c; // upsert; indexes of the old version are left (tests do not re-key)
            return;
        }
        let i = self.companies.len();
        let country = c
            .country
            .as_deref()
            .map(normalize::country)
            .unwrap_or_default();
        let industry = Industry::classify(c.industry.as_deref(), &c.keywords);
        self.by_id.insert(c.id.clone(), i);
        self.by_market
            .entry((country, industry))
            .or_default()
            .push(i);
        self.by_name
            .entry(normalize::company_name(&c.name))
            .or_default()
            .push(i);
        self.features.push(Features::of(&c));
        self.companies.push(c);
    }

    pub fn all(&self) -> &[CatalogCompany] {
        &self.companies
    }
}

#[async_trait]
impl CatalogSource for MemoryCatalog {
    async fn candidates(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
    ) -> Result<Candidates, ApiError> {
        let mut out = Vec::new();
        for market in markets {
            if let Some(ix) = self.by_market.get(market) {
                out.extend(ix.iter().map(|i| self.features[*i].clone()));
            }
        }
        Ok(Candidates::counted(out, query))
    }

    async fn market_sizes(
        &self,
        markets: &[(String, Industry)],
    ) -> Result<HashMap<(String, Industry), u64>, ApiError> {
        Ok(markets
            .iter()
            .filter_map(|m| Some((m.clone(), self.by_market.get(m)?.len() as u64)))
            .collect())
    }

    async fn by_ids(&self, ids: &[String]) -> Result<HashMap<String, CatalogCompany>, ApiError> {
        Ok(ids
            .iter()
            .filter_map(|id| {
                self.by_id
                    .get(id)
                    .map(|i| (id.clone(), self.companies[*i].clone()))
            })
            .collect())
    }

    async fn by_names(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<CatalogCompany>>, ApiError> {
        Ok(names
            .iter()
            .map(|name| {
                let found = self
                    .by_name
                    .get(name)
                    .map(|ix| ix.iter().map(|i| self.companies[*i].clone()).collect())
                    .unwrap_or_default();
                (name.clone(), found)
            })
            .collect())
    }
}
