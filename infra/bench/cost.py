"""`make bench-cost`: what one order of each kind costs on AWS, priced from the local stack's calls.

The local stack of infra/e2e/run.sh (moto, `opsctl local-up` with demo companies, `opsctl bridge`,
`cargo lambda watch`) runs, one after another: a preview, a discovery of 200 companies with every
feature, enrichments of 1,000 and 10,000 companies with every feature, and results pages. Three
observers price them:
- the emulator (cost_moto.py) logs each AWS call of a function with its DynamoDB request units
  (from item sizes), SQS requests (64 KB chunks) and KMS requests;
- a timing proxy in front of `cargo lambda watch` sees every invocation: each API request (its
  route's function, bytes in and out) and each of the bridge's (the state machine's tasks, the
  queue's webhook dispatcher, the relay's schedule), timed from request to response;
- Step Functions' execution history gives the state transitions.
Everything between an order's first request and the moment it is COMPLETED with its three webhooks
delivered and nothing in flight is that order's, except the relay's sweeps every minute (a fixed
cost, reported apart). Status polls read the table directly, so they cost the order nothing.

The stack runs in a network namespace of its own (`unshare --net`, loopback only): enrichment's
homepage fetches and MX lookups fail at once instead of reaching the internet. Their wait in
production is added from `bench-enrich`'s measurement (infra/README.md, "Time budget"), see
SITE_WAIT_S_PER_COMPANY.

usage: python infra/bench/cost.py [--enrich 1000,10000] [--countries ...] [--release] [--keep DIR]
       python infra/bench/cost.py --analyse DIR     (prices a run kept with --keep again)
It builds the binaries, then runs itself again inside the namespace; prints the cost tables
(Markdown) and writes target/bench-cost.json (every row's usage, by function and by AWS call).
"""
import argparse
import errno
import fcntl
import http.client
import http.server
import json
import math
import os
import pathlib
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter, defaultdict
from decimal import Decimal

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
sys.path.insert(0, str(HERE))
import cost_units as cu

ALL_FEATURES = ["COMPANY_DATA", "CONTACTS", "ANALYSIS", "TECHNOLOGIES", "EMAIL_DISCOVERY"]
# Production's wait on company sites, which the offline stack cannot show: `bench-enrich`'s typical
# scenario (fixture sites answering in 0.15-4 s, 1 in 10 stalling, 1 in 10 MX silent, production
# limits) takes 13.5-16.1 s of wall time per batch of 90 with every feature; the upper end is used.
# It applies to orders asking for TECHNOLOGIES or EMAIL_DISCOVERY (homepage fetch, MX lookup).
SITE_WAIT_S_PER_COMPANY = 16.1 / 90
# What CloudWatch Logs ingests beside the functions' own lines: Lambda's platform lines per
# invocation (JSON log format: start and report records, ~0.6 KB together) and the HTTP API's access
# log line per request (the template's format, ~0.25 KB).
PLATFORM_LOG_BYTES = 600
ACCESS_LOG_BYTES = 250
FIXED_FUNCTIONS = {"outbox-relay"}
# What one AWS call takes in production, in place of the emulator's time for it: DynamoDB answers in
# single-digit milliseconds in-region; 10 ms covers the client's own work and SQS, KMS, Step Functions.
AWS_CALL_MS = 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the template


def template_facts():
    """{function binary: MemorySize}, the default Architecture, the API routes of CargoLambda.toml."""
    from cfnlint.decode import cfn_yaml

    t = cfn_yaml.load(str(ROOT / "template.yaml"))
    default_memory = t["Globals"]["Function"].get("MemorySize", 128)
    memory = {}
    for res in t["Resources"].values():
        if res.get("Type") != "AWS::Serverless::Function":
            continue
        binary = res.get("Metadata", {}).get("BuildProperties", {}).get("Binary")
        if binary:
            memory[binary] = int(res["Properties"].get("MemorySize", default_memory))
    arch = t["Parameters"]["Architecture"]["Default"]
    with open(ROOT / "CargoLambda.toml", "rb") as f:
        router = tomllib.load(f)["watch"]["router"]
    routes = []
    for path, methods in router.items():
        segments = path.strip("/").split("/")
        literal = sum(1 for s in segments if not s.startswith("{"))
        for m in methods:
            routes.append((segments, m["method"], m["function"], literal))
    # The most literal route wins (`/orders/preview` over `/orders/{order_id}`), as in the router.
    routes.sort(key=lambda r: (-r[3], r[0][-1].startswith("{*")))
    return memory, arch, routes


