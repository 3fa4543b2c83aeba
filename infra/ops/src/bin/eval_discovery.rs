//! eval-discovery: how well discovery answers realistic ICPs, judged against a fixed judgement file.
//!
//!   eval-discovery [--icps PATH] [--dataset PATH] [--split dev|test|testN|all] [--json PATH]
//!                  [--show-test-details] [--verbose]
//!
//! Reads the ICPs and their judgements from `infra/eval/icps.json` (see `infra/eval/README.md`) and
//! every row of `companies.jsonl` (default `<repo>/../shared/datasets/companies.jsonl`, read in
//! place, never copied) with the importer's `parse_json_line`. Each ICP runs exactly as production
//! runs an order: `icp::parse_parts` over its text, countries, cities and exclusions, then
//! `pipeline::find` over one in-memory catalog of all companies, with an empty blacklist.
//!
//! Every returned company is judged only from its own fields against the judgement file, never
//! through the engine's classifier: it is relevant iff its raw dataset `industry` label is one of
//! the ICP's `relevant_labels`, its country (`normalize::country`) is a target, and, when the ICP
//! has a `size` and the company a headcount, the headcount is in range.
//!
//! Per ICP: `R` (relevant companies in the whole catalog, same rule), `ret` (returned), `p@k`
//! (relevant among the first k returned / k, with k = min(20, R); nothing returned counts as 0 and
//! is flagged EMPTY), `nDCG@20` (binary gains, ideal DCG from min(20, R) relevant) and hard-filter
//! violations among ALL returned (country outside the targets; raw label in `excluded_labels`).
//! Details (top 3, labels of the non-relevant in the top k, violation examples) are printed for dev
//! ICPs only; test, test2 .. test9 (held-out) ICPs show only their metrics unless `--show-test-details`
//! is given.
//!
//! An ICP with `excluded_industries` also runs once without them: `returned` with / without is
//! its exclusion ratio, flagged HALVED below 0.5 (an exclusion that should remove only a
//! sub-industry must not remove most of what the ICP asks for).
//!
//! Exit code: 1 when any hard filter is violated or any dataset row fails to parse; an invalid
//! judgement file is an error too.
use anyhow::{anyhow, bail, Context, Result};
use domain::normalize;
use engine::blacklist_match::BlacklistIndex;
use engine::catalog::CatalogCompany;
use engine::icp::parse_parts;
use engine::pipeline::find;
use engine::ports::MemoryCatalog;
use engine::selection::Found;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Ranking depth of the metrics.
const TOP: usize = 20;

const USAGE: &str =
    "usage: eval-discovery [--icps PATH] [--dataset PATH] [--split dev|test|testN|all] \
                     [--json PATH] [--show-test-details] [--verbose]";

/// Below this share of its results kept by the exclusions, an ICP is flagged HALVED.
const HALVED_BELOW: f64 = 0.5;

/// Which set an ICP belongs to: `dev`, tuned on, or a held-out set, only run. `test` is the first
/// held-out set (in `icps.json`); `test2`, `test3`, ... are the later ones, each in its own
/// `icps-heldout-N.json` and each written blind to the engine (the eval README tells which pool).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
enum Split {
    Dev,
    Test(u16),
}

impl Split {
    fn named(name: &str) -> Option<Split> {
        match name {
            "dev" => Some(Split::Dev),
            "test" => Some(Split::Test(1)),
            // "test1" is not a name (the first held-out set is "test"), nor "test02" or "test+2".
            _ => {
                let n = name.strip_prefix("test")?.parse::<u16>().ok()?;
                (n >= 2 && Split::Test(n).name() == name).then_some(Split::Test(n))
            }
        }
    }

    fn name(self) -> String {
        match self {
            Split::Dev => "dev".into(),
            Split::Test(1) => "test".into(),
            Split::Test(n) => format!("test{n}"),
        }
    }

    /// Whether per-ICP details may be printed without `--show-test-details`.
    fn open(self) -> bool {
        self == Split::Dev
    }
}

