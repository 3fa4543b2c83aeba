//! bench-blacklist: a blacklist of many entries in the local stack, paged deep and read by a
//! discovery preview, with the reads and the memory each costs (issue 24, finding 2).
//!
//!   cargo run --release -p ops --bin bench-blacklist -- [--entries 100000] [--companies 3000]
//!
//! Starts its own emulator, provisions template.yaml, adds the entries through the store's own
//! path (transactions of 99 with the counted `entry_count`), then measures, each on its own:
//! - a page of 100 entries at offsets 0, 5,000 and 10,000 (the documented maximum), as the store
//!   reads it now and, for comparison, as it read it before (a COUNT of the whole partition,
//!   then every item up to offset + limit held and skipped);
//! - the blacklist read for discovery and the preview: now (match keys only, page by page, into
//!   the matcher) and before (every entry decoded into a list, then the matcher);
//! - a whole preview naming the blacklist, against a generated market of `--companies`.
//!
//! `--skip-before` leaves the old algorithm out; `--endpoint URL --blacklist ID` measures a
//! stack an earlier run filled (tenant `bench-blacklist`) instead of starting one.
//!
//! Reads: DynamoDB calls and the items they evaluated (an interceptor on the client), and what
//! they would cost on AWS (0.5 read unit per 4 KB evaluated by an eventually consistent query, 1
//! per 4 KB of a consistent item read). Memory: the heap's peak during the step above what was
//! live before it (a counting allocator), and what the step keeps.
use anyhow::{anyhow, Result};
use aws_sdk_dynamodb::config::interceptors::FinalizerInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::operation::get_item::GetItemOutput;
use aws_sdk_dynamodb::operation::query::QueryOutput;
use aws_sdk_dynamodb::types::{AttributeValue, Select};
use domain::blacklist::{Blacklist, BlacklistEntry, MatchKey, NewEntry};
use domain::paging::Page;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;
use store::{keys, Dynamo, Item};

/// The system allocator, counting live bytes and their peak.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now =
                    LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

/// The preview's and the discovery's ICP.
const ICP: &str = "B2B software companies with 20-500 employees, growing, cloud and HR software";

#[global_allocator]
static ALLOC: Counting = Counting;

/// DynamoDB calls and the items they evaluated (`ScannedCount`; 1 per item read by key).
#[derive(Debug, Default)]
struct Reads {
    calls: AtomicU64,
    queries: AtomicU64,
    evaluated: AtomicU64,
    /// Keys asked of `BatchGetItem` (each charged as one item read, found or not).
    keyed: AtomicU64,
}

#[derive(Debug)]
struct Counter(Arc<Reads>);

impl Intercept for Counter {
    fn name(&self) -> &'static str {
        "bench-reads"
    }
    fn read_before_serialization(
        &self,
        context: &aws_sdk_dynamodb::config::interceptors::BeforeSerializationInterceptorContextRef<
            '_,
        >,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        if let Some(b) = context
            .input()
            .downcast_ref::<aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemInput>(
        ) {
            let keys: usize = b
                .request_items()
                .into_iter()
                .flat_map(|m| m.values())
                .map(|k| k.keys().len())
                .sum();
            self.0.keyed.fetch_add(keys as u64, Relaxed);
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        self.0.calls.fetch_add(1, Relaxed);
        if let Some(Ok(out)) = context.output_or_error() {
            if let Some(q) = out.downcast_ref::<QueryOutput>() {
                self.0.queries.fetch_add(1, Relaxed);
                self.0
                    .evaluated
                    .fetch_add(q.scanned_count() as u64, Relaxed);
            } else if let Some(g) = out.downcast_ref::<GetItemOutput>() {
                self.0
                    .evaluated
                    .fetch_add(g.item().is_some() as u64, Relaxed);
            }
        }
        Ok(())
    }
}

