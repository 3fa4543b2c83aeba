//! The outbound address guard (SSRF): the one place that decides which addresses we connect to on
//! behalf of a partner (webhook deliveries) or a company record (the technology fetcher). Must not
//! depend on aws-sdk-* or lambda_*.
//!
//! Two checks, on purpose at two places:
//! - IP-literal URLs are checked before the request ([`check_webhook_target`],
//!   [`check_literal_host`]): reqwest never hands a literal to the DNS resolver.
//! - Host names are checked inside the client's DNS resolver ([`GuardedResolver`]), so the
//!   addresses that were validated are exactly the ones the socket connects to. Checking a name
//!   and then letting the client resolve it again would leave a DNS-rebinding window.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub use domain::address::is_forbidden_ip;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use url::{Host, Url};

/// What a caller may reach beyond public addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    /// Local mode and tests: loopback (127/8, ::1, and ::ffff:127.x canonicalised) is allowed,
    /// every other forbidden range stays forbidden.
    pub allow_loopback: bool,
}

impl Policy {
    pub fn allows(self, ip: IpAddr) -> bool {
        // Canonical form so ::ffff:127.0.0.1 counts as loopback like 127.0.0.1 does.
        let ip = ip.to_canonical();
        (self.allow_loopback && ip.is_loopback()) || !is_forbidden_ip(ip)
    }
}

/// Why a target was refused. Messages name the scheme, port, host or address, never the path,
/// query or credentials (they may hold secrets).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the URL scheme {0:?} is not allowed")]
    Scheme(String),
    #[error("port {0} is not allowed")]
    Port(u16),
    #[error("URLs with credentials are not allowed")]
    Credentials,
    #[error("the URL has no host")]
    NoHost,
    #[error("{0} is a private, loopback, link-local or otherwise non-public address")]
    ForbiddenAddress(IpAddr),
    /// The name did not resolve (no records, or the lookup failed): the name is never connected to.
    #[error("{0} did not resolve to any address")]
    NoAddress(String),
}

use domain::webhook_url::PORTS as WEBHOOK_PORTS;

/// Scheme/port/credentials/literal-IP check of one URL for webhook deliveries: https only, except
/// http to a loopback host when `policy.allow_loopback`; ports 443, 80, 8443 only (the default
/// port counts), except any port for loopback when allowed. Host names pass here and are checked
/// by the resolver.
pub fn check_webhook_target(url: &Url, policy: Policy) -> Result<(), Refusal> {
    let scheme = url.scheme();
    if scheme != "https" && scheme != "http" {
        return Err(Refusal::Scheme(scheme.to_owned()));
    }
    check_literal_host(url, policy)?;
    let local = policy.allow_loopback && url.host().is_some_and(|h| is_loopback_host(&h));
    if scheme == "http" && !local {
        return Err(Refusal::Scheme(scheme.to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::Credentials);
    }
    if !local {
        let port = url.port_or_known_default().unwrap_or(0);
        if !WEBHOOK_PORTS.contains(&port) {
            return Err(Refusal::Port(port));
        }
    }
    Ok(())
}

/// The address part of a per-hop check: `NoHost` without a host, `ForbiddenAddress` for an
/// IP literal the policy refuses. Names pass (the resolver checks them).
pub fn check_literal_host(url: &Url, policy: Policy) -> Result<(), Refusal> {
    let ip = match url.host() {
        None => return Err(Refusal::NoHost),
        Some(Host::Domain(_)) => return Ok(()),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
    };
    if policy.allows(ip) {
        Ok(())
    } else {
        Err(Refusal::ForbiddenAddress(ip))
    }
}

/// A loopback literal, or `localhost` / `*.localhost` (RFC 6761). A name only earns the
/// loopback exemptions of scheme and port: the resolver still has to find loopback addresses.
fn is_loopback_host(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.to_canonical().is_loopback(),
    }
}

