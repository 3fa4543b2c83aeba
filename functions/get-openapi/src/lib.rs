//! `GET /api/v1/openapi.json` (no auth): the OpenAPI 3.1 document of every endpoint,
//! `openapi/openapi.yaml` (the one description of the API, checked against template.yaml's routes
//! and against real responses by the tests), served as JSON with `servers` naming the deployment
//! that served it.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use http_edge::{header_str, json, HandlerResult};
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde_json::{json as value, Value};
use std::sync::{Arc, LazyLock};

const SPEC_YAML: &str = include_str!("../../../openapi/openapi.yaml");

/// The document as JSON, converted once per container.
// The document is compiled in, not input; the unit test below parses it.
#[allow(clippy::expect_used)]
pub static SPEC: LazyLock<serde_json::Value> = LazyLock::new(|| {
    serde_yaml::from_str(SPEC_YAML)
        .expect("openapi/openapi.yaml is valid YAML (a unit test checks it)")
});

pub async fn handler(_: Arc<()>, req: Request) -> HandlerResult {
    let mut doc = SPEC.clone();
    if let Some(servers) = servers(&req) {
        doc["servers"] = servers;
    }
    Ok(json(200, &doc))
}

/// The deployment a client reached, so a client generated from the served document calls it and
/// not the local stack the file names. API Gateway vouches for its domain (HTTPS only); a loopback
/// `Host` is the local stack on whatever port it runs. Anything else keeps the file's entry.
fn servers(req: &Request) -> Option<Value> {
    let gateway_domain = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.domain_name.as_deref(),
        _ => None,
    };
    if let Some(domain) = gateway_domain.filter(|d| is_dns_name(d) && !is_loopback(d)) {
        return Some(
            value!([{"url": format!("https://{domain}"), "description": "This deployment"}]),
        );
    }
    let host = header_str(req, "host")?;
    let (name, port) = host.rsplit_once(':').unwrap_or((host, ""));
    let port_ok = port.is_empty() || (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    (is_loopback(name) && port_ok)
        .then(|| value!([{"url": format!("http://{host}"), "description": "Local stack"}]))
}

fn is_loopback(name: &str) -> bool {
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

fn is_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequestContext;

    #[test]
    fn the_document_parses_and_is_openapi_3_1() {
        assert_eq!(super::SPEC["openapi"], "3.1.0");
    }

    fn request(domain: Option<&str>, host: Option<&str>) -> Request {
        let mut builder = lambda_http::http::Request::builder().uri("/api/v1/openapi.json");
        if let Some(h) = host {
            builder = builder.header("host", h);
        }
        let mut ctx = ApiGatewayV2httpRequestContext::default();
        ctx.domain_name = domain.map(str::to_string);
        builder
            .body(lambda_http::Body::Empty)
            .map(|r| r.with_request_context(RequestContext::ApiGatewayV2(ctx)))
            .unwrap()
    }

    async fn served_servers(domain: Option<&str>, host: Option<&str>) -> Value {
        let response = handler(Arc::new(()), request(domain, host)).await.unwrap();
        let lambda_http::Body::Text(text) = response.body() else {
            panic!("a JSON body")
        };
        serde_json::from_str::<Value>(text).unwrap()["servers"].clone()
    }

    #[tokio::test]
    async fn servers_name_the_deployment_that_served_the_document() {
        let deployed = served_servers(
            Some("abc123.execute-api.eu-central-1.amazonaws.com"),
            Some("abc123.execute-api.eu-central-1.amazonaws.com"),
        )
        .await;
        assert_eq!(
            deployed[0]["url"],
            "https://abc123.execute-api.eu-central-1.amazonaws.com"
        );
        assert_eq!(
            deployed.as_array().unwrap().len(),
            1,
            "no localhost in production"
        );
        let local = served_servers(Some("localhost"), Some("127.0.0.1:41234")).await;
        assert_eq!(local[0]["url"], "http://127.0.0.1:41234");
        // A Host header is the client's word: a foreign one never becomes a server.
        let forged = served_servers(None, Some("evil.example")).await;
        assert_eq!(forged, SPEC["servers"]);
        let injected = served_servers(Some("a b\"/x"), Some("localhost:9000/x")).await;
        assert_eq!(injected, SPEC["servers"]);
    }
}
