use super::{Created, Deleted, Found, Listed, Updated};
use crate::app::App;
use auth::Caller;
use domain::blacklist::{self, Blacklist, BlacklistEntry, MatchKey, KINDS};
use domain::paging::Page;
use domain::ApiError;
use engine::blacklist_match::{delivered_keys_matching, keys_matching};
use engine::features::Features;
use serde_json::{json, Value};
use store::Dynamo;
use uuid::Uuid;

fn entry_view(e: BlacklistEntry) -> Value {
    json!({
        "id": e.id,
        "blacklist_id": e.blacklist_id,
        "company_name": e.company_name,
        "website_url": e.website_url,
        "city": e.city,
        "country": e.country,
        "normalized_domain": match &e.match_key { blacklist::MatchKey::Domain { domain } => Some(domain), _ => None },
        "created_at": e.created_at,
    })
}

pub async fn create(
    app: &App,
    caller: &Caller,
    body: &Value,
) -> Result<Created<Blacklist>, ApiError> {
    let (name, description) = blacklist::parse_new(body)?;
    let now = domain::clock::now_string();
    let bl = Blacklist {
        id: Uuid::now_v7(),
        name,
        description,
        entry_count: 0,
        created_at: now.clone(),
        updated_at: now,
    };
    app.db.create_blacklist(&caller.tenant_id, &bl).await?;
    Ok(Created(bl))
}

pub async fn get(app: &App, caller: &Caller, id: Uuid) -> Result<Found<Blacklist>, ApiError> {
    let bl = app
        .db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    Ok(Found(bl))
}

pub async fn list(app: &App, caller: &Caller, page: Page) -> Result<Listed<Blacklist>, ApiError> {
    let (items, total) = app.db.list_blacklists(&caller.tenant_id, page).await?;
    Ok(Listed::new(items, total, page, |b| b))
}

pub async fn patch(
    app: &App,
    caller: &Caller,
    id: Uuid,
    body: &Value,
) -> Result<Updated<Blacklist>, ApiError> {
    let patch = blacklist::parse_patch(body)?;
    let bl = app
        .db
        .patch_blacklist(&caller.tenant_id, id, &patch)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    Ok(Updated(bl))
}

pub async fn delete(app: &App, caller: &Caller, id: Uuid) -> Result<Deleted, ApiError> {
    if app.db.delete_blacklist(&caller.tenant_id, id).await? {
        Ok(Deleted)
    } else {
        Err(ApiError::BlacklistNotFound)
    }
}

pub async fn add_entries(
    app: &App,
    caller: &Caller,
    id: Uuid,
    body: &Value,
) -> Result<Updated<Value>, ApiError> {
    // 404 before 422: a partner learns first that the list itself is wrong.
    app.db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    let entries = blacklist::parse_entries(body)?;
    let added = app
        .db
        .add_entries(&caller.tenant_id, id, entries)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    Ok(Updated(
        json!({"added": added.added, "duplicates": added.duplicates, "entry_count": added.entry_count}),
    ))
}

pub async fn list_entries(
    app: &App,
    caller: &Caller,
    id: Uuid,
    page: Page,
) -> Result<Listed<Value>, ApiError> {
    app.db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    let (items, total) = app.db.list_entries(&caller.tenant_id, id, page).await?;
    Ok(Listed::new(items, total, page, entry_view))
}

pub async fn delete_entry(
    app: &App,
    caller: &Caller,
    id: Uuid,
    entry: Uuid,
) -> Result<Deleted, ApiError> {
    app.db
        .get_blacklist(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::BlacklistNotFound)?;
    if app.db.delete_entry(&caller.tenant_id, id, entry).await? {
        Ok(Deleted)
    } else {
        Err(ApiError::EntryNotFound)
    }
}

/// What an order's blacklists exclude now: the entries current at this moment. A blacklist
/// deleted since the order was created (or being deleted: its entries may still be there) no
/// longer excludes anything. Read whole (the bench's baseline; discovery and the preview use
/// `Exclusions`, which reads only what their candidates need).
pub async fn exclusions(
    db: &Dynamo,
    tenant: &str,
    ids: &[Uuid],
) -> Result<engine::blacklist_match::BlacklistIndex, ApiError> {
    let mut index = engine::blacklist_match::BlacklistIndex::default();
    for id in ids {
        if db.get_blacklist(tenant, *id).await?.is_none() {
            continue;
        }
        db.each_match_key(tenant, *id, &mut |key| index.insert(key))
            .await?;
    }
    Ok(index)
}

/// How a blacklist is read for a set of candidates (infra/README.md "Bounded paging": reading a
/// blacklist for discovery).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Every entry, page by page: ~`ENTRY_BYTES` each, at 0.5 RRU per 4 KB, 1 MB a page.
    Whole,
    /// The entries the candidates could match, by id: 0.5 RRU per key (found or not), 100 a call.
    Lookup,
}

