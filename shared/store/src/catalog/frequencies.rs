//! A market's document frequencies (`corpus`) in the catalog table: `df:<market>#<parts>#<part>`
//! items, each a `corpus::encode_df` blob and a revision, `parts` being the market's
//! `df_parts` (kept in its `stats:` item, 1 when absent).
//!
//! - An import batch changes each part it touches with a read, then a write conditional on the
//!   revision read; a write that lost the race reads again and retries, so imports of different
//!   companies may run at once without losing a count.
//! - A market grown past its parts' size (`corpus::df_parts`) is split: the new parts are
//!   written under their new names, then `df_parts` switches to them, then the old parts go. A
//!   discovery reading across the switch may miss some frequencies for one query; a split
//!   assumes one importer (as the rest of the import does).
use super::{str_attr, CatalogStore, Frequencies, MarketStats, PARALLEL_QUERIES};
use crate::{classify, n, s, Item};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use domain::ApiError;
use engine::corpus::{self, Corpus};
use futures::{StreamExt, TryStreamExt};
use std::collections::{BTreeMap, HashMap};

/// Writes of a part that may lose a race with another importer before the batch gives up.
const CONFLICT_RETRIES: usize = 8;

fn df_id(market: &str, parts: u32, part: u32) -> String {
    format!("df:{market}#{parts}#{part}")
}

/// A part as stored: its frequencies and the revision a write must find.
#[derive(Default)]
struct Part {
    df: BTreeMap<u32, u64>,
    rev: Option<String>,
}

impl Part {
    fn of(item: &Item) -> Self {
        Self {
            df: item
                .get("df")
                .and_then(|v| v.as_b().ok())
                .and_then(|b| corpus::decode_df(b.as_ref()))
                .unwrap_or_default(),
            rev: item.get("rev").and_then(|v| v.as_n().ok()).cloned(),
        }
    }
}

impl CatalogStore {
    /// Applies an import batch's changes; `after` holds each market's statistics with this batch
    /// counted (what decides its parts), `PARALLEL_QUERIES` parts at a time.
    pub(super) async fn add_frequencies(
        &self,
        frequencies: Frequencies,
        after: &HashMap<String, MarketStats>,
    ) -> Result<(), ApiError> {
        let mut per_part: Vec<(String, BTreeMap<u32, i64>)> = Vec::new();
        let mut splits = Vec::new();
        for (market, delta) in frequencies.0 {
            let stats = after.get(&market).copied().unwrap_or_default();
            let current = stats.df_parts.max(1);
            let want = corpus::df_parts(stats.companies, self.companies_per_part).max(current);
            if want > current {
                splits.push((market, current, want, delta));
                continue;
            }
            let mut parts: BTreeMap<u32, BTreeMap<u32, i64>> = BTreeMap::new();
            for (t, d) in delta.into_iter().filter(|(_, d)| *d != 0) {
                parts
                    .entry(corpus::df_part(t, want))
                    .or_default()
                    .insert(t, d);
            }
            per_part.extend(
                parts
                    .into_iter()
                    .map(|(part, d)| (df_id(&market, want, part), d)),
            );
        }
        let ids: Vec<String> = per_part.iter().map(|(id, _)| id.clone()).collect();
        let mut read: HashMap<String, Part> = self
            .items(&ids, true)
            .await?
            .iter()
            .filter_map(|item| Some((str_attr(item, "id")?.to_string(), Part::of(item))))
            .collect();
        futures::stream::iter(per_part)
            .map(|(id, delta)| {
                let first = read.remove(&id).unwrap_or_default();
                self.change_part(id, first, delta)
            })
            .buffer_unordered(PARALLEL_QUERIES)
            .try_collect::<Vec<_>>()
            .await?;
        for (market, from, to, delta) in splits {
            self.split(&market, from, to, &delta).await?;
        }
        Ok(())
    }

