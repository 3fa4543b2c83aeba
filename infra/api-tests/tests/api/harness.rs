//! One moto server per test process, provisioned from template.yaml; each test gets its own App
//! (its own SDK client on its own runtime) and its own tenants, so tests run in parallel.
//! Handlers run as their function (`ops::attribution`): the emulator logs each call they make to
//! `<target>/iam-calls/api-tests.jsonl`, which `make test` checks against template.yaml's policies
//! (infra/e2e/check_policies.py); setup calls made directly by a test are not attributed.
use api::app::App;
use api::usecases::api_keys::{mint, KeyRequest};
use auth::{KeyEnvironment, Scope};
use config::Config;
use lambda_http::{Body, Request, RequestExt, Response};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

struct Stack {
    endpoint: String,
    env: BTreeMap<String, String>,
    task_queue_url: String,
    calls: ops::emulator::CallLog,
    _emulator: ops::emulator::Emulator,
}

fn stack() -> &'static Stack {
    static STACK: OnceLock<Stack> = OnceLock::new();
    STACK.get_or_init(|| {
        std::thread::spawn(|| {
            let calls = ops::emulator::CallLog::create("api-tests").expect("the call log");
            let emulator = ops::emulator::Emulator::start_logging(&calls)
                .expect("the emulator must start (run `make venv`)");
            let rt = tokio::runtime::Runtime::new().unwrap();
            let p = rt.block_on(async {
                // Before provisioning: moto's config call resets its Step Functions backend.
                ops::bridge::enable_execution(&emulator.endpoint)
                    .await
                    .unwrap();
                let sdk = ops::sdk_for(&emulator.endpoint).await;
                let template = ops::template::Template::load_default().unwrap();
                ops::provision::provision(&sdk, &template, &ops::provision::local_parameters())
                    .await
                    .unwrap()
            });
            for (variable, value) in &p.env {
                calls.name(variable, value).expect("the call log");
            }
            Stack {
                endpoint: emulator.endpoint.clone(),
                env: p.env,
                calls,
                task_queue_url: p.task_queue_url.expect("the template has a state machine"),
                _emulator: emulator,
            }
        })
        .join()
        .expect("provisioning the emulator")
    })
}

/// An App wired exactly as a function's `main` wires it, with configuration from template.yaml.
pub async fn app_with(overrides: &[(&str, &str)]) -> Arc<App> {
    app_at(&stack().endpoint, overrides).await
}

/// The same, talking to AWS through the fault proxy (faults only for orders a test names).
pub async fn app_through_proxy(overrides: &[(&str, &str)]) -> Arc<App> {
    app_at(&crate::fault_proxy::proxy().endpoint, overrides).await
}

/// The task functions' App (their retry settings), through the fault proxy.
pub async fn task_app_through_proxy() -> Arc<App> {
    build_app(&crate::fault_proxy::proxy().endpoint, &[], true).await
}

async fn app_at(endpoint: &str, overrides: &[(&str, &str)]) -> Arc<App> {
    build_app(endpoint, overrides, false).await
}

async fn build_app(endpoint: &str, overrides: &[(&str, &str)], tasks: bool) -> Arc<App> {
    api::logs::init_tracing();
    let s = stack();
    let mut env = s.env.clone();
    for (k, v) in overrides {
        env.insert(k.to_string(), v.to_string());
        names(k, v);
    }
    let mut config = Config::from_lookup(|k| env.get(k).cloned()).unwrap();
    if tasks {
        config.aws = config.aws.for_tasks();
    }
    Arc::new(App::wired(
        config,
        &ops::sdk_for(endpoint).await,
        ops::ADAPTERS,
    ))
}

/// The emulator's SQS, for tests that read queues as AWS's event sources would.
pub async fn sqs() -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&ops::sdk_for(stack_endpoint()).await)
}

/// The emulator's Step Functions, for tests that inspect executions.
pub async fn sfn() -> aws_sdk_sfn::Client {
    aws_sdk_sfn::Client::new(&ops::sdk_for(stack_endpoint()).await)
}

/// For the policy check: the functions' `variable` names `value` too (e.g. a test's own queue
/// standing in for the template's).
pub fn names(variable: &str, value: &str) {
    stack().calls.name(variable, value).expect("the call log");
}

pub fn stack_endpoint() -> &'static str {
    &stack().endpoint
}

pub fn task_queue_url() -> &'static str {
    &stack().task_queue_url
}

pub fn stack_env(name: &str) -> String {
    stack()
        .env
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} not provisioned"))
}