/// What an entry item weighs as stored: ~366 bytes measured with short names and URLs
/// (`bench-blacklist`); entries with longer ones weigh more, which only makes reading whole
/// dearer than this assumes.
pub const ENTRY_BYTES: u64 = 366;

/// Looking up keys is chosen when it reads fewer 4 KB units than reading the entries whole: each
/// key is one unit (a lookup rounds every item up to 4 KB), the whole read `entries x
/// ENTRY_BYTES / 4 KB`. So a blacklist of at least ~11 entries per key (4,096 / 366) is looked up.
pub fn strategy(entry_count: u64, keys: usize) -> Strategy {
    if (keys as u64).saturating_mul(4096) < entry_count.saturating_mul(ENTRY_BYTES) {
        Strategy::Lookup
    } else {
        Strategy::Whole
    }
}

/// 4 KB units (a key looked up, or 4 KB of entries read whole) of reading `entries` whole.
fn whole_units(entries: u64) -> u64 {
    entries.saturating_mul(ENTRY_BYTES).div_ceil(4096)
}

/// An order's blacklists as discovery and the preview apply them (`engine::pipeline::
/// find_excluding`): for each set of candidates, every blacklist not yet read whole is either
/// read whole or has the candidates' possible keys (`keys_matching`) of the kinds it holds
/// looked up, whichever costs less (`strategy`). Either way each candidate is excluded exactly
/// when an entry matches it.
pub struct Exclusions<'a> {
    db: &'a Dynamo,
    tenant: &'a str,
    /// The live blacklists not read whole, with their `entry_count` and the kinds of key their
    /// entries may have (`None`: any).
    partial: Vec<(Uuid, u64, Option<Vec<String>>)>,
    looked_up: std::collections::HashSet<MatchKey>,
    index: engine::blacklist_match::BlacklistIndex,
    /// With `exclude_delivered`: the tenant's register of delivered companies, read as a
    /// blacklist is (whole, or looked up by the candidates' keys, whichever costs less).
    delivered: Option<DeliveredRead>,
}

/// How far the register of delivered companies has been read for the candidates shown so far.
struct DeliveredRead {
    /// Records ever written (the summary's count: at least the register's size).
    recorded: u64,
    whole: bool,
    looked_up: std::collections::HashSet<MatchKey>,
}

impl<'a> Exclusions<'a> {
    /// The order's blacklists that exist now (one consistent read each); nothing of their entries
    /// is read until `cover`.
    pub async fn of(db: &'a Dynamo, tenant: &'a str, ids: &[Uuid]) -> Result<Self, ApiError> {
        let mut partial = Vec::new();
        for id in ids {
            if let Some((bl, kinds)) = db.get_blacklist_kinds(tenant, *id).await? {
                if !partial.iter().any(|(seen, _, _)| seen == id) {
                    partial.push((*id, bl.entry_count, kinds));
                }
            }
        }
        Ok(Self {
            db,
            tenant,
            partial,
            looked_up: Default::default(),
            index: Default::default(),
            delivered: None,
        })
    }

    /// Also excludes every company already delivered to the tenant (`exclude_delivered`); the
    /// register's summary is read now (one consistent read), its records at `cover`. A tenant
    /// that has no delivery recorded reads nothing more.
    pub async fn and_delivered(mut self) -> Result<Self, ApiError> {
        let recorded = self.db.delivered_summary(self.tenant).await?.recorded;
        self.delivered = Some(DeliveredRead {
            recorded,
            whole: recorded == 0,
            looked_up: Default::default(),
        });
        Ok(self)
    }

    /// The most candidates (at most `records`) whose keys, looked up in every blacklist too
    /// large to read whole within `keys` units, stay within `keys` in all: a preview reads no
    /// more records than that, so each of its blacklists costs at most `keys` units whatever
    /// its size (a large one is then looked up, a small one read whole when that is cheaper).
    pub fn records_within(&self, keys: u64, records: u64) -> u64 {
        records_within(
            self.partial.iter().map(|(_, entries, kinds)| {
                (*entries, kinds.as_ref().map_or(KINDS.len(), Vec::len))
            }),
            keys,
            records,
        )
    }
}

/// `Exclusions::records_within` for blacklists of (entries, kinds of key they may hold).
fn records_within(blacklists: impl Iterator<Item = (u64, usize)>, keys: u64, records: u64) -> u64 {
    let per_candidate: u64 = blacklists
        .filter(|(entries, _)| whole_units(*entries) > keys)
        .map(|(_, kinds)| kinds as u64)
        .sum();
    match keys.checked_div(per_candidate) {
        Some(fit) => records.min(fit.max(1)),
        None => records,
    }
}

