//! What an order's processing calls: discovery (candidates -> filters -> ranking -> results) and
//! enrichment of a submitted list (match each company to the catalog -> results in submission order).
use super::blacklist_match::{BlacklistIndex, Exclusions, Whole};
use super::bm25::Bm25;
use super::catalog::CatalogCompany;
use super::discovery::{discover_matching, FilterStats, MAX_RESULTS};
use super::enrich::{build_result, build_until, Analysis, EnrichContext};
use super::icp::{self, Icp};
use super::import::company_id;
use super::industry::Industry;
use super::ports::{markets, CatalogSource};
use super::scoring::{assess_labelled, Assessment, Facts};
use super::selection::{choose, Budget, Coverage, Found};
use super::text::Doc;
use domain::normalize;
use domain::order::{Order, SubmittedCompany};
use domain::results::CompanyResult;
use domain::ApiError;
use std::collections::HashMap;

#[derive(Debug)]
pub struct DiscoveryOutcome {
    /// Best first.
    pub results: Vec<CompanyResult>,
    pub candidates: usize,
    pub stats: FilterStats,
}

/// Discovery for one order with the blacklist entries current now.
pub async fn discover_order(
    order: &Order,
    catalog: &dyn CatalogSource,
    blacklist: &BlacklistIndex,
    ctx: &EnrichContext<'_>,
) -> Result<DiscoveryOutcome, ApiError> {
    let icp = icp::parse(order);
    let countries = order.target_countries.clone().unwrap_or_default();
    let found = find(&icp, &countries, catalog, blacklist).await?;
    let selected: Vec<_> = found.selected.iter().map(|(c, a)| (c, a)).collect();
    let results = build_discovered_until(order, &selected, ctx, None)
        .await
        .into_iter()
        .flatten()
        .collect();
    Ok(DiscoveryOutcome {
        results,
        candidates: found.candidates,
        stats: found.stats,
    })
}

/// The results of discovered companies (each with the assessment that selected it), in list
/// order, until `until`: `None` where time ran out first. The enrich-batch task calls it for each
/// batch of an order's selection; `discover_order` for a whole selection at once.
pub async fn build_discovered_until(
    order: &Order,
    selected: &[(&CatalogCompany, &Assessment)],
    ctx: &EnrichContext<'_>,
    until: Option<tokio::time::Instant>,
) -> Vec<Option<CompanyResult>> {
    let icp = icp::parse(order);
    let facts: Vec<Facts> = selected.iter().map(|(c, _)| Facts::of(c)).collect();
    build_until(
        selected
            .iter()
            .zip(&facts)
            .map(|((company, assessment), facts)| {
                let analysis = Analysis {
                    icp: &icp,
                    facts,
                    assessment,
                };
                build_result(order, company, None, Some(analysis), ctx)
            })
            .collect::<Vec<_>>(),
        until,
    )
    .await
}

/// The catalog partitions an ICP needs, then hard filters, ranking and selection over their
/// feature records, then the selected companies read in full: the one path every discovery
/// takes (orders, previews, the evaluation, benchmarks).
///
/// When the wanted segments give fewer than `WIDEN_BELOW` companies, the segments they share a
/// broad word with are read too ("consulting" with the other professional services): their
/// companies earn no industry match, so they only follow the wanted ones, and only when the rest
/// of the ICP (place, size, words) fits them well enough.
pub async fn find(
    icp: &Icp,
    countries: &[String],
    catalog: &dyn CatalogSource,
    blacklist: &BlacklistIndex,
) -> Result<Found, ApiError> {
    find_within(icp, countries, catalog, blacklist, None).await
}

/// `find` within `budget` when one is given: the largest markets the ICP names up to the
/// budget's markets and records (`choose`), no widening once anything was left out, and only the
/// head of the selection read in full. `Found::coverage` says how much was read.
pub async fn find_within(
    icp: &Icp,
    countries: &[String],
    catalog: &dyn CatalogSource,
    blacklist: &BlacklistIndex,
    budget: Option<Budget>,
) -> Result<Found, ApiError> {
    find_excluding(icp, countries, catalog, &mut Whole(blacklist), budget).await
}

/// `find_within` with exclusions shown the candidates before they are filtered, so a blacklist
/// can be read for them alone (`Exclusions::cover`) instead of whole.
pub async fn find_excluding(
    icp: &Icp,
    countries: &[String],
    catalog: &dyn CatalogSource,
    exclusions: &mut dyn Exclusions,
    budget: Option<Budget>,
) -> Result<Found, ApiError> {
    if !icp.lookalike.is_empty() {
        return super::similarity::find_lookalike(icp, countries, catalog, exclusions, budget)
            .await;
    }
    if icp.needs.len() < 2 {
        return Ok(
            find_need(icp, countries, catalog, exclusions, budget, false)
                .await?
                .0,
        );
    }
    find_needs(icp, countries, catalog, exclusions, budget).await
}

