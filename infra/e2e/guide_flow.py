"""End to end over HTTP against the local stack, as a partner integrates: the discovery order
guide's Python flow (Steps 1-4) with only the base URL, the key and the blacklist id changed, then an
enrichment order. An operator thread accepts orders from the review queue, as the admin team does.

Env: BASE_URL, API_KEY (partner), ADMIN_KEY. Prints 'N passed, N failed' and exits non-zero on failure.
"""
import http.server
import json
import os
import re
import statistics
import sys
import threading
import time
from datetime import datetime

import httpx
from standardwebhooks.webhooks import Webhook

API_KEY = os.environ["API_KEY"]
BASE_URL = os.environ["BASE_URL"]
ADMIN_KEY = os.environ["ADMIN_KEY"]
results = {"passed": 0, "failed": 0}
# The guide's code below polls every minute; the local stack finishes an order in seconds, so a
# minute of the guide's is at most GUIDE_POLL_S here (the code itself stays the guide's).
_sleep = time.sleep
time.sleep = lambda seconds: _sleep(min(seconds, float(os.environ.get("GUIDE_POLL_S", "2"))))


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name} {detail}", flush=True)


def operator(stop):
    """Accepts every order waiting for review (the admin team's part)."""
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    while not stop.is_set():
        queue = httpx.get(f"{BASE_URL}/admin/orders", params={"status": "RECEIVED"}, headers=admin).json()
        for o in queue.get("items", []):
            httpx.post(f"{BASE_URL}/admin/orders/{o['order_id']}/accept", headers=admin)
        time.sleep(0.5)


stop = threading.Event()
threading.Thread(target=operator, args=(stop,), daemon=True).start()
headers = {"Authorization": f"Bearer {API_KEY}"}

# Step 1: a blacklist (the guide's curl calls)
bl = httpx.post(f"{BASE_URL}/blacklists", headers=headers, json={"name": "Existing Customers", "description": "Companies already in our CRM"})
check("create blacklist -> 201", bl.status_code == 201, bl.text[:200])
blacklist_id = bl.json()["id"]
added = httpx.post(f"{BASE_URL}/blacklists/{blacklist_id}/entries", headers=headers, json={"entries": [
    {"company_name": "Acme Corp", "website_url": "https://www.acme-corp.com"},
    {"company_name": "Global Industries GmbH", "city": "Munich", "country": "Germany"},
]})
check("add entries", added.status_code == 200 and added.json()["added"] == 2, added.text[:200])

# ---- The guide's Python, Step 2 to Step 4 (only BASE_URL, API_KEY and the blacklist id changed) ----
order = {
    "order_type": "DISCOVERY",
    "title": "DACH SaaS Discovery Q1 2026",
    "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS"],
    "ideal_customer_profile": (
        "Mid-market SaaS companies in the DACH region "
        "with 50-500 employees, focused on B2B software solutions"
    ),
    "seller_offering": "AI-powered lead generation and prospect enrichment platform",
    "seller_industry": "Software / Technology",
    "target_countries": ["Germany", "Austria", "Switzerland"],
    "target_cities": ["Berlin", "Munich", "Vienna"],
    "excluded_industries": ["Government", "Non-profit"],
    "output_language": "en",
    "blacklist_ids": [blacklist_id],
    "profile_name": "DACH SaaS Discovery Profile",
}

response = httpx.post(
    f"{BASE_URL}/orders",
    json=order,
    headers={"Authorization": f"Bearer {API_KEY}"},
)

if response.status_code == 202:
    data = response.json()
    print(f"Discovery order created: {data['order_id']}")
    print(f"Status: {data['status']}")
else:
    print(f"Error {response.status_code}: {response.json()}")
check("create discovery order -> 202", response.status_code == 202)

