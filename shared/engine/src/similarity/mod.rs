//! Lookalike discovery (issue 22): companies like the partner's seeds (`lookalike_domains`),
//! ranked from the same feature records an ICP discovery reads.
//!
//! - The seed profile (`SeedProfile`) is what the found seeds have in common: their segments
//!   (with the share of seeds in each), headcounts, business model and the description terms
//!   several of them use. Technologies are not in the feature record, so they only choose the
//!   closest seed and name a shared respect, never rank.
//! - Candidates are read as an ICP discovery reads them: the markets (country, segment) of the
//!   seeds' segments and the ICP's, within `target_countries`; the query is the profile's terms
//!   with the ICP's keywords. Hard filters are the ICP's (`discovery::passes_hard_filters`), and a
//!   seed is never a result.
//! - A candidate's similarity is `earned / possible` over segment, size, model and text (BM25 of
//!   the profile's terms, normalised to the best candidate). With an ICP stated too, the fit is
//!   the mean of the ICP's fit (`scoring::assess`) and the similarity; the score is
//!   `1 + round(9 * fit)` as for an ICP, so `MIN_SCORE` and the ranking keep their meaning.
//! - Each selected company names its closest seed and the respects it shares with it
//!   (`Similar`), each one a field both companies have: what `Similar to <seed>` and the
//!   reasoning say.
use super::blacklist_match::Exclusions;
use super::bm25::Bm25;
use super::catalog::CatalogCompany;
use super::discovery::{passes_hard_filters, FilterStats, MAX_RESULTS, MIN_SCORE};
use super::features::Features;
use super::icp::{BusinessModel, Icp};
use super::industry::Industry;
use super::ports::{markets, CatalogSource};
use super::scoring::{assess_labelled, Assessment, Facts};
use super::selection::{choose, Budget, Found};
use super::text;
use domain::ApiError;
use respects::{Respect, Similar};
use std::collections::{BTreeMap, HashSet};

pub const W_SEGMENT: f64 = 4.0;
pub const W_TERMS: f64 = 3.0;
pub const W_SIZE: f64 = 1.5;
pub const W_MODEL: f64 = 0.5;
/// What an unknown headcount earns of `W_SIZE`: it may be close, unlike one known to be far.
const SIZE_UNKNOWN: f64 = 0.4;
/// Terms of the profile (the query), most shared first.
pub const MAX_TERMS: usize = 48;
/// Two headcounts within this factor of each other are "similar size".
pub const SIZE_FACTOR: f64 = 3.0;
/// A term in more than this share of the markets read says nothing a partner would check.
const SHARED_TERM_MAX_DF: f64 = 0.2;
/// Respects of each kind named in a reason.
const NAMED: usize = 3;

/// Words of company descriptions that say how a text is written, not what the company does
/// ("The company was founded in 1992 and is headquartered in ...").
const BOILERPLATE: &[&str] = &[
    "founded",
    "headquartered",
    "incorporated",
    "formerly",
    "known",
    "changed",
    "name",
    "provide",
    "provides",
    "offer",
    "offers",
    "engage",
    "engages",
    "engaged",
    "operate",
    "operates",
    "together",
    "subsidiary",
    "subsidiarie",
    "segment",
    "segments",
    "product",
    "service",
    "inc",
    "ltd",
    "co",
    "corp",
    "limited",
    "group",
    "holding",
    "international",
    "located",
    "well",
    "various",
    "related",
    "through",
    "include",
    "including",
    "primarily",
    "principally",
    "worldwide",
    "business",
    "market",
    "customer",
    "solution",
];

/// A found seed: the company, its feature record, its terms and technologies.
#[derive(Debug, Clone)]
pub struct Seed {
    pub domain: String,
    pub company: CatalogCompany,
    pub features: Features,
    terms: HashSet<String>,
    technologies: Vec<String>,
}

