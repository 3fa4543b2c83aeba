//! Offset paging over a key condition: one COUNT pass for `total`, then items up to offset+limit.
//! (Results pages use sort-key arithmetic instead; see `results`.)
use super::{classify, Dynamo, Item};
use crate::domain::paging::Page;
use crate::ApiError;
use aws_sdk_dynamodb::types::{AttributeValue, Select};
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

    /// Items `offset..offset+limit` in query order.
    pub async fn fetch(&self, db: &Dynamo, page: Page) -> Result<Vec<Item>, ApiError> {
        let want = page.offset + page.limit;
        let mut seen = Vec::with_capacity(want.min(1000));
        let mut start: Option<Item> = None;
        loop {
            let out = self
                .request(db)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(classify)?;
            seen.extend(out.items.unwrap_or_default());
            if seen.len() >= want {
                break;
            }
            match out.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => break,
            }
        }
        Ok(seen
            .into_iter()
            .skip(page.offset)
            .take(page.limit)
            .collect())
    }

    /// Every item (for small partitions such as one blacklist's entries at run time).
    pub async fn all(&self, db: &Dynamo) -> Result<Vec<Item>, ApiError> {
        self.fetch(
            db,
            Page {
                offset: 0,
                limit: usize::MAX / 2,
            },
        )
        .await
    }

    pub async fn page(&self, db: &Dynamo, page: Page) -> Result<(Vec<Item>, usize), ApiError> {
        let total = self.count(db).await?;
        let items = if page.offset >= total {
            Vec::new()
        } else {
            self.fetch(db, page).await?
        };
        Ok((items, total))
    }
}