order_id = response.json()["order_id"]
while True:
    response = httpx.get(
        f"{BASE_URL}/orders/{order_id}",
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    if response.status_code != 200:
        print(f"Polling error {response.status_code}, retrying...")
        time.sleep(60)
        continue
    data = response.json()
    status = data["status"]
    print(f"Order status: {status}")
    if status == "COMPLETED":
        print(f"Results are ready! {data['company_count']} companies found.")
        break
    elif status == "CANCELLED":
        print("Order was cancelled.")
        break
    time.sleep(60)  # Check every minute
check("discovery order COMPLETED", status == "COMPLETED", str(data.get("admin_notes")))
company_count = data["company_count"]

all_companies = []
offset = 0
limit = 50
while True:
    response = httpx.get(
        f"{BASE_URL}/orders/{order_id}/results",
        params={"limit": limit, "offset": offset},
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    data = response.json()
    for company in data["items"]:
        print(f"Company: {company['name']}")
        print(f"  Match Score: {company['match_score']}")
        print(f"  Prospects: {len(company['prospects'])}")
        all_companies.append(company)
    if not data["has_more"]:
        break
    offset += limit

print(f"\nTotal companies discovered: {len(all_companies)}")
# ---- end of the guide's code ----

check("every discovered company paged exactly once", len(all_companies) == company_count > 0
      and len({c["id"] for c in all_companies}) == company_count, f"{len(all_companies)} vs {company_count}")
check("discovery results are ranked and explained", all(c["match_score"] and c["match_reasons"] and c["match_reasoning"] for c in all_companies)
      and all(a["match_score"] >= b["match_score"] for a, b in zip(all_companies, all_companies[1:])))
check("discovery source_id is null", all(c["source_id"] is None for c in all_companies))
check("only target countries", all(c["country"] in ("Germany", "Austria", "Switzerland") for c in all_companies))

# An enrichment order through the same endpoints.
companies = [{"external_id": f"crm-{i}", "company_name": f"Beispiel {i} GmbH", "website_url": f"https://www.beispiel{i}.de",
              "city": "Berlin", "country": "Germany"} for i in range(120)]
created = httpx.post(f"{BASE_URL}/orders", headers=headers, json={
    "order_type": "ENRICHMENT", "title": "CRM refresh", "features": ["COMPANY_DATA"], "companies": companies})
check("create enrichment order -> 202 with estimated cost", created.status_code == 202
      and created.json()["estimated_cost"] == {"total": 12.0, "currency": "EUR"}, created.text[:300])
enrichment_id = created.json()["order_id"]
deadline = time.time() + 300
while time.time() < deadline:
    state = httpx.get(f"{BASE_URL}/orders/{enrichment_id}", headers=headers).json()
    if state["status"] in ("COMPLETED", "CANCELLED"):
        break
    time.sleep(1)
check("enrichment order COMPLETED", state["status"] == "COMPLETED", state["status"])
items, offset = [], 0
while True:
    page = httpx.get(f"{BASE_URL}/orders/{enrichment_id}/results", params={"limit": 100, "offset": offset}, headers=headers).json()
    items += page["items"]
    if not page["has_more"]:
        break
    offset += 100
check("one enrichment result per company, in submission order", [c["source_id"] for c in items] == [c["external_id"] for c in companies])

# Webhook notifications (the guide's section): a partner endpoint on a local port (local mode allows
# loopback http), verified with the `standardwebhooks` package from PyPI, not our own code.
deliveries = []


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        deliveries.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "at": time.time()})
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


hook_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hook_server.serve_forever, daemon=True).start()
secret = httpx.get(f"{BASE_URL}/webhook-secret", headers=headers)
check("GET /webhook-secret -> whsec_ secret", secret.status_code == 200 and secret.json()["secret"].startswith("whsec_"), secret.text[:200])
secret = secret.json()["secret"]
hooked = httpx.post(f"{BASE_URL}/orders", headers=headers, json={
    "order_type": "DISCOVERY",
    "title": "DACH SaaS Discovery Q1 2026",
    "features": ["COMPANY_DATA", "CONTACTS", "ANALYSIS"],
    "ideal_customer_profile": "Mid-market SaaS companies in the DACH region with 50-500 employees",
    "seller_offering": "AI-powered lead generation and prospect enrichment platform",
    "target_countries": ["Germany"],
    "webhook_url": f"http://127.0.0.1:{hook_server.server_address[1]}/webhooks/openprospect",
})
check("order with webhook_url -> 202", hooked.status_code == 202, hooked.text[:200])
hooked_id = hooked.json()["order_id"]
deadline = time.time() + 120
while time.time() < deadline and len(deliveries) < 3:
    time.sleep(0.2)
wh = Webhook(secret)
verified = []
for d in deliveries:
    try:
        verified.append(wh.verify(d["body"], d["headers"]))
    except Exception as e:  # noqa: BLE001 - any verification failure fails the check below
        print("verification failed:", e, d["headers"])
chain = sorted((v["previous_status"], v["status"]) for v in verified)
check("three signed deliveries verified by the standardwebhooks package", len(verified) == len(deliveries) == 3, f"{len(verified)}/{len(deliveries)}")
check("deliveries follow the order's lifecycle", set(chain) == {("RECEIVED", "ACCEPTED"), ("ACCEPTED", "IN_PROGRESS"), ("IN_PROGRESS", "COMPLETED")}, str(chain))
check("the guide's body, timestamps with microseconds and Z", all(
    set(v) == {"event", "order_id", "status", "previous_status", "timestamp"} and v["event"] == "order.status_changed"
    and v["order_id"] == hooked_id and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", v["timestamp"]) for v in verified))
check("one webhook-id per event", len({d["headers"]["webhook-id"] for d in deliveries}) == len(deliveries))
log = httpx.get(f"{BASE_URL}/orders/{hooked_id}/webhook-deliveries", headers=headers).json()
check("delivery log lists each attempt", log.get("total") == 3 and all(a["outcome"] == "delivered" and a["response_code"] == 200 for a in log["items"]), str(log)[:300])
delays = sorted(d["at"] - datetime.fromisoformat(json.loads(d["body"])["timestamp"].replace("Z", "+00:00")).timestamp() for d in deliveries)
if delays:
    print(f"status change -> delivery: p50 {statistics.median(delays) * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms (n={len(delays)})")

stop.set()
print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
