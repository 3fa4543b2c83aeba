//! bench-discovery: one discovery over a generated catalog held in the local stack, including the
//! retrieval of candidates from the emulated DynamoDB (the whole-process figure criterion can't give).
//!
//!   cargo run --release -p ops --bin bench-discovery -- [--companies 100000] [--shards 1]
//!
//! Starts its own emulator, provisions template.yaml, imports the catalog (timed separately),
//! then times the guide's DACH SaaS order: the feature records its markets hold (reads), ranking
//! them, and the whole `discover_order` (reads, ranking, the selected bodies, results); prints
//! what the same reads would cost and take on AWS at 10x and 100x the catalog (`project`).
use anyhow::Result;
use shared::engine::blacklist_match::BlacklistIndex;
use shared::engine::email::StaticMx;
use shared::engine::enrich::EnrichContext;
use shared::engine::ports::markets;
use shared::store::catalog::CatalogStore;
use std::time::Instant;

/// What the same ICP would read on AWS at 10x and 100x this catalog, partitions growing with it:
/// on-demand reads (a Query is 0.5 read request unit per 4 KB, eventually consistent; $0.125 per
/// million, us-east-1) and the time to read at DynamoDB's per-partition limit (3,000 RCU/s, i.e.
/// 24 MB/s eventually consistent) with every shard of a market read in parallel, 8 at a time.
fn project(n: usize, records: usize, bytes: usize, ranking: f64, shards: u32) {
    const RRU_PRICE: f64 = 0.125 / 1e6;
    const PARTITION_BYTES_PER_S: f64 = 3000.0 * 2.0 * 4096.0;
    for scale in [1usize, 10, 100] {
        let (records, bytes) = (records * scale, (bytes * scale) as f64);
        let rru = (bytes / 4096.0).ceil() * 0.5;
        for shards in [shards, 16, 64] {
            let parallel = (shards as f64).min(8.0);
            println!(
                "  at {:>9} companies, {shards:>2} shard(s): {records:>9} records, {:>7.1} MB, {:>9.0} RRU = ${:.4}; \
                 reads >= {:.2} s at the partition limit; ranking ~{:.2} s on one core",
                n * scale,
                bytes / 1e6,
                rru,
                rru * RRU_PRICE,
                bytes / (PARTITION_BYTES_PER_S * parallel),
                ranking * scale as f64,
            );
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let n = ops::measure::arg("--companies", 100_000)?;
    let emulator = ops::emulator::Emulator::start()?;
    let sdk = ops::sdk_for(&emulator.endpoint).await;
    let template = ops::template::Template::load_default()?;
    let p = ops::provision::provision(&sdk, &template, &ops::provision::local_parameters()).await?;
    let store = CatalogStore::new(
        aws_sdk_dynamodb::Client::new(&sdk),
        p.env["CATALOG_TABLE_NAME"].clone(),
        p.env["CATALOG_FEATURES_TABLE_NAME"].clone(),
        ops::measure::arg("--shards", 1)? as u32,
    );

    let t = Instant::now();
    let companies = catalog_gen::generate(n, 1);
    println!(
        "generated {n} companies in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    for chunk in companies.chunks(5000) {
        store.put(chunk).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    println!(
        "imported into the local catalog table in {:.1} s ({:.0} companies/s)",
        t.elapsed().as_secs_f64(),
        n as f64 / t.elapsed().as_secs_f64()
    );
    drop(companies);

    let order: shared::domain::order::Order = serde_json::from_value(serde_json::json!({
        "order_id": uuid::Uuid::now_v7(), "tenant_id": "bench", "order_type": "DISCOVERY", "title": "bench", "status": "IN_PROGRESS",
        "priority": "NORMAL", "company_count": 0, "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS"], "estimated_cost": null,
        "prospect_search_id": null, "admin_notes": null, "webhook_url": null,
        "ideal_customer_profile": "Mid-market SaaS companies in the DACH region with 50-500 employees, focused on B2B software solutions",
        "seller_offering": "AI-powered lead generation", "seller_industry": null, "excluded_industries": ["Government", "Non-profit"],
        "target_countries": ["Germany", "Austria", "Switzerland"], "target_cities": ["Berlin", "Munich", "Vienna"], "output_language": "en",
        "contact_roles": null, "blacklist_ids": [], "profile_id": null, "created_at": "2026-01-01T00:00:00.000000Z",
        "accepted_at": null, "completed_at": null, "cancelled_at": null
    }))?;
    let resolver = StaticMx(Default::default());
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: None,
    };
    let icp = shared::engine::icp::parse(&order);
    let countries = order.target_countries.clone().unwrap_or_default();
    for run in 1..=3 {
        let t = Instant::now();
        let candidates = store
            .candidates(&markets(&countries, Some(&icp.industries)), &icp.keywords)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let retrieval = t.elapsed().as_secs_f64();
        let bytes: usize = candidates
            .records
            .iter()
            .map(|f| f.encode().len() + 60)
            .sum();
        let t = Instant::now();
        let (selected, _) =
            shared::engine::discovery::discover(&icp, &candidates, &BlacklistIndex::default());
        let ranking = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let out = shared::engine::pipeline::discover_order(
            &order,
            &store,
            &BlacklistIndex::default(),
            &ctx,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "run {run}: read {} records ({:.1} % of the catalog, {:.1} MB) in {retrieval:.2} s; \
             ranking {ranking:.3} s ({} selected); whole discovery (reads, ranking, {} bodies, results) {:.2} s",
            candidates.records.len(),
            100.0 * candidates.records.len() as f64 / n as f64,
            bytes as f64 / 1e6,
            selected.len(),
            out.results.len(),
            t.elapsed().as_secs_f64()
        );
        if run == 1 {
            project(n, candidates.records.len(), bytes, ranking, store.shards);
        }
    }
    println!(
        "peak RSS of this process: {:.1} MB (the generated catalog was dropped before the runs)",
        ops::measure::peak_rss_mb()
    );
    Ok(())
}
