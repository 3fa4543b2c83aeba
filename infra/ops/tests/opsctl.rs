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
        "recount",
        "bridge",
        "local-up",
        "listen",
        "wire",
        "Exit codes",
    ] {
        assert!(
            out.contains(command),
            "{command} missing from --help:\n{out}"
        );
    }
    assert!(out.contains("--stack <NAME>"), "{out}");
    let o = Command::new(env!("CARGO_BIN_EXE_opsctl"))
        .args(["import-catalog", "--help"])
        .output()
        .unwrap();
    let help = text(&o).0.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("the stack's CatalogTableName output, else env CATALOG_TABLE_NAME"),
        "{help}"
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

/// After `sam deploy`: the first admin key and the catalog import name the stack, and its
/// CloudFormation outputs name the tables (here a stack in the emulator whose outputs name the
/// provisioned tables). The stack outranks a shell still set up for other tables.
#[tokio::test]
async fn the_first_key_and_the_catalog_go_where_the_stack_outputs_point() {
    let stack = stack().await;
    let mut body = String::from(
        "Parameters:\n  CatalogShards:\n    Type: Number\nResources:\n  Placeholder:\n    Type: AWS::CloudFormation::WaitConditionHandle\nOutputs:\n",
    );
    for (var, output) in ops::stack::OUTPUTS {
        let value = serde_json::to_string(&stack.env[var]).unwrap();
        body.push_str(&format!("  {output}:\n    Value: {value}\n"));
    }
    let cfn = aws_sdk_cloudformation::Client::new(&ops::sdk_for(&stack.endpoint).await);
    cfn.create_stack()
        .stack_name("prospects")
        .template_body(body)
        .parameters(
            aws_sdk_cloudformation::types::Parameter::builder()
                .parameter_key("CatalogShards")
                .parameter_value(&stack.env["CATALOG_SHARDS"])
                .build(),
        )
        .send()
        .await
        .unwrap();
    let read = ops::stack::describe(&ops::sdk_for(&stack.endpoint).await, "prospects")
        .await
        .unwrap();
    for (var, _) in ops::stack::OUTPUTS {
        assert_eq!(read[var], stack.env[var], "{var}");
    }
    assert_eq!(read["CATALOG_SHARDS"], stack.env["CATALOG_SHARDS"]);

    let by_stack = |name: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_opsctl"))
            .args(["--endpoint-url", &stack.endpoint, "--stack", name])
            .args(args)
            .env("TABLE_NAME", "LocalLeftover")
            .env("CATALOG_TABLE_NAME", "LocalLeftover")
            .env("CATALOG_FEATURES_TABLE_NAME", "LocalLeftover")
            .output()
            .expect("opsctl runs")
    };
    let o = by_stack(
        "prospects",
        &["create-key", "--name", "first admin", "--scopes", "admin"],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(out.contains("api_key:   lnc_live_"), "{out}");
    let o = opsctl(&stack, &["list-keys", "--tenant", "operators"]);
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(listed["items"][0]["name"], "first admin", "{listed}");

    let dir = std::env::temp_dir().join(format!("opsctl-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rows.jsonl");
    std::fs::write(
        &file,
        "{\"name\": \"Stack GmbH\", \"domain\": \"stack-cli.de\", \"country\": \"Germany\", \"industry\": \"Software\"}\n",
    )
    .unwrap();
    let o = by_stack(
        "prospects",
        &["import-catalog", "--file", file.to_str().unwrap()],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(out.contains("imported 1, rejected 0"), "{out}");
    let o = opsctl(&stack, &["catalog-features"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["companies"], 1, "{report}");

    // A stack that is not there: one line naming it (exit code 1).
    let o = by_stack("no-such-stack", &["create-key"]);
    assert!(failure(&o).contains("no-such-stack"));
    // Neither flag, nor stack, nor environment: bad usage that says what would do.
    let o = Command::new(env!("CARGO_BIN_EXE_opsctl"))
        .args(["--endpoint-url", &stack.endpoint, "create-key"])
        .env_remove("TABLE_NAME")
        .output()
        .unwrap();
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("--stack NAME"), "{err}");
}

/// A table whose keys predate the counters (their counter items removed here) lists totals that
/// are too low; `recount` names each counter that differs (exit code 3), `--write` stores them,
/// and the listing's total is right again.
#[tokio::test]
async fn recount_restores_the_counters_of_items_older_than_them() {
    let stack = stack().await;
    for name in ["one", "two"] {
        let o = opsctl(
            &stack,
            &[
                "create-key",
                "--name",
                name,
                "--tenant",
                "old-tenant",
                "--scopes",
                "orders:read",
            ],
        );
        assert!(o.status.success(), "{:?}", text(&o));
    }
    let o = opsctl(&stack, &["recount"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.contains("0 counters differ"), "{:?}", text(&o));

    let db = aws_sdk_dynamodb::Client::new(&ops::sdk_for(&stack.endpoint).await);
    // Every counter item of the keys (16 shards each for every key and for the tenant).
    let shards: Vec<(String, String)> = (0..16)
        .flat_map(|i| {
            [
                ("KEYCOUNTS".to_string(), format!("ALL#{i:02}")),
                ("KEYCOUNTS".to_string(), format!("TENANT#old-tenant#{i:02}")),
            ]
        })
        .collect();
    for (pk, sk) in shards {
        db.delete_item()
            .table_name(&stack.env["TABLE_NAME"])
            .key("PK", aws_sdk_dynamodb::types::AttributeValue::S(pk))
            .key("SK", aws_sdk_dynamodb::types::AttributeValue::S(sk))
            .send()
            .await
            .unwrap();
    }
    let listed = |stack: &Stack| {
        let o = opsctl(stack, &["list-keys", "--tenant", "old-tenant"]);
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["total"].clone()
    };
    assert_eq!(listed(&stack), 0, "the total comes from the counter");
    let o = opsctl(&stack, &["recount"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}{err}");
    // Two keys: one or two shards of each counter, each counted 1 or 2.
    assert!(err.contains("KEYCOUNTS / TENANT#old-tenant#"), "{err}");
    assert!(err.contains("KEYCOUNTS / ALL#"), "{err}");
    assert!(err.contains("api_keys stored 0, counted"), "{err}");
    let o = opsctl(&stack, &["recount", "--write"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(listed(&stack), 2);
    let o = opsctl(&stack, &["recount"]);
    assert!(o.status.success(), "{:?}", text(&o));
}
