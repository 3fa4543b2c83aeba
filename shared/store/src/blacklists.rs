//! Blacklists and entries. An entry's id derives from its match key, so duplicates collide on the
//! same item; entries are added with conditional puts in transactions that also move `entry_count`,
//! which therefore never drifts from the entries stored.
use super::counters;
use super::query::KeyQuery;
use super::{classify, condition_failed_at, from_item, keys, n, s, to_item, with_keys, Dynamo};
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, KeysAndAttributes, Put, ReturnValue, TransactWriteItem, Update,
};
use domain::blacklist::{Blacklist, BlacklistEntry, BlacklistPatch, MatchKey, NewEntry};
use domain::paging::Page;
use domain::ApiError;
use std::collections::HashMap;
use uuid::Uuid;

const ENTRIES_PER_TRANSACTION: usize = 99;
/// How long a DELETE removes entries before it answers (the API functions time out at 15 s); the
/// rest is removed by the outbox relay within a minute or so.
const PURGE_IN_REQUEST: std::time::Duration = std::time::Duration::from_secs(8);
/// `BatchGetItem`'s maximum keys per call.
pub(crate) const LOOKUPS_PER_CALL: usize = 100;
/// Lookup calls in flight at once.
pub(crate) const PARALLEL_LOOKUPS: usize = 8;

/// A blacklist that exists and is not being deleted (deletion marks it first, then cleans up).
const LIVE: &str = "attribute_exists(PK) AND attribute_not_exists(deleted_at)";

/// The 422 for entries that would take a blacklist past `max` entries.
pub fn too_many_entries(max: usize, held: u64, adding: usize) -> ApiError {
    ApiError::validation(
        "entries",
        format!(
            "a blacklist holds at most {max} entries; this one holds {held}, so {adding} more \
             cannot be added (at most {} more)",
            (max as u64).saturating_sub(held)
        ),
    )
}

/// The attribute of a blacklist item listing the kinds of match key added to it (a string set,
/// only ever added to: a kind whose entries were all removed stays listed, which costs a lookup
/// a few keys, never a missed entry).
const ENTRY_KINDS: &str = "entry_kinds";
/// Set on blacklists created since `ENTRY_KINDS` is kept: only theirs is complete.
const KINDS_RECORDED: &str = "kinds_recorded";

/// Moves `entry_count` by `by`; an increase only while the count stays within `max`, recording
/// the `kinds` of the keys added.
fn bump_count(
    db: &Dynamo,
    tenant: &str,
    id: Uuid,
    by: i64,
    now: &str,
    kinds: &[&str],
) -> Result<TransactWriteItem, ApiError> {
    let add = if kinds.is_empty() {
        "ADD entry_count :by".to_string()
    } else {
        format!("ADD entry_count :by, {ENTRY_KINDS} :kinds")
    };
    let mut update = Update::builder()
        .table_name(&db.table)
        .key(keys::PK, s(keys::tenant(tenant)))
        .key(keys::SK, s(keys::blacklist(id)))
        .condition_expression(LIVE)
        .update_expression(format!("{add} SET updated_at = :now"))
        .expression_attribute_values(":by", n(by))
        .expression_attribute_values(":now", s(now));
    if !kinds.is_empty() {
        update = update.expression_attribute_values(
            ":kinds",
            AttributeValue::Ss(kinds.iter().map(|k| k.to_string()).collect()),
        );
    }
    if by > 0 {
        let room = db.limits.max_blacklist_entries as i64 - by;
        update = update
            .condition_expression(format!(
                "{LIVE} AND (attribute_not_exists(entry_count) OR entry_count <= :room)"
            ))
            .expression_attribute_values(":room", n(room));
    }
    Ok(TransactWriteItem::builder()
        .update(
            update
                .build()
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        )
        .build())
}

/// What `add_entries` did: entries new to the blacklist, entries it already held, its size now.
pub struct AddedEntries {
    pub added: usize,
    pub duplicates: usize,
    pub entry_count: u64,
}

