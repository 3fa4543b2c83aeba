//! Criterion benchmarks of the discovery engine (figures for the performance report).
//!
//! - `discovery`: hard filters + BM25 + scoring + top-k over the stored feature records of 100k
//!   and 1M generated companies (throughput = catalog companies per second, on one core);
//!   `decode_and_discover` adds decoding each record from its stored bytes, as the catalog does.
//! - `scoring_per_company`: `Facts::of` (once per company, at import), `Features::of` (the whole
//!   record, at import), decoding a stored record, and `assess` alone, per company.
//! - `blacklist`: 10k companies checked against an index of 100k entries.
//! - `enrichment`: 10k submitted companies enriched from a 50k catalog without network features.
//! - `icp_parse`: reading an order's ICP (`parse_parts`), once per order: the guide's example, a
//!   long German ICP with an offer and exclusions, and two of the costliest inputs the 5,000-character
//!   limit allows (every catalog label in one list; German made-up compounds).
//!
//! Run: `cargo bench -p engine --bench engine` (one group: `... -- blacklist`). The 1M discovery
//! case runs 11+ iterations (criterion's minimum of 10 samples plus warm-up), so it dominates.
use catalog_gen::generate;
use criterion::{
    black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use domain::blacklist::MatchKey;
use domain::normalize;
use domain::order::{Feature, Order, OrderStatus, OrderType, Priority, SubmittedCompany};
use engine::blacklist_match::BlacklistIndex;
use engine::catalog::CatalogCompany;
use engine::corpus::Corpus;
use engine::discovery::discover;
use engine::email::{MxLookup, StaticMx};
use engine::enrich::EnrichContext;
use engine::features::Features;
use engine::icp::{parse_parts, Icp};
use engine::pipeline::enrich_submitted;
use engine::ports::{Candidates, MemoryCatalog};
use engine::scoring::{assess, Facts};
use std::cell::OnceCell;
use std::time::Duration;

/// The guide's example ICP.
const ICP_TEXT: &str = "Mid-market SaaS companies in the DACH region with 50-500 employees, \
                        focused on B2B software solutions";
const COUNTRIES: &[&str] = &["Germany", "Austria", "Switzerland"];
const CITIES: &[&str] = &["Berlin", "Munich", "Vienna"];
const EXCLUDED: &[&str] = &["Government", "Non-profit"];

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn guide_icp() -> Icp {
    parse_parts(
        ICP_TEXT,
        &strings(COUNTRIES),
        &strings(CITIES),
        &strings(EXCLUDED),
    )
}

fn discovery(c: &mut Criterion) {
    let icp = guide_icp();
    let none = BlacklistIndex::default();
    // Generated on first use (so a filtered run such as `-- blacklist` skips it) and only once:
    // `generate` draws from one RNG stream in order, so the first 100k of the 1M catalog are
    // exactly `generate(100_000, 1)`.
    let catalog: OnceCell<Vec<Features>> = OnceCell::new();
    let mut group = c.benchmark_group("discovery");
    group.sampling_mode(SamplingMode::Flat);
    // Measurement times are kept short on purpose: at today's speed criterion warns that it needs
    // longer and runs its minimum (warm-up + 10 iterations); if the engine gets faster, the run
    // stays bounded instead of filling a long target time.
    group.warm_up_time(Duration::from_secs(1));
    for (n, samples, secs) in [(100_000usize, 10, 20), (1_000_000, 10, 60)] {
        group.sample_size(samples);
        group.measurement_time(Duration::from_secs(secs));
        group.throughput(Throughput::Elements(n as u64));
        let reported = OnceCell::new();
        let candidates = OnceCell::new();
        group.bench_function(BenchmarkId::new("discover", n), |b| {
            // The corpus statistics come with the records, as the catalog's stored ones do.
            let slice = candidates.get_or_init(|| {
                let all = catalog
                    .get_or_init(|| generate(1_000_000, 1).iter().map(Features::of).collect());
                Candidates::counted(all[..n].to_vec(), &icp.keywords)
            });
            // Once, and only for the smaller catalog (a 1M run costs a minute).
            reported.get_or_init(|| {
                if n > 100_000 {
                    return;
                }
                let (selected, stats) = discover(&icp, slice, &none);
                eprintln!(
                    "discovery n={n}: {} selected, best score {:?}, {stats:?}",
                    selected.len(),
                    selected.first().map(|r| r.assessment.score)
                );
            });
            b.iter(|| discover(&icp, black_box(slice), &none))
        });
    }
    // Encoded on first use too: a run filtered to another group generates nothing.
    let stored: OnceCell<(Vec<Vec<u8>>, Corpus)> = OnceCell::new();
    let n = 100_000;
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new("decode_and_discover", n), |b| {
        let (stored, corpus) = stored.get_or_init(|| {
            let records = &catalog
                .get_or_init(|| generate(1_000_000, 1).iter().map(Features::of).collect())[..n];
            (
                records.iter().map(Features::encode).collect(),
                Corpus::of(records.iter().map(|r| &r.doc), &icp.keywords),
            )
        });
        b.iter(|| {
            let records: Vec<Features> = black_box(stored)
                .iter()
                .filter_map(|bytes| Features::decode(bytes))
                .collect();
            let candidates = Candidates {
                records,
                corpus: corpus.clone(),
            };
            discover(&icp, &candidates, &none)
        })
    });
    group.finish();
}

