//! `POST /orders/preview` (docs/contract-notes.md "Discovery preview"): what a discovery order would find if
//! it ran now, so a partner can tune an ICP before paying. Nothing is stored.
//!
//! It is the order's own path: the body passes order creation's validation (`orders::checked`,
//! the same 422 messages), the blacklists are read as the plan task reads them, `pipeline::find`
//! selects and `build_discovered_until` builds the best `PREVIEW_ITEMS`, so a preview's items are
//! the order's first results. Two things differ, both to answer within seconds: the items are
//! built offline (no homepage fetch, no MX lookup: technologies are the catalog's, email
//! confidence scores an MX lookup as unknown), and they always carry the analysis, which the
//! preview exists to show.
//!
//! A preview's cost is bounded, since any key that reads orders can ask for one
//! (infra/README.md "Cost bounds"):
//! - it reads at most `PREVIEW_MAX_MARKETS` markets and `PREVIEW_MAX_RECORDS` feature records
//!   (the largest markets the ICP names first; the largest is read alone when it holds more),
//!   fewer when a named blacklist is too large to read whole, so that the candidates' keys
//!   looked up stay within `BLACKLIST_KEYS`,
//!   ranks by at most `MAX_KEYWORDS` query terms, and
//!   reads only the five companies it shows; when anything named was left out the count is the
//!   matches found scaled by the companies of every market named, and `count_is_estimate` is true;
//! - each key may compute `PREVIEW_RATE_LIMIT_PER_MINUTE` previews a minute beside its general
//!   rate limit (429 `RATE_LIMITED` with `Retry-After`);
//! - an identical preview (same tenant, same order fields after validation and the profile fill,
//!   same state of its blacklists) is answered from this container's memory for
//!   `PREVIEW_CACHE_TTL_SECONDS`, not charged to the preview quota.
use super::{blacklists, orders, Found};
use crate::app::App;
use auth::rate::Bucket;
use auth::Caller;
use domain::error::FieldError;
use domain::order::{Feature, Order, OrderType};
use domain::ApiError;
use engine::enrich::EnrichContext;
use engine::icp;
use engine::pipeline::{build_discovered_until, find_excluding};
use engine::ports::{CatalogSource, Network};
use engine::selection::Budget;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use store::limiter::preview_subject;

/// Results a preview shows, best first.
pub const PREVIEW_ITEMS: usize = 5;

/// Query terms a preview ranks by: an ICP of 5,000 characters can name hundreds, each read from
/// every market's statistics and scored against every record; real ICPs name 5 to 25.
pub const MAX_KEYWORDS: usize = 32;

/// Keys a preview may look up in the blacklists it names (50 `BatchGetItem` calls, 2,500 read
/// units): with a blacklist too large to read whole for that, it reads only as many records as
/// it can check within them (`Exclusions::records_within`), and the count is an estimate.
pub const BLACKLIST_KEYS: u64 = 5_000;

/// What an answer depends on: the tenant, every order field discovery, pricing and the items
/// read (after validation and the profile fill, so spacing, field order, the title or a
/// `profile_name` make no difference), and each named blacklist's `updated_at` and
/// `entry_count` (an entry added or removed moves both).
async fn cache_key(app: &App, order: &Order) -> Result<[u8; 32], ApiError> {
    let mut lists = Vec::with_capacity(order.blacklist_ids.len());
    for id in &order.blacklist_ids {
        let state = app.db.get_blacklist(&order.tenant_id, *id).await?;
        lists.push(json!([id, state.map(|b| (b.updated_at, b.entry_count))]));
    }
    // A delivery recorded since moves the register's summary: another preview.
    let delivered = match order.exclude_delivered {
        true => {
            let summary = app.db.delivered_summary(&order.tenant_id).await?;
            json!([summary.recorded, summary.updated_at])
        }
        false => Value::Null,
    };
    let mut features = order.features.clone();
    features.sort_by_key(|f| format!("{f:?}"));
    let fields = json!([
        order.tenant_id,
        features,
        order.priority,
        order.ideal_customer_profile,
        order.seller_offering,
        order.seller_industry,
        order.excluded_industries,
        order.target_countries,
        order.target_cities,
        order.output_language,
        order.contact_roles,
        order.lookalike_domains,
        lists,
        delivered,
    ]);
    Ok(Sha256::digest(fields.to_string().as_bytes()).into())
}

