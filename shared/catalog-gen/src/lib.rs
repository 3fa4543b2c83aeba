//! Dev-only: a deterministic catalog of plausible companies (the local stack's demo catalog, the
//! tests' and benchmarks' 100k-1M catalogs). Outside every function's dependency graph: no
//! function may depend on it.
mod generator;

pub use generator::generate;
