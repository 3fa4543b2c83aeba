//! Lifecycle task: IN_PROGRESS -> COMPLETED with the final count and cost.
pub use workflow::tasks::complete as handler;
