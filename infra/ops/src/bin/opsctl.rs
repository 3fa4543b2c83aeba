//! opsctl: the operator's command line (`opsctl --help`, `opsctl <command> --help`).
//!
//! Every flag naming a table or a setting defaults to what `--stack NAME` reads from the deployed
//! stack's outputs, else to the environment variable the functions read (`TABLE_NAME`,
//! `CATALOG_TABLE_NAME`, ...); `--endpoint-url` points at the local emulator, and without it the
//! normal AWS configuration applies (profile, region). Errors print as one line;
//! `--verbose` adds the causes and, with `RUST_BACKTRACE=1`, a backtrace. Exit codes are in
//! `EXIT_CODES`.
use anyhow::{anyhow, Context, Result};
use api::usecases::api_keys::{mint, KeyRequest};
use auth::rate::DEFAULT_PER_MINUTE;
use auth::{KeyEnvironment, Scope};
use clap::{Args, Parser, Subcommand};
use domain::paging::Page;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use store::catalog::CatalogStore;
use store::Dynamo;
use webhooks::signing::SigningSecret;

const EXIT_CODES: &str = "Exit codes:
  0  done
  1  the command failed (the error is printed on one line; --verbose for its causes)
  2  bad usage (unknown command or flag, missing or invalid value, a table neither given,
     nor read from --stack, nor in the environment)
  3  done, with something to act on: rows rejected by import-catalog, findings of audit-orders,
     stale feature records left by catalog-features";

#[derive(Parser)]
#[command(
    name = "opsctl",
    version,
    about = "Operator commands for the prospect-discovery stack",
    after_help = EXIT_CODES
)]
struct Cli {
    /// AWS endpoint to call instead of AWS (the local emulator, e.g. http://127.0.0.1:4566)
    #[arg(long, global = true)]
    endpoint_url: Option<String>,
    /// Print an error's causes (and a backtrace with RUST_BACKTRACE=1)
    #[arg(long, global = true)]
    verbose: bool,
    /// The deployed CloudFormation stack: its outputs (TableName, CatalogTableName, ...) and its
    /// CatalogShards parameter stand in for the functions' variables; a flag given still wins
    #[arg(long, global = true, value_name = "NAME")]
    stack: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct MainTable {
    /// The main table [default: the stack's TableName output, else env TABLE_NAME]
    #[arg(long = "table")]
    table_name: Option<String>,
}

#[derive(Args)]
struct CatalogTables {
    /// Companies, name aliases and market statistics [default: the stack's CatalogTableName
    /// output, else env CATALOG_TABLE_NAME]
    #[arg(long = "table")]
    companies: Option<String>,
    /// Feature records by market [default: the stack's CatalogFeaturesTableName output, else
    /// env CATALOG_FEATURES_TABLE_NAME]
    #[arg(long = "features-table")]
    features: Option<String>,
    /// Partitions per market, as the functions' CATALOG_SHARDS [default: the stack's
    /// CatalogShards parameter, else env CATALOG_SHARDS, else 1]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=256))]
    shards: Option<u32>,
}

/// A setting given neither as a flag, nor by the stack, nor by the environment: bad usage.
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Where settings come from: a flag, else the stack's outputs (`--stack`), else the environment.
/// The stack outranks the environment so that a shell still set up for the local stack cannot
/// send a command meant for AWS to the wrong tables.
struct Settings {
    stack: BTreeMap<String, String>,
}

impl Settings {
    async fn load(endpoint: Option<&str>, stack: Option<&str>) -> Result<Self> {
        let stack = match stack {
            Some(name) => ops::stack::describe(&sdk(endpoint).await, name).await?,
            None => BTreeMap::new(),
        };
        Ok(Self { stack })
    }

