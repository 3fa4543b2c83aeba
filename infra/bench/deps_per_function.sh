#!/usr/bin/env bash
# Third-party packages each function links (normal dependencies, unique; the workspace's own crates
# left out, since splitting a crate in two is not a new dependency), at REV and in the working tree.
# usage: infra/bench/deps_per_function.sh REV     (e.g. the commit before a layout change)
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${1:?usage: deps_per_function.sh REV}
before=$(mktemp -d)
trap 'git worktree remove --force "$before" >/dev/null 2>&1 || true' EXIT
git worktree add -q --detach "$before" "$rev"
count() {  # tree function
  (cd "$1" && cargo tree --offline -q -p "$2" -e normal --prefix none 2>/dev/null) |
    sed 's/ (\*)$//; s/ (proc-macro)$//' | grep -v ' (/' | sort -u | wc -l
}
printf '%-32s %8s %8s %6s\n' function "$rev" now change
for f in $(ls functions); do
  now=$(count . "$f")
  if [ -d "$before/functions/$f" ]; then then=$(count "$before" "$f"); change=$((now - then)); else then=-; change=new; fi
  printf '%-32s %8s %8s %6s\n' "$f" "$then" "$now" "$change"
done
