//! Company websites and a DNS server on local ports, for the network features (TECHNOLOGIES,
//! EMAIL_DISCOVERY) in workflow tests and benchmarks: the real fetcher and resolver talk to
//! them over sockets, with the fixture deciding per domain how fast and how well each answers.
use engine::technologies::{FetchError, PageFetcher, PageSnapshot};
use hickory_resolver::proto::op::{Message, MessageType, ResponseCode};
use hickory_resolver::proto::rr::rdata::MX;
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
use outbound::{FetchOptions, HttpFetcher};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

/// How a company's homepage answers.
#[derive(Debug, Clone)]
pub enum Site {
    /// After `delay`, a page: status, headers and body.
    Page {
        delay: Duration,
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Reads the request and never answers (the fetcher's timeout ends it).
    Stall,
    /// Bytes that are not HTTP, then the connection closes.
    Garbage,
}

/// Decides each domain's behaviour; the same function tells a test what to expect.
pub type SiteFor = Arc<dyn Fn(&str) -> Site + Send + Sync>;

/// Homepages of many domains on one port: `GET /{domain}/`.
pub struct Sites {
    pub port: u16,
    requests: Arc<Mutex<HashMap<String, usize>>>,
}

impl Sites {
    pub async fn start(site_for: SiteFor) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let requests: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let counted = requests.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(answer(socket, site_for.clone(), counted.clone()));
            }
        });
        Ok(Self { port, requests })
    }

    /// Requests the homepage of `domain` received.
    pub fn requests(&self, domain: &str) -> usize {
        *self.requests.lock().unwrap().get(domain).unwrap_or(&0)
    }

    /// The production fetcher, with `opts`, aimed at these sites.
    pub fn fetcher(&self, opts: FetchOptions) -> SitesFetcher {
        SitesFetcher {
            inner: HttpFetcher::new(FetchOptions {
                allow_loopback: true,
                ..opts
            }),
            base: format!("http://127.0.0.1:{}", self.port),
        }
    }
}

async fn answer(
    mut socket: tokio::net::TcpStream,
    site_for: SiteFor,
    requests: Arc<Mutex<HashMap<String, usize>>>,
) {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head);
    let path = line.split(' ').nth(1).unwrap_or("/");
    let domain = path.trim_matches('/').to_string();
    *requests.lock().unwrap().entry(domain.clone()).or_default() += 1;
    match site_for(&domain) {
        Site::Page {
            delay,
            status,
            headers,
            body,
        } => {
            tokio::time::sleep(delay).await;
            let mut reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                reply.push_str(&format!("{name}: {value}\r\n"));
            }
            reply.push_str("\r\n");
            reply.push_str(&body);
            let _ = socket.write_all(reply.as_bytes()).await;
        }
        Site::Stall => {
            // Hold the connection until the client gives up.
            let _ = socket.read(&mut chunk).await;
        }
        Site::Garbage => {
            let _ = socket.write_all(b"\x00\x01 not http at all\r\n\r\n").await;
        }
    }
}

/// The real `HttpFetcher`, with `https://{domain}/` (all the engine ever fetches) served by
/// [`Sites`] instead of the internet.
pub struct SitesFetcher {
    inner: HttpFetcher,
    base: String,
}

#[async_trait::async_trait]
impl PageFetcher for SitesFetcher {
    async fn fetch(&self, url: &str) -> Result<PageSnapshot, FetchError> {
        let domain = url
            .strip_prefix("https://")
            .map(|rest| rest.trim_end_matches('/'))
            .ok_or_else(|| FetchError::InvalidUrl(format!("{url}: not a homepage")))?;
        self.inner.fetch(&format!("{}/{domain}/", self.base)).await
    }
}

/// How the name server answers an MX query for a domain.
#[derive(Debug, Clone)]
pub enum Mx {
    /// These exchanges, after `delay`.
    Found(Vec<String>, Duration),
    /// NXDOMAIN.
    NoRecords,
    /// No answer at all (the resolver's timeout ends it).
    Silent,
}

pub type MxFor = Arc<dyn Fn(&str) -> Mx + Send + Sync>;

/// An authoritative-looking DNS server on a local UDP port that answers MX queries.
pub struct DnsStub {
    pub addr: SocketAddr,
}

impl DnsStub {
    pub async fn start(mx_for: MxFor) -> std::io::Result<Self> {
        let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").await?);
        let addr = socket.local_addr()?;
        tokio::spawn(async move {
            let mut buf = [0u8; 1500];
            while let Ok((n, from)) = socket.recv_from(&mut buf).await {
                let Ok(query) = Message::from_vec(&buf[..n]) else {
                    continue;
                };
                let (socket, mx_for) = (socket.clone(), mx_for.clone());
                tokio::spawn(async move {
                    if let Some(reply) = reply_to(&query, &mx_for).await {
                        let _ = socket.send_to(&reply, from).await;
                    }
                });
            }
        });
        Ok(Self { addr })
    }
}

async fn reply_to(query: &Message, mx_for: &MxFor) -> Option<Vec<u8>> {
    let q = query.queries.first()?;
    let domain = q
        .name()
        .to_ascii()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let mut reply = Message::response(query.metadata.id, query.metadata.op_code);
    reply.metadata.message_type = MessageType::Response;
    reply.metadata.recursion_desired = query.metadata.recursion_desired;
    reply.metadata.recursion_available = true;
    reply.metadata.authoritative = true;
    reply.add_query(q.clone());
    match (q.query_type(), mx_for(&domain)) {
        (_, Mx::Silent) => return None,
        (RecordType::MX, Mx::Found(hosts, delay)) => {
            tokio::time::sleep(delay).await;
            for (i, host) in hosts.iter().enumerate() {
                let exchange = Name::from_ascii(format!("{host}.")).ok()?;
                reply.add_answer(Record::from_rdata(
                    q.name().clone(),
                    300,
                    RData::MX(MX::new(10 * (i as u16 + 1), exchange)),
                ));
            }
        }
        (_, Mx::Found(..)) => {}
        (_, Mx::NoRecords) => reply.metadata.response_code = ResponseCode::NXDomain,
    }
    reply.to_vec().ok()
}