/// `find_within` for an ICP of several needs (`Icp::needs`): each need found as an ICP of its
/// own, so a company matches when it matches any need, and ranked by its best assessment. The
/// hard filters are the ICP's, the same for every need. A bounded discovery shares its budget
/// out among the needs.
async fn find_needs(
    icp: &Icp,
    countries: &[String],
    catalog: &dyn CatalogSource,
    exclusions: &mut dyn Exclusions,
    budget: Option<Budget>,
) -> Result<Found, ApiError> {
    let n = icp.needs.len();
    let share = budget.map(|b| Budget {
        markets: (b.markets / n).max(1),
        records: (b.records / n as u64).max(1),
        bodies: b.bodies,
    });
    // Each company with its best assessment and whether the ICP's own reading selected it.
    let mut best: HashMap<String, (CatalogCompany, Assessment, bool)> = HashMap::new();
    let mut matching: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut candidates = 0;
    let mut stats = FilterStats::default();
    let mut coverage: Option<Coverage> = None;
    for (k, need) in icp.needs.iter().enumerate() {
        let whole = icp.whole_first && k == 0;
        let (found, ids) = find_need(need, countries, catalog, exclusions, share, true).await?;
        candidates += found.candidates;
        stats.outside_countries += found.stats.outside_countries;
        stats.excluded_industry += found.stats.excluded_industry;
        stats.blacklisted += found.stats.blacklisted;
        stats.delivered.extend(found.stats.delivered);
        stats.below_threshold += found.stats.below_threshold;
        matching.extend(ids);
        if let Some(c) = found.coverage {
            let sum = coverage.get_or_insert_with(Coverage::default);
            sum.read += c.read;
            sum.named += c.named;
        }
        for (company, assessment) in found.selected {
            let better = best.get(&company.id).is_none_or(|(_, kept, by_whole)| {
                !by_whole && (whole || better_than(&assessment, kept))
            });
            if better {
                best.insert(company.id.clone(), (company, assessment, whole));
            }
        }
    }
    stats.matching = matching.len();
    let mut ranked: Vec<(CatalogCompany, Assessment, bool)> = best.into_values().collect();
    ranked.sort_by(|(ca, a, wa), (cb, b, wb)| {
        wb.cmp(wa)
            .then(b.score.cmp(&a.score))
            .then(b.fit.total_cmp(&a.fit))
            .then(b.relevance.total_cmp(&a.relevance))
            .then_with(|| ca.name.cmp(&cb.name))
            .then_with(|| ca.id.cmp(&cb.id))
    });
    let mut selected: Vec<(CatalogCompany, Assessment)> =
        ranked.into_iter().map(|(c, a, _)| (c, a)).collect();
    selected.truncate(budget.map_or(MAX_RESULTS, |b| b.bodies.min(MAX_RESULTS)));
    Ok(Found {
        selected,
        candidates,
        stats,
        coverage,
    })
}

/// The ids of every company an ICP matches (scores at least `MIN_SCORE` for one of its needs),
/// not only those a discovery selects: what naming one more industry must never shrink.
pub async fn matching(
    icp: &Icp,
    countries: &[String],
    catalog: &dyn CatalogSource,
    blacklist: &BlacklistIndex,
) -> Result<std::collections::HashSet<String>, ApiError> {
    let needs = if icp.needs.len() < 2 {
        std::slice::from_ref(icp)
    } else {
        icp.needs.as_slice()
    };
    let mut out = std::collections::HashSet::new();
    for need in needs {
        out.extend(
            find_need(need, countries, catalog, &mut Whole(blacklist), None, true)
                .await?
                .1,
        );
    }
    Ok(out)
}

/// Whether one assessment of a company ranks it higher than another (score, then fit, then text
/// relevance), as `discovery` orders results.
fn better_than(a: &Assessment, b: &Assessment) -> bool {
    a.score
        .cmp(&b.score)
        .then(a.fit.total_cmp(&b.fit))
        .then(a.relevance.total_cmp(&b.relevance))
        .is_gt()
}

