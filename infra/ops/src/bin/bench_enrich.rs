//! bench-enrich: one enrich-batch's computation with every feature on (COMPANY_DATA, CONTACTS,
//! ANALYSIS, TECHNOLOGIES, EMAIL_DISCOVERY), against fixture websites and a DNS server on local
//! sockets, with the production fetch and MX limits. What it measures sizes the task functions'
//! timeout and memory in template.yaml (see infra/README.md, "Sizing the task functions").
//!
//!   cargo run --release -p ops --bin bench-enrich -- [--batches 3] [--worst]
//!
//! Scenarios, each `--batches` batches of 90 companies in a row:
//! - typical: most homepages answer in 0.15-0.9 s with 80-400 KB, some in 1.5-4 s, one in ten
//!   stalls until the fetch limit (8 s), some fail fast; one MX lookup in ten never answers (2 s).
//! - heavy: every homepage answers at once with 1 MB (the fetcher's cap): the CPU of detection.
//! - worst (`--worst`): every homepage stalls and every MX lookup times out: the longest a batch
//!   can take, which the time budget must cut into pieces.
//!
//! Prints per scenario the wall time per batch, the CPU time per batch (the fixture servers'
//! share included: an upper bound) and the process's peak RSS.
use anyhow::Result;
use domain::order::{Feature, Order, SubmittedCompany};
use engine::enrich::EnrichContext;
use engine::ports::MemoryCatalog;
use ops::fixtures::{DnsStub, Mx, Site, Sites};
use ops::measure::{arg, cpu_seconds, flag, peak_rss_mb};
use outbound::DnsMxResolver;
use outbound::FetchOptions;
use std::sync::Arc;
use std::time::{Duration, Instant};

const BATCH: usize = 90;

fn hash(s: &str, salt: u64) -> u64 {
    s.bytes().fold(salt.wrapping_mul(0x100000001b3), |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    }) >> 9
}

/// A homepage of about `bytes`: the head names a stack, the body is filler text.
fn page(bytes: usize) -> String {
    let head = r#"<!doctype html><html><head><meta name="generator" content="WordPress 6.4.2">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<link rel="stylesheet" href="/wp-content/themes/acme/style.css"></head><body>"#;
    let filler = "<p>We build software and services for mid-sized companies across Europe.</p>\n";
    let mut body = String::with_capacity(bytes + 200);
    body.push_str(head);
    while body.len() < bytes {
        body.push_str(filler);
    }
    body.push_str("</body></html>");
    body
}

fn served(delay_ms: u64, status: u16, bytes: usize) -> Site {
    Site::Page {
        delay: Duration::from_millis(delay_ms),
        status,
        headers: vec![("Server".into(), "nginx".into())],
        body: page(bytes),
    }
}

fn typical_site(domain: &str) -> Site {
    let h = hash(domain, 1);
    let size = 80_000 + (h % 320) as usize * 1000;
    match h % 20 {
        0..=11 => served(150 + h % 750, 200, size),
        12..=14 => served(1500 + h % 2500, 200, size),
        15..=16 => Site::Stall,
        17..=18 => served(50, 503, 2000),
        _ => Site::Garbage,
    }
}

fn typical_mx(domain: &str) -> Mx {
    let h = hash(domain, 2);
    match h % 10 {
        0..=7 => Mx::Found(
            vec![format!("mx1.{domain}")],
            Duration::from_millis(20 + h % 60),
        ),
        8 => Mx::NoRecords,
        _ => Mx::Silent,
    }
}

fn order() -> Result<Order> {
    Ok(serde_json::from_value(serde_json::json!({
        "order_id": uuid::Uuid::now_v7(), "tenant_id": "bench", "order_type": "ENRICHMENT", "title": "bench",
        "status": "IN_PROGRESS", "priority": "NORMAL", "company_count": 0, "features": Feature::ALL,
        "ideal_customer_profile": "B2B software and IT services companies in Germany with 50-500 employees",
        "seller_offering": "Sales automation", "contact_roles": ["CEO", "Head of Sales"],
        "blacklist_ids": [], "created_at": "2026-01-01T00:00:00.000000Z"
    }))?)
}

async fn scenario(
    name: &str,
    site_for: ops::fixtures::SiteFor,
    mx_for: ops::fixtures::MxFor,
    batches: usize,
) -> Result<()> {
    let companies = catalog_gen::generate(BATCH * batches, 11);
    let catalog = MemoryCatalog::new(companies.clone());
    let sites = Sites::start(site_for).await?;
    let dns = DnsStub::start(mx_for).await?;
    // The production limits (tasks::Engine::from_env outside local mode).
    let fetcher = sites.fetcher(FetchOptions::default());
    let resolver = DnsMxResolver::with_nameserver(dns.addr, Duration::from_secs(2));
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: Some(&fetcher),
    };
    let order = order()?;
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for chunk in companies.chunks(BATCH) {
        let submitted: Vec<SubmittedCompany> = chunk
            .iter()
            .enumerate()
            .map(|(i, c)| SubmittedCompany {
                external_id: format!("crm-{i}"),
                website_url: c.website_url.clone(),
                company_name: Some(c.name.clone()),
                city: None,
                country: None,
            })
            .collect();
        let (cpu, start) = (cpu_seconds(), Instant::now());
        let results =
            engine::pipeline::enrich_submitted(&order, &submitted, &catalog, &ctx).await?;
        walls.push(start.elapsed().as_secs_f64());
        cpus.push(cpu_seconds() - cpu);
        let analysed = results
            .iter()
            .filter(|r| r.web_technologies_analyzed_at.is_some())
            .count();
        eprintln!(
            "  {name}: batch of {} in {:.2} s, {analysed} homepages analysed",
            results.len(),
            walls.last().unwrap()
        );
    }
    let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "{name:8} wall per batch: mean {:.2} s, max {:.2} s | CPU per batch: mean {:.2} s, max {:.2} s | peak RSS so far {:.1} MB",
        mean(&walls),
        max(&walls),
        mean(&cpus),
        max(&cpus),
        peak_rss_mb()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let batches = arg("--batches", 3)?.max(1);
    println!(
        "enrich-batch computation, every feature on, {BATCH} companies per batch, {batches} batches per scenario"
    );
    scenario(
        "typical",
        Arc::new(typical_site),
        Arc::new(typical_mx),
        batches,
    )
    .await?;
    scenario(
        "heavy",
        Arc::new(|_: &str| served(0, 200, 1024 * 1024)),
        Arc::new(typical_mx),
        batches,
    )
    .await?;
    if flag("--worst") {
        scenario(
            "worst",
            Arc::new(|_: &str| Site::Stall),
            Arc::new(|_: &str| Mx::Silent),
            1,
        )
        .await?;
    }
    Ok(())
}
