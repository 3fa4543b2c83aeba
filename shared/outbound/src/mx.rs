//! MX lookups over DNS (hickory), the production `engine::email::MxResolver`.
use async_trait::async_trait;
use engine::email::{clean_domain, MxLookup, MxResolver};
use hickory_resolver::config::{ResolverConfig, CLOUDFLARE};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::NetError;
use hickory_resolver::proto::rr::{RData, Record};
use hickory_resolver::TokioResolver;
use std::time::Duration;

/// MX lookups through the system's DNS configuration (Cloudflare when there is none). The resolver
/// is built once and reused, so its cache serves warm Lambda invocations.
pub struct DnsMxResolver {
    resolver: Option<TokioResolver>,
    timeout: Duration,
}

impl DnsMxResolver {
    /// Never fails: without a usable resolver every lookup is `Failed`, which scores as neutral.
    pub fn new(timeout: Duration) -> Self {
        Self::built(build_resolver(timeout), timeout)
    }

    fn built(resolver: Result<TokioResolver, NetError>, timeout: Duration) -> Self {
        let resolver = resolver
            .map_err(|e| tracing::warn!(error = %e, "no DNS resolver, MX lookups will fail"))
            .ok();
        Self { resolver, timeout }
    }

    /// Asks only the name server at `server` (UDP): a site's own resolver, or a fixture.
    pub fn with_nameserver(server: std::net::SocketAddr, timeout: Duration) -> Self {
        let mut udp = hickory_resolver::config::ConnectionConfig::udp();
        udp.port = server.port();
        let config = ResolverConfig::from_parts(
            None,
            vec![],
            vec![hickory_resolver::config::NameServerConfig::new(
                server.ip(),
                true,
                vec![udp],
            )],
        );
        let builder = TokioResolver::builder_with_config(config, TokioRuntimeProvider::default());
        Self::built(bounded(builder, timeout), timeout)
    }
}

fn build_resolver(timeout: Duration) -> Result<TokioResolver, NetError> {
    let builder = TokioResolver::builder_tokio().unwrap_or_else(|_| {
        TokioResolver::builder_with_config(
            ResolverConfig::udp_and_tcp(&CLOUDFLARE),
            TokioRuntimeProvider::default(),
        )
    });
    bounded(builder, timeout)
}

fn bounded(
    mut builder: hickory_resolver::ResolverBuilder<TokioRuntimeProvider>,
    timeout: Duration,
) -> Result<TokioResolver, NetError> {
    // The per-query timeout bounds the resolver's own retries; `lookup_mx` bounds the whole call.
    let options = builder.options_mut();
    options.timeout = timeout;
    options.attempts = 1;
    builder.build()
}

#[async_trait]
impl MxResolver for DnsMxResolver {
    async fn lookup_mx(&self, domain: &str) -> MxLookup {
        let Some(domain) = clean_domain(domain) else {
            return MxLookup::Failed("invalid domain".into());
        };
        let Some(resolver) = &self.resolver else {
            return MxLookup::Failed("no resolver".into());
        };
        // A trailing dot makes the name absolute: no search-domain suffixes are tried.
        let query = format!("{domain}.");
        match tokio::time::timeout(self.timeout, resolver.mx_lookup(query.as_str())).await {
            Err(_) => MxLookup::Failed("timeout".into()),
            Ok(Err(e)) if e.is_no_records_found() => MxLookup::NoRecords,
            Ok(Err(e)) => MxLookup::Failed(e.to_string()),
            Ok(Ok(lookup)) => mx_hosts(lookup.answers()),
        }
    }
}

/// Exchange hosts by preference (then name, for determinism). A null MX (`0 .`) says the domain
/// accepts no mail at all, so it is no records.
fn mx_hosts(records: &[Record]) -> MxLookup {
    let mut hosts: Vec<(u16, String)> = records
        .iter()
        .filter_map(|r| match &r.data {
            RData::MX(mx) if !mx.exchange.is_root() => Some((
                mx.preference,
                mx.exchange
                    .to_ascii()
                    .trim_end_matches('.')
                    .to_ascii_lowercase(),
            )),
            _ => None,
        })
        .collect();
    hosts.sort();
    let mut names: Vec<String> = Vec::with_capacity(hosts.len());
    for (_, host) in hosts {
        if !names.contains(&host) {
            names.push(host);
        }
    }
    if names.is_empty() {
        MxLookup::NoRecords
    } else {
        MxLookup::Found(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::rr::rdata::MX;
    use hickory_resolver::proto::rr::Name;
    use std::str::FromStr;

    #[test]
    fn mx_records_sorted_and_null_mx_is_no_records() {
        let name = Name::from_str("acme.de.").unwrap();
        let record = |pref: u16, host: &str| {
            Record::from_rdata(
                name.clone(),
                300,
                RData::MX(MX::new(pref, Name::from_str(host).unwrap())),
            )
        };
        let records = [record(20, "mx2.acme.de."), record(10, "MX1.acme.de.")];
        assert_eq!(
            mx_hosts(&records),
            MxLookup::Found(vec!["mx1.acme.de".into(), "mx2.acme.de".into()])
        );
        let null_mx = [Record::from_rdata(
            name.clone(),
            300,
            RData::MX(MX::new(0, Name::root())),
        )];
        assert_eq!(mx_hosts(&null_mx), MxLookup::NoRecords);
        assert_eq!(mx_hosts(&[]), MxLookup::NoRecords);
    }

    #[tokio::test]
    async fn dns_resolver_builds_without_network() {
        // Construction only reads the system configuration; no lookup is made here.
        let r = DnsMxResolver::new(Duration::from_millis(200));
        assert_eq!(r.timeout, Duration::from_millis(200));
        let bad = r.lookup_mx("not a domain").await;
        assert_eq!(bad, MxLookup::Failed("invalid domain".into()));
    }
}