    fn var(&self, name: &str) -> Option<String> {
        self.stack
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    fn required(&self, flag: &Option<String>, var: &str, what: &str) -> Result<String> {
        flag.clone().or_else(|| self.var(var)).ok_or_else(|| {
            Usage(format!(
                "{what} is required: give it, or --stack NAME, or set {var}"
            ))
            .into()
        })
    }

    fn table(&self, t: &MainTable) -> Result<String> {
        self.required(&t.table_name, "TABLE_NAME", "--table")
    }

    fn catalog(&self, t: &CatalogTables) -> Result<(String, String, u32)> {
        let shards = match (t.shards, self.var("CATALOG_SHARDS")) {
            (Some(n), _) => n,
            (None, None) => 1,
            (None, Some(v)) => v
                .parse()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| Usage(format!("CATALOG_SHARDS must be 1 to 256: {v}")))?,
        };
        Ok((
            self.required(&t.companies, "CATALOG_TABLE_NAME", "--table")?,
            self.required(
                &t.features,
                "CATALOG_FEATURES_TABLE_NAME",
                "--features-table",
            )?,
            shards,
        ))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Mint an API key straight into the table (how the first admin key is made); printed once
    CreateKey {
        #[command(flatten)]
        table: MainTable,
        #[arg(long, default_value = "first admin key")]
        name: String,
        /// Comma-separated scopes: admin, orders:read, orders:write, blacklists:read, blacklists:write
        #[arg(long, default_value = "admin", value_delimiter = ',', value_parser = parse_scope)]
        scopes: Vec<Scope>,
        /// The key's tenant: 1-64 letters, digits, '-' or '_' (the API's rule)
        #[arg(long, default_value = "operators", value_parser = parse_tenant)]
        tenant: String,
        /// A test key (lnc_test_...) rather than a live one
        #[arg(long)]
        test: bool,
        /// Requests per minute the key may make (1-100000)
        #[arg(long, default_value_t = auth::rate::DEFAULT_PER_MINUTE,
              value_parser = clap::value_parser!(u32).range(1..=100_000))]
        rate_limit_per_minute: u32,
    },
    /// List API keys, newest first (never their secrets), of one tenant or of all
    ListKeys {
        #[command(flatten)]
        table: MainTable,
        #[arg(long)]
        tenant: Option<String>,
        /// At most this many (1-100)
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=100))]
        limit: u16,
    },
    /// Revoke an API key (refused everywhere within the key cache's TTL, at most 60 s)
    RevokeKey {
        #[command(flatten)]
        table: MainTable,
        #[arg(long)]
        key_id: uuid::Uuid,
    },
    /// Validate and upsert companies (JSONL or CSV) with a progress bar; rejected rows are
    /// printed with their line numbers (exit code 3)
    ImportCatalog {
        #[command(flatten)]
        tables: CatalogTables,
        /// JSONL (as ../shared/datasets/companies.jsonl) or CSV, by its extension
        #[arg(long)]
        file: PathBuf,
    },
    /// Count companies whose feature record is of another engine version (exit code 3 when some
    /// remain); --backfill rewrites them from the stored companies
    CatalogFeatures {
        #[command(flatten)]
        tables: CatalogTables,
        #[arg(long)]
        backfill: bool,
    },
    /// Compute the listings' stored counters (orders, open orders, blacklists, profiles, keys, the
    /// review queue) again from one scan and print those that differ (exit code 3); --write
    /// stores the computed ones (run with the API idle: writes in between would be lost)
    Recount {
        #[command(flatten)]
        table: MainTable,
        #[arg(long)]
        write: bool,
    },
    /// Show an order as stored: its status object, tenant and delivery progress
    ShowOrder {
        #[command(flatten)]
        table: MainTable,
        #[arg(long)]
        order_id: uuid::Uuid,
    },
    /// End a stuck order (ACCEPTED/IN_PROGRESS whose run is over) as CANCELLED with a note for
    /// the partner; its webhook event is sent like any other
    RepairOrder {
        #[command(flatten)]
        table: MainTable,
        #[arg(long)]
        order_id: uuid::Uuid,
        /// What the partner reads in admin_notes
        #[arg(long)]
        note: Option<String>,
        /// Also end an order whose run is still going
        #[arg(long)]
        force: bool,
    },
    /// Walk every order (or one tenant's) as partners see them; report results lost, doubled or
    /// out of order, events missing, and stuck orders (exit code 3 when anything is found)
    AuditOrders {
        #[command(flatten)]
        table: MainTable,
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long, default_value_t = 30)]
        stuck_after_minutes: i64,
    },
    /// Requeue a tenant's dead-lettered webhook events (failed since a time) for a new round of
    /// delivery attempts, as POST /admin/tenants/{tenant}/webhook-deliveries/recover does
    RequeueWebhooks {
        #[command(flatten)]
        table: MainTable,
        #[arg(long)]
        tenant: String,
        /// RFC 3339 timestamp, e.g. 2026-11-30T00:00:00Z
        #[arg(long)]
        since: String,
    },
    /// Run the local Lambda service: the state machine's tasks, the SQS event sources and the
    /// schedules of template.yaml invoke their functions through `cargo lambda watch`
    Bridge {
        /// `cargo lambda watch`'s address
        #[arg(long)]
        invoke_url: String,
    },
    /// Provision template.yaml on the local emulator (--endpoint-url), write the functions'
    /// environment, seed an admin and a partner key and the demo catalog
    LocalUp {
        #[arg(long)]
        env_file: PathBuf,
        #[arg(long, default_value_t = 5000)]
        demo_companies: usize,
    },
    /// A webhook receiver on 127.0.0.1:PORT that verifies each delivery and prints one line per request
    Listen {
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Signing secret (whsec_...); give it twice during a rotation
        #[arg(long = "secret", env = "WEBHOOK_SECRET", value_delimiter = ' ')]
        secrets: Vec<String>,
        /// Status to answer when verified (400 when not)
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u16).range(200..=599))]
        status: u16,
    },
    /// Regenerate what template.yaml implies beyond itself (`make wire`): the local router in
    /// CargoLambda.toml and the api-tests' dependency on every function
    Wire {
        /// Write nothing; exit 1 when a file differs from what the template gives
        #[arg(long)]
        check: bool,
    },
}

