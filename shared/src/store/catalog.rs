//! The company catalog table. Access patterns (infra/README.md):
//! - by id (registrable domain): `GetItem` / `BatchGetItem`, for enrichment matching;
//! - by market: GSI `MarketFeatures`, partition `<country code>#<industry bucket>`, sort
//!   `<city>#<id>`, projecting only the feature record (`features`, `fv`): discovery reads only the
//!   countries and industries it can return, never the whole table, and of each company only what
//!   ranking needs; the selected companies are then read in full by id;
//! - by normalised name: an alias item per name (`alias:<normalised name>`) listing the ids of the
//!   companies of that name, so a list of names is one `BatchGetItem` of aliases and one of the
//!   companies (enrichment rows without a matching website).
use super::{classify, n, s, Item};
use crate::domain::normalize;
use crate::engine::catalog::CatalogCompany;
use crate::engine::features::{self, Features};
use crate::engine::industry::Industry;
use crate::ApiError;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, PutRequest, WriteRequest};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Clone)]
pub struct CatalogStore {
    pub client: aws_sdk_dynamodb::Client,
    pub table: String,
}

/// The index discovery reads (`template.yaml`): market partitions projecting the feature records.
pub const MARKET_INDEX: &str = "MarketFeatures";

pub fn market_key(country: &str, industry: Industry) -> String {
    format!("{}#{}", normalize::country(country), industry.key())
}

fn item(c: &CatalogCompany) -> Result<Item, ApiError> {
    let country = c
        .country
        .as_deref()
        .map(normalize::country)
        .unwrap_or_default();
    let city = c.city.as_deref().map(normalize::city).unwrap_or_default();
    let industry = Industry::classify(c.industry.as_deref(), &c.keywords);
    let body = serde_json::to_string(c).map_err(|e| ApiError::Internal(e.to_string()))?;
    let features = Features::of(c).encode();
    let item = HashMap::from([
        ("id".to_string(), s(&c.id)),
        (
            "market".to_string(),
            s(format!("{country}#{}", industry.key())),
        ),
        ("city_id".to_string(), s(format!("{city}#{}", c.id))),
        ("body".to_string(), s(body)),
        (
            "features".to_string(),
            AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(features)),
        ),
        ("fv".to_string(), n(features::VERSION)),
        (
            "employee_count".to_string(),
            n(c.employee_count.unwrap_or(0)),
        ),
    ]);
    Ok(item)
}

fn decode(item: &Item) -> Result<CatalogCompany, ApiError> {
    let body = item
        .get("body")
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| ApiError::Internal("catalog item without body".into()))?;
    serde_json::from_str(body).map_err(|e| ApiError::Internal(format!("corrupt catalog item: {e}")))
}

impl CatalogStore {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// The catalog of a function's configuration (`CATALOG_TABLE_NAME`).
    pub fn of(app: &crate::App) -> Result<Self, ApiError> {
        let table = app.config.catalog_table_name.clone().ok_or_else(|| {
            ApiError::Internal("CATALOG_TABLE_NAME is not set for this function".into())
        })?;
        Ok(Self::new(app.db.client.clone(), table))
    }

