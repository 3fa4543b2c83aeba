//! `opsctl audit-orders`: walks orders as a partner and an operator would see them and reports what
//! must never happen — results lost, doubled or out of order when paging with `offset += limit`,
//! status events missing or extra against the order's status, orders stuck in a non-terminal
//! status with no run behind them. Read-only; runs against the local stack or AWS.
use api::app::App;
use domain::order::{Order, OrderStatus, OrderType, StatusChanged};
use domain::paging::Page;
use domain::ApiError;
use serde::Serialize;
use std::collections::HashSet;
use store::{from_item, keys, query::KeyQuery};

#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Report {
    pub orders: usize,
    pub results: usize,
    pub lost: usize,
    pub doubled: usize,
    pub out_of_order: usize,
    pub missing_events: usize,
    pub extra_events: usize,
    pub stuck: usize,
    /// One line per finding, naming the order.
    pub findings: Vec<String>,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.lost
            + self.doubled
            + self.out_of_order
            + self.missing_events
            + self.extra_events
            + self.stuck
            == 0
    }
}

/// What counts as stuck: a non-terminal order whose run ended (or never started) this long ago.
pub struct Options {
    pub tenant: Option<String>,
    pub stuck_after: time::Duration,
}

/// Every order (of one tenant, or of all through the review index), audited.
pub async fn audit(app: &App, opts: &Options) -> Result<Report, ApiError> {
    let orders = match &opts.tenant {
        Some(t) => tenant_orders(app, t).await?,
        None => all_orders(app).await?,
    };
    let mut report = Report::default();
    let mut audited = HashSet::new();
    for listed in &orders {
        // Listings come from an index (eventually consistent: an order just moved on may show
        // in its old status, or twice); each order is judged as the table holds it now.
        if !audited.insert(listed.order_id) {
            continue;
        }
        let Some(order) = &app.db.get_order(&listed.tenant_id, listed.order_id).await? else {
            continue;
        };
        report.orders += 1;
        audit_results(app, order, &mut report).await?;
        audit_events(app, order, &mut report).await?;
        audit_progress(app, order, opts, &mut report).await?;
    }
    Ok(report)
}

async fn tenant_orders(app: &App, tenant: &str) -> Result<Vec<Order>, ApiError> {
    let (mut out, mut offset) = (Vec::new(), 0);
    loop {
        let page = Page { limit: 100, offset };
        let (orders, total) = app
            .db
            .list_orders(tenant, &Default::default(), page)
            .await?;
        out.extend(orders);
        offset += 100;
        if offset >= total {
            return Ok(out);
        }
    }
}

async fn all_orders(app: &App) -> Result<Vec<Order>, ApiError> {
    let mut out = Vec::new();
    for status in OrderStatus::ALL {
        let q = KeyQuery::partition(
            Some(keys::GSI2),
            (keys::GSI2PK, keys::review_queue(status.as_str())),
        );
        for item in q.all(&app.db).await? {
            out.push(from_item::<Order>(item)?);
        }
    }
    Ok(out)
}

/// Pages through the results exactly as the guide's client does and checks them against the count.
async fn audit_results(app: &App, order: &Order, r: &mut Report) -> Result<(), ApiError> {
    let (mut seen, mut items, mut offset) = (HashSet::new(), Vec::new(), 0);
    loop {
        let page = app
            .db
            .results_page(order, Page { limit: 100, offset }, None)
            .await?;
        let got = page.items.len();
        items.extend(page.items);
        offset += 100;
        if got == 0 || offset >= page.total {
            break;
        }
    }
    r.results += items.len();
    let id = order.order_id;
    let expected = if order.status == OrderStatus::Completed {
        order.company_count
    } else {
        order.result_count
    } as usize;
    let doubled = items.iter().filter(|c| !seen.insert(c.id)).count();
    if doubled > 0 {
        r.doubled += doubled;
        r.findings
            .push(format!("{id}: {doubled} results delivered twice"));
    }
    if seen.len() < expected {
        r.lost += expected - seen.len();
        r.findings.push(format!(
            "{id}: {} of {expected} results reachable by paging",
            seen.len()
        ));
    }
    let out_of_order = match order.order_type {
        // Enrichment results follow the submission.
        OrderType::Enrichment => {
            let submitted = app.db.submitted_companies(&order.tenant_id, id).await?;
            let order_of: std::collections::HashMap<&str, usize> = submitted
                .iter()
                .enumerate()
                .map(|(i, c)| (c.external_id.as_str(), i))
                .collect();
            let positions: Vec<usize> = items
                .iter()
                .filter_map(|c| {
                    c.source_id
                        .as_deref()
                        .and_then(|s| order_of.get(s).copied())
                })
                .collect();
            positions.windows(2).filter(|w| w[0] > w[1]).count()
        }
        // Discovery results are ranked: scores never rise down the list.
        OrderType::Discovery => items
            .windows(2)
            .filter(|w| w[0].match_score < w[1].match_score)
            .count(),
    };
    if out_of_order > 0 {
        r.out_of_order += out_of_order;
        r.findings
            .push(format!("{id}: {out_of_order} results out of order"));
    }
    Ok(())
}