/// DynamoDB's size of an item: names plus values (strings and numbers by their length).
fn item_size(item: &Item) -> usize {
    fn value(v: &AttributeValue) -> usize {
        match v {
            AttributeValue::S(s) | AttributeValue::N(s) => s.len(),
            AttributeValue::M(m) => {
                3 + m.iter().map(|(k, v)| k.len() + value(v) + 1).sum::<usize>()
            }
            AttributeValue::L(l) => 3 + l.iter().map(|v| value(v) + 1).sum::<usize>(),
            _ => 1,
        }
    }
    item.iter().map(|(k, v)| k.len() + value(v)).sum()
}

struct Step {
    name: String,
    seconds: f64,
    calls: u64,
    queries: u64,
    evaluated: u64,
    keyed: u64,
    peak_mb: f64,
    kept_mb: f64,
}

async fn measure<T, F: std::future::Future<Output = Result<T>>>(
    name: &str,
    reads: &Reads,
    f: impl FnOnce() -> F,
) -> Result<(T, Step)> {
    let before = (
        reads.calls.load(Relaxed),
        reads.queries.load(Relaxed),
        reads.evaluated.load(Relaxed),
        reads.keyed.load(Relaxed),
    );
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let t = Instant::now();
    let out = f().await?;
    let seconds = t.elapsed().as_secs_f64();
    let mb = |b: usize| b as f64 / 1e6;
    let step = Step {
        name: name.into(),
        seconds,
        calls: reads.calls.load(Relaxed) - before.0,
        queries: reads.queries.load(Relaxed) - before.1,
        evaluated: reads.evaluated.load(Relaxed) - before.2,
        keyed: reads.keyed.load(Relaxed) - before.3,
        peak_mb: mb(PEAK.load(Relaxed).saturating_sub(base)),
        kept_mb: mb(LIVE.load(Relaxed).saturating_sub(base)),
    };
    Ok((out, step))
}

fn print(step: &Step, entry_bytes: usize) {
    // Each query page is charged on what it evaluated, rounded up to 4 KB; spread evenly.
    let bytes = step.evaluated as f64 * entry_bytes as f64;
    // A key looked up is one item read, rounded up to 4 KB: 0.5 RRU, found or not.
    let rru = (bytes / 4096.0).ceil() * 0.5 + step.queries as f64 * 0.5 + step.keyed as f64 * 0.5;
    println!(
        "| {} | {:.2} | {} ({} queries) | {} + {} keys | {:.0} | {:.2} | {:.2} |",
        step.name,
        step.seconds,
        step.calls,
        step.queries,
        step.evaluated,
        step.keyed,
        rru,
        step.peak_mb,
        step.kept_mb
    );
}

/// The page as the store read it before: a COUNT of the partition, then items up to
/// offset + limit, held, and skipped.
async fn page_before(db: &Dynamo, pk: &str, page: Page) -> Result<(usize, Vec<BlacklistEntry>)> {
    let query = || {
        db.client
            .query()
            .table_name(&db.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", AttributeValue::S(pk.into()))
            .expression_attribute_values(":p", AttributeValue::S("ENTRY#".into()))
    };
    let mut total = 0usize;
    let mut start: Option<Item> = None;
    loop {
        let out = query()
            .select(Select::Count)
            .set_exclusive_start_key(start.take())
            .send()
            .await?;
        total += out.count() as usize;
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => break,
        }
    }
    let want = page.offset + page.limit;
    let mut seen = Vec::new();
    loop {
        let out = query().set_exclusive_start_key(start.take()).send().await?;
        seen.extend(out.items.unwrap_or_default());
        if seen.len() >= want {
            break;
        }
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => break,
        }
    }
    let items = seen
        .into_iter()
        .skip(page.offset)
        .take(page.limit)
        .map(store::from_item)
        .collect::<Result<Vec<BlacklistEntry>, _>>()
        .map_err(|e| anyhow!("{e}"))?;
    Ok((total, items))
}