pub async fn app() -> Arc<App> {
    app_with(&[]).await
}

pub const PARTNER: &[Scope] = &[
    Scope::OrdersRead,
    Scope::OrdersWrite,
    Scope::BlacklistsRead,
    Scope::BlacklistsWrite,
];

/// A fresh tenant with a key holding `scopes`.
pub async fn key_for(app: &App, tenant: &str, scopes: &[Scope]) -> String {
    let req = KeyRequest {
        tenant_id: tenant.into(),
        name: "test".into(),
        scopes: scopes.to_vec(),
        environment: KeyEnvironment::Test,
        expires_at: None,
        rate_limit_per_minute: auth::rate::DEFAULT_PER_MINUTE,
    };
    mint(&app.db, req).await.unwrap().0
}

/// The sort keys of an order's outbox events (`EVENT#<status>`), read consistently.
pub async fn outbox_events(app: &App, tenant: &str, order_id: &str) -> Vec<String> {
    let out = app
        .db
        .client
        .query()
        .table_name(&app.db.table)
        .consistent_read(true)
        .key_condition_expression("PK = :pk AND begins_with(SK, :e)")
        .expression_attribute_values(
            ":pk",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("TENANT#{tenant}#ORDER#{order_id}")),
        )
        .expression_attribute_values(
            ":e",
            aws_sdk_dynamodb::types::AttributeValue::S("EVENT#".into()),
        )
        .send()
        .await
        .unwrap();
    out.items()
        .iter()
        .map(|i| i["SK"].as_s().unwrap().clone())
        .collect()
}

pub fn new_tenant() -> String {
    format!("t-{}", uuid::Uuid::new_v4().simple())
}

pub async fn partner(app: &App) -> (String, String) {
    let t = new_tenant();
    let k = key_for(app, &t, PARTNER).await;
    (t, k)
}

pub type Run = fn(Arc<App>, Request) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>>;

/// A function's handler as API Gateway would invoke it, its AWS calls attributed to the function.
#[macro_export]
macro_rules! run {
    ($krate:ident) => {
        (|app, req| {
            Box::pin(ops::attribution::as_function(
                &ops::attribution::function_of(stringify!($krate)),
                ops::attribution::suite_of(module_path!()),
                async move { http_edge::respond(app, req, &$krate::handler).await },
            ))
        }) as $crate::harness::Run
    };
}

/// A request as API Gateway would hand it to a function.
#[derive(Clone, Default)]
pub struct Call {
    pub method: String,
    pub path: HashMap<String, String>,
    pub query: HashMap<String, String>,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Option<String>,
    /// The client's address in API Gateway's request context.
    pub source: Option<String>,
}

pub fn call(method: &str) -> Call {
    Call {
        method: method.into(),
        ..Default::default()
    }
}

impl Call {
    pub fn key(mut self, key: &str) -> Self {
        self.headers
            .push(("authorization".into(), format!("Bearer {key}").into()));
        self
    }
    pub fn path(mut self, name: &str, value: impl ToString) -> Self {
        self.path.insert(name.into(), value.to_string());
        self
    }
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.insert(name.into(), value.to_string());
        self
    }
    pub fn source(mut self, ip: &str) -> Self {
        self.source = Some(ip.into());
        self
    }
    pub fn header(self, name: &str, value: &str) -> Self {
        self.header_bytes(name, value.as_bytes())
    }
    /// A header value as bytes, for values that are not text (HTTP allows any byte but controls).
    pub fn header_bytes(mut self, name: &str, value: &[u8]) -> Self {
        self.headers.push((name.into(), value.to_vec()));
        self
    }
    pub fn json(mut self, body: &Value) -> Self {
        self.headers
            .push(("content-type".into(), b"application/json".to_vec()));
        self.body = Some(body.to_string());
        self
    }
    pub fn raw(mut self, content_type: &str, body: &str) -> Self {
        self.headers
            .push(("content-type".into(), content_type.into()));
        self.body = Some(body.into());
        self
    }

    pub fn request(&self) -> Request {
        let mut builder = lambda_http::http::Request::builder()
            .method(self.method.as_str())
            .uri("https://api.local/api/v1/test");
        for (k, v) in &self.headers {
            builder = builder.header(k, v.as_slice());
        }
        let body = self.body.clone().map(Body::Text).unwrap_or(Body::Empty);
        let request = builder
            .body(body)
            .unwrap()
            .with_path_parameters(self.path.clone())
            .with_query_string_parameters(self.query.clone());
        match &self.source {
            None => request,
            Some(ip) => {
                use lambda_http::aws_lambda_events::apigw::{
                    ApiGatewayV2httpRequestContext, ApiGatewayV2httpRequestContextHttpDescription,
                };
                let mut http = ApiGatewayV2httpRequestContextHttpDescription::default();
                http.source_ip = Some(ip.clone());
                let mut context = ApiGatewayV2httpRequestContext::default();
                context.http = http;
                request.with_request_context(lambda_http::request::RequestContext::ApiGatewayV2(
                    context,
                ))
            }
        }
    }

    pub async fn send(&self, app: &Arc<App>, run: Run) -> Reply {
        Reply::from(run(app.clone(), self.request()).await)
    }

    /// For a function whose handler takes its own context (e.g. the secret endpoints); the
    /// function is the crate `handler` comes from.
    pub async fn send_to<C, F, Fut>(&self, ctx: &Arc<C>, handler: F) -> Reply
    where
        F: Fn(Arc<C>, Request) -> Fut,
        Fut: Future<Output = http_edge::HandlerResult>,
    {
        let function = ops::attribution::function_of(std::any::type_name::<F>());
        let respond = http_edge::respond(ctx.clone(), self.request(), &handler);
        Reply::from(ops::attribution::as_function(&function, "api-tests", respond).await)
    }
}

