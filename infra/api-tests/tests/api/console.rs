//! The console page (`GET /api/v1/console`, README "Console"): served without a key, whole (no
//! script, style or image from elsewhere), locked down by its headers, and holding no secret. What
//! it does in a browser is tested in headless Chromium (`infra/e2e/console_flow.py`).
use crate::harness::*;
use serde_json::Value;
use std::collections::BTreeMap;

async fn served() -> (BTreeMap<String, String>, String) {
    let r = call("GET")
        .send_to(&std::sync::Arc::new(()), get_console::handler)
        .await
        .expect(200);
    let headers = r
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap().to_string()))
        .collect();
    let Value::String(page) = r.body else {
        panic!("the page is HTML")
    };
    (headers, page)
}

/// The text of each `<tag>` element, as a browser reads it: up to the first `</tag`.
fn elements<'a>(page: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = vec![];
    let mut rest = page;
    while let Some(start) = rest.find(&open) {
        let (text, after) = rest[start + open.len()..].split_once(&close).unwrap();
        out.push(text);
        rest = after;
    }
    out
}

fn sha256_source(text: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
    format!("'sha256-{b64}'")
}

/// Only the page's own script and style run (by their hashes, computed here from the page as
/// served), calls go to this origin only, nothing may frame it, and no referrer leaves it.
#[tokio::test]
async fn the_console_carries_a_csp_allowing_only_its_own_script_style_and_origin() {
    let (headers, page) = served().await;
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = &headers["content-security-policy"];
    assert_eq!(csp, get_console::content_security_policy());
    let directives: BTreeMap<&str, Vec<&str>> = csp
        .split(';')
        .map(|d| {
            let mut words = d.split_whitespace();
            (words.next().unwrap(), words.collect())
        })
        .collect();
    assert_eq!(directives["default-src"], ["'none'"]);
    assert_eq!(directives["connect-src"], ["'self'"]);
    assert_eq!(directives["frame-ancestors"], ["'none'"]);
    assert_eq!(directives["object-src"], ["'none'"]);
    assert_eq!(directives["base-uri"], ["'none'"]);
    assert_eq!(directives["form-action"], ["'none'"]);
    let scripts = elements(&page, "script");
    let styles = elements(&page, "style");
    assert_eq!(
        (scripts.len(), styles.len()),
        (1, 1),
        "one script, one style"
    );
    assert_eq!(directives["script-src"], [sha256_source(scripts[0])]);
    assert_eq!(directives["style-src"], [sha256_source(styles[0])]);
    assert!(!csp.contains("unsafe-"), "no inline code but the hashed");
}

/// Nothing from a CDN or any other host, no secret in the page, and no way for the page to put API
/// values into markup: it builds elements from text only.
#[tokio::test]
async fn the_console_is_whole_and_renders_api_values_as_text_only() {
    let (_, page) = served().await;
    assert_eq!(page, get_console::page());
    for elsewhere in [
        "<script src",
        "<link rel=\"stylesheet\"",
        "http://",
        "https://",
        "@import",
        "url(",
    ] {
        assert!(
            !page.contains(elsewhere),
            "the page loads nothing from elsewhere: {elsewhere}"
        );
    }
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ] {
        assert!(!page.contains(sink), "no markup built from strings: {sink}");
    }
    assert!(!page.contains("lnc_"), "no key in the page");
    assert!(
        page.contains("sessionStorage")
            && !page.contains("localStorage")
            && !page.contains("document.cookie"),
        "the key lives in the tab's session storage only"
    );
    assert!(page.len() < 300_000, "{} bytes", page.len());
}
