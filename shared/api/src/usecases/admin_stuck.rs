//! Operators' stuck orders (what `opsctl audit-orders` reports as stuck, and what the state
//! machine's last resort recorded under `STUCK`) and their repair (what `opsctl repair-order`
//! does), over the API for the console (issue 23).
//!
//! Stuck: an order ACCEPTED or IN_PROGRESS for longer than `stuck_after` whose run is not
//! running. The list reads the review index's ACCEPTED and IN_PROGRESS partitions (orders in
//! flight, every tenant's), keeps those accepted before the cutoff, and tells for each order of
//! the page whether its run is still going and whether the state machine recorded it as stuck: a
//! page costs one index read of the orders in flight plus two calls per order shown
//! (infra/README.md "What one request may cost").
use super::admin_orders::AdminOrder;
use super::lifecycle::{self, tenant_of};
use super::{Listed, Updated};
use crate::app::App;
use domain::fields::Fields;
use domain::order::{Order, OrderStatus};
use domain::paging::{Page, Paged};
use domain::ApiError;
use serde_json::{json, Value};
use store::orders::Change;
use store::query::KeyQuery;
use store::{classify, from_item, keys, s};
use uuid::Uuid;

/// The default age past which an order in flight without a run is stuck (`opsctl audit-orders`'s
/// `--stuck-after-minutes`).
pub const STUCK_AFTER_MINUTES: i64 = 30;
/// A week: longer than any run may last.
pub const MAX_STUCK_AFTER_MINUTES: i64 = 7 * 24 * 60;
/// Orders of a page whose run and record are looked up at once.
const PER_ORDER_CALLS_AT_ONCE: usize = 8;

/// Written for the partner when the operator gives no note (the workflow's own words).
const REPAIR_NOTE: &str = "We could not complete this order because an unexpected error occurred while processing it. It was cancelled and will not be charged; please submit it again or contact support.";

fn in_flight(status: OrderStatus, cutoff: &str) -> KeyQuery {
    let mut q = KeyQuery {
        newest_first: false,
        ..KeyQuery::partition(
            Some(keys::GSI2),
            (keys::GSI2PK, keys::review_queue(status.as_str())),
        )
    };
    q.filter = Some("attribute_not_exists(#acc) OR #acc < :cutoff".into());
    q.names.insert("#acc".into(), "accepted_at".into());
    q.values.insert(":cutoff".into(), s(cutoff));
    q
}

/// `GET /admin/orders/stuck`: orders in flight past `stuck_after`, every tenant's, ACCEPTED ones
/// first, then IN_PROGRESS, each by priority and age as the review queue orders them.
pub async fn stuck(
    app: &App,
    stuck_after_minutes: i64,
    page: Page,
) -> Result<Listed<Value>, ApiError> {
    let cutoff =
        domain::clock::format(domain::clock::now() - time::Duration::minutes(stuck_after_minutes));
    let accepted = in_flight(OrderStatus::Accepted, &cutoff);
    let running = in_flight(OrderStatus::InProgress, &cutoff);
    let (before, after) = (
        accepted.count(&app.db).await?,
        running.count(&app.db).await?,
    );
    let mut items = Vec::with_capacity(page.limit);
    if page.offset < before {
        items = accepted.fetch(&app.db, page).await?;
    }
    let left = page.limit - items.len().min(page.limit);
    if left > 0 {
        let rest = Page {
            limit: left,
            offset: page.offset.saturating_sub(before),
        };
        items.extend(running.fetch(&app.db, rest).await?);
    }
    let orders: Vec<Order> = items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    // Two calls per order shown, a few orders at a time: a page of 100 stays well within the
    // function's timeout.
    let mut views: Vec<Value> = Vec::with_capacity(orders.len());
    for chunk in orders.chunks(PER_ORDER_CALLS_AT_ONCE) {
        let mut batch = Vec::with_capacity(chunk.len());
        for o in chunk {
            batch.push(stuck_view(app, o));
        }
        views.extend(futures::future::try_join_all(batch).await?);
    }
    Ok(Listed(Paged::new(views, before + after, page)))
}

/// The order as `GET /admin/orders/{order_id}` shows it, and what its repair depends on.
async fn stuck_view(app: &App, o: &Order) -> Result<Value, ApiError> {
    let running = execution_running(app, o.order_id).await?;
    let recorded = recorded_stuck(app, o.order_id).await?;
    Ok(
        json!({"order": AdminOrder(o.clone()), "execution_running": running, "recorded_stuck": recorded}),
    )
}

async fn execution_running(app: &App, id: Uuid) -> Result<bool, ApiError> {
    match lifecycle::execution_arn(app, id) {
        Some(arn) => app.runs.running(&arn).await,
        None => Ok(false),
    }
}

async fn recorded_stuck(app: &App, id: Uuid) -> Result<bool, ApiError> {
    let out = app
        .db
        .client
        .get_item()
        .table_name(&app.db.table)
        .key(keys::PK, s(keys::STUCK))
        .key(keys::SK, s(id.to_string()))
        .projection_expression("#pk")
        .expression_attribute_names("#pk", keys::PK)
        .send()
        .await
        .map_err(classify)?;
    Ok(out.item.is_some_and(|i| !i.is_empty()))
}

async fn clear_stuck(app: &App, id: Uuid) -> Result<(), ApiError> {
    app.db
        .client
        .delete_item()
        .table_name(&app.db.table)
        .key(keys::PK, s(keys::STUCK))
        .key(keys::SK, s(id.to_string()))
        .send()
        .await
        .map(|_| ())
        .map_err(classify)
}

/// `POST /admin/orders/{order_id}/repair` `{admin_notes?}`: ends a stuck order as CANCELLED with a
/// note for the partner (its event is sent like any other) and clears its `STUCK` record.
/// Idempotent: the status write is conditional (one writer wins a race), and an order already
/// CANCELLED answers 200 as the first repair did. 409 for an order whose run is still going, and
/// for one that is RECEIVED (reject it) or COMPLETED.
pub async fn repair(app: &App, id: Uuid, body: &Value) -> Result<Updated<AdminOrder>, ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(&["admin_notes"]);
    let notes = f.string("admin_notes", 2000);
    f.finish()?;
    let tenant = tenant_of(app, id).await?;
    let order = load(app, &tenant, id).await?;
    let order = match order.status {
        OrderStatus::Cancelled => order,
        OrderStatus::Accepted | OrderStatus::InProgress => {
            if execution_running(app, id).await? {
                return Err(ApiError::InvalidStatusTransition(
                    "The order's run is still going; repair it once the run has ended".into(),
                ));
            }
            let change = Change::notes(notes.unwrap_or_else(|| REPAIR_NOTE.into()));
            match lifecycle::transition(app, &tenant, id, OrderStatus::Cancelled, change).await {
                Ok(t) => t.order,
                // Another repair or a cancellation won the write; what it left is the answer.
                Err(ApiError::InvalidStatusTransition(why)) => {
                    let now = load(app, &tenant, id).await?;
                    if now.status != OrderStatus::Cancelled {
                        return Err(ApiError::InvalidStatusTransition(why));
                    }
                    now
                }
                Err(e) => return Err(e),
            }
        }
        other => {
            return Err(ApiError::InvalidStatusTransition(format!(
                "Order is {other} and cannot be repaired"
            )))
        }
    };
    clear_stuck(app, id).await?;
    Ok(Updated(AdminOrder(order)))
}

async fn load(app: &App, tenant: &str, id: Uuid) -> Result<Order, ApiError> {
    app.db
        .get_order(tenant, id)
        .await?
        .ok_or(ApiError::OrderNotFound)
}
