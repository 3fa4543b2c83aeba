//! opsctl: operator commands.
//!
//!   opsctl create-key --name NAME --scopes admin[,orders:read,...] [--tenant ID] [--test]
//!                     [--endpoint-url URL] [--table NAME]
//!       Mints a key straight into the table (how the very first admin key is made) and prints it
//!       once. Without --endpoint-url it uses the normal AWS configuration (profile, region).
//!       The table defaults to $TABLE_NAME.
//!
//!   opsctl import-catalog --file PATH(.jsonl|.csv) [--endpoint-url URL] [--table NAME]
//!                         [--features-table NAME] [--shards N]
//!       Validates and upserts companies into the catalog tables ($CATALOG_TABLE_NAME,
//!       $CATALOG_FEATURES_TABLE_NAME and $CATALOG_SHARDS by default): each company, its feature
//!       record, its name alias and its market's statistics,
//!       with a progress bar; bad rows are printed with their line numbers (exit code 2 if any).
//!
//!   opsctl catalog-features [--backfill] [--endpoint-url URL] [--table NAME] [--features-table NAME]
//!       Counts the catalog's companies whose feature record (what discovery ranks, computed at
//!       import) is of another version than this build's engine: discovery recomputes those on
//!       every read, correct but slower. --backfill rewrites them from the stored companies.
//!       Prints the counts as JSON; exit code 3 when stale records remain.
//!
//!   opsctl bridge --endpoint-url URL --invoke-url URL
//!       Runs the local Lambda service: tasks of the local state machine, the SQS event sources
//!       (the webhook dispatcher) and the schedules (the outbox relay) of template.yaml invoke
//!       their functions through `cargo lambda watch` at --invoke-url, until interrupted.
//!
//!   opsctl local-up --endpoint-url URL --env-file PATH
//!       Provisions template.yaml's resources at URL (the local emulator), writes the functions'
//!       environment to PATH for `cargo lambda watch`, seeds an admin and a partner key and prints them,
//!       and seeds the demo catalog (--demo-companies N, default 5000, generated deterministically).
//!
//!   opsctl listen [--port 8787] [--secret whsec_... [--secret whsec_...]] [--status 200]
//!       A webhook receiver on 127.0.0.1:PORT (any path) until Ctrl-C, for trying webhooks out
//!       (a local stack delivers to http://127.0.0.1:PORT/...). Prints one line per request: time,
//!       webhook-id, verified or NOT (and why: bad signature, stale timestamp, missing headers) and
//!       the order's `previous_status -> status`. Answers --status when verified, 400 when not, so
//!       the sender retries as it would against a partner's endpoint. The secret defaults to
//!       $WEBHOOK_SECRET; give --secret twice during a rotation (either one verifies).
//!
//!   opsctl audit-orders [--tenant ID] [--stuck-after-minutes 30] [--endpoint-url URL] [--table NAME]
//!       Walks every order (or one tenant's) as partners see them: pages the results with
//!       offset += limit and reports results lost, doubled or out of order, status events missing or
//!       extra, and orders stuck (ACCEPTED/IN_PROGRESS with no running execution; STATE_MACHINE_ARN
//!       from the environment). Prints the counts as JSON; exit code 1 when anything is found.
//!
//!   opsctl repair-order --order-id ID [--note TEXT] [--force] [--endpoint-url URL] [--table NAME]
//!       Ends a stuck order (ACCEPTED/IN_PROGRESS whose run is over, e.g. recorded under STUCK by
//!       the state machine's last resort) as CANCELLED with a note for the partner; its webhook
//!       event is sent like any other. --force also ends one whose run is still going.
use anyhow::{anyhow, bail, Context, Result};
use shared::auth::{KeyEnvironment, Scope};
use shared::store::catalog::CatalogStore;
use shared::store::Dynamo;
use shared::usecases::api_keys::{mint, KeyRequest};
use shared::webhooks::signing::SigningSecret;
use std::collections::HashMap;

