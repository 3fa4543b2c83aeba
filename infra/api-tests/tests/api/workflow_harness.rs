//! The lifecycle run for real: the ASL executed by the emulator, the bridge invoking the task
//! functions in-process, faults injectable per order and function.
use crate::harness::*;
use engine::email::StaticMx;
use ops::bridge::{Bridge, InvokeError, Invoker};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::OnceCell;
use workflow::tasks::Engine;
use workflow::Budget;

/// Errors to raise instead of running a function, per (order id, function), in order.
type Faults = Mutex<HashMap<(String, String), VecDeque<String>>>;

fn faults() -> &'static Faults {
    static F: OnceLock<Faults> = OnceLock::new();
    F.get_or_init(Default::default)
}

pub fn inject(order_id: &str, function: &str, errors: &[&str]) {
    faults().lock().unwrap().insert(
        (order_id.to_string(), function.to_string()),
        errors.iter().map(|s| s.to_string()).collect(),
    );
}

/// Orders whose every enrich-batch dies once, mid-way: (order id) -> (cut after, batches cut so far).
type Crashes = Mutex<HashMap<String, (std::time::Duration, std::collections::HashSet<u64>)>>;

fn crashes() -> &'static Crashes {
    static C: OnceLock<Crashes> = OnceLock::new();
    C.get_or_init(Default::default)
}

/// Every batch of the order is killed once `after` into its run (the process exits wherever it
/// is: some writes done, others not), then retried by the state machine.
pub fn crash_each_batch_once(order_id: &str, after: std::time::Duration) {
    crashes()
        .lock()
        .unwrap()
        .insert(order_id.to_string(), (after, Default::default()));
}

/// Calls to each (order, function), to count runs.
fn calls() -> &'static Mutex<HashMap<(String, String), usize>> {
    static C: OnceLock<Mutex<HashMap<(String, String), usize>>> = OnceLock::new();
    C.get_or_init(Default::default)
}

pub fn call_count(order_id: &str, function: &str) -> usize {
    *calls()
        .lock()
        .unwrap()
        .get(&(order_id.to_string(), function.to_string()))
        .unwrap_or(&0)
}

/// How long each task function may run before "Lambda" cuts it off: its timeout in
/// template.yaml, unless a test sets another for its order.
fn function_timeout(function: &str) -> std::time::Duration {
    static TEMPLATE: OnceLock<ops::template::Template> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| ops::template::Template::load_default().expect("template.yaml"))
        .function_timeout(function)
        .unwrap_or_else(|| panic!("no timeout for {function} in template.yaml"))
}

/// Orders run by an engine of their own (other ports) and a function timeout of their own.
type Overrides = Mutex<HashMap<String, (Arc<Engine>, std::time::Duration)>>;

fn overrides() -> &'static Overrides {
    static O: OnceLock<Overrides> = OnceLock::new();
    O.get_or_init(Default::default)
}

/// The tasks of `order_id` run with `engine` (its own fetcher and resolver), and each invocation
/// of `enrich-batch` is cut off after `timeout` the way Lambda does (`Sandbox.Timedout`, nothing
/// after it runs).
pub fn run_order_with(order_id: &str, engine: Arc<Engine>, timeout: std::time::Duration) {
    overrides()
        .lock()
        .unwrap()
        .insert(order_id.to_string(), (engine, timeout));
}

/// Invocations of (order, function) the "Lambda" cut off at its timeout.
pub fn timeouts(order_id: &str, function: &str) -> usize {
    *cut_off()
        .lock()
        .unwrap()
        .get(&(order_id.to_string(), function.to_string()))
        .unwrap_or(&0)
}

fn cut_off() -> &'static Mutex<HashMap<(String, String), usize>> {
    static C: OnceLock<Mutex<HashMap<(String, String), usize>>> = OnceLock::new();
    C.get_or_init(Default::default)
}

/// A task engine of its own for a test: the proxied app and the catalog, with `resolver` and
/// `fetcher` as its network ports.
pub async fn engine_with(
    resolver: Arc<dyn engine::email::MxResolver>,
    fetcher: Option<Arc<dyn engine::technologies::PageFetcher>>,
) -> Arc<Engine> {
    let app = task_app_through_proxy().await;
    let app = Arc::try_unwrap(app).unwrap_or_else(|_| unreachable!("fresh app"));
    let catalog = store::catalog::CatalogStore::of(&app.config, &app.db).unwrap();
    Arc::new(Engine {
        app,
        catalog: Arc::new(catalog),
        resolver,
        fetcher,
    })
}

struct InProcess {
    engine: OnceCell<Arc<Engine>>,
}