#[async_trait::async_trait]
impl engine::blacklist_match::Exclusions for Exclusions<'_> {
    async fn cover(&mut self, candidates: &[Features]) -> Result<(), ApiError> {
        self.cover_delivered(candidates).await?;
        if self.partial.is_empty() {
            return Ok(());
        }
        let mut keys: Vec<MatchKey> = candidates
            .iter()
            .flat_map(keys_matching)
            .filter(|k| !self.looked_up.contains(k))
            .collect::<std::collections::HashSet<_>>()
            .into_iter()
            .collect();
        keys.sort_by_cached_key(MatchKey::canonical);
        let mut still_partial = Vec::new();
        for (id, entry_count, kinds) in std::mem::take(&mut self.partial) {
            let index = &mut self.index;
            // Only keys of a kind the blacklist holds can name one of its entries.
            let held: Vec<MatchKey> = match &kinds {
                Some(kinds) => keys
                    .iter()
                    .filter(|k| kinds.iter().any(|kind| kind == k.kind()))
                    .cloned()
                    .collect(),
                None => keys.clone(),
            };
            match strategy(entry_count, held.len()) {
                Strategy::Whole => {
                    self.db
                        .each_match_key(self.tenant, id, &mut |key| index.insert(key))
                        .await?
                }
                Strategy::Lookup => {
                    if !held.is_empty() {
                        self.db
                            .each_held_key(self.tenant, id, &held, &mut |key| index.insert(key))
                            .await?;
                    }
                    still_partial.push((id, entry_count, kinds));
                }
            }
        }
        self.partial = still_partial;
        if !self.partial.is_empty() {
            self.looked_up.extend(keys);
        }
        Ok(())
    }

    fn index(&self) -> &engine::blacklist_match::BlacklistIndex {
        &self.index
    }
}

impl Exclusions<'_> {
    /// The register's records that can match `candidates`, by the rule blacklists follow
    /// (`strategy`, its size bounded by the summary's count): whole once, or the keys not looked
    /// up yet (a record is never keyed with a city: `delivered_keys_matching`).
    async fn cover_delivered(&mut self, candidates: &[Features]) -> Result<(), ApiError> {
        let Self {
            db,
            tenant,
            index,
            delivered,
            ..
        } = self;
        let Some(read) = delivered.as_mut().filter(|d| !d.whole) else {
            return Ok(());
        };
        let mut keys: Vec<MatchKey> = candidates
            .iter()
            .flat_map(delivered_keys_matching)
            .filter(|k| !read.looked_up.contains(k))
            .collect::<std::collections::HashSet<_>>()
            .into_iter()
            .collect();
        if keys.is_empty() {
            return Ok(());
        }
        keys.sort_by_cached_key(MatchKey::canonical);
        match strategy(read.recorded, keys.len()) {
            Strategy::Whole => {
                db.each_delivered_key(tenant, &mut |key| index.insert_delivered(key))
                    .await?;
                read.whole = true;
            }
            Strategy::Lookup => {
                db.each_delivered_held(tenant, &keys, &mut |key| index.insert_delivered(key))
                    .await?;
                read.looked_up.extend(keys);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{records_within, strategy, whole_units, Strategy};

    #[test]
    fn a_blacklist_is_looked_up_only_when_that_reads_fewer_units() {
        // 400 candidates with a domain, a city and a country: 2,000 keys, 1,000 RRU.
        assert_eq!(strategy(100_000, 2_000), Strategy::Lookup);
        assert_eq!(strategy(2_500, 2_000), Strategy::Whole);
        // 5,000 candidates (a preview's most): 25,000 keys cost more than 100,000 entries whole.
        assert_eq!(strategy(100_000, 25_000), Strategy::Whole);
        // No candidates: nothing to look up, nothing read.
        assert_eq!(strategy(100_000, 0), Strategy::Lookup);
        assert_eq!(strategy(0, 0), Strategy::Whole);
        assert_eq!(strategy(u64::MAX, usize::MAX), Strategy::Whole);
    }

    #[test]
    fn a_blacklist_too_large_to_read_within_the_keys_is_looked_up_for_the_records_allowed() {
        // 100,000 entries are 8,936 units whole; 5,000 keys of 2 kinds are 2,500 candidates.
        assert_eq!(whole_units(100_000), 8_936);
        let fit = 5_000 / 2;
        assert_eq!(strategy(100_000, fit * 2), Strategy::Lookup);
        // Whatever the kinds, the keys of the records allowed are looked up, never the whole.
        for kinds in 1..=5usize {
            let records = records_within([(100_000, kinds)].into_iter(), 5_000, 5_000);
            assert_eq!(records, 5_000 / kinds as u64);
            assert_eq!(
                strategy(100_000, records as usize * kinds),
                Strategy::Lookup
            );
        }
        // Blacklists small enough to read whole within the keys leave the records as they are;
        // large ones share the keys out.
        assert_eq!(
            records_within([(3_000, 5)].into_iter(), 5_000, 5_000),
            5_000
        );
        assert_eq!(records_within(std::iter::empty(), 5_000, 5_000), 5_000);
        assert_eq!(
            records_within(
                [(100_000, 2), (3_000, 5), (60_000, 3)].into_iter(),
                5_000,
                5_000
            ),
            1_000
        );
        assert_eq!(records_within([(100_000, 5)].into_iter(), 5_000, 200), 200);
        assert_eq!(records_within([(100_000, 5)].into_iter(), 1, 5_000), 1);
    }
}
