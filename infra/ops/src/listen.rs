//! `opsctl listen`: a webhook receiver on a local port, for partners and developers (what
//! `stripe listen` is to Stripe users). Each request is checked as a partner's endpoint should
//! check it (docs/contract-notes.md "Webhooks": Standard Webhooks headers, a signature by one of the
//! secrets, a timestamp within `TOLERANCE_SECS`), reported as one `Line`, and answered: the
//! chosen status when verified, 400 when not (so the sender retries, as against a real receiver
//! that refuses a bad signature).
//!
//! The HTTP/1.1 server is deliberately minimal: one request per connection (`Connection: close`),
//! bodies with `Content-Length` (no chunked uploads: 411), `Expect: 100-continue` honoured, a
//! 64 KiB head, a 1 MiB body and 10 s to send it all.
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::UnboundedSender;
use webhooks::signing::{verify, SignedHeaders, SigningSecret, TOLERANCE_SECS};

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The headers a delivery must carry, in the order they are reported missing.
const REQUIRED: [&str; 3] = ["webhook-id", "webhook-timestamp", "webhook-signature"];

/// Why a request was not accepted as a genuine delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Only POST carries a webhook (answered 405).
    NotPost,
    MissingHeaders(Vec<&'static str>),
    /// `webhook-timestamp` is not unix seconds.
    BadTimestamp,
    /// Older than the tolerance (seconds old).
    StaleTimestamp(i64),
    /// Further in the future than the tolerance (seconds ahead): a clock is wrong.
    FutureTimestamp(i64),
    /// No `v1,` signature matches any of the secrets (wrong secret, or a changed body).
    BadSignature,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::NotPost => f.write_str("not a POST"),
            Rejection::MissingHeaders(h) => write!(f, "missing headers: {}", h.join(", ")),
            Rejection::BadTimestamp => f.write_str("webhook-timestamp is not unix seconds"),
            Rejection::StaleTimestamp(s) => write!(f, "stale timestamp: {s} s old"),
            Rejection::FutureTimestamp(s) => write!(f, "timestamp {s} s in the future"),
            Rejection::BadSignature => f.write_str("bad signature"),
        }
    }
}

/// The part of an `order.status_changed` body worth a glance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Transition {
    pub event: String,
    pub order_id: String,
    pub previous_status: String,
    pub status: String,
}

/// One request, as printed by `opsctl listen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// When it arrived (RFC 3339, UTC, seconds).
    pub at: String,
    pub method: String,
    pub path: String,
    pub webhook_id: Option<String>,
    pub verdict: Result<(), Rejection>,
    /// The body's transition, when it is an order event (shown even when not verified).
    pub transition: Option<Transition>,
    pub body_len: usize,
    /// The status answered.
    pub answered: u16,
}

impl Line {
    pub fn verified(&self) -> bool {
        self.verdict.is_ok()
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.webhook_id.as_deref().unwrap_or("-");
        write!(f, "{}  {} {}  {id}  ", self.at, self.method, self.path)?;
        match &self.verdict {
            Ok(()) => f.write_str("verified")?,
            Err(why) => write!(f, "NOT verified ({why})")?,
        }
        match &self.transition {
            Some(t) => write!(
                f,
                "  {} {} {} -> {}",
                t.event, t.order_id, t.previous_status, t.status
            )?,
            None if self.body_len > 0 => {
                write!(f, "  ({} bytes, not an order event)", self.body_len)?
            }
            None => {}
        }
        write!(f, "  => {}", self.answered)
    }
}

/// The receiver's decision on one delivery, given the secrets and the time (unix seconds).
pub fn check(
    secrets: &[SigningSecret],
    headers: &HashMap<String, String>,
    body: &[u8],
    now: i64,
) -> Result<(), Rejection> {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let missing: Vec<&'static str> = REQUIRED.into_iter().filter(|h| get(h).is_none()).collect();
    if !missing.is_empty() {
        return Err(Rejection::MissingHeaders(missing));
    }
    let timestamp: i64 = get("webhook-timestamp")
        .unwrap_or_default()
        .parse()
        .map_err(|_| Rejection::BadTimestamp)?;
    let age = now - timestamp;
    if age > TOLERANCE_SECS {
        return Err(Rejection::StaleTimestamp(age));
    }
    if -age > TOLERANCE_SECS {
        return Err(Rejection::FutureTimestamp(-age));
    }
    let signed = SignedHeaders {
        id: get("webhook-id").unwrap_or_default().to_string(),
        timestamp,
        signature: get("webhook-signature").unwrap_or_default().to_string(),
    };
    if secrets.iter().any(|s| verify(s, &signed, body, now)) {
        Ok(())
    } else {
        Err(Rejection::BadSignature)
    }
}

