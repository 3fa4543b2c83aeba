//! Lifecycle task: The plan: ranks the catalog (discovery) or batches the submission (enrichment).
pub use workflow::tasks::plan as handler;
