//! eval-discovery: how well discovery answers realistic ICPs over the shared evaluation dataset.
//!
//!   eval-discovery [--dataset PATH] [--verbose] [--taxonomy]
//!
//! Loads every row of `companies.jsonl` (default `<repo>/../shared/datasets/companies.jsonl`; the
//! dataset is read in place, never copied into the repository) with the importer's
//! `parse_json_line`, then runs `discover` over all companies for each ICP of the table below.
//!
//! For each ICP it prints:
//! - `cand`: companies left after the hard filters, `ret`: companies returned;
//! - `p@20`: precision of the top 20, judged only by structured fields: the company's industry
//!   bucket (`Industry::classify`) is one the ICP expects, its country is a target, and its size is
//!   in the ICP's range (judged only when the ICP states a range and the company has a headcount);
//! - `sized`: how many of the top 20 had their size judged;
//! - `viol`: hard-filter violations among ALL returned companies, recomputed here from the
//!   company fields (country outside the targets, industry in an excluded bucket); no blacklist
//!   is used, so blacklist violations cannot occur.
//!
//! Then the engine's reading of each ICP, the top 3 with scores, and the industries of the top 20
//! that were judged not relevant. `--verbose` lists the whole top 20; `--taxonomy` also lists the
//! most frequent dataset industry labels that `Industry::classify` leaves in "Other".
//!
//! Exit code: 0 when every row parses and no hard filter is violated, 1 otherwise.
use anyhow::{anyhow, bail, Context, Result};
use shared::domain::normalize;
use shared::engine::blacklist_match::BlacklistIndex;
use shared::engine::catalog::CatalogCompany;
use shared::engine::discovery::{discover, Ranked, MAX_RESULTS, MIN_SCORE};
use shared::engine::icp::{parse_parts, Icp, SizeRange};
use shared::engine::industry::Industry;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Precision is measured on the first this many results.
const TOP: usize = 20;

/// One evaluation ICP: what a partner would send, and how its results are judged.
struct Case {
    name: &'static str,
    /// `ideal_customer_profile` as free text.
    icp: &'static str,
    /// `target_countries` (a hard filter), as a partner would write them.
    countries: &'static [&'static str],
    /// `target_cities` (a preference).
    cities: &'static [&'static str],
    /// `excluded_industries` as a partner would write them.
    excluded: &'static [&'static str],
    /// The buckets `excluded` means; checked independently of the engine's own reading.
    excluded_buckets: &'static [Industry],
    /// Judging: a relevant company is in one of these buckets...
    expect: &'static [Industry],
    /// ...and, when it has a headcount, within this range (None: size is not judged).
    size: Option<SizeRange>,
}

const fn range(min: Option<u64>, max: Option<u64>) -> Option<SizeRange> {
    Some(SizeRange { min, max })
}

