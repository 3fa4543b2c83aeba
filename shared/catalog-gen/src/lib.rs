//! Dev-only: a deterministic catalog of plausible companies (the local stack's demo catalog, the
//! tests' and benchmarks' 100k-1M catalogs). Outside every function's dependency graph: no
//! function may depend on it.
//!
//! `generator.rs` is also compiled into the engine's own unit tests, where `crate::catalog` is the
//! engine's module; here it is the engine's public one.
mod catalog {
    pub use engine::catalog::*;
}
mod generator;

pub use generator::generate;
