//! bench-discovery: one discovery over a generated catalog held in the local stack, including the
//! retrieval of candidates from the emulated DynamoDB (the whole-process figure criterion can't give).
//!
//!   cargo run --release -p ops --bin bench-discovery -- [--companies 100000] [--shards 1]
//!     [--preview-markets 50] [--preview-records 20000]
//!
//! Starts its own emulator, provisions template.yaml, imports the catalog (timed separately),
//! then times the guide's DACH SaaS order: the feature records its markets hold (reads), ranking
//! them, and the whole `discover_order` (reads, ranking, the selected bodies, results); prints
//! what the same reads would cost and take on AWS at 10x and 100x the catalog (`project`).
//!
//! Last, the worst preview a key may ask for (`worst_preview`): 50 target countries, an ICP of
//! 5,000 characters naming no industry. It prints the catalog reads and time of the unbounded
//! discovery previews ran before issue 24 (`find`), then of `POST /orders/preview`'s use case as
//! it is (bounded markets, records and keywords), then of the same preview again (the cache).
use anyhow::Result;
use engine::blacklist_match::BlacklistIndex;
use engine::catalog::CatalogCompany;
use engine::email::StaticMx;
use engine::enrich::EnrichContext;
use engine::industry::Industry;
use engine::ports::{markets, Candidates, CatalogSource};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;
use store::catalog::CatalogStore;

/// The catalog as a discovery reads it, counting what it reads.
struct Counted<'a> {
    store: &'a CatalogStore,
    /// Market statistics read to choose markets (one small item each).
    sized: AtomicUsize,
    /// Markets whose feature records were read, the records, their bytes, and bodies by id.
    markets: AtomicUsize,
    records: AtomicUsize,
    bytes: AtomicUsize,
    bodies: AtomicUsize,
}

impl<'a> Counted<'a> {
    fn new(store: &'a CatalogStore) -> Self {
        Self {
            store,
            sized: AtomicUsize::new(0),
            markets: AtomicUsize::new(0),
            records: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            bodies: AtomicUsize::new(0),
        }
    }

    fn count(&self, markets: usize, read: &Candidates) {
        self.markets.fetch_add(markets, Relaxed);
        self.records.fetch_add(read.records.len(), Relaxed);
        let bytes: usize = read.records.iter().map(|f| f.encode().len() + 60).sum();
        self.bytes.fetch_add(bytes, Relaxed);
    }

    /// Markets sized and read, records read, MB, and DynamoDB read units at least (eventually
    /// consistent: half a unit per 4 KB of records, half an item per statistics item read).
    fn report(&self) -> String {
        let (sized, markets) = (self.sized.load(Relaxed), self.markets.load(Relaxed));
        let (records, bytes) = (self.records.load(Relaxed), self.bytes.load(Relaxed));
        let rru = (bytes as f64 / 4096.0).ceil() * 0.5 + 0.5 * (sized + markets) as f64;
        format!(
            "{sized} market sizes, {markets} markets read, {records} records ({:.1} MB), {} bodies; >= {rru:.0} read units",
            bytes as f64 / 1e6,
            self.bodies.load(Relaxed)
        )
    }
}

