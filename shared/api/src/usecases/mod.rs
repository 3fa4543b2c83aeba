//! One use case per endpoint: what a function calls after parsing its event. Each returns the
//! status and body of its answer or an `ApiError`.
pub mod admin_orders;
pub mod api_keys;
pub mod blacklists;
pub mod lifecycle;
pub mod lookalike;
pub mod orders;
pub mod preview;
pub mod profiles;
pub mod webhooks;

use domain::paging::Paged;
use serde::Serialize;

/// `(status, body)`, ready for `http::json`.
pub type Answer = (u16, serde_json::Value);

pub fn answer(status: u16, body: &impl Serialize) -> Answer {
    (status, serde_json::to_value(body).unwrap_or_default())
}

pub fn paged<T, U: Serialize>(
    items: Vec<T>,
    total: usize,
    page: domain::paging::Page,
    view: impl FnMut(T) -> U,
) -> Answer {
    answer(200, &Paged::new(items, total, page).map(view))
}