/// The rule `POST /admin/api-keys` applies (and `mint` again): `#` or any other separator in a
/// tenant id would let its keys share partitions with another tenant's.
fn parse_tenant(s: &str) -> Result<String, String> {
    match api::usecases::api_keys::tenant_id_problem(s) {
        None => Ok(s.to_string()),
        Some(problem) => Err(problem.to_string()),
    }
}

fn parse_scope(s: &str) -> Result<Scope, String> {
    Scope::parse(s.trim()).ok_or_else(|| format!("unknown scope {s}; one of {}", Scope::choices()))
}

async fn sdk(endpoint: Option<&str>) -> aws_config::SdkConfig {
    match endpoint {
        Some(url) => ops::sdk_for(url).await,
        None => aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await,
    }
}

/// An App over the main table, for the commands that run use cases.
async fn app(
    endpoint: Option<&str>,
    settings: &Settings,
    table: &MainTable,
) -> Result<api::app::App> {
    let table = settings.table(table)?;
    let config = config::Config::from_lookup(|k| match k {
        "TABLE_NAME" => Some(table.clone()),
        other => settings.var(other),
    })
    .map_err(|e| anyhow!(e))?;
    Ok(api::app::App::wired(
        config,
        &sdk(endpoint).await,
        ops::ADAPTERS,
    ))
}

async fn catalog(
    endpoint: Option<&str>,
    settings: &Settings,
    t: &CatalogTables,
) -> Result<CatalogStore> {
    let (companies, features, shards) = settings.catalog(t)?;
    Ok(CatalogStore::new(
        aws_sdk_dynamodb::Client::new(&sdk(endpoint).await),
        &companies,
        &features,
        shards,
    ))
}

/// A use case's error on one line, with every invalid field it names.
fn api(e: domain::ApiError) -> anyhow::Error {
    let fields: Vec<String> = e
        .details()
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    if fields.is_empty() {
        anyhow!("{e}")
    } else {
        anyhow!("{e} ({})", fields.join("; "))
    }
}

