//! Tests only: see `tests/api`.