/// The blacklist as discovery read it before: every entry decoded, then the matcher.
async fn index_before(db: &Dynamo, pk: &str) -> Result<engine::blacklist_match::BlacklistIndex> {
    let mut all: Vec<BlacklistEntry> = Vec::new();
    let mut start: Option<Item> = None;
    loop {
        let out = db
            .client
            .query()
            .table_name(&db.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
            .expression_attribute_values(":pk", AttributeValue::S(pk.into()))
            .expression_attribute_values(":p", AttributeValue::S("ENTRY#".into()))
            .set_exclusive_start_key(start.take())
            .send()
            .await?;
        for item in out.items.unwrap_or_default() {
            all.push(store::from_item(item).map_err(|e| anyhow!("{e}"))?);
        }
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => break,
        }
    }
    Ok(engine::blacklist_match::BlacklistIndex::new(all))
}

fn entry(i: usize) -> NewEntry {
    // Nine in ten by website, one in ten by name with a city and country, as partners upload them.
    let (company_name, website_url, city, country) = if i % 10 == 9 {
        (
            Some(format!("Beispiel Handel {i} GmbH")),
            None,
            Some("Berlin".to_string()),
            Some("Germany".to_string()),
        )
    } else {
        (
            Some(format!("Customer {i}")),
            Some(format!("https://www.customer-{i}.de/")),
            None,
            None,
        )
    };
    let key = match &website_url {
        Some(url) => MatchKey::Domain {
            domain: domain::normalize::registrable_domain(url).unwrap_or_default(),
        },
        None => MatchKey::Name {
            name: domain::normalize::company_name(company_name.as_deref().unwrap_or_default()),
            city: city.as_deref().map(domain::normalize::city),
            country: country.as_deref().map(domain::normalize::country),
        },
    };
    NewEntry {
        company_name,
        website_url,
        city,
        country,
        key,
    }
}

/// `--name VALUE` from the command line.
fn text_arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

