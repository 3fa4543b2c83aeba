//! Ops tooling shared by `opsctl`, `make dev` and the test harness.
//! - `template`: reads `template.yaml`, the single source of truth for resources and routes.
//! - `provision`: creates those resources in an emulator (or any endpoint) and resolves the
//!   functions' environment from the template's `Globals`.
//! - `emulator`: starts moto's server from the project `.venv` for as long as its parent lives.
//! - `stack`: a deployed stack's table names and settings, from its CloudFormation outputs.
//! - `wiring`: the local router and the api-tests' function dependencies, generated from the template.
pub mod attribution;
pub mod audit;
pub mod bridge;
pub mod catalog_import;
pub mod emulator;
pub mod event_sources;
pub mod fixtures;
pub mod listen;
pub mod measure;
pub mod provision;
pub mod recount;
pub mod stack;
pub mod template;
pub mod wiring;

/// Every adapter: tools and tests act as any function may.
pub const ADAPTERS: api::app::Wiring = &[events_sqs::wire, runs_sfn::wire];

/// The repository root (this crate lives at `infra/ops`).
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root exists")
}

/// An SDK configuration for an explicit endpoint with static local credentials. Calls made inside
/// `attribution::as_function` are attributed to that function in the emulator's call log.
pub async fn sdk_for(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(attribution::http_client())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "local", "local", None, None, "local",
        ))
        .load()
        .await
}
