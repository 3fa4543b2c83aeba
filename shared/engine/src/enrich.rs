//! Turning a catalog company into the Company result of the guide, filling exactly the ordered
//! features (docs/contract-notes.md "Results": fields of features not ordered are null).
use super::catalog::CatalogCompany;
use super::contacts;
use super::email::{self, MxResolver};
use super::icp::Icp;
use super::scoring::{Assessment, Facts};
use super::technologies::{self, PageFetcher};
use domain::order::{Feature, Order};
use domain::results::{CompanyResult, SocialLink};
use uuid::Uuid;

/// The ports enrichment needs, built once per container.
pub struct EnrichContext<'a> {
    pub resolver: &'a dyn MxResolver,
    /// `None` skips website fetching (benchmarks "without the network features").
    pub fetcher: Option<&'a dyn PageFetcher>,
}

/// The analysis of a company against the order's ICP, when there is one.
pub struct Analysis<'a> {
    pub icp: &'a Icp,
    pub facts: &'a Facts,
    pub assessment: &'a Assessment,
}

/// Result ids derive from the order and the company, so a retried batch writes the same ids.
pub fn result_id(order: &Order, company: &CatalogCompany, source_id: Option<&str>) -> Uuid {
    let name = format!("{}|{}", company.id, source_id.unwrap_or_default());
    Uuid::new_v5(&order.order_id, name.as_bytes())
}

/// How many companies of one batch are enriched at once: network features (MX lookups, website
/// fetches) wait on other hosts, so a batch overlaps them, in bounded number.
pub const PARALLEL_COMPANIES: usize = 16;

/// Runs result builders `PARALLEL_COMPANIES` at a time, started in list order, until `until`:
/// slot `i` holds job `i`'s result, or `None` when time ran out before it finished (the jobs
/// still running then are dropped, which cancels their fetches and lookups).
pub async fn build_until<F: std::future::Future<Output = CompanyResult>>(
    jobs: Vec<F>,
    until: Option<tokio::time::Instant>,
) -> Vec<Option<CompanyResult>> {
    use futures::StreamExt;
    let mut out: Vec<Option<CompanyResult>> = (0..jobs.len()).map(|_| None).collect();
    let finished = futures::stream::iter(
        jobs.into_iter()
            .enumerate()
            .map(|(i, job)| async move { (i, job.await) }),
    )
    .buffer_unordered(PARALLEL_COMPANIES);
    let deadline = async move {
        match until {
            Some(t) => tokio::time::sleep_until(t).await,
            None => std::future::pending().await,
        }
    };
    let mut finished = std::pin::pin!(finished.take_until(deadline));
    while let Some((i, result)) = finished.next().await {
        out[i] = Some(result);
    }
    out
}

pub async fn build_result(
    order: &Order,
    company: &CatalogCompany,
    source_id: Option<String>,
    analysis: Option<Analysis<'_>>,
    ctx: &EnrichContext<'_>,
) -> CompanyResult {
    let wants = |f: Feature| order.features.contains(&f);
    let mut r = CompanyResult::named(company.name.clone());
    r.id = result_id(order, company, source_id.as_deref());
    r.source_id = source_id;
    if wants(Feature::CompanyData) {
        r.website_url = company
            .website_url
            .clone()
            .or_else(|| company.domain.as_ref().map(|d| format!("https://{d}")));
        r.normalized_url = company.domain.clone();
        r.business_type = company.business_type.clone();
        r.city = company.city.clone();
        r.country = company.country.clone();
        r.description = company.description.clone();
        r.employee_count = company.employee_count;
        r.phone_numbers = Some(company.phone_numbers.clone());
        r.social_media_links = Some(
            company
                .social_links
                .iter()
                .map(|s| SocialLink {
                    platform: s.platform.clone(),
                    url: s.url.clone(),
                })
                .collect(),
        );
        r.legal_registration_info = company.legal_registration_info.clone();
    }
    if let (true, Some(a)) = (wants(Feature::Analysis), &analysis) {
        r.match_score = Some(a.assessment.score);
        r.match_reasons = Some(super::similarity::reasons::reasons(a.assessment));
        r.match_reasoning = Some(super::similarity::reasons::reasoning(
            a.icp,
            company,
            a.facts,
            a.assessment,
            order.output_language.as_deref(),
        ));
    }
    if wants(Feature::Contacts) || wants(Feature::EmailDiscovery) {
        let roles = order.contact_roles.clone().unwrap_or_default();
        let mut prospects = contacts::prospects_for(company, r.id, &roles, order.language());
        if !wants(Feature::Contacts) {
            for p in &mut prospects {
                p.qualification_score = None;
                p.qualification_reason = None;
            }
        }
        if wants(Feature::EmailDiscovery) {
            email::discover_emails(company, &mut prospects, ctx.resolver).await;
        }
        r.prospects = prospects;
    }
    if wants(Feature::Technologies) {
        let site = company
            .website_url
            .clone()
            .or_else(|| company.domain.clone());
        let detected = match (ctx.fetcher, site) {
            (Some(fetcher), Some(site)) => technologies::analyze(fetcher, &site).await.ok(),
            _ => None,
        };
        // The list is as fresh as its newest source: the homepage analysed now, else the
        // catalog's technologies as of when they were learnt; no time when there is neither.
        let analysed_at = match &detected {
            Some(_) => Some(domain::clock::now_string()),
            None if company.technologies.is_empty() => None,
            None => company.technologies_seen_at.clone(),
        };
        let mut all = detected.unwrap_or_default();
        all.extend(company.technologies.iter().cloned());
        all.sort_by_key(|t| t.to_lowercase());
        all.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        r.web_technologies = Some(all);
        r.web_technologies_analyzed_at = analysed_at;
    }
    r
}
