//! Lifecycle task: ACCEPTED -> IN_PROGRESS: the run begins.
pub use workflow::tasks::start_processing as handler;
