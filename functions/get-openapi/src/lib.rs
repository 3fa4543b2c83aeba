//! `GET /api/v1/openapi.json` (no auth): the OpenAPI 3.1 document of every endpoint,
//! `openapi/openapi.yaml` (the one description of the API, checked against template.yaml's routes
//! and against real responses by the tests), served as JSON.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use lambda_http::Request;
use shared::http::{json, HandlerResult};
use std::sync::{Arc, LazyLock};

const SPEC_YAML: &str = include_str!("../../../openapi/openapi.yaml");

/// The document as JSON, converted once per container.
// The document is compiled in, not input; the unit test below parses it.
#[allow(clippy::expect_used)]
pub static SPEC: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_yaml::from_str(SPEC_YAML)
        .expect("openapi/openapi.yaml is valid YAML (a unit test checks it)")
});

pub async fn handler(_: Arc<()>, _: Request) -> HandlerResult {
    Ok(json(200, &*SPEC))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_parses_and_is_openapi_3_1() {
        assert_eq!(super::SPEC["openapi"], "3.1.0");
    }
}
