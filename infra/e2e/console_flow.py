"""The web console (GET /console) in headless Chromium (Debian's package, /usr/bin/chromium), driven as
people use it over the local stack:
- an operator accepts an EXPRESS order from the review queue (listed before a NORMAL one) and sees it
  complete; rejects one with notes (an empty note is refused beside the field); sees the API's 409 with its
  request id when the partner cancelled meanwhile; creates a key (plaintext shown once) and revokes it;
  sees a DISCOVERY order's preview (count, cost, top companies with reasons) before deciding; follows an
  order in flight (delivered of planned); finds an order whose run ended without ending it (stopped in
  the emulator) among the stuck ones and repairs it; redelivers a failed webhook delivery and recovers a
  tenant's others; every time shown in the viewer's zone;
- a partner downloads the CSV of a 1,000-company order and it holds every result once; uploads a blacklist
  CSV with two bad rows and sees their errors (the good rows are added), then deletes the blacklist;
  reveals and rotates the webhook secret; reads an order's webhook delivery log;
- a company named `<img src=x onerror=alert(1)>` shows as those characters (no element, no dialog);
- sign out forgets the key; German labels for a browser preferring German; usable at 390 px;
- axe-core (PyPI axe-playwright-python, which bundles it) finds no serious or critical violation.
Screenshots in SCREENSHOTS (default target/console/). One browser, fresh contexts per person.

Env: BASE_URL (the API, e.g. http://127.0.0.1:9000/api/v1), ADMIN_KEY, MOTO_URL and STATE_MACHINE_ARN
(the emulator, to stop one order's run as a crash would leave it) with the stack's AWS_* settings;
CONSOLE_FLOWS (default operator,operations,partner,german) runs only those; CONSOLE_WAIT_S (default 240) bounds each
wait for processing.
"""
import csv
import datetime
import http.server
import io
import os
import threading
import zoneinfo
import sys
import time
import traceback
import uuid
from urllib.parse import urlparse

import boto3
import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

BASE_URL = os.environ["BASE_URL"].rstrip("/")
ADMIN_KEY = os.environ["ADMIN_KEY"]
SHOTS = os.environ.get("SCREENSHOTS", "target/console")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
XSS = "<img src=x onerror=alert(1)>"
CONSOLE = f"{BASE_URL}/console"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
LONG = int(os.environ.get("CONSOLE_WAIT_S", "240")) * 1000  # an order's processing on a loaded local stack
MOTO_URL = os.environ.get("MOTO_URL")
STATE_MACHINE_ARN = os.environ.get("STATE_MACHINE_ARN")
VIEWER_ZONE = "Asia/Kolkata"  # the operator's browser: UTC+05:30, so a time shown in UTC would differ

if not (MOTO_URL and STATE_MACHINE_ARN):
    sys.exit("MOTO_URL and STATE_MACHINE_ARN are required (infra/e2e/run.sh sets them)")
if not os.path.exists(CHROMIUM):
    sys.exit(f"{CHROMIUM} is missing: install Debian's chromium package (make test / .ci/run do)")
os.makedirs(SHOTS, exist_ok=True)
results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name} {detail}", flush=True)


# ---- Fixtures through the API: a tenant of its own, its orders ----
api = httpx.Client(base_url=BASE_URL, timeout=120)
admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
tenant = f"console-{uuid.uuid4().hex[:10]}"
made = api.post("/admin/api-keys", headers=admin, json={
    "name": "console test", "tenant_id": tenant, "environment": "test", "rate_limit_per_minute": 100000,
    "scopes": ["orders:read", "orders:write", "blacklists:read", "blacklists:write"]})
assert made.status_code == 201, made.text
PARTNER_KEY = made.json()["api_key"]
partner = {"Authorization": f"Bearer {PARTNER_KEY}"}


def order(title, n, priority="NORMAL", first=None):
    companies = [{"external_id": f"c-{i}", "company_name": f"Konsole {i} GmbH", "website_url": f"https://konsole{i}.example.de"}
                 for i in range(n)]
    if first:
        companies[0]["company_name"] = first
    r = api.post("/orders", headers=partner, json={"order_type": "ENRICHMENT", "title": title, "features": ["COMPANY_DATA"],
                                                   "priority": priority, "companies": companies})
    assert r.status_code == 202, r.text
    return r.json()["order_id"]


