//! moto's server from the project `.venv`, started on a free loopback port. The wrapper script
//! stops it when its parent process exits, so nothing outlives a test run.
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Emulator {
    pub endpoint: String,
    _child: Child,
}

pub fn python() -> std::path::PathBuf {
    std::env::var_os("OPS_PYTHON")
        .map(Into::into)
        .unwrap_or_else(|| crate::repo_root().join(".venv/bin/python"))
}

pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The launcher `DYNAMODB_EMULATOR` picks: `moto` (the default) or `dynamodb-local` (Amazon's
/// DynamoDB Local behind the same endpoint, every other service on moto; see infra/README.md).
pub fn launcher() -> Result<&'static str> {
    match std::env::var("DYNAMODB_EMULATOR").as_deref() {
        Err(_) | Ok("") | Ok("moto") => Ok("infra/local/moto_child.py"),
        Ok("dynamodb-local") => Ok("infra/local/dynamodb_local.py"),
        Ok(other) => bail!("DYNAMODB_EMULATOR={other:?}: expected moto or dynamodb-local"),
    }
}

/// A suite's record for the least-privilege check (`infra/e2e/check_policies.py`): every AWS call
/// a function made (`<target>/iam-calls/<suite>.jsonl`, written by the emulator) and the physical
/// names of the template's resources as the functions' environment carried them (`<suite>.env`,
/// `VARIABLE=value` lines; a variable may name several resources, e.g. a test's own queue).
pub struct CallLog {
    pub calls: PathBuf,
    names: std::sync::Mutex<std::fs::File>,
}

impl CallLog {
    /// Starts both files empty.
    pub fn create(suite: &str) -> Result<Self> {
        let dir = target_dir().join("iam-calls");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let calls = dir.join(format!("{suite}.jsonl"));
        std::fs::File::create(&calls)?;
        let names = std::fs::File::create(dir.join(format!("{suite}.env")))?;
        Ok(Self {
            calls,
            names: std::sync::Mutex::new(names),
        })
    }

    /// Records that the functions' `variable` named `value` (a table, queue URL, ARN or key id).
    pub fn name(&self, variable: &str, value: &str) -> Result<()> {
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        Ok(writeln!(names, "{variable}={value}")?)
    }
}

/// Cargo's target directory: `CARGO_TARGET_DIR` (relative to the repository root) or `target/`.
pub fn target_dir() -> PathBuf {
    let root = crate::repo_root();
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|d| root.join(d))
        .unwrap_or_else(|| root.join("target"))
}

impl Emulator {
    /// Starts moto or fails loudly: tests never skip for want of an emulator.
    pub fn start() -> Result<Self> {
        Self::launch(None)
    }

    /// The same, logging every call a function makes to `log` (`MOTO_CALLS`).
    pub fn start_logging(log: &CallLog) -> Result<Self> {
        Self::launch(Some(&log.calls))
    }

    fn launch(calls: Option<&Path>) -> Result<Self> {
        let python = python();
        if !python.exists() {
            bail!(
                "{} is missing: run `make venv` (the project's .venv holds moto, pinned in infra/local/requirements.txt)",
                python.display()
            );
        }
        let port = free_port()?;
        let mut command = Command::new(&python);
        match calls {
            Some(path) => command.env("MOTO_CALLS", path),
            None => command.env_remove("MOTO_CALLS"),
        };
        let mut child = command
            .arg(crate::repo_root().join(launcher()?))
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(match std::env::var_os("MOTO_LOG") {
                Some(p) => Stdio::from(std::fs::File::create(p)?),
                None => Stdio::null(),
            })
            .spawn()
            .with_context(|| format!("starting moto with {}", python.display()))?;
        let stdout = child.stdout.take().context("moto stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        if line.trim() != "ready" {
            bail!("moto did not start (said {line:?})");
        }
        Ok(Self {
            endpoint: format!("http://127.0.0.1:{port}"),
            _child: child,
        })
    }
}

/// An emulator provisioned from template.yaml, with an `App` wired as the functions wire theirs:
/// where a benchmark starts.
pub struct LocalStack {
    pub emulator: Emulator,
    pub sdk: aws_config::SdkConfig,
    /// The functions' environment (physical names of the template's resources).
    pub env: std::collections::BTreeMap<String, String>,
    pub app: api::app::App,
}

impl LocalStack {
    pub async fn start() -> Result<Self> {
        let emulator = Emulator::start()?;
        let sdk = crate::sdk_for(&emulator.endpoint).await;
        let template = crate::template::Template::load_default()?;
        let p = crate::provision::provision(&sdk, &template, &crate::provision::local_parameters())
            .await?;
        let env = p.env;
        let config =
            config::Config::from_lookup(|k| env.get(k).cloned()).map_err(|e| anyhow::anyhow!(e))?;
        let app = api::app::App::wired(config, &sdk, crate::ADAPTERS);
        Ok(Self {
            emulator,
            sdk,
            env,
            app,
        })
    }
}
