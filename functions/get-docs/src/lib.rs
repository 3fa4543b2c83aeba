//! `GET /api/v1/docs` (no auth): the API reference page. Redoc, vendored in the repository
//! (`openapi/docs/redoc/`, refreshed by `make redoc`), renders `openapi.json` beside it; the page
//! loads nothing from elsewhere, and building it needs neither npm nor the network.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use http_edge::{html_page, HandlerResult};

use lambda_http::Request;
use std::sync::{Arc, OnceLock};

const REDOC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../openapi/docs/redoc/redoc.standalone.js"
));

/// Redoc's footer shows its maker's logo from their CDN: the page loads nothing from elsewhere, so
/// that image is an empty inline one.
const CDN_LOGO: &str = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const NO_LOGO: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";

/// What runs Redoc on the document, by a relative URL so it works under any stage or host.
const INIT: &str = r#"
Redoc.init("openapi.json", { hideDownloadButton: false, expandResponses: "200,201,202" },
           document.getElementById("reference"));
"#;

/// The page and its Content-Security-Policy, built once per container from the same text, so
/// the policy's hashes are always those of the scripts served.
struct Docs {
    page: String,
    policy: String,
}

fn docs() -> &'static Docs {
    static DOCS: OnceLock<Docs> = OnceLock::new();
    DOCS.get_or_init(|| {
        // A `</script` inside the renderer would end the element early, so it is escaped (which
        // JavaScript reads the same).
        let renderer = REDOC
            .replace("</script", "<\\/script")
            .replace(CDN_LOGO, NO_LOGO);
        let page = format!(
            r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prospect discovery API reference</title>
<link rel="icon" href="data:,">
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<div id="reference"></div>
<script>{renderer}</script>
<script>{INIT}</script>
</body>
</html>
"#
        );
        let policy = policy(&[&renderer, INIT]);
        Docs { page, policy }
    })
}

/// The page: the renderer inline and the call that runs it. The page loads nothing from
/// elsewhere.
pub fn page() -> &'static str {
    &docs().page
}

/// The page's Content-Security-Policy: only the page's own two inline scripts run (by their
/// SHA-256, so an injected script would not); styles inline (Redoc's styled-components write
/// them at run time, which no hash can name); images and fonts inline; the document fetched from
/// this origin; Redoc's search worker from the blob it builds; no plugin, base, form or frame;
/// and no other site may frame the page (clickjacking on the API's origin).
pub fn content_security_policy() -> &'static str {
    &docs().policy
}

/// `'sha256-<base64>'`, the CSP source for an inline script with exactly this text.
pub fn script_hash(script: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn policy(scripts: &[&str]) -> String {
    let hashes: Vec<String> = scripts.iter().map(|s| script_hash(s)).collect();
    format!(
        "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src data:; \
         font-src data:; connect-src 'self'; worker-src blob:; object-src 'none'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hashes.join(" ")
    )
}

pub async fn handler(_: Arc<()>, _: Request) -> HandlerResult {
    Ok(html_page(page(), content_security_policy()))
}
