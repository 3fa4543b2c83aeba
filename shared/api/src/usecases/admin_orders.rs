//! Operators' review of orders (docs/contract-notes.md "Lifecycle"): the queue across tenants, one order
//! of any tenant, accept, reject.
use super::lifecycle::{self, tenant_of};
use super::{answer, paged, Answer};
use crate::app::App;
use domain::fields::Fields;
use domain::order::{Order, OrderStatus};
use domain::paging::Page;
use domain::ApiError;
use serde_json::{json, Value};
use store::orders::Change;
use store::ports::Orders;
use store::query::KeyQuery;
use store::{from_item, keys};
use uuid::Uuid;

pub(crate) fn admin_view(o: &Order) -> Value {
    let mut v = serde_json::to_value(o.view()).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("tenant_id".into(), json!(o.tenant_id));
    }
    v
}

/// EXPRESS first, then oldest first (the GSI2 sort key is `<0 EXPRESS|1 NORMAL>#<created_at>#<id>`).
pub async fn queue(app: &App, status: OrderStatus, page: Page) -> Result<Answer, ApiError> {
    let q = KeyQuery {
        newest_first: false,
        ..KeyQuery::partition(
            Some(keys::GSI2),
            (keys::GSI2PK, keys::review_queue(status.as_str())),
        )
    };
    let total = app.db.review_count(status).await?;
    let (items, total) = q.page(&app.db, page, total).await?;
    let orders: Vec<Order> = items.into_iter().map(from_item).collect::<Result<_, _>>()?;
    Ok(paged(orders, total, page, |o| admin_view(&o)))
}

/// One order of any tenant: its tenant from the order's reference item, then the order itself.
pub async fn get(app: &App, id: Uuid) -> Result<Answer, ApiError> {
    let tenant = tenant_of(app, id).await?;
    let order = app
        .db
        .get_order(&tenant, id)
        .await?
        .ok_or(ApiError::OrderNotFound)?;
    Ok(answer(200, &admin_view(&order)))
}

fn notes(body: &Value, required: bool) -> Result<Option<String>, ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(&["admin_notes"]);
    let notes = if required {
        f.required_string("admin_notes", 2000)
    } else {
        f.string("admin_notes", 2000)
    };
    f.finish()?;
    Ok(notes)
}

/// RECEIVED -> ACCEPTED, then the run starts. The execution is named after the order, so a second
/// accept (or a retry after a failed start) can never start a second run.
pub async fn accept(app: &App, id: Uuid, body: &Value) -> Result<Answer, ApiError> {
    let notes = notes(body, false)?;
    let tenant = tenant_of(app, id).await?;
    let order = app
        .db
        .get_order(&tenant, id)
        .await?
        .ok_or(ApiError::OrderNotFound)?;
    let order = match order.status {
        OrderStatus::Received => {
            match lifecycle::transition(
                app,
                &tenant,
                id,
                OrderStatus::Accepted,
                Change {
                    admin_notes: notes,
                    ..Default::default()
                },
            )
            .await
            {
                Ok(t) => t.order,
                // A concurrent accept won: the run is (being) started by it, and by us again below.
                Err(ApiError::InvalidStatusTransition(_)) => app
                    .db
                    .get_order(&tenant, id)
                    .await?
                    .ok_or(ApiError::OrderNotFound)?,
                Err(e) => return Err(e),
            }
        }
        OrderStatus::Accepted => order,
        other => {
            return Err(ApiError::InvalidStatusTransition(format!(
                "Order is {other} and cannot be accepted"
            )))
        }
    };
    if order.status == OrderStatus::Accepted {
        start_run(app, &order).await?;
    } else if order.status != OrderStatus::InProgress && order.status != OrderStatus::Completed {
        return Err(ApiError::InvalidStatusTransition(format!(
            "Order is {} and cannot be accepted",
            order.status
        )));
    }
    Ok(answer(200, &admin_view(&order)))
}

async fn start_run(app: &App, order: &Order) -> Result<(), ApiError> {
    let Some(sm) = &app.config.state_machine_arn else {
        return Err(ApiError::Internal(
            "STATE_MACHINE_ARN is not configured".into(),
        ));
    };
    let input = json!({"order_id": order.order_id, "tenant_id": order.tenant_id, "order_type": order.order_type, "priority": order.priority});
    app.runs
        .start(sm, &order.order_id.to_string(), &input.to_string())
        .await
}

/// RECEIVED -> CANCELLED with notes the partner reads.
pub async fn reject(app: &App, id: Uuid, body: &Value) -> Result<Answer, ApiError> {
    let notes = notes(body, true)?;
    let tenant = tenant_of(app, id).await?;
    let order = app
        .db
        .get_order(&tenant, id)
        .await?
        .ok_or(ApiError::OrderNotFound)?;
    if order.status != OrderStatus::Received {
        return Err(ApiError::InvalidStatusTransition(format!(
            "Order is {} and cannot be rejected",
            order.status
        )));
    }
    let t = lifecycle::transition(
        app,
        &tenant,
        id,
        OrderStatus::Cancelled,
        Change {
            admin_notes: notes,
            ..Default::default()
        },
    )
    .await?;
    Ok(answer(200, &admin_view(&t.order)))
}
