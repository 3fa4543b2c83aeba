"""50 discovery and enrichment orders at once through the local stack, with an operator accepting
and the partner cancelling half of them at random moments (before, during or after acceptance).
Waits until every order is COMPLETED or CANCELLED; `opsctl audit-orders` then checks every order's
results and events (run.sh). Env: BASE_URL, API_KEY (partner), ADMIN_KEY.
"""
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

BASE_URL, API_KEY, ADMIN_KEY = os.environ["BASE_URL"], os.environ["API_KEY"], os.environ["ADMIN_KEY"]
partner = {"Authorization": f"Bearer {API_KEY}"}
admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
rng = random.Random(7)


def order(i):
    if i % 2:
        return {"order_type": "ENRICHMENT", "title": f"race {i}", "features": ["COMPANY_DATA"], "companies": [
            {"external_id": f"r{i}-{k}", "company_name": f"Beispiel {k} GmbH", "city": "Berlin", "country": "Germany"}
            for k in range(40)]}
    return {"order_type": "DISCOVERY", "title": f"race {i}", "features": ["COMPANY_DATA"],
            "ideal_customer_profile": "B2B software companies with 50-500 employees",
            "seller_offering": "Lead generation", "target_countries": ["Germany", "Austria"]}


class Polite(httpx.Client):
    """A client that waits as a 429's Retry-After says (25 threads polling at once exceed the
    partner key's 600 requests a minute), as a partner's client should."""

    def request(self, *args, **kwargs):
        while True:
            r = super().request(*args, **kwargs)
            if r.status_code != 429:
                return r
            time.sleep(int(r.headers.get("retry-after", "1")))


def run(i):
    with Polite(timeout=60) as c:
        created = c.post(f"{BASE_URL}/orders", headers=partner, json=order(i))
        assert created.status_code == 202, created.text
        oid = created.json()["order_id"]
        actions = [lambda: c.post(f"{BASE_URL}/admin/orders/{oid}/accept", headers=admin)]
        if i % 4 < 2:  # half are cancelled, racing the acceptance
            actions.append(lambda: c.post(f"{BASE_URL}/orders/{oid}/cancel", headers=partner))
        rng.shuffle(actions)
        for act in actions:
            time.sleep(rng.random() * 0.5)
            status = act().status_code
            assert status in (200, 409), status
        deadline = time.time() + 300
        while time.time() < deadline:
            state = c.get(f"{BASE_URL}/orders/{oid}", headers=partner).json()
            if state["status"] in ("COMPLETED", "CANCELLED"):
                return state["status"]
            time.sleep(1)
        return f"stuck {state['status']}"


with ThreadPoolExecutor(max_workers=25) as pool:
    finals = list(pool.map(run, range(50)))
counts = {s: finals.count(s) for s in set(finals)}
print(f"50 racing orders: {counts}")
sys.exit(0 if set(finals) <= {"COMPLETED", "CANCELLED"} else 1)