async fn create_key(
    db: &Dynamo,
    tenant: String,
    name: &str,
    scopes: Vec<Scope>,
    env: KeyEnvironment,
    rate_limit_per_minute: u32,
) -> Result<(String, String)> {
    let (key, record) = mint(
        db,
        KeyRequest {
            tenant_id: tenant,
            name: name.into(),
            scopes,
            environment: env,
            expires_at: None,
            rate_limit_per_minute,
        },
    )
    .await
    .map_err(|e| anyhow!("{e}"))?;
    Ok((key, record.tenant_id))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(
        cli.command,
        cli.endpoint_url.as_deref(),
        cli.stack.as_deref(),
    )
    .await
    {
        Ok(code) => code,
        Err(e) if e.downcast_ref::<Usage>().is_some() => {
            eprintln!("opsctl: error: {e}");
            ExitCode::from(2)
        }
        Err(e) if cli.verbose => {
            eprintln!("opsctl: error: {e:?}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("opsctl: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Something to act on (`EXIT_CODES`).
const ACT_ON: u8 = 3;

async fn run(command: Command, endpoint: Option<&str>, stack: Option<&str>) -> Result<ExitCode> {
    let settings = Settings::load(endpoint, stack).await?;
    match command {
        Command::CreateKey {
            table,
            name,
            scopes,
            tenant,
            test,
            rate_limit_per_minute,
        } => {
            let env = if test {
                KeyEnvironment::Test
            } else {
                KeyEnvironment::Live
            };
            let db = Dynamo::new(
                aws_sdk_dynamodb::Client::new(&sdk(endpoint).await),
                settings.table(&table)?,
            );
            let (key, tenant) =
                create_key(&db, tenant, &name, scopes, env, rate_limit_per_minute).await?;
            println!("tenant_id: {tenant}\napi_key:   {key}\n(shown once; store it now)");
        }
        Command::ListKeys {
            table,
            tenant,
            limit,
        } => {
            let app = app(endpoint, &settings, &table).await?;
            let page = Page {
                limit: limit.into(),
                offset: 0,
            };
            let api::usecases::Listed(keys) =
                api::usecases::api_keys::list(&app, tenant.as_deref(), page)
                    .await
                    .map_err(api)?;
            println!("{}", serde_json::to_string_pretty(&keys)?);
        }
        Command::RevokeKey { table, key_id } => {
            let app = app(endpoint, &settings, &table).await?;
            api::usecases::api_keys::revoke(&app, key_id)
                .await
                .map_err(api)?;
            println!("{key_id}: revoked");
        }
        Command::ImportCatalog { tables, file } => {
            let store = catalog(endpoint, &settings, &tables).await?;
            let report = ops::catalog_import::import(&store, &file, true).await?;
            println!(
                "read {} rows: imported {}, rejected {}",
                report.rows,
                report.imported,
                report.rejected.len()
            );
            if !report.rejected.is_empty() {
                return Ok(ExitCode::from(ACT_ON));
            }
        }
        Command::CatalogFeatures { tables, backfill } => {
            let store = catalog(endpoint, &settings, &tables).await?;
            let report = store.feature_report(backfill).await.map_err(api)?;
            println!(
                "{}",
                serde_json::json!({
                    "version": engine::features::VERSION,
                    "companies": report.companies,
                    "current": report.current,
                    "stale": report.stale,
                    "rewritten": report.rewritten,
                })
            );
            if report.stale > report.rewritten {
                return Ok(ExitCode::from(ACT_ON));
            }
        }
        Command::Recount { table, write } => {
            let app = app(endpoint, &settings, &table).await?;
            let expected = ops::recount::expected(&app.db).await?;
            let stored = ops::recount::stored(&app.db).await?;
            let differ = ops::recount::differences(&stored, &expected);
            for (item, attr, was, is) in &differ {
                eprintln!("{item}: {attr} stored {was}, counted {is}");
            }
            if write {
                let n = ops::recount::write(&app.db, &stored, &expected).await?;
                println!(
                    "{} counters differed; {n} counter items written",
                    differ.len()
                );
            } else {
                println!("{} counters differ", differ.len());
                if !differ.is_empty() {
                    return Ok(ExitCode::from(3));
                }
            }
        }
        Command::ShowOrder { table, order_id } => {
            let app = app(endpoint, &settings, &table).await?;
            let order = ops::audit::stored_order(&app, order_id)
                .await
                .map_err(api)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "tenant_id": order.tenant_id,
                    "order": order.view(),
                    "delivery": {
                        "results": order.result_count,
                        "planned_batches": order.planned_batches,
                        "next_batch": order.next_batch,
                    },
                }))?
            );
        }
        Command::RepairOrder {
            table,
            order_id,
            note,
            force,
        } => {
            let app = app(endpoint, &settings, &table).await?;
            let status = ops::audit::repair(&app, order_id, note, force)
                .await
                .map_err(api)?;
            println!("{order_id}: {status}");
        }
        Command::AuditOrders {
            table,
            tenant,
            stuck_after_minutes,
        } => {
            let app = app(endpoint, &settings, &table).await?;
            let opts = ops::audit::Options {
                tenant,
                stuck_after: time::Duration::minutes(stuck_after_minutes),
            };
            let report = ops::audit::audit(&app, &opts).await.map_err(api)?;
            for line in &report.findings {
                eprintln!("{line}");
            }
            println!("{}", serde_json::to_string_pretty(&report)?);
            if !report.is_clean() {
                return Ok(ExitCode::from(ACT_ON));
            }
        }
        Command::RequeueWebhooks {
            table,
            tenant,
            since,
        } => {
            let app = app(endpoint, &settings, &table).await?;
            let api::usecases::Accepted(answer) = api::usecases::webhooks::recover(
                &app,
                &tenant,
                &serde_json::json!({ "since": since }),
            )
            .await
            .map_err(api)?;
            println!("{}", serde_json::to_string_pretty(&answer)?);
        }
        Command::Bridge { invoke_url } => {
            let endpoint = endpoint.context("bridge needs --endpoint-url (the local emulator)")?;
            bridge(endpoint, invoke_url).await?;
        }
        Command::LocalUp {
            env_file,
            demo_companies,
        } => {
            let endpoint =
                endpoint.context("local-up needs --endpoint-url (the local emulator)")?;
            local_up(endpoint, &env_file, demo_companies).await?;
        }
        Command::Listen {
            port,
            secrets,
            status,
        } => listen(port, secrets, status).await?,
        Command::Wire { check } => {
            let root = ops::repo_root();
            let files = if check {
                ops::wiring::drifted(&root)?
            } else {
                ops::wiring::write(&root)?
            };
            for f in &files {
                println!("{}", f.strip_prefix(&root).unwrap_or(f).display());
            }
            if check && !files.is_empty() {
                anyhow::bail!("generated files differ from template.yaml: run `make wire`");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn bridge(endpoint: &str, invoke_url: String) -> Result<()> {
    let sqs = aws_sdk_sqs::Client::new(&ops::sdk_for(endpoint).await);
    let queue = sqs
        .get_queue_url()
        .queue_name(ops::bridge::TASK_QUEUE)
        .send()
        .await?
        .queue_url
        .unwrap_or_default();
    let invoker = ops::bridge::HttpInvoker {
        base_url: invoke_url,
        client: reqwest::Client::new(),
    };
    eprintln!(
        "bridge: state machine tasks, queue and schedule events -> {}",
        invoker.base_url
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let invoker: std::sync::Arc<dyn ops::bridge::Invoker> = std::sync::Arc::new(invoker);
    let template = ops::template::Template::load_default()?;
    let sdk = ops::sdk_for(endpoint).await;
    let sources = ops::event_sources::run(&sdk, &template, invoker.clone(), stop.clone());
    let tasks = ops::bridge::run(endpoint.to_string(), queue, invoker, stop);
    let (sources, ()) = tokio::join!(sources, tasks);
    sources
}

async fn local_up(endpoint: &str, env_file: &std::path::Path, demo: usize) -> Result<()> {
    // First: moto's config call resets its Step Functions backend.
    ops::bridge::enable_execution(endpoint).await?;
    let sdk = ops::sdk_for(endpoint).await;
    let template = ops::template::Template::load_default()?;
    let p = ops::provision::provision(&sdk, &template, &ops::provision::local_parameters()).await?;
    let mut env = p.env.clone();
    env.insert("AWS_ENDPOINT_URL".into(), endpoint.to_string());
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
        DEFAULT_PER_MINUTE,
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
        DEFAULT_PER_MINUTE,
    )
    .await?;
    println!("ADMIN_KEY={admin}\nPARTNER_KEY={partner}\nPARTNER_TENANT={tenant}");
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
        .map_err(api)?;
    eprintln!("seeded {demo} demo companies into the catalog");
    Ok(())
}

async fn listen(port: u16, texts: Vec<String>, status: u16) -> Result<()> {
    let texts: Vec<String> = texts.into_iter().filter(|t| !t.trim().is_empty()).collect();
    if texts.is_empty() {
        anyhow::bail!(
            "--secret whsec_... (or WEBHOOK_SECRET) is required: GET /api/v1/webhook-secret"
        );
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

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    #[test]
    fn create_key_takes_only_tenant_ids_the_api_takes() {
        use clap::Parser;
        let with = |tenant: &str| {
            super::Cli::try_parse_from(["opsctl", "create-key", "--tenant", tenant]).map(|_| ())
        };
        for good in ["operators", "acme-1", "A_b", &"x".repeat(64)] {
            assert!(with(good).is_ok(), "{good}");
        }
        for bad in ["a#ORDER", "t-1#x", "", " acme", "a/b", "ä", &"x".repeat(65)] {
            let e = with(bad).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation, "{bad}");
            assert!(
                !api::usecases::api_keys::valid_tenant_id(bad),
                "the API refuses {bad:?} too"
            );
        }
    }
}
