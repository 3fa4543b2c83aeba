//! bench-catalog: the catalog's synchronous paths over the real companies of
//! `../shared/datasets/companies.jsonl` in the local stack (the emulator over the wire):
//! - preview: `POST /orders/preview`'s use case once per ICP of the discovery evaluation
//!   (infra/eval/icps.json), `--rounds` times: p50/p95/max wall time;
//! - lookalike (`--lookalike`, then only this): `POST /orders/preview` with 20 seeds for each
//!   query of infra/eval/lookalikes.json (its seeds, then other companies of the first seed's
//!   label and country up to 20), `--rounds` times: p50/p95/max wall time;
//! - matching: an enrichment list of `--submitted` companies (60 % by website, 30 % by name with
//!   city and country, 10 % unknown) matched to the catalog as enrich-batch does: wall time and hits.
//!
//!   cargo run --release -p ops --bin bench-catalog -- [--rounds 2] [--submitted 10000] [--lookalike]
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

    if ops::measure::flag("--lookalike") {
        return lookalike(app, &catalog, &dataset, rounds).await;
    }
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

/// Previews of lookalike orders with 20 seeds each, over the imported dataset.
async fn lookalike(
    app: &api::app::App,
    catalog: &CatalogStore,
    dataset: &std::path::Path,
    rounds: usize,
) -> Result<()> {
    let companies: Vec<_> = ops::catalog_import::read_rows(dataset)?
        .into_iter()
        .filter_map(|(_, row)| row.ok())
        .collect();
    let queries: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(
        ops::repo_root().join("infra/eval/lookalikes.json"),
    )?)?;
    let caller = Caller {
        key_id: uuid::Uuid::now_v7(),
        tenant_id: "bench-lookalike".into(),
        scopes: vec![Scope::OrdersRead],
    };
    let bodies: Vec<(String, Value)> = queries
        .iter()
        .map(|q| {
            let mut seeds = strings(&q["lookalike_domains"]);
            let first = companies.iter().find(|c| c.domain.as_deref() == seeds.first().map(String::as_str));
            for c in &companies {
                if seeds.len() >= 20 {
                    break;
                }
                let alike = first.is_some_and(|f| f.industry == c.industry && f.country == c.country);
                if let (true, Some(d)) = (alike, c.domain.as_ref()) {
                    if !seeds.contains(d) {
                        seeds.push(d.clone());
                    }
                }
            }
            seeds.truncate(20);
            let mut body = json!({
                "order_type": "DISCOVERY", "title": q["id"], "features": ["COMPANY_DATA", "ANALYSIS"],
                "lookalike_domains": seeds,
                "seller_offering": "Prospect data and enrichment",
                "target_countries": q["target_countries"],
                "excluded_industries": q.get("excluded_industries").cloned().unwrap_or(json!([])),
            });
            if let Some(icp) = q.get("ideal_customer_profile") {
                body["ideal_customer_profile"] = icp.clone();
            }
            (q["id"].as_str().unwrap_or_default().to_string(), body)
        })
        .collect();
    for round in 1..=rounds {
        let mut times = Vec::with_capacity(bodies.len());
        let mut slowest: Vec<(f64, &str)> = Vec::new();
        for (id, body) in &bodies {
            let t = Instant::now();
            api::usecases::preview::preview(app, &caller, catalog, body.clone())
                .await
                .map_err(|e| anyhow!("{id}: {e} {:?}", e.details()))?;
            times.push(t.elapsed().as_secs_f64());
            slowest.push((t.elapsed().as_secs_f64(), id));
        }
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!(
            "lookalike round {round}: {} previews of 20 seeds, p50 {:.3} s, p95 {:.3} s, max {:.3} s; slowest: {}",
            times.len(),
            ops::measure::percentile(&sorted, 0.5),
            ops::measure::percentile(&sorted, 0.95),
            sorted.last().copied().unwrap_or(f64::NAN),
            slowest
                .iter()
                .take(3)
                .map(|(t, id)| format!("{id} {t:.2} s"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
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
