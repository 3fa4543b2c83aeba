//! The homepage fetcher: strict timeouts, a size cap, manually followed redirects and the shared
//! outbound address guard (`guard`) so a company "website" can never make us talk to
//! private, loopback, link-local or cloud-metadata addresses (SSRF).
//!
//! Every hop is checked: IP-literal URLs before the request, host names inside the client's
//! guarded DNS resolver (see `guard` for why both).
use engine::technologies::{FetchError, PageFetcher, PageSnapshot};
use guard::{self, Policy, Refusal};
use reqwest::header::{HeaderValue, ACCEPT, ACCEPT_LANGUAGE, LOCATION};
use std::error::Error as _;
use std::time::Duration;
use url::Url;

const USER_AGENT: &str = "OpenProspectBot/1.0 (+https://openprospect.io/bot)";
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub connect_timeout: Duration,
    /// Deadline for the whole fetch: every hop, DNS, TLS and the body.
    pub total_timeout: Duration,
    /// Body bytes kept; the rest is not read. Signatures live in the head and early body.
    pub max_bytes: usize,
    /// Redirects followed; one more is `TooManyRedirects`.
    pub max_redirects: usize,
    /// Lets tests reach a fixture on 127.0.0.1/::1. Every other forbidden range stays forbidden.
    pub allow_loopback: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            total_timeout: Duration::from_secs(8),
            max_bytes: 1024 * 1024,
            max_redirects: 3,
            allow_loopback: false,
        }
    }
}

/// Reusable across many companies: holds one connection-pooling client.
pub struct HttpFetcher {
    /// A build failure (TLS backend) is kept and reported per fetch instead of panicking in `new`.
    client: Result<reqwest::Client, String>,
    opts: FetchOptions,
}

impl HttpFetcher {
    pub fn new(opts: FetchOptions) -> Self {
        let client = build_client(&opts).map_err(|e| error_chain(&e));
        if let Err(e) = &client {
            tracing::error!(error = %e, "technology fetcher: http client could not be built");
        }
        Self { client, opts }
    }

    async fn follow(
        &self,
        client: &reqwest::Client,
        start: Url,
    ) -> Result<PageSnapshot, FetchError> {
        let mut url = start;
        let mut redirects = 0;
        loop {
            check_target(&url, policy(&self.opts))?;
            let mut resp = client
                .get(url.clone())
                .header(ACCEPT, HeaderValue::from_static(ACCEPT_HTML))
                .header(ACCEPT_LANGUAGE, HeaderValue::from_static("en, *;q=0.5"))
                .send()
                .await
                .map_err(from_reqwest)?;
            if let Some(next) = redirect_target(&url, &resp)? {
                if redirects >= self.opts.max_redirects {
                    return Err(FetchError::TooManyRedirects);
                }
                redirects += 1;
                url = next;
                continue;
            }
            let status = resp.status().as_u16();
            let headers = collect_headers(resp.headers());
            let body = read_capped(&mut resp, self.opts.max_bytes).await?;
            return Ok(PageSnapshot {
                final_url: url.into(),
                status,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
        }
    }
}

#[async_trait::async_trait]
impl PageFetcher for HttpFetcher {
    async fn fetch(&self, url: &str) -> Result<PageSnapshot, FetchError> {
        let client = self
            .client
            .as_ref()
            .map_err(|e| FetchError::Http(format!("http client unavailable: {e}")))?;
        let start = Url::parse(url).map_err(|e| FetchError::InvalidUrl(format!("{url}: {e}")))?;
        let result = tokio::time::timeout(self.opts.total_timeout, self.follow(client, start))
            .await
            .unwrap_or(Err(FetchError::Timeout));
        if let Err(e) = &result {
            tracing::debug!(url, error = %e, "homepage fetch failed");
        }
        result
    }
}

fn build_client(opts: &FetchOptions) -> reqwest::Result<reqwest::Client> {
    guard::client_builder(policy(opts), opts.connect_timeout)
        .user_agent(USER_AGENT)
        .build()
}

fn policy(opts: &FetchOptions) -> Policy {
    Policy {
        allow_loopback: opts.allow_loopback,
    }
}

/// Scheme and IP-literal check for one hop. Names pass here and are checked at resolve time.
fn check_target(url: &Url, policy: Policy) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(FetchError::UnsupportedScheme(other.to_owned())),
    }
    guard::check_literal_host(url, policy).map_err(|refusal| match refusal {
        Refusal::NoHost => FetchError::InvalidUrl(format!("{url}: no host")),
        other => from_refusal(other),
    })
}

fn from_refusal(refusal: Refusal) -> FetchError {
    match refusal {
        Refusal::ForbiddenAddress(ip) => FetchError::ForbiddenAddress(ip.to_string()),
        Refusal::NoAddress(host) => FetchError::Unresolvable(host),
        other => FetchError::InvalidUrl(other.to_string()),
    }
}

