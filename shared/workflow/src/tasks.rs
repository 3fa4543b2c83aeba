//! The five tasks of the lifecycle: start-processing, discover (plan), enrich-batch, complete, fail.
use crate::budget::Budget;
use crate::error::{TaskError, TaskResult, PERMANENT, RETRYABLE};
use api::app::App;
use api::usecases::{blacklists, lifecycle};
use domain::blacklist::MatchKey;
use domain::order::SubmittedCompany;
use domain::order::{Order, OrderStatus, OrderType, Priority};
use domain::results::CompanyResult;
use engine::blacklist_match::{company_delivered_key, delivered_key};
use engine::email::MxResolver;
use engine::enrich::EnrichContext;
use engine::icp;
use engine::pipeline::{build_discovered_until, enrich_submitted_until, find_excluding};
use engine::ports::{CatalogSource, Network};
use engine::selection::Found;
use engine::technologies::PageFetcher;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;
use store::catalog::CatalogStore;
use store::orders::Change;
use store::work::{Staged, WorkItem};
use uuid::Uuid;

/// Companies per Map item: one delivery transaction (at most 100 items, 2 for bookkeeping).
pub const BATCH_SIZE: usize = 90;

/// What the task functions share, built once per container.
pub struct Engine {
    pub app: App,
    pub catalog: Arc<dyn CatalogSource>,
    pub resolver: Arc<dyn MxResolver>,
    pub fetcher: Option<Arc<dyn PageFetcher>>,
}

/// Builds a task function's network ports (`outbound::network` for enrich-batch; the others
/// use `Network::offline`), given whether it runs locally.
pub type NetworkFrom = fn(local_mode: bool) -> Network;

impl Engine {
    pub async fn from_env(wiring: api::app::Wiring, network: NetworkFrom) -> Result<Self, String> {
        let mut config = config::Config::from_env()?;
        config.aws = config.aws.for_tasks();
        let sdk = api::app::load_sdk().await;
        let app = App::wired(config, &sdk, wiring);
        let catalog: Arc<dyn CatalogSource> = match CatalogStore::of(&app.config, &app.db) {
            Ok(store) => Arc::new(store),
            Err(_) => Arc::new(NoCatalog),
        };
        let Network { resolver, fetcher } = network(app.config.local_mode);
        Ok(Self {
            app,
            catalog,
            resolver,
            fetcher,
        })
    }
}

/// The catalog of a task deployed without `CATALOG_TABLE_NAME` (start, complete, fail never
/// read it): any read is a configuration error.
struct NoCatalog;

#[async_trait::async_trait]
impl CatalogSource for NoCatalog {
    async fn candidates(
        &self,
        _: &[(String, engine::industry::Industry)],
        _: &[String],
    ) -> Result<engine::ports::Candidates, domain::ApiError> {
        Err(no_catalog())
    }
    async fn market_sizes(
        &self,
        _: &[(String, engine::industry::Industry)],
    ) -> Result<
        std::collections::HashMap<(String, engine::industry::Industry), u64>,
        domain::ApiError,
    > {
        Err(no_catalog())
    }
    async fn by_ids(
        &self,
        _: &[String],
    ) -> Result<std::collections::HashMap<String, engine::catalog::CatalogCompany>, domain::ApiError>
    {
        Err(no_catalog())
    }
    async fn by_names(
        &self,
        _: &[String],
    ) -> Result<
        std::collections::HashMap<String, Vec<engine::catalog::CatalogCompany>>,
        domain::ApiError,
    > {
        Err(no_catalog())
    }
}

