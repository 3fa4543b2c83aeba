"""Zip size and init time of every function, beside the anchor (a bare lambda_http function with one
DynamoDB client, infra/bench/anchor, built with the same profile).

usage: python infra/bench/package_report.py [BIN_DIR] [RUNS]

BIN_DIR holds the release binaries (default target/release; `make package` passes the `sam build`
output instead, where each function is `<Logical>Function/bootstrap`). The zip is what Lambda gets:
the binary as `bootstrap`, deflated at level 9. Init time is from process start until the runtime
asks for its first event (infra/bench/init_time.py), median of RUNS rounds (each round starts every
binary once, in a fresh random order), with a complete dummy environment so every function gets past its configuration.
"""
import io
import os
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


def binary_of(bin_dir: Path, name: str) -> Path:
    direct = bin_dir / name
    if direct.exists():
        return direct
    # sam build output: <Logical>Function/bootstrap, the logical id being the name in CamelCase.
    logical = "".join(part.capitalize() for part in name.split("-")) + "Function"
    return bin_dir / logical / "bootstrap"


def main() -> None:
    repo = Path(__file__).resolve().parents[2]
    bin_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else repo / "target" / "release"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    # Built by `make package` with the same cargo lambda target as the functions; else the host build.
    anchor = repo / "target" / "lambda" / "anchor" / "bootstrap"
    if not anchor.exists() or bin_dir == repo / "target" / "release":
        anchor = repo / "target" / "release" / "anchor"
    paths = {name: anchor if name == "anchor" else binary_of(bin_dir, name)
             for name in ["anchor"] + functions(repo)}
    built = [name for name, path in paths.items() if path.exists()]
    # Rounds over every binary in a fresh random order: a drift of the machine (another process,
    # frequency scaling) spreads over all of them instead of biasing whichever ran last.
    times = {name: [] for name in built}
    for _ in range(runs):
        for name in random.sample(built, len(built)):
            times[name].append(measure(str(paths[name])) * 1000)
    rows = []
    for name, path in paths.items():
        if name not in times:
            rows.append((name, None, None, None))
            continue
        rows.append((name, path.stat().st_size, zipped(path), statistics.median(times[name])))
    base = next((r for r in rows if r[0] == "anchor" and r[3]), None)
    print(f"{'function':28} {'kind':8} {'binary MB':>9} {'zip MB':>7} {'init ms':>8} {'init/anchor':>11}")
    for name, size, zip_size, init in rows:
        kind = "anchor" if name == "anchor" else "task" if name in TASKS else "webhooks" if name in WEBHOOKS else "api"
        if size is None:
            print(f"{name:28} {kind:8} {'(not built)':>9}")
            continue
        ratio = f"{init / base[3]:.2f}" if base else "-"
        print(f"{name:28} {kind:8} {size / 1e6:9.2f} {zip_size / 1e6:7.2f} {init:8.1f} {ratio:>11}")
    api = [r for r in rows if r[1] and r[0] not in TASKS | WEBHOOKS | {"anchor"}]
    if api:
        biggest = max(api, key=lambda r: r[2])
        slowest = max(api, key=lambda r: r[3])
        print(f"API functions: largest zip {biggest[2] / 1e6:.2f} MB ({biggest[0]}), "
              f"slowest init {slowest[3]:.1f} ms ({slowest[0]})"
              + (f" = {slowest[3] / base[3]:.2f}x the anchor" if base else ""))


if __name__ == "__main__":
    main()
