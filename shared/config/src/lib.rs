//! The functions' configuration, read once per container from the environment `template.yaml`
//! sets. Plain values: must not depend on aws-sdk-*, lambda_* or the store.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use domain::pricing::PriceList;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    /// The company catalog; only the engine's functions need it.
    pub catalog_table_name: Option<String>,
    /// The catalog's feature records by market (discovery's reads).
    pub catalog_features_table_name: Option<String>,
    /// Partitions per market in the features table (`CatalogStore`).
    pub catalog_shards: u32,
    /// The order lifecycle state machine (admin accept starts it, cancel stops it).
    pub state_machine_arn: Option<String>,
    /// Queue that receives `order.status_changed` events; absent until webhooks are wired.
    pub webhook_queue_url: Option<String>,
    /// Local mode allows plain-http loopback webhook URLs (docs/contract-notes.md "Orders").
    pub local_mode: bool,
    /// How long a verified API key is trusted without re-reading it; capped at 60 s so a
    /// revocation always takes effect within a minute.
    pub auth_cache_ttl: Duration,
    pub prices: PriceList,
    /// What one `POST /orders/preview` may cost (`usecases::preview`).
    pub preview: PreviewLimits,
    /// Bounds on every AWS call, so an outage answers 503 in seconds instead of hanging.
    pub aws: AwsTimeouts,
    /// How much one tenant may keep (entries per blacklist, open orders).
    pub limits: Limits,
}

/// Per-tenant bounds (`MAX_BLACKLIST_ENTRIES`, `MAX_OPEN_ORDERS` in template.yaml), kept by the
/// store's conditional counters so that concurrent writers cannot pass them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_blacklist_entries: usize,
    /// Orders RECEIVED, ACCEPTED or IN_PROGRESS at once.
    pub max_open_orders: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_blacklist_entries: 100_000,
            max_open_orders: 1_000,
        }
    }
}

/// A whole number from 1 to `max` from the environment, or `default` when unset or empty.
fn count(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, String> {
    match get(name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or(format!(
                "{name} must be a whole number from 1 to {max}, not {v:?}"
            )),
    }
}

/// The preview's bounds (docs/contract-notes.md "Discovery preview"; infra/README.md "Cost bounds").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreviewLimits {
    /// Previews a key may compute per minute, beside its general rate limit (a cached answer is
    /// not charged): `PREVIEW_RATE_LIMIT_PER_MINUTE`.
    pub per_minute: u32,
    /// Markets (country, segment) one preview reads at most: `PREVIEW_MAX_MARKETS`.
    pub max_markets: usize,
    /// Feature records one preview reads at most, summed over its markets (the largest market is
    /// read whatever its size): `PREVIEW_MAX_RECORDS`.
    pub max_records: u64,
    /// How long an identical preview is answered from this container's memory; 0 turns the cache
    /// off: `PREVIEW_CACHE_TTL_SECONDS`, capped at `MAX_PREVIEW_CACHE_TTL`.
    pub cache_ttl: Duration,
}

impl Default for PreviewLimits {
    fn default() -> Self {
        Self {
            per_minute: 30,
            max_markets: 50,
            max_records: 5_000,
            cache_ttl: Duration::from_secs(60),
        }
    }
}

/// The catalog changes by imports; a minute-old count is still the count a partner tunes by.
pub const MAX_PREVIEW_CACHE_TTL: Duration = Duration::from_secs(300);

/// A whole number from the environment within `range`, or `default` when unset or empty.
fn whole_number(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
) -> Result<u64, String> {
    match get(name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or(format!(
                "{name} must be a whole number from {} to {}, not {v:?}",
                range.start(),
                range.end()
            )),
    }
}

/// Per-attempt and whole-operation limits and the retry budget of the AWS clients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AwsTimeouts {
    pub connect: Duration,
    pub attempt: Duration,
    pub operation: Duration,
    pub max_attempts: u32,
    /// The SDK's client-side retry quota: under sustained throttling it stops retrying, so a caller
    /// fails fast. Right for the API (a 503 the partner retries); the workflow's tasks lift it and
    /// rely on the state machine's backoff instead.
    pub retry_quota: bool,
}

impl AwsTimeouts {
    /// For the order lifecycle's tasks: more attempts, no quota (a throttled batch must finish).
    pub fn for_tasks(self) -> Self {
        Self {
            max_attempts: 6,
            retry_quota: false,
            ..self
        }
    }
}

impl Default for AwsTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(1),
            attempt: Duration::from_secs(2),
            operation: Duration::from_secs(5),
            max_attempts: 3,
            retry_quota: true,
        }
    }
}

/// A positive, finite number from the environment, or `default` when unset or empty.
pub fn positive_number(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: f64,
) -> Result<f64, String> {
    match get(name).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x > 0.0)
            .ok_or(format!("{name} must be a positive number, not {v:?}")),
    }
}

pub const MAX_AUTH_CACHE_TTL: Duration = Duration::from_secs(60);