impl Seed {
    pub fn of(company: CatalogCompany) -> Self {
        let features = Features::of(&company);
        Seed {
            domain: features
                .domain
                .clone()
                .unwrap_or_else(|| company.id.clone()),
            terms: terms_of(&company),
            technologies: company.technologies.clone(),
            features,
            company,
        }
    }
}

/// The terms of a company a reason may name: what its description, label, business type and
/// tags say, without its own name, its city and boilerplate.
pub fn terms_of(c: &CatalogCompany) -> HashSet<String> {
    let own: HashSet<String> = text::tokens(&c.name)
        .chain(text::tokens(c.city.as_deref().unwrap_or_default()))
        .chain(text::tokens(c.country.as_deref().unwrap_or_default()))
        .collect();
    let keywords = c.keywords.join(" ");
    [
        c.description.as_deref().unwrap_or_default(),
        c.industry.as_deref().unwrap_or_default(),
        c.business_type.as_deref().unwrap_or_default(),
        keywords.as_str(),
    ]
    .into_iter()
    .flat_map(text::query_terms)
    .filter(|t| t.len() > 2 && !own.contains(t) && !BOILERPLATE.contains(&t.as_str()))
    .collect()
}

/// What the found seeds have in common.
#[derive(Debug, Clone)]
pub struct SeedProfile {
    pub seeds: Vec<Seed>,
    /// Each segment of a seed with the number of seeds in it.
    pub segments: BTreeMap<Industry, usize>,
    /// The profile's query: terms used by several seeds (by one when there is one), most shared
    /// first, at most `MAX_TERMS`.
    pub terms: Vec<String>,
    /// The business model of most seeds, when most have one.
    pub model: Option<BusinessModel>,
}

impl SeedProfile {
    pub fn of(seeds: Vec<Seed>) -> Self {
        let n = seeds.len();
        let mut segments = BTreeMap::new();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let (mut b2b, mut b2c) = (0, 0);
        for s in &seeds {
            *segments.entry(s.features.facts.industry).or_insert(0) += 1;
            for t in &s.terms {
                *counts.entry(t.as_str()).or_insert(0) += 1;
            }
            match s.features.facts.model {
                Some(BusinessModel::B2B) => b2b += 1,
                Some(BusinessModel::B2C) => b2c += 1,
                None => {}
            }
        }
        // A term one seed of many uses is that seed's, not what they have in common.
        let shared = if n < 2 { 1 } else { (n / 4).max(2) };
        let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut terms: Vec<String> = ranked
            .iter()
            .filter(|(_, k)| *k >= shared)
            .take(MAX_TERMS)
            .map(|(t, _)| t.to_string())
            .collect();
        if terms.len() < 8 {
            terms = ranked
                .iter()
                .take(MAX_TERMS)
                .map(|(t, _)| t.to_string())
                .collect();
        }
        let model = if b2b * 2 > n {
            Some(BusinessModel::B2B)
        } else if b2c * 2 > n {
            Some(BusinessModel::B2C)
        } else {
            None
        };
        SeedProfile {
            seeds,
            segments,
            terms,
            model,
        }
    }

    /// The seeds' segments: what the markets read are named by.
    pub fn industries(&self) -> Vec<Industry> {
        self.segments.keys().copied().collect()
    }

    fn is_seed(&self, c: &Features) -> bool {
        self.seeds
            .iter()
            .any(|s| s.company.id == c.id || c.domain.as_deref().is_some_and(|d| d == s.domain))
    }

    /// The share of seeds in the company's segment (half for the segment its description adds).
    fn segment_share(&self, f: &Facts) -> f64 {
        let n = self.seeds.len().max(1) as f64;
        let share = |i: Industry| *self.segments.get(&i).unwrap_or(&0) as f64 / n;
        let composite = f.composite.map_or(0.0, |segments| {
            segments.iter().map(|s| share(*s)).fold(0.0, f64::max)
        });
        share(f.industry)
            .max(composite)
            .max(f.also.map_or(0.0, |a| share(a) / 2.0))
    }