# The large order first (accepted here, processed while the operator works), the XSS name first in it.
big = order(f"{tenant} 1000 companies", 1000, first=XSS)
assert api.post(f"/admin/orders/{big}/accept", headers=admin, json={}).status_code == 200
normal = order(f"{tenant} normal {XSS}", 2)
express = order(f"{tenant} express", 3, priority="EXPRESS")
cancelled_meanwhile = order(f"{tenant} cancelled meanwhile", 1)
discovery = api.post("/orders", headers=partner, json={
    "order_type": "DISCOVERY", "title": f"{tenant} discovery", "features": ["COMPANY_DATA"],
    "ideal_customer_profile": "Mid-market SaaS companies in the DACH region with 50-500 employees",
    "seller_offering": "AI-powered lead generation and prospect enrichment platform", "target_countries": ["Germany"]})
assert discovery.status_code == 202, discovery.text
discovery = discovery.json()["order_id"]


def wait_until(what, ready, seconds=LONG / 1000):
    deadline = time.time() + seconds
    while not ready():
        assert time.time() < deadline, f"{what}: not within {seconds:.0f} s"
        time.sleep(1)


# An order whose run ends without ending it, as a crash of the state machine's last resort would leave
# it: accepted, then its execution stopped in the emulator. It stays in flight until repaired.
stuck = order(f"{tenant} stuck", 300)
assert api.post(f"/admin/orders/{stuck}/accept", headers=admin, json={}).status_code == 200
sfn = boto3.client("stepfunctions", endpoint_url=MOTO_URL, region_name=os.environ.get("AWS_REGION", "us-east-1"))
sfn.stop_execution(executionArn=f"{STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:', 1)}:{stuck}",
                   cause="stopped by the console test")


def run_ended(order_id):
    page = api.get("/admin/orders/stuck", headers=admin, params={"stuck_after_minutes": 0, "limit": 100}).json()
    return any(i["order"]["order_id"] == order_id and not i["execution_running"] for i in page["items"])


wait_until("the stuck order's run ended", lambda: run_ended(stuck), 60)


# A partner endpoint that answers 410 Gone (a delivery fails at once, no retries) until the test
# switches it to 200, for the failed-deliveries screen's redeliver and recover.
class Hook(http.server.BaseHTTPRequestHandler):
    answer = 410
    received = []

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        Hook.received.append((Hook.answer, self.headers.get("webhook-id")))
        self.send_response(Hook.answer)
        self.end_headers()

    def log_message(self, *args):
        pass


hook_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hook_server.serve_forever, daemon=True).start()
hooked = api.post("/orders", headers=partner, json={
    "order_type": "ENRICHMENT", "title": f"{tenant} hooked", "features": ["COMPANY_DATA"],
    "webhook_url": f"http://127.0.0.1:{hook_server.server_address[1]}/hooks",
    "companies": [{"external_id": "hooked-1", "company_name": "Hooked GmbH", "website_url": "https://hooked.example.de"}]})
assert hooked.status_code == 202, hooked.text
hooked = hooked.json()["order_id"]
assert api.post(f"/admin/orders/{hooked}/accept", headers=admin, json={}).status_code == 200


def failed_deliveries():
    page = api.get("/admin/webhook-deliveries", headers=admin,
                   params={"status": "failed", "tenant_id": tenant, "limit": 100}).json()
    return [d for d in page["items"] if d["order_id"] == hooked]


wait_until("the hooked order completed", lambda: api.get(f"/orders/{hooked}", headers=partner).json()["status"] == "COMPLETED")
wait_until("its deliveries failed", lambda: len(failed_deliveries()) >= 2)
Hook.answer = 200


def all_results(order_id):
    items, offset = [], 0
    while True:
        page = api.get(f"/orders/{order_id}/results", headers=partner, params={"limit": 100, "offset": offset}).json()
        items += page["items"]
        offset += len(page["items"])
        if not page["has_more"] or not page["items"]:
            return items


# ---- The browser ----
problems = []


def watch(page, who):
    host = urlparse(BASE_URL).netloc
    # A 404 of an endpoint the server does not have yet is logged by Chromium as a failed load; the
    # page says so itself. Anything else (a CSP violation, a script error) is a problem.
    page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
            and problems.append(f"{who}: console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{who}: page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"{who}: unexpected dialog {d.message!r}") if d.type == "alert" else None,
                                 d.accept()))
    page.on("request", lambda r: r.url.startswith("http") and urlparse(r.url).netloc != host
            and problems.append(f"{who}: request elsewhere {r.url}"))


