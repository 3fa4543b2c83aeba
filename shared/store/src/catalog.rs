//! The company catalog: two tables (access patterns in infra/README.md).
//!
//! `CatalogTable`, by id:
//! - a company by registrable domain (`GetItem` / `BatchGetItem`), for enrichment matching and
//!   for the companies a discovery selected;
//! - `alias:<normalised name>`: the ids of the companies of that name, so a list of names is one
//!   `BatchGetItem` of aliases and one of the companies (enrichment rows without a website);
//! - `stats:<market>`: the companies of a market and their total BM25 length (corpus statistics
//!   the importer keeps), which also tell discovery which partitions hold nobody;
//! - `df:<market>#<parts>#<part>`: the market's document frequencies, split by term hash
//!   (`frequencies`): a discovery reads the parts of its query's terms only.
//!
//! `CatalogFeaturesTable`, by market: partition `<ISO country>#<segment>#<shard>`, sort
//! `<city>#<id>`, each item a company's feature record (`features::Features`, ~0.3 KB). Discovery
//! queries the partitions of the countries and segments it can return (never the whole catalog,
//! never a company body), then reads the ≤ 200 it selects by id. A market is spread over
//! `shards` partitions (`CATALOG_SHARDS`), read in parallel, so no partition's throughput caps a
//! large market (infra/README.md, "Discovery at scale").
mod frequencies;

use super::{classify, n, s, Item};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest,
};
use domain::normalize;
use domain::ApiError;
use engine::catalog::CatalogCompany;
use engine::corpus;
use engine::features::{self, Features};
use engine::industry::Industry;
use engine::ports::Candidates;
use futures::{StreamExt, TryStreamExt};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Per market, the change of each term's document frequency in one import batch.
#[derive(Default)]
struct Frequencies(BTreeMap<String, BTreeMap<u32, i64>>);

impl Frequencies {
    fn add(&mut self, market: &str, terms: impl Iterator<Item = u32>, sign: i64) {
        let counts = self.0.entry(market.to_string()).or_default();
        for t in terms {
            *counts.entry(t).or_default() += sign;
        }
    }

    /// Whether the batch changes any frequency of `market`.
    fn changes(&self, market: &str) -> bool {
        self.0
            .get(market)
            .is_some_and(|d| d.values().any(|v| *v != 0))
    }
}

#[derive(Clone)]
pub struct CatalogStore {
    pub client: aws_sdk_dynamodb::Client,
    /// Companies, name aliases and market statistics, by id.
    pub table: String,
    /// Feature records by market.
    pub features_table: String,
    /// Partitions per market (`CATALOG_SHARDS`); changing it needs a re-import into an empty
    /// features table.
    pub shards: u32,
    /// Companies per part of a market's document frequencies (`corpus::COMPANIES_PER_PART`;
    /// smaller in tests, to split small markets).
    pub companies_per_part: u64,
}

/// Ids an alias keeps: a name shared by more companies ("Home", "N/A") says too little to match
/// on, and an item holds 400 KB at most.
const MAX_ALIAS_REFS: usize = 2000;

/// Market partitions read (or statistics updated) at once.
const PARALLEL_QUERIES: usize = 8;

/// `<ISO country>#<segment>`: what discovery asks for.
/// `c` with its technologies dated: the source's time if it gave one, else this import's.
fn stamped<'c>(c: &'c CatalogCompany, imported_at: &str) -> Cow<'c, CatalogCompany> {
    if c.technologies.is_empty() || c.technologies_seen_at.is_some() {
        return Cow::Borrowed(c);
    }
    let mut c = c.clone();
    c.technologies_seen_at = Some(imported_at.to_string());
    Cow::Owned(c)
}

pub fn market_key(country: &str, industry: Industry) -> String {
    format!("{}#{}", normalize::country(country), industry.key())
}

/// Where a company's record lives: its market, its shard of it, and its sort key.
struct Placement {
    market: String,
    partition: String,
    sort: String,
}