fn flags(args: &[String]) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let name = a
            .strip_prefix("--")
            .ok_or_else(|| anyhow!("unexpected argument {a}"))?;
        if ["test", "force", "backfill"].contains(&name) {
            out.insert(name.to_string(), "true".to_string());
        } else {
            let v = it.next().ok_or_else(|| anyhow!("--{name} needs a value"))?;
            out.insert(name.to_string(), v.clone());
        }
    }
    Ok(out)
}

/// Every value of a flag that may be given more than once (`flags` keeps the last one).
fn values(args: &[String], name: &str) -> Vec<String> {
    let flag = format!("--{name}");
    args.windows(2)
        .filter(|w| w[0] == flag)
        .map(|w| w[1].clone())
        .collect()
}

async fn sdk(flags: &HashMap<String, String>) -> aws_config::SdkConfig {
    match flags.get("endpoint-url") {
        Some(url) => ops::sdk_for(url).await,
        None => aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await,
    }
}

/// The catalog tables: `--table`/`--features-table` or `$CATALOG_TABLE_NAME`/
/// `$CATALOG_FEATURES_TABLE_NAME`; shards from `--shards` or `$CATALOG_SHARDS` (default 1).
async fn catalog(f: &HashMap<String, String>) -> Result<CatalogStore> {
    let named = |flag: &str, var: &str| {
        f.get(flag)
            .cloned()
            .or_else(|| std::env::var(var).ok())
            .ok_or_else(|| anyhow!("--{flag} or {var} is required"))
    };
    let shards = named("shards", "CATALOG_SHARDS")
        .ok()
        .map(|n| n.parse::<u32>())
        .transpose()
        .context("--shards")?
        .unwrap_or(1);
    Ok(CatalogStore::new(
        aws_sdk_dynamodb::Client::new(&sdk(f).await),
        named("table", "CATALOG_TABLE_NAME")?,
        named("features-table", "CATALOG_FEATURES_TABLE_NAME")?,
        shards,
    ))
}

fn parse_scopes(s: &str) -> Result<Vec<Scope>> {
    s.split(',')
        .map(|x| {
            Scope::parse(x.trim())
                .ok_or_else(|| anyhow!("unknown scope {x}; one of {}", Scope::choices()))
        })
        .collect()
}

