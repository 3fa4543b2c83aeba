//! Offset paging over a key condition without holding what lies before the offset: the store
//! walks to the offset with `Select: COUNT` queries (or, when a filter decides what counts, with
//! key-only pages) and reads the page itself from the key it reached. Totals come from stored
//! counters (`counters`), never from a count of the partition. Reads still grow with the offset
//! (DynamoDB has no positional seek), so offsets are capped at `MAX_OFFSET`.
//! (Results pages use sort-key arithmetic instead; see `results`.)
use super::{classify, keys, Dynamo, Item};
use aws_sdk_dynamodb::types::{AttributeValue, Select};
use domain::paging::{Page, MAX_LIMIT, MAX_OFFSET};
use domain::ApiError;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct KeyQuery {
    pub index: Option<&'static str>,
    pub key_condition: String,
    pub filter: Option<String>,
    pub names: HashMap<String, String>,
    pub values: HashMap<String, AttributeValue>,
    /// Newest first when sort keys are time-ordered ids.
    pub newest_first: bool,
    /// A strongly consistent read (base table only: indexes cannot give one).
    pub consistent: bool,
}

/// Where a page starts: from the beginning, after a key, or past the last item.
enum Start {
    Beginning,
    After(Item),
    PastTheEnd,
}

impl KeyQuery {
    /// `pk_attr = :pk AND begins_with(sk_attr, :prefix)`.
    pub fn prefix(index: Option<&'static str>, pk: (&str, String), sk: (&str, &str)) -> Self {
        let mut q = KeyQuery {
            index,
            key_condition: "#pk = :pk AND begins_with(#sk, :prefix)".into(),
            newest_first: true,
            ..Default::default()
        };
        q.names.insert("#pk".into(), pk.0.into());
        q.names.insert("#sk".into(), sk.0.into());
        q.values.insert(":pk".into(), super::s(pk.1));
        q.values.insert(":prefix".into(), super::s(sk.1));
        q
    }

    /// `pk_attr = :pk`: the whole partition.
    pub fn partition(index: Option<&'static str>, pk: (&str, String)) -> Self {
        let mut q = KeyQuery {
            index,
            key_condition: "#pk = :pk".into(),
            newest_first: true,
            ..Default::default()
        };
        q.names.insert("#pk".into(), pk.0.into());
        q.values.insert(":pk".into(), super::s(pk.1));
        q
    }

    pub fn filter_eq(mut self, attr: &str, value: &str) -> Self {
        let i = self.names.len();
        let (name, val) = (format!("#f{i}"), format!(":f{i}"));
        let clause = format!("{name} = {val}");
        self.filter = Some(match self.filter.take() {
            Some(f) => format!("{f} AND {clause}"),
            None => clause,
        });
        self.names.insert(name, attr.into());
        self.values.insert(val, super::s(value));
        self
    }