#[tokio::main]
async fn main() -> Result<()> {
    let n = ops::measure::arg("--entries", 100_000)?;
    let companies = ops::measure::arg("--companies", 3_000)?;
    // `--endpoint URL --blacklist ID`: a stack this bench filled before (the local names of the
    // template's tables), measured again without adding anything.
    let attach = text_arg("--endpoint").zip(text_arg("--blacklist"));
    let skip_before = ops::measure::flag("--skip-before");
    let (_emulator, sdk, env) = match &attach {
        Some((endpoint, _)) => {
            let env: std::collections::BTreeMap<String, String> = [
                ("TABLE_NAME", "MainTable"),
                ("CATALOG_TABLE_NAME", "CatalogTable"),
                ("CATALOG_FEATURES_TABLE_NAME", "CatalogFeaturesTable"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            (None, ops::sdk_for(endpoint).await, env)
        }
        None => {
            let emulator = ops::emulator::Emulator::start()?;
            let sdk = ops::sdk_for(&emulator.endpoint).await;
            let template = ops::template::Template::load_default()?;
            let p = ops::provision::provision(&sdk, &template, &ops::provision::local_parameters())
                .await?;
            (Some(emulator), sdk, p.env)
        }
    };
    let reads = Arc::new(Reads::default());
    let client = aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::config::Builder::from(&sdk)
            .interceptor(Counter(reads.clone()))
            .build(),
    );
    let mut config =
        config::Config::from_lookup(|k| env.get(k).cloned()).map_err(|e| anyhow!(e))?;
    config.aws.operation = std::time::Duration::from_secs(90);
    config.aws.attempt = std::time::Duration::from_secs(30);
    // Room for the market's companies on top of the entries.
    config.limits.max_blacklist_entries = config.limits.max_blacklist_entries.max(n + companies);
    let db = Dynamo::new(client, env["TABLE_NAME"].clone()).with_limits(config.limits);
    let mut app = api::app::App::new(config, &sdk);
    app.db = db.clone();

    let tenant = "bench-blacklist";
    let t = Instant::now();
    let bl = match &attach {
        Some((_, id)) => db
            .get_blacklist(tenant, id.parse()?)
            .await
            .map_err(|e| anyhow!("{e}"))?
            .ok_or_else(|| anyhow!("no blacklist {id} of {tenant}"))?,
        None => {
            let now = domain::clock::now_string();
            let bl = Blacklist {
                id: uuid::Uuid::now_v7(),
                name: "bench".into(),
                description: None,
                entry_count: 0,
                created_at: now.clone(),
                updated_at: now,
            };
            db.create_blacklist(tenant, &bl)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            for from in (0..n).step_by(1000) {
                let chunk: Vec<NewEntry> = (from..(from + 1000).min(n)).map(entry).collect();
                db.add_entries(tenant, bl.id, chunk)
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
            }
            bl
        }
    };
    let stored = db
        .get_blacklist(tenant, bl.id)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .map(|b| b.entry_count);
    // What is stored (an attached stack may hold more than `--entries`).
    let n = stored.map_or(n, |c| c as usize);
    println!(
        "added {n} entries in {:.1} s (entry_count {stored:?}); load average {}",
        t.elapsed().as_secs_f64(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let pk = keys::blacklist_entries(tenant, bl.id);
    let sample = db
        .client
        .query()
        .table_name(&db.table)
        .key_condition_expression("PK = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(pk.clone()))
        .limit(200)
        .send()
        .await?;
    let sizes: Vec<usize> = sample.items().iter().map(item_size).collect();
    let entry_bytes = sizes.iter().sum::<usize>() / sizes.len().max(1);
    println!(
        "an entry item is ~{entry_bytes} bytes; RRU below assume it for every item evaluated\n"
    );

    println!("| step | seconds | DynamoDB calls | items evaluated | RRU on AWS | heap peak MB | heap kept MB |");
    println!("|---|---|---|---|---|---|---|");
    for offset in [0, 5_000, 10_000] {
        let page = Page { limit: 100, offset };
        let ((items, total), step) = measure(
            &format!("page of 100 at offset {offset}, now"),
            &reads,
            || async {
                db.list_entries(tenant, bl.id, page)
                    .await
                    .map_err(|e| anyhow!("{e}"))
            },
        )
        .await?;
        assert_eq!((items.len(), total), (100.min(n.saturating_sub(offset)), n));
        print(&step, entry_bytes);
    }
    let before_offsets = if skip_before {
        vec![]
    } else {
        vec![0, 5_000, 10_000, n.saturating_sub(100)]
    };
    for offset in before_offsets {
        let page = Page { limit: 100, offset };
        let ((total, items), step) = measure(
            &format!("page of 100 at offset {offset}, before"),
            &reads,
            || page_before(&db, &pk, page),
        )
        .await?;
        assert_eq!((items.len(), total), (100.min(n.saturating_sub(offset)), n));
        print(&step, entry_bytes);
    }
    let (index, step) = measure(
        "blacklist read for discovery/preview, now",
        &reads,
        || async {
            api::usecases::blacklists::exclusions(&db, tenant, &[bl.id])
                .await
                .map_err(|e| anyhow!("{e}"))
        },
    )
    .await?;
    assert_eq!(index.len(), n);
    print(&step, entry_bytes);
    drop(index);
    if !skip_before {
        let (index, step) = measure(
            "blacklist read for discovery/preview, before",
            &reads,
            || index_before(&db, &pk),
        )
        .await?;
        assert_eq!(index.len(), n);
        print(&step, entry_bytes);
        drop(index);
    }

    // A whole preview: a generated market, and the blacklist naming some of its companies.
    let mut generated = catalog_gen::generate(companies, 41);
    for co in generated.iter_mut() {
        co.country = Some("Estonia".into());
        co.city = Some("Tallinn".into());
    }
    let catalog =
        store::catalog::CatalogStore::of(&app.config, &app.db).map_err(|e| anyhow!("{e}"))?;
    catalog.put(&generated).await.map_err(|e| anyhow!("{e}"))?;
    let blacklisted: Vec<NewEntry> = generated
        .iter()
        .step_by(10)
        .filter_map(|c| c.website_url.clone())
        .map(|url| NewEntry {
            key: MatchKey::Domain {
                domain: domain::normalize::registrable_domain(&url).unwrap_or_default(),
            },
            company_name: None,
            website_url: Some(url),
            city: None,
            country: None,
        })
        .collect();
    let added = db
        .add_entries(tenant, bl.id, blacklisted)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let caller = auth::Caller {
        key_id: uuid::Uuid::now_v7(),
        tenant_id: tenant.into(),
        scopes: vec![auth::Scope::OrdersRead],
    };
    let body = |with: bool| {
        let mut b = serde_json::json!({
            "order_type": "DISCOVERY", "title": "bench", "features": ["COMPANY_DATA"],
            "ideal_customer_profile": ICP,
            "seller_offering": "Lead generation", "target_countries": ["Estonia"]
        });
        if with {
            b["blacklist_ids"] = serde_json::json!([bl.id]);
        }
        b
    };
    for with in [false, true] {
        let name = if with {
            format!(
                "preview over {companies} companies, blacklist of {} entries",
                n + added.as_ref().map_or(0, |a| a.added)
            )
        } else {
            format!("preview over {companies} companies, no blacklist")
        };
        let (answer, step) = measure(&name, &reads, || async {
            api::usecases::preview::preview(&app, &caller, &catalog, body(with))
                .await
                .map_err(|e| anyhow!("{e}"))
        })
        .await?;
        print(&step, entry_bytes);
        println!(
            "|  (matching_companies {}) | | | | | | |",
            answer.0["matching_companies"]
        );
    }
    // Discovery as the plan task runs it (every candidate of the ICP's markets, no budget), the
    // blacklist read as it chooses (`usecases::blacklists::strategy`), and, unless
    // `--skip-before`, read whole first as before.
    let icp = engine::icp::parse_parts(ICP, &["Estonia".to_string()], &[], &[]);
    let countries = ["Estonia".to_string()];
    let n_now = n + added.as_ref().map_or(0, |a| a.added);
    let (found, step) = measure(
        &format!("discovery over {companies} companies, blacklist of {n_now} entries, now"),
        &reads,
        || async {
            let mut exclusions = api::usecases::blacklists::Exclusions::of(&db, tenant, &[bl.id])
                .await
                .map_err(|e| anyhow!("{e}"))?;
            engine::pipeline::find_excluding(&icp, &countries, &catalog, &mut exclusions, None)
                .await
                .map_err(|e| anyhow!("{e}"))
        },
    )
    .await?;
    print(&step, entry_bytes);
    println!(
        "|  ({} candidates, {} blacklisted, {} selected) | | | | | | |",
        found.candidates,
        found.stats.blacklisted,
        found.selected.len()
    );
    if !skip_before {
        let (found, step) = measure(
            &format!("discovery over {companies} companies, blacklist of {n_now} entries, before (read whole)"),
            &reads,
            || async {
                let index = api::usecases::blacklists::exclusions(&db, tenant, &[bl.id])
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
                engine::pipeline::find(&icp, &countries, &catalog, &index)
                    .await
                    .map_err(|e| anyhow!("{e}"))
            },
        )
        .await?;
        print(&step, entry_bytes);
        println!(
            "|  ({} candidates, {} blacklisted, {} selected) | | | | | | |",
            found.candidates,
            found.stats.blacklisted,
            found.selected.len()
        );
    }
    println!("\nprocess peak RSS {:.0} MB", ops::measure::peak_rss_mb());
    Ok(())
}
