//! A partner's webhook endpoint on a local port: records every request (headers, body, arrival)
//! and answers per path from a script (a status, or a status after a delay), then 200.
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    /// Lower-case names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    pub at: Instant,
    /// The status we answered (None: the client gave up before the answer).
    pub answered: Option<u16>,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Answer {
    Status(u16),
    /// Answer only after a delay (a slow receiver).
    After(Duration, u16),
    Redirect(u16),
    /// Bytes that are not HTTP, then the connection closes.
    Garbage,
}

#[derive(Default)]
struct State {
    log: Vec<Received>,
    script: HashMap<String, VecDeque<Answer>>,
    always: HashMap<String, Answer>,
}

#[derive(Clone)]
pub struct Receiver {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, shared.clone()));
            }
        });
        Self { port, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The next answers on `path`, in order; afterwards `always` or 200.
    pub fn script(&self, path: &str, answers: &[Answer]) {
        self.state
            .lock()
            .unwrap()
            .script
            .insert(path.into(), answers.iter().copied().collect());
    }

    pub fn always(&self, path: &str, answer: Answer) {
        self.state
            .lock()
            .unwrap()
            .always
            .insert(path.into(), answer);
    }

    pub fn clear_always(&self, path: &str) {
        self.state.lock().unwrap().always.remove(path);
    }

    pub fn requests(&self, path: &str) -> Vec<Received> {
        self.state
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Whether some request on `path` was answered 200.
    pub fn answered_ok(&self, path: &str) -> bool {
        self.requests(path).iter().any(|r| r.answered == Some(200))
    }

    pub fn all(&self) -> Vec<Received> {
        self.state.lock().unwrap().log.clone()
    }
}

async fn serve(mut socket: tokio::net::TcpStream, state: Arc<Mutex<State>>) {
    let at = Instant::now();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buf[head_end..].to_vec();
    let answer = {
        let mut s = state.lock().unwrap();
        let scripted = s.script.get_mut(&path).and_then(VecDeque::pop_front);
        let answer = scripted
            .or_else(|| s.always.get(&path).copied())
            .unwrap_or(Answer::Status(200));
        s.log.push(Received {
            path: path.clone(),
            headers,
            body,
            at,
            answered: None,
        });
        answer
    };
    let index = state.lock().unwrap().log.len() - 1;
    let (code, extra) = match answer {
        Answer::Status(c) => (c, String::new()),
        Answer::After(d, c) => {
            tokio::time::sleep(d).await;
            (c, String::new())
        }
        Answer::Redirect(port) => (302, format!("Location: http://127.0.0.1:{port}/\r\n")),
        Answer::Garbage => {
            let _ = socket.write_all(b"\x00\x01 this is not http\r\n\r\n").await;
            return;
        }
    };
    let reply = format!(
        "HTTP/1.1 {code} X\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n{extra}\r\nok"
    );
    if socket.write_all(reply.as_bytes()).await.is_ok() {
        state.lock().unwrap().log[index].answered = Some(code);
    }
}

/// A port with a listener that only counts connections (never answers).
pub struct Counter {
    pub port: u16,
    pub connections: Arc<std::sync::atomic::AtomicUsize>,
}

impl Counter {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let c = connections.clone();
        tokio::spawn(async move {
            while let Ok((_s, _)) = listener.accept().await {
                c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        Self { port, connections }
    }

    pub fn count(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}