/// The status events must chain from RECEIVED to the order's status, one per transition.
async fn audit_events(app: &App, order: &Order, r: &mut Report) -> Result<(), ApiError> {
    let q = KeyQuery::prefix(
        None,
        (keys::PK, keys::order_data(&order.tenant_id, order.order_id)),
        (keys::SK, "EVENT#"),
    );
    let mut events: Vec<StatusChanged> = Vec::new();
    for item in q.all(&app.db).await? {
        let text = item
            .get("event")
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default();
        events.push(serde_json::from_str(&text).map_err(|e| ApiError::Internal(e.to_string()))?);
    }
    let (missing, extra) = chain_gaps(order.status, &events);
    let id = order.order_id;
    if missing > 0 {
        r.missing_events += missing;
        r.findings.push(format!(
            "{id}: {missing} status events missing before {}",
            order.status
        ));
    }
    if extra > 0 {
        r.extra_events += extra;
        r.findings.push(format!(
            "{id}: {extra} status events that do not lead to {}",
            order.status
        ));
    }
    Ok(())
}

/// (missing, extra): walking back from `status` along `previous_status` must reach RECEIVED using
/// every event exactly once.
pub fn chain_gaps(status: OrderStatus, events: &[StatusChanged]) -> (usize, usize) {
    let mut used = 0;
    let mut at = status;
    while at != OrderStatus::Received {
        match events.iter().find(|e| e.payload.status == at) {
            Some(e) => {
                used += 1;
                at = e.payload.previous_status;
            }
            None => return (1, events.len() - used),
        }
    }
    (0, events.len() - used)
}

/// A non-terminal order past ACCEPTED whose execution is not running any more is stuck.
async fn audit_progress(
    app: &App,
    order: &Order,
    opts: &Options,
    r: &mut Report,
) -> Result<(), ApiError> {
    if !matches!(
        order.status,
        OrderStatus::Accepted | OrderStatus::InProgress
    ) {
        return Ok(());
    }
    let since = order.accepted_at.as_deref().and_then(domain::clock::parse);
    if since.is_some_and(|t| domain::clock::now() - t < opts.stuck_after) {
        return Ok(());
    }
    let running = execution_running(app, order.order_id).await;
    if !running {
        r.stuck += 1;
        r.findings.push(format!(
            "{}: {} with no running execution",
            order.order_id, order.status
        ));
    }
    Ok(())
}

/// `opsctl repair-order`: ends a stuck order as CANCELLED with a note for the partner (its event is
/// sent like any other) and clears its `STUCK` record. Refused for a terminal order, and for one
/// whose run is still going unless `force`.
/// An order by its id alone, whichever tenant's it is (`opsctl show-order`, `repair-order`).
pub async fn stored_order(app: &App, id: uuid::Uuid) -> Result<Order, ApiError> {
    let tenant = api::usecases::lifecycle::tenant_of(app, id).await?;
    app.db
        .get_order(&tenant, id)
        .await?
        .ok_or(ApiError::OrderNotFound)
}

pub async fn repair(
    app: &App,
    id: uuid::Uuid,
    note: Option<String>,
    force: bool,
) -> Result<OrderStatus, ApiError> {
    let order = stored_order(app, id).await?;
    if order.status.is_terminal() {
        return Err(ApiError::InvalidStatusTransition(format!(
            "the order is already {}",
            order.status
        )));
    }
    if !force && execution_running(app, id).await {
        return Err(ApiError::InvalidStatusTransition(
            "its run is still going; wait, or pass --force".into(),
        ));
    }
    let note = note.unwrap_or_else(|| workflow::tasks::failure_note(None));
    let t = api::usecases::lifecycle::transition(
        app,
        &order.tenant_id,
        id,
        OrderStatus::Cancelled,
        store::orders::Change::notes(note),
    )
    .await?;
    app.db
        .client
        .delete_item()
        .table_name(&app.db.table)
        .key(keys::PK, store::s(STUCK))
        .key(keys::SK, store::s(id.to_string()))
        .send()
        .await
        .map_err(store::classify)?;
    Ok(t.order.status)
}

/// Where the state machine's last resort records an order it could not end.
pub const STUCK: &str = "STUCK";

/// Order ids the state machine recorded as stuck.
pub async fn recorded_stuck(app: &App) -> Result<Vec<String>, ApiError> {
    let q = KeyQuery::partition(None, (keys::PK, STUCK.to_string()));
    Ok(q.all(&app.db)
        .await?
        .into_iter()
        .filter_map(|i| i.get(keys::SK).and_then(|v| v.as_s().ok()).cloned())
        .collect())
}

async fn execution_running(app: &App, id: uuid::Uuid) -> bool {
    let Some(arn) = api::usecases::lifecycle::execution_arn(app, id) else {
        return false;
    };
    app.runs.running(&arn).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::order::StatusChangedPayload;
    use OrderStatus::*;

    fn ev(from: OrderStatus, to: OrderStatus) -> StatusChanged {
        StatusChanged {
            event_id: uuid::Uuid::new_v4(),
            tenant_id: "t".into(),
            webhook_url: None,
            payload: StatusChangedPayload {
                event: "order.status_changed".into(),
                order_id: uuid::Uuid::nil(),
                status: to,
                previous_status: from,
                timestamp: String::new(),
            },
        }
    }

    #[test]
    fn chains_are_complete_gapped_or_overlong() {
        let full = [
            ev(Received, Accepted),
            ev(Accepted, InProgress),
            ev(InProgress, Completed),
        ];
        assert_eq!(chain_gaps(Completed, &full), (0, 0));
        assert_eq!(chain_gaps(Completed, &full[1..]), (1, 0));
        assert_eq!(chain_gaps(Cancelled, &[ev(Received, Cancelled)]), (0, 0));
        assert_eq!(chain_gaps(Received, &[]), (0, 0));
        // A COMPLETED event on an order that ended CANCELLED from IN_PROGRESS.
        let wrong = [
            ev(Received, Accepted),
            ev(Accepted, InProgress),
            ev(InProgress, Completed),
            ev(InProgress, Cancelled),
        ];
        assert_eq!(chain_gaps(Cancelled, &wrong), (0, 1));
    }
}