#[async_trait::async_trait]
impl Invoker for InProcess {
    async fn invoke(&self, function: &str, payload: Value) -> Result<Value, InvokeError> {
        let order_id = payload["order_id"].as_str().unwrap_or_default().to_string();
        let own = overrides().lock().unwrap().get(&order_id).cloned();
        let (engine, timeout) = match own {
            // The short timeout is the batch's: the other tasks keep the template's, as in the
            // deployment (a loaded test machine must not cut off a task the test is not about).
            Some((engine, timeout)) if function == "enrich-batch" => (engine, timeout),
            Some((engine, _)) => (engine, function_timeout(function)),
            None => (
                self.engine
                    .get_or_init(|| engine_with(Arc::new(StaticMx(HashMap::new())), None))
                    .await
                    .clone(),
                function_timeout(function),
            ),
        };
        let key = (order_id, function.to_string());
        *calls().lock().unwrap().entry(key.clone()).or_default() += 1;
        let injected = faults()
            .lock()
            .unwrap()
            .get_mut(&key)
            .and_then(VecDeque::pop_front);
        if let Some(error_type) = injected {
            return Err(InvokeError {
                error_type,
                message: "injected by the test".into(),
            });
        }
        let batch = payload.get("batch").cloned();
        let crash_after = (function == "enrich-batch")
            .then(|| {
                let index = batch.as_ref()?.get("index")?.as_u64()?;
                let mut c = crashes().lock().unwrap();
                let (after, cut) = c.get_mut(&key.0)?;
                cut.insert(index)
                    .then_some(*after + std::time::Duration::from_millis(45 * index))
            })
            .flatten();
        if let Some(after) = crash_after {
            // The process dies: whatever the handler has not finished is simply not done.
            let budget = Budget::within(timeout);
            let run = enrich_batch::handler(engine, payload, budget);
            let _ = tokio::time::timeout(after, as_function(function, run)).await;
            return Err(InvokeError {
                error_type: "Lambda.Unknown".into(),
                message: "the function's process exited".into(),
            });
        }
        let budget = Budget::within(timeout);
        let run = async {
            match function {
                "start-processing" => {
                    Some(start_processing::handler(engine, payload, budget).await)
                }
                "discover" => Some(discover::handler(engine, payload, budget).await),
                "enrich-batch" => Some(enrich_batch::handler(engine, payload, budget).await),
                "complete-order" => Some(complete_order::handler(engine, payload, budget).await),
                "fail-order" => Some(fail_order::handler(engine, payload, budget).await),
                _ => None,
            }
        };
        let result = match tokio::time::timeout(timeout, as_function(function, run)).await {
            Ok(Some(result)) => result,
            Ok(None) => {
                return Err(InvokeError {
                    error_type: "Lambda.ResourceNotFoundException".into(),
                    message: function.into(),
                })
            }
            Err(_) => {
                if std::env::var_os("DEBUG_BRIDGE").is_some() {
                    eprintln!("bridge: {function} {} {batch:?} -> cut off", key.0);
                }
                *cut_off().lock().unwrap().entry(key).or_default() += 1;
                return Err(InvokeError {
                    error_type: "Sandbox.Timedout".into(),
                    message: format!("Task timed out after {:.2} seconds", timeout.as_secs_f64()),
                });
            }
        };
        if let Err(e) = &result {
            // As Lambda's log would: a run that ends unexpectedly in a test can be explained.
            eprintln!(
                "bridge: task failed: {function} {} {}: {}",
                key.0, e.error_type, e.message
            );
        }
        if std::env::var_os("DEBUG_BRIDGE").is_some() {
            eprintln!(
                "bridge: {} {} {:?} -> {:?}",
                function,
                key.0,
                batch,
                result.as_ref().map(|_| "ok").map_err(|e| e.to_string())
            );
        }
        result.map_err(|e| InvokeError {
            error_type: e.error_type.to_string(),
            message: e.message,
        })
    }
}

/// A task function's run, its AWS calls attributed to it (the bridge's own calls are the Step
/// Functions service's, not a function's).
fn as_function<F: std::future::Future>(
    function: &str,
    run: F,
) -> impl std::future::Future<Output = F::Output> {
    ops::attribution::as_function(function, "workflow", run)
}

/// Starts the bridge (once per process) and seeds the demo catalog it discovers from.
pub async fn lifecycle_ready() {
    static BRIDGE: OnceLock<Bridge> = OnceLock::new();
    static SEEDED: OnceCell<()> = OnceCell::const_new();
    BRIDGE.get_or_init(|| {
        Bridge::spawn(
            stack_endpoint().to_string(),
            task_queue_url().to_string(),
            Arc::new(InProcess {
                engine: OnceCell::new(),
            }),
        )
    });
    SEEDED
        .get_or_init(|| async {
            let app = app().await;
            let store = store::catalog::CatalogStore::of(&app.config, &app.db).unwrap();
            store.put(&catalog_gen::generate(3000, 5)).await.unwrap();
        })
        .await;
}

/// The failures of the order's execution as the emulator recorded them (task failures, retries
/// exhausted, the execution's end), to explain a run that ended otherwise than a test expected.
pub async fn failures_of(app: &api::app::App, order_id: &str) -> Vec<String> {
    let Some(arn) = order_id
        .parse()
        .ok()
        .and_then(|id| api::usecases::lifecycle::execution_arn(app, id))
    else {
        return vec!["no execution ARN".into()];
    };
    let history = sfn()
        .await
        .get_execution_history()
        .execution_arn(&arn)
        .max_results(1000)
        .send()
        .await;
    let events = match history {
        Ok(h) => h.events,
        Err(e) => return vec![format!("no history: {e:?}")],
    };
    events
        .iter()
        .filter_map(|e| {
            let at = e.timestamp.to_string();
            if let Some(d) = &e.task_failed_event_details {
                return Some(format!(
                    "{at} #{} TaskFailed {:?} {:?}",
                    e.id, d.error, d.cause
                ));
            }
            if let Some(d) = &e.execution_failed_event_details {
                return Some(format!(
                    "{at} #{} ExecutionFailed {:?} {:?}",
                    e.id, d.error, d.cause
                ));
            }
            if let Some(d) = &e.map_iteration_failed_event_details {
                return Some(format!("{at} #{} MapIterationFailed {:?}", e.id, d));
            }
            (e.r#type == aws_sdk_sfn::types::HistoryEventType::TaskSubmitted
                || e.r#type == aws_sdk_sfn::types::HistoryEventType::TaskSucceeded)
                .then(|| format!("{at} #{} {:?}", e.id, e.r#type))
        })
        .collect()
}