    /// How close a headcount is to the nearest seed's (1 equal, 0 at ten times or more).
    fn size_closeness(&self, employees: u64) -> Option<f64> {
        self.seeds
            .iter()
            .filter_map(|s| s.features.facts.employees)
            .map(|m| closeness(employees, m))
            .reduce(f64::max)
    }

    /// The company's similarity to the seeds (0..=1), with its text relevance (0..=1).
    pub fn similarity(&self, f: &Facts, relevance: f64) -> f64 {
        let mut possible = W_SEGMENT + W_TERMS;
        let mut earned = W_SEGMENT * self.segment_share(f) + W_TERMS * relevance.clamp(0.0, 1.0);
        if self
            .seeds
            .iter()
            .any(|s| s.features.facts.employees.is_some())
        {
            possible += W_SIZE;
            earned += W_SIZE
                * match f.employees {
                    Some(n) => self.size_closeness(n).unwrap_or(0.0),
                    None => SIZE_UNKNOWN,
                };
        }
        if let Some(model) = self.model {
            possible += W_MODEL;
            if f.model == Some(model) {
                earned += W_MODEL;
            }
        }
        earned / possible
    }

    /// The seed a company is most like and what they share (`None` when they share nothing a
    /// partner could check). `rare` says whether a term is specific enough to name.
    pub fn closest(
        &self,
        c: &CatalogCompany,
        f: &Facts,
        rare: &dyn Fn(&str) -> bool,
    ) -> Option<Similar> {
        let terms = terms_of(c);
        let mut best: Option<(f64, Similar)> = None;
        for s in &self.seeds {
            let respects = respects(c, f, &terms, s, rare);
            let weight: f64 = respects
                .iter()
                .map(|r| match r {
                    Respect::Segment { .. } => 3.0,
                    Respect::Size {
                        employees,
                        seed_employees,
                    } => 1.0 + closeness(*employees, *seed_employees),
                    Respect::Model { .. } => 0.5,
                    Respect::Terms { terms } => terms.len() as f64 / NAMED as f64 * 2.0,
                    Respect::Technologies { technologies } => {
                        technologies.len() as f64 / NAMED as f64
                    }
                })
                .sum();
            if !respects.is_empty() && best.as_ref().is_none_or(|(w, _)| weight > *w) {
                best = Some((
                    weight,
                    Similar {
                        seed: s.domain.clone(),
                        respects,
                    },
                ));
            }
        }
        best.map(|(_, s)| s)
    }
}

/// 1 for equal headcounts, falling with their ratio's logarithm to 0 at ten times.
fn closeness(a: u64, b: u64) -> f64 {
    let d = ((a.max(1) as f64).ln() - (b.max(1) as f64).ln()).abs() / 10f64.ln();
    (1.0 - d).max(0.0)
}

/// The respects in which company `c` (its facts `f`, its terms) is like seed `s`.
fn respects(
    c: &CatalogCompany,
    f: &Facts,
    terms: &HashSet<String>,
    s: &Seed,
    rare: &dyn Fn(&str) -> bool,
) -> Vec<Respect> {
    let sf = &s.features.facts;
    let mut out = Vec::new();
    if f.industry == sf.industry && f.industry != Industry::Other {
        out.push(Respect::Segment {
            industry: f.industry,
        });
    }
    if let (Some(n), Some(m)) = (c.employee_count, s.company.employee_count) {
        let (lo, hi) = (n.min(m).max(1) as f64, n.max(m).max(1) as f64);
        if hi / lo <= SIZE_FACTOR {
            out.push(Respect::Size {
                employees: n,
                seed_employees: m,
            });
        }
    }
    if let (Some(a), Some(b)) = (f.model, sf.model) {
        if a == b {
            out.push(Respect::Model {
                b2b: a == BusinessModel::B2B,
            });
        }
    }
    let mut shared: Vec<&String> = terms.intersection(&s.terms).filter(|t| rare(t)).collect();
    shared.sort();
    if !shared.is_empty() {
        out.push(Respect::Terms {
            terms: shared.into_iter().take(NAMED).cloned().collect(),
        });
    }
    let technologies: Vec<String> = c
        .technologies
        .iter()
        .filter(|t| s.technologies.iter().any(|u| u.eq_ignore_ascii_case(t)))
        .take(NAMED)
        .cloned()
        .collect();
    if !technologies.is_empty() {
        out.push(Respect::Technologies { technologies });
    }
    out
}

