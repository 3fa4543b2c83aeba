"""The API reference page in headless Chromium (Debian's package, /usr/bin/chromium): it loads from
the local stack alone, renders every operation of the OpenAPI document, logs no console error, and
leaves a screenshot (SCREENSHOT, default target/api-docs.png).

Env: BASE_URL (the API, e.g. http://127.0.0.1:9000/api/v1).
"""
import os
import sys
from urllib.parse import urlparse

import httpx
from playwright.sync_api import sync_playwright

BASE_URL = os.environ["BASE_URL"]
SCREENSHOT = os.environ.get("SCREENSHOT", "target/api-docs.png")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
METHODS = {"get", "post", "put", "patch", "delete"}

if not os.path.exists(CHROMIUM):
    sys.exit(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")

spec = httpx.get(f"{BASE_URL}/openapi.json", timeout=30).json()
operations = {op["operationId"] for item in spec["paths"].values() for m, op in item.items() if m in METHODS}
api_host = urlparse(BASE_URL).netloc
problems, elsewhere = [], []

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"])
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: urlparse(r.url).netloc not in ("", api_host)
            and r.url.startswith("http") and elsewhere.append(r.url))
    # A second load only if the first rendered nothing: the local stack's emulator now and then
    # fails the first request of a cold function with a 500 of its own. The second load alone is
    # judged (what the first logged is printed), so a page that does not render fails.
    for attempt in (1, 2):
        problems.clear()
        elsewhere.clear()
        page.goto(f"{BASE_URL}/docs", wait_until="networkidle", timeout=60_000)
        try:
            page.wait_for_selector("[data-section-id^='operation/']", timeout=45_000)
            break
        except Exception as e:  # the page and what it logged say why
            print(f"load {attempt}: no operation rendered ({e}); logged: {problems}", file=sys.stderr)
            if attempt == 2:
                problems.append("no operation rendered")
    rendered = set(page.eval_on_selector_all(
        "[data-section-id^='operation/']",
        "els => els.map(e => e.getAttribute('data-section-id').slice('operation/'.length))"))
    os.makedirs(os.path.dirname(SCREENSHOT) or ".", exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=False)
    browser.close()

missing = sorted(operations - rendered)
if missing:
    problems.append(f"operations not on the page: {missing}")
if elsewhere:
    problems.append(f"the page loaded from elsewhere than the API: {sorted(set(elsewhere))[:5]}")
print(f"docs page: {len(rendered & operations)} of {len(operations)} operations rendered, "
      f"{len(problems)} problems; screenshot {SCREENSHOT}")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