impl TryFrom<String> for Split {
    type Error = String;
    fn try_from(name: String) -> Result<Split, String> {
        Split::named(&name).ok_or_else(|| format!("unknown split {name:?}"))
    }
}

impl From<Split> for String {
    fn from(s: Split) -> String {
        s.name()
    }
}

/// Results kept with the exclusions per result without them; `None` when nothing is returned
/// without them (no share to speak of).
fn exclusion_ratio(with: usize, without: usize) -> Option<f64> {
    (without > 0).then(|| with as f64 / without as f64)
}

fn halved(ratio: Option<f64>) -> bool {
    ratio.is_some_and(|r| r < HALVED_BELOW)
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct Size {
    min: Option<u64>,
    max: Option<u64>,
}

impl Size {
    fn contains(&self, n: u64) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }
}

/// One ICP of `infra/eval/icps.json`: what a partner sends, and how its results are judged.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    split: Split,
    language: String,
    /// Industry areas the ICP covers (documentation and coverage only; not used for judging).
    #[serde(default)]
    areas: Vec<String>,
    /// Empty for a lookalike query that states no ICP.
    #[serde(default)]
    ideal_customer_profile: String,
    /// A lookalike query's seeds (`infra/eval/lookalikes.json`): websites or domains, normalised
    /// as the API normalises them. Seeds are never relevant and returning one is a violation.
    #[serde(default)]
    lookalike_domains: Vec<String>,
    target_countries: Vec<String>,
    #[serde(default)]
    target_cities: Vec<String>,
    #[serde(default)]
    excluded_industries: Vec<String>,
    /// The judgement: raw dataset `industry` labels that make a company relevant.
    relevant_labels: Vec<String>,
    /// Relevance also needs the headcount in range, when the company has one.
    #[serde(default)]
    size: Option<Size>,
    /// The raw dataset labels that `excluded_industries` mean (hard-filter violations).
    #[serde(default)]
    excluded_labels: Vec<String>,
}

struct Args {
    icps: PathBuf,
    dataset: PathBuf,
    split: Option<Split>,
    json: Option<PathBuf>,
    show_test_details: bool,
    verbose: bool,
}

fn args() -> Result<Args> {
    let root = ops::repo_root();
    let mut out = Args {
        icps: root.join("infra/eval/icps.json"),
        dataset: root.join("../shared/datasets/companies.jsonl"),
        split: None,
        json: None,
        show_test_details: false,
        verbose: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |flag: &str| it.next().ok_or_else(|| anyhow!("{flag} needs a value"));
        match a.as_str() {
            "--icps" => out.icps = value("--icps")?.into(),
            "--dataset" => out.dataset = value("--dataset")?.into(),
            "--json" => out.json = Some(value("--json")?.into()),
            "--split" => {
                let name = value("--split")?;
                out.split = match name.as_str() {
                    "all" => None,
                    _ => Some(Split::named(&name).ok_or_else(|| {
                        anyhow!("--split must be dev, test, testN (N >= 2) or all, not {name}")
                    })?),
                }
            }
            "--show-test-details" => out.show_test_details = true,
            "--verbose" | "-v" => out.verbose = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unexpected argument {other} ({USAGE})"),
        }
    }
    Ok(out)
}

/// A query's seeds as the API stores them: registrable domains.
fn seeds(case: &Case) -> Vec<String> {
    case.lookalike_domains
        .iter()
        .filter_map(|d| normalize::registrable_domain(d))
        .collect()
}

/// A case with its judgement resolved: ISO target codes and label sets.
struct Judge<'a> {
    case: &'a Case,
    targets: BTreeSet<String>,
    relevant: HashSet<&'a str>,
    excluded: HashSet<&'a str>,
    seeds: HashSet<String>,
}