fn scoring_per_company(c: &mut Criterion) {
    let icp = guide_icp();
    let companies = generate(10_000, 2);
    let facts: Vec<Facts> = companies.iter().map(Facts::of).collect();
    let mut group = c.benchmark_group("scoring_per_company");
    group.warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(companies.len() as u64));
    // `Facts::of` costs tens of microseconds per company, `assess` tens of nanoseconds.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("facts_of", |b| {
        b.iter(|| {
            black_box(&companies)
                .iter()
                .map(Facts::of)
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("features_of", |b| {
        b.iter(|| {
            black_box(&companies)
                .iter()
                .map(Features::of)
                .collect::<Vec<_>>()
        })
    });
    let stored: Vec<Vec<u8>> = companies.iter().map(|c| Features::of(c).encode()).collect();
    eprintln!(
        "feature records: {:.0} bytes on average (companies as JSON: {:.0})",
        stored.iter().map(Vec::len).sum::<usize>() as f64 / stored.len() as f64,
        companies
            .iter()
            .map(|c| serde_json::to_vec(c).map(|v| v.len()).unwrap_or(0))
            .sum::<usize>() as f64
            / companies.len() as f64
    );
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("decode_features", |b| {
        b.iter(|| {
            black_box(&stored)
                .iter()
                .filter_map(|bytes| Features::decode(bytes))
                .count()
        })
    });
    group.bench_function("assess", |b| {
        b.iter(|| {
            black_box(&facts)
                .iter()
                .map(|f| assess(&icp, f, 0.5, Vec::new()).score as u64)
                .sum::<u64>()
        })
    });
    group.finish();
}

/// 100k entries: 80% domain keys, 20% name keys with city and country. The generator reuses a few
/// hundred names, so name keys get a distinct suffix (blacklisted companies mostly have distinct
/// names); 1,000 domain keys and 250 name keys are companies of `checked`, so some checks hit.
fn blacklist_index(checked: &[CatalogCompany]) -> BlacklistIndex {
    let source = generate(100_000, 22);
    let mut index = BlacklistIndex::default();
    let mut domain_hits = checked.iter().step_by(10);
    let mut name_hits = checked.iter().skip(5).step_by(40);
    for (i, c) in source.iter().enumerate() {
        if i % 5 == 4 {
            let (name, from) = match name_hits.next() {
                Some(hit) => (hit.name.clone(), hit),
                None => (format!("{} {i}", c.name), c),
            };
            index.insert(MatchKey::Name {
                name: normalize::company_name(&name),
                city: from.city.as_deref().map(normalize::city),
                country: from.country.as_deref().map(normalize::country),
            });
        } else {
            let from = domain_hits.next().unwrap_or(c);
            index.insert(MatchKey::Domain {
                domain: from
                    .domain
                    .clone()
                    .expect("generated companies have domains"),
            });
        }
    }
    index
}

fn blacklist(c: &mut Criterion) {
    let companies = generate(10_000, 21);
    let index = blacklist_index(&companies);
    let checked: Vec<Features> = companies.iter().map(Features::of).collect();
    let hits = checked.iter().filter(|c| index.matches(c)).count();
    eprintln!(
        "blacklist: {} entries, {hits} of {} companies match",
        index.len(),
        checked.len()
    );
    let mut group = c.benchmark_group("blacklist");
    group.sample_size(50);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(checked.len() as u64));
    group.bench_function("check_10k_against_100k", |b| {
        b.iter(|| {
            black_box(&checked)
                .iter()
                .filter(|c| index.matches(c))
                .count()
        })
    });
    group.finish();
}