    /// One part changed by `delta`, starting from `part` as read; re-read and retried when
    /// another writer got there first.
    async fn change_part(
        &self,
        id: String,
        mut part: Part,
        delta: BTreeMap<u32, i64>,
    ) -> Result<(), ApiError> {
        for _ in 0..CONFLICT_RETRIES {
            corpus::apply_delta(&mut part.df, &delta);
            match self.put_part(&id, &part.df, part.rev.as_deref()).await {
                Ok(()) => return Ok(()),
                Err(None) => {
                    let item = self
                        .client
                        .get_item()
                        .table_name(&self.table)
                        .key("id", s(&id))
                        .consistent_read(true)
                        .send()
                        .await
                        .map_err(classify)?;
                    part = item.item.as_ref().map(Part::of).unwrap_or_default();
                }
                Err(Some(e)) => return Err(e),
            }
        }
        Err(ApiError::Unavailable(format!(
            "{id}: other imports kept changing it"
        )))
    }

    /// Writes a part if its revision is still `rev` (absent: if it does not exist yet).
    /// `Err(None)`: someone else wrote it since.
    async fn put_part(
        &self,
        id: &str,
        df: &BTreeMap<u32, u64>,
        rev: Option<&str>,
    ) -> Result<(), Option<ApiError>> {
        let next = rev.and_then(|r| r.parse::<i64>().ok()).unwrap_or(0) + 1;
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("id", s(id))
            .item("df", AttributeValue::B(Blob::new(corpus::encode_df(df))))
            .item("rev", n(next));
        let put = match rev {
            Some(rev) => put
                .condition_expression("rev = :rev")
                .expression_attribute_values(":rev", AttributeValue::N(rev.to_string())),
            None => put.condition_expression("attribute_not_exists(id)"),
        };
        match put.send().await {
            Ok(_) => Ok(()),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
            {
                Err(None)
            }
            Err(e) => Err(Some(classify(e))),
        }
    }

    /// Moves a market's frequencies from `from` parts to `to`, with `delta` applied.
    async fn split(
        &self,
        market: &str,
        from: u32,
        to: u32,
        delta: &BTreeMap<u32, i64>,
    ) -> Result<(), ApiError> {
        let old: Vec<String> = (0..from).map(|p| df_id(market, from, p)).collect();
        let mut df = BTreeMap::new();
        for item in self.items(&old, true).await? {
            df.extend(Part::of(&item).df);
        }
        corpus::apply_delta(&mut df, delta);
        let mut parts: BTreeMap<u32, BTreeMap<u32, u64>> =
            (0..to).map(|p| (p, BTreeMap::new())).collect();
        for (t, count) in df {
            parts
                .entry(corpus::df_part(t, to))
                .or_default()
                .insert(t, count);
        }
        for (part, df) in parts {
            let id = df_id(market, to, part);
            // A split that failed half-way left this part behind: it is replaced.
            self.client
                .put_item()
                .table_name(&self.table)
                .item("id", s(&id))
                .item("df", AttributeValue::B(Blob::new(corpus::encode_df(&df))))
                .item("rev", n(1))
                .send()
                .await
                .map_err(classify)?;
        }
        self.client
            .update_item()
            .table_name(&self.table)
            .key("id", s(super::stats_id(market)))
            .update_expression("SET df_parts = :to")
            .expression_attribute_values(":to", n(to as i64))
            .send()
            .await
            .map_err(classify)?;
        for id in old {
            self.client
                .delete_item()
                .table_name(&self.table)
                .key("id", s(&id))
                .send()
                .await
                .map_err(classify)?;
        }
        tracing::info!(market, from, to, "document frequencies split");
        Ok(())
    }

    /// The document frequencies of `query`'s terms over these markets (with their statistics):
    /// the parts those terms fall in, one batched read.
    pub(super) async fn corpus(
        &self,
        markets: &[(&String, MarketStats)],
        query: &[String],
    ) -> Result<Corpus, ApiError> {
        let terms = corpus::hashes(query);
        let ids: Vec<String> = markets
            .iter()
            .flat_map(|(m, stats)| {
                terms
                    .iter()
                    .map(|t| df_id(m, stats.df_parts, corpus::df_part(*t, stats.df_parts)))
            })
            .collect();
        let mut out = Corpus::default();
        for (_, stats) in markets {
            out.docs += stats.companies;
            out.tokens += stats.tokens;
        }
        for item in self.items(&ids, false).await? {
            let df = Part::of(&item).df;
            for t in &terms {
                if let Some(n) = df.get(t) {
                    *out.df.entry(*t).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}
