"""A concurrent burst over loopback through the local stack: a key limited to LIMIT requests a
minute gets that many (plus what refills during the burst) within 5 %, every refusal is a 429
RATE_LIMITED with Retry-After and the X-RateLimit-* headers, and another key bursting at the same
time is not refused once.

Env: BASE_URL, LIMITED_KEY (a key created with rate_limit_per_minute LIMIT), OTHER_KEY (a key with
room), LIMIT.
"""
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

BASE_URL = os.environ["BASE_URL"]
LIMIT = int(os.environ["LIMIT"])
LIMITED, OTHER = os.environ["LIMITED_KEY"], os.environ["OTHER_KEY"]
REQUESTS = 3 * LIMIT

client = httpx.Client(base_url=BASE_URL, timeout=60, limits=httpx.Limits(max_connections=8))


def get(key):
    r = client.get("/orders", headers={"Authorization": f"Bearer {key}"}, params={"limit": 1})
    return key, r


started = time.monotonic()
with ThreadPoolExecutor(max_workers=8) as pool:
    replies = list(pool.map(get, [LIMITED if i % 4 else OTHER for i in range(REQUESTS + REQUESTS // 3)]))
elapsed = time.monotonic() - started

problems = []
limited = [r for k, r in replies if k == LIMITED]
admitted = sum(r.status_code == 200 for r in limited)
allowed = LIMIT + elapsed * LIMIT / 60
for k, r in replies:
    if not all(h in r.headers for h in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")):
        problems.append(f"{r.status_code} without X-RateLimit-* headers")
    if k == OTHER and r.status_code != 200:
        problems.append(f"the other key got {r.status_code}: {r.text[:200]}")
    if k == LIMITED and r.status_code != 200:
        code = r.json().get("error", {}).get("code")
        if r.status_code != 429 or code != "RATE_LIMITED" or int(r.headers.get("retry-after", "0")) < 1:
            problems.append(f"refused with {r.status_code} {code} retry-after={r.headers.get('retry-after')}")
if abs(admitted - allowed) > 0.05 * allowed:
    problems.append(f"{admitted} admitted, {allowed:.1f} allowed")
print(f"burst over loopback: {len(limited)} requests of a {LIMIT}/min key in {elapsed:.1f} s, "
      f"{admitted} admitted ({allowed:.1f} allowed); another key: "
      f"{sum(r.status_code == 200 for k, r in replies if k == OTHER)} of {len(replies) - len(limited)} passed")
if problems:
    print("\n".join(sorted(set(problems))[:10]), file=sys.stderr)
    sys.exit(1)
