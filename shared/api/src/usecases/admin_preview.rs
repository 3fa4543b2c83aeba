//! `GET /admin/orders/{order_id}/preview`: an operator's look at what an order of any tenant would
//! deliver if it ran now, before accepting it. The stored order is the preview's order: the
//! partner's preview path (`preview::of_order`: same bounds, same cache, charged to the operator's
//! preview quota), so the answer has `POST /orders/preview`'s shape.
use super::lifecycle::tenant_of;
use super::{preview, Found};
use crate::app::App;
use auth::Caller;
use domain::error::FieldError;
use domain::order::OrderType;
use domain::ApiError;
use engine::ports::CatalogSource;
use uuid::Uuid;

pub async fn preview(
    app: &App,
    caller: &Caller,
    catalog: &dyn CatalogSource,
    id: Uuid,
) -> Result<Found<serde_json::Value>, ApiError> {
    let tenant = tenant_of(app, id).await?;
    let order = app
        .db
        .get_order(&tenant, id)
        .await?
        .ok_or(ApiError::OrderNotFound)?;
    // An enrichment order's companies are given and its price known: nothing to preview.
    if order.order_type != OrderType::Discovery {
        return Err(ApiError::Validation(vec![FieldError::new(
            "order_id",
            "order_id names an ENRICHMENT order; only DISCOVERY orders have a preview",
        )]));
    }
    preview::of_order(app, caller.key_id, catalog, order).await
}
