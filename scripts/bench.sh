#!/usr/bin/env bash
# Fleet benchmark: akspol check --format json over a generated fleet, against
# the floor (reading the same files and validating their JSON into
# serde::de::IgnoredAny on the same parallel loop). Not a test: run it by hand.
#
#   scripts/bench.sh [DEPLOYMENTS] [RUNS]      (defaults: 1000 deployments, 5 runs)
#
# Prints MB/s, inventories/s and the ratio check/floor (median wall time of
# RUNS runs each), for the directory and for the same fleet as NDJSON; then
# the time of each hostile input that `tests/hostile.rs` guards (issue 12:
# inputs that took the quadratic code minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
deployments="${1:-1000}"
runs="${2:-5}"
as_of=2025-07-01

cargo build --release --quiet --bin akspol -p akspol --bin akspol-fleetgen -p akspol-tools
bin="$PWD/target/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin/akspol-fleetgen" generate --deployments "$deployments" --dir "$work/fleet" --ndjson "$work/fleet.ndjson"

# Median wall-clock seconds of "$@" over $runs runs (after one warm-up run).
median() {
    "$@" >/dev/null 2>&1 || true
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

report() {
    local label="$1" input="$2" bytes="$3"
    local floor check
    floor=$(median "$bin/akspol-fleetgen" floor "$input")
    check=$(median "$bin/akspol" check --as-of "$as_of" --format json --output "$work/out.json" "$input")
    awk -v l="$label" -v f="$floor" -v c="$check" -v b="$bytes" -v n="$deployments" 'BEGIN {
        printf "%-9s %6.1f MB  floor %.3f s (%4.0f MB/s, %6.0f inv/s)  check %.3f s (%4.0f MB/s, %6.0f inv/s)  ratio %.2fx\n",
            l, b/1e6, f, b/1e6/f, n/f, c, b/1e6/c, n/c, c/f }'
}

cores=$(nproc)
echo "akspol fleet bench: $deployments deployments x 3 clusters x 10 nodes, $cores cores, median of $runs runs"
report directory "$work/fleet" "$(cat "$work"/fleet/*.json | wc -c)"
report ndjson "$work/fleet.ndjson" "$(wc -c <"$work/fleet.ndjson")"

# Peak memory for one large inventory (10 clusters x 7,000 nodes, ~96 MB),
# when GNU time is installed (`apt-get install time`).
if [ -x /usr/bin/time ]; then
    "$bin/akspol-fleetgen" generate --deployments 1 --clusters 10 --nodes 7000 --dir "$work/big" >/dev/null 2>&1
    big="$work/big/$(ls "$work/big")"
    size=$(wc -c <"$big")
    /usr/bin/time -o "$work/peak" -f '%M' "$bin/akspol" check --as-of "$as_of" --format json --output "$work/big.json" "$big" >/dev/null 2>&1 || true
    peak_kb=$(tail -1 "$work/peak")
    awk -v b="$size" -v k="$peak_kb" 'BEGIN { printf "one inventory %6.1f MB  peak RSS %.1f MB (%.2fx its size)\n", b/1e6, k*1024/1e6, k*1024/b }'
fi

# The hostile inputs of tools/src/hostile.rs: the same cases tests/hostile.rs
# runs under its hang guard, timed here on the release build. `{server}` is
# a local HTTP server of the case's directory (python3's http.server).
"$bin/akspol-fleetgen" hostile "$work/hostile"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/hostile" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
echo "hostile inputs (median of $runs runs):"
for case in "$work"/hostile/*/; do
    name=$(basename "$case")
    mapfile -t args < <(sed "s#{server}#http://127.0.0.1:$port/$name#" "$case/args")
    seconds=$( (cd "$case" && median env NO_PROXY="*" "$bin/akspol" "${args[@]}") )
    printf '  %-22s %7.3f s\n' "$name" "$seconds"
done
if [ -x /usr/bin/time ]; then
    (cd "$work/hostile/node-list" && mapfile -t args < args &&
        /usr/bin/time -o "$work/peak" -f '%M' "$bin/akspol" "${args[@]}" >/dev/null 2>&1) || true
    awk -v k="$(tail -1 "$work/peak")" -v b="$(wc -c <"$work/hostile/node-list/inventory.json")" \
        'BEGIN { printf "  node-list peak RSS %.1f MB (%.1fx its %.1f MB)\n", k*1024/1e6, k*1024/b, b/1e6 }'
fi
