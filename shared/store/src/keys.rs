//! The single-table key design (written down in infra/README.md). Every partner-owned item lives
//! under a partition key that starts with its tenant, so isolation comes from the keys themselves.
use uuid::Uuid;

pub const PK: &str = "PK";
pub const SK: &str = "SK";
pub const GSI1: &str = "GSI1";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";
pub const GSI2: &str = "GSI2";
pub const GSI2PK: &str = "GSI2PK";
pub const GSI2SK: &str = "GSI2SK";
/// Epoch seconds; the table's TTL attribute.
pub const EXPIRES: &str = "expires_at_epoch";

pub fn tenant(t: &str) -> String {
    format!("TENANT#{t}")
}

/// Sort key (under `tenant`) of the item that says a key was issued to the tenant: read
/// consistently, unlike the keys' index.
pub const TENANT_KEYS: &str = "KEYS";

pub fn order(id: Uuid) -> String {
    format!("ORDER#{id}")
}

/// Partition of everything that belongs to one order: submitted companies, results, deliveries, events.
pub fn order_data(t: &str, id: Uuid) -> String {
    format!("TENANT#{t}#ORDER#{id}")
}

pub fn order_status_index(t: &str, status: &str) -> String {
    format!("TENANT#{t}#STATUS#{status}")
}

pub fn review_queue(status: &str) -> String {
    format!("REVIEW#{status}")
}

pub fn order_ref(id: Uuid) -> String {
    format!("ORDERREF#{id}")
}

pub fn input_chunk(n: usize) -> String {
    format!("INPUT#{n:05}")
}

/// Zero-padded so that the lexical order of sort keys is the delivery order.
pub fn result(seq: u64) -> String {
    format!("RESULT#{seq:010}")
}

pub fn delivery(n: u64) -> String {
    format!("DELIVERY#{n:06}")
}

pub fn event(status: &str) -> String {
    format!("EVENT#{status}")
}

pub fn blacklist(id: Uuid) -> String {
    format!("BLACKLIST#{id}")
}

pub fn blacklist_entries(t: &str, id: Uuid) -> String {
    format!("TENANT#{t}#BLACKLIST#{id}")
}

/// Partition of the tenant's register of delivered companies (`delivered`): one item per
/// company, its sort key `entry(id)` as a blacklist entry's.
pub fn delivered(t: &str) -> String {
    format!("TENANT#{t}#DELIVERED")
}

/// Sort key (under `tenant`) of the register's summary: records written and when last.
pub const DELIVERED_SUMMARY: &str = "DELIVERED";

pub fn entry(id: Uuid) -> String {
    format!("ENTRY#{id}")
}

pub fn profile(id: Uuid) -> String {
    format!("PROFILE#{id}")
}

pub fn idempotency(key_hash: &str) -> String {
    format!("IDEMPOTENCY#{key_hash}")
}

pub fn api_key(id: Uuid) -> String {
    format!("APIKEY#{id}")
}

pub const API_KEYS_INDEX: &str = "APIKEYS";

/// Sparse index partition (GSI2) of outbox events not yet on the webhook queue.
pub const OUTBOX: &str = "OUTBOX";

/// Sparse index partition (GSI2) of blacklists marked deleted whose entries are still being
/// removed (the outbox relay finishes what a DELETE had no time for).
pub const PURGE: &str = "BLPURGE";

/// The delivery state of one webhook event, keyed by the (globally unique) event id.
pub fn webhook_event(event_id: Uuid) -> String {
    format!("WEBHOOK#{event_id}")
}

pub const STATE: &str = "STATE";

/// Partition where the state machine's last resort (`RecordStuck` in
/// infra/statemachine/order-lifecycle.asl.json) records an order it could not end, one item per
/// order id (SK).
pub const STUCK: &str = "STUCK";

/// One delivery attempt, in the order's partition; time-ordered so the log reads chronologically.
pub fn webhook_attempt(attempted_at: &str, event_id: Uuid, round: u32, attempt: u32) -> String {
    format!("WHATTEMPT#{attempted_at}#{event_id}#{round:03}#{attempt:03}")
}

/// Sparse index partition (GSI1) of a tenant's failed deliveries, sorted by failure time.
pub fn failed_webhooks(t: &str) -> String {
    format!("WHFAILED#{t}")
}

/// Sparse index partition (GSI2) of every tenant's failed deliveries, sorted by failure time
/// (operators' list across tenants; failures are rare, so one partition holds them).
pub const FAILED_WEBHOOKS: &str = "WHFAILED";

/// The tenant's webhook signing secrets (sealed), under the tenant's partition.
pub const WEBHOOK_SECRET: &str = "WEBHOOK_SECRET";