async fn create_key(
    db: &Dynamo,
    tenant: String,
    name: &str,
    scopes: Vec<Scope>,
    env: KeyEnvironment,
) -> Result<(String, String)> {
    let (key, record) = mint(
        db,
        KeyRequest {
            tenant_id: tenant,
            name: name.into(),
            scopes,
            environment: env,
            expires_at: None,
        },
    )
    .await
    .map_err(|e| anyhow!("{e}"))?;
    Ok((key, record.tenant_id))
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        bail!("usage: opsctl create-key|import-catalog|catalog-features|bridge|local-up|listen|audit-orders|repair-order [flags] (see the top of infra/ops/src/bin/opsctl.rs)");
    };
    let f = flags(rest)?;
    match command.as_str() {
        "create-key" => {
            let table = f
                .get("table")
                .cloned()
                .or_else(|| std::env::var("TABLE_NAME").ok())
                .ok_or_else(|| anyhow!("--table or TABLE_NAME is required"))?;
            let scopes = parse_scopes(f.get("scopes").map(String::as_str).unwrap_or("admin"))?;
            let tenant = f
                .get("tenant")
                .cloned()
                .unwrap_or_else(|| "operators".into());
            let env = if f.contains_key("test") {
                KeyEnvironment::Test
            } else {
                KeyEnvironment::Live
            };
            let db = Dynamo::new(aws_sdk_dynamodb::Client::new(&sdk(&f).await), table);
            let name = f
                .get("name")
                .cloned()
                .unwrap_or_else(|| "first admin key".into());
            let (key, tenant) = create_key(&db, tenant, &name, scopes, env).await?;
            println!("tenant_id: {tenant}\napi_key:   {key}\n(shown once; store it now)");
        }
        "import-catalog" => {
            let file = f.get("file").ok_or_else(|| anyhow!("--file is required"))?;
            let store = catalog(&f).await?;
            let report =
                ops::catalog_import::import(&store, std::path::Path::new(file), true).await?;
            println!(
                "read {} rows: imported {}, rejected {}",
                report.rows,
                report.imported,
                report.rejected.len()
            );
            if !report.rejected.is_empty() {
                std::process::exit(2);
            }
        }
        "catalog-features" => {
            let store = catalog(&f).await?;
            let report = store
                .feature_report(f.contains_key("backfill"))
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!(
                "{}",
                serde_json::json!({
                    "version": shared::engine::features::VERSION,
                    "companies": report.companies,
                    "current": report.current,
                    "stale": report.stale,
                    "rewritten": report.rewritten,
                })
            );
            if report.stale > report.rewritten {
                std::process::exit(3);
            }
        }
        "bridge" => {
            let endpoint = f
                .get("endpoint-url")
                .ok_or_else(|| anyhow!("--endpoint-url is required"))?
                .clone();
            let invoke = f
                .get("invoke-url")
                .ok_or_else(|| anyhow!("--invoke-url is required"))?
                .clone();
            let sqs = aws_sdk_sqs::Client::new(&ops::sdk_for(&endpoint).await);
            let queue = sqs
                .get_queue_url()
                .queue_name(ops::bridge::TASK_QUEUE)
                .send()
                .await?
                .queue_url
                .unwrap_or_default();
            let invoker = ops::bridge::HttpInvoker {
                base_url: invoke,
                client: reqwest::Client::new(),
            };
            eprintln!(
                "bridge: state machine tasks, queue and schedule events -> {}",
                invoker.base_url
            );
            let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let invoker: std::sync::Arc<dyn ops::bridge::Invoker> = std::sync::Arc::new(invoker);
            let template = ops::template::Template::load_default()?;
            let sdk = ops::sdk_for(&endpoint).await;
            let sources = ops::event_sources::run(&sdk, &template, invoker.clone(), stop.clone());
            let tasks = ops::bridge::run(endpoint, queue, invoker, stop);
            let (sources, ()) = tokio::join!(sources, tasks);
            sources?;
        }
        "local-up" => {
            let endpoint = f
                .get("endpoint-url")
                .ok_or_else(|| anyhow!("--endpoint-url is required"))?;
            let env_file = f
                .get("env-file")
                .ok_or_else(|| anyhow!("--env-file is required"))?;
            // First: moto's config call resets its Step Functions backend.
            ops::bridge::enable_execution(endpoint).await?;
            let sdk = ops::sdk_for(endpoint).await;
            let template = ops::template::Template::load_default()?;
            let p = ops::provision::provision(&sdk, &template, &ops::provision::local_parameters())
                .await?;
            let mut env = p.env.clone();
            env.insert("AWS_ENDPOINT_URL".into(), endpoint.clone());
            env.insert("AWS_REGION".into(), "us-east-1".into());
            env.insert("AWS_ACCESS_KEY_ID".into(), "local".into());
            env.insert("AWS_SECRET_ACCESS_KEY".into(), "local".into());
            let text: String = env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            std::fs::write(env_file, text)?;
            let db = Dynamo::new(
                aws_sdk_dynamodb::Client::new(&sdk),
                p.env["TABLE_NAME"].clone(),
            );
            let (admin, _) = create_key(
                &db,
                "operators".into(),
                "local admin",
                vec![Scope::Admin],
                KeyEnvironment::Test,
            )
            .await?;
            let partner_scopes = vec![
                Scope::OrdersRead,
                Scope::OrdersWrite,
                Scope::BlacklistsRead,
                Scope::BlacklistsWrite,
            ];
            let (partner, tenant) = create_key(
                &db,
                "demo-partner".into(),
                "local partner",
                partner_scopes,
                KeyEnvironment::Test,
            )
            .await?;
            println!("ADMIN_KEY={admin}\nPARTNER_KEY={partner}\nPARTNER_TENANT={tenant}");
            let demo: usize = f
                .get("demo-companies")
                .map(|n| n.parse())
                .transpose()?
                .unwrap_or(5000);
            let catalog = CatalogStore::new(
                aws_sdk_dynamodb::Client::new(&sdk),
                p.env["CATALOG_TABLE_NAME"].clone(),
                p.env["CATALOG_FEATURES_TABLE_NAME"].clone(),
                p.env
                    .get("CATALOG_SHARDS")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1),
            );
            catalog
                .put(&catalog_gen::generate(demo, 42))
                .await
                .map_err(|e| anyhow!("{e}"))?;
            eprintln!("seeded {demo} demo companies into the catalog");
        }
        "listen" => listen(&f, rest).await?,
        "repair-order" => {
            let table = f
                .get("table")
                .cloned()
                .or_else(|| std::env::var("TABLE_NAME").ok())
                .ok_or_else(|| anyhow!("--table or TABLE_NAME is required"))?;
            let id: uuid::Uuid = f
                .get("order-id")
                .ok_or_else(|| anyhow!("--order-id is required"))?
                .parse()
                .context("--order-id")?;
            let config = shared::config::Config::from_lookup(|k| match k {
                "TABLE_NAME" => Some(table.clone()),
                other => std::env::var(other).ok(),
            })
            .map_err(|e| anyhow!(e))?;
            let app = shared::App::wired(config, &sdk(&f).await, ops::ADAPTERS);
            let status =
                ops::audit::repair(&app, id, f.get("note").cloned(), f.contains_key("force"))
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
            println!("{id}: {status}");
        }
        "audit-orders" => {
            let table = f
                .get("table")
                .cloned()
                .or_else(|| std::env::var("TABLE_NAME").ok())
                .ok_or_else(|| anyhow!("--table or TABLE_NAME is required"))?;
            let minutes: i64 = f
                .get("stuck-after-minutes")
                .map(|v| v.parse())
                .transpose()
                .context("--stuck-after-minutes")?
                .unwrap_or(30);
            let config = shared::config::Config::from_lookup(|k| match k {
                "TABLE_NAME" => Some(table.clone()),
                other => std::env::var(other).ok(),
            })
            .map_err(|e| anyhow!(e))?;
            let app = shared::App::wired(config, &sdk(&f).await, ops::ADAPTERS);
            let opts = ops::audit::Options {
                tenant: f.get("tenant").cloned(),
                stuck_after: time::Duration::minutes(minutes),
            };
            let report = ops::audit::audit(&app, &opts)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            for line in &report.findings {
                eprintln!("{line}");
            }
            println!("{}", serde_json::to_string_pretty(&report)?);
            if !report.is_clean() {
                std::process::exit(1);
            }
        }
        other => bail!("unknown command {other}"),
    }
    Ok(())
}