/// The companies an order pays for at most (`discovery::MAX_RESULTS`).
const PRICED_AT_MOST: usize = engine::discovery::MAX_RESULTS;

pub async fn preview(
    app: &App,
    caller: &Caller,
    catalog: &dyn CatalogSource,
    body: Value,
) -> Result<Found<Value>, ApiError> {
    let new = orders::checked(app, caller, body, discovery_only).await?;
    super::lookalike::seed_warnings(catalog, &new).await?;
    let (order, _, _) = orders::build(app, caller, new);
    of_order(app, caller.key_id, catalog, order).await
}

/// The preview of a validated discovery order (a partner's body, or an operator's look at a
/// stored order), charged to `key_id`'s preview quota.
pub(crate) async fn of_order(
    app: &App,
    key_id: uuid::Uuid,
    catalog: &dyn CatalogSource,
    mut order: Order,
) -> Result<Found<Value>, ApiError> {
    let key = cache_key(app, &order).await?;
    if let Some(answer) = app.previews.get(&key) {
        return Ok(Found(answer));
    }
    let limits = app.config.preview;
    app.limiter
        .charge_quietly(
            &app.db,
            &preview_subject(key_id),
            Bucket::new(limits.per_minute),
        )
        .await?;
    let tenant = order.tenant_id.clone();
    let mut blacklist = blacklists::Exclusions::of(&app.db, &tenant, &order.blacklist_ids).await?;
    if order.exclude_delivered {
        blacklist = blacklist.and_delivered().await?;
    }
    let mut icp = icp::parse(&order);
    let keywords_cut = icp.keywords.len() > MAX_KEYWORDS;
    icp.keywords.truncate(MAX_KEYWORDS);
    let budget = Budget {
        markets: limits.max_markets,
        records: blacklist.records_within(BLACKLIST_KEYS, limits.max_records),
        bodies: PREVIEW_ITEMS,
    };
    let found = find_excluding(
        &icp,
        order.target_countries.as_deref().unwrap_or_default(),
        catalog,
        &mut blacklist,
        Some(budget),
    )
    .await?;
    let coverage = found.coverage.unwrap_or_default();
    let estimate = coverage.partial() || keywords_cut;
    let matching = coverage.extrapolate(found.stats.matching);
    let estimated_cost = app.config.prices.estimate(
        matching.min(PRICED_AT_MOST) as u64,
        &order.features,
        order.priority,
    );

    if !order.features.contains(&Feature::Analysis) {
        order.features.push(Feature::Analysis);
    }
    let best: Vec<_> = found
        .selected
        .iter()
        .take(PREVIEW_ITEMS)
        .map(|(c, a)| (c, a))
        .collect();
    let offline = Network::offline();
    let ctx = EnrichContext {
        resolver: offline.resolver.as_ref(),
        fetcher: None,
    };
    let items: Vec<_> = build_discovered_until(&order, &best, &ctx, None)
        .await
        .into_iter()
        .flatten()
        .collect();
    let answer = json!({
        "matching_companies": matching,
        // Exact when every candidate of the markets the ICP names was scored by all its terms.
        "count_is_estimate": estimate,
        "estimated_cost": estimated_cost,
        "items": items,
    });
    app.previews.put(key, answer.clone());
    Ok(Found(answer))
}

/// A preview is of a discovery order; an enrichment order's price is known without one.
fn discovery_only(body: &Value, errors: &mut Vec<FieldError>) {
    let order_type = body
        .get("order_type")
        .and_then(Value::as_str)
        .map(str::trim)
        .and_then(OrderType::parse);
    if order_type.is_some_and(|t| t != OrderType::Discovery) {
        errors.push(FieldError::new(
            "order_type",
            "a preview takes a DISCOVERY order",
        ));
    }
}
