//! bench-preview: `POST /orders/preview` with the request example of `openapi/openapi.yaml` (the
//! body schemathesis sends first) on the demo catalog the local stack seeds, timed cold (a new
//! App: no preview cache, no connection) and warm, with the DynamoDB calls it makes.
//!
//!   cargo run -p ops --bin bench-preview -- [--companies 3000] [--runs 3] [--icp TEXT]
//!
//! Starts its own emulator, provisions template.yaml, seeds `catalog_gen::generate(companies, 42)`
//! as `opsctl local-up --demo-companies` does (3,000 in the e2e run), then previews. The preview
//! cache is off (`PREVIEW_CACHE_TTL_SECONDS=0`) and the quota raised, so every run computes.
use anyhow::{anyhow, Result};
use aws_sdk_dynamodb::config::interceptors::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemInput;
use aws_sdk_dynamodb::operation::query::{QueryInput, QueryOutput};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;

/// DynamoDB calls of one run: queries (and the items they evaluated), batch gets (and their
/// keys), everything else.
#[derive(Debug, Default)]
struct Calls {
    queries: AtomicU64,
    evaluated: AtomicU64,
    batch_gets: AtomicU64,
    keys: AtomicU64,
    other: AtomicU64,
}

impl Calls {
    fn take(&self) -> String {
        let q = self.queries.swap(0, Relaxed);
        let e = self.evaluated.swap(0, Relaxed);
        let b = self.batch_gets.swap(0, Relaxed);
        let k = self.keys.swap(0, Relaxed);
        let o = self.other.swap(0, Relaxed);
        format!("{q} queries ({e} items evaluated), {b} BatchGetItem ({k} keys), {o} other calls")
    }
}

#[derive(Debug)]
struct Counter(Arc<Calls>);

impl Intercept for Counter {
    fn name(&self) -> &'static str {
        "bench-preview"
    }
    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let input = context.input();
        if let Some(b) = input.downcast_ref::<BatchGetItemInput>() {
            let keys: usize = b
                .request_items()
                .into_iter()
                .flat_map(|m| m.values())
                .map(|k| k.keys().len())
                .sum();
            self.0.batch_gets.fetch_add(1, Relaxed);
            self.0.keys.fetch_add(keys as u64, Relaxed);
        } else if input.downcast_ref::<QueryInput>().is_some() {
            self.0.queries.fetch_add(1, Relaxed);
        } else {
            self.0.other.fetch_add(1, Relaxed);
        }
        Ok(())
    }
    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        if let Some(Ok(out)) = context.output_or_error() {
            if let Some(q) = out.downcast_ref::<QueryOutput>() {
                self.0
                    .evaluated
                    .fetch_add(q.scanned_count() as u64, Relaxed);
            }
        }
        Ok(())
    }
}

/// The first request example of `POST /orders/preview` in the OpenAPI document.
fn example() -> Result<serde_json::Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.yaml");
    let doc: serde_json::Value = serde_yaml::from_str(&std::fs::read_to_string(root)?)?;
    let examples = &doc["paths"]["/api/v1/orders/preview"]["post"]["requestBody"]["content"]
        ["application/json"]["examples"];
    examples
        .as_object()
        .and_then(|o| o.values().next())
        .map(|e| e["value"].clone())
        .ok_or_else(|| anyhow!("no request example of POST /orders/preview"))
}

#[tokio::main]
async fn main() -> Result<()> {
    let companies = ops::measure::arg("--companies", 3000)?;
    let runs = ops::measure::arg("--runs", 3)?;
    let mut body = example()?;
    // `--icp TEXT`: the example with another ICP (e.g. one naming several industries).
    let args: Vec<String> = std::env::args().collect();
    if let Some(icp) = args
        .iter()
        .position(|a| a == "--icp")
        .and_then(|i| args.get(i + 1))
    {
        body["ideal_customer_profile"] = serde_json::json!(icp);
    }
    let emulator = ops::emulator::Emulator::start()?;
    let sdk = ops::sdk_for(&emulator.endpoint).await;
    let template = ops::template::Template::load_default()?;
    let p = ops::provision::provision(&sdk, &template, &ops::provision::local_parameters()).await?;
    let mut env = p.env.clone();
    env.insert("PREVIEW_CACHE_TTL_SECONDS".into(), "0".into());
    env.insert("PREVIEW_RATE_LIMIT_PER_MINUTE".into(), "100000".into());
    let config = config::Config::from_lookup(|k| env.get(k).cloned()).map_err(|e| anyhow!(e))?;
    let seed_store = store::catalog::CatalogStore::new(
        aws_sdk_dynamodb::Client::new(&sdk),
        env["CATALOG_TABLE_NAME"].clone(),
        env["CATALOG_FEATURES_TABLE_NAME"].clone(),
        env.get("CATALOG_SHARDS")
            .and_then(|n| n.parse().ok())
            .unwrap_or(1),
    );
    let t = Instant::now();
    seed_store
        .put(&catalog_gen::generate(companies, 42))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    println!(
        "seeded {companies} demo companies in {:.1} s; body: {body}",
        t.elapsed().as_secs_f64()
    );
    let calls = Arc::new(Calls::default());
    let caller = auth::Caller {
        key_id: uuid::Uuid::now_v7(),
        tenant_id: "bench-preview".into(),
        scopes: vec![auth::Scope::OrdersRead],
    };
    // A new App as a cold function has; then the same App again, warm.
    let mut app = api::app::App::wired(config.clone(), &sdk, ops::ADAPTERS);
    app.db.client = aws_sdk_dynamodb::Client::from_conf(
        app.db
            .client
            .config()
            .to_builder()
            .interceptor(Counter(calls.clone()))
            .build(),
    );
    for run in 0..runs.max(1) {
        let catalog =
            store::catalog::CatalogStore::of(&app.config, &app.db).map_err(|e| anyhow!("{e}"))?;
        let t = Instant::now();
        let api::usecases::Found(answer) =
            api::usecases::preview::preview(&app, &caller, &catalog, body.clone())
                .await
                .map_err(|e| anyhow!("{e}"))?;
        println!(
            "{}: answered in {:.2} s; {}; matching_companies {} (estimate: {}), {} items",
            if run == 0 { "cold" } else { "warm" },
            t.elapsed().as_secs_f64(),
            calls.take(),
            answer["matching_companies"],
            answer["count_is_estimate"],
            answer["items"].as_array().map_or(0, Vec::len)
        );
    }
    println!(
        "peak RSS of this process: {:.1} MB; load average {}",
        ops::measure::peak_rss_mb(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    Ok(())
}