async fn listen(f: &HashMap<String, String>, args: &[String]) -> Result<()> {
    let port: u16 = match f.get("port") {
        Some(p) => p.parse().context("--port must be a port number")?,
        None => 8787,
    };
    let status: u16 = match f.get("status") {
        Some(s) => s
            .parse()
            .ok()
            .filter(|c| (200..=599).contains(c))
            .ok_or_else(|| anyhow!("--status must be an HTTP status from 200 to 599"))?,
        None => 200,
    };
    let mut texts = values(args, "secret");
    if texts.is_empty() {
        texts.extend(
            std::env::var("WEBHOOK_SECRET")
                .ok()
                .filter(|s| !s.is_empty()),
        );
    }
    if texts.is_empty() {
        bail!("--secret whsec_... (or WEBHOOK_SECRET) is required: GET /api/v1/webhook-secret");
    }
    let secrets = texts
        .iter()
        .map(|t| SigningSecret::parse(t.trim()).map_err(|e| anyhow!("--secret: {e}")))
        .collect::<Result<Vec<_>>>()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let port = listener.local_addr()?.port();
    eprintln!(
        "listening on http://127.0.0.1:{port}/ (any path), {} secret(s); answering {status} when \
         verified, 400 when not. Ctrl-C stops.",
        secrets.len()
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let server = tokio::spawn(ops::listen::serve(listener, secrets, status, tx));
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            line = rx.recv() => match line {
                Some(line) => println!("{line}"),
                None => break,
            },
            _ = &mut stop => break,
        }
    }
    server.abort();
    Ok(())
}
