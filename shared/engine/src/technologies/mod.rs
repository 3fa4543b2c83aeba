//! Website technology detection: fetch a company's homepage safely, then match the response
//! against a signature table (headers, meta generator, HTML markers, script and link sources).
//!
//! The fetch sits behind [`PageFetcher`] so enrichment logic is testable without a network, and
//! [`detect`] is a pure function of a [`PageSnapshot`].
use domain::normalize;

mod signatures;

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

/// Port for fetching one page; the production implementation is `outbound::HttpFetcher`.
#[async_trait::async_trait]
pub trait PageFetcher: Send + Sync {
    async fn fetch(&self, url: &str) -> Result<PageSnapshot, FetchError>;
}

/// Fetches the homepage of `website_url`'s registrable domain and returns the detected
/// technology names. Non-2xx pages are still analysed: their headers often name the stack.
pub async fn analyze(
    fetcher: &dyn PageFetcher,
    website_url: &str,
) -> Result<Vec<String>, FetchError> {
    let url = homepage_url(website_url)?;
    let page = fetcher.fetch(&url).await?;
    Ok(detect(&page))
}

/// `https://{registrable domain}/` of a company's website or domain. The partner's path and
/// query never reach the network (they may carry tokens, or aim the fetch at an arbitrary
/// endpoint), nor does its scheme or port; IP literals and hosts without a registrable domain
/// are not fetched at all.
fn homepage_url(raw: &str) -> Result<String, FetchError> {
    normalize::registrable_domain(raw)
        .map(|domain| format!("https://{domain}/"))
        .ok_or_else(|| FetchError::InvalidUrl("no registrable domain".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

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

    fn canned() -> Canned {
        Canned {
            asked: Mutex::new(Vec::new()),
            page: PageSnapshot {
                final_url: "https://acme.com/".into(),
                status: 200,
                headers: vec![("server".into(), "nginx".into())],
                body: String::new(),
            },
        }
    }

    #[test]
    fn only_the_registrable_domain_homepage_is_fetched() {
        for (raw, expected) in [
            ("acme.com", "https://acme.com/"),
            (" acme.com ", "https://acme.com/"),
            ("//acme.com", "https://acme.com/"),
            ("acme.com/about", "https://acme.com/"),
            ("http://acme.com/", "https://acme.com/"),
            ("http://acme.com:8080/admin", "https://acme.com/"),
            ("https://user:pw@www.acme.com/", "https://acme.com/"),
            (
                "https://www.shop.example.co.uk/some/path?q=secret",
                "https://example.co.uk/",
            ),
            ("https://WWW.Müller.de/#top", "https://xn--mller-kva.de/"),
        ] {
            assert_eq!(homepage_url(raw).unwrap(), expected, "{raw}");
        }
        for unfetchable in [
            "  ",
            "http://127.0.0.1:8080/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:3000/",
            "co.uk",
            "intranet.corp",
        ] {
            assert!(
                matches!(homepage_url(unfetchable), Err(FetchError::InvalidUrl(_))),
                "{unfetchable}"
            );
        }
    }

    #[tokio::test]
    async fn analyze_uses_the_port_and_fetches_the_homepage_only() {
        let fetcher = canned();
        let techs = analyze(
            &fetcher,
            "https://www.shop.example.co.uk/some/path?q=secret",
        )
        .await
        .unwrap();
        assert_eq!(techs, ["nginx"]);
        assert_eq!(*fetcher.asked.lock().unwrap(), ["https://example.co.uk/"]);
    }

    #[tokio::test]
    async fn unfetchable_sites_never_reach_the_fetcher() {
        let fetcher = canned();
        let err = analyze(&fetcher, "http://10.0.0.1/admin")
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::InvalidUrl(_)), "{err:?}");
        assert!(fetcher.asked.lock().unwrap().is_empty());
    }
}