/// Whether the ICP states anything to rank by beside the seeds (a lookalike order may leave
/// `ideal_customer_profile` out: its ICP then only carries the hard filters).
pub fn states_criteria(icp: &Icp) -> bool {
    !icp.industries.is_empty()
        || !icp.keywords.is_empty()
        || icp.size.is_some()
        || icp.business_model.is_some()
        || icp.wants_growth
}

/// The ICP whose hard filters a lookalike discovery applies. Excluded values are read against
/// what is wanted (an exclusion naming part of a wanted segment removes that part, not the
/// segment): the ICP text says what is wanted when there is one, else the seeds' own labels do.
pub fn hard_filters(icp: &Icp, profile: &SeedProfile) -> Icp {
    if states_criteria(icp) || icp.excluded_values.is_empty() {
        return icp.clone();
    }
    let mut labels: Vec<&str> = profile
        .seeds
        .iter()
        .map(|s| {
            s.company
                .industry
                .as_deref()
                .unwrap_or(s.features.facts.industry.label())
        })
        .collect();
    labels.sort();
    labels.dedup();
    let read = super::icp::parse_parts(&labels.join(", "), &[], &[], &icp.excluded_values);
    Icp {
        excluded: read.excluded,
        excluded_phrases: read.excluded_phrases,
        excluded_labels: read.excluded_labels,
        ..icp.clone()
    }
}

/// The seeds of `icp.lookalike` the catalog knows, in the order given, each once.
pub async fn seeds(icp: &Icp, catalog: &dyn CatalogSource) -> Result<Vec<Seed>, ApiError> {
    let mut ids = icp.lookalike.clone();
    ids.dedup();
    let mut found = catalog.by_ids(&ids).await?;
    let mut seen = HashSet::new();
    Ok(ids
        .iter()
        .filter(|d| seen.insert(d.as_str()))
        .filter_map(|d| found.remove(d))
        .map(Seed::of)
        .collect())
}

