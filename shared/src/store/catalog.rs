//! The company catalog table. Access patterns (infra/README.md):
//! - by id (registrable domain): `GetItem` / `BatchGetItem`, for enrichment matching;
//! - by market: GSI `ByMarket`, partition `<country code>#<industry bucket>`, sort `<city>#<id>`,
//!   so discovery reads only the countries and industries it can return, never the whole table;
//! - by normalised name: GSI `ByName`, partition the name, sort `<country code>#<city>`, for
//!   enrichment rows without a website.
use super::{classify, n, s, Item};
use crate::domain::normalize;
use crate::engine::catalog::CatalogCompany;
use crate::engine::industry::Industry;
use crate::ApiError;
use aws_sdk_dynamodb::types::{KeysAndAttributes, PutRequest, WriteRequest};
use std::collections::HashMap;

#[derive(Clone)]
pub struct CatalogStore {
    pub client: aws_sdk_dynamodb::Client,
    pub table: String,
}

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
    let mut item = HashMap::from([
        ("id".to_string(), s(&c.id)),
        (
            "market".to_string(),
            s(format!("{country}#{}", industry.key())),
        ),
        ("city_id".to_string(), s(format!("{city}#{}", c.id))),
        ("country_city".to_string(), s(format!("{country}#{city}"))),
        ("body".to_string(), s(body)),
        (
            "employee_count".to_string(),
            n(c.employee_count.unwrap_or(0)),
        ),
    ]);
    let name_key = normalize::company_name(&c.name);
    if !name_key.is_empty() {
        item.insert("name_key".into(), s(name_key));
    }
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

    /// Upserts by id (idempotent: importing the same rows twice changes nothing).
    pub async fn put(&self, companies: &[CatalogCompany]) -> Result<(), ApiError> {
        let requests = companies
            .iter()
            .map(|c| {
                let put = PutRequest::builder()
                    .set_item(Some(item(c)?))
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        super::batch_write(&self.client, &self.table, requests).await
    }

    async fn query_all(
        &self,
        index: &str,
        key_attr: &str,
        key: String,
    ) -> Result<Vec<CatalogCompany>, ApiError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .key_condition_expression("#k = :k")
                .expression_attribute_names("#k", key_attr)
                .expression_attribute_values(":k", s(&key))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            for item in page.items() {
                out.push(decode(item)?);
            }
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(out),
            }
        }
    }

    /// Every company in the given countries, limited to `industries` when given.
    pub async fn candidates(
        &self,
        countries: &[String],
        industries: Option<&[Industry]>,
    ) -> Result<Vec<CatalogCompany>, ApiError> {
        let mut out = Vec::new();
        for (country, bucket) in crate::engine::ports::markets(countries, industries) {
            out.extend(
                self.query_all("ByMarket", "market", market_key(&country, bucket))
                    .await?,
            );
        }
        Ok(out)
    }

    pub async fn by_ids(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, CatalogCompany>, ApiError> {
        let mut found = HashMap::new();
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
                for item in out
                    .responses
                    .as_ref()
                    .and_then(|r| r.get(&self.table))
                    .into_iter()
                    .flatten()
                {
                    let c = decode(item)?;
                    found.insert(c.id.clone(), c);
                }
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

    pub async fn by_name(&self, name: &str) -> Result<Vec<CatalogCompany>, ApiError> {
        let key = normalize::company_name(name);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        self.query_all("ByName", "name_key", key).await
    }
}

/// The catalog port of the engine, on DynamoDB.
#[async_trait::async_trait]
impl crate::engine::ports::CatalogSource for CatalogStore {
    async fn candidates(
        &self,
        countries: &[String],
        industries: Option<&[Industry]>,
    ) -> Result<Vec<CatalogCompany>, ApiError> {
        CatalogStore::candidates(self, countries, industries).await
    }
    async fn by_ids(&self, ids: &[String]) -> Result<HashMap<String, CatalogCompany>, ApiError> {
        CatalogStore::by_ids(self, ids).await
    }
    async fn by_name(&self, name: &str) -> Result<Vec<CatalogCompany>, ApiError> {
        CatalogStore::by_name(self, name).await
    }
}