/// `Some(next)` when the response is a redirect we should follow; a 3xx without `Location`
/// (304, some 300s) is a final answer.
fn redirect_target(current: &Url, resp: &reqwest::Response) -> Result<Option<Url>, FetchError> {
    if !resp.status().is_redirection() {
        return Ok(None);
    }
    let Some(location) = resp.headers().get(LOCATION) else {
        return Ok(None);
    };
    let location = location
        .to_str()
        .map_err(|_| FetchError::InvalidUrl("redirect Location is not ASCII".into()))?;
    current
        .join(location)
        .map(Some)
        .map_err(|e| FetchError::InvalidUrl(format!("redirect to {location:?}: {e}")))
}

fn collect_headers(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// Reads at most `max` body bytes and stops there. A connection that breaks after some bytes
/// still yields them: a truncated homepage is as good as a full one for detection.
async fn read_capped(resp: &mut reqwest::Response, max: usize) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::new();
    while body.len() < max {
        let chunk = match resp.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) if body.is_empty() => return Err(from_reqwest(e)),
            Err(e) => {
                tracing::debug!(error = %e, kept = body.len(), "body read ended early");
                break;
            }
        };
        let take = chunk.len().min(max - body.len());
        body.extend_from_slice(&chunk[..take]);
    }
    Ok(body)
}

fn from_reqwest(err: reqwest::Error) -> FetchError {
    if let Some(refusal) = guard::refusal_of(&err) {
        return from_refusal(refusal);
    }
    if err.is_timeout() {
        return FetchError::Timeout;
    }
    FetchError::Http(error_chain(&err))
}

