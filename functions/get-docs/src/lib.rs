//! `GET /api/v1/docs` (no auth): the API reference page. Redoc, vendored in the repository
//! (`openapi/docs/redoc/`, refreshed by `make redoc`), renders `openapi.json` beside it; the page
//! loads nothing from elsewhere, and building it needs neither npm nor the network.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use lambda_http::http::{header, HeaderValue, StatusCode};
use lambda_http::{Body, Request, Response};
use shared::http::HandlerResult;
use std::sync::Arc;

const REDOC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../openapi/docs/redoc/redoc.standalone.js"
));

/// Redoc's footer shows its maker's logo from their CDN: the page loads nothing from elsewhere, so
/// that image is an empty inline one.
const CDN_LOGO: &str = "https://cdn.redoc.ly/redoc/logo-mini.svg";
const NO_LOGO: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";

/// The page: the renderer inline (a `</script` inside it would end the element early, so it is
/// escaped, which JavaScript reads the same), pointed at the document by a relative URL so it
/// works under any stage or host.
pub fn page() -> String {
    format!(
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
<script>{}</script>
<script>
Redoc.init("openapi.json", {{ hideDownloadButton: false, expandResponses: "200,201,202" }},
           document.getElementById("reference"));
</script>
</body>
</html>
"#,
        REDOC
            .replace("</script", "<\\/script")
            .replace(CDN_LOGO, NO_LOGO)
    )
}

pub async fn handler(_: Arc<()>, _: Request) -> HandlerResult {
    let mut r = Response::new(Body::Text(page()));
    *r.status_mut() = StatusCode::OK;
    let headers = r.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(r)
}