/// reqwest DNS resolver that resolves with the system resolver and refuses the name if ANY
/// resolved address is forbidden under the policy; the connection then uses exactly the checked
/// addresses. Refusing on any (rather than filtering) keeps a name that mixes public and private
/// records out entirely.
#[derive(Debug, Clone, Copy, Default)]
pub struct GuardedResolver {
    pub policy: Policy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = resolve_checked(&host, policy).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

async fn resolve_checked(host: &str, policy: Policy) -> Result<Vec<SocketAddr>, Refusal> {
    // Port 0: the connector substitutes the URL's port.
    let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host, 0)).await {
        Ok(addrs) => addrs.collect(),
        Err(e) => {
            // The resolver's detail stays in the log; the refusal only names the host.
            tracing::debug!(host, error = %e, "outbound guard: lookup failed");
            Vec::new()
        }
    };
    if addrs.is_empty() {
        return Err(Refusal::NoAddress(host.to_owned()));
    }
    if let Some(bad) = addrs.iter().find(|a| !policy.allows(a.ip())) {
        return Err(Refusal::ForbiddenAddress(bad.ip()));
    }
    Ok(addrs)
}

/// A client builder with the guarded resolver, no redirects (a redirect target would skip the
/// caller's per-URL check), no proxy (a proxy resolves names itself, bypassing the resolver) and
/// the given connect timeout.
///
/// The resolver never sees IP literals: callers must still check every URL they send to with
/// [`check_webhook_target`] or [`check_literal_host`].
pub fn client_builder(policy: Policy, connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .dns_resolver(GuardedResolver { policy })
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(connect_timeout)
}

