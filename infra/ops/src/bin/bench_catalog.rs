//! bench-catalog: the catalog's synchronous paths over the real companies of
//! `../shared/datasets/companies.jsonl` in the local stack (the emulator over the wire):
//! - preview: `POST /orders/preview`'s use case once per ICP of the discovery evaluation
//!   (infra/eval/icps.json), `--rounds` times: p50/p95/max wall time;
//! - matching: an enrichment list of `--submitted` companies (60 % by website, 30 % by name with
//!   city and country, 10 % unknown) matched to the catalog as enrich-batch does: wall time and hits.
//!
//!   cargo run --release -p ops --bin bench-catalog -- [--rounds 2] [--submitted 10000]
//!
//! Starts its own emulator, provisions template.yaml and imports the dataset (timed separately).
use anyhow::{anyhow, Result};
use auth::{Caller, Scope};
use serde_json::{json, Value};
use std::time::Instant;
use store::catalog::CatalogStore;

#[tokio::main]
async fn main() -> Result<()> {
    let rounds = ops::measure::arg("--rounds", 2)?;
    let only: Option<String> = std::env::args().skip_while(|a| a != "--only").nth(1);
    let submitted = ops::measure::arg("--submitted", 10_000)?;
    let mut stack = ops::emulator::LocalStack::start().await?;
    // What is measured is the preview's work, every round: no preview quota, no cache.
    stack.app.config.preview.per_minute = auth::rate::MAX_PER_MINUTE;
    stack.app.previews = api::preview_cache::Cache::new(std::time::Duration::ZERO);
    let app = &stack.app;
    let catalog = CatalogStore::of(&app.config, &app.db).map_err(|e| anyhow!("{e}"))?;

    let t = Instant::now();
    let dataset = ops::repo_root().join("../shared/datasets/companies.jsonl");
    let report = ops::catalog_import::import(&catalog, &dataset, false).await?;
    println!(
        "imported {} companies in {:.1} s",
        report.imported,
        t.elapsed().as_secs_f64()
    );

    let icps: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(
        ops::repo_root().join("infra/eval/icps.json"),
    )?)?;
    let caller = Caller {
        key_id: uuid::Uuid::now_v7(),
        tenant_id: "bench-preview".into(),
        scopes: vec![Scope::OrdersRead],
    };
    for round in 1..=rounds {
        let mut times = Vec::with_capacity(icps.len());
        let mut slowest: Vec<(f64, String, usize)> = Vec::new();
        let mut matching = 0u64;
        for icp in icps
            .iter()
            .filter(|i| only.as_deref().is_none_or(|o| i["id"] == o))
        {
            let body = json!({
                "order_type": "DISCOVERY", "title": icp["id"], "features": ["COMPANY_DATA", "ANALYSIS"],
                "ideal_customer_profile": icp["ideal_customer_profile"],
                "seller_offering": "Prospect data and enrichment",
                "target_countries": icp["target_countries"],
                "excluded_industries": icp.get("excluded_industries").cloned().unwrap_or(json!([])),
            });
            let t = Instant::now();
            let api::usecases::Found(answer) =
                api::usecases::preview::preview(app, &caller, &catalog, body)
                    .await
                    .map_err(|e| anyhow!("{}: {e} {:?}", icp["id"], e.details()))?;
            times.push(t.elapsed().as_secs_f64());
            let parsed = engine::icp::parse_parts(
                icp["ideal_customer_profile"].as_str().unwrap_or_default(),
                &strings(&icp["target_countries"]),
                &[],
                &strings(&icp["excluded_industries"]),
            );
            let industries =
                (!parsed.industries.is_empty()).then_some(parsed.industries.as_slice());
            let partitions =
                engine::ports::markets(&strings(&icp["target_countries"]), industries).len();
            slowest.push((t.elapsed().as_secs_f64(), icp["id"].to_string(), partitions));
            matching += answer["matching_companies"].as_u64().unwrap_or(0);
        }
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        println!(
            "round {round}: {} previews, p50 {:.3} s, p95 {:.3} s, max {:.3} s ({} matching companies in all)",
            times.len(),
            ops::measure::percentile(&sorted, 0.5),
            ops::measure::percentile(&sorted, 0.95),
            sorted.last().copied().unwrap_or(f64::NAN),
            matching
        );
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        let partitions: usize = slowest.iter().map(|s| s.2).sum();
        println!(
            "  partitions read per preview: {:.1} on average; slowest: {}",
            partitions as f64 / slowest.len() as f64,
            slowest
                .iter()
                .take(5)
                .map(|(t, id, p)| format!("{id} {t:.2} s ({p} partitions)"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    matching(&catalog, &dataset, submitted).await
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect()
}

async fn matching(catalog: &CatalogStore, dataset: &std::path::Path, n: usize) -> Result<()> {
    use domain::order::SubmittedCompany;
    let companies: Vec<_> = ops::catalog_import::read_rows(dataset)?
        .into_iter()
        .filter_map(|(_, row)| row.ok())
        .collect();
    let list: Vec<SubmittedCompany> = (0..n)
        .map(|i| {
            let c = &companies[(i * 7919) % companies.len()];
            let (name, website, place) = match i % 10 {
                0..=5 => (None, c.website_url.clone().or(c.domain.clone()), None),
                6..=8 => (Some(c.name.clone()), None, Some(c)),
                _ => (Some(format!("Unknown Prospect {i} GmbH")), None, None),
            };
            SubmittedCompany {
                external_id: format!("crm-{i}"),
                company_name: name,
                website_url: website,
                city: place.and_then(|c| c.city.clone()),
                country: place.and_then(|c| c.country.clone()),
            }
        })
        .collect();
    let t = Instant::now();
    let matched = engine::pipeline::match_submitted(&list, catalog)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let hits = matched.iter().filter(|(_, hit)| *hit).count();
    println!(
        "matching: {n} submitted companies in {:.2} s, {hits} found in the catalog",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