impl<'a> Judge<'a> {
    fn new(case: &'a Case) -> Self {
        Judge {
            case,
            targets: case
                .target_countries
                .iter()
                .map(|c| normalize::country(c))
                .collect(),
            relevant: case.relevant_labels.iter().map(String::as_str).collect(),
            excluded: case.excluded_labels.iter().map(String::as_str).collect(),
            seeds: seeds(case).into_iter().collect(),
        }
    }

    fn seed(&self, c: &CatalogCompany) -> bool {
        self.seeds.contains(&c.id) || c.domain.as_ref().is_some_and(|d| self.seeds.contains(d))
    }

    fn in_targets(&self, c: &CatalogCompany) -> bool {
        c.country
            .as_deref()
            .is_some_and(|k| self.targets.contains(&normalize::country(k)))
    }

    fn size_ok(&self, c: &CatalogCompany) -> bool {
        match (self.case.size, c.employee_count) {
            (Some(s), Some(n)) => s.contains(n),
            _ => true,
        }
    }

    fn label_relevant(&self, c: &CatalogCompany) -> bool {
        c.industry
            .as_deref()
            .is_some_and(|l| self.relevant.contains(l))
    }

    fn relevant(&self, c: &CatalogCompany) -> bool {
        self.label_relevant(c) && self.in_targets(c) && self.size_ok(c) && !self.seed(c)
    }

    fn excluded(&self, c: &CatalogCompany) -> bool {
        c.industry
            .as_deref()
            .is_some_and(|l| self.excluded.contains(l))
    }

    /// Why a returned company is not relevant (for the dev details).
    fn miss(&self, c: &CatalogCompany) -> String {
        let label = c.industry.as_deref().unwrap_or("(no industry)");
        if !self.in_targets(c) {
            format!("{label} [country {}]", c.country.as_deref().unwrap_or("?"))
        } else if self.label_relevant(c) {
            format!("{label} [size {}]", c.employee_count.unwrap_or_default())
        } else {
            label.to_string()
        }
    }
}

/// The metrics of one ICP (written by `--json`).
#[derive(Debug, Serialize)]
struct Metrics {
    id: String,
    split: Split,
    language: String,
    relevant_in_catalog: usize,
    returned: usize,
    k: usize,
    relevant_in_top_k: usize,
    relevant_returned: usize,
    precision_at_k: Option<f64>,
    ndcg_at_20: Option<f64>,
    violations_country: usize,
    violations_excluded: usize,
    /// Lookalike queries: seeds returned (a violation) and top-k results whose reasoning does
    /// not name a seed in the query's language.
    violations_seed: usize,
    unexplained_in_top_k: usize,
    empty: bool,
    /// Only for ICPs with `excluded_industries`: the same ICP run without them.
    returned_without_exclusions: Option<usize>,
    /// `returned` / `returned_without_exclusions`.
    exclusion_ratio: Option<f64>,
    halved: bool,
    seconds: f64,
}

impl Metrics {
    fn violations(&self) -> usize {
        self.violations_country + self.violations_excluded + self.violations_seed
    }
}