fn no_catalog() -> domain::ApiError {
    domain::ApiError::Internal(
        "CATALOG_TABLE_NAME or CATALOG_FEATURES_TABLE_NAME is not set".into(),
    )
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BatchRef {
    pub index: u64,
    pub offset: usize,
    pub count: usize,
}

#[derive(Debug, Deserialize)]
pub struct TaskInput {
    pub order_id: Uuid,
    pub tenant_id: String,
    #[serde(default)]
    pub batch: Option<BatchRef>,
    /// The `Catch` output (`{Error, Cause}`) the fail task explains.
    #[serde(default)]
    pub error: Option<Value>,
}

fn input(event: Value) -> Result<TaskInput, TaskError> {
    serde_json::from_value(event)
        .map_err(|e| TaskError::permanent(format!("malformed task input: {e}")))
}

/// The order, if it may still be worked on.
async fn open_order(
    engine: &Engine,
    i: &TaskInput,
    expected: OrderStatus,
) -> Result<Order, TaskError> {
    let order = engine
        .app
        .db
        .get_order(&i.tenant_id, i.order_id)
        .await?
        .ok_or_else(|| TaskError::permanent("order not found"))?;
    // What a crashed task delivered and did not record in the tenant's register is recorded
    // by the order's next task, whatever the order's status now.
    if order.delivered_recorded < order.result_count {
        engine
            .app
            .db
            .catch_up_delivered(&i.tenant_id, i.order_id)
            .await?;
    }
    match order.status {
        OrderStatus::Cancelled => Err(TaskError::cancelled("order was cancelled")),
        s if s == expected => Ok(order),
        s => Err(TaskError::permanent(format!(
            "order is {s}, expected {expected}"
        ))),
    }
}

/// ACCEPTED -> IN_PROGRESS (sets `prospect_search_id`). A retry after success finds it IN_PROGRESS.
pub async fn start_processing(engine: Arc<Engine>, event: Value, _budget: Budget) -> TaskResult {
    let i = input(event)?;
    let order = engine
        .app
        .db
        .get_order(&i.tenant_id, i.order_id)
        .await?
        .ok_or_else(|| TaskError::permanent("order not found"))?;
    let order = match order.status {
        OrderStatus::Accepted => match lifecycle::transition(
            &engine.app,
            &i.tenant_id,
            i.order_id,
            OrderStatus::InProgress,
            Change::default(),
        )
        .await
        {
            Ok(t) => t.order,
            // Moved on meanwhile (a cancellation, or this task's earlier attempt): say where to.
            Err(domain::ApiError::InvalidStatusTransition(_)) => {
                open_order(&engine, &i, OrderStatus::InProgress).await?
            }
            // Anything else (contention that outlasted its retries, an outage) is retried: it
            // says nothing about the order, so it must never cancel it as `Permanent`.
            Err(e) => return Err(e.into()),
        },
        OrderStatus::InProgress => order,
        OrderStatus::Cancelled => return Err(TaskError::cancelled("order was cancelled")),
        other => {
            return Err(TaskError::permanent(format!(
                "order is {other}, expected ACCEPTED"
            )))
        }
    };
    Ok(json!({"prospect_search_id": order.prospect_search_id}))
}

fn batches(total: usize) -> Vec<BatchRef> {
    (0..total.div_ceil(BATCH_SIZE))
        .map(|k| BatchRef {
            index: k as u64,
            offset: k * BATCH_SIZE,
            count: BATCH_SIZE.min(total - k * BATCH_SIZE),
        })
        .collect()
}

/// The plan: which companies, in which batches. Discovery ranks the catalog now, with the
/// blacklist entries current now, and stores the selection; enrichment batches the submission.
pub async fn plan(engine: Arc<Engine>, event: Value, _budget: Budget) -> TaskResult {
    let i = input(event)?;
    let order = open_order(&engine, &i, OrderStatus::InProgress).await?;
    let total = match order.order_type {
        OrderType::Enrichment => engine
            .app
            .db
            .submitted_companies(&i.tenant_id, i.order_id)
            .await?
            .len(),
        OrderType::Discovery => {
            let mut blacklist =
                blacklists::Exclusions::of(&engine.app.db, &i.tenant_id, &order.blacklist_ids)
                    .await?;
            if order.exclude_delivered {
                blacklist = blacklist.and_delivered().await?;
            }
            let Found {
                selected, stats, ..
            } = find_excluding(
                &icp::parse(&order),
                order.target_countries.as_deref().unwrap_or_default(),
                engine.catalog.as_ref(),
                &mut blacklist,
                None,
            )
            .await?;
            let work: Vec<WorkItem> = selected
                .into_iter()
                .map(|(company, assessment)| WorkItem {
                    company,
                    assessment,
                })
                .collect();
            engine.app.db.put_work(&order, &work).await?;
            if order.exclude_delivered {
                engine
                    .app
                    .db
                    .set_excluded_delivered(&order, stats.delivered.len() as u64)
                    .await?;
            }
            work.len()
        }
    };
    engine
        .app
        .db
        .set_planned_batches(&order, batches(total).len() as u64)
        .await?;
    Ok(
        json!({"batches": batches(total), "companies": total, "express": order.priority == Priority::Express}),
    )
}

/// Computes one batch's results within the invocation's time budget, then delivers the batch in
/// batch order. What does not fit is handed back: the output says `done: false` and the state
/// machine invokes the task again for the same batch, which computes only the positions still
/// missing (the finished ones are staged). An invocation that finishes nothing fails `Retryable`.
pub async fn enrich_batch(engine: Arc<Engine>, event: Value, budget: Budget) -> TaskResult {
    let i = input(event)?;
    let batch = i
        .batch
        .clone()
        .ok_or_else(|| TaskError::permanent("enrich-batch needs a batch"))?;
    let order = open_order(&engine, &i, OrderStatus::InProgress).await?;
    let staged = engine.app.db.staged(&order, batch.index).await?;
    let mut computed = 0;
    if !staged.complete {
        let (size, results) = compute_batch(&engine, &order, &batch, &staged, budget).await?;
        computed = results.len();
        engine
            .app
            .db
            .stage_results(&order, batch.index, &results)
            .await?;
        let remaining = size - staged.results.len() - computed;
        if remaining > 0 {
            if computed == 0 {
                return Err(TaskError::retryable(format!(
                    "no company of batch {} finished within the time budget",
                    batch.index
                )));
            }
            return Ok(
                json!({"batch": batch.index, "done": false, "computed": computed, "remaining": remaining}),
            );
        }
        engine.app.db.mark_staged(&order, batch.index, size).await?;
    }
    let after = engine.app.db.flush_staged(&i.tenant_id, i.order_id).await?;
    if after.status == OrderStatus::Cancelled {
        return Err(TaskError::cancelled("order was cancelled"));
    }
    Ok(
        json!({"batch": batch.index, "done": true, "computed": computed, "batches_delivered": after.next_batch}),
    )
}

/// The batch's size, and the results of the positions not staged yet that finished in time,
/// each with the key its company is recorded under once delivered (the register of delivered
/// companies): the catalog company's identity, or the submission's where the result shows none.
async fn compute_batch(
    engine: &Engine,
    order: &Order,
    batch: &BatchRef,
    staged: &Staged,
    budget: Budget,
) -> Result<(usize, Vec<(usize, CompanyResult, Option<MatchKey>)>), TaskError> {
    let ctx = EnrichContext {
        resolver: engine.resolver.as_ref(),
        fetcher: engine.fetcher.as_deref(),
    };
    let missing = |size: usize| -> Vec<usize> {
        (0..size)
            .filter(|p| !staged.results.contains_key(p))
            .collect()
    };
    let (size, positions, results) = match order.order_type {
        OrderType::Enrichment => {
            let submitted = engine
                .app
                .db
                .submitted_companies(&order.tenant_id, order.order_id)
                .await?;
            let slice = submitted
                .get(batch.offset..(batch.offset + batch.count).min(submitted.len()))
                .unwrap_or_default();
            let positions = missing(slice.len());
            let todo: Vec<SubmittedCompany> = positions.iter().map(|p| slice[*p].clone()).collect();
            let results = enrich_submitted_until(
                order,
                &todo,
                engine.catalog.as_ref(),
                &ctx,
                budget.work_until(),
            )
            .await?;
            let keyed: Vec<Option<(CompanyResult, Option<MatchKey>)>> = results
                .into_iter()
                .zip(&todo)
                .map(|(r, s)| {
                    r.map(|r| {
                        let key = submitted_key(&r, s);
                        (r, key)
                    })
                })
                .collect();
            (slice.len(), positions, keyed)
        }
        OrderType::Discovery => {
            let work = engine.app.db.work(order).await?;
            let slice: Vec<&WorkItem> = work.iter().skip(batch.offset).take(batch.count).collect();
            let positions = missing(slice.len());
            let todo: Vec<_> = positions
                .iter()
                .map(|p| (&slice[*p].company, &slice[*p].assessment))
                .collect();
            let results = build_discovered_until(order, &todo, &ctx, budget.work_until()).await;
            let keyed = results
                .into_iter()
                .zip(&todo)
                .map(|(r, (company, _))| r.map(|r| (r, company_delivered_key(company))))
                .collect();
            (slice.len(), positions, keyed)
        }
    };
    let finished = positions
        .into_iter()
        .zip(results)
        .filter_map(|(p, r)| r.map(|(r, key)| (p, r, key)))
        .collect();
    Ok((size, finished))
}

/// An enriched company's key: the catalog's domain where the result shows it (COMPANY_DATA),
/// else the submitted site's, else its name with the country shown or submitted.
fn submitted_key(r: &CompanyResult, s: &SubmittedCompany) -> Option<MatchKey> {
    let domain = [
        r.normalized_url.as_deref(),
        r.website_url.as_deref(),
        s.website_url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(domain::normalize::registrable_domain);
    let country = r.country.as_deref().or(s.country.as_deref());
    delivered_key(domain, &r.name, country)
}

/// IN_PROGRESS -> COMPLETED with the final company count and cost.
pub async fn complete(engine: Arc<Engine>, event: Value, _budget: Budget) -> TaskResult {
    let i = input(event)?;
    match open_order(&engine, &i, OrderStatus::InProgress).await {
        Err(e) if e.error_type == PERMANENT => {
            let o = engine.app.db.get_order(&i.tenant_id, i.order_id).await?;
            if o.as_ref()
                .is_some_and(|o| o.status == OrderStatus::Completed)
            {
                return Ok(json!({"status": "COMPLETED"})); // a retry after success
            }
            return Err(e);
        }
        other => {
            other?;
        }
    }
    // Every planned batch delivered, read consistently: a batch staged but not yet flushed is
    // delivered now; one still missing makes completion wait (retried), never complete short.
    // Boxed: keeps the task's future type shallow enough for the compiler's layout depth.
    let order = Box::pin(engine.app.db.flush_staged(&i.tenant_id, i.order_id)).await?;
    if order.status != OrderStatus::InProgress {
        return Err(TaskError::cancelled(format!("order is {}", order.status)));
    }
    let planned = order.planned_batches.unwrap_or(order.next_batch);
    if order.next_batch < planned {
        return Err(TaskError::retryable(format!(
            "{} of {planned} batches delivered",
            order.next_batch
        )));
    }
    let cost =
        engine
            .app
            .config
            .prices
            .estimate(order.result_count, &order.features, order.priority);
    let change = Change {
        company_count: Some(order.result_count),
        estimated_cost: Some(cost),
        ..Default::default()
    };
    let t = lifecycle::transition(
        &engine.app,
        &i.tenant_id,
        i.order_id,
        OrderStatus::Completed,
        change,
    )
    .await
    .map_err(|e| match e {
        domain::ApiError::InvalidStatusTransition(m) => TaskError::cancelled(m),
        other => other.into(),
    })?;
    Ok(json!({"status": "COMPLETED", "company_count": t.order.company_count}))
}

/// The partner-readable reason an order could not be processed.
pub fn failure_note(error: Option<&Value>) -> String {
    let kind = error
        .and_then(|e| e.get("Error"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let reason = match kind {
        RETRYABLE => "a data source we depend on stayed unavailable after several retries",
        "States.Timeout" | "Sandbox.Timedout" => "processing took longer than allowed",
        _ => "an unexpected error occurred while processing it",
    };
    format!("We could not complete this order because {reason}. It was cancelled and will not be charged; please submit it again or contact support.")
}

/// After retries: the order ends CANCELLED with a note; its event is sent like any other.
pub async fn fail(engine: Arc<Engine>, event: Value, _budget: Budget) -> TaskResult {
    let i = input(event)?;
    let note = failure_note(i.error.as_ref());
    // The last task of a failed run: what it delivered is recorded before it ends.
    engine
        .app
        .db
        .catch_up_delivered(&i.tenant_id, i.order_id)
        .await?;
    match lifecycle::transition(
        &engine.app,
        &i.tenant_id,
        i.order_id,
        OrderStatus::Cancelled,
        Change::notes(note),
    )
    .await
    {
        Ok(_) => Ok(json!({"status": "CANCELLED"})),
        // Already cancelled or completed: nothing left to do.
        Err(domain::ApiError::InvalidStatusTransition(_)) => Ok(json!({"status": "unchanged"})),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_everything_once() {
        let b = batches(2500);
        assert_eq!(b.len(), 28);
        assert_eq!(b.iter().map(|x| x.count).sum::<usize>(), 2500);
        assert_eq!(
            b.last().unwrap(),
            &BatchRef {
                index: 27,
                offset: 2430,
                count: 70
            }
        );
        assert!(batches(0).is_empty());
    }

    #[test]
    fn failure_notes_are_for_partners() {
        let n = failure_note(Some(
            &json!({"Error": "Retryable", "Cause": "ThrottlingException on arn:aws:dynamodb"}),
        ));
        assert!(n.contains("unavailable") && !n.contains("arn:aws"));
        assert!(failure_note(None).contains("will not be charged"));
        let timed_out = failure_note(Some(&json!({"Error": "Sandbox.Timedout"})));
        assert!(timed_out.contains("longer than allowed"), "{timed_out}");
    }
}