const CASES: &[Case] = &[
    Case {
        name: "US B2B fintech startups 10-200",
        icp: "B2B fintech startups building payments, lending or banking infrastructure for \
              businesses, with 10-200 employees, ideally recently funded and growing",
        countries: &["United States"],
        cities: &["San Francisco", "New York"],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::Fintech],
        size: range(Some(10), Some(200)),
    },
    Case {
        name: "German regional banks",
        icp: "Regional banks, savings banks and cooperative banks serving private and business \
              customers",
        countries: &["Germany"],
        cities: &[],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::Fintech],
        size: None,
    },
    // The same request with insurers excluded, as partners write it. The taxonomy has one
    // financial-services bucket, so excluding "Insurance" also excludes every bank.
    Case {
        name: "German banks, excl. insurance",
        icp: "Regional banks, savings banks and cooperative banks serving private and business \
              customers",
        countries: &["Germany"],
        cities: &[],
        excluded: &["Insurance"],
        excluded_buckets: &[Industry::Fintech],
        expect: &[Industry::Fintech],
        size: None,
    },
    Case {
        name: "Japanese semiconductor makers",
        icp: "Semiconductor manufacturers and makers of semiconductor equipment, chips and \
              electronic components",
        countries: &["Japan"],
        cities: &[],
        excluded: &["Automotive"],
        excluded_buckets: &[Industry::Automotive],
        expect: &[Industry::Semiconductors],
        size: None,
    },
    Case {
        name: "UK healthcare & biotech",
        icp: "Biotechnology, pharmaceutical and medical device companies developing therapeutics \
              and diagnostics",
        countries: &["UK"],
        cities: &["London", "Cambridge", "Oxford"],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::Healthcare],
        size: None,
    },
    Case {
        name: "DACH B2B software",
        icp: "B2B software and SaaS vendors selling enterprise software for HR, finance or \
              operations",
        countries: &["Germany", "Österreich", "CH"],
        cities: &["München", "Berlin", "Zürich"],
        excluded: &["Government", "Non-profit"],
        excluded_buckets: &[Industry::Government, Industry::NonProfit],
        expect: &[Industry::Software],
        size: None,
    },
    Case {
        name: "Canadian mining",
        icp: "Gold, copper and silver mining companies and mineral exploration companies",
        countries: &["Canada"],
        cities: &[],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::Materials],
        size: None,
    },
    Case {
        name: "Indian IT services",
        icp: "IT services firms offering software development, IT consulting and outsourcing to \
              enterprise clients",
        countries: &["India"],
        cities: &["Bangalore", "Bengaluru", "Pune", "Hyderabad"],
        excluded: &["Staffing"],
        excluded_buckets: &[Industry::Professional],
        expect: &[Industry::Software],
        size: None,
    },
    Case {
        name: "French real estate",
        icp: "Real estate developers, property management companies and REITs owning office and \
              residential property",
        countries: &["France"],
        cities: &["Paris"],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::RealEstate],
        size: None,
    },
    Case {
        name: "Nordic B2B SaaS startups",
        icp: "B2B SaaS startups selling cloud software to businesses",
        countries: &["Sweden", "Norway", "Denmark", "Finland"],
        cities: &["Stockholm"],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::Software],
        // "startups" is a segment word, not a stated headcount: size is not judged.
        size: None,
    },
    Case {
        name: "Chinese utilities & energy",
        icp: "Electric utilities, power generation, power grid and renewable energy companies \
              (solar, wind, hydro)",
        countries: &["China", "Hong Kong"],
        cities: &[],
        excluded: &["Mining"],
        excluded_buckets: &[Industry::Materials],
        expect: &[Industry::Energy],
        size: None,
    },
    Case {
        name: "Australian retail (excl. Government)",
        icp: "Retailers and e-commerce businesses selling consumer goods, apparel and groceries",
        countries: &["Australia"],
        cities: &[],
        excluded: &["Government"],
        excluded_buckets: &[Industry::Government],
        expect: &[Industry::Retail],
        size: None,
    },
    Case {
        name: "US developer tools >50",
        icp: "Developer tools and DevOps platforms for software engineering teams, with more \
              than 50 employees",
        countries: &["USA"],
        cities: &[],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::Software],
        size: range(Some(51), None),
    },
    Case {
        name: "DE Maschinenbau >200 (German)",
        icp: "Maschinenbau-Unternehmen in Deutschland mit mehr als 200 Mitarbeitern",
        countries: &["Deutschland"],
        cities: &[],
        excluded: &[],
        excluded_buckets: &[],
        expect: &[Industry::Manufacturing],
        size: range(Some(201), None),
    },
    Case {
        name: "US healthcare IT startups <100",
        icp: "Healthcare IT and digital health software companies selling to hospitals and \
              clinics, fewer than 100 employees",
        countries: &["United States"],
        cities: &[],
        excluded: &["Insurance"],
        excluded_buckets: &[Industry::Fintech],
        expect: &[Industry::Healthcare, Industry::Software],
        size: range(None, Some(99)),
    },
];

struct Args {
    dataset: PathBuf,
    verbose: bool,
    taxonomy: bool,
}

fn args() -> Result<Args> {
    let mut out = Args {
        dataset: ops::repo_root().join("../shared/datasets/companies.jsonl"),
        verbose: false,
        taxonomy: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dataset" => {
                out.dataset = it
                    .next()
                    .ok_or_else(|| anyhow!("--dataset needs a path"))?
                    .into()
            }
            "--verbose" | "-v" => out.verbose = true,
            "--taxonomy" => out.taxonomy = true,
            "--help" | "-h" => {
                println!("usage: eval-discovery [--dataset PATH] [--verbose] [--taxonomy]");
                std::process::exit(0);
            }
            other => bail!(
                "unexpected argument {other} (usage: eval-discovery [--dataset PATH] [--verbose] [--taxonomy])"
            ),
        }
    }
    Ok(out)
}

/// How one returned company is judged.
struct Judged {
    bucket: Industry,
    country: Option<String>,
    /// None: size not judged.
    size_ok: Option<bool>,
    relevant: bool,
}