impl Dynamo {
    pub async fn create_blacklist(&self, tenant: &str, bl: &Blacklist) -> Result<(), ApiError> {
        let mut item = with_keys(
            to_item(bl)?,
            &[
                (keys::PK, keys::tenant(tenant)),
                (keys::SK, keys::blacklist(bl.id)),
            ],
        );
        item.insert(KINDS_RECORDED.into(), AttributeValue::Bool(true));
        let put = TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item))
                    .condition_expression("attribute_not_exists(PK)")
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            )
            .build();
        let count = counters::add(
            self,
            counters::tenant_key(tenant),
            &[(counters::BLACKLISTS.into(), 1)],
            None,
        )?;
        let transaction = self
            .client
            .transact_write_items()
            .transact_items(put)
            .transact_items(count);
        self.retry_contention(|| transaction.clone().send())
            .await
            .map_err(classify)?;
        Ok(())
    }

    pub async fn get_blacklist(
        &self,
        tenant: &str,
        id: Uuid,
    ) -> Result<Option<Blacklist>, ApiError> {
        let found = self
            .get_consistent(keys::tenant(tenant), keys::blacklist(id))
            .await?;
        match found {
            Some(item) if !item.contains_key("deleted_at") => from_item(item).map(Some),
            _ => Ok(None),
        }
    }

    /// `get_blacklist` with the kinds of match key (`MatchKey::kind`) its entries may have: every
    /// kind ever added (a superset once entries are removed); `None` for a blacklist whose
    /// entries were added before kinds were recorded (any kind).
    pub async fn get_blacklist_kinds(
        &self,
        tenant: &str,
        id: Uuid,
    ) -> Result<Option<(Blacklist, Option<Vec<String>>)>, ApiError> {
        let found = self
            .get_consistent(keys::tenant(tenant), keys::blacklist(id))
            .await?;
        match found {
            Some(item) if !item.contains_key("deleted_at") => {
                let kinds = item.get(ENTRY_KINDS).and_then(|k| k.as_ss().ok()).cloned();
                // A blacklist created before kinds were recorded may hold entries of any kind.
                let kinds = item
                    .contains_key(KINDS_RECORDED)
                    .then(|| kinds.unwrap_or_default());
                Ok(Some((from_item(item)?, kinds)))
            }
            _ => Ok(None),
        }
    }

    pub async fn list_blacklists(
        &self,
        tenant: &str,
        page: Page,
    ) -> Result<(Vec<Blacklist>, usize), ApiError> {
        let mut q = KeyQuery::prefix(
            None,
            (keys::PK, keys::tenant(tenant)),
            (keys::SK, "BLACKLIST#"),
        );
        // Blacklists being deleted are left out, and already out of the counter.
        q.filter = Some("attribute_not_exists(deleted_at)".into());
        let total = self
            .counter(counters::tenant_key(tenant), counters::BLACKLISTS)
            .await?;
        let (items, total) = q.page(self, page, total).await?;
        Ok((
            items.into_iter().map(from_item).collect::<Result<_, _>>()?,
            total,
        ))
    }

    pub async fn patch_blacklist(
        &self,
        tenant: &str,
        id: Uuid,
        patch: &BlacklistPatch,
    ) -> Result<Option<Blacklist>, ApiError> {
        let mut sets = vec!["updated_at = :now"];
        let mut req = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::tenant(tenant)))
            .key(keys::SK, s(keys::blacklist(id)))
            .condition_expression(LIVE)
            .expression_attribute_values(":now", s(domain::clock::now_string()))
            .return_values(ReturnValue::AllNew);
        if let Some(name) = &patch.name {
            sets.push("#name = :name");
            req = req
                .expression_attribute_names("#name", "name")
                .expression_attribute_values(":name", s(name));
        }
        if let Some(description) = &patch.description {
            sets.push("description = :d");
            req = req.expression_attribute_values(
                ":d",
                description
                    .as_ref()
                    .map(s)
                    .unwrap_or(AttributeValue::Null(true)),
            );
        }
        let req = req.update_expression(format!("SET {}", sets.join(", ")));
        match self.retry_contention(|| req.clone().send()).await {
            Ok(out) => out.attributes.map(from_item).transpose(),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
            {
                Ok(None)
            }
            Err(e) => Err(classify(e)),
        }
    }

    pub async fn delete_blacklist(&self, tenant: &str, id: Uuid) -> Result<bool, ApiError> {
        // Crash-safe in three idempotent steps: marked (gone for every reader and writer), its
        // entries removed, then the blacklist item itself. A retry after a crash anywhere finds
        // the mark and finishes the job.
        if !self.mark_blacklist_deleted(tenant, id).await? {
            return Ok(false);
        }
        // What does not fit in the request is left to the outbox relay (`purge_deleted`).
        let until = tokio::time::Instant::now() + PURGE_IN_REQUEST;
        self.purge_blacklist(tenant, id, Some(until)).await?;
        Ok(true)
    }

    /// `None` when the blacklist does not exist.
    pub async fn add_entries(
        &self,
        tenant: &str,
        id: Uuid,
        entries: Vec<NewEntry>,
    ) -> Result<Option<AddedEntries>, ApiError> {
        let (unique, mut duplicates) = domain::blacklist::dedupe(entries);
        // Refused whole when it cannot fit (duplicates of stored entries count until written);
        // the conditional count below keeps the bound under concurrent calls.
        let max = self.limits.max_blacklist_entries;
        let Some(before) = self.get_blacklist(tenant, id).await? else {
            return Ok(None);
        };
        if before.entry_count as usize + unique.len() > max {
            return Err(too_many_entries(max, before.entry_count, unique.len()));
        }
        let mut added = 0usize;
        let now = domain::clock::now_string();
        let pk = keys::blacklist_entries(tenant, id);
        for chunk in unique.chunks(ENTRIES_PER_TRANSACTION) {
            let mut pending: Vec<&NewEntry> = chunk.iter().collect();
            loop {
                let mut kinds: Vec<&str> = pending.iter().map(|e| e.key.kind()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                let mut items = vec![bump_count(
                    self,
                    tenant,
                    id,
                    pending.len() as i64,
                    &now,
                    &kinds,
                )?];
                for e in &pending {
                    let entry = BlacklistEntry {
                        id: e.key.entry_id(id),
                        blacklist_id: id,
                        company_name: e.company_name.clone(),
                        website_url: e.website_url.clone(),
                        city: e.city.clone(),
                        country: e.country.clone(),
                        match_key: e.key.clone(),
                        created_at: now.clone(),
                    };
                    let item = with_keys(
                        to_item(&entry)?,
                        &[(keys::PK, pk.clone()), (keys::SK, keys::entry(entry.id))],
                    );
                    items.push(
                        TransactWriteItem::builder()
                            .put(
                                Put::builder()
                                    .table_name(&self.table)
                                    .set_item(Some(item))
                                    .condition_expression("attribute_not_exists(PK)")
                                    .build()
                                    .map_err(|e| ApiError::Internal(e.to_string()))?,
                            )
                            .build(),
                    );
                }
                let transaction = self
                    .client
                    .transact_write_items()
                    .set_transact_items(Some(items));
                match self.retry_contention(|| transaction.clone().send()).await {
                    Ok(_) => {
                        added += pending.len();
                        break;
                    }
                    Err(err) => {
                        let Some(failed) = condition_failed_at(&err) else {
                            return Err(classify(err));
                        };
                        if failed.first() == Some(&true) {
                            // Gone, or filled by a concurrent call since it was read.
                            return match self.get_blacklist(tenant, id).await? {
                                None => Ok(None),
                                Some(bl) => {
                                    Err(too_many_entries(max, bl.entry_count, pending.len()))
                                }
                            };
                        }
                        // Entries that already exist are duplicates; the rest are tried again.
                        let before = pending.len();
                        pending = pending
                            .into_iter()
                            .zip(failed.iter().skip(1).chain(std::iter::repeat(&false)))
                            .filter(|(_, f)| !**f)
                            .map(|(e, _)| e)
                            .collect();
                        duplicates += before - pending.len();
                        if pending.is_empty() {
                            break;
                        }
                        if before == pending.len() {
                            return Err(classify(err));
                        }
                    }
                }
            }
        }
        let Some(bl) = self.get_blacklist(tenant, id).await? else {
            return Ok(None);
        };
        Ok(Some(AddedEntries {
            added,
            duplicates,
            entry_count: bl.entry_count,
        }))
    }

    pub async fn list_entries(
        &self,
        tenant: &str,
        id: Uuid,
        page: Page,
    ) -> Result<(Vec<BlacklistEntry>, usize), ApiError> {
        let q = KeyQuery {
            newest_first: false,
            ..KeyQuery::prefix(
                None,
                (keys::PK, keys::blacklist_entries(tenant, id)),
                (keys::SK, "ENTRY#"),
            )
        };
        let Some(bl) = self.get_blacklist(tenant, id).await? else {
            return Ok((Vec::new(), 0));
        };
        let (items, total) = q.page(self, page, bl.entry_count as usize).await?;
        Ok((
            items.into_iter().map(from_item).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Calls `each` with the match key of every entry, holding one page of entries at a time
    /// (discovery and the preview fold them into a `BlacklistIndex`).
    pub async fn each_match_key(
        &self,
        tenant: &str,
        id: Uuid,
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError> {
        let q = KeyQuery::prefix(
            None,
            (keys::PK, keys::blacklist_entries(tenant, id)),
            (keys::SK, "ENTRY#"),
        );
        // Only the match key is read into memory, one page (1 MB of entries) at a time.
        q.for_each_page(self, Some(&["match_key"]), |items| {
            for item in items {
                each(match_key_of(item)?);
            }
            Ok(())
        })
        .await
    }

    /// Calls `each` with the match key of every entry among `keys` that the blacklist holds:
    /// the entries looked up by id (derived from the key), not the blacklist read whole.
    pub async fn each_held_key(
        &self,
        tenant: &str,
        id: Uuid,
        keys: &[MatchKey],
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError> {
        let ids = keys.iter().map(|k| k.entry_id(id)).collect();
        self.each_held_match_key(keys::blacklist_entries(tenant, id), ids, each)
            .await
    }

    /// The `match_key` of each item `<pk>/entry(id)` that exists, for the `ids` given (blacklist
    /// entries, the delivered register): `BatchGetItem`s of 100 keys, a few at once.
    pub(crate) async fn each_held_match_key(
        &self,
        pk: String,
        mut ids: Vec<Uuid>,
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError> {
        use futures::stream::{self, StreamExt, TryStreamExt};
        ids.sort();
        ids.dedup();
        let requests = ids
            .chunks(LOOKUPS_PER_CALL)
            .map(|chunk| {
                chunk
                    .iter()
                    .fold(KeysAndAttributes::builder(), |b, entry| {
                        b.keys(HashMap::from([
                            (keys::PK.to_string(), s(&pk)),
                            (keys::SK.to_string(), s(keys::entry(*entry))),
                        ]))
                    })
                    .projection_expression("match_key")
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // A few calls at once: each is independent, unlike the pages of a query.
        let mut found = stream::iter(requests)
            .map(|request| self.batch_get(request))
            .buffer_unordered(PARALLEL_LOOKUPS);
        while let Some(items) = found.try_next().await? {
            for item in items {
                each(match_key_of(item)?);
            }
        }
        Ok(())
    }

    pub async fn delete_entry(
        &self,
        tenant: &str,
        id: Uuid,
        entry: Uuid,
    ) -> Result<bool, ApiError> {
        let now = domain::clock::now_string();
        let delete = TransactWriteItem::builder()
            .delete(
                Delete::builder()
                    .table_name(&self.table)
                    .key(keys::PK, s(keys::blacklist_entries(tenant, id)))
                    .key(keys::SK, s(keys::entry(entry)))
                    .condition_expression("attribute_exists(PK)")
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            )
            .build();
        let transaction = self
            .client
            .transact_write_items()
            .transact_items(delete)
            .transact_items(bump_count(self, tenant, id, -1, &now, &[])?);
        let result = self.retry_contention(|| transaction.clone().send()).await;
        match result {
            Ok(_) => Ok(true),
            Err(err) if condition_failed_at(&err).is_some() => Ok(false),
            Err(err) => Err(classify(err)),
        }
    }
}

impl Dynamo {
    /// The entries of one `BatchGetItem` (<= 100 keys) that exist.
    async fn batch_get(&self, request: KeysAndAttributes) -> Result<Vec<super::Item>, ApiError> {
        super::batch_get(&self.client, &self.table, request).await
    }

    /// Step 1 of a deletion: `false` when there is no such blacklist (a mark left by an earlier,
    /// interrupted deletion counts as existing, so the retry finishes it).
    pub async fn mark_blacklist_deleted(&self, tenant: &str, id: Uuid) -> Result<bool, ApiError> {
        // The mark and the tenant's blacklist count move together, once: a second mark finds
        // `deleted_at` and changes nothing.
        let mark = TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name(&self.table)
                    .key(keys::PK, s(keys::tenant(tenant)))
                    .key(keys::SK, s(keys::blacklist(id)))
                    .condition_expression(LIVE)
                    .update_expression("SET deleted_at = :now, GSI2PK = :purge, GSI2SK = :now")
                    .expression_attribute_values(":now", s(domain::clock::now_string()))
                    .expression_attribute_values(":purge", s(keys::PURGE))
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            )
            .build();
        let count = counters::add(
            self,
            counters::tenant_key(tenant),
            &[(counters::BLACKLISTS.into(), -1)],
            None,
        )?;
        let transaction = self
            .client
            .transact_write_items()
            .transact_items(mark)
            .transact_items(count);
        match self.retry_contention(|| transaction.clone().send()).await {
            Ok(_) => Ok(true),
            // Absent, or marked by an earlier deletion that the caller now finishes.
            Err(err) if condition_failed_at(&err).is_some() => Ok(self
                .get_consistent(keys::tenant(tenant), keys::blacklist(id))
                .await?
                .is_some()),
            Err(err) => Err(classify(err)),
        }
    }

    /// Steps 2 and 3: every entry, then the marked blacklist item. Idempotent. With `until`, stops
    /// between pages once it is reached: `false` when entries may be left (the blacklist stays
    /// marked, in the `PURGE` index, for `purge_deleted`).
    pub async fn purge_blacklist(
        &self,
        tenant: &str,
        id: Uuid,
        until: Option<tokio::time::Instant>,
    ) -> Result<bool, ApiError> {
        let pk = keys::blacklist_entries(tenant, id);
        // One page of keys at a time, read again from the start after each deletion.
        loop {
            if until.is_some_and(|u| tokio::time::Instant::now() >= u) {
                return Ok(false);
            }
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                .expression_attribute_values(":pk", s(&pk))
                .expression_attribute_values(":prefix", s("ENTRY#"))
                .projection_expression("SK")
                .limit(1000)
                .send()
                .await
                .map_err(classify)?;
            let entry_keys: Vec<(String, String)> = out
                .items
                .unwrap_or_default()
                .into_iter()
                .filter_map(|i| i.get(keys::SK).and_then(|v| v.as_s().ok()).cloned())
                .map(|sk| (pk.clone(), sk))
                .collect();
            if entry_keys.is_empty() {
                break;
            }
            self.delete_keys(entry_keys).await?;
        }
        let delete = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::tenant(tenant)))
            .key(keys::SK, s(keys::blacklist(id)))
            .condition_expression("attribute_exists(deleted_at)");
        let deleted = self.retry_contention(|| delete.clone().send()).await;
        // Already gone: an earlier run finished the job.
        super::applied(deleted).map(|_| true)
    }

    /// Finishes the deletions a DELETE had no time for: the blacklists in the `PURGE` index marked
    /// in `[since, before)` (`since` `None`: any time before), oldest first, until `until`; how
    /// many were finished. A blacklist marked before the index existed is finished by a repeated
    /// DELETE.
    pub async fn purge_deleted(
        &self,
        since: Option<&str>,
        before: &str,
        until: tokio::time::Instant,
    ) -> Result<usize, ApiError> {
        let mut finished = 0;
        // The index is eventually consistent: a blacklist just finished may show once more.
        let mut seen = std::collections::HashSet::new();
        while tokio::time::Instant::now() < until {
            let query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(keys::GSI2)
                .expression_attribute_values(":pk", s(keys::PURGE))
                .expression_attribute_values(":before", s(before))
                .limit(25);
            let query = match since {
                Some(since) => query
                    .key_condition_expression("GSI2PK = :pk AND GSI2SK BETWEEN :since AND :before")
                    .expression_attribute_values(":since", s(since)),
                None => query.key_condition_expression("GSI2PK = :pk AND GSI2SK < :before"),
            };
            let out = query.send().await.map_err(classify)?;
            let marked: Vec<(String, Uuid)> = out
                .items
                .unwrap_or_default()
                .iter()
                .filter_map(|item| {
                    let pk = item.get(keys::PK)?.as_s().ok()?;
                    let sk = item.get(keys::SK)?.as_s().ok()?;
                    let tenant = pk.strip_prefix("TENANT#")?;
                    let id = sk.strip_prefix("BLACKLIST#")?.parse().ok()?;
                    Some((tenant.to_string(), id))
                })
                .filter(|m| seen.insert(m.clone()))
                .collect();
            if marked.is_empty() {
                break;
            }
            for (tenant, id) in marked {
                if self.purge_blacklist(&tenant, id, Some(until)).await? {
                    finished += 1;
                }
            }
        }
        Ok(finished)
    }
}

/// The match key of an entry read with the `match_key` projection.
pub(crate) fn match_key_of(
    mut item: HashMap<String, AttributeValue>,
) -> Result<MatchKey, ApiError> {
    let key = item
        .remove("match_key")
        .ok_or_else(|| ApiError::Internal("entry without a match key".into()))?;
    serde_dynamo::from_attribute_value(key)
        .map_err(|e| ApiError::Internal(format!("corrupt match key: {e}")))
}
