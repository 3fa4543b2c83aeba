//! bench-index: the other way to retrieve candidates (infra/README.md, "Discovery at scale"): one
//! object per market on S3 holding every feature record of the market, built by the import job and
//! read whole by discovery. Measured on the same generated catalog and ICP as bench-discovery, with
//! S3 in the local emulator (path-style HTTP, as moto serves it), so the two can be compared.
//!
//!   cargo run --release -p ops --bin bench-index -- [--companies 1000000]
//!
//! Prints the build (records grouped and written per market), then for the guide's DACH SaaS ICP
//! three runs of: the objects read (count, MB, wall time), decoding and ranking them, and what the
//! same reads would cost and take on AWS at 10x and 100x (`project`).
use anyhow::{ensure, Result};
use engine::blacklist_match::BlacklistIndex;
use engine::features::Features;
use engine::icp::parse_parts;
use engine::ports::{markets, Candidates};
use futures::{StreamExt, TryStreamExt};
use std::collections::BTreeMap;
use std::time::Instant;
use store::catalog::market_key;

/// Objects read at once.
const PARALLEL_GETS: usize = 8;

/// Records of one market, each as `u32` length + `Features::encode`.
fn pack(records: &[Features]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        let bytes = r.encode();
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&bytes);
    }
    out
}

fn unpack(mut bytes: &[u8]) -> Vec<Features> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        let Some(record) = bytes.get(4..4 + len) else {
            break;
        };
        out.extend(Features::decode(record));
        bytes = &bytes[4 + len..];
    }
    out
}

/// S3 on AWS: $0.0004 per 1,000 GETs (us-east-1, standard); about 90 MB/s per connection, so one
/// object per market read with 8 ranged GETs at once (`PARALLEL_GETS`) streams ~700 MB/s into a
/// Lambda of enough memory (AWS's published per-connection and per-prefix figures).
fn project(n: usize, objects: usize, bytes: usize, ranking: f64) {
    const GET_PRICE: f64 = 0.0004 / 1000.0;
    const CONNECTION_BYTES_PER_S: f64 = 90e6;
    const RANGE: f64 = 8e6;
    for scale in [1usize, 10, 100] {
        let bytes = (bytes * scale) as f64;
        let gets = (bytes / RANGE).ceil().max(objects as f64);
        println!(
            "  at {:>9} companies: {:>7.1} MB in {objects} objects, {gets:>5.0} GETs = ${:.5}; \
             reads >= {:.2} s at 8 connections; ranking ~{:.2} s on one core",
            n * scale,
            bytes / 1e6,
            gets * GET_PRICE,
            bytes / (CONNECTION_BYTES_PER_S * PARALLEL_GETS as f64),
            ranking * scale as f64,
        );
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let n = ops::measure::arg("--companies", 1_000_000)?;
    let emulator = ops::emulator::Emulator::start()?;
    let http = reqwest::Client::new();
    let bucket = format!("{}/catalog-index", emulator.endpoint);
    ensure!(
        http.put(&bucket).send().await?.status().is_success(),
        "bucket"
    );

    let t = Instant::now();
    let mut by_market: BTreeMap<String, Vec<Features>> = BTreeMap::new();
    for c in catalog_gen::generate(n, 1) {
        let f = Features::of(&c);
        let market = market_key(c.country.as_deref().unwrap_or_default(), f.facts.industry);
        by_market.entry(market).or_default().push(f);
    }
    let features = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let objects: Vec<(String, Vec<u8>)> = by_market
        .iter()
        .map(|(market, records)| (market.clone(), pack(records)))
        .collect();
    let written: usize = objects.iter().map(|(_, b)| b.len()).sum();
    futures::stream::iter(objects)
        .map(|(market, body)| {
            let url = format!("{bucket}/{}", market.replace('#', "/"));
            let http = http.clone();
            // Unsigned requests (the emulator does not check signatures) read only public objects.
            async move {
                http.put(url)
                    .header("x-amz-acl", "public-read")
                    .body(body)
                    .send()
                    .await?
                    .error_for_status()
            }
        })
        .buffer_unordered(PARALLEL_GETS)
        .try_collect::<Vec<_>>()
        .await?;
    println!(
        "built {} market objects of {n} companies: features {features:.1} s, packed and written \
         {:.1} MB in {:.1} s",
        by_market.len(),
        written as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    drop(by_market);

    let countries: Vec<String> = ["Germany", "Austria", "Switzerland"]
        .map(String::from)
        .to_vec();
    let icp = parse_parts(
        "Mid-market SaaS companies in the DACH region with 50-500 employees, focused on B2B software solutions",
        &countries,
        &["Berlin", "Munich", "Vienna"].map(String::from),
        &["Government", "Non-profit"].map(String::from),
    );
    let wanted: Vec<String> = markets(&countries, Some(&icp.industries))
        .into_iter()
        .map(|(country, bucket)| market_key(&country, bucket))
        .collect();
    for run in 1..=3 {
        let t = Instant::now();
        let blobs: Vec<Vec<u8>> = futures::stream::iter(wanted.clone())
            .map(|market| {
                let url = format!("{bucket}/{}", market.replace('#', "/"));
                let http = http.clone();
                async move {
                    let r = http.get(url).send().await?;
                    if r.status() == reqwest::StatusCode::NOT_FOUND {
                        return Ok(Vec::new());
                    }
                    Ok::<_, reqwest::Error>(r.error_for_status()?.bytes().await?.to_vec())
                }
            })
            .buffered(PARALLEL_GETS)
            .try_collect()
            .await?;
        let read = t.elapsed().as_secs_f64();
        let bytes: usize = blobs.iter().map(Vec::len).sum();
        let objects = blobs.iter().filter(|b| !b.is_empty()).count();
        let t = Instant::now();
        let records: Vec<Features> = blobs.iter().flat_map(|b| unpack(b)).collect();
        // An index would store its markets' statistics; counting them here costs the same scan.
        let candidates = Candidates::counted(records, &icp.keywords);
        let decode = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (selected, _) =
            engine::discovery::discover(&icp, &candidates, &BlacklistIndex::default());
        let ranking = t.elapsed().as_secs_f64();
        println!(
            "run {run}: read {objects} objects, {} records ({:.1} % of the catalog, {:.1} MB) in \
             {read:.2} s; decoding {decode:.3} s; ranking {ranking:.3} s ({} selected)",
            candidates.records.len(),
            100.0 * candidates.records.len() as f64 / n as f64,
            bytes as f64 / 1e6,
            selected.len()
        );
        if run == 1 {
            project(n, objects, bytes, decode + ranking);
        }
    }
    Ok(())
}
