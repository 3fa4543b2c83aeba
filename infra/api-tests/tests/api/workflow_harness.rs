//! The lifecycle run for real: the ASL executed by the emulator, the bridge invoking the task
//! functions in-process, faults injectable per order and function.
use crate::harness::*;
use ops::bridge::{Bridge, InvokeError, Invoker};
use serde_json::Value;
use shared::engine::email::StaticMx;
use shared::workflow::tasks::Engine;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::OnceCell;

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

struct InProcess {
    engine: OnceCell<Arc<Engine>>,
}

#[async_trait::async_trait]
impl Invoker for InProcess {
    async fn invoke(&self, function: &str, payload: Value) -> Result<Value, InvokeError> {
        let engine = self
            .engine
            .get_or_init(|| async {
                // Through the fault proxy: a test can throttle or stall the calls of its orders.
                let app = task_app_through_proxy().await;
                let app = Arc::try_unwrap(app).unwrap_or_else(|_| unreachable!("fresh app"));
                let catalog = shared::store::catalog::CatalogStore::new(
                    app.db.client.clone(),
                    app.config.catalog_table_name.clone().unwrap(),
                );
                Arc::new(Engine {
                    app,
                    catalog: Arc::new(catalog),
                    resolver: Arc::new(StaticMx(HashMap::new())),
                    fetcher: None,
                })
            })
            .await
            .clone();
        let order_id = payload["order_id"].as_str().unwrap_or_default().to_string();
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
            let _ = tokio::time::timeout(after, enrich_batch::handler(engine, payload)).await;
            return Err(InvokeError {
                error_type: "Lambda.Unknown".into(),
                message: "the function's process exited".into(),
            });
        }
        let result = match function {
            "start-processing" => start_processing::handler(engine, payload).await,
            "discover" => discover::handler(engine, payload).await,
            "enrich-batch" => enrich_batch::handler(engine, payload).await,
            "complete-order" => complete_order::handler(engine, payload).await,
            "fail-order" => fail_order::handler(engine, payload).await,
            other => {
                return Err(InvokeError {
                    error_type: "Lambda.ResourceNotFoundException".into(),
                    message: other.into(),
                })
            }
        };
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
            let store = shared::store::catalog::CatalogStore::new(
                app.db.client.clone(),
                app.config.catalog_table_name.clone().unwrap(),
            );
            store
                .put(&shared::engine::generator::generate(3000, 5))
                .await
                .unwrap();
        })
        .await;
}
