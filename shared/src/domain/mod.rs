//! Pure rules of the contract. Nothing here knows about AWS.
pub mod blacklist;
pub mod create_order;
pub mod fields;
pub mod language;
pub mod normalize;
pub mod order;
pub mod paging;
pub mod pricing;
pub mod profile;
pub mod results;
pub mod webhook_url;
