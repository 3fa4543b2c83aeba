//! One use case per endpoint: what a function calls after parsing its event. A use case says what
//! happened, never how HTTP answers it: it returns one of the outcome types below, or an
//! `ApiError`, and `http_edge::reply` alone turns the outcome into a status and body (as
//! `http_edge::error_response` turns the error into its status, code and envelope).
//!
//! | outcome        | meaning                                   | HTTP (`http_edge::Reply`) |
//! |----------------|-------------------------------------------|---------------------------|
//! | `Found<T>`     | what was asked for, read or computed      | 200, `T`                  |
//! | `Listed<T>`    | one page of a list                        | 200, `Paged<T>` envelope  |
//! | `Updated<T>`   | a thing changed in place (or moved state) | 200, `T`                  |
//! | `Created<T>`   | a thing made now                          | 201, `T`                  |
//! | `Accepted<T>`  | work taken on, done later                 | 202, `T`                  |
//! | `Deleted`      | a thing removed                           | 204, no body              |
//!
//! Converting a use case written the old way (`Result<Answer, _>`): `answer(200, &x)` becomes
//! `Found(x)` (or `Updated(x)` when it changed something), `answer(201, &x)` `Created(x)`,
//! `answer(202, &x)` / `(202, x)` `Accepted(x)`, `paged(items, total, page, view)`
//! `Listed::new(items, total, page, view)`, and `Ok(())` answered with `no_content()` `Deleted`;
//! the function's handler then ends in `reply(usecase(..).await?)`. `T` is any `Serialize`: a
//! domain type, a view, or a `serde_json::Value` built with `json!`. The body is written through
//! a `serde_json::Value`, so object keys come out sorted whatever `T`'s field order.
//!
//! The store has no port traits (`store::ports` is gone): a use case calls `app.db`'s methods
//! without importing any; `OrderFilter` is in `store::orders`, `AddedEntries` in `store::blacklists`.
pub mod admin_orders;
pub mod admin_preview;
pub mod admin_stuck;
pub mod admin_webhooks;
pub mod api_keys;
pub mod blacklists;
pub mod lifecycle;
pub mod lookalike;
pub mod orders;
pub mod preview;
pub mod profiles;
pub mod webhooks;

use domain::paging::{Page, Paged};

/// What was asked for: one thing read, or an answer computed (a preview).
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T>(pub T);

/// One page of a list, with its `total`, `limit`, `offset` and `has_more`.
#[derive(Debug, Clone)]
pub struct Listed<T>(pub Paged<T>);

impl<T> Listed<T> {
    /// The page `page` of a list of `total`, holding `items` each shown as `view` shows it.
    pub fn new<S>(items: Vec<S>, total: usize, page: Page, view: impl FnMut(S) -> T) -> Self {
        Self(Paged::new(items, total, page).map(view))
    }
}

/// A thing changed in place, or moved to another state (cancelled, accepted, entries added): its
/// state now.
#[derive(Debug, Clone, PartialEq)]
pub struct Updated<T>(pub T);

/// A thing made by this request: what was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Created<T>(pub T);

/// Work taken on and done later (an order to review, webhook deliveries queued): its receipt.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted<T>(pub T);

/// A thing removed; nothing to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deleted;
