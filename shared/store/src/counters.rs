//! Stored counters that give listings their `total` without counting a partition. Each is moved
//! by `ADD` inside the transaction that creates, moves or removes what it counts, so it is exact
//! whatever runs at once (a conflicting transaction is refused whole and sent again).
//! - per tenant, one item `TENANT#<t>` / `COUNTS`: `orders`, `orders_<STATUS>`, `orders_<TYPE>`,
//!   `orders_<STATUS>_<TYPE>` (every filter of `GET /orders`), `open_orders` (the limit),
//!   `blacklists`, `profiles`;
//! - keys: `KEYCOUNTS` / `ALL#<shard>` (every key) and `KEYCOUNTS` / `TENANT#<t>#<shard>`,
//!   `api_keys`, a key on the shard of its id: operators' tenant mints keys from many places;
//! - the review queue across tenants: `REVIEWCOUNTS` / `<shard>`, one attribute per status, an
//!   order always on the shard of its id.
//!
//! Sharded counters are for items every tenant (or every operator) writes: transactions of
//! different orders or keys rarely meet on one, and a reader sums the shards (one query of at
//! most 16 small items).
use super::{keys, n, s, Dynamo, Item};
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use domain::order::{OrderStatus, OrderType};
use domain::ApiError;
use uuid::Uuid;

pub const TENANT_COUNTS: &str = "COUNTS";
pub const KEY_COUNTS: &str = "KEYCOUNTS";
pub const REVIEW_COUNTS: &str = "REVIEWCOUNTS";
const SHARDS: u8 = 16;

pub const ORDERS: &str = "orders";
pub const OPEN_ORDERS: &str = "open_orders";
pub const BLACKLISTS: &str = "blacklists";
pub const PROFILES: &str = "profiles";
pub const API_KEYS: &str = "api_keys";

pub fn orders_with(status: Option<OrderStatus>, order_type: Option<OrderType>) -> String {
    match (status, order_type) {
        (None, None) => ORDERS.into(),
        (Some(s), None) => format!("orders_{}", s.as_str()),
        (None, Some(t)) => format!("orders_{}", t.as_str()),
        (Some(s), Some(t)) => format!("orders_{}_{}", s.as_str(), t.as_str()),
    }
}

/// The counters an order in `status` is counted in, besides `orders`.
pub fn order_status_counters(status: OrderStatus, order_type: OrderType) -> [String; 2] {
    [
        orders_with(Some(status), None),
        orders_with(Some(status), Some(order_type)),
    ]
}

fn shard(id: Uuid) -> String {
    // The last byte of a v7 (or v4) id is random.
    let last = id.as_bytes().last().copied().unwrap_or(0);
    format!("{:02}", last % SHARDS)
}

/// `ADD` of each `(attribute, delta)` on one item, optionally conditional, for a transaction.
pub fn add(
    db: &Dynamo,
    (pk, sk): (String, String),
    deltas: &[(String, i64)],
    condition: Option<(&str, &[(&str, i64)])>,
) -> Result<TransactWriteItem, ApiError> {
    let mut update = Update::builder()
        .table_name(&db.table)
        .key(keys::PK, s(pk))
        .key(keys::SK, s(sk));
    let mut adds = Vec::with_capacity(deltas.len());
    for (i, (attr, by)) in deltas.iter().enumerate() {
        adds.push(format!("#c{i} :c{i}"));
        update = update
            .expression_attribute_names(format!("#c{i}"), attr)
            .expression_attribute_values(format!(":c{i}"), n(by));
    }
    if let Some((expr, values)) = condition {
        update = update.condition_expression(expr);
        for (name, value) in values {
            update = update.expression_attribute_values(*name, n(value));
        }
    }
    Ok(TransactWriteItem::builder()
        .update(
            update
                .update_expression(format!("ADD {}", adds.join(", ")))
                .build()
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        )
        .build())
}

pub fn tenant_key(tenant: &str) -> (String, String) {
    (keys::tenant(tenant), TENANT_COUNTS.into())
}

/// The shards a key is counted on: every key's and its tenant's.
pub fn key_keys(key: Uuid, tenant: &str) -> [(String, String); 2] {
    [
        (KEY_COUNTS.into(), format!("ALL#{}", shard(key))),
        (KEY_COUNTS.into(), format!("TENANT#{tenant}#{}", shard(key))),
    ]
}