impl From<Response<Body>> for Reply {
    fn from(resp: Response<Body>) -> Self {
        let status = resp.status().as_u16();
        let request_id = resp
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_string());
        let retry_after = resp
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        let headers = resp.headers().clone();
        let body = match resp.body() {
            Body::Text(t) => serde_json::from_str(t).unwrap_or(Value::String(t.clone())),
            Body::Binary(b) => serde_json::from_slice(b).unwrap_or(Value::Null),
            _ => Value::Null,
        };
        Reply {
            status,
            body,
            request_id,
            retry_after,
            headers,
        }
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
    pub headers: lambda_http::http::HeaderMap,
}

impl Reply {
    /// An `X-RateLimit-*` header as a number.
    pub fn rate(&self, name: &str) -> Option<u64> {
        self.headers
            .get(format!("x-ratelimit-{name}"))
            .and_then(|v| v.to_str().ok()?.parse().ok())
    }
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    pub fn detail_fields(&self) -> Vec<String> {
        self.body["error"]["details"]
            .as_array()
            .map(|d| {
                d.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        assert!(
            self.request_id.is_some(),
            "every response carries x-request-id"
        );
        self
    }
}

pub fn discovery_order() -> Value {
    serde_json::json!({
        "order_type": "DISCOVERY",
        "title": "DACH SaaS Discovery Q1 2026",
        "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS"],
        "ideal_customer_profile": "Mid-market SaaS companies in the DACH region with 50-500 employees, focused on B2B software solutions",
        "seller_offering": "AI-powered lead generation and prospect enrichment platform",
        "seller_industry": "Software / Technology",
        "target_countries": ["Germany", "Austria", "Switzerland"],
        "target_cities": ["Berlin", "Munich", "Vienna"],
        "excluded_industries": ["Government", "Non-profit"],
        "output_language": "en",
        "profile_name": "DACH SaaS Discovery Profile"
    })
}

pub async fn create_order(app: &Arc<App>, key: &str, body: &Value) -> String {
    let r = call("POST")
        .key(key)
        .json(body)
        .send(app, run!(create_order))
        .await
        .expect(202);
    r.body["order_id"].as_str().unwrap().to_string()
}

pub async fn create_blacklist(app: &Arc<App>, key: &str) -> String {
    let r = call("POST")
        .key(key)
        .json(&serde_json::json!({"name": "Existing Customers"}))
        .send(app, run!(create_blacklist))
        .await
        .expect(201);
    r.body["id"].as_str().unwrap().to_string()
}

/// Generated companies placed in one country and city that no other test writes, so that a test
/// reading that market sees exactly them; `prefix` keeps their ids apart from other seedings.
pub async fn seed_market(
    app: &App,
    n: usize,
    seed: u64,
    (country, cities): (&str, &[&str]),
    prefix: &str,
) {
    let mut companies = catalog_gen::generate(n, seed);
    for (i, co) in companies.iter_mut().enumerate() {
        co.country = Some(country.into());
        co.city = Some(cities[i % cities.len()].into());
        co.id = format!("{prefix}-{i}-{}", co.id);
    }
    store::catalog::CatalogStore::of(&app.config, &app.db)
        .unwrap()
        .put(&companies)
        .await
        .unwrap();
}
