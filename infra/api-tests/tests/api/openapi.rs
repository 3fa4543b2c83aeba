//! The OpenAPI document (`openapi/openapi.yaml`, served at `GET /api/v1/openapi.json`) against the
//! code: every route of template.yaml is an operation and nothing else is, and each operation
//! names the scope its handler requires. (Response bodies are checked against its schemas by
//! schemathesis over the local stack: `make fuzz`, part of `make test`.)
use crate::harness::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn spec() -> Value {
    let text = std::fs::read_to_string(ops::repo_root().join("openapi/openapi.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// (METHOD, path) -> operation.
fn operations(spec: &Value) -> Vec<((String, String), Value)> {
    let mut out = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if METHODS.contains(&method.as_str()) {
                out.push(((method.to_uppercase(), path.clone()), op.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_of_the_template_is_an_operation_and_nothing_else_is() {
    let template = ops::template::Template::load_default().unwrap();
    let routes: BTreeSet<(String, String)> = template
        .http_routes()
        .into_iter()
        // route-not-found is no operation: it answers what no operation takes (`$default`, and
        // the literal paths it claims from parameter routes, such as GET /orders/preview).
        .filter(|(_, _, function)| function != "route-not-found")
        .map(|(method, path, _)| (method, path))
        .collect();
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    let documented: BTreeSet<(String, String)> =
        operations(&spec).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        routes.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routes without an operation"
    );
    assert_eq!(
        documented.difference(&routes).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "operations without a route"
    );
    let ids: BTreeSet<String> = operations(&spec)
        .iter()
        .map(|(_, op)| op["operationId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), documented.len(), "operationIds are unique");
}

#[test]
fn each_operation_names_the_scope_its_handler_requires_and_its_errors() {
    let template = ops::template::Template::load_default().unwrap();
    let route_of: std::collections::HashMap<String, (String, String)> = template
        .http_routes()
        .into_iter()
        // route-not-found is no operation: it answers what no operation takes (`$default`, and
        // the literal paths it claims from parameter routes, such as GET /orders/preview).
        .filter(|(_, _, function)| function != "route-not-found")
        .map(|(method, path, binary)| (binary, (method, path)))
        .collect();
    let spec = spec();
    let ops: std::collections::HashMap<(String, String), Value> =
        operations(&spec).into_iter().collect();
    let endpoints = crate::auth::endpoints();
    for (name, scope, _, _) in &endpoints {
        let op = &ops[&route_of[*name]];
        assert_eq!(
            op["security"],
            serde_json::json!([{"bearerAuth": [scope.as_str()]}]),
            "{name}"
        );
        for status in ["401", "403", "429"] {
            assert!(
                op["responses"].get(status).is_some(),
                "{name} documents its {status}"
            );
        }
    }
    // What no key may call is exactly the API's description; everything else names its scope.
    for ((method, path), op) in &ops {
        let open = op["security"] == serde_json::json!([]);
        // The description and the console page: a person's key goes in the console's calls.
        let description =
            ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/console"].contains(&path.as_str());
        assert_eq!(open, description, "{method} {path}: {}", op["security"]);
        if !open {
            let scopes = op["security"][0]["bearerAuth"].as_array().unwrap();
            assert_eq!(scopes.len(), 1, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn the_document_and_the_reference_page_are_served_without_a_key() {
    let spec_reply = call("GET")
        .send_to(&std::sync::Arc::new(()), get_openapi::handler)
        .await
        .expect(200);
    assert_eq!(spec_reply.body, spec(), "the served document is the file");
    let page = get_docs::page();
    assert!(page.contains("Redoc.init(\"openapi.json\""));
    assert!(!page.contains("https://cdn."), "no image from a CDN either");
    assert!(
        !page.contains("<script src=") && !page.contains("<link rel=\"stylesheet\""),
        "the page is whole: no script or style from elsewhere (the browser test checks requests)"
    );
}

/// The reference page is served on the API's own origin, so it locks itself down: a
/// Content-Security-Policy whose script hashes are those of the page's inline scripts (computed
/// here from the page as served, so the policy cannot drift from the bundle), `nosniff`, and no
/// framing by any other site.
#[tokio::test]
async fn the_reference_page_carries_a_csp_matching_its_scripts() {
    let r = call("GET")
        .send_to(&std::sync::Arc::new(()), get_docs::handler)
        .await
        .expect(200);
    let header = |name: &str| r.headers.get(name).unwrap().to_str().unwrap().to_string();
    assert_eq!(header("x-content-type-options"), "nosniff");
    let csp = header("content-security-policy");
    assert_eq!(csp, get_docs::content_security_policy());
    let directives: BTreeMap<&str, Vec<&str>> = csp
        .split(';')
        .map(|d| {
            let mut words = d.split_whitespace();
            (words.next().unwrap(), words.collect())
        })
        .collect();
    assert_eq!(directives["frame-ancestors"], ["'none'"]);
    assert_eq!(directives["default-src"], ["'none'"]);
    assert_eq!(directives["object-src"], ["'none'"]);
    assert_eq!(directives["base-uri"], ["'none'"]);

    let Value::String(page) = &r.body else {
        panic!("the page is HTML")
    };
    assert_eq!(page, get_docs::page());
    // As a browser reads them: an element's text runs to the first `</script` after its start.
    let mut scripts: Vec<&str> = Vec::new();
    let mut rest = page.as_str();
    while let Some(start) = rest.find("<script>") {
        let (text, after) = rest[start + "<script>".len()..]
            .split_once("</script>")
            .unwrap();
        scripts.push(text);
        rest = after;
    }
    assert_eq!(scripts.len(), 2, "the renderer and the call that runs it");
    assert!(scripts[1].contains("Redoc.init"));
    assert!(
        !rest.contains("<script") && !page.contains("<script src"),
        "no other script"
    );
    let hashes: Vec<String> = scripts.iter().map(|s| sha256_source(s)).collect();
    assert_eq!(
        directives["script-src"], hashes,
        "script-src allows exactly the page's inline scripts"
    );
    assert!(
        !csp.contains("unsafe-eval") && !directives["script-src"].contains(&"'unsafe-inline'"),
        "no script runs but those two"
    );
}

/// The CSP source of an inline script, computed here independently of the function's code.
fn sha256_source(script: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(script.as_bytes());
    let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
    format!("'sha256-{b64}'")
}

/// The page's renderer is vendored (`openapi/docs/redoc/`, refreshed by `make redoc`) so that a
/// build needs neither npm nor the network: the files are the ones recorded, of the version the
/// lockfile pins, with their licenses, and the page serves that very bundle.
#[test]
fn the_reference_page_serves_the_pinned_vendored_redoc() {
    use sha2::{Digest, Sha256};
    let docs = ops::repo_root().join("openapi/docs");
    let read = |name: &str| std::fs::read(docs.join(name)).unwrap();
    let json = |name: &str| serde_json::from_slice::<Value>(&read(name)).unwrap();
    let pinned = json("package.json")["dependencies"]["redoc"].clone();
    let locked = json("package-lock.json")["packages"]["node_modules/redoc"]["version"].clone();
    assert_eq!(
        pinned, locked,
        "package.json and its lockfile pin one Redoc"
    );
    let version = locked.as_str().unwrap();

    let sums = String::from_utf8(read("redoc/SHA256SUMS")).unwrap();
    let mut recorded = BTreeSet::new();
    for line in sums.lines() {
        let (sum, name) = line.split_once("  ").unwrap();
        let actual = format!("{:x}", Sha256::digest(read(&format!("redoc/{name}"))));
        assert_eq!(
            actual, sum,
            "redoc/{name} is not the vendored file (make redoc)"
        );
        recorded.insert(name);
    }
    let expected = [
        "LICENSE",
        "redoc.standalone.js",
        "redoc.standalone.js.LICENSE.txt",
    ];
    assert_eq!(recorded, expected.into_iter().collect::<BTreeSet<_>>());

    let notices = String::from_utf8(read("redoc/redoc.standalone.js.LICENSE.txt")).unwrap();
    assert!(
        notices.contains(&format!("Version: \"{version}\"")),
        "the notices are Redoc {version}'s"
    );
    let bundle = String::from_utf8(read("redoc/redoc.standalone.js")).unwrap();
    assert!(
        bundle.contains(&format!("ReDoc Version: \",\"{version}\"")),
        "the bundle is Redoc {version}"
    );
    let served = bundle.replace("</script", "<\\/script");
    let page = get_docs::page();
    let start = served.find("!function").unwrap();
    assert!(
        page.contains(&served[start..start + 10_000]),
        "the page inlines the vendored bundle"
    );
}