struct Outcome {
    metrics: Metrics,
    /// Top 3, non-relevant labels of the top k, violation examples.
    details: Vec<String>,
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

fn describe(c: &CatalogCompany, relevant: bool) -> String {
    format!(
        "{} {} | {} | {} | {}",
        if relevant { "+" } else { "-" },
        short(&c.name, 40),
        short(c.industry.as_deref().unwrap_or("(no industry)"), 50),
        c.country.as_deref().unwrap_or("??"),
        c.employee_count
            .map(|n| format!("{n} emp"))
            .unwrap_or_else(|| "no headcount".into())
    )
}

fn dcg(gains: impl Iterator<Item = bool>) -> f64 {
    gains
        .enumerate()
        .filter(|(_, g)| *g)
        // fold from +0.0: an empty f64 `sum` is -0.0, which would print as "-0.00".
        .fold(0.0, |acc, (i, _)| acc + 1.0 / ((i + 2) as f64).log2())
}

fn evaluate(
    case: &Case,
    companies: &[CatalogCompany],
    catalog: &MemoryCatalog,
    rt: &tokio::runtime::Runtime,
    verbose: bool,
) -> Result<Outcome> {
    let started = Instant::now();
    let judge = Judge::new(case);
    let r_total = companies.iter().filter(|c| judge.relevant(c)).count();

    // Exactly the production path: parse the order's parts, then `pipeline::find`.
    let mut icp = parse_parts(
        &case.ideal_customer_profile,
        &case.target_countries,
        &case.target_cities,
        &case.excluded_industries,
    );
    icp.lookalike = seeds(case);
    let Found { selected, .. } = rt
        .block_on(find(
            &icp,
            &case.target_countries,
            catalog,
            &BlacklistIndex::default(),
        ))
        .map_err(|e| anyhow!("{}: discovery failed: {e}", case.id))?;
    let returned: Vec<&CatalogCompany> = selected.iter().map(|(c, _)| c).collect();
    let violations_seed = returned.iter().filter(|c| judge.seed(c)).count();
    let unexplained_in_top_k = if case.lookalike_domains.is_empty() {
        0
    } else {
        let named = if case.language == "de" {
            "Ähnlich wie "
        } else {
            "Similar to "
        };
        selected
            .iter()
            .take(r_total.min(TOP))
            .filter(|(c, a)| {
                let text = engine::similarity::reasons::reasoning(
                    &icp,
                    c,
                    &engine::scoring::Facts::of(c),
                    a,
                    Some(&case.language),
                );
                !a.similar
                    .as_ref()
                    .is_some_and(|s| text.contains(&format!("{named}{}", s.seed)))
            })
            .count()
    };
    let returned_without_exclusions = if case.excluded_industries.is_empty() {
        None
    } else {
        let mut open = parse_parts(
            &case.ideal_customer_profile,
            &case.target_countries,
            &case.target_cities,
            &[],
        );
        open.lookalike = seeds(case);
        let found = rt
            .block_on(find(
                &open,
                &case.target_countries,
                catalog,
                &BlacklistIndex::default(),
            ))
            .map_err(|e| anyhow!("{}: discovery without exclusions failed: {e}", case.id))?;
        Some(found.selected.len())
    };
    let ratio = returned_without_exclusions.and_then(|n| exclusion_ratio(returned.len(), n));
    let gains: Vec<bool> = returned.iter().map(|c| judge.relevant(c)).collect();

    let k = r_total.min(TOP);
    let relevant_in_top_k = gains.iter().take(k).filter(|g| **g).count();
    let empty = returned.is_empty() && r_total > 0;
    let (precision, ndcg) = if r_total == 0 {
        (None, None)
    } else {
        let ideal = dcg(std::iter::repeat_n(true, k));
        (
            Some(relevant_in_top_k as f64 / k as f64),
            Some(dcg(gains.iter().take(TOP).copied()) / ideal),
        )
    };

    let mut details = Vec::new();
    let mut examples = Vec::new();
    let (mut v_country, mut v_excluded) = (0, 0);
    for (rank, c) in returned.iter().enumerate() {
        let outside = !judge.in_targets(c);
        let excluded = judge.excluded(c);
        v_country += usize::from(outside);
        v_excluded += usize::from(excluded);
        if (outside || excluded) && examples.len() < 5 {
            examples.push(format!(
                "VIOLATION #{} {} ({}, {})",
                rank + 1,
                c.name,
                c.country.as_deref().unwrap_or("no country"),
                c.industry.as_deref().unwrap_or("no industry")
            ));
        }
    }
    let shown = if verbose { k.max(3) } else { 3 };
    for (rank, (c, g)) in returned.iter().zip(&gains).take(shown).enumerate() {
        details.push(format!("#{:<2} {}", rank + 1, describe(c, *g)));
    }
    let mut misses: BTreeMap<String, usize> = BTreeMap::new();
    for (c, g) in returned.iter().zip(&gains).take(k) {
        if !g {
            *misses.entry(judge.miss(c)).or_default() += 1;
        }
    }
    if !misses.is_empty() {
        let mut m: Vec<(String, usize)> = misses.into_iter().collect();
        m.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let m: Vec<String> = m.iter().map(|(l, n)| format!("{n}x {l}")).collect();
        details.push(format!("not relevant in top {k}: {}", m.join("; ")));
    }
    if returned.len() < k {
        details.push(format!(
            "only {} returned for k = {k}: the missing ranks count as not relevant",
            returned.len()
        ));
    }
    details.extend(examples);

    Ok(Outcome {
        metrics: Metrics {
            id: case.id.clone(),
            split: case.split,
            language: case.language.clone(),
            relevant_in_catalog: r_total,
            returned: returned.len(),
            k,
            relevant_in_top_k,
            relevant_returned: gains.iter().filter(|g| **g).count(),
            precision_at_k: precision,
            ndcg_at_20: ndcg,
            violations_country: v_country,
            violations_excluded: v_excluded,
            violations_seed,
            unexplained_in_top_k,
            empty,
            returned_without_exclusions,
            exclusion_ratio: ratio,
            halved: halved(ratio),
            seconds: started.elapsed().as_secs_f64(),
        },
        details,
    })
}

/// Every case on as many worker threads as there are cores, sharing one catalog.
fn evaluate_all(
    cases: &[&Case],
    companies: &[CatalogCompany],
    catalog: &MemoryCatalog,
    verbose: bool,
) -> Result<Vec<Outcome>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(cases.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> Result<Vec<(usize, Outcome)>> {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = cases.get(i) else { break };
                        mine.push((i, evaluate(case, companies, catalog, &rt, verbose)?));
                    }
                    Ok(mine)
                })
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            all.extend(
                h.join()
                    .map_err(|_| anyhow!("evaluation thread panicked"))??,
            );
        }
        Ok::<_, anyhow::Error>(all)
    })?;
    done.sort_by_key(|(i, _)| *i);
    Ok(done.into_iter().map(|(_, o)| o).collect())
}

