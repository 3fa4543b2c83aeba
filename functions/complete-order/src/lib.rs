//! Lifecycle task: IN_PROGRESS -> COMPLETED with the final count and cost.
pub use shared::workflow::tasks::complete as handler;
