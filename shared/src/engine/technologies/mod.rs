//! Website technology detection: fetch a company's homepage safely, then match the response
//! against a signature table (headers, meta generator, HTML markers, script and link sources).
//!
//! The fetch sits behind [`PageFetcher`] so enrichment logic is testable without a network, and
//! [`detect`] is a pure function of a [`PageSnapshot`].
mod fetch;
mod signatures;
#[cfg(test)]
mod test_server;

pub use fetch::{FetchOptions, HttpFetcher};
pub use signatures::{category_of, detect, signature_count, Category};

/// What the fetcher saw at the end of the redirect chain. Header names are lowercase; a header
/// sent several times appears several times. `body` is at most `max_bytes`, decoded lossily.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSnapshot {
    pub final_url: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("invalid url: {0}")]
    InvalidUrl(String),
    #[error("unsupported url scheme: {0}")]
    UnsupportedScheme(String),
    #[error("refused to connect to a forbidden address: {0}")]
    ForbiddenAddress(String),
    #[error("host could not be resolved: {0}")]
    Unresolvable(String),
    #[error("too many redirects")]
    TooManyRedirects,
    #[error("timed out")]
    Timeout,
    #[error("http error: {0}")]
    Http(String),
}

/// Port for fetching one page; the production implementation is [`HttpFetcher`].
#[async_trait::async_trait]
pub trait PageFetcher: Send + Sync {
    async fn fetch(&self, url: &str) -> Result<PageSnapshot, FetchError>;
}

/// Fetches `website_url` (a bare domain becomes `https://domain/`) and returns the detected
/// technology names. Non-2xx pages are still analysed: their headers often name the stack.
pub async fn analyze(
    fetcher: &dyn PageFetcher,
    website_url: &str,
) -> Result<Vec<String>, FetchError> {
    let url = normalize_url(website_url)?;
    let page = fetcher.fetch(&url).await?;
    Ok(detect(&page))
}

/// Company records carry domains ("acme.com") as often as URLs; HTTPS is the safe default.
fn normalize_url(raw: &str) -> Result<String, FetchError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FetchError::InvalidUrl("empty".into()));
    }
    if trimmed.contains("://") {
        return Ok(trimmed.to_owned());
    }
    let host = trimmed.trim_start_matches("//");
    Ok(format!("https://{host}"))
}

#[cfg(test)]
mod tests {
    use super::test_server::{serve, Reply};
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    /// Records the URL it was asked for and returns a canned page: analyze without a network.
    struct Canned {
        asked: Mutex<Vec<String>>,
        page: PageSnapshot,
    }

    #[async_trait::async_trait]
    impl PageFetcher for Canned {
        async fn fetch(&self, url: &str) -> Result<PageSnapshot, FetchError> {
            if let Ok(mut asked) = self.asked.lock() {
                asked.push(url.to_owned());
            }
            Ok(self.page.clone())
        }
    }

    fn loopback_options() -> FetchOptions {
        FetchOptions {
            connect_timeout: Duration::from_millis(500),
            total_timeout: Duration::from_secs(5),
            allow_loopback: true,
            ..FetchOptions::default()
        }
    }

    #[test]
    fn bare_domains_become_https() {
        assert_eq!(normalize_url(" acme.com ").unwrap(), "https://acme.com");
        assert_eq!(
            normalize_url("acme.com/about").unwrap(),
            "https://acme.com/about"
        );
        assert_eq!(normalize_url("//acme.com").unwrap(), "https://acme.com");
        assert_eq!(
            normalize_url("http://acme.com/").unwrap(),
            "http://acme.com/"
        );
        assert!(matches!(
            normalize_url("  "),
            Err(FetchError::InvalidUrl(_))
        ));
    }

    #[tokio::test]
    async fn analyze_uses_the_port_and_normalises() {
        let canned = Canned {
            asked: Mutex::new(Vec::new()),
            page: PageSnapshot {
                final_url: "https://acme.com/".into(),
                status: 200,
                headers: vec![("server".into(), "nginx".into())],
                body: String::new(),
            },
        };
        let techs = analyze(&canned, "acme.com").await.unwrap();
        assert_eq!(techs, ["nginx"]);
        assert_eq!(*canned.asked.lock().unwrap(), ["https://acme.com"]);
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
        let fetcher = HttpFetcher::new(loopback_options());
        let url = format!("http://{}/", server.addr);
        let techs = analyze(&fetcher, &url).await.unwrap();
        assert_eq!(
            techs,
            ["Cloudflare", "Google Analytics", "PHP", "WordPress"]
        );
    }
}
