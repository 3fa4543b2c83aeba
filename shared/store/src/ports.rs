//! Narrow ports, one per aggregate, so a function depends only on what it uses.
use super::orders::{Change, CreateOrder, Created, Transition};
use super::results::ResultsPage;
use async_trait::async_trait;
use auth::ApiKeyRecord;
use domain::blacklist::{Blacklist, BlacklistEntry, BlacklistPatch, MatchKey, NewEntry};
use domain::order::{Order, OrderStatus, OrderType, SubmittedCompany};
use domain::paging::Page;
use domain::profile::Profile;
use domain::ApiError;
use uuid::Uuid;

#[async_trait]
pub trait ApiKeys: Send + Sync {
    async fn put_key(&self, record: &ApiKeyRecord) -> Result<(), ApiError>;
    async fn get_key(&self, id: Uuid) -> Result<Option<ApiKeyRecord>, ApiError>;
    async fn list_keys(
        &self,
        tenant: Option<&str>,
        page: Page,
    ) -> Result<(Vec<ApiKeyRecord>, usize), ApiError>;
    /// `false` when no such key exists.
    async fn revoke_key(&self, id: Uuid) -> Result<bool, ApiError>;
    /// Whether any key (revoked ones too) was ever issued to `tenant`: tenants exist through
    /// their keys.
    async fn tenant_exists(&self, tenant: &str) -> Result<bool, ApiError>;
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub order_type: Option<OrderType>,
}

#[async_trait]
pub trait Orders: Send + Sync {
    async fn create_order(&self, req: CreateOrder) -> Result<Created, ApiError>;
    async fn get_order(&self, tenant: &str, id: Uuid) -> Result<Option<Order>, ApiError>;
    async fn list_orders(
        &self,
        tenant: &str,
        filter: &OrderFilter,
        page: Page,
    ) -> Result<(Vec<Order>, usize), ApiError>;
    /// Conditional status change; exactly one caller wins a race.
    async fn transition(
        &self,
        tenant: &str,
        id: Uuid,
        to: OrderStatus,
        change: &Change,
    ) -> Result<Transition, ApiError>;
    async fn submitted_companies(
        &self,
        tenant: &str,
        id: Uuid,
    ) -> Result<Vec<SubmittedCompany>, ApiError>;
    /// The stored response of an earlier request with this idempotency key, with its body hash.
    async fn idempotent_response(
        &self,
        tenant: &str,
        key: &str,
    ) -> Result<Option<(String, serde_json::Value)>, ApiError>;
}

#[async_trait]
pub trait Results: Send + Sync {
    async fn results_page(
        &self,
        order: &Order,
        page: Page,
        since: Option<time::OffsetDateTime>,
    ) -> Result<ResultsPage, ApiError>;
}

pub struct AddedEntries {
    pub added: usize,
    pub duplicates: usize,
    pub entry_count: u64,
}

#[async_trait]
pub trait Blacklists: Send + Sync {
    async fn create_blacklist(&self, tenant: &str, bl: &Blacklist) -> Result<(), ApiError>;
    async fn get_blacklist(&self, tenant: &str, id: Uuid) -> Result<Option<Blacklist>, ApiError>;
    async fn list_blacklists(
        &self,
        tenant: &str,
        page: Page,
    ) -> Result<(Vec<Blacklist>, usize), ApiError>;
    async fn patch_blacklist(
        &self,
        tenant: &str,
        id: Uuid,
        patch: &BlacklistPatch,
    ) -> Result<Option<Blacklist>, ApiError>;
    async fn delete_blacklist(&self, tenant: &str, id: Uuid) -> Result<bool, ApiError>;
    /// `None` when the blacklist does not exist.
    async fn add_entries(
        &self,
        tenant: &str,
        id: Uuid,
        entries: Vec<NewEntry>,
    ) -> Result<Option<AddedEntries>, ApiError>;
    async fn list_entries(
        &self,
        tenant: &str,
        id: Uuid,
        page: Page,
    ) -> Result<(Vec<BlacklistEntry>, usize), ApiError>;
    /// Calls `each` with the match key of every entry, holding one page of entries at a time
    /// (discovery and the preview fold them into a `BlacklistIndex`).
    async fn each_match_key(
        &self,
        tenant: &str,
        id: Uuid,
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError>;
    /// Calls `each` with the match key of every entry among `keys` that the blacklist holds:
    /// the entries looked up by id (derived from the key), not the blacklist read whole.
    async fn each_held_key(
        &self,
        tenant: &str,
        id: Uuid,
        keys: &[MatchKey],
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError>;
    async fn delete_entry(&self, tenant: &str, id: Uuid, entry: Uuid) -> Result<bool, ApiError>;
}

/// The tenant's register of delivered companies (`delivered`), as discovery reads it.
#[async_trait]
pub trait Delivered: Send + Sync {
    async fn delivered_summary(&self, tenant: &str) -> Result<super::delivered::Summary, ApiError>;
    async fn each_delivered_key(
        &self,
        tenant: &str,
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError>;
    async fn each_delivered_held(
        &self,
        tenant: &str,
        wanted: &[MatchKey],
        each: &mut (dyn FnMut(MatchKey) + Send),
    ) -> Result<(), ApiError>;
}

#[async_trait]
pub trait Profiles: Send + Sync {
    async fn get_profile(&self, tenant: &str, id: Uuid) -> Result<Option<Profile>, ApiError>;
    async fn list_profiles(
        &self,
        tenant: &str,
        page: Page,
    ) -> Result<(Vec<Profile>, usize), ApiError>;
}