fn judge(case: &Case, targets: &[String], c: &CatalogCompany) -> Judged {
    let bucket = Industry::classify(c.industry.as_deref(), &c.keywords);
    let country = c.country.as_deref().map(normalize::country);
    let in_country = country.as_ref().is_some_and(|k| targets.contains(k));
    let size_ok = match (case.size, c.employee_count) {
        (Some(r), Some(n)) => Some(r.contains(n)),
        _ => None,
    };
    Judged {
        bucket,
        relevant: case.expect.contains(&bucket) && in_country && size_ok != Some(false),
        country,
        size_ok,
    }
}

/// Hard-filter violations, recomputed from the company's fields (not from the engine's facts).
#[derive(Default)]
struct Violations {
    country: usize,
    excluded: usize,
    examples: Vec<String>,
}

struct Outcome {
    candidates: usize,
    returned: usize,
    relevant: usize,
    sized: usize,
    violations: Violations,
    /// Detail lines: the engine's reading, top results, misses, violations.
    report: Vec<String>,
}

impl Outcome {
    fn precision(&self) -> Option<f64> {
        let n = self.returned.min(TOP);
        (n > 0).then(|| self.relevant as f64 / n as f64)
    }
}

fn describe_icp(icp: &Icp) -> String {
    let industries: Vec<&str> = icp.industries.iter().map(|b| b.label()).collect();
    let excluded: Vec<&str> = icp.excluded.iter().map(|b| b.label()).collect();
    format!(
        "industries=[{}] size={} model={:?} growth={} countries={:?} excluded=[{}] terms={}",
        industries.join(", "),
        icp.size.map(|s| s.describe()).unwrap_or_else(|| "-".into()),
        icp.business_model,
        icp.wants_growth,
        icp.countries,
        excluded.join(", "),
        icp.keywords.len()
    )
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn line_of(c: &CatalogCompany, r: &Ranked, j: &Judged) -> String {
    let size = match (c.employee_count, j.size_ok) {
        (Some(n), Some(true)) => format!("{n} emp ok"),
        (Some(n), Some(false)) => format!("{n} emp OUT"),
        (Some(n), None) => format!("{n} emp"),
        (None, _) => "no headcount".into(),
    };
    format!(
        "{:>2} {} {} | {} -> {} | {} | {}",
        r.assessment.score,
        if j.relevant { "+" } else { "-" },
        short(&c.name, 40),
        short(c.industry.as_deref().unwrap_or("(no industry)"), 45),
        j.bucket.label(),
        j.country.as_deref().unwrap_or("??"),
        size
    )
}

fn evaluate(case: &Case, companies: &[CatalogCompany], verbose: bool) -> Outcome {
    let started = Instant::now();
    let to_strings = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let icp = parse_parts(
        case.icp,
        &to_strings(case.countries),
        &to_strings(case.cities),
        &to_strings(case.excluded),
    );
    let (results, stats) = discover(&icp, companies, &BlacklistIndex::default());
    let targets: Vec<String> = case
        .countries
        .iter()
        .map(|c| normalize::country(c))
        .collect();
    let candidates =
        companies.len() - stats.outside_countries - stats.excluded_industry - stats.blacklisted;

    let mut violations = Violations::default();
    let mut relevant = 0;
    let mut sized = 0;
    let mut misses: BTreeMap<String, usize> = BTreeMap::new();
    let mut top_lines = Vec::new();
    for (rank, r) in results.iter().enumerate() {
        let c = &companies[r.index];
        let j = judge(case, &targets, c);
        let outside = !j.country.as_ref().is_some_and(|k| targets.contains(k));
        let excluded = case.excluded_buckets.contains(&j.bucket);
        if outside || excluded {
            violations.country += usize::from(outside);
            violations.excluded += usize::from(excluded);
            if violations.examples.len() < 5 {
                violations.examples.push(format!(
                    "#{} {} ({:?}, {:?} -> {})",
                    rank + 1,
                    c.name,
                    c.country,
                    c.industry,
                    j.bucket.label()
                ));
            }
        }
        if rank >= TOP {
            continue;
        }
        relevant += usize::from(j.relevant);
        sized += usize::from(j.size_ok.is_some());
        if !j.relevant {
            let why = match j.size_ok {
                Some(false) if case.expect.contains(&j.bucket) => "size".to_string(),
                _ => format!(
                    "{} -> {}",
                    c.industry.as_deref().unwrap_or("(no industry)"),
                    j.bucket.label()
                ),
            };
            *misses.entry(why).or_default() += 1;
        }
        if verbose || rank < 3 {
            top_lines.push(line_of(c, r, &j));
        }
    }

    let mut report = vec![
        format!(
            "\n== {} ({:.1}s) ==",
            case.name,
            started.elapsed().as_secs_f64()
        ),
        format!("   icp: {}", case.icp),
        format!("   engine read: {}", describe_icp(&icp)),
    ];
    report.extend(top_lines.iter().map(|l| format!("   {l}")));
    if !misses.is_empty() {
        let mut m: Vec<(String, usize)> = misses.into_iter().collect();
        m.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let m: Vec<String> = m.iter().map(|(k, n)| format!("{n}x {k}")).collect();
        report.push(format!("   not relevant in top {TOP}: {}", m.join("; ")));
    }
    report.extend(
        violations
            .examples
            .iter()
            .map(|e| format!("   VIOLATION {e}")),
    );
    Outcome {
        candidates,
        returned: results.len(),
        relevant,
        sized,
        violations,
        report,
    }
}

/// The industry labels most often classified as `Other` (gaps in the taxonomy's phrases).
fn print_unclassified(companies: &[CatalogCompany]) {
    let mut other: BTreeMap<&str, usize> = BTreeMap::new();
    for c in companies {
        if Industry::classify(c.industry.as_deref(), &c.keywords) == Industry::Other {
            *other
                .entry(c.industry.as_deref().unwrap_or("(no industry)"))
                .or_default() += 1;
        }
    }
    let total: usize = other.values().sum();
    let mut labels: Vec<(&str, usize)> = other.into_iter().collect();
    labels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!(
        "\ntaxonomy: {total} of {} companies classify as Other; most frequent labels:",
        companies.len()
    );
    for (label, n) in labels.iter().take(25) {
        println!("  {n:>5}  {label}");
    }
}

/// Every case, on as many worker threads as there are cores (each discovery scans all companies).
fn evaluate_all(companies: &[CatalogCompany], verbose: bool) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(CASES.len());
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = CASES.get(i) else { break };
                        mine.push((i, evaluate(case, companies, verbose)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("evaluation thread panicked"))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, o)| o).collect()
}