/// Accepts connections on `listener` until `out`'s receiver is dropped: each request is
/// checked against `secrets`, answered (`status` when verified, 400 or 405 when not) and
/// reported on `out`. Requests are handled concurrently.
pub async fn serve(
    listener: TcpListener,
    secrets: Vec<SigningSecret>,
    status: u16,
    out: UnboundedSender<Line>,
) {
    let secrets = Arc::new(secrets);
    loop {
        let socket = tokio::select! {
            accepted = listener.accept() => accepted,
            () = out.closed() => return,
        };
        match socket {
            Ok((socket, _)) => {
                let (secrets, out) = (secrets.clone(), out.clone());
                tokio::spawn(async move {
                    if let Some(line) = handle(socket, &secrets, status).await {
                        let _ = out.send(line);
                    }
                });
            }
            // Out of descriptors and the like: pause instead of spinning.
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

struct Request {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// Why a request could not be read: answered with this status and message, not reported.
struct Unreadable(u16, &'static str);

async fn handle(mut socket: TcpStream, secrets: &[SigningSecret], status: u16) -> Option<Line> {
    let request = match tokio::time::timeout(READ_TIMEOUT, read(&mut socket)).await {
        Ok(Ok(Some(r))) => r,
        // The client went away, or sent nothing at all.
        Ok(Ok(None)) => return None,
        Ok(Err(Unreadable(code, message))) => {
            respond(&mut socket, code, message).await;
            return None;
        }
        Err(_) => {
            respond(&mut socket, 408, "request not received in time").await;
            return None;
        }
    };
    let at = domain::clock::now();
    let verdict = if request.method == "POST" {
        check(
            secrets,
            &request.headers,
            &request.body,
            at.unix_timestamp(),
        )
    } else {
        Err(Rejection::NotPost)
    };
    let (answered, message) = match &verdict {
        Ok(()) => (status, "received".to_string()),
        Err(Rejection::NotPost) => (405, "webhooks are POSTed".to_string()),
        Err(why) => (400, format!("webhook verification failed: {why}")),
    };
    respond(&mut socket, answered, &message).await;
    Some(Line {
        at: at
            .replace_nanosecond(0)
            .unwrap_or(at)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        method: request.method,
        path: request.path,
        webhook_id: request.headers.get("webhook-id").cloned(),
        verdict,
        transition: serde_json::from_slice::<Transition>(&request.body).ok(),
        body_len: request.body.len(),
        answered,
    })
}

async fn read(socket: &mut TcpStream) -> Result<Option<Request>, Unreadable> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return Err(Unreadable(431, "request head too large"));
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| Unreadable(400, "bad head"))?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(path)) = (request_line.next(), request_line.next()) else {
        return Err(Unreadable(400, "bad request line"));
    };
    let (method, path) = (method.to_string(), path.to_string());
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if headers.contains_key("transfer-encoding") {
        return Err(Unreadable(411, "send the body with a Content-Length"));
    }
    let length: usize = match headers.get("content-length") {
        None => 0,
        Some(v) => v
            .parse()
            .map_err(|_| Unreadable(400, "bad Content-Length"))?,
    };
    if length > MAX_BODY {
        return Err(Unreadable(413, "body too large"));
    }
    if length > 0
        && headers
            .get("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        let _ = socket.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await;
    }
    let mut body = buf.split_off(head_end);
    while body.len() < length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    Ok(Some(Request {
        method,
        path,
        headers,
        body,
    }))
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        411 => "Length Required",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

async fn respond(socket: &mut TcpStream, code: u16, message: &str) {
    // 204 and 304 carry no body.
    let body = if matches!(code, 204 | 304) {
        String::new()
    } else {
        format!("{message}\n")
    };
    let allow = if code == 405 { "Allow: POST\r\n" } else { "" };
    let reply = format!(
        "HTTP/1.1 {code} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{allow}Connection: close\r\n\r\n{body}",
        reason(code),
        body.len()
    );
    let _ = socket.write_all(reply.as_bytes()).await;
    let _ = socket.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use webhooks::signing::sign;

    const NOW: i64 = 1_772_000_000;
    const BODY: &[u8] = br#"{"event":"order.status_changed","order_id":"0195f0c2-0000-7000-8000-000000000001","status":"ACCEPTED","previous_status":"RECEIVED","timestamp":"2026-03-01T10:30:00.000000Z"}"#;

    fn headers(signed: &SignedHeaders) -> HashMap<String, String> {
        HashMap::from([
            ("webhook-id".to_string(), signed.id.clone()),
            (
                "webhook-timestamp".to_string(),
                signed.timestamp.to_string(),
            ),
            ("webhook-signature".to_string(), signed.signature.clone()),
        ])
    }

    #[test]
    fn verifies_with_any_secret_and_says_why_not() {
        let (old, _) = SigningSecret::generate();
        let (new, _) = SigningSecret::generate();
        let (other, _) = SigningSecret::generate();
        let rotated = sign(&[new.clone(), old.clone()], "evt_1", NOW, BODY);
        assert_eq!(
            check(std::slice::from_ref(&old), &headers(&rotated), BODY, NOW),
            Ok(())
        );
        assert_eq!(
            check(std::slice::from_ref(&new), &headers(&rotated), BODY, NOW),
            Ok(())
        );
        assert_eq!(
            check(std::slice::from_ref(&other), &headers(&rotated), BODY, NOW),
            Err(Rejection::BadSignature)
        );
        assert_eq!(
            check(&[other, new.clone()], &headers(&rotated), BODY, NOW),
            Ok(()),
            "either of two secrets"
        );
        assert_eq!(
            check(std::slice::from_ref(&new), &headers(&rotated), b"{}", NOW),
            Err(Rejection::BadSignature),
            "another body"
        );
        let stale = sign(std::slice::from_ref(&new), "evt_1", NOW - 600, BODY);
        assert_eq!(
            check(std::slice::from_ref(&new), &headers(&stale), BODY, NOW),
            Err(Rejection::StaleTimestamp(600))
        );
        let ahead = sign(std::slice::from_ref(&new), "evt_1", NOW + 400, BODY);
        assert_eq!(
            check(std::slice::from_ref(&new), &headers(&ahead), BODY, NOW),
            Err(Rejection::FutureTimestamp(400))
        );
        let mut partial = headers(&rotated);
        partial.remove("webhook-id");
        partial.insert("webhook-signature".into(), " ".into());
        assert_eq!(
            check(std::slice::from_ref(&new), &partial, BODY, NOW),
            Err(Rejection::MissingHeaders(vec![
                "webhook-id",
                "webhook-signature"
            ]))
        );
        let mut garbled = headers(&rotated);
        garbled.insert("webhook-timestamp".into(), "yesterday".into());
        assert_eq!(
            check(&[new], &garbled, BODY, NOW),
            Err(Rejection::BadTimestamp)
        );
    }

    #[test]
    fn a_line_names_the_id_the_verdict_the_transition_and_the_answer() {
        let transition: Transition = serde_json::from_slice(BODY).unwrap();
        let mut line = Line {
            at: "2026-03-01T10:30:01Z".into(),
            method: "POST".into(),
            path: "/hook".into(),
            webhook_id: Some("evt_1".into()),
            verdict: Ok(()),
            transition: Some(transition),
            body_len: BODY.len(),
            answered: 200,
        };
        assert_eq!(
            line.to_string(),
            "2026-03-01T10:30:01Z  POST /hook  evt_1  verified  order.status_changed \
             0195f0c2-0000-7000-8000-000000000001 RECEIVED -> ACCEPTED  => 200"
        );
        line.verdict = Err(Rejection::StaleTimestamp(600));
        line.transition = None;
        line.body_len = 17;
        line.answered = 400;
        assert_eq!(
            line.to_string(),
            "2026-03-01T10:30:01Z  POST /hook  evt_1  NOT verified (stale timestamp: \
             600 s old)  (17 bytes, not an order event)  => 400"
        );
    }
}
