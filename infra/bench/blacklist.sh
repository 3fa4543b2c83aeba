#!/usr/bin/env bash
# Deep pages and discovery/preview reads of a large blacklist, before and after bounded paging
# (infra/README.md "Bounded paging, counters and limits"). Starts its own emulator; not a test.
#   infra/bench/blacklist.sh [--entries 100000] [--companies 3000] [--release]
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=()
args=()
for a in "$@"; do
  if [ "$a" = --release ]; then profile=(--release); else args+=("$a"); fi
done
exec cargo run -q "${profile[@]}" -p ops --bin bench-blacklist -- "${args[@]}"
