//! Lifecycle task: After retries: the order ends CANCELLED with a note for the partner.
pub use shared::workflow::tasks::fail as handler;
