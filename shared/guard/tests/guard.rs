//! The outbound guard against real sockets: a listener on 127.0.0.1 counts the connections it
//! accepts, so each test proves whether the client connected, not just that it returned an error.
use guard::{client_builder, refusal_of, Policy, Refusal};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const STRICT: Policy = Policy {
    allow_loopback: false,
};
const LOCAL: Policy = Policy {
    allow_loopback: true,
};

struct Listener {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Listener {
    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Accepts on 127.0.0.1:0, counts every connection, reads the request head and answers with
/// `head` (status line and headers, without the final blank line) and an empty body.
async fn listen(head: String) -> Listener {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let task = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let head = head.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let reply = format!("{head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                let _ = stream.write_all(reply.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    Listener {
        addr,
        accepted,
        task,
    }
}

fn client(policy: Policy) -> reqwest::Client {
    client_builder(policy, Duration::from_secs(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_before_connecting() {
    let server = listen("HTTP/1.1 200 OK".into()).await;
    let url = format!("http://localhost:{}/", server.addr.port());
    let err = client(STRICT).get(&url).send().await.unwrap_err();
    let refusal = refusal_of(&err);
    assert!(
        matches!(refusal, Some(Refusal::ForbiddenAddress(ip)) if ip.is_loopback()),
        "{refusal:?} from {err:?}"
    );
    assert_eq!(server.accepted(), 0);
}

#[tokio::test]
async fn the_same_name_connects_when_loopback_is_allowed() {
    let server = listen("HTTP/1.1 200 OK".into()).await;
    let url = format!("http://localhost:{}/", server.addr.port());
    let resp = client(LOCAL).get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn redirects_are_never_followed() {
    let target = listen("HTTP/1.1 200 OK".into()).await;
    let redirector = listen(format!(
        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{}/",
        target.addr.port()
    ))
    .await;
    let url = format!("http://localhost:{}/", redirector.addr.port());
    let resp = client(LOCAL).get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 302);
    assert_eq!(redirector.accepted(), 1);
    assert_eq!(target.accepted(), 0);
}

#[tokio::test]
async fn errors_the_guard_did_not_cause_carry_no_refusal() {
    // Bind then drop: nothing listens on the port, so the connection itself fails.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = client(LOCAL)
        .get(format!("http://localhost:{port}/"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal_of(&err), None, "{err:?}");
}
