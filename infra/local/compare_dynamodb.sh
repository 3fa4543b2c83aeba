#!/usr/bin/env bash
# DynamoDB Local against moto, side by side on this machine (`make compare-dynamodb`):
#   1. the fidelity probe (infra/local/ddb_fidelity.py) on each emulator;
#   2. the api-tests suite (`cargo test -p api-tests --test api`) on each;
#   3. bench-catalog: import of ../shared/datasets/companies.jsonl, previews, matching;
#   4. bench-discovery: import of COMPANIES generated companies, then discovery reads.
# Each step runs on both emulators back to back, the order alternating from step to step and round
# to round, so a machine shared with other work loads both alike; the load average is logged beside
# every run. Full logs and summary.txt go to COMPARE_OUT (target/compare-dynamodb).
#   ROUNDS=1 COMPANIES=100000 STEPS="probe suite catalog generated" bash infra/local/compare_dynamodb.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
OUT=${COMPARE_OUT:-target/compare-dynamodb}
ROUNDS=${ROUNDS:-1}
COMPANIES=${COMPANIES:-100000}
STEPS=${STEPS:-probe suite catalog generated}
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
echo "# $(date -u +%FT%TZ) rounds=$ROUNDS companies=$COMPANIES steps=\"$STEPS\" cores=$(nproc)" >>"$SUMMARY"

# The binaries are built once, before anything is timed.
cargo test -p api-tests --test api --no-run --quiet || { echo "building api-tests failed"; exit 1; }
cargo build -p ops --bin bench-catalog --bin bench-discovery --quiet || exit 1

probe() {
  local port launcher ready pid
  port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  launcher=infra/local/moto_child.py
  [ "$DYNAMODB_EMULATOR" = dynamodb-local ] && launcher=infra/local/dynamodb_local.py
  exec 3< <(exec $PY "$launcher" "$port" 2>/dev/null)
  pid=$!
  read -r ready <&3
  [ "$ready" = ready ] || { echo "the emulator did not start"; return 1; }
  $PY infra/local/ddb_fidelity.py "http://127.0.0.1:$port"
  local rc=$?
  kill "$pid" 2>/dev/null
  exec 3<&-
  return $rc
}

step() {
  case $1 in
    probe) probe ;;
    suite) cargo test -p api-tests --test api ;;
    catalog) ./target/debug/bench-catalog --rounds 1 --submitted 2000 ;;
    generated) ./target/debug/bench-discovery --companies "$COMPANIES" ;;
  esac
}

# The lines of a step's log worth a summary.
essentials() {
  case $1 in
    probe) grep -E '^DIFF| of [0-9]+ as AWS' "$2" ;;
    suite) grep -E '^test result:|^    [a-z0-9_]+::[a-z0-9_]+$' "$2" ;;
    catalog) grep -E '^imported|^round|^matching' "$2" ;;
    generated) grep -E '^imported|^run ' "$2" ;;
  esac
}

turn=0
for round in $(seq "$ROUNDS"); do
  for s in $STEPS; do
    if (( turn % 2 )); then order="moto dynamodb-local"; else order="dynamodb-local moto"; fi
    turn=$((turn + 1))
    for emu in $order; do
      log="$OUT/r$round-$s-$emu.log"
      before=$(cut -d' ' -f1 /proc/loadavg)
      start=$(date +%s.%N)
      DYNAMODB_EMULATOR=$emu DYNAMODB_LOCAL_LOG="$OUT/r$round-$s-java.log" step "$s" >"$log" 2>&1
      rc=$?
      wall=$(awk "BEGIN { print $(date +%s.%N) - $start }")
      line=$(printf 'round %s %-9s %-14s exit %3d  wall %7.1f s  load %s -> %s' \
        "$round" "$s" "$emu" "$rc" "$wall" "$before" "$(cut -d' ' -f1 /proc/loadavg)")
      echo "$line" | tee -a "$SUMMARY"
      essentials "$s" "$log" | sed 's/^/    /' | tee -a "$SUMMARY"
    done
  done
done
