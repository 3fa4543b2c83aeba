//! A fault proxy between the functions and the emulator: forwards every request, except those that
//! concern an order a test registered a fault for (its id appears in the request) — those are
//! throttled (DynamoDB's `ProvisionedThroughputExceededException`, answered here, never executed),
//! stalled until healed, or refused. The emulator keeps its state throughout; nothing is mocked.
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Every `n`-th DynamoDB request that concerns the order is throttled.
    Throttle(usize),
    /// Requests wait (unanswered) until the fault is removed.
    Stall,
    /// Connections are closed without an answer.
    Refuse,
}

#[derive(Default)]
struct Rules {
    faults: HashMap<String, Fault>,
    seen: HashMap<String, usize>,
}

pub struct FaultProxy {
    pub endpoint: String,
    rules: Arc<Mutex<Rules>>,
    pub injected: Arc<AtomicUsize>,
}

/// One proxy per test process, in front of the shared emulator, on its own runtime.
pub fn proxy() -> &'static FaultProxy {
    static P: OnceLock<FaultProxy> = OnceLock::new();
    P.get_or_init(|| {
        let upstream = crate::harness::stack_endpoint().to_string();
        let rules = Arc::new(Mutex::new(Rules::default()));
        let injected = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = std::sync::mpsc::channel();
        let (r, i) = (rules.clone(), injected.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap().port()).unwrap();
                let client = reqwest::Client::new();
                while let Ok((socket, _)) = listener.accept().await {
                    let (client, upstream, r, i) =
                        (client.clone(), upstream.clone(), r.clone(), i.clone());
                    tokio::spawn(serve(socket, client, upstream, r, i));
                }
            });
        });
        let port = rx.recv().unwrap();
        FaultProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            rules,
            injected,
        }
    })
}

impl FaultProxy {
    pub fn inject(&self, order_id: &str, fault: Fault) {
        self.rules
            .lock()
            .unwrap()
            .faults
            .insert(order_id.to_string(), fault);
    }

    pub fn heal(&self, order_id: &str) {
        self.rules.lock().unwrap().faults.remove(order_id);
    }
}

const THROTTLED: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}"#;

enum Decision {
    Forward,
    Throttle,
    Stall(String),
    Refuse,
}

fn decide(rules: &Mutex<Rules>, head: &str, body: &[u8]) -> Decision {
    let mut r = rules.lock().unwrap();
    if r.faults.is_empty() {
        return Decision::Forward;
    }
    let text = String::from_utf8_lossy(body);
    let Some((id, fault)) = r
        .faults
        .iter()
        .find(|(id, _)| text.contains(id.as_str()) || head.contains(id.as_str()))
        .map(|(id, f)| (id.clone(), *f))
    else {
        return Decision::Forward;
    };
    match fault {
        Fault::Throttle(n) => {
            if !head.to_ascii_lowercase().contains("x-amz-target: dynamodb") {
                return Decision::Forward;
            }
            let seen = r.seen.entry(id).or_default();
            *seen += 1;
            if (*seen).is_multiple_of(n) {
                Decision::Throttle
            } else {
                Decision::Forward
            }
        }
        Fault::Stall => Decision::Stall(id),
        Fault::Refuse => Decision::Refuse,
    }
}

async fn serve(
    mut socket: tokio::net::TcpStream,
    client: reqwest::Client,
    upstream: String,
    rules: Arc<Mutex<Rules>>,
    injected: Arc<AtomicUsize>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        // One request: head, then Content-Length bytes of body.
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
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())
                    .flatten()
            })
            .unwrap_or(0);
        while buf.len() < head_end + length {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end..head_end + length].to_vec();
        buf.drain(..head_end + length);
        match decide(&rules, &head, &body) {
            Decision::Forward => {}
            Decision::Throttle => {
                injected.fetch_add(1, Ordering::SeqCst);
                let reply = format!(
                    "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: fault-proxy\r\nContent-Length: {}\r\n\r\n{THROTTLED}",
                    THROTTLED.len()
                );
                if socket.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
                continue;
            }
            Decision::Stall(id) => {
                injected.fetch_add(1, Ordering::SeqCst);
                while rules.lock().unwrap().faults.contains_key(&id) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            Decision::Refuse => {
                injected.fetch_add(1, Ordering::SeqCst);
                return;
            }
        }
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or("POST");
        let path = request_line.next().unwrap_or("/");
        let mut req = client.request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::POST),
            format!("{upstream}{path}"),
        );
        for l in lines {
            if let Some((k, v)) = l.split_once(':') {
                let k = k.trim();
                if !["host", "content-length", "connection"]
                    .contains(&k.to_ascii_lowercase().as_str())
                {
                    req = req.header(k, v.trim());
                }
            }
        }
        let Ok(resp) = req.body(body).send().await else {
            return;
        };
        let status = resp.status();
        let mut out = format!(
            "HTTP/1.1 {} {}\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("X")
        );
        for (k, v) in resp.headers() {
            let k = k.as_str();
            if !["content-length", "transfer-encoding", "connection"].contains(&k) {
                out.push_str(&format!("{k}: {}\r\n", v.to_str().unwrap_or_default()));
            }
        }
        let bytes = resp.bytes().await.unwrap_or_default();
        out.push_str(&format!("Content-Length: {}\r\n\r\n", bytes.len()));
        let mut reply = out.into_bytes();
        reply.extend_from_slice(&bytes);
        if socket.write_all(&reply).await.is_err() {
            return;
        }
    }
}