/// `pipeline::find_excluding` for an ICP with seeds (`Icp::lookalike`): the markets of the seeds'
/// segments and the ICP's, hard filters, similarity (with the ICP's fit when it states one), the
/// best `MAX_RESULTS` (a budget's `bodies`) read in full, each with its closest seed.
pub async fn find_lookalike(
    icp: &Icp,
    countries: &[String],
    catalog: &dyn CatalogSource,
    exclusions: &mut dyn Exclusions,
    budget: Option<Budget>,
) -> Result<Found, ApiError> {
    let profile = SeedProfile::of(seeds(icp, catalog).await?);
    let stated = states_criteria(icp);
    let icp = &hard_filters(icp, &profile);
    if profile.seeds.is_empty() {
        return Ok(Found {
            selected: Vec::new(),
            candidates: 0,
            stats: FilterStats::default(),
            coverage: None,
        });
    }
    let mut segments = profile.industries();
    if stated {
        segments.extend(icp.industries.iter().copied());
    }
    segments.sort();
    segments.dedup();
    segments.retain(|s| !icp.excluded.contains(s));
    let named = if segments.is_empty() {
        Vec::new()
    } else {
        markets(countries, Some(&segments))
    };
    let mut query = profile.terms.clone();
    for k in &icp.keywords {
        if !query.contains(k) {
            query.push(k.clone());
        }
    }
    let (candidates, coverage) = match &budget {
        Some(b) => {
            let (chosen, mut coverage) = choose(&named, &catalog.market_sizes(&named).await?, b);
            let read = catalog
                .candidates_at_most(&chosen, &query, b.records)
                .await?;
            coverage.read = read.records.len() as u64;
            (read, Some(coverage))
        }
        None => (catalog.candidates(&named, &query).await?, None),
    };
    exclusions.cover(&candidates.records).await?;
    let records = &candidates.records;
    let mut stats = FilterStats::default();
    let kept: Vec<usize> = (0..records.len())
        .filter(|i| !profile.is_seed(&records[*i]))
        .filter(|i| passes_hard_filters(icp, &records[*i], exclusions.index(), &mut stats))
        .collect();
    let like = Bm25::new(&profile.terms, &candidates.corpus);
    let wanted = Bm25::new(&icp.keywords, &candidates.corpus);
    let normalised = |raw: Vec<f64>| {
        let best = raw.iter().copied().fold(0.0_f64, f64::max);
        raw.into_iter()
            .map(|r| if best > 0.0 { r / best } else { 0.0 })
            .collect::<Vec<f64>>()
    };
    let like_rel = normalised(kept.iter().map(|i| like.score(&records[*i].doc)).collect());
    let icp_rel = normalised(
        kept.iter()
            .map(|i| wanted.score(&records[*i].doc))
            .collect(),
    );
    let mut ranked: Vec<(usize, Assessment)> = Vec::new();
    for (k, i) in kept.iter().enumerate() {
        let facts = &records[*i].facts;
        let labels = Some(records[*i].labels.as_slice());
        let mut a = assess_labelled(icp, facts, labels, icp_rel[k], Vec::new());
        let similarity = profile.similarity(facts, like_rel[k]);
        a.fit = if stated {
            (a.fit + similarity) / 2.0
        } else {
            similarity
        };
        a.score = (1.0 + (9.0 * a.fit).round()).clamp(1.0, 10.0) as u8;
        if a.score < MIN_SCORE {
            stats.below_threshold += 1;
            continue;
        }
        ranked.push((*i, a));
    }
    stats.matching = ranked.len();
    ranked.sort_by(|(ia, a), (ib, b)| {
        b.score
            .cmp(&a.score)
            .then(b.fit.total_cmp(&a.fit))
            .then(b.relevance.total_cmp(&a.relevance))
            .then_with(|| records[*ia].name.cmp(&records[*ib].name))
            .then_with(|| records[*ia].id.cmp(&records[*ib].id))
    });
    let cap = budget.map_or(MAX_RESULTS, |b| b.bodies.min(MAX_RESULTS));
    stats.below_threshold += ranked.len().saturating_sub(cap);
    ranked.truncate(cap);
    let ids: Vec<String> = ranked.iter().map(|(i, _)| records[*i].id.clone()).collect();
    let mut bodies = catalog.by_ids(&ids).await?;
    let docs = candidates.corpus.docs.max(1) as f64;
    let rare = |t: &str| {
        let df = candidates.corpus.df(text::term_hash(t)) as f64;
        // A term outside the query has no statistics here: only the profile's terms are named.
        profile.terms.iter().any(|p| p == t) && df / docs <= SHARED_TERM_MAX_DF
    };
    let fixed = Bm25::fixed(&icp.keywords);
    let selected = ranked
        .into_iter()
        .filter_map(|(i, mut a)| {
            let company = bodies.remove(&records[i].id)?;
            a.matched_terms = fixed
                .matched_terms(&records[i].doc)
                .into_iter()
                .map(String::from)
                .collect();
            a.similar = profile.closest(&company, &records[i].facts, &rare);
            Some((company, a))
        })
        .collect();
    Ok(Found {
        selected,
        candidates: records.len(),
        stats,
        coverage,
    })
}

pub mod reasons;
pub mod respects;

#[cfg(test)]
mod tests;
