#!/usr/bin/env bash
# Fails when dev-dependencies switch on features of a crate the normal build also compiles.
# Such a gap makes `cargo test` and `cargo build` / `cargo lambda watch` resolve two feature
# sets, so every crate above it (the whole AWS SDK) is compiled, and stored, twice.
# The fix is a line in shared/store/Cargo.toml's feature-parity block (every function links the store).
set -euo pipefail
cd "$(dirname "$0")/../.."
features() {
  cargo tree --workspace --locked -e "$1",features --prefix none --format '{p} [{f}]' |
    sed -E 's/ \(\*\)$//; s/ \(proc-macro\)//; s/ \([^)]*\/[^)]*\)//' | grep -E '^[^ ]+ v[^ ]+ \[' | sort -u
}
build=$(features normal,build)
with_dev=$(features normal,build,dev)
# Crates only dev-dependencies use (criterion, proptest...) are no gap: keep those both builds compile.
gap=$(join -j1 -t $'\t' \
  <(sed -E 's/^([^ ]+ v[^ ]+) (.*)$/\1\t\2/' <<<"$build" | sort -t $'\t' -k1,1) \
  <(sed -E 's/^([^ ]+ v[^ ]+) (.*)$/\1\t\2/' <<<"$with_dev" | sort -t $'\t' -k1,1) |
  awk -F'\t' '$2 != $3 { print "  " $1 ": build " $2 ", test " $3 }')
if [ -n "$gap" ]; then
  echo "feature sets differ between the normal and the test build:" >&2
  echo "$gap" >&2
  exit 1
fi
echo "feature parity: test and normal builds resolve the same features"