/// reqwest's top-level message hides the cause ("error sending request"); keep the whole chain.
fn error_chain(err: &reqwest::Error) -> String {
    let mut msg = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        msg.push_str(": ");
        msg.push_str(&e.to_string());
        source = e.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_server::{serve, Reply};

    const LOCAL: Policy = Policy {
        allow_loopback: true,
    };

    fn opts() -> FetchOptions {
        FetchOptions {
            connect_timeout: Duration::from_millis(500),
            total_timeout: Duration::from_secs(5),
            allow_loopback: true,
            ..FetchOptions::default()
        }
    }

    /// "/r/N" redirects to "/r/N-1" (alternating relative and absolute Locations); "/r/0" is
    /// the page.
    async fn redirect_chain() -> crate::test_server::Fixture {
        serve(|path| {
            let n: usize = path
                .strip_prefix("/r/")
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            match n {
                0 => Reply::page(200, "<html>landed</html>"),
                n if n % 2 == 0 => Reply::redirect(&format!("/r/{}", n - 1)),
                n => Reply::redirect(&format!("../r/{}", n - 1)),
            }
        })
        .await
    }

    #[test]
    fn defaults_match_the_contract() {
        let d = FetchOptions::default();
        assert_eq!(d.connect_timeout, Duration::from_secs(3));
        assert_eq!(d.total_timeout, Duration::from_secs(8));
        assert_eq!(d.max_bytes, 1024 * 1024);
        assert_eq!(d.max_redirects, 3);
        assert!(!d.allow_loopback);
    }

    #[test]
    fn only_http_and_https_hops() {
        for url in ["ftp://example.com/", "file:///etc/passwd", "gopher://x/"] {
            let url = Url::parse(url).unwrap();
            assert!(matches!(
                check_target(&url, LOCAL),
                Err(FetchError::UnsupportedScheme(_))
            ));
        }
        // Alternative IPv4 spellings are normalised by the URL parser, so they are caught too.
        let sneaky = Url::parse("http://0xa9fea9fe/latest/meta-data").unwrap();
        assert!(matches!(
            check_target(&sneaky, LOCAL),
            Err(FetchError::ForbiddenAddress(_))
        ));
    }

    #[tokio::test]
    async fn fetches_status_headers_and_body() {
        let server = serve(|_| {
            Reply::page(404, "<html>gone</html>")
                .header("X-Powered-By", "PHP/8.2")
                .header("Set-Cookie", "a=1")
                .header("Set-Cookie", "b=2")
        })
        .await;
        let fetcher = HttpFetcher::new(opts());
        let url = format!("http://{}/missing", server.addr);
        let page = fetcher.fetch(&url).await.unwrap();
        assert_eq!(page.status, 404);
        assert_eq!(page.final_url, url);
        assert_eq!(page.body, "<html>gone</html>");
        assert!(page
            .headers
            .contains(&("x-powered-by".into(), "PHP/8.2".into())));
        let cookies = page.headers.iter().filter(|(n, _)| n == "set-cookie");
        assert_eq!(cookies.count(), 2);
    }

    #[tokio::test]
    async fn three_redirects_are_followed() {
        let server = redirect_chain().await;
        let fetcher = HttpFetcher::new(opts());
        let page = fetcher
            .fetch(&format!("http://{}/r/3", server.addr))
            .await
            .unwrap();
        assert_eq!(page.status, 200);
        assert_eq!(page.final_url, format!("http://{}/r/0", server.addr));
        assert_eq!(page.body, "<html>landed</html>");
        assert_eq!(server.hits(), 4);
    }

    #[tokio::test]
    async fn fourth_redirect_is_refused() {
        let server = redirect_chain().await;
        let fetcher = HttpFetcher::new(opts());
        let err = fetcher
            .fetch(&format!("http://{}/r/4", server.addr))
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::TooManyRedirects), "{err:?}");
        // /r/4../r/1 were requested; the fourth redirect (to /r/0) was not followed.
        assert_eq!(server.hits(), 4);
    }

    #[tokio::test]
    async fn redirects_to_metadata_and_private_addresses_are_refused() {
        let server = serve(|path| match path {
            "/metadata" => Reply::redirect("http://169.254.169.254/latest/meta-data/"),
            "/private" => Reply::redirect("http://10.0.0.1/"),
            "/metadata6" => Reply::redirect("http://[fd00:ec2::254]/"),
            "/file" => Reply::redirect("file:///etc/passwd"),
            _ => Reply::page(200, "unexpected"),
        })
        .await;
        // Generous connect timeout: a refusal that was really a failed connect attempt would
        // show up as Timeout/Http, not ForbiddenAddress, and would take far longer.
        let fetcher = HttpFetcher::new(FetchOptions {
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            ..opts()
        });
        for path in ["/metadata", "/private", "/metadata6"] {
            let err = fetcher
                .fetch(&format!("http://{}{path}", server.addr))
                .await
                .unwrap_err();
            assert!(
                matches!(err, FetchError::ForbiddenAddress(_)),
                "{path}: {err:?}"
            );
        }
        let err = fetcher
            .fetch(&format!("http://{}/file", server.addr))
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::UnsupportedScheme(_)), "{err:?}");
    }

    #[tokio::test]
    async fn oversized_body_is_truncated() {
        let server = serve(|_| Reply::page(200, vec![b'a'; 3 * 1024 * 1024])).await;
        let fetcher = HttpFetcher::new(FetchOptions {
            max_bytes: 1000,
            ..opts()
        });
        let page = fetcher
            .fetch(&format!("http://{}/", server.addr))
            .await
            .unwrap();
        assert_eq!(page.body.len(), 1000);
    }

    #[tokio::test]
    async fn silent_server_times_out() {
        let server = serve(|_| Reply::Silent).await;
        let fetcher = HttpFetcher::new(FetchOptions {
            connect_timeout: Duration::from_millis(300),
            total_timeout: Duration::from_millis(300),
            ..opts()
        });
        // Timeout (not Http or a hang) is the timer's own error: timing stays out of the assertion.
        let err = fetcher
            .fetch(&format!("http://{}/", server.addr))
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::Timeout), "{err:?}");
    }

    #[tokio::test]
    async fn loopback_is_refused_by_default() {
        let server = serve(|_| Reply::page(200, "secret")).await;
        let fetcher = HttpFetcher::new(FetchOptions::default());
        let port = server.addr.port();
        for url in [
            format!("http://127.0.0.1:{port}/"),
            format!("http://[::1]:{port}/"),
            format!("http://localhost:{port}/"),
        ] {
            let err = fetcher.fetch(&url).await.unwrap_err();
            assert!(
                matches!(err, FetchError::ForbiddenAddress(_)),
                "{url}: {err:?}"
            );
        }
        assert_eq!(server.hits(), 0);
    }

    #[tokio::test]
    async fn names_go_through_the_guarded_resolver() {
        let server = serve(|_| Reply::page(200, "via name")).await;
        let fetcher = HttpFetcher::new(opts());
        let url = format!("http://localhost:{}/", server.addr.port());
        let page = fetcher.fetch(&url).await.unwrap();
        assert_eq!(page.body, "via name");
    }

    #[tokio::test]
    async fn malformed_urls_are_rejected() {
        let fetcher = HttpFetcher::new(opts());
        for url in ["", "not a url", "http://"] {
            let err = fetcher.fetch(url).await.unwrap_err();
            assert!(matches!(err, FetchError::InvalidUrl(_)), "{url}: {err:?}");
        }
    }

    #[tokio::test]
    async fn end_to_end_against_local_fixture() {
        let body = r#"<html><head>
            <meta name="generator" content="WordPress 6.5">
            <link rel="stylesheet" href="/wp-content/themes/x/style.css">
            <script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
            </head><body><h1>Acme GmbH</h1></body></html>"#;
        let server = serve(move |_path| {
            Reply::page(200, body)
                .header("Server", "cloudflare")
                .header("CF-RAY", "1-FRA")
        })
        .await;
        // engine::technologies::analyze only builds https://{registrable domain}/, which a
        // loopback fixture cannot serve; the fetcher and the detector are exercised directly.
        let fetcher = HttpFetcher::new(opts());
        let url = format!("http://{}/", server.addr);
        let techs = engine::technologies::detect(&fetcher.fetch(&url).await.unwrap());
        assert_eq!(
            techs,
            ["Cloudflare", "Google Analytics", "PHP", "WordPress"]
        );
    }
}
