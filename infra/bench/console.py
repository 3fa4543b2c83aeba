"""The console's figures (issue 23's targets), printed as one table:
- first render with a cold function: Chromium loads the page from a front on loopback that starts the
  `get-console` binary anew for each load (a fake Lambda Runtime API hands it one API Gateway event), so
  each load pays the process start; time from navigation to the sign-in form shown, and first contentful
  paint, over RUNS loads;
- the page's size as sent (the function does not compress; API Gateway's HTTP API does not either) and
  gzip-compressed;
- with --base-url and --admin-key (a running local stack, `make dev`): a 10,000-result order made through
  the API, then the console's "Download CSV (all pages)" timed in Chromium until the file is saved, and
  the file checked (every result once).

usage: python infra/bench/console.py --binary target/debug/get-console [--runs 5]
         [--base-url http://127.0.0.1:9000/api/v1 --admin-key lnc_... [--companies 10000]]
"""
import argparse
import csv
import gzip
import http.server
import json
import os
import socketserver
import statistics
import subprocess
import threading
import time
import uuid

from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
LAMBDA_ENV = {"AWS_LAMBDA_FUNCTION_NAME": "get-console", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
              "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
              "AWS_LAMBDA_LOG_GROUP_NAME": "bench", "AWS_REGION": "us-east-1"}


def event(path):
    return {"version": "2.0", "routeKey": f"GET {path}", "rawPath": path, "rawQueryString": "",
            "headers": {"host": "localhost", "accept-encoding": "gzip"},
            "requestContext": {"accountId": "123456789012", "apiId": "bench", "domainName": "localhost",
                               "domainPrefix": "localhost", "requestId": str(uuid.uuid4()), "routeKey": f"GET {path}",
                               "stage": "$default", "time": "06/Dec/2026:00:00:00 +0000", "timeEpoch": 0,
                               "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                                        "userAgent": "bench"}},
            "isBase64Encoded": False}


def cold_invoke(binary, path):
    """Starts the binary, hands it one event through a fake Runtime API, returns its response and ends it."""
    answer, done = {}, threading.Event()
    served = threading.Event()

    class Runtime(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if served.is_set():  # the runtime's next long poll: the bench has what it needs
                done.wait(10)
                self.send_response(500)
                self.end_headers()
                return
            served.set()
            body = json.dumps(event(path)).encode()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:get-console")
            self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            answer.update(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(202)
            self.end_headers()
            done.set()

        def log_message(self, *args):
            pass

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Runtime) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}", **LAMBDA_ENV)
        process = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not done.wait(30):
                raise RuntimeError("the function did not answer")
        finally:
            process.kill()
            process.wait()
            server.shutdown()
    return answer


def front(binary):
    """An HTTP server on loopback that answers GET /api/v1/console from a freshly started function."""
    class Front(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            r = cold_invoke(binary, self.path)
            body = r.get("body", "").encode()
            self.send_response(r.get("statusCode", 500))
            for k, v in (r.get("headers") or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Front)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def first_render(browser, binary, runs):
    server = front(binary)
    url = f"http://127.0.0.1:{server.server_address[1]}/api/v1/console"
    shown, paints = [], []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        expect(page.get_by_role("heading", name="Sign in with an API key")).to_be_visible()
        shown.append(time.perf_counter() - start)
        paints.append(page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1") / 1000)
        context.close()
    server.shutdown()
    page_bytes = cold_invoke(binary, "/api/v1/console")["body"].encode()
    return shown, paints, len(page_bytes), len(gzip.compress(page_bytes, 9))


def csv_download(browser, base_url, admin_key, companies):
    api_headers = {"Authorization": f"Bearer {admin_key}"}
    import httpx
    api = httpx.Client(base_url=base_url, timeout=300)
    tenant = f"bench-console-{uuid.uuid4().hex[:8]}"
    key = api.post("/admin/api-keys", headers=api_headers, json={
        "name": "bench", "tenant_id": tenant, "rate_limit_per_minute": 100000,
        "scopes": ["orders:read", "orders:write"]}).json()["api_key"]
    partner = {"Authorization": f"Bearer {key}"}
    made = api.post("/orders", headers=partner, json={
        "order_type": "ENRICHMENT", "title": "bench", "features": ["COMPANY_DATA"],
        "companies": [{"external_id": f"b-{i}", "company_name": f"Bench {i} GmbH", "website_url": f"https://bench{i}.example.de"}
                      for i in range(companies)]})
    order_id = made.json()["order_id"]
    api.post(f"/admin/orders/{order_id}/accept", headers=api_headers, json={})
    while api.get(f"/orders/{order_id}", headers=partner).json()["status"] not in ("COMPLETED", "CANCELLED"):
        time.sleep(2)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base_url}/console")
    page.get_by_label("API key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator(f'tr[data-order-id="{order_id}"] button').click()
    button = page.get_by_role("button", name="Download CSV (all pages)")
    expect(button).to_be_visible()
    start = time.perf_counter()
    with page.expect_download(timeout=600_000) as download:
        button.click()
    path = download.value.path()
    elapsed = time.perf_counter() - start
    with open(path, encoding="utf-8-sig", newline="") as f:
        ids = [r["id"] for r in csv.DictReader(f)]
    size = os.path.getsize(path)
    context.close()
    return elapsed, len(ids), len(set(ids)), size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base-url")
    parser.add_argument("--admin-key")
    parser.add_argument("--companies", type=int, default=10000)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        shown, paints, raw, compressed = first_render(browser, args.binary, args.runs)
        print("| figure | value | target |\n|---|---|---|")
        print(f"| first render, cold function (navigation to sign-in form shown), median of {args.runs} | "
              f"{statistics.median(shown) * 1000:.0f} ms (max {max(shown) * 1000:.0f}) | < 1 s |")
        print(f"| first contentful paint, cold function, median | {statistics.median(paints) * 1000:.0f} ms | |")
        print(f"| page as sent (one response, everything inline) | {raw / 1024:.1f} KB | |")
        print(f"| page gzip -9 | {compressed / 1024:.1f} KB | < 300 KB compressed |")
        if args.base_url and args.admin_key:
            elapsed, rows, distinct, size = csv_download(browser, args.base_url.rstrip("/"), args.admin_key, args.companies)
            print(f"| CSV of {args.companies:,} results in the console ({rows} rows, {distinct} distinct, "
                  f"{size / 1e6:.1f} MB) | {elapsed:.1f} s | < 30 s |")
        browser.close()


if __name__ == "__main__":
    main()