fn shard_of(id: &str, shards: u32) -> u32 {
    engine::text::term_hash(id) % shards.max(1)
}

fn decode(item: &Item) -> Result<CatalogCompany, ApiError> {
    let body = item
        .get("body")
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| ApiError::Internal("catalog item without body".into()))?;
    serde_json::from_str(body).map_err(|e| ApiError::Internal(format!("corrupt catalog item: {e}")))
}

fn put_request(item: Item) -> Result<WriteRequest, ApiError> {
    let put = PutRequest::builder()
        .set_item(Some(item))
        .build()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(WriteRequest::builder().put_request(put).build())
}

/// What the store keeps of a company where it was last written: to move its record when its
/// market changes, and to keep the market statistics exact across re-imports.
#[derive(Clone, Default)]
struct Written {
    market: String,
    partition: String,
    sort: String,
    tokens: i64,
    /// The distinct terms it added to its market's document frequencies.
    terms: Vec<u32>,
}

impl Written {
    fn of(item: &Item) -> Option<Self> {
        // None for a company written before frequencies were kept: nothing was added for it.
        let terms = item
            .get("terms")
            .and_then(|v| v.as_b().ok())
            .and_then(|bytes| corpus::decode_terms(bytes.as_ref()))
            .unwrap_or_default();
        Some(Self {
            market: str_attr(item, "market")?.to_string(),
            partition: str_attr(item, "partition")?.to_string(),
            sort: str_attr(item, "city_id")?.to_string(),
            tokens: item
                .get("tokens")
                .and_then(|v| v.as_n().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            terms,
        })
    }
}

impl CatalogStore {
    pub fn new(
        client: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        features_table: impl Into<String>,
        shards: u32,
    ) -> Self {
        Self {
            client,
            table: table.into(),
            features_table: features_table.into(),
            shards: shards.max(1),
            companies_per_part: corpus::COMPANIES_PER_PART,
        }
    }

    /// The catalog of a function's configuration (`CATALOG_TABLE_NAME`,
    /// `CATALOG_FEATURES_TABLE_NAME`, `CATALOG_SHARDS`).
    pub fn of(c: &config::Config, db: &crate::Dynamo) -> Result<Self, ApiError> {
        match (&c.catalog_table_name, &c.catalog_features_table_name) {
            (Some(table), Some(features)) => Ok(Self::new(
                db.client.clone(),
                table,
                features,
                c.catalog_shards,
            )),
            _ => Err(ApiError::Internal(
                "CATALOG_TABLE_NAME and CATALOG_FEATURES_TABLE_NAME must be set for this function"
                    .into(),
            )),
        }
    }

    /// The key of a company's feature record: (partition, sort key).
    pub fn record_key(&self, c: &CatalogCompany) -> (String, String) {
        let place = self.placement(c);
        (place.partition, place.sort)
    }

    fn placement(&self, c: &CatalogCompany) -> Placement {
        let country = c
            .country
            .as_deref()
            .map(normalize::country)
            .unwrap_or_default();
        let city = c.city.as_deref().map(normalize::city).unwrap_or_default();
        let industry = Industry::classify(c.industry.as_deref(), &c.keywords);
        let market = format!("{country}#{}", industry.key());
        Placement {
            partition: format!("{market}#{}", shard_of(&c.id, self.shards)),
            market,
            sort: format!("{city}#{}", c.id),
        }
    }

