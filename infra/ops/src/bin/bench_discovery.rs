//! bench-discovery: one discovery over a generated catalog held in the local stack, including the
//! retrieval of candidates from the emulated DynamoDB (the whole-process figure criterion can't give).
//!
//!   cargo run --release -p ops --bin bench-discovery -- [--companies 100000]
//!
//! Starts its own emulator, provisions template.yaml, imports the catalog (timed separately),
//! then times `discover_order` for the guide's DACH SaaS order: candidate queries + ranking + results.
use anyhow::Result;
use shared::engine::blacklist_match::BlacklistIndex;
use shared::engine::email::StaticMx;
use shared::engine::enrich::EnrichContext;
use shared::store::catalog::CatalogStore;
use std::time::Instant;

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
    for run in 1..=3 {
        let t = Instant::now();
        let icp = shared::engine::icp::parse(&order);
        let candidates = store
            .candidates(
                order.target_countries.as_deref().unwrap(),
                Some(&icp.industries),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let retrieval = t.elapsed();
        let out = shared::engine::pipeline::discover_order(
            &order,
            &store,
            &BlacklistIndex::default(),
            &ctx,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "run {run}: retrieval of {} candidates {:.2} s; whole discovery (retrieval + ranking + {} results) {:.2} s",
            candidates.len(),
            retrieval.as_secs_f64(),
            out.results.len(),
            t.elapsed().as_secs_f64() - retrieval.as_secs_f64()
        );
    }
    println!(
        "peak RSS of this process: {:.1} MB (the generated catalog was dropped before the runs)",
        ops::measure::peak_rss_mb()
    );
    Ok(())
}
