//! Handler tests: each function's handler, in-process, against a real moto server over the wire.
mod harness;

mod auth;
mod blacklists;
mod bounded;
mod cancel;
mod catalog;
mod concurrency;
mod console;
mod event_sources;
mod fault_proxy;
mod idempotency;
mod isolation;
mod listen;
mod logs;
mod openapi;
mod orders;
mod paging;
mod preview;
mod rate_limits;
mod receiver;
mod results;
mod router;
mod webhooks;
mod workflow;
mod workflow_harness;
