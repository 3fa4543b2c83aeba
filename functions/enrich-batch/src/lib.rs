//! Lifecycle task: One Map item: computes a batch of results and delivers it in order.
pub use workflow::tasks::enrich_batch as handler;
