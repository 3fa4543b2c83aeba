//! `opsctl recount`: the stored counters (`store::counters`) computed again from the
//! items they count, compared with what is stored, and written with `--write`. For a table whose
//! orders, blacklists, profiles or keys predate the counters (their totals would read low), or
//! to check that they never drifted. One scan of the table: an operator's tool, not a request path.
use anyhow::Result;
use aws_sdk_dynamodb::types::AttributeValue;
use domain::order::{OrderStatus, OrderType};
use std::collections::BTreeMap;
use store::counters::{self, API_KEYS, BLACKLISTS, OPEN_ORDERS, ORDERS, PROFILES};
use store::{keys, Dynamo, Item};

/// Counter items by key (`(PK, SK)`), each attribute's value.
pub type Counts = BTreeMap<(String, String), BTreeMap<String, i64>>;

fn text<'a>(item: &'a Item, attr: &str) -> Option<&'a str> {
    item.get(attr)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

/// What every counter should hold, from one scan.
pub async fn expected(db: &Dynamo) -> Result<Counts> {
    let mut counts = Counts::new();
    let mut bump = |key: (String, String), attr: String| {
        *counts.entry(key).or_default().entry(attr).or_default() += 1;
    };
    let mut start: Option<Item> = None;
    loop {
        let out = db
            .client
            .scan()
            .table_name(&db.table)
            .projection_expression("PK, SK, #s, order_type, deleted_at, tenant_id, order_id")
            .expression_attribute_names("#s", "status")
            .set_exclusive_start_key(start.take())
            .send()
            .await?;
        for item in out.items() {
            let (Some(pk), Some(sk)) = (text(item, keys::PK), text(item, keys::SK)) else {
                continue;
            };
            let tenant = pk.strip_prefix("TENANT#").filter(|t| !t.contains('#'));
            match tenant {
                Some(t) if sk.starts_with("ORDER#") => {
                    let status = text(item, "status").and_then(OrderStatus::parse);
                    let kind = text(item, "order_type").and_then(OrderType::parse);
                    let id = sk.trim_start_matches("ORDER#").parse::<uuid::Uuid>().ok();
                    let (Some(status), Some(kind), Some(id)) = (status, kind, id) else {
                        continue;
                    };
                    let tk = counters::tenant_key(t);
                    bump(tk.clone(), ORDERS.into());
                    bump(tk.clone(), counters::orders_with(None, Some(kind)));
                    for c in counters::order_status_counters(status, kind) {
                        bump(tk.clone(), c);
                    }
                    if !status.is_terminal() {
                        bump(tk, OPEN_ORDERS.into());
                    }
                    bump(counters::review_key(id), status.as_str().into());
                }
                Some(t) if sk.starts_with("BLACKLIST#") && !item.contains_key("deleted_at") => {
                    bump(counters::tenant_key(t), BLACKLISTS.into())
                }
                Some(t) if sk.starts_with("PROFILE#") => {
                    bump(counters::tenant_key(t), PROFILES.into())
                }
                None if pk.starts_with("APIKEY#") && sk == "APIKEY" => {
                    let id = pk.trim_start_matches("APIKEY#").parse::<uuid::Uuid>().ok();
                    if let (Some(id), Some(t)) = (id, text(item, "tenant_id")) {
                        for k in counters::key_keys(id, t) {
                            bump(k, API_KEYS.into());
                        }
                    }
                }
                _ => {}
            }
        }
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => return Ok(counts),
        }
    }
}

/// The counters as stored (every item a counter lives in).
pub async fn stored(db: &Dynamo) -> Result<Counts> {
    let mut counts = Counts::new();
    let mut start: Option<Item> = None;
    loop {
        let out = db
            .client
            .scan()
            .table_name(&db.table)
            .filter_expression("SK = :c OR PK = :r OR PK = :k")
            .expression_attribute_values(":c", AttributeValue::S(counters::TENANT_COUNTS.into()))
            .expression_attribute_values(":r", AttributeValue::S(counters::REVIEW_COUNTS.into()))
            .expression_attribute_values(":k", AttributeValue::S(counters::KEY_COUNTS.into()))
            .set_exclusive_start_key(start.take())
            .send()
            .await?;
        for item in out.items() {
            let (Some(pk), Some(sk)) = (text(item, keys::PK), text(item, keys::SK)) else {
                continue;
            };
            let values = item
                .iter()
                .filter(|(k, _)| *k != keys::PK && *k != keys::SK)
                .filter_map(|(k, v)| Some((k.clone(), v.as_n().ok()?.parse::<i64>().ok()?)))
                .filter(|(_, v)| *v != 0)
                .collect();
            counts.insert((pk.to_string(), sk.to_string()), values);
        }
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => return Ok(counts),
        }
    }
}

/// `(item, attribute, stored, expected)` for every counter that differs (absent = 0).
pub fn differences(stored: &Counts, expected: &Counts) -> Vec<(String, String, i64, i64)> {
    let mut out = Vec::new();
    let items: std::collections::BTreeSet<_> = stored.keys().chain(expected.keys()).collect();
    for key in items {
        let empty = BTreeMap::new();
        let (s, e) = (
            stored.get(key).unwrap_or(&empty),
            expected.get(key).unwrap_or(&empty),
        );
        let attrs: std::collections::BTreeSet<_> = s.keys().chain(e.keys()).collect();
        for attr in attrs {
            let (a, b) = (
                s.get(attr).copied().unwrap_or(0),
                e.get(attr).copied().unwrap_or(0),
            );
            if a != b {
                out.push((format!("{} / {}", key.0, key.1), attr.clone(), a, b));
            }
        }
    }
    out
}

/// Writes each counter item whose counts differ as expected (a whole item per put). Writes that
/// land between the scan and the put would be lost: run it with the API idle, then again until
/// it reports nothing.
pub async fn write(db: &Dynamo, stored: &Counts, expected: &Counts) -> Result<usize> {
    let mut written = 0;
    let items: std::collections::BTreeSet<_> = stored.keys().chain(expected.keys()).collect();
    for key in items {
        let want = expected.get(key).cloned().unwrap_or_default();
        if stored.get(key).cloned().unwrap_or_default() == want {
            continue;
        }
        let mut item: Item = want
            .iter()
            .map(|(k, v)| (k.clone(), AttributeValue::N(v.to_string())))
            .collect();
        item.insert(keys::PK.into(), AttributeValue::S(key.0.clone()));
        item.insert(keys::SK.into(), AttributeValue::S(key.1.clone()));
        db.client
            .put_item()
            .table_name(&db.table)
            .set_item(Some(item))
            .send()
            .await?;
        written += 1;
    }
    Ok(written)
}