#[async_trait::async_trait]
impl CatalogSource for Counted<'_> {
    async fn candidates(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
    ) -> Result<Candidates, domain::ApiError> {
        let out = self.store.candidates(markets, query).await?;
        self.count(markets.len(), &out);
        Ok(out)
    }
    async fn candidates_at_most(
        &self,
        markets: &[(String, Industry)],
        query: &[String],
        records: u64,
    ) -> Result<Candidates, domain::ApiError> {
        let out = self
            .store
            .candidates_at_most(markets, query, Some(records))
            .await?;
        self.count(markets.len(), &out);
        Ok(out)
    }
    async fn market_sizes(
        &self,
        markets: &[(String, Industry)],
    ) -> Result<HashMap<(String, Industry), u64>, domain::ApiError> {
        self.sized.fetch_add(markets.len(), Relaxed);
        self.store.market_sizes(markets).await
    }
    async fn by_ids(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, CatalogCompany>, domain::ApiError> {
        self.bodies.fetch_add(ids.len(), Relaxed);
        self.store.by_ids(ids).await
    }
    async fn by_names(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, Vec<CatalogCompany>>, domain::ApiError> {
        self.store.by_names(names).await
    }
}

/// The widest preview validation admits: 50 countries (the catalog's and others), an ICP of
/// 5,000 characters of catalog words naming no industry (so every segment of every country).
fn worst_preview_body(companies: &[CatalogCompany]) -> Value {
    const OTHERS: &[&str] = &[
        "Norway",
        "Finland",
        "Iceland",
        "Ireland",
        "Portugal",
        "Belgium",
        "Luxembourg",
        "Czech Republic",
        "Slovakia",
        "Hungary",
        "Slovenia",
        "Croatia",
        "Romania",
        "Bulgaria",
        "Greece",
        "Estonia",
        "Latvia",
        "Lithuania",
        "Canada",
        "Mexico",
        "Brazil",
        "Argentina",
        "Chile",
        "Colombia",
        "Japan",
        "South Korea",
        "Singapore",
        "India",
        "Australia",
        "New Zealand",
        "South Africa",
        "Israel",
        "Turkey",
        "United Arab Emirates",
        "Egypt",
        "Morocco",
        "Kenya",
        "Nigeria",
        "Vietnam",
        "Thailand",
        "Malaysia",
        "Indonesia",
    ];
    let mut countries: Vec<String> = companies.iter().filter_map(|c| c.country.clone()).collect();
    countries.sort();
    countries.dedup();
    countries.extend(OTHERS.iter().map(|c| c.to_string()));
    countries.truncate(50);
    let mut words: Vec<String> = companies
        .iter()
        .filter_map(|c| c.description.as_deref())
        .flat_map(|d| d.split(|ch: char| !ch.is_alphabetic()))
        .filter(|w| w.len() > 4)
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    // Then made-up words up to the limit: each is one more query term to look up and score.
    let made_up = (0..).map(|i| format!("zq{i}"));
    let mut icp = String::from("Growing companies with 50-500 employees");
    for w in words
        .into_iter()
        .filter(|w| Industry::mentioned_in(w).is_empty())
        .chain(made_up)
    {
        if icp.len() + w.len() + 1 > domain::create_order::ICP_MAX {
            break;
        }
        icp.push(' ');
        icp.push_str(&w);
    }
    json!({
        "order_type": "DISCOVERY", "title": "worst", "features": ["COMPANY_DATA", "CONTACTS"],
        "ideal_customer_profile": icp, "seller_offering": "Lead generation",
        "target_countries": countries,
    })
}

/// The worst preview's reads and time: unbounded as before issue 24, then bounded, then cached.
async fn worst_preview(app: &api::app::App, store: &CatalogStore, body: Value) -> Result<()> {
    let caller = auth::Caller {
        key_id: uuid::Uuid::now_v7(),
        tenant_id: "bench-preview".into(),
        scopes: vec![auth::Scope::OrdersRead],
    };
    let order: domain::order::Order = serde_json::from_value(json!({
        "order_id": uuid::Uuid::now_v7(), "tenant_id": "bench", "order_type": "DISCOVERY", "title": "worst",
        "status": "RECEIVED", "priority": "NORMAL", "company_count": 0, "features": body["features"],
        "estimated_cost": null, "prospect_search_id": null, "admin_notes": null, "webhook_url": null,
        "ideal_customer_profile": body["ideal_customer_profile"], "seller_offering": "x",
        "seller_industry": null, "excluded_industries": null, "target_countries": body["target_countries"],
        "target_cities": null, "output_language": "en", "contact_roles": null, "blacklist_ids": [],
        "profile_id": null, "created_at": "2026-01-01T00:00:00.000000Z", "accepted_at": null,
        "completed_at": null, "cancelled_at": null
    }))?;
    let icp = engine::icp::parse(&order);
    let countries = order.target_countries.clone().unwrap_or_default();
    println!(
        "worst preview: {} countries, ICP of {} characters, {} query terms, industries named: {:?}; \
         {} markets named",
        countries.len(),
        body["ideal_customer_profile"].as_str().unwrap_or_default().len(),
        icp.keywords.len(),
        icp.industries,
        markets(&countries, Some(&icp.industries)).len()
    );
    let counted = Counted::new(store);
    let t = Instant::now();
    let found = engine::pipeline::find(&icp, &countries, &counted, &BlacklistIndex::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "  before (unbounded find, all terms): {:.2} s; {}; {} matching (exact)",
        t.elapsed().as_secs_f64(),
        counted.report(),
        found.stats.matching
    );
    drop(found);
    let limits = app.config.preview;
    println!(
        "  bounds: {} markets, {} records, {} query terms, {} previews per key and minute, cache {} s",
        limits.max_markets,
        limits.max_records,
        api::usecases::preview::MAX_KEYWORDS,
        limits.per_minute,
        limits.cache_ttl.as_secs()
    );
    for run in [
        "after (POST /orders/preview's use case)",
        "again (the same body: cache)",
    ] {
        let counted = Counted::new(store);
        let t = Instant::now();
        let api::usecases::Found(answer) =
            api::usecases::preview::preview(app, &caller, &counted, body.clone())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "  {run}: 200 in {:.2} s; {}; {} matching (estimate: {})",
            t.elapsed().as_secs_f64(),
            counted.report(),
            answer["matching_companies"],
            answer["count_is_estimate"]
        );
    }
    Ok(())
}

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
    let config =
        config::Config::from_lookup(|k| p.env.get(k).cloned()).map_err(|e| anyhow::anyhow!(e))?;
    let mut app = api::app::App::wired(config, &sdk, ops::ADAPTERS);
    // The preview's bounds as template.yaml sets them, unless given (to weigh other values).
    let limits = &mut app.config.preview;
    limits.max_markets = ops::measure::arg("--preview-markets", limits.max_markets)?;
    limits.max_records =
        ops::measure::arg("--preview-records", limits.max_records as usize)? as u64;
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
    let worst = worst_preview_body(&companies);
    drop(companies);

    let order: domain::order::Order = serde_json::from_value(serde_json::json!({
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
    let icp = engine::icp::parse(&order);
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
            engine::discovery::discover(&icp, &candidates, &BlacklistIndex::default());
        let ranking = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let out =
            engine::pipeline::discover_order(&order, &store, &BlacklistIndex::default(), &ctx)
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
    worst_preview(&app, &store, worst).await?;
    println!(
        "peak RSS of this process: {:.1} MB (the generated catalog was dropped before the runs)",
        ops::measure::peak_rss_mb()
    );
    Ok(())
}
