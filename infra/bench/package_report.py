"""Zip size and init time of every function, beside the anchor (a bare lambda_http function with one
DynamoDB client, infra/bench/anchor, built with the same profile).

usage: python infra/bench/package_report.py [BIN_DIR] [RUNS] [--anchor PATH]

BIN_DIR holds the release binaries (default target/release; `make package` passes its build
folder instead, where each function is `<Logical>Function/bootstrap`, and the anchor built for the
same target). The zip is what Lambda gets:
the binary as `bootstrap`, deflated at level 9. Init time is from process start until the runtime
asks for its first event (infra/bench/init_time.py), median of RUNS rounds (each round starts every
binary once, in a fresh random order), with a complete dummy environment so every function gets past its configuration.
Binaries for another architecture than this machine's (arm64 built on x86_64) cannot start here:
their sizes are reported and their init time is left out, with a note saying so.
"""
import argparse
import io
import os
import platform
import random
import statistics
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from init_time import measure  # noqa: E402

TASKS = {"start-processing", "discover", "enrich-batch", "complete-order", "fail-order"}
WEBHOOKS = {"webhook-dispatcher", "outbox-relay"}

# Every variable any function reads at start, with harmless values (nothing is called before the
# first event).
os.environ.update({
    "CATALOG_TABLE_NAME": "CatalogTable",
    "CATALOG_FEATURES_TABLE_NAME": "CatalogFeaturesTable",
    "CATALOG_SHARDS": "1",
    "WEBHOOK_QUEUE_URL": "http://127.0.0.1:9/queue/webhooks",
    "WEBHOOK_DEAD_LETTER_QUEUE_URL": "http://127.0.0.1:9/queue/dead",
    "WEBHOOK_SECRETS_KEY_ID": "alias/bench",
    "STATE_MACHINE_ARN": "arn:aws:states:us-east-1:000000000000:stateMachine:bench",
})


def zipped(binary: Path) -> int:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, binary.read_bytes(), compresslevel=9)
    return buf.tell()


def functions(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "functions").iterdir() if (p / "Cargo.toml").exists())


def logical_ids(repo: Path) -> dict[str, str]:
    """The logical id of each function's resource in template.yaml, by its binary."""
    from samcli.yamlhelper import yaml_parse  # the project's .venv has it (SAM CLI)
    resources = yaml_parse((repo / "template.yaml").read_text())["Resources"]
    return {r["Metadata"]["BuildProperties"]["Binary"]: logical for logical, r in resources.items()
            if r["Type"] == "AWS::Serverless::Function"}


def binary_of(bin_dir: Path, name: str, logical: dict[str, str]) -> Path:
    direct = bin_dir / name
    if direct.exists() or name not in logical:
        return direct
    # A build folder as `sam build` (or `make package`) lays it out: <Logical>/bootstrap.
    return bin_dir / logical[name] / "bootstrap"


# ELF e_machine -> the names platform.machine() gives that architecture.
MACHINES = {0x3E: ("x86_64", "amd64"), 0xB7: ("aarch64", "arm64")}


def runs_here(binary: Path) -> bool:
    machine = int.from_bytes(binary.read_bytes()[18:20], "little")
    return platform.machine().lower() in MACHINES.get(machine, ())


def main() -> None:
    repo = Path(__file__).resolve().parents[2]
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("bin_dir", nargs="?", type=Path, default=repo / "target" / "release")
    args.add_argument("runs", nargs="?", type=int, default=10)
    args.add_argument("--anchor", type=Path, help="the anchor built like the functions "
                      "(default: target/release/anchor)")
    opts = args.parse_args()
    anchor = opts.anchor or repo / "target" / "release" / "anchor"
    logical = logical_ids(repo)
    paths = {name: anchor if name == "anchor" else binary_of(opts.bin_dir, name, logical)
             for name in ["anchor"] + functions(repo)}
    built = [name for name, path in paths.items() if path.exists()]
    foreign = [name for name in built if not runs_here(paths[name])]
    timed = [name for name in built if name not in foreign]
    # Rounds over every binary in a fresh random order: a drift of the machine (another process,
    # frequency scaling) spreads over all of them instead of biasing whichever ran last.
    times = {name: [] for name in timed}
    for _ in range(opts.runs):
        for name in random.sample(timed, len(timed)):
            times[name].append(measure(str(paths[name])) * 1000)
    rows = []
    for name, path in paths.items():
        if name not in built:
            rows.append((name, None, None, None))
            continue
        init = statistics.median(times[name]) if name in times else None
        rows.append((name, path.stat().st_size, zipped(path), init))
    base = next((r for r in rows if r[0] == "anchor" and r[3]), None)
    print(f"{'function':28} {'kind':8} {'binary MB':>9} {'zip MB':>7} {'init ms':>8} {'init/anchor':>11}")
    for name, size, zip_size, init in rows:
        kind = "anchor" if name == "anchor" else "task" if name in TASKS else "webhooks" if name in WEBHOOKS else "api"
        if size is None:
            print(f"{name:28} {kind:8} {'(not built)':>9}")
            continue
        shown = f"{init:8.1f}" if init is not None else f"{'-':>8}"
        ratio = f"{init / base[3]:.2f}" if base and init is not None else "-"
        print(f"{name:28} {kind:8} {size / 1e6:9.2f} {zip_size / 1e6:7.2f} {shown} {ratio:>11}")
    if foreign:
        print(f"init time not measured for {len(foreign)} binaries built for another architecture "
              f"than this {platform.machine()} machine ({', '.join(foreign[:3])}"
              f"{', ...' if len(foreign) > 3 else ''}): they cannot start here")
    api = [r for r in rows if r[1] and r[0] not in TASKS | WEBHOOKS | {"anchor"}]
    if api:
        biggest = max(api, key=lambda r: r[2])
        summary = f"API functions: largest zip {biggest[2] / 1e6:.2f} MB ({biggest[0]})"
        started = [r for r in api if r[3] is not None]
        if started:
            slowest = max(started, key=lambda r: r[3])
            summary += (f", slowest init {slowest[3]:.1f} ms ({slowest[0]})"
                        + (f" = {slowest[3] / base[3]:.2f}x the anchor" if base else ""))
        print(summary)


if __name__ == "__main__":
    main()
