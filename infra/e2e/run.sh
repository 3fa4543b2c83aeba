#!/usr/bin/env bash
# Brings up the local stack on free ports (as `make dev` does), runs the guide's flow over HTTP,
# and tears everything down. Used by `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MOTO_PORT=$(free_port); API_PORT=$(free_port)
WORK=$(mktemp -d)
pids=()
# E2E_KEEP=DIR keeps the stack's environment, call log and logs there for a look afterwards.
cleanup() { [ -n "${E2E_KEEP:-}" ] && cp -r "$WORK"/. "$E2E_KEEP"/ 2>/dev/null; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pkill -P $$ 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
# On a failure: what the watch and the functions said besides their INFO lines (exits, errors,
# warnings), then their last lines.
show_logs() {
  echo "--- cargo lambda watch and the functions: not INFO (last 40) ---"
  grep -v '"level":"INFO"' "$WORK/watch.log" | tail -40
  echo "--- the last 15 lines ---"
  tail -15 "$WORK/watch.log"
}

# Every function binary is built before `cargo lambda watch` starts them on first use.
cargo build --quiet --workspace --bins
# The emulator logs every call a function makes, for the policy check at the end; the flows' calls
# and the surface run's are kept apart in the target directory for `make test`'s check over every
# suite (`iam-calls/e2e.jsonl`, `iam-calls/surface.jsonl`, each with the stack's names beside it).
IAM_CALLS="${CARGO_TARGET_DIR:-target}/iam-calls"
mkdir -p "$IAM_CALLS"
exec 3< <(MOTO_CALLS="$WORK/calls.jsonl" $PY infra/local/moto_child.py "$MOTO_PORT" 2>"$WORK/moto.log")
read -r ready <&3
[ "$ready" = ready ] || { echo "moto did not start"; exit 1; }
./target/debug/opsctl local-up --endpoint-url "http://127.0.0.1:$MOTO_PORT" --env-file "$WORK/env" --demo-companies 3000 > "$WORK/keys"
# shellcheck disable=SC1091
source <(grep -E '^(ADMIN_KEY|PARTNER_KEY|PARTNER_TENANT)=' "$WORK/keys")
./target/debug/opsctl bridge --endpoint-url "http://127.0.0.1:$MOTO_PORT" --invoke-url "http://127.0.0.1:$API_PORT" 2>"$WORK/bridge.log" &
pids+=($!)
# The watch routes requests and invocations to each function's queue; every function runs as one
# process of its built binary polling that queue (infra/local/functions.py says why the watch
# does not start them itself). Both log to watch.log.
PATH="$PWD/.venv/bin:$PATH" cargo lambda watch --invoke-port "$API_PORT" --invoke-address 127.0.0.1 --only-lambda-apis >>"$WORK/watch.log" 2>&1 &
pids+=($!)
$PY infra/local/functions.py "http://127.0.0.1:$API_PORT/.rt" "$WORK/env" >>"$WORK/watch.log" 2>&1 &
pids+=($!)
# No suite starts before every function answers.
$PY infra/e2e/warm.py "$API_PORT" 600 || { show_logs; exit 1; }
# E2E_ONLY=surface (`make fuzz`) skips the flows and checks only the API surface; E2E_ONLY=abuse
# runs only the abuse suite (surface.sh's last part).
if [ -z "${E2E_ONLY:-}" ]; then
  BASE_URL="http://127.0.0.1:$API_PORT/api/v1" API_KEY="$PARTNER_KEY" ADMIN_KEY="$ADMIN_KEY" $PY infra/e2e/guide_flow.py || {
    show_logs; echo "--- bridge ---"; tail -10 "$WORK/bridge.log"; exit 1; }
  # 50 racing orders, then the operators' audit of every order in the stack (results by pages, events,
  # stuck runs): it must find nothing.
  BASE_URL="http://127.0.0.1:$API_PORT/api/v1" API_KEY="$PARTNER_KEY" ADMIN_KEY="$ADMIN_KEY" $PY infra/e2e/race_flow.py || {
    echo "--- bridge ---"; tail -10 "$WORK/bridge.log"; exit 1; }
  # shellcheck disable=SC2046
  env $(grep -E '^(STATE_MACHINE_ARN|AWS_[A-Z_]+)=' "$WORK/env" | xargs) \
    ./target/debug/opsctl audit-orders --endpoint-url "http://127.0.0.1:$MOTO_PORT" --table MainTable --stuck-after-minutes 0
  # Every function once through its own main, so each one's policy meets its calls.
  BASE_URL="http://127.0.0.1:$API_PORT/api/v1" API_KEY="$PARTNER_KEY" ADMIN_KEY="$ADMIN_KEY" PARTNER_TENANT="$PARTNER_TENANT" \
    INVOKE_URL="http://127.0.0.1:$API_PORT" $PY infra/e2e/every_function.py || {
    show_logs; exit 1; }
  # The web console in headless Chromium as operators and partners use it (screenshots in target/console/).
  # shellcheck disable=SC2046
  env $(grep -E '^(STATE_MACHINE_ARN|AWS_[A-Z_]+)=' "$WORK/env" | xargs) MOTO_URL="http://127.0.0.1:$MOTO_PORT" \
    BASE_URL="http://127.0.0.1:$API_PORT/api/v1" ADMIN_KEY="$ADMIN_KEY" $PY infra/e2e/console_flow.py || {
    show_logs; echo "--- bridge ---"; tail -10 "$WORK/bridge.log"; exit 1; }
  # Whole lines only: the functions still running (the dispatcher, the relay) keep logging.
  flows=$(wc -l < "$WORK/calls.jsonl")
  head -n "$flows" "$WORK/calls.jsonl" > "$IAM_CALLS/e2e.jsonl"
  cp "$WORK/env" "$IAM_CALLS/e2e.env"
  suites=("$IAM_CALLS/e2e.jsonl" "$IAM_CALLS/surface.jsonl")
else  # the warm-up's calls count as the surface run's
  suites=("$IAM_CALLS/surface.jsonl")
  flows=0
fi
# The API surface: the OpenAPI document fuzzed, a generated client, the reference page.
API_PORT="$API_PORT" MOTO_PORT="$MOTO_PORT" WORK="$WORK" WATCH_PID="${pids[2]}" bash infra/e2e/surface.sh || {
  show_logs; exit 1; }
total=$(wc -l < "$WORK/calls.jsonl")
head -n "$total" "$WORK/calls.jsonl" | tail -n +"$((flows + 1))" > "$IAM_CALLS/surface.jsonl"
cp "$WORK/env" "$IAM_CALLS/surface.env"
# Every call of this run granted by its function's policy; that every grant is needed is checked
# over all suites together (`make test`).
$PY infra/e2e/check_policies.py --granted-only "${suites[@]}"
