"""Calls every function of template.yaml once through its real `main` (HTTP routes through `cargo lambda
watch`, task functions through the Lambda invoke API, as Step Functions does), each on a path that
uses every client it is wired with. A function whose `main` forgot an adapter answers 500 here.

The calls also feed the emulator's call log that infra/e2e/check_policies.py compares with each
function's policies in template.yaml. Runs after the guide's flow (it reuses its delivered events).
Env: BASE_URL, API_KEY, ADMIN_KEY, PARTNER_TENANT, INVOKE_URL.
"""
import os
import sys
import time

import httpx

BASE_URL = os.environ["BASE_URL"]
INVOKE_URL = os.environ["INVOKE_URL"]
partner = {"Authorization": f"Bearer {os.environ['API_KEY']}"}
admin = {"Authorization": f"Bearer {os.environ['ADMIN_KEY']}"}
tenant = os.environ["PARTNER_TENANT"]
failures = []
DISCOVERY = {
    "order_type": "DISCOVERY", "title": "Every function", "features": ["COMPANY_DATA"],
    "ideal_customer_profile": "B2B software companies with 50-500 employees",
    "seller_offering": "Prospect enrichment",
    "target_countries": ["Germany"]}
client = httpx.Client(base_url=BASE_URL, timeout=60)


def call(function, method, path, expect, headers, **kwargs):
    try:
        r = client.request(method, path, headers=headers, **kwargs)
    except httpx.TimeoutException:
        # `cargo lambda watch` now and then loses an invocation (infra/README.md, "Bounded
        # paging"): a read is asked once more and the stall reported; a write is never repeated.
        if method != "GET":
            raise
        print(f"     {function:28} {method} {path}: the local stack left it unanswered; asking again")
        r = client.request(method, path, headers=headers, **kwargs)
    ok = r.status_code == expect
    print(f"{'ok ' if ok else 'FAIL'} {function:28} {method} {path} -> {r.status_code}")
    if not ok:
        failures.append(f"{function}: {r.status_code} {r.text[:300]}")
    return r.json() if r.content and r.headers.get("content-type", "").startswith("application/json") else {}


def invoke(function, payload):
    r = httpx.post(f"{INVOKE_URL}/2015-03-31/functions/{function}/invocations", json=payload, timeout=120)
    ok = r.status_code == 200 and "errorType" not in r.text
    print(f"{'ok ' if ok else 'FAIL'} {function:28} invoke -> {r.status_code} {r.text[:120]}")
    if not ok:
        failures.append(f"{function}: {r.status_code} {r.text[:300]}")


# The API's description and its reference page: no key.
spec = call("get-openapi", "GET", "/openapi.json", 200, {})
if spec.get("openapi") != "3.1.0":
    failures.append(f"get-openapi answered {str(spec)[:200]}")
page = client.get("/docs")
print(f"{'ok ' if page.status_code == 200 else 'FAIL'} {'get-docs':28} GET /docs -> {page.status_code}")
if page.status_code != 200 or "Redoc.init" not in page.text:
    failures.append(f"get-docs: {page.status_code} {page.text[:200]}")

page = client.get("/console")
print(f"{'ok ' if page.status_code == 200 else 'FAIL'} {'get-console':28} GET /console -> {page.status_code}")
if page.status_code != 200 or "sessionStorage" not in page.text:
    failures.append(f"get-console: {page.status_code} {page.text[:200]}")

# What no route takes, an unknown path or a method a path does not have: the 404 envelope.
for method, path in [("GET", "/nonexistent"), ("DELETE", "/orders"), ("PUT", "/orders/x/cancel")]:
    r = client.request(method, path)
    ok = (r.status_code == 404 and r.json().get("error", {}).get("code") == "NOT_FOUND"
          and bool(r.headers.get("x-request-id")))
    print(f"{'ok ' if ok else 'FAIL'} {'route-not-found':28} {method} {path} -> {r.status_code}")
    if not ok:
        failures.append(f"route-not-found: {method} {path} -> {r.status_code} {r.text[:200]}")

# Blacklists: the whole resource.
bl = call("create-blacklist", "POST", "/blacklists", 201, partner, json={"name": "Every function"})
bid = bl.get("id")
call("list-blacklists", "GET", "/blacklists", 200, partner)
call("get-blacklist", "GET", f"/blacklists/{bid}", 200, partner)
call("update-blacklist", "PATCH", f"/blacklists/{bid}", 200, partner, json={"description": "renamed"})
added = call("add-blacklist-entries", "POST", f"/blacklists/{bid}/entries", 200, partner,
             json={"entries": [{"company_name": "Example GmbH", "website_url": "https://example.de"}]})
# A preview reads the blacklist as the order's discovery would, and stores nothing.
preview = call("preview-order", "POST", "/orders/preview", 200, partner, json=DISCOVERY | {"blacklist_ids": [bid]})
if len(preview.get("items", [])) > 5 or preview.get("matching_companies", 0) < len(preview.get("items", [])):
    failures.append(f"preview-order answered {str(preview)[:300]}")
entries = call("list-blacklist-entries", "GET", f"/blacklists/{bid}/entries", 200, partner)
entry_id = (entries.get("items") or [{}])[0].get("id")
call("delete-blacklist-entry", "DELETE", f"/blacklists/{bid}/entries/{entry_id}", 204, partner)
call("delete-blacklist", "DELETE", f"/blacklists/{bid}", 204, partner)