/// Reads and checks the judgement file against the dataset's own label list.
fn load_cases(path: &PathBuf, labels: &HashSet<&str>) -> Result<Vec<Case>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let cases: Vec<Case> =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut ids = HashSet::new();
    let mut problems = Vec::new();
    for c in &cases {
        if !ids.insert(c.id.as_str()) {
            problems.push(format!("{}: duplicate id", c.id));
        }
        if !matches!(c.language.as_str(), "en" | "de") {
            problems.push(format!("{}: language must be en or de", c.id));
        }
        if c.ideal_customer_profile.trim().is_empty() && c.lookalike_domains.is_empty() {
            problems.push(format!("{}: neither an ICP nor lookalike_domains", c.id));
        }
        if c.lookalike_domains.len() > 20 {
            problems.push(format!("{}: more than 20 lookalike_domains", c.id));
        }
        if c.relevant_labels.is_empty() {
            problems.push(format!("{}: no relevant_labels", c.id));
        }
        if c.excluded_industries.is_empty() != c.excluded_labels.is_empty() {
            problems.push(format!(
                "{}: excluded_industries and excluded_labels must be given together",
                c.id
            ));
        }
        for l in c.relevant_labels.iter().chain(&c.excluded_labels) {
            if !labels.contains(l.as_str()) {
                problems.push(format!(
                    "{}: label {l:?} does not occur in the dataset",
                    c.id
                ));
            }
        }
        for t in &c.target_countries {
            let code = normalize::country(t);
            if code.len() != 2 || !code.chars().all(|ch| ch.is_ascii_uppercase()) {
                problems.push(format!(
                    "{}: target country {t:?} does not normalise to an ISO code ({code:?})",
                    c.id
                ));
            }
        }
        if c.relevant_labels
            .iter()
            .any(|l| c.excluded_labels.contains(l))
        {
            problems.push(format!("{}: a label is both relevant and excluded", c.id));
        }
    }
    if !problems.is_empty() {
        bail!(
            "invalid judgement file {}:\n  {}",
            path.display(),
            problems.join("\n  ")
        );
    }
    Ok(cases)
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "n/a".into())
}