fn enrichment_order() -> Order {
    Order {
        order_id: uuid::Uuid::now_v7(),
        tenant_id: "bench".into(),
        order_type: OrderType::Enrichment,
        title: "bench".into(),
        status: OrderStatus::InProgress,
        priority: Priority::Normal,
        company_count: 10_000,
        features: vec![
            Feature::CompanyData,
            Feature::Contacts,
            Feature::Analysis,
            Feature::EmailDiscovery,
        ],
        estimated_cost: None,
        prospect_search_id: None,
        admin_notes: None,
        webhook_url: None,
        ideal_customer_profile: Some(ICP_TEXT.into()),
        seller_offering: Some("Lead generation".into()),
        seller_industry: None,
        excluded_industries: Some(strings(EXCLUDED)),
        target_countries: Some(strings(COUNTRIES)),
        target_cities: Some(strings(CITIES)),
        output_language: Some("en".into()),
        contact_roles: Some(strings(&["CTO", "Head of Sales"])),
        blacklist_ids: vec![],
        profile_id: None,
        created_at: "2026-01-01T00:00:00.000000Z".into(),
        accepted_at: None,
        completed_at: None,
        cancelled_at: None,
        result_count: 0,
        next_batch: 0,
        planned_batches: None,
        warnings: Vec::new(),
        lookalike_domains: None,
        exclude_delivered: false,
        excluded_delivered_count: None,
        delivered_recorded: 0,
    }
}

/// 10k submissions: half by website, a quarter by name + city + country, a quarter unknown.
fn submissions(catalog: &[CatalogCompany]) -> Vec<SubmittedCompany> {
    (0..10_000usize)
        .map(|i| {
            let c = &catalog[(i * 7919) % catalog.len()];
            let external_id = format!("crm-{i}");
            match i % 4 {
                0 | 1 => SubmittedCompany {
                    external_id,
                    company_name: None,
                    website_url: Some(format!(
                        "https://www.{}/about",
                        c.domain.as_deref().expect("generated")
                    )),
                    city: None,
                    country: None,
                },
                2 => SubmittedCompany {
                    external_id,
                    company_name: Some(c.name.clone()),
                    website_url: None,
                    city: c.city.clone(),
                    country: c.country.clone(),
                },
                _ => SubmittedCompany {
                    external_id,
                    company_name: Some(format!("Unknown Widgets {i} GmbH")),
                    website_url: Some(format!("https://unknown-widgets-{i}.de")),
                    city: Some("Berlin".into()),
                    country: Some("DE".into()),
                },
            }
        })
        .collect()
}