    /// Upserts by id (idempotent: importing the same rows twice changes nothing): each company,
    /// its feature record (moved when its market changed), its name alias and its market's
    /// statistics. An alias gains ids and never loses one: a company renamed since keeps a stale
    /// id in its old name's alias, which `by_names` filters out. What was written before is read,
    /// merged and written back, so imports must not run at once (the importer is one process,
    /// `opsctl import-catalog`).
    pub async fn put(&self, companies: &[CatalogCompany]) -> Result<(), ApiError> {
        // The last row of an id wins, as it would written one after the other.
        let mut latest: BTreeMap<&str, &CatalogCompany> = BTreeMap::new();
        for c in companies {
            latest.insert(c.id.as_str(), c);
        }
        let mut aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for c in latest.values() {
            let name = normalize::company_name(&c.name);
            if !name.is_empty() {
                aliases
                    .entry(alias_id(&name))
                    .or_default()
                    .insert(c.id.clone());
            }
        }
        let keys: Vec<String> = latest
            .keys()
            .map(|id| id.to_string())
            .chain(aliases.keys().cloned())
            .collect();
        let mut before: HashMap<String, Written> = HashMap::new();
        for stored in self.items(&keys, true).await? {
            let Some(id) = str_attr(&stored, "id") else {
                continue;
            };
            if let Some(merged) = aliases.get_mut(id) {
                if let Some(Ok(refs)) = stored.get("refs").map(|r| r.as_ss()) {
                    merged.extend(refs.iter().cloned());
                }
            } else if let Some(w) = Written::of(&stored) {
                before.insert(id.to_string(), w);
            }
        }

        let imported_at = domain::clock::now_string();
        let mut companies_out = Vec::new();
        let mut records_out = Vec::new();
        // (companies, tokens) added to each market, and companies per term.
        let mut stats: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        let mut frequencies = Frequencies::default();
        for c in latest.values() {
            let record = Features::of(c);
            let place = self.placement(c);
            let tokens = record.doc.len() as i64;
            if let Some(old) = before.get(&c.id) {
                let entry = stats.entry(old.market.clone()).or_default();
                entry.0 -= 1;
                entry.1 -= old.tokens;
                frequencies.add(&old.market, old.terms.iter().copied(), -1);
                if (old.partition.as_str(), old.sort.as_str()) != (&place.partition, &place.sort) {
                    let key = HashMap::from([
                        ("market".to_string(), s(&old.partition)),
                        ("city_id".to_string(), s(&old.sort)),
                    ]);
                    let delete = DeleteRequest::builder()
                        .set_key(Some(key))
                        .build()
                        .map_err(|e| ApiError::Internal(e.to_string()))?;
                    records_out.push(WriteRequest::builder().delete_request(delete).build());
                }
            }
            let entry = stats.entry(place.market.clone()).or_default();
            entry.0 += 1;
            entry.1 += tokens;
            frequencies.add(&place.market, record.doc.terms().iter().map(|(t, _)| *t), 1);
            let body = serde_json::to_string(&stamped(c, &imported_at))
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            companies_out.push(put_request(HashMap::from([
                ("id".to_string(), s(&c.id)),
                ("body".to_string(), s(body)),
                ("market".to_string(), s(&place.market)),
                ("partition".to_string(), s(&place.partition)),
                ("city_id".to_string(), s(&place.sort)),
                ("tokens".to_string(), n(tokens)),
                (
                    "terms".to_string(),
                    AttributeValue::B(Blob::new(corpus::encode_terms(&record.doc))),
                ),
                ("fv".to_string(), n(features::VERSION)),
            ]))?);
            records_out.push(put_request(HashMap::from([
                ("market".to_string(), s(&place.partition)),
                ("city_id".to_string(), s(&place.sort)),
                (
                    "features".to_string(),
                    AttributeValue::B(Blob::new(record.encode())),
                ),
                ("fv".to_string(), n(features::VERSION)),
            ]))?);
        }
        for (id, refs) in aliases {
            if refs.len() > MAX_ALIAS_REFS {
                tracing::warn!(alias = %id, companies = refs.len(), "name alias capped");
            }
            let refs = refs.into_iter().take(MAX_ALIAS_REFS).collect();
            companies_out.push(put_request(HashMap::from([
                ("id".to_string(), s(id)),
                ("refs".to_string(), AttributeValue::Ss(refs)),
            ]))?);
        }
        // Order matters when an import fails half-way and is run again (a company item already
        // written reads as "there before", so its delta is 0):
        // - records first: a company is never findable by id before its record is in its market;
        // - statistics before companies: a retried import may count a company twice, never zero
        //   times, and a market counted too high is still read (one counted zero is skipped).
        super::batch_write(&self.client, &self.features_table, records_out).await?;
        let after: HashMap<String, MarketStats> = futures::stream::iter(
            stats
                .into_iter()
                .filter(|(market, delta)| *delta != (0, 0) || frequencies.changes(market)),
        )
        .map(|(market, (companies, tokens))| async move {
            let out = self
                .client
                .update_item()
                .table_name(&self.table)
                .key("id", s(stats_id(&market)))
                .update_expression("ADD companies :c, tokens :t")
                .expression_attribute_values(":c", n(companies))
                .expression_attribute_values(":t", n(tokens))
                .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
                .send()
                .await
                .map_err(classify)?;
            let stats = out.attributes.as_ref().map(MarketStats::of);
            Ok::<_, ApiError>((market, stats.unwrap_or_default()))
        })
        .buffer_unordered(PARALLEL_QUERIES)
        .try_collect()
        .await?;
        self.add_frequencies(frequencies, &after).await?;
        super::batch_write(&self.client, &self.table, companies_out).await?;
        Ok(())
    }