def route_function(routes, method, path):
    parts = path.split("?")[0].strip("/").split("/")
    for segments, m, function, _ in routes:
        if m != method:
            continue
        if segments and segments[-1].startswith("{*"):
            if parts[: len(segments) - 1] == segments[:-1] or len(segments) == 1:
                return function
            continue
        if len(segments) == len(parts) and all(s.startswith("{") or s == p for s, p in zip(segments, parts)):
            return function
    return "route-not-found"


# ---------------------------------------------------------------- observers


class Proxy:
    """Forwards to `cargo lambda watch` and records each request: function, start, duration, bytes."""

    def __init__(self, upstream_port, routes):
        self.records, self.lock, self.in_flight = [], threading.Lock(), 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                m = re.match(r"^/2015-03-31/functions/([^/]+)/invocations", self.path)
                function = m.group(1) if m else route_function(routes, self.command, self.path)
                with proxy.lock:
                    proxy.in_flight += 1
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=900)
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "host")}
                    t0 = time.time()
                    conn.request(self.command, self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    t1 = time.time()
                    conn.close()
                finally:
                    with proxy.lock:
                        proxy.in_flight -= 1
                record = {"t0": t0, "t1": t1, "function": function, "invoke": bool(m), "status": resp.status,
                          "bytes_in": len(body), "bytes_out": len(data), "ms": (t1 - t0) * 1000}
                if m and function == "webhook-dispatcher":
                    try:
                        record["records"] = len(json.loads(body).get("Records", []))
                    except ValueError:
                        record["records"] = 0
                if m and function == "enrich-batch":
                    try:
                        record["done"] = json.loads(data).get("done", True)
                    except (ValueError, AttributeError):
                        record["done"] = None
                if m and resp.getheader("X-Amz-Function-Error") or (m and resp.status >= 300):
                    record["error"] = True
                with proxy.lock:
                    proxy.records.append(record)
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def busy(self):
        with self.lock:
            return self.in_flight


class Receiver:
    """The partner's webhook endpoint: answers 204 and counts the statuses it heard per order."""

    def __init__(self):
        self.seen = defaultdict(set)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    event = json.loads(body)
                    receiver.seen[event["order_id"]].add(event["status"])
                except (ValueError, KeyError):
                    pass
                self.send_response(204)
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# ---------------------------------------------------------------- the stack


def bring_loopback_up():
    """A new network namespace starts with `lo` down (SIOCSIFFLAGS, no `ip` needed)."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifr = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, siocgifflags, ifr))[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


def assert_offline():
    for addr in (("1.1.1.1", 443), ("8.8.8.8", 53)):
        with socket.socket() as s:
            s.settimeout(2)
            try:
                s.connect(addr)
            except OSError as e:
                if e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED):
                    continue
                raise
            raise SystemExit(f"the bench's namespace reaches {addr}: refusing to fetch company sites")


class Stack:
    def __init__(self, work, catalog, profile):
        self.work, self.procs = work, []
        py = str(ROOT / ".venv" / "bin" / "python")
        moto_port, self.watch_port = free_port(), free_port()
        self.moto = f"http://127.0.0.1:{moto_port}"
        env = dict(os.environ, MOTO_UNITS=str(work / "units.jsonl"), MOTO_CALLS=str(work / "calls.jsonl"))
        moto = subprocess.Popen([py, str(HERE / "cost_moto.py"), str(moto_port)], stdout=subprocess.PIPE,
                                stderr=open(work / "moto.log", "w"), env=env)
        self.procs.append(moto)
        if moto.stdout.readline().strip() != b"ready":
            raise SystemExit("moto did not start (see moto.log)")
        opsctl = str(TARGET / profile / "opsctl")
        started = time.time()
        keys = subprocess.run([opsctl, "local-up", "--endpoint-url", self.moto, "--env-file", str(work / "env"),
                               "--demo-companies", str(catalog)], check=True, capture_output=True, text=True)
        print(f"local stack: {catalog} demo companies seeded in {time.time() - started:.0f} s", file=sys.stderr)
        self.keys = dict(line.split("=", 1) for line in keys.stdout.split() if "=" in line)
        self.env = dict(line.split("=", 1) for line in (work / "env").read_text().splitlines() if "=" in line)
        self.watch_log = work / "watch.log"
        watch_env = dict(os.environ, PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}", CARGO_NET_OFFLINE="true")
        # One instance per concurrent invocation, as Lambda: the Map runs 3 batches of a NORMAL order
        # at once, and a single instance would queue them, timing the queue as duration. (`watch`
        # starts that many instances of a function at its first invocation: the warm-up's.)
        watch = ["cargo", "lambda", "watch", "--invoke-port", str(self.watch_port), "--invoke-address",
                 "127.0.0.1", "--env-file", str(work / "env"), "--ignore-changes", "--concurrency", "3"]
        if profile == "release":
            watch.append("--release")
        self.procs.append(subprocess.Popen(watch, cwd=ROOT, env=watch_env, stdout=open(self.watch_log, "w"),
                                           stderr=subprocess.STDOUT, start_new_session=True))
        self.profile, self.opsctl = profile, opsctl

    def start_bridge(self, invoke_url):
        self.procs.append(subprocess.Popen(
            [self.opsctl, "bridge", "--endpoint-url", self.moto, "--invoke-url", invoke_url],
            stderr=open(self.work / "bridge.log", "w"), start_new_session=True))

    def stop(self):
        """Ends what the stack started: the bridge's and `watch`'s process groups (watch's function
        instances are in its group), then the emulator."""
        def signal_each(sig):
            for p in reversed(self.procs):
                if p.poll() is None:
                    try:
                        os.killpg(p.pid, sig) if p.pid == os.getpgid(p.pid) else p.send_signal(sig)
                    except ProcessLookupError:
                        pass

        signal_each(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                signal_each(signal.SIGKILL)

    def boto(self, service):
        import boto3

        return boto3.client(service, endpoint_url=self.moto, region_name="us-east-1",
                            aws_access_key_id="local", aws_secret_access_key="local")


# ---------------------------------------------------------------- orders


class Glitch(Exception):
    """The local Lambda emulator failed a request the function never saw."""


class Bench:
    def __init__(self, stack, proxy, receiver):
        import httpx

        self.stack, self.proxy, self.receiver = stack, proxy, receiver
        self.api = f"http://127.0.0.1:{proxy.port}/api/v1"
        self.http = httpx.Client(timeout=600)
        self.partner = {"Authorization": f"Bearer {stack.keys['PARTNER_KEY']}"}
        self.admin = {"Authorization": f"Bearer {stack.keys['ADMIN_KEY']}"}
        self.tenant = stack.keys["PARTNER_TENANT"]
        self.table = stack.env["TABLE_NAME"]
        self.dynamodb = stack.boto("dynamodb")
        self.sfn = stack.boto("stepfunctions")
        self.windows = []

    def call(self, method, path, expect, key=None, **kw):
        r = self.http.request(method, self.api + path, headers=key or self.partner, **kw)
        if r.status_code == 500 and b'"error"' not in r.content:
            # `cargo lambda watch`'s own 500 (its instance was not there), not the function's envelope.
            raise Glitch(f"{method} {path}: {r.text[:200]}")
        if r.status_code != expect:
            raise SystemExit(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r.json() if r.content else {}

    def wait_ready(self):
        for _ in range(600):
            try:
                self.http.get(f"http://127.0.0.1:{self.stack.watch_port}/api/v1/openapi.json", timeout=5)
                return
            except Exception:  # noqa: BLE001 (not listening yet)
                time.sleep(1)
        raise SystemExit("cargo lambda watch did not answer (see watch.log)")

    def status(self, order_id):
        item = self.dynamodb.get_item(TableName=self.table, ConsistentRead=True, Key={
            "PK": {"S": f"TENANT#{self.tenant}"}, "SK": {"S": f"ORDER#{order_id}"}}).get("Item", {})
        return item.get("status", {}).get("S")

    def settle(self, order_id=None, timeout=7200):
        """Until the order is COMPLETED with its three webhooks heard and nothing is in flight."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if order_id:
                status = self.status(order_id)
                if status == "CANCELLED":
                    raise SystemExit(f"order {order_id} was cancelled (see bridge.log, watch.log)")
                done = status == "COMPLETED" and {"ACCEPTED", "IN_PROGRESS", "COMPLETED"} <= self.receiver.seen[order_id]
            else:
                done = True
            if done and self.proxy.busy() == 0:
                return
            time.sleep(0.2)
        raise SystemExit(f"order {order_id} did not settle in {timeout} s")

    def window(self, name, companies, fn, repeat=1):
        """Runs `fn` (returning its order id or None) `repeat` times, each in its own window."""
        for i in range(repeat):
            self.settle()
            for attempt in range(3):
                log_start = self.stack.watch_log.stat().st_size
                t0 = time.time()
                try:
                    order_id, charged = fn()
                    break
                except Glitch as e:
                    # Only a request that changes nothing is tried again; its calls stay out of every window.
                    if companies is not None or name == "discovery" or attempt == 2:
                        raise SystemExit(str(e))
                    print(f"  {name}: the local emulator glitched ({e}); again", file=sys.stderr)
                    self.settle()
            self.settle(order_id)
            t1 = time.time()
            self.windows.append({"name": name, "companies": companies, "order_id": order_id, "t0": t0, "t1": t1,
                                 "log": (log_start, self.stack.watch_log.stat().st_size), "charged": charged,
                                 "repeat": i})
            print(f"  {name} [{i + 1}/{repeat}]: {t1 - t0:.1f} s", file=sys.stderr)

    def order(self, body):
        created = self.call("POST", "/orders", 202, json=body)
        order_id = created["order_id"]
        self.call("POST", f"/admin/orders/{order_id}/accept", 200, key=self.admin)
        return order_id

    def charged(self, order_id):
        o = self.call("GET", f"/orders/{order_id}", 200)
        return o.get("company_count"), o.get("estimated_cost")

    # --- the orders

    def discovery_body(self, countries, blacklist):
        return {
            "order_type": "DISCOVERY", "title": "bench-cost discovery", "features": ALL_FEATURES,
            "ideal_customer_profile": "B2B software and IT services companies with 20-2000 employees",
            "seller_offering": "AI-powered lead generation and prospect enrichment platform",
            "target_countries": countries, "blacklist_ids": [blacklist], "webhook_url": self.receiver.url,
        }

    def enrichment_body(self, companies, tag):
        return {
            "order_type": "ENRICHMENT", "title": f"bench-cost enrichment {tag}", "features": ALL_FEATURES,
            "webhook_url": self.receiver.url,
            # ANALYSIS scores each company against these.
            "ideal_customer_profile": "B2B software and IT services companies with 20-2000 employees",
            "seller_offering": "AI-powered lead generation and prospect enrichment platform",
            "companies": [{"external_id": f"{tag}-{i}", "company_name": c["name"],
                           "website_url": f"https://www.{c['id']}"} for i, c in enumerate(companies)],
        }

    def catalog(self):
        """The demo catalog's companies (id = domain, name), read from the table by the bench itself."""
        table, out, start = self.stack.env["CATALOG_TABLE_NAME"], [], None
        while True:
            kw = {"TableName": table, "ExclusiveStartKey": start} if start else {"TableName": table}
            page = self.dynamodb.scan(**kw)
            for item in page["Items"]:
                if ":" in item["id"]["S"] or "body" not in item:
                    continue
                body = json.loads(item["body"]["S"])
                out.append({"id": item["id"]["S"], "name": body["name"]})
            start = page.get("LastEvaluatedKey")
            if not start:
                return sorted(out, key=lambda c: c["id"])

    def execution_transitions(self, order_id):
        """State transitions of the order's execution: every state entered (a Map's iterations'
        states too) plus every retry of a task."""
        arn = self.stack.env["STATE_MACHINE_ARN"]
        execution = arn.replace(":stateMachine:", ":execution:") + f":{order_id}"
        events, token = [], None
        while True:
            kw = {"executionArn": execution, "maxResults": 1000}
            if token:
                kw["nextToken"] = token
            page = self.sfn.get_execution_history(**kw)
            events += page["events"]
            token = page.get("nextToken")
            if not token:
                break
        types = Counter(e["type"] for e in events)
        entered = sum(n for t, n in types.items() if t.endswith("StateEntered"))
        return entered, types


# ---------------------------------------------------------------- usage and price


def usage_of(window, proxy_records, units, memory, log_lines):
    inside = lambda t: window["t0"] <= t <= window["t1"]
    records = [r for r in proxy_records if inside(r["t0"]) and r["function"] not in FIXED_FUNCTIONS]
    calls = [u for u in units if inside(u["t"]) and u["function"] not in FIXED_FUNCTIONS]
    errors = [u for u in calls if u.get("error")]
    if errors:
        raise SystemExit(f"{len(errors)} calls could not be measured, e.g. {errors[0]}")
    u = {"invocations": len(records), "by_function": defaultdict(lambda: {
        "invocations": 0, "ms": 0.0, "emulator_ms": 0.0, "extra_ms": 0.0, "aws_calls": 0, "rru": 0.0, "wru": 0})}
    for r in records:
        f = u["by_function"][r["function"]]
        f["invocations"] += 1
        f["ms"] += r["ms"]
    api = [r for r in records if not r["invoke"]]
    u["api_requests"] = len(api)
    u["apigw_requests"] = sum(cu.apigw_requests(r["bytes_in"], r["bytes_out"]) for r in api)
    u["rru"] = sum(c["rru"] for c in calls)
    u["wru"] = sum(c["wru"] + c["index_wru"] for c in calls)
    u["index_wru"] = sum(c["index_wru"] for c in calls)
    u["stored"] = sum(c["stored"] for c in calls)
    u["kms_requests"] = sum(c["kms"] for c in calls)
    # SQS: what the functions sent, and what Lambda's event source mapping does per batch it hands
    # the dispatcher (a ReceiveMessage and a DeleteMessageBatch; its idle long polls are a fixed cost).
    batches = sum(1 for r in records if r["function"] == "webhook-dispatcher" and r.get("records"))
    u["sqs_requests"] = sum(c["sqs"] for c in calls) + 2 * batches
    for c in calls:
        f = u["by_function"][c["function"]]
        f["rru"] += c["rru"]
        f["wru"] += c["wru"] + c["index_wru"]
        f["emulator_ms"] += c.get("ms", 0)
        f["extra_ms"] += c.get("extra_ms", 0)
        f["aws_calls"] += 1
    # Lambda: each function's measured time (less what the bench's own measurement in the emulator
    # added), and the estimate priced: that time with each AWS call's time in the emulator replaced
    # by AWS_CALL_MS.
    u["gb_seconds_measured"] = u["gb_seconds"] = Decimal(0)
    for name, f in u["by_function"].items():
        if not f["invocations"]:
            continue
        measured = max(f["invocations"], f["ms"] - f["extra_ms"])
        estimated = max(f["invocations"], measured - f["emulator_ms"] + AWS_CALL_MS * f["aws_calls"])
        gb = Decimal(memory[name]) / 1024
        f["gb_seconds_measured"] = Decimal(str(measured)) / 1000 * gb
        f["gb_seconds"] = Decimal(str(estimated)) / 1000 * gb
        u["gb_seconds_measured"] += f["gb_seconds_measured"]
        u["gb_seconds"] += f["gb_seconds"]
    u["aws_calls"] = Counter(f"{c['service']}:{c['action']}" for c in calls)
    u["log_bytes"] = log_lines + PLATFORM_LOG_BYTES * len(records) + ACCESS_LOG_BYTES * len(api)
    u["data_out_bytes"] = sum(r["bytes_out"] for r in api)
    # Active tracing: every entry point starts a trace (the default rule samples the first request
    # each second, so at an order's pace all of them): each API request, the execution (its tasks
    # join it) and each queue-triggered dispatcher invocation. An upper bound.
    u["traces"] = len(api) + (1 if window["order_id"] else 0) + batches
    u["transitions"] = window.get("transitions", 0)
    # Production's site wait (see SITE_WAIT_S_PER_COMPANY) for the companies enrich-batch built.
    u["site_wait_gb_seconds"] = Decimal(0)
    if window["order_id"] and window["companies"]:
        u["site_wait_gb_seconds"] = (Decimal(str(SITE_WAIT_S_PER_COMPANY)) * window["companies"]
                                     * Decimal(memory["enrich-batch"]) / 1024)
    u["batches"] = sum(1 for r in records if r["function"] == "enrich-batch")
    u["handed_back"] = sum(1 for r in records if r["function"] == "enrich-batch" and r.get("done") is False)
    u["task_errors"] = sum(1 for r in records if r["invoke"] and r.get("error"))
    return u


def function_log_bytes(path, span):
    """Bytes of the functions' own JSON lines in `cargo lambda watch`'s output between two offsets."""
    start, end = span
    with open(path, "rb") as f:
        f.seek(start)
        chunk = f.read(end - start)
    total = 0
    for line in chunk.splitlines():
        text = line.strip()
        # cargo lambda prefixes nothing to a function's stdout; its own lines are not JSON.
        if text.startswith(b"{") and text.endswith(b"}"):
            total += len(text) + 1
    return total


def money(d):
    d = Decimal(d)
    if d == 0:
        return "0"
    if d >= Decimal("0.01"):
        return f"{d:.4f}"
    exp = math.floor(math.log10(float(d)))
    return f"{d:.{max(0, 1 - exp)}f}"


def aggregate(windows, usages, arch):
    """Mean usage of the repeats of each measured kind, and each repeat's cost."""
    by = defaultdict(list)
    for w, u in zip(windows, usages):
        by[w["name"]].append((w, u))
    out = []
    for name, pairs in by.items():
        n = len(pairs)
        mean = {}
        for key in ("invocations", "api_requests", "apigw_requests", "rru", "wru", "index_wru", "stored",
                    "kms_requests", "sqs_requests", "log_bytes", "transitions", "batches", "handed_back",
                    "task_errors", "traces", "data_out_bytes"):
            mean[key] = sum(Decimal(str(u[key])) for _, u in pairs) / n
        mean["gb_seconds"] = sum(u["gb_seconds"] for _, u in pairs) / n
        mean["gb_seconds_measured"] = sum(u["gb_seconds_measured"] for _, u in pairs) / n
        mean["site_wait_gb_seconds"] = sum(u["site_wait_gb_seconds"] for _, u in pairs) / n
        by_function = defaultdict(lambda: defaultdict(Decimal))
        for _, u in pairs:
            for f, v in u["by_function"].items():
                for k, x in v.items():
                    by_function[f][k] += Decimal(str(x)) / n
        w0 = pairs[0][0]
        out.append({"name": name, "companies": w0["companies"], "repeats": n, "usage": mean,
                    "by_function": {f: dict(v) for f, v in by_function.items()},
                    "charged": w0["charged"], "order_id": w0["order_id"],
                    "wall_s": sum(w["t1"] - w["t0"] for w, _ in pairs) / n,
                    "totals": [cu.price(dict(u, gb_seconds=u["gb_seconds"] + u["site_wait_gb_seconds"]), arch)["total"]
                               for _, u in pairs],
                    "aws_calls": {k: v / n for k, v in sum((u["aws_calls"] for _, u in pairs), Counter()).items()}})
    return out


def report(rows, arch, catalog, profile, relay):
    lines = []
    add = lines.append
    add(f"Prices: us-east-1, {cu.PRICES_AS_OF} (infra/bench/cost_units.py); Lambda {arch} "
        f"(the template's default), memory per function from template.yaml; `{profile}` build; "
        f"catalog of {catalog} demo companies.")
    add("")
    add("| order | Lambda: invocations / GB-s measured -> estimated + site wait | DynamoDB RRU / WRU | SFN transitions "
        "| SQS / KMS / API requests | logs KB | AWS cost (USD) | per company (USD) | contract price (EUR) "
        "| AWS USD / price EUR |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        u = row["usage"]
        usage = dict(u, gb_seconds=u["gb_seconds"] + u["site_wait_gb_seconds"])
        p = cu.price(usage, arch)
        row["price"] = {k: str(v) for k, v in p.items()}
        total = p["total"]
        companies = row["companies"] or 0
        charged = row["charged"]
        charged_total = Decimal(str(charged["total"])) if charged else None  # the order's final cost
        per_company = money(total / companies) if companies else "-"
        share = f"{total / charged_total * 100:.3f} %" if charged_total else "-"
        wait = f" + {u['site_wait_gb_seconds']:.1f}" if u["site_wait_gb_seconds"] else ""
        spread = f" ({money(min(row['totals']))}-{money(max(row['totals']))})" if row["repeats"] > 1 else ""
        add(f"| {row['label']} | {u['invocations']:.0f} / {u['gb_seconds_measured']:.2f} -> {u['gb_seconds']:.2f}{wait} "
            f"| {u['rru']:.1f} / "
            f"{u['wru']:.0f} | {u['transitions']:.0f} | {u['sqs_requests']:.0f} / {u['kms_requests']:.0f} / "
            f"{u['apigw_requests']:.0f} | {u['log_bytes'] / 1024:.0f} | {money(total)}{spread} | {per_company} | "
            f"{charged_total if charged_total is not None else '-'} | {share} |")
    add("")
    add("Cost by service (USD per order):")
    add("")
    keys = ["lambda_compute", "lambda_requests", "dynamodb_writes", "dynamodb_reads", "step_functions", "sqs",
            "kms", "api_gateway", "logs", "xray", "data_out"]
    add("| order | " + " | ".join(k.replace("_", " ") for k in keys) + " | stored, per month kept |")
    add("|---|" + "---|" * (len(keys) + 1))
    for row in rows:
        p = row["price"]
        add(f"| {row['label']} | " + " | ".join(money(p[k]) for k in keys)
            + f" | {row['usage']['stored'] / 1024:.0f} KB = {money(cu.storage_per_month(int(row['usage']['stored'])))} |")
    if relay:
        add("")
        add(f"Fixed, whatever the orders: the outbox relay's sweep every minute ({relay['invocations_per_month']:,} "
            f"invocations a month; {relay['ms']:.0f} ms (median of {relay['measured']}, the stack idle) and "
            f"{relay['rru']:.1f} RRU each measured) = "
            f"${money(relay['usd_per_month'])} a month.")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def measure(args, work):
    """Runs the orders on the local stack; leaves in `work` what `analyse` prices: the emulator's
    units.jsonl, the proxy's invocations.jsonl, watch.log and windows.json."""
    bring_loopback_up()
    if not args.allow_network:
        assert_offline()
    profile = "release" if args.release else "debug"
    routes = template_facts()[2]
    largest = max(args.enrich)
    stack = Stack(work, max(args.catalog, largest + 200), profile)
    proxy = None
    try:
        proxy = Proxy(stack.watch_port, routes)
        receiver = Receiver()
        stack.start_bridge(f"http://127.0.0.1:{proxy.port}")
        bench = Bench(stack, proxy, receiver)
        bench.wait_ready()
        catalog = bench.catalog()
        print(f"catalog: {len(catalog)} companies; warming up", file=sys.stderr)
        # Setup, not priced: the partner's signing secret (its KMS data key), a blacklist, and one
        # small order so every function the orders use has started once (cold starts are left out).
        bench.call("GET", "/webhook-secret", 200)
        blacklist = bench.call("POST", "/blacklists", 201, json={"name": "Existing customers"})["id"]
        bench.call("POST", f"/blacklists/{blacklist}/entries", 200, json={"entries": [
            {"company_name": c["name"], "website_url": f"https://www.{c['id']}"} for c in catalog[-3:]]})
        bench.call("POST", "/orders/preview", 200, json=bench.discovery_body(args.countries, blacklist))
        # The relay's sweep, as its schedule invokes it; measured at the end with nothing else
        # running (its scheduled sweeps land beside orders and wait for the emulator's lock).
        def do_sweep():
            bench.http.post(f"http://127.0.0.1:{proxy.port}/2015-03-31/functions/outbox-relay/invocations",
                            json={"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})
            return None, None

        do_sweep()
        warm = bench.order(bench.enrichment_body(catalog[:30], "warm"))
        bench.settle(warm)
        bench.call("GET", f"/orders/{warm}/results?limit=100&offset=0", 200)

        print("measuring", file=sys.stderr)

        def do_preview():
            preview = bench.call("POST", "/orders/preview", 200, json=bench.discovery_body(args.countries, blacklist))
            return None, preview["estimated_cost"]

        bench.window("preview", None, do_preview, repeat=args.repeat)
        # Orders repeat too (not the largest): how batches finish relative to each other changes what
        # in-order delivery stages, and conditional writes that lose a race still pay.
        bench.window("discovery", None, lambda: (bench.order(bench.discovery_body(args.countries, blacklist)), None),
                     repeat=args.order_repeat)
        enrichments = {}
        for n in args.enrich:
            def do_enrich(n=n):
                enrichments[n] = bench.order(bench.enrichment_body(catalog[:n], f"e{n}"))
                return enrichments[n], None
            bench.window(f"enrichment-{n}", n, do_enrich, repeat=1 if n == largest else args.order_repeat)
        big = enrichments[largest]
        for limit, offset in ((50, 0), (100, 0), (100, largest - 100)):
            def do_page(limit=limit, offset=offset):
                page = bench.call("GET", f"/orders/{big}/results?limit={limit}&offset={offset}", 200)
                if len(page["items"]) != limit:
                    raise SystemExit(f"a results page of {len(page['items'])} items, not {limit}")
                return None, None
            bench.window(f"page-{limit}-{offset}", None, do_page, repeat=args.repeat)
        bench.window("relay", None, do_sweep, repeat=args.repeat)
        # What each order charges and its state transitions, read after its window.
        for w in bench.windows:
            if w["order_id"]:
                w["companies"], w["charged"] = bench.charged(w["order_id"])
                w["transitions"], history = bench.execution_transitions(w["order_id"])
                w["history"] = dict(history)
        bench.settle()
        (work / "windows.json").write_text(json.dumps({
            "windows": bench.windows, "catalog": len(catalog), "profile": profile,
            "run_seconds": time.time() - bench.windows[0]["t0"]}, indent=1))
    finally:
        if proxy is not None:
            (work / "invocations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in proxy.records))
        stack.stop()


def analyse(work):
    """Prices the windows of a measured run (`measure`, or a folder kept with --keep)."""
    memory, arch, _ = template_facts()
    run = json.loads((work / "windows.json").read_text())
    windows = run["windows"]
    units = [json.loads(line) for line in (work / "units.jsonl").read_text().splitlines() if line]
    records = [json.loads(line) for line in (work / "invocations.jsonl").read_text().splitlines() if line]
    usages = [usage_of(w, records, units, memory, function_log_bytes(work / "watch.log", w["log"]))
              for w in windows]
    relay_windows = [w for w in windows if w["name"] == "relay"]
    windows_priced = [(w, u) for w, u in zip(windows, usages) if w["name"] != "relay"]
    rows = aggregate([w for w, _ in windows_priced], [u for _, u in windows_priced], arch)
    for row in rows:
        name = row["name"]
        if name.startswith("enrichment-"):
            row["label"] = f"enrichment of {int(name.split('-')[1]):,}"
        elif name.startswith("page-"):
            _, limit, offset = name.split("-")
            row["label"] = f"results page, limit {limit}, offset {int(offset):,}"
        elif name == "discovery":
            row["label"] = f"discovery ({row['companies']} companies found)"
        else:
            estimate = row["charged"] or {}
            row["label"] = f"preview (not charged; estimates the discovery at {estimate.get('total')} EUR)"
            row["charged"] = None
    # The relay's sweeps, measured alone, priced per month.
    alone = lambda t: any(w["t0"] <= t <= w["t1"] for w in relay_windows)
    relay_records = [r for r in records if r["function"] == "outbox-relay" and alone(r["t0"])]
    relay_units = [x for x in units if x["function"] == "outbox-relay" and alone(x["t"])]
    relay = None
    if relay_records:
        per_month = 60 * 24 * 30
        ms = sorted(r["ms"] for r in relay_records)[len(relay_records) // 2]
        rru = sum(x["rru"] for x in relay_units) / len(relay_records)
        usd = per_month * (cu.lambda_gb_seconds(ms, memory["outbox-relay"]) * cu.PRICES[f"lambda_gb_second_{arch}"]
                           + cu.PRICES["lambda_request"] + Decimal(str(rru)) * cu.PRICES["dynamodb_rru"])
        relay = {"invocations_per_month": per_month, "ms": ms, "rru": rru, "usd_per_month": usd,
                 "measured": len(relay_records)}
    text = report(rows, arch, run["catalog"], run["profile"], relay)
    out = TARGET / "bench-cost.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"prices_as_of": cu.PRICES_AS_OF, "architecture": arch, "profile": run["profile"],
                               "catalog": run["catalog"], "rows": rows, "relay": relay,
                               "run_seconds": run["run_seconds"]}, default=str, indent=1))
    print(text)
    print(f"(details: {out})", file=sys.stderr)


def inner(args):
    work = pathlib.Path(tempfile.mkdtemp(prefix="bench-cost-"))
    try:
        measure(args, work)
        analyse(work)
    finally:
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--enrich", default="1000,10000", help="enrichment sizes, comma separated")
    ap.add_argument("--countries", default="Germany,Austria,Switzerland", help="discovery's target countries")
    ap.add_argument("--catalog", type=int, default=5000, help="demo companies (at least the largest enrichment + 200)")
    ap.add_argument("--repeat", type=int, default=5, help="repeats of the preview and of each results page")
    ap.add_argument("--order-repeat", type=int, default=3, help="repeats of each order but the largest")
    ap.add_argument("--release", action="store_true", help="run release builds (as deployed) instead of debug ones")
    ap.add_argument("--allow-network", action="store_true", help="run even where the namespace reaches the internet")
    ap.add_argument("--keep", help="copy the run's logs (units, calls, watch, bridge) to this folder")
    ap.add_argument("--analyse", metavar="DIR", help="only price a run kept with --keep (no stack, no build)")
    args = ap.parse_args()
    if args.analyse:
        return analyse(pathlib.Path(args.analyse))
    args.enrich = [int(n) for n in args.enrich.split(",") if n]
    args.countries = [c.strip() for c in args.countries.split(",") if c.strip()]
    if os.environ.get("BENCH_COST_INNER") == "1":
        return inner(args)
    # Outside: build what the stack runs, then run the bench in a network namespace of its own.
    build = ["cargo", "build", "--quiet", "--workspace", "--bins"] + (["--release"] if args.release else [])
    subprocess.run(build, cwd=ROOT, check=True)
    unshare = shutil.which("unshare")
    if unshare is None:
        raise SystemExit("`unshare` (util-linux) is needed to keep the bench off the internet")
    namespace = [unshare, "--net"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    if subprocess.run(namespace + ["true"], check=False, capture_output=True).returncode != 0:
        raise SystemExit("`unshare --net --map-root-user` was refused: this machine does not let users make "
                         "network namespaces (e.g. Ubuntu's kernel.apparmor_restrict_unprivileged_userns=1); "
                         "run `make bench-cost` as root, or allow them")
    cmd = namespace + [sys.executable, str(pathlib.Path(__file__).resolve())] + sys.argv[1:]
    sys.exit(subprocess.run(cmd, check=False, env=dict(os.environ, BENCH_COST_INNER="1")).returncode)


if __name__ == "__main__":
    main()