    /// Upserts by id (idempotent: importing the same rows twice changes nothing), with the name
    /// aliases of the companies. An alias gains ids and never loses one: a company renamed since
    /// keeps a stale id in its old name's alias, which `by_names` filters out. The aliases are
    /// read, merged and written back, so imports of the same names must not run at once (the
    /// importer is one process, `opsctl import-catalog`).
    pub async fn put(&self, companies: &[CatalogCompany]) -> Result<(), ApiError> {
        let mut aliases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for c in companies {
            let name = normalize::company_name(&c.name);
            if !name.is_empty() {
                aliases
                    .entry(alias_id(&name))
                    .or_default()
                    .insert(c.id.clone());
            }
        }
        let keys: Vec<String> = aliases.keys().cloned().collect();
        for stored in self.items(&keys).await? {
            if let (Some(id), Some(refs)) = (str_attr(&stored, "id"), stored.get("refs")) {
                if let (Some(merged), Ok(refs)) = (aliases.get_mut(id), refs.as_ss()) {
                    merged.extend(refs.iter().cloned());
                }
            }
        }
        let alias_items = aliases.into_iter().map(|(id, refs)| {
            Ok(HashMap::from([
                ("id".to_string(), s(id)),
                (
                    "refs".to_string(),
                    AttributeValue::Ss(refs.into_iter().collect()),
                ),
            ]))
        });
        let requests = companies
            .iter()
            .map(item)
            .chain(alias_items)
            .map(|item| {
                let put = PutRequest::builder()
                    .set_item(Some(item?))
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        super::batch_write(&self.client, &self.table, requests).await
    }

    /// The feature records of one market partition. A record of another version (imported
    /// before the engine changed what it computes) is recomputed from its company, read by id:
    /// correct, only slower; `opsctl catalog-features --backfill` rewrites such records.
    async fn market(&self, key: String) -> Result<Vec<Features>, ApiError> {
        let mut out = Vec::new();
        let mut stale = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(MARKET_INDEX)
                .key_condition_expression("market = :k")
                .expression_attribute_values(":k", s(&key))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            for item in page.items() {
                let record = item
                    .get("features")
                    .and_then(|v| v.as_b().ok())
                    .and_then(|b| Features::decode(b.as_ref()));
                match (record, str_attr(item, "id")) {
                    (Some(f), _) => out.push(f),
                    (None, Some(id)) => stale.push(id.to_string()),
                    (None, None) => {}
                }
            }
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        if !stale.is_empty() {
            tracing::warn!(
                market = %key,
                stale = stale.len(),
                version = features::VERSION,
                "feature records of another version recomputed; run opsctl catalog-features --backfill"
            );
            out.extend(self.by_ids(&stale).await?.values().map(Features::of));
        }
        Ok(out)
    }

    /// The feature records of every company in the given countries, limited to `industries`
    /// when given.
    pub async fn candidates(
        &self,
        countries: &[String],
        industries: Option<&[Industry]>,
    ) -> Result<Vec<Features>, ApiError> {
        let mut out = Vec::new();
        for (country, bucket) in crate::engine::ports::markets(countries, industries) {
            out.extend(self.market(market_key(&country, bucket)).await?);
        }
        Ok(out)
    }

    pub async fn by_ids(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, CatalogCompany>, ApiError> {
        self.items(ids)
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
            .items(&aliases)
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
    /// with backoff.
    async fn items(&self, ids: &[String]) -> Result<Vec<Item>, ApiError> {
        let mut found = Vec::new();
        let mut unique: Vec<&String> = ids.iter().collect();
        unique.sort();
        unique.dedup();
        for chunk in unique.chunks(100) {
            let mut keys = KeysAndAttributes::builder();
            for id in chunk {
                keys = keys.keys(HashMap::from([("id".to_string(), s(id.as_str()))]));
            }
            let mut request = Some(
                keys.build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            );
            let mut attempt = 0u32;
            while let Some(keys) = request.take() {
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, keys)
                    .send()
                    .await
                    .map_err(classify)?;
                found.extend(
                    out.responses
                        .as_ref()
                        .and_then(|r| r.get(&self.table))
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
                request = out
                    .unprocessed_keys
                    .and_then(|mut m| m.remove(&self.table))
                    .filter(|k| !k.keys().is_empty());
                attempt += 1;
                if request.is_some() {
                    if attempt > 10 {
                        return Err(ApiError::Unavailable(
                            "catalog batch get left unprocessed keys".into(),
                        ));
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(20 << attempt.min(6)))
                        .await;
                }
            }
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
    /// with `backfill`, rewrites them from their stored bodies (the import's own write: the
    /// record, its version and the name alias). One scan of the table.
    pub async fn feature_report(&self, backfill: bool) -> Result<FeatureReport, ApiError> {
        let mut report = FeatureReport::default();
        let mut stale = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .projection_expression("id, fv")
                .filter_expression("attribute_exists(body)")
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            for item in page.items() {
                report.companies += 1;
                let version = item.get("fv").and_then(|v| v.as_n().ok());
                if version == Some(&features::VERSION.to_string()) {
                    report.current += 1;
                } else if let Some(id) = str_attr(item, "id") {
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
impl crate::engine::ports::CatalogSource for CatalogStore {
    async fn candidates(
        &self,
        countries: &[String],
        industries: Option<&[Industry]>,
    ) -> Result<Vec<Features>, ApiError> {
        CatalogStore::candidates(self, countries, industries).await
    }
    async fn by_ids(&self, ids: &[String]) -> Result<HashMap<String, CatalogCompany>, ApiError> {
        CatalogStore::by_ids(self, ids).await
    }
    async fn by_names(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<CatalogCompany>>, ApiError> {
        CatalogStore::by_names(self, names).await
    }
}