    /// The statistics of these markets (absent: nobody was ever imported there).
    pub async fn market_stats(
        &self,
        markets: &[String],
    ) -> Result<HashMap<String, MarketStats>, ApiError> {
        let ids: Vec<String> = markets.iter().map(|m| stats_id(m)).collect();
        Ok(self
            .items(&ids, false)
            .await?
            .iter()
            .filter_map(|item| {
                let market = str_attr(item, "id")?.strip_prefix("stats:")?.to_string();
                Some((market, MarketStats::of(item)))
            })
            .collect())
    }

    /// The companies of each market, from the statistics the importer keeps: a bounded discovery
    /// (a preview) chooses among up to 2,500 markets (50 countries x every segment) with one
    /// small item each, 100 per `BatchGetItem`, 8 batches at a time.
    pub async fn market_sizes(
        &self,
        markets: &[(String, Industry)],
    ) -> Result<HashMap<(String, Industry), u64>, ApiError> {
        let by_key: HashMap<String, &(String, Industry)> =
            markets.iter().map(|m| (market_key(&m.0, m.1), m)).collect();
        let keys: Vec<String> = by_key.keys().cloned().collect();
        let chunks: Vec<Vec<String>> = keys.chunks(100).map(<[String]>::to_vec).collect();
        let stats: Vec<HashMap<String, MarketStats>> = futures::stream::iter(chunks)
            .map(|chunk| async move { self.market_stats(&chunk).await })
            .buffered(PARALLEL_QUERIES)
            .try_collect()
            .await?;
        Ok(stats
            .into_iter()
            .flatten()
            .filter_map(|(key, s)| Some(((*by_key.get(&key)?).clone(), s.companies)))
            .collect())
    }

