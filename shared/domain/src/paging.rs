//! `limit` / `offset` query parameters and the `{items, total, limit, offset, has_more}` envelope.
use crate::error::FieldError;
use serde::Serialize;
use std::collections::HashMap;

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 100;
/// The deepest `offset` of a list whose store cannot seek to a position (every list but an
/// order's results, whose sort keys are positions): reaching an offset reads every item before
/// it, so the offset bounds a page's reads (Elasticsearch's `max_result_window` is the same
/// bound, with the same default).
pub const MAX_OFFSET: usize = 10_000;

/// The 422 for an offset past `MAX_OFFSET`, naming `offset`.
pub fn offset_too_deep() -> crate::error::ApiError {
    crate::error::ApiError::Validation(vec![offset_error()])
}

fn offset_error() -> FieldError {
    FieldError::new(
        "offset",
        format!("offset must be at most {MAX_OFFSET} for this list"),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    /// Reads `limit` (1-100, default 50) and `offset` (>= 0, default 0); errors name the parameter.
    pub fn from_query(query: &HashMap<String, String>, errors: &mut Vec<FieldError>) -> Page {
        let limit = match query.get("limit") {
            None => DEFAULT_LIMIT,
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(
                        "limit",
                        format!("limit must be an integer between 1 and {MAX_LIMIT}"),
                    ));
                    DEFAULT_LIMIT
                }
            },
        };
        let offset = match query.get("offset") {
            None => 0,
            Some(v) => match v.parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push(FieldError::new("offset", "offset must be an integer >= 0"));
                    0
                }
            },
        };
        Page { limit, offset }
    }

    /// `from_query` for lists paged by skipping (`MAX_OFFSET`): a deeper offset is named too.
    pub fn from_query_bounded(
        query: &HashMap<String, String>,
        errors: &mut Vec<FieldError>,
    ) -> Page {
        let page = Self::from_query(query, errors);
        if page.offset > MAX_OFFSET {
            errors.push(offset_error());
        }
        page
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
    pub has_more: bool,
}

impl<T> Paged<T> {
    pub fn new(items: Vec<T>, total: usize, page: Page) -> Self {
        Self {
            has_more: page.offset + items.len() < total,
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            limit: self.limit,
            offset: self.offset,
            has_more: self.has_more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_and_ranges() {
        let mut e = vec![];
        assert_eq!(
            Page::from_query(&q(&[]), &mut e),
            Page {
                limit: 50,
                offset: 0
            }
        );
        assert_eq!(
            Page::from_query(&q(&[("limit", "100"), ("offset", "7")]), &mut e),
            Page {
                limit: 100,
                offset: 7
            }
        );
        assert!(e.is_empty());
        Page::from_query(&q(&[("limit", "0"), ("offset", "-1")]), &mut e);
        Page::from_query(&q(&[("limit", "101")]), &mut e);
        Page::from_query(&q(&[("limit", "ten")]), &mut e);
        assert_eq!(e.len(), 4);
    }

    #[test]
    fn has_more() {
        let p = Page {
            limit: 2,
            offset: 2,
        };
        assert!(Paged::new(vec![1, 2], 5, p).has_more);
        assert!(!Paged::new(vec![1], 3, p).has_more);
        assert!(
            !Paged::<i32>::new(
                vec![],
                3,
                Page {
                    limit: 2,
                    offset: 10
                }
            )
            .has_more
        );
    }
}