# An operator creates a key for a new partner, who has never fetched a signing secret; its orders
# notify an endpoint that is down (deliveries are retried, and the dispatcher creates the secret).
fresh = f"every-function-{time.time_ns()}"
key = call("create-api-key", "POST", "/admin/api-keys", 201, admin,
           json={"tenant_id": fresh, "name": "every-function", "scopes": ["orders:read", "orders:write"]})
call("list-api-keys", "GET", "/admin/api-keys", 200, admin, params={"tenant_id": fresh})
newcomer = {"Authorization": f"Bearer {key.get('api_key')}"}
hooked = DISCOVERY | {"webhook_url": "http://127.0.0.1:9/down"}

# Profiles: an order that saves one, then an operator's rejection.
order = call("create-order", "POST", "/orders", 202, newcomer, json=hooked | {"profile_name": fresh})
profiles = call("list-profiles", "GET", "/profiles", 200, newcomer, params={"limit": 100}).get("items", [])
profile_id = next((p["id"] for p in profiles if p.get("name") == fresh), None)
call("get-profile", "GET", f"/profiles/{profile_id}", 200, newcomer)
call("admin-reject-order", "POST", f"/admin/orders/{order.get('order_id')}/reject", 200, admin,
     json={"admin_notes": "every-function check"})
# A repair of the rejected (cancelled) order answers it as it is (idempotent).
call("admin-repair-order", "POST", f"/admin/orders/{order.get('order_id')}/repair", 200, admin, json={})

# The failure task, as the state machine's Catch calls it, on a fresh order.
doomed = call("create-order", "POST", "/orders", 202, newcomer, json=hooked)
invoke("fail-order", {"order_id": doomed.get("order_id"), "tenant_id": fresh,
                      "error": {"Error": "States.TaskFailed", "Cause": "every-function check"}})
state = call("get-order", "GET", f"/orders/{doomed.get('order_id')}", 200, newcomer)
if state.get("status") != "CANCELLED":
    failures.append(f"fail-order left the order {state.get('status')}")

# A partner's cancellation of an order under way.
running = call("create-order", "POST", "/orders", 202, newcomer, json=hooked)
call("admin-accept-order", "POST", f"/admin/orders/{running.get('order_id')}/accept", 200, admin, json={})
# In flight now: listed with the state of its run (DescribeExecution).
call("admin-list-stuck-orders", "GET", "/admin/orders/stuck", 200, admin,
     params={"stuck_after_minutes": 0, "limit": 10})
call("admin-get-order", "GET", f"/admin/orders/{running.get('order_id')}", 200, admin)
call("cancel-order", "POST", f"/orders/{running.get('order_id')}/cancel", 200, newcomer)
# An operator's preview reads what the partner's does, whatever the order's status.
call("admin-preview-order", "GET", f"/admin/orders/{running.get('order_id')}/preview", 200, admin)
# The dispatcher's retries of the deliveries above (the endpoint is down), before the run ends.
deadline, retrying = time.time() + 60, False
while not retrying and time.time() < deadline:
    attempts = client.get(f"/orders/{order.get('order_id')}/webhook-deliveries", headers=newcomer).json()
    retrying = any(a.get("outcome") == "retrying" for a in attempts.get("items", []))
    time.sleep(0 if retrying else 0.5)
if not retrying:
    failures.append("no delivery attempt to the down endpoint was scheduled for a retry")
call("admin-list-webhook-deliveries", "GET", "/admin/webhook-deliveries", 200, admin, params={"status": "failed"})
call("revoke-api-key", "DELETE", f"/admin/api-keys/{key.get('key_id')}", 204, admin)

# Webhook secrets, the partner's and the operator's way.
call("get-webhook-secret", "GET", "/webhook-secret", 200, partner)
call("rotate-webhook-secret", "POST", "/webhook-secret/rotate", 200, partner)
# A second new partner's secret is first created by the operator's read (tenants exist through keys).
call("create-api-key", "POST", "/admin/api-keys", 201, admin,
     json={"tenant_id": f"{fresh}-2", "name": "secret-only", "scopes": ["orders:read"]})
call("admin-get-webhook-secret", "GET", f"/admin/tenants/{fresh}-2/webhook-secret", 200, admin)
call("admin-get-webhook-secret", "GET", f"/admin/tenants/{fresh}-unknown/webhook-secret", 404, admin)
call("admin-rotate-webhook-secret", "POST", f"/admin/tenants/{tenant}/webhook-secret/rotate", 200, admin)
# A tenant with a key is known from its marker; only an unknown one reaches the keys' index.
call("admin-rotate-webhook-secret", "POST", f"/admin/tenants/{fresh}-unknown/webhook-secret/rotate", 404, admin)

# Delivery log, redelivery and recovery, on the events the guide's flow delivered.
event_id = None
for o in call("list-orders", "GET", "/orders", 200, partner, params={"limit": 100}).get("items", []):
    log = client.get(f"/orders/{o['order_id']}/webhook-deliveries", headers=partner).json()
    if log.get("items"):
        event_id = log["items"][0]["event_id"]
        call("list-webhook-deliveries", "GET", f"/orders/{o['order_id']}/webhook-deliveries", 200, partner)
        break
if event_id is None:
    failures.append("no delivered webhook event to redeliver (the guide's flow delivers three)")
else:
    call("admin-redeliver-webhook", "POST", f"/admin/webhook-deliveries/{event_id}/redeliver", 202, admin)
call("admin-recover-webhooks", "POST", f"/admin/tenants/{tenant}/webhook-deliveries/recover", 202, admin,
     json={"since": "2020-01-01T00:00:00Z"})

# The relay's scheduled sweep, as EventBridge calls it.
invoke("outbox-relay", {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print("every function answered through its own main")
