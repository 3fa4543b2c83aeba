//! `opsctl` as an operator runs it: the built binary against its own emulator, checking what it
//! prints and its exit codes (`EXIT_CODES` in src/bin/opsctl.rs).
use std::process::{Command, Output};

struct Stack {
    _emulator: ops::emulator::Emulator,
    endpoint: String,
    env: std::collections::BTreeMap<String, String>,
}

async fn stack() -> Stack {
    let emulator = ops::emulator::Emulator::start().expect("the emulator starts");
    let sdk = ops::sdk_for(&emulator.endpoint).await;
    let template = ops::template::Template::load_default().unwrap();
    let p = ops::provision::provision(&sdk, &template, &ops::provision::local_parameters())
        .await
        .unwrap();
    Stack {
        endpoint: emulator.endpoint.clone(),
        _emulator: emulator,
        env: p.env,
    }
}

fn opsctl(stack: &Stack, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsctl"))
        .args(args)
        .args(["--endpoint-url", &stack.endpoint])
        .envs(&stack.env)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("opsctl runs")
}

/// The error of a command that failed: exit code 1, one line on stderr.
fn failure(o: &Output) -> String {
    let (_, err) = text(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("opsctl: error: "), "{err}");
    err
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    let o = Command::new(env!("CARGO_BIN_EXE_opsctl"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(o.status.success());
    let (out, _) = text(&o);
    for command in [
        "create-key",
        "list-keys",
        "revoke-key",
        "import-catalog",
        "catalog-features",
        "show-order",
        "repair-order",
        "audit-orders",
        "requeue-webhooks",
        "bridge",
        "local-up",
        "listen",
        "Exit codes",
    ] {
        assert!(
            out.contains(command),
            "{command} missing from --help:\n{out}"
        );
    }
    let o = Command::new(env!("CARGO_BIN_EXE_opsctl"))
        .args(["import-catalog", "--help"])
        .output()
        .unwrap();
    assert!(
        text(&o).0.contains("[env: CATALOG_TABLE_NAME"),
        "{:?}",
        text(&o)
    );
    let o = Command::new(env!("CARGO_BIN_EXE_opsctl"))
        .arg("no-such-command")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "bad usage");
}

#[tokio::test]
async fn keys_catalog_and_orders_from_the_command_line() {
    let stack = stack().await;

    // Keys: create, list, revoke.
    let o = opsctl(
        &stack,
        &[
            "create-key",
            "--name",
            "cli",
            "--scopes",
            "orders:read,orders:write",
            "--tenant",
            "cli-tenant",
            "--test",
        ],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(out.contains("api_key:   lnc_test_"), "{out}");
    let secret = out
        .lines()
        .find_map(|l| l.strip_prefix("api_key:"))
        .unwrap()
        .trim()
        .to_string();
    let o = opsctl(&stack, &["list-keys", "--tenant", "cli-tenant"]);
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(listed["total"], 1, "{listed}");
    let key_id = listed["items"][0]["key_id"].as_str().unwrap().to_string();
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains(&secret),
        "no secret listed"
    );
    let o = opsctl(&stack, &["revoke-key", "--key-id", &key_id]);
    assert!(o.status.success(), "{:?}", text(&o));
    let o = opsctl(
        &stack,
        &["revoke-key", "--key-id", &uuid::Uuid::now_v7().to_string()],
    );
    failure(&o);

    // Catalog: rejected rows with their line numbers (exit code 3), then the feature records.
    let dir = std::env::temp_dir().join(format!("opsctl-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rows.jsonl");
    std::fs::write(
        &file,
        "{\"name\": \"Acme GmbH\", \"domain\": \"acme-cli.de\", \"country\": \"Germany\", \"industry\": \"Software\"}\n{\"domain\": \"nameless.de\"}\n",
    )
    .unwrap();
    let o = opsctl(
        &stack,
        &["import-catalog", "--file", file.to_str().unwrap()],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}{err}");
    assert!(format!("{out}{err}").contains("line 2"), "{out}{err}");
    assert!(out.contains("imported 1, rejected 1"), "{out}");
    let o = opsctl(&stack, &["catalog-features"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(o.status.success());
    assert_eq!(
        (report["companies"].as_u64(), report["stale"].as_u64()),
        (Some(1), Some(0))
    );

    // Orders: an unknown one is one line and exit code 1; a clean stack audits clean.
    let o = opsctl(
        &stack,
        &[
            "show-order",
            "--order-id",
            &uuid::Uuid::now_v7().to_string(),
        ],
    );
    assert!(failure(&o).contains("not found"));
    let o = opsctl(&stack, &["audit-orders", "--stuck-after-minutes", "0"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let requeue = |since: &str| {
        opsctl(
            &stack,
            &[
                "requeue-webhooks",
                "--tenant",
                "cli-tenant",
                "--since",
                since,
            ],
        )
    };
    let o = requeue("2026-01-01T00:00:00Z");
    let requeued: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(requeued["requeued"], 0, "{requeued}");
    let o = requeue("yesterday");
    assert!(failure(&o).contains("since"));
}
