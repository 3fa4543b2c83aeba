//! `POST /orders/preview` (CONTRACT.md "Discovery preview"): what a discovery order would find if
//! it ran now, so a partner can tune an ICP before paying. Nothing is stored.
//!
//! It is the order's own path: the body passes order creation's validation (`orders::checked`,
//! the same 422 messages), the blacklists are read as the plan task reads them, `pipeline::find`
//! selects and `build_discovered_until` builds the best `PREVIEW_ITEMS`, so a preview's items are
//! the order's first results. Two things differ, both to answer within seconds: the items are
//! built offline (no homepage fetch, no MX lookup: technologies are the catalog's, email
//! confidence scores an MX lookup as unknown), and they always carry the analysis, which the
//! preview exists to show.
use super::{blacklists, orders, Answer};
use crate::auth::Caller;
use crate::domain::order::{Feature, OrderType};
use crate::engine::enrich::EnrichContext;
use crate::engine::icp;
use crate::engine::pipeline::{build_discovered_until, find};
use crate::engine::ports::{CatalogSource, Network};
use crate::error::FieldError;
use crate::{ApiError, App};
use serde_json::{json, Value};

/// Results a preview shows, best first.
pub const PREVIEW_ITEMS: usize = 5;

/// The companies an order pays for at most (`discovery::MAX_RESULTS`).
const PRICED_AT_MOST: usize = crate::engine::discovery::MAX_RESULTS;

pub async fn preview(
    app: &App,
    caller: &Caller,
    catalog: &dyn CatalogSource,
    body: Value,
) -> Result<Answer, ApiError> {
    let new = orders::checked(app, caller, body, discovery_only).await?;
    let (mut order, _, _) = orders::build(app, caller, new);
    let blacklist =
        blacklists::exclusions(&app.db, &caller.tenant_id, &order.blacklist_ids).await?;
    let found = find(
        &icp::parse(&order),
        order.target_countries.as_deref().unwrap_or_default(),
        catalog,
        &blacklist,
    )
    .await?;
    let matching = found.stats.matching;
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
    Ok((
        200,
        json!({
            "matching_companies": matching,
            // Every candidate of the partitions the ICP names is scored: the count is exact.
            "count_is_estimate": false,
            "estimated_cost": estimated_cost,
            "items": items,
        }),
    ))
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