fn main() -> Result<()> {
    let args = args()?;
    let started = Instant::now();
    let text = std::fs::read_to_string(&args.dataset)
        .with_context(|| format!("reading {}", args.dataset.display()))?;
    let mut companies = Vec::new();
    let mut bad: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match shared::engine::import::parse_json_line(line) {
            Ok(c) => companies.push(c),
            Err(e) => bad.push((i + 1, e)),
        }
    }
    drop(text);
    println!(
        "dataset {}: {} companies loaded, {} rows failed to parse ({:.1}s)",
        args.dataset.display(),
        companies.len(),
        bad.len(),
        started.elapsed().as_secs_f64()
    );
    for (line, e) in bad.iter().take(5) {
        println!("  line {line}: {e}");
    }
    println!(
        "engine: MIN_SCORE={MIN_SCORE} MAX_RESULTS={MAX_RESULTS}; precision judged on the top {TOP} \
         by industry bucket, country and (when stated and known) employee range"
    );

    if args.taxonomy {
        print_unclassified(&companies);
    }
    let outcomes = evaluate_all(&companies, args.verbose);
    for o in &outcomes {
        for line in &o.report {
            println!("{line}");
        }
    }

    println!();
    println!(
        "{:<38} {:>6} {:>5} {:>6} {:>6} {:>9} {:>9}",
        "ICP", "cand", "ret", "p@20", "sized", "viol.cty", "viol.excl"
    );
    let mut precisions = Vec::new();
    let mut total_violations = 0;
    for (case, o) in CASES.iter().zip(&outcomes) {
        let p = o.precision();
        precisions.extend(p);
        total_violations += o.violations.country + o.violations.excluded;
        println!(
            "{:<38} {:>6} {:>5} {:>6} {:>6} {:>9} {:>9}",
            case.name,
            o.candidates,
            o.returned,
            p.map(|p| format!("{p:.2}")).unwrap_or_else(|| "n/a".into()),
            if case.size.is_some() {
                o.sized.to_string()
            } else {
                "-".into()
            },
            o.violations.country,
            o.violations.excluded
        );
    }
    let mean = if precisions.is_empty() {
        None
    } else {
        Some(precisions.iter().sum::<f64>() / precisions.len() as f64)
    };
    println!(
        "\nmean precision@{TOP}: {} over {} of {} ICPs with results; hard-filter violations: {}; \
         unparsed rows: {} ({:.1}s)",
        mean.map(|m| format!("{m:.3}"))
            .unwrap_or_else(|| "n/a".into()),
        precisions.len(),
        CASES.len(),
        total_violations,
        bad.len(),
        started.elapsed().as_secs_f64()
    );
    if total_violations > 0 || !bad.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