impl Config {
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let table_name = get("TABLE_NAME").ok_or("TABLE_NAME is not set")?;
        let ttl_secs = match get("AUTH_CACHE_TTL_SECONDS") {
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| format!("AUTH_CACHE_TTL_SECONDS is not a number: {v}"))?,
            None => 30,
        };
        let seconds = |name: &str, default: Duration| {
            positive_number(&get, name, default.as_secs_f64()).map(Duration::from_secs_f64)
        };
        let d = AwsTimeouts::default();
        let aws = AwsTimeouts {
            attempt: seconds("AWS_ATTEMPT_TIMEOUT_SECONDS", d.attempt)?,
            operation: seconds("AWS_OPERATION_TIMEOUT_SECONDS", d.operation)?,
            ..d
        };
        let d = Limits::default();
        let limits = Limits {
            max_blacklist_entries: count(
                &get,
                "MAX_BLACKLIST_ENTRIES",
                d.max_blacklist_entries,
                10_000_000,
            )?,
            max_open_orders: count(&get, "MAX_OPEN_ORDERS", d.max_open_orders, 1_000_000)?,
        };
        Ok(Self {
            aws,
            limits,
            table_name,
            catalog_table_name: get("CATALOG_TABLE_NAME").filter(|s| !s.is_empty()),
            catalog_features_table_name: get("CATALOG_FEATURES_TABLE_NAME")
                .filter(|s| !s.is_empty()),
            catalog_shards: match get("CATALOG_SHARDS") {
                None => 1,
                Some(v) => v
                    .parse()
                    .ok()
                    .filter(|n| (1..=256).contains(n))
                    .ok_or(format!("CATALOG_SHARDS must be 1 to 256: {v}"))?,
            },
            state_machine_arn: get("STATE_MACHINE_ARN").filter(|s| !s.is_empty()),
            webhook_queue_url: get("WEBHOOK_QUEUE_URL").filter(|s| !s.is_empty()),
            local_mode: matches!(get("LOCAL_MODE").as_deref(), Some("true" | "1")),
            auth_cache_ttl: Duration::from_secs(ttl_secs).min(MAX_AUTH_CACHE_TTL),
            prices: PriceList::from_lookup(&get)?,
            preview: {
                let d = PreviewLimits::default();
                PreviewLimits {
                    per_minute: whole_number(
                        &get,
                        "PREVIEW_RATE_LIMIT_PER_MINUTE",
                        1..=100_000,
                        d.per_minute.into(),
                    )? as u32,
                    max_markets: whole_number(
                        &get,
                        "PREVIEW_MAX_MARKETS",
                        1..=2_500,
                        d.max_markets as u64,
                    )? as usize,
                    max_records: whole_number(
                        &get,
                        "PREVIEW_MAX_RECORDS",
                        1..=10_000_000,
                        d.max_records,
                    )?,
                    cache_ttl: Duration::from_secs(whole_number(
                        &get,
                        "PREVIEW_CACHE_TTL_SECONDS",
                        0..=MAX_PREVIEW_CACHE_TTL.as_secs(),
                        d.cache_ttl.as_secs(),
                    )?),
                }
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn cache_ttl_is_capped_at_a_minute() {
        let c = Config::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("AUTH_CACHE_TTL_SECONDS", "3600"),
        ]))
        .unwrap();
        assert_eq!(c.auth_cache_ttl, MAX_AUTH_CACHE_TTL);
    }

    #[test]
    fn preview_limits_are_read_and_checked() {
        let c = Config::from_lookup(lookup(&[("TABLE_NAME", "t")])).unwrap();
        assert_eq!(c.preview, PreviewLimits::default());
        let c = Config::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("PREVIEW_RATE_LIMIT_PER_MINUTE", "2"),
            ("PREVIEW_MAX_MARKETS", "1"),
            ("PREVIEW_MAX_RECORDS", "10"),
            ("PREVIEW_CACHE_TTL_SECONDS", "0"),
        ]))
        .unwrap();
        assert_eq!(
            c.preview,
            PreviewLimits {
                per_minute: 2,
                max_markets: 1,
                max_records: 10,
                cache_ttl: Duration::ZERO
            }
        );
        for (name, bad) in [
            ("PREVIEW_RATE_LIMIT_PER_MINUTE", "0"),
            ("PREVIEW_MAX_MARKETS", "-1"),
            ("PREVIEW_MAX_RECORDS", "many"),
            ("PREVIEW_CACHE_TTL_SECONDS", "3600"),
        ] {
            let err = Config::from_lookup(lookup(&[("TABLE_NAME", "t"), (name, bad)])).unwrap_err();
            assert!(err.contains(name), "{err}");
        }
    }

    #[test]
    fn limits_default_and_are_read_as_whole_positive_numbers() {
        let c = Config::from_lookup(lookup(&[("TABLE_NAME", "t")])).unwrap();
        assert_eq!(c.limits, Limits::default());
        let c = Config::from_lookup(lookup(&[
            ("TABLE_NAME", "t"),
            ("MAX_BLACKLIST_ENTRIES", "500"),
            ("MAX_OPEN_ORDERS", "3"),
        ]))
        .unwrap();
        assert_eq!(
            (c.limits.max_blacklist_entries, c.limits.max_open_orders),
            (500, 3)
        );
        for bad in ["0", "-1", "1.5", "many"] {
            let r = Config::from_lookup(lookup(&[("TABLE_NAME", "t"), ("MAX_OPEN_ORDERS", bad)]));
            assert!(r.is_err(), "{bad}");
        }
    }

    #[test]
    fn table_is_required() {
        assert!(Config::from_lookup(lookup(&[])).is_err());
    }
}