    /// The feature records of one partition. A record of another version (imported before the
    /// engine changed what it computes) is recomputed from its company, read by id: scored as
    /// the new version scores it, only slower. It stays in the partition it was found in until
    /// `opsctl catalog-features --backfill` rewrites it: a company the new version puts in
    /// another segment is found in its old market until then.
    /// At most `limit` records when given: the partition's first by sort key (`<city>#<id>`),
    /// for a bounded read of a market larger than the bound.
    async fn partition(
        &self,
        partition: String,
        limit: Option<usize>,
    ) -> Result<Vec<Features>, ApiError> {
        let mut out = Vec::new();
        let mut stale = Vec::new();
        let mut start = None;
        loop {
            let left = limit.map(|l| l.saturating_sub(out.len() + stale.len()));
            if left == Some(0) {
                break;
            }
            let page = self
                .client
                .query()
                .table_name(&self.features_table)
                .key_condition_expression("market = :k")
                .expression_attribute_values(":k", s(&partition))
                .set_limit(left.map(|l| l.min(i32::MAX as usize) as i32))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            for item in page.items() {
                let record = item
                    .get("features")
                    .and_then(|v| v.as_b().ok())
                    .and_then(|b| Features::decode(b.as_ref()));
                match record {
                    Some(f) => out.push(f),
                    None => {
                        // The sort key ends with the id: `<city>#<id>`.
                        if let Some((_, id)) =
                            str_attr(item, "city_id").and_then(|k| k.split_once('#'))
                        {
                            stale.push(id.to_string());
                        }
                    }
                }
            }
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        if !stale.is_empty() {
            tracing::warn!(
                partition = %partition,
                stale = stale.len(),
                version = features::VERSION,
                "feature records of another version recomputed; run opsctl catalog-features --backfill"
            );
            out.extend(self.by_ids(&stale).await?.values().map(Features::of));
        }
        Ok(out)
    }

    /// The feature records of every company in these markets (`ports::markets`), with the
    /// markets' statistics for the terms of `query`: the statistics first (one batched read),
    /// then every shard of each market that holds anybody, `PARALLEL_QUERIES` at a time.
    pub async fn candidates(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
    ) -> Result<Candidates, ApiError> {
        self.candidates_at_most(markets, query, None).await
    }

    /// `candidates`, reading at most `records` feature records when given: when the markets hold
    /// more, each of their partitions gives an equal share (its first records by city), and the
    /// statistics stay those of the whole markets.
    pub async fn candidates_at_most(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
        records: Option<u64>,
    ) -> Result<Candidates, ApiError> {
        let markets: Vec<String> = markets
            .iter()
            .map(|(country, bucket)| market_key(country, *bucket))
            .collect();
        let stats = self.market_stats(&markets).await?;
        let populated: Vec<(&String, MarketStats)> = markets
            .iter()
            .filter_map(|m| Some((m, *stats.get(m)?)))
            .filter(|(_, s)| s.companies > 0)
            .collect();
        let corpus = self.corpus(&populated, query).await?;
        let partitions: Vec<String> = populated
            .iter()
            .flat_map(|(m, _)| (0..self.shards).map(move |shard| format!("{m}#{shard}")))
            .collect();
        let held: u64 = populated.iter().map(|(_, s)| s.companies).sum();
        let share = records
            .filter(|r| *r < held)
            .map(|r| (r as usize).div_ceil(partitions.len().max(1)));
        let read: Vec<Vec<Features>> = futures::stream::iter(partitions)
            .map(|p| self.partition(p, share))
            .buffered(PARALLEL_QUERIES)
            .try_collect()
            .await?;
        Ok(Candidates {
            records: read.into_iter().flatten().collect(),
            corpus,
        })
    }

    pub async fn by_ids(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, CatalogCompany>, ApiError> {
        self.items(ids, false)
            .await?
            .iter()
            .map(|item| decode(item).map(|c| (c.id.clone(), c)))
            .collect()
    }

    /// The companies of each normalised name: its alias, then the companies it lists whose name
    /// is still that name.
    pub async fn by_names(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<CatalogCompany>>, ApiError> {
        let aliases: Vec<String> = names.iter().map(|n| alias_id(n)).collect();
        let refs: Vec<String> = self
            .items(&aliases, false)
            .await?
            .iter()
            .filter_map(|a| a.get("refs").and_then(|r| r.as_ss().ok()))
            .flatten()
            .cloned()
            .collect();
        let mut out: HashMap<String, Vec<CatalogCompany>> =
            names.iter().map(|n| (n.clone(), Vec::new())).collect();
        for c in self.by_ids(&refs).await?.into_values() {
            if let Some(same) = out.get_mut(&normalize::company_name(&c.name)) {
                same.push(c);
            }
        }
        for found in out.values_mut() {
            found.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Ok(out)
    }

    /// The items of these ids that exist, 100 keys per `BatchGetItem`, unprocessed keys retried
    /// with backoff; `consistent` for the importer, which must see its own previous writes.
    async fn items(&self, ids: &[String], consistent: bool) -> Result<Vec<Item>, ApiError> {
        let mut found = Vec::new();
        let mut unique: Vec<&String> = ids.iter().collect();
        unique.sort();
        unique.dedup();
        for chunk in unique.chunks(100) {
            let mut keys = KeysAndAttributes::builder();
            for id in chunk {
                keys = keys.keys(HashMap::from([("id".to_string(), s(id.as_str()))]));
            }
            let request = keys
                .consistent_read(consistent)
                .build()
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            found.extend(super::batch_get(&self.client, &self.table, request).await?);
        }
        Ok(found)
    }
}

/// The catalog's feature records by version (`opsctl catalog-features`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FeatureReport {
    pub companies: usize,
    /// Records of `features::VERSION`.
    pub current: usize,
    /// Records of another version (or none): discovery recomputes them on every read.
    pub stale: usize,
    /// Stale records rewritten (with `backfill`).
    pub rewritten: usize,
}

impl CatalogStore {
    /// Counts the companies whose feature record is of another version than the engine's and,
    /// with `backfill`, rewrites them from their stored bodies (the import's own write). One
    /// scan of the features table.
    pub async fn feature_report(&self, backfill: bool) -> Result<FeatureReport, ApiError> {
        let mut report = FeatureReport::default();
        let mut stale = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.features_table)
                .projection_expression("city_id, fv")
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            for item in page.items() {
                report.companies += 1;
                let version = item.get("fv").and_then(|v| v.as_n().ok());
                if version == Some(&features::VERSION.to_string()) {
                    report.current += 1;
                } else if let Some((_, id)) =
                    str_attr(item, "city_id").and_then(|k| k.split_once('#'))
                {
                    stale.push(id.to_string());
                }
            }
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        report.stale = stale.len();
        if backfill {
            for chunk in stale.chunks(500) {
                let companies: Vec<CatalogCompany> =
                    self.by_ids(chunk).await?.into_values().collect();
                self.put(&companies).await?;
                report.rewritten += companies.len();
            }
        }
        Ok(report)
    }
}

/// A market's corpus statistics, kept by the importer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarketStats {
    pub companies: u64,
    /// The BM25 length of all its companies (`Doc::len`): their average is `tokens / companies`.
    pub tokens: u64,
    /// The parts its document frequencies are kept in (`frequencies`).
    pub df_parts: u32,
}

impl MarketStats {
    fn of(item: &Item) -> Self {
        let number = |name: &str| {
            item.get(name)
                .and_then(|v| v.as_n().ok())
                .and_then(|v| v.parse::<i64>().ok())
        };
        Self {
            companies: number("companies").unwrap_or(0).max(0) as u64,
            tokens: number("tokens").unwrap_or(0).max(0) as u64,
            df_parts: number("df_parts").unwrap_or(1).clamp(1, 1 << 20) as u32,
        }
    }
}

fn stats_id(market: &str) -> String {
    format!("stats:{market}")
}

fn alias_id(name: &str) -> String {
    format!("alias:{name}")
}

fn str_attr<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

/// The catalog port of the engine, on DynamoDB.
#[async_trait::async_trait]
impl engine::ports::CatalogSource for CatalogStore {
    async fn candidates(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
    ) -> Result<Candidates, ApiError> {
        CatalogStore::candidates(self, markets, query).await
    }
    async fn by_ids(&self, ids: &[String]) -> Result<HashMap<String, CatalogCompany>, ApiError> {
        CatalogStore::by_ids(self, ids).await
    }
    async fn market_sizes(
        &self,
        markets: &[(String, Industry)],
    ) -> Result<HashMap<(String, Industry), u64>, ApiError> {
        CatalogStore::market_sizes(self, markets).await
    }
    async fn candidates_at_most(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
        records: u64,
    ) -> Result<Candidates, ApiError> {
        CatalogStore::candidates_at_most(self, markets, query, Some(records)).await
    }
    async fn by_names(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<CatalogCompany>>, ApiError> {
        CatalogStore::by_names(self, names).await
    }
}