/// `find_within` for one need; with `ids`, also the ids of every company that matches (scores at
/// least `MIN_SCORE`), beyond those selected.
async fn find_need(
    icp: &Icp,
    countries: &[String],
    catalog: &dyn CatalogSource,
    exclusions: &mut dyn Exclusions,
    budget: Option<Budget>,
    ids: bool,
) -> Result<(Found, Vec<String>), ApiError> {
    let industries = (!icp.industries.is_empty()).then_some(icp.industries.as_slice());
    let named = markets(countries, industries);
    let (wanted, mut coverage) = match &budget {
        Some(b) => {
            let (chosen, coverage) = choose(&named, &catalog.market_sizes(&named).await?, b);
            (chosen, Some(coverage))
        }
        None => (named, None),
    };
    let mut candidates = match &budget {
        Some(b) => {
            let read = catalog
                .candidates_at_most(&wanted, &icp.keywords, b.records)
                .await?;
            if let Some(c) = &mut coverage {
                c.read = read.records.len() as u64;
            }
            read
        }
        None => catalog.candidates(&wanted, &icp.keywords).await?,
    };
    exclusions.cover(&candidates.records).await?;
    let (mut ranked, mut stats, mut matching) =
        discover_matching(icp, &candidates, exclusions.index(), ids);
    let related: Vec<Industry> = Industry::related(&icp.industries)
        .into_iter()
        .filter(|r| !icp.excluded.contains(r))
        .collect();
    let complete = coverage.is_none_or(|c| !c.partial());
    if ranked.len() < WIDEN_BELOW && !related.is_empty() && complete {
        // The related segments' markets not read yet (a host of a wanted segment may be one):
        // each company once, each market's statistics once.
        let covered = candidates.records.len();
        let more: Vec<(String, Industry)> = markets(countries, Some(&related))
            .into_iter()
            .filter(|m| !wanted.contains(m))
            .collect();
        if let (Some(b), Some(c)) = (&budget, &mut coverage) {
            let left = Budget {
                markets: b.markets.saturating_sub(wanted.len()),
                records: b.records.saturating_sub(c.read),
                bodies: b.bodies,
            };
            let sizes = catalog.market_sizes(&more).await?;
            let (chosen, widened) = choose(&more, &sizes, &left);
            // Widening only adds to what was named; when it is cut short the count estimates.
            c.named += widened.named;
            if left.records > 0 && !chosen.is_empty() {
                let read = catalog
                    .candidates_at_most(&chosen, &icp.keywords, left.records)
                    .await?;
                c.read += read.records.len() as u64;
                candidates.extend(read);
            }
        } else {
            candidates.extend(catalog.candidates(&more, &icp.keywords).await?);
        }
        exclusions.cover(&candidates.records[covered..]).await?;
        (ranked, stats, matching) = discover_matching(icp, &candidates, exclusions.index(), ids);
    }
    if let Some(b) = &budget {
        ranked.truncate(b.bodies);
    }
    let candidates = candidates.records;
    let matching: Vec<String> = matching
        .into_iter()
        .map(|i| candidates[i].id.clone())
        .collect();
    let ids: Vec<String> = ranked
        .iter()
        .map(|r| candidates[r.index].id.clone())
        .collect();
    let mut bodies = catalog.by_ids(&ids).await?;
    // A company deleted between the two reads is no longer there to deliver.
    let selected = ranked
        .into_iter()
        .filter_map(|r| {
            let company = bodies.remove(&candidates[r.index].id)?;
            Some((company, r.assessment))
        })
        .collect();
    Ok((
        Found {
            selected,
            candidates: candidates.len(),
            stats,
            coverage,
        },
        matching,
    ))
}

/// Fewer results than this from the wanted segments: related segments are read too.
pub const WIDEN_BELOW: usize = 20;

/// Whether a catalog company can be the submitted one found by name: city and country, where
/// both sides give them, must agree.
fn same_place(c: &CatalogCompany, s: &SubmittedCompany) -> bool {
    let agree = |a: Option<String>, b: Option<String>| match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    agree(
        c.city.as_deref().map(normalize::city),
        s.city.as_deref().map(normalize::city),
    ) && agree(
        c.country.as_deref().map(normalize::country),
        s.country.as_deref().map(normalize::country),
    )
}

/// A company the catalog does not know: what the partner told us.
fn from_submission(s: &SubmittedCompany) -> CatalogCompany {
    let domain = s
        .website_url
        .as_deref()
        .and_then(normalize::registrable_domain);
    let name = s
        .company_name
        .clone()
        .or_else(|| domain.clone())
        .unwrap_or_else(|| s.external_id.clone());
    CatalogCompany {
        id: company_id(domain.as_deref(), &name, s.country.as_deref()),
        name,
        website_url: s.website_url.clone(),
        domain,
        city: s.city.clone(),
        country: s.country.clone(),
        ..Default::default()
    }
}

