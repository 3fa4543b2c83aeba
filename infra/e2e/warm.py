"""Waits until every function of the local stack answers, so no suite meets a cold start.

usage: python infra/e2e/warm.py API_PORT [DEADLINE_SECS]

`cargo lambda watch` starts a function's process on its first request (and checks its build with
`cargo run` then), which on two loaded cores can take longer than a test client waits. Each function
of the router in CargoLambda.toml is called once on one of its routes (path parameters as a nil UUID, no
key, `{}` bodies); every function without a route (tasks, queue and schedule consumers) is invoked
once through the invoke API with an empty event. Any answer of the function itself counts (a 4xx, a
handled error); the emulator's own failures and timeouts are retried until the deadline. Exits 1
naming each function that never answered.
"""
import concurrent.futures
import re
import sys
import time
import tomllib
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
NIL = "00000000-0000-7000-8000-000000000000"


def targets():
    """[(function, method, url path, body)]: one call per function, through one of its routes or, for
    a function without one, the invoke API. A process, once started, serves every route of its
    function."""
    router = tomllib.loads((ROOT / "CargoLambda.toml").read_text())["watch"]["router"]
    calls, routed = [], set()
    for path, routes in router.items():
        concrete = re.sub(r"\{\*?[A-Za-z_]+\}", NIL, path)
        for route in routes:
            if route["function"] not in routed:
                routed.add(route["function"])
                calls.append((route["function"], route["method"], concrete, b"{}"))
    for crate in sorted(p.name for p in (ROOT / "functions").iterdir() if p.is_dir()):
        if crate not in routed:
            body = b'{"Records": []}' if crate in ("webhook-dispatcher",) else b"{}"
            calls.append((crate, "POST", f"/2015-03-31/functions/{crate}/invocations", body))
    return calls


def answered(response):
    """Whether the function itself answered (not the emulator on its behalf)."""
    if response.status_code < 500:
        return True
    try:
        body = response.json()
    except ValueError:
        return False
    # Our API functions answer 5xx only in the error envelope (503 when a dependency is down); the
    # invoke API answers a function's own error (a task refusing an empty event) as `errorType`.
    return isinstance(body, dict) and ("error" in body or "errorType" in body)


def warm(base, call, deadline):
    function, method, path, body = call
    last = "no answer"
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return f"{function} ({method} {path}) never answered: {last}"
        try:
            r = httpx.request(method, base + path, content=body, timeout=min(left, 120),
                              headers={"content-type": "application/json"})
            if answered(r):
                return None
            last = f"{r.status_code} {r.text[:200]}"
        except httpx.HTTPError as e:
            last = repr(e)
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))


def main():
    port = int(sys.argv[1])
    deadline = time.monotonic() + (float(sys.argv[2]) if len(sys.argv) > 2 else 600)
    base = f"http://127.0.0.1:{port}"
    calls = targets()
    started = time.monotonic()
    # Two at a time: the machine has two cores, and each first call may run `cargo run`.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        failures = [f for f in pool.map(lambda c: warm(base, c, deadline), calls) if f]
    if failures:
        print("\n".join(["functions that never answered:"] + failures), file=sys.stderr)
        sys.exit(1)
    print(f"warm: {len(calls)} functions answered in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
