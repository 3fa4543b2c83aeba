//! `GET /api/v1/console` (no auth): the web console for people (operators and partners). One
//! page whose style and script are files in `assets/`, compiled in and inlined; it holds no
//! secret: the person pastes a key, kept in the tab's session storage, and every action is a
//! call of the public API with it, so the key's scopes decide what the page shows.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
use http_edge::{html_page, HandlerResult};
use lambda_http::http::{HeaderName, HeaderValue};
use lambda_http::Request;
use std::sync::{Arc, OnceLock};

const HTML: &str = include_str!("../assets/console.html");
const STYLE: &str = include_str!("../assets/console.css");
const SCRIPT: &str = include_str!("../assets/console.js");

/// The page and its Content-Security-Policy, built once per container from the same text, so
/// the policy's hashes are always those of the style and script served.
struct Console {
    page: String,
    policy: String,
}

fn console() -> &'static Console {
    static CONSOLE: OnceLock<Console> = OnceLock::new();
    CONSOLE.get_or_init(|| {
        // Inlined rather than served from a second route: one request renders the page, and the
        // hashes below pin exactly these texts. A `</` inside them would end the element early.
        let script = SCRIPT.replace("</", "<\\/");
        let page = HTML
            .replace("/*STYLE*/", STYLE)
            .replace("/*SCRIPT*/", &script);
        let policy = policy(STYLE, &script);
        Console { page, policy }
    })
}

/// The whole page, style and script inline.
pub fn page() -> &'static str {
    &console().page
}

/// The page's Content-Security-Policy: only its own script and style run (by their SHA-256, so
/// an injected one would not, and no inline style attribute applies); API calls to this origin
/// only; no image, font, frame, plugin, base or form target elsewhere; and no site may frame it.
pub fn content_security_policy() -> &'static str {
    &console().policy
}

/// `'sha256-<base64>'`, the CSP source for an inline element with exactly this text.
pub fn hash_source(text: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn policy(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        hash_source(script),
        hash_source(style)
    )
}

pub async fn handler(_: Arc<()>, _: Request) -> HandlerResult {
    let mut r = html_page(page(), content_security_policy());
    // A window this page opens cannot reach back into it (the key is in its session storage).
    r.headers_mut().insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    Ok(r)
}