fn enrichment(c: &mut Criterion) {
    let rows = generate(50_000, 3);
    let submitted = submissions(&rows);
    // Every domain, catalog or not, has a mail exchanger: no DNS.
    let resolver = StaticMx(
        rows.iter()
            .filter_map(|c| c.domain.clone())
            .chain((0..10_000).map(|i| format!("unknown-widgets-{i}.de")))
            .map(|d| {
                let mx = format!("mx.{d}");
                (d, MxLookup::Found(vec![mx]))
            })
            .collect(),
    );
    let catalog = MemoryCatalog::new(rows);
    let ctx = EnrichContext {
        resolver: &resolver,
        fetcher: None,
    };
    let order = enrichment_order();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    let results = rt
        .block_on(enrich_submitted(&order, &submitted, &catalog, &ctx))
        .expect("enrichment");
    let prospects: usize = results.iter().map(|r| r.prospects.len()).sum();
    let emails: usize = results
        .iter()
        .flat_map(|r| &r.prospects)
        .filter(|p| p.email.is_some())
        .count();
    eprintln!(
        "enrichment: {} results, {} with description (matched), {prospects} prospects, {emails} emails",
        results.len(),
        results.iter().filter(|r| r.description.is_some()).count()
    );
    drop(results);
    let mut group = c.benchmark_group("enrichment");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(submitted.len() as u64));
    group.bench_function("enrich_10k_submitted", |b| {
        b.iter(|| {
            rt.block_on(enrich_submitted(
                &order,
                black_box(&submitted),
                &catalog,
                &ctx,
            ))
            .expect("enrichment")
        })
    });
    group.finish();
}

/// Every catalog label, the segments in turn (each segment's first label, then each one's second,
/// ...), joined into one ICP of at most `ICP_MAX` characters: every segment is wanted, and each
/// of its labels is read against hundreds of distinct words (`named_labels`).
fn every_label_icp() -> String {
    let segments = engine::taxonomy::SEGMENTS.iter();
    let most = segments.clone().map(|s| s.labels.len()).max().unwrap_or(0);
    let mut text = String::from("We sell to ");
    for label in (0..most).flat_map(|i| segments.clone().filter_map(move |s| s.labels.get(i))) {
        if text.len() + label.len() + 2 > domain::create_order::ICP_MAX {
            break;
        }
        text.push_str(label);
        text.push_str(", ");
    }
    text
}

/// Word pieces German compounds are made of, joined without spaces into words nobody listed: the
/// German reader tries every split of each.
const COMPOUND_PIECES: &[&str] = &[
    "bau",
    "bauer",
    "werk",
    "zeug",
    "stoff",
    "technik",
    "anlagen",
    "handel",
    "haus",
    "dienst",
    "industrie",
    "mittel",
];

/// `pieces` cycled (with a stride, so words differ) into words of `word_len` characters, up to
/// `ICP_MAX` characters.
fn made_up_words(head: &str, pieces: &[&str], word_len: usize) -> String {
    let mut text = head.to_string();
    let mut i = 0;
    loop {
        let mut word = String::new();
        while word.len() < word_len {
            word.push_str(pieces[i % pieces.len()]);
            i += 7;
        }
        if text.len() + word.len() + 1 > domain::create_order::ICP_MAX {
            return text;
        }
        text.push_str(&word);
        text.push(' ');
        i += 1;
    }
}

fn icp_parse(c: &mut Criterion) {
    let long_de = "Wir verkaufen eine Plattform für Lieferantenmanagement inkl. Qualitätsprüfung \
                   und suchen mittelständische Hersteller in Deutschland, Österreich und der Schweiz: \
                   Maschinen- und Anlagenbauer, Kunststoffverarbeiter, Automobilzulieferer, \
                   Elektronikfertiger sowie Lebensmittel- und Getränkehersteller mit eigener \
                   Produktion. Kein Interesse an Händlern, Beratungen oder Behörden.";
    let cases = [
        (
            "guide_en",
            ICP_TEXT.to_string(),
            strings(COUNTRIES),
            strings(EXCLUDED),
        ),
        (
            "long_de",
            long_de.to_string(),
            strings(&["Deutschland", "Österreich", "Schweiz"]),
            strings(&["Rüstung", "Tabakwaren", "Glücksspiel"]),
        ),
        (
            "every_label_en",
            every_label_icp(),
            strings(&["USA"]),
            strings(&["Government"]),
        ),
        (
            "made_up_compounds_de",
            made_up_words("Hersteller von ", COMPOUND_PIECES, 40),
            strings(&["Deutschland"]),
            Vec::new(),
        ),
    ];
    let mut group = c.benchmark_group("icp_parse");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (name, text, countries, excluded) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| parse_parts(black_box(text), countries, &[], excluded))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    icp_parse,
    scoring_per_company,
    blacklist,
    enrichment,
    discovery
);
criterion_main!(benches);
