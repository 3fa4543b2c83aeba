//! Test helpers shared by the crates' tests, a dev-dependency only (no function links it): `arb`,
//! the arbitrary JSON of the request parsers' property tests. Depends on `domain` alone.
pub mod arb;
