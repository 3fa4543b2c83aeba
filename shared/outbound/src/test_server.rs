//! A throwaway HTTP/1.1 server on 127.0.0.1:0 for fetcher tests, so no test touches the internet.
//! It answers each connection once with `Connection: close`, which is all reqwest needs.
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the fixture answers one request.
pub enum Reply {
    Page {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Accept the connection, read the request, then never answer.
    Silent,
}

impl Reply {
    pub fn page(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::Page {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn redirect(location: &str) -> Self {
        Reply::page(302, "").header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Page { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
}

pub struct Fixture {
    pub addr: SocketAddr,
    /// Requests received so far; lets tests prove a hop was or was not made.
    pub hits: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Fixture {
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the server; `route` maps a request path (with query) to a reply.
pub async fn serve<F>(route: F) -> Fixture
where
    F: Fn(&str) -> Reply + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let route = Arc::new(route);
    let counter = hits.clone();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let route = route.clone();
            let counter = counter.clone();
            tokio::spawn(async move {
                let _ = handle(stream, &*route, &counter).await;
            });
        }
    });
    Fixture { addr, hits, task }
}

async fn handle<F>(mut stream: TcpStream, route: &F, hits: &AtomicUsize) -> std::io::Result<()>
where
    F: Fn(&str) -> Reply,
{
    let path = read_request_path(&mut stream).await?;
    hits.fetch_add(1, Ordering::SeqCst);
    match route(&path) {
        Reply::Silent => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(())
        }
        Reply::Page {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} Fixture\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            // The client may hang up early (size cap); that is expected, not a failure.
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
            Ok(())
        }
    }
}

/// Reads until the end of the request head and returns the request-target.
async fn read_request_path(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf);
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    Ok(path.to_owned())
}