/// The refusal inside a reqwest error chain, if the guard caused the error.
pub fn refusal_of(err: &reqwest::Error) -> Option<Refusal> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(refusal) = e.downcast_ref::<Refusal>() {
            return Some(refusal.clone());
        }
        source = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    const LOCAL: Policy = Policy {
        allow_loopback: true,
    };
    const STRICT: Policy = Policy {
        allow_loopback: false,
    };

    #[test]
    fn forbidden_and_allowed_addresses() {
        for never in [
            "127.0.0.1",
            "127.255.0.9",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "198.18.0.1",
            "198.19.255.255",
            "240.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "239.255.255.250",
            "0.0.0.0",
            "0.1.2.3",
            "192.0.0.170",
            "192.0.2.1",
            "::1",
            "::",
            "ff02::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:0:10.0.0.1",
            "::7f00:1",
            "::808:808",
            "64:ff9b::a00:1",
            "64:ff9b::808:808",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "100::1",
            "fd00:ec2::254",
        ] {
            assert!(is_forbidden_ip(ip(never)), "{never} must be forbidden");
        }
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "198.17.255.255",
            "198.20.0.1",
            "223.255.255.254",
            "::ffff:8.8.8.8",
            "2606:4700:4700::1111",
            "2a00:1450:4001:81c::200e",
            "2001:4860:4860::8888",
        ] {
            assert!(!is_forbidden_ip(ip(public)), "{public} must be allowed");
        }
    }

    #[test]
    fn loopback_policy_opens_loopback_only() {
        for loopback in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            assert!(LOCAL.allows(ip(loopback)), "{loopback}");
            assert!(!STRICT.allows(ip(loopback)), "{loopback}");
        }
        for never in [
            "10.0.0.1",
            "169.254.169.254",
            "::ffff:169.254.169.254",
            "0.0.0.0",
            "::",
            "fd00:ec2::254",
            // IPv4-compatible is not canonicalised: it is not loopback, just deprecated.
            "::7f00:1",
        ] {
            assert!(!LOCAL.allows(ip(never)), "{never}");
        }
        assert!(STRICT.allows(ip("8.8.8.8")));
        assert_eq!(Policy::default(), STRICT);
    }

    fn target(url: &str, policy: Policy) -> Result<(), Refusal> {
        check_webhook_target(&Url::parse(url).unwrap(), policy)
    }

    #[test]
    fn webhook_targets() {
        let forbidden = |s: &str| Err(Refusal::ForbiddenAddress(ip(s)));
        let cases: &[(&str, Policy, Result<(), Refusal>)] = &[
            ("https://example.com/", STRICT, Ok(())),
            ("https://example.com:443/hook?x=1", STRICT, Ok(())),
            ("https://example.com:8443/", STRICT, Ok(())),
            ("https://example.com:80/", STRICT, Ok(())),
            ("https://8.8.8.8/", STRICT, Ok(())),
            ("https://[2606:4700:4700::1111]/", STRICT, Ok(())),
            // Names pass here; the resolver decides.
            ("https://localhost/", STRICT, Ok(())),
            (
                "http://example.com/",
                STRICT,
                Err(Refusal::Scheme("http".into())),
            ),
            (
                "http://example.com/",
                LOCAL,
                Err(Refusal::Scheme("http".into())),
            ),
            (
                "ftp://example.com/",
                LOCAL,
                Err(Refusal::Scheme("ftp".into())),
            ),
            (
                "http://localhost:3000/",
                STRICT,
                Err(Refusal::Scheme("http".into())),
            ),
            (
                "https://example.com:8080/",
                STRICT,
                Err(Refusal::Port(8080)),
            ),
            ("https://example.com:22/", LOCAL, Err(Refusal::Port(22))),
            (
                "https://user:pw@example.com/",
                STRICT,
                Err(Refusal::Credentials),
            ),
            (
                "https://user@example.com/",
                STRICT,
                Err(Refusal::Credentials),
            ),
            ("https://[::1]/", STRICT, forbidden("::1")),
            ("https://[fc00::1]/", STRICT, forbidden("fc00::1")),
            (
                "https://[::ffff:127.0.0.1]/",
                STRICT,
                forbidden("::ffff:127.0.0.1"),
            ),
            (
                "https://[64:ff9b::a00:1]/",
                STRICT,
                forbidden("64:ff9b::a00:1"),
            ),
            ("https://0.0.0.0/", STRICT, forbidden("0.0.0.0")),
            (
                "https://169.254.169.254/latest/meta-data",
                STRICT,
                forbidden("169.254.169.254"),
            ),
            // Alternative IPv4 spellings are normalised by the URL parser, so they are caught too.
            (
                "https://0xa9fea9fe/latest/meta-data",
                STRICT,
                forbidden("169.254.169.254"),
            ),
            ("https://2130706433/", STRICT, forbidden("127.0.0.1")),
            ("http://127.0.0.1:45678/hook", LOCAL, Ok(())),
            ("http://[::1]:45678/hook", LOCAL, Ok(())),
            ("http://[::ffff:127.0.0.1]:45678/hook", LOCAL, Ok(())),
            ("http://localhost:45678/hook", LOCAL, Ok(())),
            ("http://10.0.0.1:45678/", LOCAL, forbidden("10.0.0.1")),
            (
                "https://169.254.169.254/",
                LOCAL,
                forbidden("169.254.169.254"),
            ),
            (
                "http://user:pw@127.0.0.1:45678/",
                LOCAL,
                Err(Refusal::Credentials),
            ),
        ];
        for (url, policy, expected) in cases {
            assert_eq!(&target(url, *policy), expected, "{url} with {policy:?}");
        }
    }

    #[test]
    fn messages_do_not_leak_url_secrets() {
        let url = "https://user:hunter2@example.com:8080/hook?token=s3cret";
        let refusal = target(url, STRICT).unwrap_err();
        let msg = refusal.to_string();
        assert!(!msg.contains("hunter2") && !msg.contains("s3cret"), "{msg}");
        let port = target("https://example.com:8080/hook?token=s3cret", STRICT).unwrap_err();
        assert_eq!(port.to_string(), "port 8080 is not allowed");
    }

    #[test]
    fn literal_host_check_ignores_scheme_and_port() {
        let check = |u: &str, p| check_literal_host(&Url::parse(u).unwrap(), p);
        assert_eq!(check("http://example.com:8080/x", STRICT), Ok(()));
        assert_eq!(check("http://127.0.0.1:8080/x", LOCAL), Ok(()));
        assert_eq!(
            check("http://127.0.0.1:8080/x", STRICT),
            Err(Refusal::ForbiddenAddress(ip("127.0.0.1")))
        );
        assert_eq!(check("mailto:a@example.com", STRICT), Err(Refusal::NoHost));
    }

    #[tokio::test]
    async fn resolver_refuses_loopback_names_unless_allowed() {
        assert!(matches!(
            resolve_checked("localhost", STRICT).await,
            Err(Refusal::ForbiddenAddress(a)) if a.is_loopback()
        ));
        let addrs = resolve_checked("localhost", LOCAL).await.unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()));
    }
}
