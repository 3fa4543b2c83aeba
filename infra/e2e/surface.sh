#!/usr/bin/env bash
# The API surface over the local stack that run.sh brought up (`make fuzz`, and `make test` through
# run.sh), against openapi/openapi.yaml as GET /openapi.json serves it:
# 1. schemathesis (pinned in infra/local/requirements.txt) on every operation with bounded examples:
#    no 5xx, no status, header, content type or body outside the document (error envelope included);
#    then negative_cases.py: blank enums, nulls for required fields, wrong types, huge numbers, field
#    by field from the document (no 5xx, the envelope, 422s naming the field);
# 2. a Python client generated from the document (openapi-python-client) creates an order and
#    reads it back;
# 3. the reference page in headless Chromium: loads, shows every operation, no console error,
#    a screenshot (target/api-docs.png);
# and a burst over loopback against a key's rate limit, beside another key; last, the abuse suite:
# each endpoint's worst allowed input and a few past the limits, answered boundedly (abuse.py), each
# function's peak memory printed beside its template MemorySize (E2E_ONLY=abuse: only this part).
# Every AWS call a function makes meanwhile is in run.sh's call log, checked against template.yaml.
# Env: API_PORT, MOTO_PORT, WORK (run.sh's scratch folder), WATCH_PID (the parent of the function processes).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
BASE="http://127.0.0.1:$API_PORT/api/v1"
key() {  # $1 tenant, $2 scopes, $3 requests per minute (default: room for a fuzzer's pace)
  # shellcheck disable=SC2046
  env $(grep -E '^AWS_[A-Z_]+=' "$WORK/env" | xargs) ./target/debug/opsctl create-key --endpoint-url "http://127.0.0.1:$MOTO_PORT" --table MainTable \
    --tenant "$1" --name "$1" --scopes "$2" --test --rate-limit-per-minute "${3:-100000}" | grep -o 'lnc_test_[A-Za-z0-9]*'
}
PARTNER=$(key "fuzz-partner-$$" orders:read,orders:write,blacklists:read,blacklists:write)
ADMIN=$(key "operators" admin)
abuse() {
  echo "--- abuse: each endpoint's worst allowed input and past the limits, answered boundedly ---"
  ABUSER=$(key "abuse-$$" orders:read,orders:write,blacklists:read,blacklists:write)
  BASE_URL="$BASE" PARTNER_KEY="$ABUSER" ADMIN_KEY="$ADMIN" TENANT="abuse-$$" WATCH_PID="${WATCH_PID:-}" \
    $PY infra/e2e/abuse.py
}
if [ "${E2E_ONLY:-}" = abuse ]; then abuse; exit; fi
curl -sf "$BASE/openapi.json" -o "$WORK/openapi.json"

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
st_run() {  # $1: key, then filters
  local auth=$1; shift
  SCHEMATHESIS_HOOKS=infra.e2e.fuzz_hooks PYTHONPATH=. .venv/bin/st run "$WORK/openapi.json" \
    --url "http://127.0.0.1:$API_PORT" -H "Authorization: Bearer $auth" \
    --checks "$CHECKS" --phases examples,coverage,fuzzing,stateful --max-examples "${FUZZ_EXAMPLES:-8}" --seed 1 \
    --workers 1 --request-timeout 60 --no-color --warnings off --generation-database none "$@"
}
# The local API Gateway emulator now and then answers a request with a 500 of its own (a problem
# document from httpstatuses.com, never our error envelope) before the function runs: a run whose
# failures include that one is run again, once, with the same seed, and must then pass. Any other
# failure fails at once.
fuzz() {
  local out="$WORK/fuzz-$RANDOM.txt"
  st_run "$@" | tee "$out" && return 0
  grep -q 'httpstatuses.com/500' "$out" || return 1
  # Its cause is only in the emulator's log (a function process that exited, a lost runtime
  # connection...): shown so that a run which needs the retry says why.
  echo "--- the emulator answered a 500 of its own; its log's errors: ---"
  grep -v '"level":"\(INFO\|WARN\|DEBUG\)"' "$WORK/watch.log" | grep -i 'error\|exit\|fail' | tail -20 || true
  echo "--- once more, same seed ---"
  st_run "$@"
}
echo "--- schemathesis: partner operations, a partner key ---"
fuzz "$PARTNER" --exclude-path-regex '^/api/v1/admin/'
echo "--- schemathesis: operator operations, an admin key ---"
fuzz "$ADMIN" --include-path-regex '^/api/v1/admin/'

echo "--- negative cases beyond the schema: blanks, nulls, wrong types, huge numbers, field by field ---"
BASE_URL="$BASE" PARTNER_KEY="$PARTNER" ADMIN_KEY="$ADMIN" TENANT="fuzz-partner-$$" SPEC="$WORK/openapi.json" \
  $PY infra/e2e/negative_cases.py

echo "--- a rate-limited key in a burst over loopback, beside another key ---"
LIMITED=$(key "burst-$$" orders:read 60 | tail -1)
OTHER=$(key "burst-other-$$" orders:read 100000 | tail -1)
BASE_URL="$BASE" LIMITED_KEY="$LIMITED" OTHER_KEY="$OTHER" LIMIT=60 $PY infra/e2e/rate_burst.py

echo "--- a generated Python client ---"
BASE_URL="$BASE" API_KEY="$PARTNER" SPEC="$WORK/openapi.json" CLIENT_DIR="$WORK/client" $PY infra/e2e/client_flow.py

echo "--- the reference page in Chromium ---"
BASE_URL="$BASE" $PY infra/e2e/docs_page.py

abuse
