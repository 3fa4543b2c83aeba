//! Which webhook targets are acceptable (docs/contract-notes.md "Orders" and "Webhooks"). The same address
//! rules (`net::guard`) are applied again to the resolved IP at send time.
use crate::address::is_forbidden_ip;
use std::net::IpAddr;

pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.to_canonical().is_loopback(),
    }
}

/// The ports webhooks are delivered to (the default port of the scheme counts); the sender
/// (`guard::check_webhook_target`) refuses any other, so an order naming one is refused at once.
pub const PORTS: [u16; 3] = [443, 80, 8443];

/// Checks a partner-supplied webhook URL. `Err` carries the message for the 422.
pub fn check(raw: &str, local_mode: bool) -> Result<url::Url, &'static str> {
    const MSG: &str = "webhook_url must be an absolute https URL";
    let url = url::Url::parse(raw).map_err(|_| MSG)?;
    let host = url.host().ok_or(MSG)?;
    let loopback = is_loopback_host(&host);
    match url.scheme() {
        "https" => {}
        "http" if local_mode && loopback => {}
        _ => return Err(MSG),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("webhook_url must not contain credentials");
    }
    if loopback && local_mode {
        return Ok(url);
    }
    if !url
        .port_or_known_default()
        .is_some_and(|p| PORTS.contains(&p))
    {
        return Err("webhook_url port must be 443, 80 or 8443");
    }
    let forbidden = match host {
        url::Host::Ipv4(ip) => is_forbidden_ip(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => is_forbidden_ip(IpAddr::V6(ip)),
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost"
                || d.ends_with(".localhost")
                || d.ends_with(".internal")
                || d == "metadata.google.internal"
        }
    };
    if forbidden {
        return Err(
            "webhook_url must not target a private, loopback, link-local or metadata address",
        );
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_public_https_only() {
        assert!(check("https://hooks.partner.com/openprospect", false).is_ok());
        assert!(check("https://hooks.partner.com:8443/openprospect", false).is_ok());
        assert_eq!(
            check("https://hooks.partner.com:9999/x", false).unwrap_err(),
            "webhook_url port must be 443, 80 or 8443"
        );
        assert!(
            check("http://127.0.0.1:9999/x", true).is_ok(),
            "local receivers"
        );
        for bad in [
            "http://hooks.partner.com/x",
            "ftp://hooks.partner.com",
            "/relative",
            "https://user:pw@partner.com/",
            "https://127.0.0.1/x",
            "https://localhost/x",
            "https://10.0.0.8/x",
            "https://192.168.1.1/x",
            "https://172.16.0.1/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/x",
            "https://[fd00:ec2::254]/x",
            "https://[::ffff:10.0.0.1]/x",
            "https://100.64.0.1/x",
            "https://metadata.google.internal/x",
            // The shared guard's wider ranges apply at order creation too.
            "https://198.18.0.1/x",
            "https://240.0.0.1/x",
            "https://[64:ff9b::a00:1]/x",
            "https://[2002:7f00:1::1]/x",
        ] {
            assert!(check(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn local_mode_allows_plain_http_to_loopback_only() {
        assert!(check("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(check("http://localhost:8080/hook", true).is_ok());
        assert!(check("http://10.0.0.1/hook", true).is_err());
        assert!(check("http://example.com/hook", true).is_err());
    }
}