axe = Axe()


def accessible(page, where):
    found = axe.run(page).response["violations"]
    serious = [v for v in found if v.get("impact") in ("serious", "critical")]
    check(f"axe: no serious violation ({where})", not serious,
          "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in serious)[:600])


def shot(page, name):
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def sign_in(page, key):
    page.goto(CONSOLE)
    page.get_by_label("API key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible(timeout=60_000)


def step(name, fn, page):
    try:
        fn(page)
    except Exception as e:  # the screenshot and the trace say where
        check(name, False, f"{type(e).__name__}: {str(e)[:400]}")
        traceback.print_exc()
        shot(page, f"failed-{name.replace(' ', '-')}")


def operator_flow(page):
    page.goto(CONSOLE)
    expect(page.get_by_role("heading", name="Sign in with an API key")).to_be_visible()
    accessible(page, "sign-in")
    shot(page, "01-sign-in")
    # Keyboard only: the field, the key, Enter; the focused control shows its focus.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    check("keyboard reaches the key field", focused == "key-input", focused)
    page.keyboard.type(ADMIN_KEY)
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    check("focus is visible", outline not in ("none", ""), outline)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible(timeout=60_000)
    check("the key is in session storage only", page.evaluate(
        "sessionStorage.length === 1 && localStorage.length === 0 && document.cookie === ''"))

    rows = page.locator("tr[data-order-id]")
    expect(page.locator(f'tr[data-order-id="{express}"]')).to_be_visible(timeout=30_000)
    ids = rows.evaluate_all("rs => rs.map(r => r.dataset.orderId)")
    check("queue: EXPRESS before NORMAL", express in ids and normal in ids and ids.index(express) < ids.index(normal))
    title = page.locator(f'tr[data-order-id="{normal}"] button').inner_text()
    check("queue: a title with markup shows as text", title == f"{tenant} normal {XSS}", title)
    accessible(page, "queue")
    shot(page, "02-queue")

    # Accept the EXPRESS order from the queue and follow it to COMPLETED.
    page.locator(f'tr[data-order-id="{express}"] button').click()
    expect(page.locator("dd[data-field=tenant_id]")).to_have_text(tenant, timeout=30_000)
    expect(page.locator("[data-preview], p.empty").first).to_be_visible(timeout=60_000)
    accessible(page, "order detail")
    shot(page, "03-order-detail")
    page.get_by_label("Notes (optional)").fill("Looks good")
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator("dd[data-field=status]")).to_have_text("COMPLETED", timeout=LONG)
    check("accept from the queue: the order completes", True)
    shot(page, "04-accepted-completed")

    # Reject with notes: refused beside the field without them.
    page.get_by_role("button", name="Review queue", exact=True).click()
    page.locator(f'tr[data-order-id="{normal}"] button').click()
    expect(page.locator("dd[data-field=status]")).to_have_text("RECEIVED", timeout=30_000)
    page.get_by_role("button", name="Reject", exact=True).click()
    notes = page.get_by_label("Reason for the partner (required)")
    expect(notes).to_have_attribute("aria-invalid", "true")
    check("reject without notes: the error beside the field", page.get_by_text("Write why the order is rejected.").is_visible())
    notes.fill("Outside our market")
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(page.locator("dd[data-field=status]")).to_have_text("CANCELLED", timeout=30_000)
    expect(page.locator("dd[data-field=admin_notes]")).to_have_text("Outside our market")
    check("reject with notes", True)

    # The partner cancels while the operator looks: the API's 409 and its request id are shown.
    page.get_by_role("button", name="Review queue", exact=True).click()
    page.locator(f'tr[data-order-id="{cancelled_meanwhile}"] button').click()
    expect(page.locator("dd[data-field=status]")).to_have_text("RECEIVED", timeout=30_000)
    assert api.post(f"/orders/{cancelled_meanwhile}/cancel", headers=partner).status_code == 200
    page.get_by_label("Reason for the partner (required)").fill("Too late")
    page.get_by_role("button", name="Reject", exact=True).click()
    banner = page.locator("#error")
    expect(banner).to_contain_text("409", timeout=30_000)
    text = banner.inner_text()
    check("a 409 shown with its code and request id", "INVALID_STATUS_TRANSITION" in text and "request id" in text, text[:200])
    shot(page, "05-reject-409")

    # Keys: create (plaintext once, with a copy button), then revoke after confirmation.
    page.get_by_role("button", name="API keys", exact=True).click()
    page.get_by_label("Name").fill(f"{tenant} console key")
    page.get_by_label("Tenant id").fill(tenant)
    page.get_by_label("orders:read").check()
    page.get_by_role("button", name="Create", exact=True).click()
    secret = page.locator("[data-secret]")
    expect(secret).to_contain_text("lnc_", timeout=30_000)
    check("a new key's plaintext is shown with a copy button", page.get_by_role("button", name="Copy", exact=True).is_visible())
    row = page.locator("tr[data-key-id]", has_text=f"{tenant} console key")
    expect(row).to_be_visible(timeout=30_000)
    row.get_by_role("button", name=f"Revoke {tenant} console key").click()  # the dialog is accepted
    expect(row.locator("time")).to_have_count(2, timeout=30_000)  # created and revoked (no expiry)
    check("a key revoked after confirmation", True)
    shot(page, "06-keys")
    accessible(page, "keys")

    for view in ("In flight", "Stuck & failed", "Failed webhooks"):
        page.get_by_role("button", name=view, exact=True).click()
        expect(page.locator("section[data-view] .loading")).to_have_count(0, timeout=30_000)
    shot(page, "07-failed-webhooks")

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in with an API key")).to_be_visible()
    check("sign out forgets the key", page.evaluate("sessionStorage.length") == 0)


def shown_in_zone(page, where):
    """Every time on the page reads its instant (the `datetime` attribute) in the viewer's zone."""
    times = page.locator("main time").evaluate_all("ts => ts.map(t => [t.getAttribute('datetime'), t.textContent])")
    zone = zoneinfo.ZoneInfo(VIEWER_ZONE)
    wrong = [(iso, shown) for iso, shown in times
             if datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(zone).strftime("%H:%M") not in shown]
    check(f"times in the viewer's zone ({where})", bool(times) and not wrong, f"{len(times)} shown; wrong: {wrong[:3]}")


def operations_flow(page):
    """An operator in another zone: a preview before deciding, an order in flight, a stuck order
    repaired, failed deliveries redelivered and recovered."""
    sign_in(page, ADMIN_KEY)
    page.locator(f'tr[data-order-id="{discovery}"] button').click()
    expect(page.locator("dd[data-field=tenant_id]")).to_have_text(tenant, timeout=30_000)
    preview = page.locator("[data-preview]")
    expect(preview).to_be_visible(timeout=60_000)
    count = preview.locator("dd").first.inner_text()
    top = preview.locator("tbody tr")
    reasons = top.locator("td:nth-child(3)").all_inner_texts()
    check("preview: matching companies and cost before deciding", count.split()[0].isdigit() and int(count.split()[0]) > 0
          and "€" in preview.locator("dd").nth(1).inner_text(), count)
    check("preview: at most five companies, each with its reasons", 0 < top.count() <= 5 and all(r and r != "—" for r in reasons),
          str(reasons[:2]))
    shown_in_zone(page, "order detail")
    shot(page, "12-preview")

    page.get_by_role("button", name="In flight", exact=True).click()
    row = page.locator(f'tr[data-order-id="{stuck}"]')
    expect(row).to_be_visible(timeout=30_000)
    check("in flight: progress delivered of planned", row.locator("progress").count() == 1 and "of 300" in row.inner_text(),
          row.inner_text()[:200])
    shown_in_zone(page, "in flight")

    page.get_by_role("button", name="Stuck & failed", exact=True).click()
    page.get_by_label("In flight for more than (minutes)").fill("0")
    page.get_by_role("button", name="Show", exact=True).click()
    row = page.locator(f'tr[data-order-id="{stuck}"]')
    expect(row).to_contain_text("ended", timeout=30_000)
    shot(page, "13-stuck")
    row.get_by_role("button", name=f"Repair {tenant} stuck").click()  # the confirmation is accepted
    expect(page.locator("#status")).to_have_text("Repaired.", timeout=30_000)
    expect(row).to_have_count(0, timeout=30_000)
    repaired = api.get(f"/orders/{stuck}", headers=partner).json()
    check("a stuck order repaired: CANCELLED with a note for the partner",
          repaired["status"] == "CANCELLED" and bool(repaired.get("admin_notes")), repaired["status"])

    page.get_by_role("button", name="Failed webhooks", exact=True).click()
    rows = page.locator("tr[data-event-id]", has_text=hooked)
    expect(rows.first).to_be_visible(timeout=30_000)
    failed = rows.count()
    shown_in_zone(page, "failed webhooks")
    shot(page, "14-failed-webhooks")
    before = len(Hook.received)
    rows.first.get_by_role("button").click()
    expect(page.locator("#status")).to_have_text("Queued for delivery again.", timeout=30_000)
    wait_until("the redelivery reached the partner", lambda: any(a == 200 for a, _ in Hook.received[before:]), 120)
    wait_until("the redelivered event no longer failed", lambda: len(failed_deliveries()) == failed - 1, 60)
    page.get_by_role("button", name="Failed webhooks", exact=True).click()
    expect(rows).to_have_count(failed - 1, timeout=30_000)
    check("a failed delivery redelivered", True)
    page.get_by_label("Tenant id").fill(tenant)
    page.get_by_label("Failed since").fill((datetime.datetime.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Recover", exact=True).click()
    expect(page.get_by_text(f"{failed - 1} events queued again.")).to_be_visible(timeout=30_000)
    wait_until("the recovered events reached the partner", lambda: sum(a == 200 for a, _ in Hook.received) >= failed, 120)
    wait_until("no delivery of the order failed any more", lambda: not failed_deliveries(), 60)
    page.get_by_role("button", name="Failed webhooks", exact=True).click()
    expect(page.locator("tr[data-event-id]", has_text=hooked)).to_have_count(0, timeout=30_000)
    check("a tenant's failed deliveries recovered", True)
    accessible(page, "stuck and failed webhooks")


def partner_flow(page):
    sign_in(page, PARTNER_KEY)
    expect(page.get_by_role("heading", name="Orders")).to_be_visible()
    # A blacklist from a CSV with two bad rows: their errors by line, the good rows added.
    page.get_by_role("button", name="Blacklists", exact=True).click()
    page.get_by_label("Name").fill("Existing customers")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("heading", name="Blacklists: Existing customers")).to_be_visible(timeout=30_000)
    upload = ("company_name,website_url,city,country\n"
              "Acme Corp,https://www.acme-corp.com,,\n"
              ",,Berlin,Germany\n"
              f"\"{XSS}\",,Munich,Germany\n"
              f"Too long,https://{'x' * 2100}.com,,\n"
              "Global Industries GmbH,,Munich,Germany\n")
    page.get_by_label("Or upload a CSV file").set_input_files(
        files=[{"name": "customers.csv", "mimeType": "text/csv", "buffer": upload.encode()}])
    page.get_by_role("button", name="Add", exact=True).click()
    outcome = page.locator("[data-add-outcome]")
    expect(outcome).to_contain_text("Added 3", timeout=30_000)
    lines = page.locator("[data-add-outcome] li").evaluate_all("ls => ls.map(l => l.dataset.line)")
    check("the two bad rows' errors, by line", lines == ["3", "5"], f"{lines}: {outcome.inner_text()[:300]}")
    expect(page.locator("[data-entry-count]")).to_have_text("3")
    expect(page.locator("tr[data-entry-id]")).to_have_count(3, timeout=30_000)
    entry_names = page.locator("tr[data-entry-id] td:first-child").all_inner_texts()
    check("an entry named with markup shows as text", XSS in entry_names, str(entry_names))
    accessible(page, "blacklist")
    shot(page, "10-blacklist-upload")
    page.get_by_role("button", name="Delete blacklist", exact=True).click()  # the confirmation is accepted
    expect(page.locator("#status")).to_have_text("Deleted.", timeout=30_000)
    expect(page.get_by_role("heading", name="Blacklists", exact=True)).to_be_visible(timeout=30_000)
    expect(page.locator("section[data-view] .loading")).to_have_count(0, timeout=30_000)
    left = [b["name"] for b in api.get("/blacklists", headers=partner, params={"limit": 100}).json()["items"]]
    check("a blacklist deleted after confirmation", "Existing customers" not in left
          and page.get_by_role("button", name="Existing customers", exact=True).count() == 0, str(left))

    page.get_by_role("button", name="Webhook secret", exact=True).click()
    page.get_by_role("button", name="Reveal", exact=True).click()
    expect(page.locator("[data-secret]")).to_contain_text("whsec_", timeout=30_000)
    check("the webhook secret revealed on demand", True)
    first = page.locator("[data-secret]").inner_text()
    page.get_by_role("button", name="Rotate", exact=True).click()  # the confirmation is accepted
    expect(page.locator("[data-secret]")).not_to_have_text(first, timeout=30_000)
    rotated = page.locator("[data-secret]").inner_text()
    check("the webhook secret rotated: a new one shown, the API signs with it",
          rotated.startswith("whsec_") and api.get("/webhook-secret", headers=partner).json()["secret"] == rotated)
    # The order with a webhook: its delivery log, the 410s and the 200s after redelivery.
    page.get_by_role("button", name="Orders", exact=True).click()
    page.locator(f'tr[data-order-id="{hooked}"]').get_by_role("button").click()
    log = page.get_by_role("region", name="Webhook delivery log")
    expect(log).to_be_visible(timeout=30_000)
    check("an order's delivery log", "410" in log.inner_text(), log.inner_text()[:300])
    # The 1,000-company order (processing meanwhile).
    deadline = time.time() + LONG / 1000
    while api.get(f"/orders/{big}", headers=partner).json()["status"] != "COMPLETED" and time.time() < deadline:
        time.sleep(2)
    page.get_by_role("button", name="Orders", exact=True).click()
    row = page.locator(f'tr[data-order-id="{big}"]')
    expect(row).to_contain_text("1000 of 1000", timeout=60_000)
    check("orders: progress delivered of planned", True)
    row.get_by_role("button").click()
    expect(page.locator("tr[data-result-id]").first).to_be_visible(timeout=30_000)
    names = page.locator("tr[data-result-id] td:nth-child(2)").all_inner_texts()
    check("the XSS name renders as its characters", XSS in names, str(names[:2]))
    check("and as no element", page.locator("main img").count() == 0)
    page.get_by_role("button", name="Sort by Name").click()
    check("results sort by a column", page.locator("th[aria-sort=ascending]").count() == 1)
    accessible(page, "results")
    shot(page, "08-results")

    with page.expect_download(timeout=LONG) as download:
        page.get_by_role("button", name="Download CSV (all pages)").click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    expected = {c["id"] for c in all_results(big)}
    ids = [r["id"] for r in rows]
    check("the CSV holds every result once", len(ids) == 1000 == len(set(ids)) and set(ids) == expected,
          f"{len(ids)} rows, {len(set(ids))} distinct, {len(expected)} expected")
    check("the CSV keeps the XSS name as text", any(r["name"] == XSS for r in rows))
    expect(page.locator("[data-csv-status]")).to_have_text("Downloaded 1000 results.")

    # 390 px wide: nothing wider than the screen but the tables' own scrolling regions.
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    check("usable at 390 px: the page does not scroll sideways", width <= 390, f"{width}px")
    shot(page, "09-results-390px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Sign out", exact=True).click()
    check("partner sign out forgets the key", page.evaluate("sessionStorage.length") == 0)


def german(page):
    page.goto(CONSOLE)
    expect(page.get_by_role("heading", name="Mit einem API-Schlüssel anmelden")).to_be_visible()
    check("German labels when the browser prefers German", page.evaluate("document.documentElement.lang") == "de")
    shot(page, "11-german-sign-in")


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    for who, flow, options in [
        ("operator", operator_flow, {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}),
        ("operations", operations_flow, {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB",
                                         "timezone_id": VIEWER_ZONE}),
        ("partner", partner_flow, {"viewport": {"width": 1280, "height": 900}, "locale": "en-US", "accept_downloads": True}),
        ("german", german, {"viewport": {"width": 390, "height": 844}, "locale": "de-DE"}),
    ]:
        if who not in os.environ.get("CONSOLE_FLOWS", "operator,operations,partner,german").split(","):
            continue
        context = browser.new_context(**options)
        page = context.new_page()
        watch(page, who)
        step(who, flow, page)
        context.close()
    browser.close()

for problem in problems:
    check("no console error, dialog or request elsewhere", False, problem)
print(f"console: {results['passed']} passed, {results['failed']} failed; screenshots in {SHOTS}/")
sys.exit(1 if results["failed"] else 0)
