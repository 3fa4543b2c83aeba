//! Webhook delivery: the guarded sender (`sender`) and the dispatcher (`dispatch`) the webhook
//! queue's consumer runs. Only the dispatcher function links it (reqwest through `outbound`).
pub mod dispatch;
pub mod sender;
