//! Lifecycle task: After retries: the order ends CANCELLED with a note for the partner.
pub use workflow::tasks::fail as handler;