    fn request(
        &self,
        db: &Dynamo,
    ) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
        db.client
            .query()
            .table_name(&db.table)
            .set_index_name(self.index.map(String::from))
            .key_condition_expression(&self.key_condition)
            .set_filter_expression(self.filter.clone())
            .set_expression_attribute_names(Some(self.names.clone()))
            .set_expression_attribute_values(Some(self.values.clone()))
            .scan_index_forward(!self.newest_first)
            .consistent_read(self.consistent && self.index.is_none())
    }

    /// The attributes of an `ExclusiveStartKey` for this query: the table's key, and the index's
    /// when the query reads one.
    fn key_attributes(&self) -> &'static [&'static str] {
        match self.index {
            Some(keys::GSI1) => &[keys::PK, keys::SK, keys::GSI1PK, keys::GSI1SK],
            Some(keys::GSI2) => &[keys::PK, keys::SK, keys::GSI2PK, keys::GSI2SK],
            _ => &[keys::PK, keys::SK],
        }
    }

    /// Counts matching items, one page at a time (nothing held). For small partitions and
    /// operators' checks only: listings take their totals from stored counters.
    pub async fn count(&self, db: &Dynamo) -> Result<usize, ApiError> {
        let mut total = 0usize;
        let mut start: Option<Item> = None;
        loop {
            let out = self
                .request(db)
                .select(Select::Count)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            total += out.count() as usize;
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(total),
            }
        }
    }

    /// The key after the first `offset` matching items, holding none of them.
    /// Without a filter every evaluated item counts, so `Select: COUNT` with `Limit` = what is
    /// left lands exactly on the offset and DynamoDB's `LastEvaluatedKey` is the cursor. With a
    /// filter, `Limit` applies before it, so pages are read keys-only and the cursor is built
    /// from the last key skipped: at most one page of keys (DynamoDB's 1 MB of evaluation) is
    /// held at a time.
    async fn skip(&self, db: &Dynamo, offset: usize) -> Result<Start, ApiError> {
        if offset > MAX_OFFSET {
            return Err(domain::paging::offset_too_deep());
        }
        let mut left = offset;
        let mut start: Option<Item> = None;
        let key_attrs = self.key_attributes();
        while left > 0 {
            let req = self.request(db).set_exclusive_start_key(start.take());
            let (counted, last) = if self.filter.is_none() {
                let out = req
                    .select(Select::Count)
                    .limit(left.min(i32::MAX as usize) as i32)
                    .send()
                    .await
                    .map_err(classify)?;
                (out.count() as usize, out.last_evaluated_key)
            } else {
                let mut req = req.select(Select::SpecificAttributes);
                let mut projection = Vec::with_capacity(key_attrs.len());
                for (i, attr) in key_attrs.iter().enumerate() {
                    let name = format!("#k{i}");
                    req = req.expression_attribute_names(&name, *attr);
                    projection.push(name);
                }
                let out = req
                    .projection_expression(projection.join(", "))
                    .send()
                    .await
                    .map_err(classify)?;
                let items = out.items.unwrap_or_default();
                if items.len() > left {
                    // The cursor is the last item skipped; the page starts right after it.
                    let last = items.into_iter().nth(left - 1).map(|item| {
                        item.into_iter()
                            .filter(|(k, _)| key_attrs.contains(&k.as_str()))
                            .collect::<Item>()
                    });
                    return Ok(last.map_or(Start::Beginning, Start::After));
                }
                (items.len(), out.last_evaluated_key)
            };
            left -= counted.min(left);
            match last {
                Some(k) if !k.is_empty() => start = Some(k),
                // Nothing follows what was counted: the offset is at or past the end.
                _ => return Ok(Start::PastTheEnd),
            }
        }
        Ok(start.map_or(Start::Beginning, Start::After))
    }

    /// Items `offset..offset+limit` in query order; at most one page of items is held.
    pub async fn fetch(&self, db: &Dynamo, page: Page) -> Result<Vec<Item>, ApiError> {
        let mut start = match self.skip(db, page.offset).await? {
            Start::PastTheEnd => return Ok(Vec::new()),
            Start::Beginning => None,
            Start::After(key) => Some(key),
        };
        let mut seen: Vec<Item> = Vec::with_capacity(page.limit);
        loop {
            let left = page.limit - seen.len();
            // With a filter, `Limit` counts items before it: a page's worth is evaluated at a
            // time so a sparse filter costs round trips, never memory.
            let evaluate = if self.filter.is_none() {
                left
            } else {
                MAX_LIMIT
            };
            let req = self
                .request(db)
                .set_exclusive_start_key(start.take())
                .limit(evaluate.min(i32::MAX as usize) as i32);
            let out = req.send().await.map_err(classify)?;
            seen.extend(out.items.unwrap_or_default().into_iter().take(left));
            if seen.len() >= page.limit {
                break;
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        Ok(seen)
    }

    /// Calls `each` with every page of items in query order, holding one page at a time.
    pub async fn for_each_page(
        &self,
        db: &Dynamo,
        projection: Option<&[&str]>,
        mut each: impl FnMut(Vec<Item>) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        let mut start: Option<Item> = None;
        loop {
            let mut req = self.request(db).set_exclusive_start_key(start.take());
            if let Some(attrs) = projection {
                let mut names = Vec::with_capacity(attrs.len());
                for (i, attr) in attrs.iter().enumerate() {
                    let name = format!("#p{i}");
                    req = req.expression_attribute_names(&name, *attr);
                    names.push(name);
                }
                req = req.projection_expression(names.join(", "));
            }
            let out = req.send().await.map_err(classify)?;
            each(out.items.unwrap_or_default())?;
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(()),
            }
        }
    }

    /// Every item (for partitions bounded by design: an order's chunks, deliveries, work items).
    pub async fn all(&self, db: &Dynamo) -> Result<Vec<Item>, ApiError> {
        let mut all = Vec::new();
        self.for_each_page(db, None, |page| {
            all.extend(page);
            Ok(())
        })
        .await?;
        Ok(all)
    }

    /// One page, with `total` read from the collection's stored counter by the caller.
    pub async fn page(
        &self,
        db: &Dynamo,
        page: Page,
        total: usize,
    ) -> Result<(Vec<Item>, usize), ApiError> {
        if page.offset > MAX_OFFSET {
            return Err(domain::paging::offset_too_deep());
        }
        // Read even past the counted total: an index may still list what its counter no
        // longer counts (index lag), and a listing shows what the index shows.
        Ok((self.fetch(db, page).await?, total))
    }
}