/// The sort key prefix of the key counters summed for `tenant` (or for every key).
pub fn key_shards(tenant: Option<&str>) -> String {
    match tenant {
        Some(t) => format!("TENANT#{t}#"),
        None => "ALL#".into(),
    }
}

pub fn review_key(order: Uuid) -> (String, String) {
    (REVIEW_COUNTS.into(), shard(order))
}

fn number(item: &Item, attr: &str) -> usize {
    item.get(attr)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .map_or(0, |v| v.max(0) as usize)
}

impl Dynamo {
    /// One stored counter (0 when never moved), read consistently: a total right after a write
    /// includes it.
    pub async fn counter(&self, (pk, sk): (String, String), attr: &str) -> Result<usize, ApiError> {
        Ok(self
            .get_consistent(pk, sk)
            .await?
            .map_or(0, |item| number(&item, attr)))
    }

    /// The sum of `attr` over the shards of `pk` whose sort keys start with `prefix`.
    async fn sharded(&self, pk: &str, prefix: &str, attr: &str) -> Result<usize, ApiError> {
        use super::query::KeyQuery;
        let shards = if prefix.is_empty() {
            KeyQuery::partition(None, (keys::PK, pk.into()))
        } else {
            KeyQuery::prefix(None, (keys::PK, pk.into()), (keys::SK, prefix))
        };
        let q = KeyQuery {
            consistent: true,
            ..shards
        };
        let mut total = 0usize;
        q.for_each_page(self, None, |items| {
            total += items.iter().map(|i| number(i, attr)).sum::<usize>();
            Ok(())
        })
        .await?;
        Ok(total)
    }

    /// Orders in `status` across tenants: the sum of the review queue's shards.
    pub async fn review_count(&self, status: OrderStatus) -> Result<usize, ApiError> {
        self.sharded(REVIEW_COUNTS, "", status.as_str()).await
    }

    /// Keys of `tenant`, or every key.
    pub async fn key_count(&self, tenant: Option<&str>) -> Result<usize, ApiError> {
        self.sharded(KEY_COUNTS, &key_shards(tenant), API_KEYS)
            .await
    }
}

/// Counter updates for an order's creation (`RECEIVED`), the first one conditional on the
/// tenant's open orders staying within `max_open` (`:room` = `max_open - 1`).
pub fn order_created(
    db: &Dynamo,
    tenant: &str,
    order: Uuid,
    order_type: OrderType,
    new_profile: bool,
    max_open: usize,
) -> Result<[TransactWriteItem; 2], ApiError> {
    let [by_status, by_both] = order_status_counters(OrderStatus::Received, order_type);
    let mut deltas = vec![
        (ORDERS.to_string(), 1),
        (orders_with(None, Some(order_type)), 1),
        (by_status, 1),
        (by_both, 1),
        (OPEN_ORDERS.to_string(), 1),
    ];
    if new_profile {
        deltas.push((PROFILES.to_string(), 1));
    }
    let room = max_open.saturating_sub(1) as i64;
    let open = OPEN_ORDERS;
    let condition = format!("attribute_not_exists({open}) OR {open} <= :room");
    Ok([
        add(
            db,
            tenant_key(tenant),
            &deltas,
            Some((&condition, &[(":room", room)])),
        )?,
        add(
            db,
            review_key(order),
            &[(OrderStatus::Received.as_str().to_string(), 1)],
            None,
        )?,
    ])
}

/// Counter updates for an order's move from `from` to `to`.
pub fn order_moved(
    db: &Dynamo,
    tenant: &str,
    order: Uuid,
    order_type: OrderType,
    from: OrderStatus,
    to: OrderStatus,
) -> Result<[TransactWriteItem; 2], ApiError> {
    let mut deltas: Vec<(String, i64)> = Vec::with_capacity(5);
    for c in order_status_counters(from, order_type) {
        deltas.push((c, -1));
    }
    for c in order_status_counters(to, order_type) {
        deltas.push((c, 1));
    }
    if !from.is_terminal() && to.is_terminal() {
        deltas.push((OPEN_ORDERS.to_string(), -1));
    }
    Ok([
        add(db, tenant_key(tenant), &deltas, None)?,
        add(
            db,
            review_key(order),
            &[
                (from.as_str().to_string(), -1),
                (to.as_str().to_string(), 1),
            ],
            None,
        )?,
    ])
}