/// Matches submitted companies to the catalog: by registrable domain, then by normalised name with
/// agreeing city/country; unmatched ones keep what was submitted. One entry per submission, in order.
/// Two batched lookups for the whole list (domains, then the names of the rest), whatever its size.
pub async fn match_submitted(
    submitted: &[SubmittedCompany],
    catalog: &dyn CatalogSource,
) -> Result<Vec<(CatalogCompany, bool)>, ApiError> {
    let domain_of = |s: &SubmittedCompany| {
        s.website_url
            .as_deref()
            .and_then(normalize::registrable_domain)
    };
    let domains: Vec<String> = submitted.iter().filter_map(domain_of).collect();
    let by_domain = catalog.by_ids(&domains).await?;
    let found = |s: &SubmittedCompany| domain_of(s).and_then(|d| by_domain.get(&d));
    let name_of = |s: &SubmittedCompany| {
        s.company_name
            .as_deref()
            .map(normalize::company_name)
            .filter(|n| !n.is_empty())
    };
    let mut names: Vec<String> = submitted
        .iter()
        .filter(|s| found(s).is_none())
        .filter_map(name_of)
        .collect();
    names.sort();
    names.dedup();
    let by_name = catalog.by_names(&names).await?;
    Ok(submitted
        .iter()
        .map(|s| {
            let named = || by_name.get(&name_of(s)?)?.iter().find(|c| same_place(c, s));
            match found(s).or_else(named) {
                Some(c) => (c.clone(), true),
                None => (from_submission(s), false),
            }
        })
        .collect())
}

/// Enrichment of submitted companies; `source_id` is the partner's `external_id`.
pub async fn enrich_submitted(
    order: &Order,
    submitted: &[SubmittedCompany],
    catalog: &dyn CatalogSource,
    ctx: &EnrichContext<'_>,
) -> Result<Vec<CompanyResult>, ApiError> {
    let results = enrich_submitted_until(order, submitted, catalog, ctx, None).await?;
    Ok(results.into_iter().flatten().collect())
}

/// Enrichment of submitted companies until `until`: one slot per submission, `None` where the
/// time ran out first. Each company's result depends only on itself and the order, so the
/// slots left empty can be computed later, alone, with the same outcome.
pub async fn enrich_submitted_until(
    order: &Order,
    submitted: &[SubmittedCompany],
    catalog: &dyn CatalogSource,
    ctx: &EnrichContext<'_>,
    until: Option<tokio::time::Instant>,
) -> Result<Vec<Option<CompanyResult>>, ApiError> {
    let matched = match_submitted(submitted, catalog).await?;
    let icp: Option<Icp> = order
        .ideal_customer_profile
        .as_ref()
        .map(|_| icp::parse(order));
    let docs: Vec<Doc> = matched
        .iter()
        .map(|(c, _)| {
            Doc::new([
                c.name.as_str(),
                c.description.as_deref().unwrap_or_default(),
                c.industry.as_deref().unwrap_or_default(),
            ])
        })
        .collect();
    // Fixed statistics: a batch is an arbitrary slice of the submission, and a company must
    // score the same in whichever batch it lands.
    let bm25 = icp.as_ref().map(|i| Bm25::fixed(&i.keywords));
    let raw: Vec<f64> = match &bm25 {
        Some(b) => docs.iter().map(|d| b.score(d)).collect(),
        None => vec![0.0; docs.len()],
    };
    let full = bm25.as_ref().map(Bm25::full_score).unwrap_or(0.0);
    let facts: Vec<Facts> = matched.iter().map(|(c, _)| Facts::of(c)).collect();
    let mut assessments = Vec::with_capacity(matched.len());
    for i in 0..matched.len() {
        let facts = &facts[i];
        let assessment = icp.as_ref().map(|icp| {
            let terms = bm25
                .as_ref()
                .map(|b| {
                    b.matched_terms(&docs[i])
                        .into_iter()
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            // As discovery reads them (`features::Features::labels`).
            let company = &matched[i].0;
            let labels: Vec<Vec<String>> = company
                .industry
                .iter()
                .chain(&company.keywords)
                .map(|l| super::industry::tokens(l))
                .collect();
            assess_labelled(
                icp,
                facts,
                Some(&labels),
                if full > 0.0 {
                    (raw[i] / full).min(1.0)
                } else {
                    0.0
                },
                terms,
            )
        });
        assessments.push(assessment);
    }
    let results = build_until(
        matched
            .iter()
            .zip(submitted)
            .enumerate()
            .map(|(i, ((company, _), s))| {
                let analysis = match (&icp, &assessments[i]) {
                    (Some(icp), Some(a)) => Some(Analysis {
                        icp,
                        facts: &facts[i],
                        assessment: a,
                    }),
                    _ => None,
                };
                build_result(order, company, Some(s.external_id.clone()), analysis, ctx)
            })
            .collect::<Vec<_>>(),
        until,
    )
    .await;
    Ok(results)
}

#[cfg(test)]
mod tests;
