//! One signed POST to a partner's URL, through the outbound guard: the URL checked, the host
//! resolved and checked inside the client's resolver (the socket connects to the checked address),
//! no redirects, no proxy, a hard time limit on the whole attempt. Never panics, never hangs.
use guard::{self, Policy, Refusal};
use std::time::{Duration, Instant};
use webhooks::event::{excerpt, ErrorClass, EXCERPT_CHARS};
use webhooks::schedule::{parse_retry_after, Response};
use webhooks::signing::SignedHeaders;

pub const USER_AGENT: &str = "OpenProspect-Webhooks/1.0 (+https://openprospect.io/docs/webhooks)";

/// What one attempt got, for the schedule and the delivery log.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub response: Response,
    pub code: Option<u16>,
    pub error_class: Option<ErrorClass>,
    pub excerpt: Option<String>,
    pub duration: Duration,
}

pub struct Sender {
    client: reqwest::Client,
    policy: Policy,
    /// Success is a 2xx within this (docs/contract-notes.md "Webhooks": 10 s).
    timeout: Duration,
}

impl Sender {
    pub fn new(policy: Policy, timeout: Duration) -> Result<Self, String> {
        let client = guard::client_builder(policy, timeout.min(Duration::from_secs(5)))
            .user_agent(USER_AGENT)
            .timeout(timeout)
            .build()
            .map_err(|e| format!("webhook http client: {e}"))?;
        Ok(Self {
            client,
            policy,
            timeout,
        })
    }

    pub async fn post(&self, url: &str, headers: &SignedHeaders, body: Vec<u8>) -> Sent {
        let started = Instant::now();
        let outcome = tokio::time::timeout(self.timeout, self.attempt(url, headers, body)).await;
        let mut sent =
            outcome.unwrap_or_else(|_| failure(ErrorClass::Timeout, "no answer in time"));
        sent.duration = started.elapsed();
        sent
    }

    async fn attempt(&self, url: &str, headers: &SignedHeaders, body: Vec<u8>) -> Sent {
        let parsed = match url::Url::parse(url) {
            Ok(u) => u,
            Err(_) => return failure(ErrorClass::ForbiddenAddress, "not a valid URL"),
        };
        if let Err(refusal) = guard::check_webhook_target(&parsed, self.policy) {
            return refused(&refusal);
        }
        let request = self
            .client
            .post(parsed)
            .header("content-type", "application/json")
            .header("webhook-id", &headers.id)
            .header("webhook-timestamp", headers.timestamp.to_string())
            .header("webhook-signature", &headers.signature)
            .body(body);
        let mut resp = match request.send().await {
            Ok(r) => r,
            Err(e) => return from_error(&e),
        };
        let code = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, time::OffsetDateTime::now_utc().unix_timestamp()));
        // A little of the answer for the log; a receiver streaming forever is cut by the timeout.
        let mut head = Vec::new();
        while head.len() < EXCERPT_CHARS * 4 {
            match resp.chunk().await {
                Ok(Some(chunk)) => head.extend_from_slice(&chunk),
                _ => break,
            }
        }
        let text = excerpt(String::from_utf8_lossy(&head).trim());
        Sent {
            response: Response::Status { code, retry_after },
            code: Some(code),
            error_class: (!(200..300).contains(&code)).then_some(ErrorClass::HttpStatus),
            excerpt: (!text.is_empty()).then_some(text),
            duration: Duration::ZERO,
        }
    }
}

fn failure(class: ErrorClass, text: &str) -> Sent {
    Sent {
        response: if class == ErrorClass::Timeout {
            Response::TimedOut
        } else {
            Response::Unreachable
        },
        code: None,
        error_class: Some(class),
        excerpt: Some(excerpt(text)),
        duration: Duration::ZERO,
    }
}

fn refused(refusal: &Refusal) -> Sent {
    let class = match refusal {
        Refusal::NoAddress(_) => ErrorClass::Dns,
        _ => ErrorClass::ForbiddenAddress,
    };
    failure(class, &refusal.to_string())
}

fn from_error(e: &reqwest::Error) -> Sent {
    if let Some(refusal) = guard::refusal_of(e) {
        return refused(&refusal);
    }
    if e.is_timeout() {
        return failure(ErrorClass::Timeout, "no answer in time");
    }
    // The causes (refused, reset, TLS), not reqwest's top line: it repeats the URL, which may
    // carry the partner's token in its query.
    let mut text = String::from("request failed");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    failure(ErrorClass::Connection, &text)
}
