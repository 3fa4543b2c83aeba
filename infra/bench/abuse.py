"""`make bench-abuse`: what one request may cost, per endpoint (infra/README.md, "What one request may
cost"): each case of the abuse suite (infra/e2e/abuse.py: every endpoint's worst allowed input and
inputs past the limits) sent once to the local stack, with
- its status and time from request to answer;
- the peak resident memory (VmHWM, reset before the request) of its function's processes, beside the
  function's MemorySize in template.yaml;
- its function's DynamoDB reads during the request: read calls and read request units, from the
  emulator's call log (cost_moto.py prices each call from the items it touched).
The big blacklist has ENTRIES entries (100,000 by default: the issue's size), added through the API
in calls of 1,000; the suite in `make test` uses 3,000.

The stack is cost.py's (moto with the units log, `opsctl local-up` with 3,000 demo companies, `cargo
lambda watch` of the debug build, three instances per function): debug code is slower than the
release build Lambda runs, so times are upper bounds; memory is close (the same allocations).

usage: python infra/bench/abuse.py [--entries 100000] [--timeout 300] [--only TEXT] [--keep DIR]
Prints a Markdown table and writes target/bench-abuse.json.
"""
import argparse
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
import cost  # noqa: E402 (the local stack with the units log)

# The cases: infra/e2e/abuse.py (by path: this file has the same name).
_spec = importlib.util.spec_from_file_location("abuse_cases", ROOT / "infra" / "e2e" / "abuse.py")
abuse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(abuse)

READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}


def create_key(stack, tenant, scopes):
    env = dict(os.environ, **{k: v for k, v in stack.env.items() if k.startswith("AWS_")})
    out = subprocess.run([stack.opsctl, "create-key", "--endpoint-url", stack.moto, "--table", stack.env["TABLE_NAME"],
                          "--tenant", tenant, "--name", tenant, "--scopes", scopes, "--test",
                          "--rate-limit-per-minute", "100000"], env=env, check=True, capture_output=True, text=True)
    return next(w for w in out.stdout.split() if w.startswith("lnc_test_"))


def reads_of(record, units):
    """The record's function's DynamoDB read calls and RRU while it was answered."""
    calls = [u for u in units if u["function"] == record["function"] and u["service"] == "dynamodb"
             and u["action"] in READS and record["t0"] <= u["t"] <= record["t1"]]
    return len(calls), sum(u["rru"] for u in calls)


def load_units(path):
    out = []
    with open(path) as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except ValueError:  # the last line, still being written
                pass
    return out


def table(records, functions):
    lines = ["| endpoint (function) | input | status | time | peak memory / template | DynamoDB reads (calls, RRU) |",
             "|---|---|---|---|---|---|"]
    for r in records:
        memory = functions.get(r["function"], (None, None))[0]
        peak = f"{r['peak_kb'] / 1024:.0f} MB / {memory} MB" if r.get("peak_kb") else f"- / {memory} MB"
        status = str(r["status"] or "no answer")
        if r["problems"]:
            status += " (fails: " + "; ".join(p[:60] for p in r["problems"]) + ")"
        lines.append(f"| {r['function']} | {r['input'] or r['name']} | {status} | {r['seconds']:.2f} s | {peak} "
                     f"| {r['read_calls']}, {r['rru']:g} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=100_000, help="entries of the big blacklist")
    ap.add_argument("--timeout", type=float, default=300, help="seconds a request may take before it counts as no answer")
    ap.add_argument("--only", default="", help="only the cases whose name contains this")
    ap.add_argument("--keep", help="keep the stack's logs in this folder")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--quiet", "--workspace", "--bins"], cwd=ROOT, check=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-abuse-"))
    stack = cost.Stack(work, 3000, "debug")
    records = []
    try:
        warm = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "infra" / "e2e" / "warm.py"),
                               str(stack.watch_port), "900"])
        if warm.returncode:
            raise SystemExit(f"the functions did not start (see {work}/watch.log)")
        keys = {"partner": create_key(stack, "bench-abuse", "orders:read,orders:write,blacklists:read,blacklists:write"),
                "admin": create_key(stack, "operators", "admin")}
        api = abuse.Api(f"http://127.0.0.1:{stack.watch_port}/api/v1", keys, timeout=args.timeout)
        functions = abuse.template_functions()
        processes = abuse.Processes(stack.procs[1].pid)
        started = time.time()
        fx = abuse.Fixture(api, args.entries)
        print(f"fixture: a blacklist of {args.entries:,} entries in {time.time() - started:.0f} s", file=sys.stderr)
        for case in abuse.cases(fx):
            if args.only and args.only not in case.name:
                continue
            rec = abuse.run_case(api, case, args.timeout, processes)
            records.append(rec)
            print(f"  {rec['status'] or '-'} {rec['seconds']:7.2f} s {case.name}", file=sys.stderr)
        units = load_units(work / "units.jsonl")
        for rec in records:
            rec["read_calls"], rec["rru"] = reads_of(rec, units)
        print(f"\nThe abuse suite's cases, one request each (debug build; a blacklist of {args.entries:,} entries):\n")
        print(table(records, functions))
        out = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "bench-abuse.json"
        out.write_text(json.dumps({"entries": args.entries, "records": records}, indent=1, default=str))
        print(f"\n(written to {out})")
    finally:
        stack.stop()
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