fn summary(name: &str, ms: &[&Metrics]) {
    let p: Vec<f64> = ms.iter().filter_map(|m| m.precision_at_k).collect();
    let n: Vec<f64> = ms.iter().filter_map(|m| m.ndcg_at_20).collect();
    let mean = |xs: &[f64]| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
    let min = p.iter().copied().reduce(f64::min);
    println!(
        "{:<10} {:>4} {:>9} {:>11} {:>8} {:>6} {:>6} {:>6} {:>6} {:>7}",
        name,
        ms.len(),
        mean(&p).map_or("n/a".into(), |v| format!("{v:.3}")),
        mean(&n).map_or("n/a".into(), |v| format!("{v:.3}")),
        fmt_opt(min),
        ms.iter().map(|m| m.violations()).sum::<usize>(),
        ms.iter().filter(|m| m.empty).count(),
        ms.iter().filter(|m| m.halved).count(),
        ms.iter().map(|m| m.violations_seed).sum::<usize>(),
        ms.iter().map(|m| m.unexplained_in_top_k).sum::<usize>()
    );
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
        match engine::import::parse_json_line(line) {
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

    let labels: HashSet<&str> = companies
        .iter()
        .filter_map(|c| c.industry.as_deref())
        .collect();
    let all_cases = load_cases(&args.icps, &labels)?;
    // Reported dev first, then by language and id.
    let mut cases: Vec<&Case> = all_cases
        .iter()
        .filter(|c| args.split.is_none_or(|s| c.split == s))
        .collect();
    cases.sort_by(|a, b| (a.split, &a.language, &a.id).cmp(&(b.split, &b.language, &b.id)));
    let mut counts: BTreeMap<(Split, &str), usize> = BTreeMap::new();
    for c in &all_cases {
        *counts.entry((c.split, c.language.as_str())).or_default() += 1;
    }
    let counts: Vec<String> = counts
        .iter()
        .map(|((s, l), n)| format!("{} {l} {n}", s.name()))
        .collect();
    let areas: BTreeSet<&str> = all_cases
        .iter()
        .flat_map(|c| c.areas.iter().map(String::as_str))
        .collect();
    println!(
        "icps {}: {} ({}), {} areas; running {} (split {})",
        args.icps.display(),
        all_cases.len(),
        counts.join(", "),
        areas.len(),
        cases.len(),
        args.split.map_or_else(|| "all".to_string(), Split::name)
    );

    let t = Instant::now();
    let catalog = MemoryCatalog::new(companies.clone());
    println!(
        "catalog built in {:.1}s; judging: raw industry label in relevant_labels, country in the \
         targets, headcount in the size range when both are known; k = min({TOP}, R)",
        t.elapsed().as_secs_f64()
    );
    let outcomes = evaluate_all(&cases, &companies, &catalog, args.verbose)?;

    for (case, o) in cases.iter().zip(&outcomes) {
        if !case.split.open() && !args.show_test_details {
            continue;
        }
        println!(
            "\n== {} ({}, {}) ==\n   icp: {}",
            case.id,
            case.language,
            case.split.name(),
            case.ideal_customer_profile
        );
        if !case.lookalike_domains.is_empty() {
            println!("   seeds: {}", case.lookalike_domains.join(", "));
        }
        for line in &o.details {
            println!("   {line}");
        }
    }

    println!();
    println!(
        "{:<34} {:>4} {:>5} {:>5} {:>4} {:>5} {:>7} {:>5} {:>5} {:>5}  flags",
        "ICP", "lang", "split", "R", "ret", "p@k", "nDCG@20", "v.cty", "v.exc", "w/wo"
    );
    for (case, o) in cases.iter().zip(&outcomes) {
        let m = &o.metrics;
        println!(
            "{:<34} {:>4} {:>5} {:>5} {:>4} {:>5} {:>7} {:>5} {:>5} {:>5}  {}",
            short(&case.id, 34),
            m.language,
            m.split.name(),
            m.relevant_in_catalog,
            m.returned,
            fmt_opt(m.precision_at_k),
            fmt_opt(m.ndcg_at_20),
            m.violations_country,
            m.violations_excluded,
            fmt_opt(m.exclusion_ratio),
            [
                m.empty.then_some("EMPTY"),
                (m.relevant_in_catalog < 5).then_some("R<5"),
                m.halved.then_some("HALVED"),
                (m.violations_seed > 0).then_some("SEED"),
                (m.unexplained_in_top_k > 0).then_some("UNEXPLAINED"),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        );
    }

    println!(
        "\n{:<10} {:>4} {:>9} {:>11} {:>8} {:>6} {:>6} {:>6} {:>6} {:>7}",
        "summary",
        "n",
        "mean p@k",
        "mean nDCG",
        "min p@k",
        "viol",
        "empty",
        "halved",
        "seeds",
        "unexpl"
    );
    let splits: BTreeSet<Split> = outcomes.iter().map(|o| o.metrics.split).collect();
    for split in splits {
        let of_split: Vec<&Metrics> = outcomes
            .iter()
            .map(|o| &o.metrics)
            .filter(|m| m.split == split)
            .collect();
        if of_split.is_empty() {
            continue;
        }
        for lang in ["en", "de"] {
            let ms: Vec<&Metrics> = of_split
                .iter()
                .copied()
                .filter(|m| m.language == lang)
                .collect();
            if !ms.is_empty() {
                summary(&format!("{} {lang}", split.name()), &ms);
            }
        }
        summary(&format!("{} all", split.name()), &of_split);
    }

    let violations: usize = outcomes.iter().map(|o| o.metrics.violations()).sum();
    println!(
        "\nhard-filter violations: {violations}; unparsed rows: {}; {:.1}s",
        bad.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(path) = &args.json {
        let ms: Vec<&Metrics> = outcomes.iter().map(|o| &o.metrics).collect();
        std::fs::write(path, serde_json::to_string_pretty(&ms)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
        println!("metrics written to {}", path.display());
    }
    if violations > 0 || !bad.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusion_ratio_flags_less_than_half_kept() {
        // The case: 395 matches without the exclusion, 54 with it.
        let r = exclusion_ratio(54, 395);
        assert!(halved(r), "{r:?}");
        assert!(!halved(exclusion_ratio(377, 395)));
        assert!(!halved(exclusion_ratio(1, 2)), "exactly half is kept");
        assert!(halved(exclusion_ratio(0, 3)));
        assert_eq!(exclusion_ratio(0, 0), None);
        assert!(
            !halved(None),
            "nothing returned either way is EMPTY, not HALVED"
        );
    }

    #[test]
    fn held_out_split_parses_and_stays_closed() {
        let s: Split = serde_json::from_str("\"test2\"").unwrap();
        assert_eq!(s, Split::Test(2));
        assert_eq!(s.name(), "test2");
        assert!(!s.open() && !Split::Test(1).open() && Split::Dev.open());
        assert_eq!(serde_json::to_string(&Split::Test(1)).unwrap(), "\"test\"");
        for n in 3..=12 {
            let name = format!("test{n}");
            let s: Split = serde_json::from_str(&format!("\"{name}\"")).unwrap();
            assert_eq!(s.name(), name);
            assert!(!s.open());
        }
        for bad in [
            "heldout", "test1", "test0", "test02", "test+2", "testx", "dev2", "",
        ] {
            assert!(
                serde_json::from_str::<Split>(&format!("\"{bad}\"")).is_err(),
                "{bad}"
            );
        }
    }
}
