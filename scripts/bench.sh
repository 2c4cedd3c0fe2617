#!/usr/bin/env bash
# The benchmark of issue 17 (not a test: run it by hand, on a quiet machine).
#
#   scripts/bench.sh [RUNS]        (default: 5 runs of each command, after one warm-up)
#
# For generated fleets of 100, 1,000 and 10,000 deployments (3 clusters x 10
# nodes each, one pretty-printed file per deployment) and for one ~100 MB
# inventory (10 clusters x 7,000 nodes), it times `akspol check` with
# `--format json`, `--format table` and `--summary-only` against the floor
# (`akspol-fleetgen floor`: reading the same files on the same loop and
# validating their JSON into serde's IgnoredAny), and prints each command's
# CPU time (user + system), wall time, input MB/s and peak RSS (GNU time),
# the median of RUNS rounds (every command once a round, so the commands compared share the machine's ups and downs); then one small check against `akspol --version`;
# then every target of issue 17 with its figure, met or not. Reports go to a
# file of the work directory through standard output (a CI job's
# `> report.json`): `--output FILE` would add the fsync of the safe replace,
# which measures the disk rather than akspol. Last, the hostile inputs of
# tools/src/hostile.rs (the cases tests/hostile.rs measures), timed.
#
# Needs python3 (CPU time of each run, from wait4) and GNU time
# (`apt-get install time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
as_of=2025-07-01

if [ ! -x /usr/bin/time ]; then
    echo "GNU time is needed for peak memory: apt-get install time" >&2
    exit 2
fi
cargo build --release --quiet --bin akspol -p akspol --bin akspol-fleetgen -p akspol-tools
bin="$PWD/target/release"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Timing (python3, CPU time from wait4). `rounds.py RUNS OUT LIST` runs the
# commands of LIST (a JSON object: label -> argv) in turn, round after round,
# RUNS rounds after one warm-up round, and prints "label cpu wall" (medians)
# for each: commands that are compared share the machine's ups and downs,
# instead of one getting a quiet minute and the other a busy one.
cat >"$work/rounds.py" <<'PY'
import json, os, statistics, sys, time
runs, out, commands = int(sys.argv[1]), sys.argv[2], json.load(open(sys.argv[3]))
def once(cmd):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        os.execv(cmd[0], cmd)
    _, _, usage = os.wait4(pid, 0)
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start
for cmd in commands.values():
    once(cmd)
times = {label: [] for label in commands}
for _ in range(runs):
    for label, cmd in commands.items():
        times[label].append(once(cmd))
for label, pairs in times.items():
    cpu, wall = zip(*pairs)
    print(f"{label} {statistics.median(cpu):.6f} {statistics.median(wall):.6f}")
PY
# A list of commands for rounds.py: `new_list`, then `add LABEL ARGV...`.
list="$work/commands.json"
new_list() { echo '{}' >"$list"; }
add() {
    python3 -c 'import json, sys
l = json.load(open(sys.argv[1])); l[sys.argv[2]] = sys.argv[3:]
json.dump(l, open(sys.argv[1], "w"))' "$list" "$@"
}
# rounds RUNS: times the list; the medians go to cpu[LABEL] and wall[LABEL].
rounds() {
    local label c w
    while read -r label c w; do
        cpu[$label]=$c
        wall[$label]=$w
    done < <(python3 "$work/rounds.py" "$1" "$work/out" "$list")
}
# measure RUNS CMD...: "cpu wall" of one command (the hostile inputs).
measure() {
    local n="$1"
    shift
    new_list
    add one "$@"
    python3 "$work/rounds.py" "$n" "$work/out" "$list" | cut -d' ' -f2-
}
# rss CMD...: the median peak RSS of CMD in KiB (GNU time), over 3 runs.
rss() {
    local peaks=()
    for _ in 1 2 3; do
        /usr/bin/time -f '%M' -o "$work/peak" "$@" >"$work/out" 2>/dev/null || true
        peaks+=("$(tail -1 "$work/peak")")
    done
    printf '%s\n' "${peaks[@]}" | sort -n | sed -n 2p
}

declare -A cpu wall peak bytes
echo "akspol benchmark: $(nproc) cores, $(uname -sr), as of $as_of, median of $runs rounds"
# Every command of the table, timed together in rounds.
new_list
for n in 100 1000 10000; do
    "$bin/akspol-fleetgen" generate --deployments "$n" --dir "$work/fleet$n" >/dev/null 2>&1
    bytes[$n]=$(cat "$work/fleet$n"/*.json | wc -c)
    add "floor$n" "$bin/akspol-fleetgen" floor "$work/fleet$n"
    for mode in json table summary; do
        case $mode in
            json) args=(--format json) ;;
            table) args=(--format table) ;;
            summary) args=(--summary-only) ;;
        esac
        cmd=("$bin/akspol" check --as-of "$as_of" "${args[@]}" "$work/fleet$n")
        add "$mode$n" "${cmd[@]}"
        peak[$mode$n]=$(rss "${cmd[@]}")
    done
done
"$bin/akspol-fleetgen" generate --deployments 1 --clusters 10 --nodes 7000 --dir "$work/big" >/dev/null 2>&1
big="$work/big/$(ls "$work/big")"
bytes[big]=$(wc -c <"$big")
add floorbig "$bin/akspol-fleetgen" floor "$big"
big_cmd=("$bin/akspol" check --as-of "$as_of" --format json "$big")
add jsonbig "${big_cmd[@]}"
peak[jsonbig]=$(rss "${big_cmd[@]}")
rounds "$runs"
# One small check: the bundled example, against the process that only starts.
new_list
add small "$bin/akspol" check --as-of 2026-11-23 fixtures/examples/contoso.json
add version "$bin/akspol" --version
rounds $((runs * 40))

echo
printf '%-12s %8s  %-22s' input MB "floor cpu (wall)"
printf '  %-39s' "check --format json" "check --format table" "check --summary-only"
echo
for n in 100 1000 10000 big; do
    label="$n deployments"
    [ "$n" = big ] && label="1 inventory"
    modes=(json table summary)
    [ "$n" = big ] && modes=(json)
    line=$(awk -v l="$label" -v b="${bytes[$n]}" -v c="${cpu[floor$n]}" -v w="${wall[floor$n]}" \
        'BEGIN { printf "%-16s %6.1f  %.3f s (%.3f s)      ", l, b/1e6, c, w }')
    for mode in "${modes[@]}"; do
        line+=$(awk -v c="${cpu[$mode$n]}" -v w="${wall[$mode$n]}" -v f="${cpu[floor$n]}" -v b="${bytes[$n]}" -v k="${peak[$mode$n]}" \
            'BEGIN { printf "  %.3f s %4.1fx, %.3f s, %4.0f MB/s, %5.1f MiB", c, c/f, w, b/1e6/w, k/1024 }')
    done
    echo "$line"
done
echo "(cpu s, x the floor's cpu, wall s, input MB/s, peak RSS)"

echo
echo "targets (issue 17):"
unmet=0
target() { # label figure limit unit
    local verdict
    verdict=$(awk -v f="$2" -v t="$3" 'BEGIN { print (f <= t) ? "met" : "NOT MET" }')
    [ "$verdict" = met ] || unmet=$((unmet + 1))
    printf '  %-62s %8s  (target %s%s)  %s\n' "$1" "$(awk -v f="$2" -v u="$4" 'BEGIN { printf "%.2f%s", f, u }')" "$3" "$4" "$verdict"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
mib() { awk -v k="$1" 'BEGIN { print k / 1024 }'; }
target "check --format json, 1,000 deployments: CPU / the floor's" "$(ratio "${cpu[json1000]}" "${cpu[floor1000]}")" 6 x
target "check --format table, 1,000 deployments: CPU / the floor's" "$(ratio "${cpu[table1000]}" "${cpu[floor1000]}")" 6 x
for mode in json table summary; do
    name="check --format $mode"
    [ "$mode" = summary ] && name="check --summary-only"
    target "$name: CPU of 10,000 deployments / of 1,000" "$(ratio "${cpu[${mode}10000]}" "${cpu[${mode}1000]}")" 11 x
    target "$name: peak RSS of 10,000 deployments / of 1,000" "$(ratio "${peak[${mode}10000]}" "${peak[${mode}1000]}")" 1.5 x
    target "$name: peak RSS of 10,000 deployments" "$(mib "${peak[${mode}10000]}")" 150 " MiB"
done
target "one $(awk -v b="${bytes[big]}" 'BEGIN { printf "%.1f", b/1e6 }') MB inventory: peak RSS / its size" \
    "$(awk -v k="${peak[jsonbig]}" -v b="${bytes[big]}" 'BEGIN { print k*1024/b }')" 3 x
target "a small check: wall time over akspol --version" \
    "$(awk -v s="${wall[small]}" -v v="${wall[version]}" 'BEGIN { print (s - v) * 1000 }')" 1.5 " ms"
if [ "$unmet" -eq 0 ]; then
    echo "  every target met"
else
    echo "  $unmet targets not met"
fi

# The hostile inputs of tools/src/hostile.rs at full size (tests/hostile.rs
# runs them at a sixteenth and a quarter and compares the times), timed here
# on the release build. `{server}` is
# a local HTTP server of the case's directory (python3's http.server).
"$bin/akspol-fleetgen" hostile "$work/hostile"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/hostile" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
echo
echo "hostile inputs (median wall time of $runs runs):"
for case in "$work"/hostile/*/; do
    name=$(basename "$case")
    mapfile -t args < <(sed "s#{server}#http://127.0.0.1:$port/$name#" "$case/args")
    read -r _ seconds < <(cd "$case" && NO_PROXY="*" measure "$runs" "$bin/akspol" "${args[@]}")
    printf '  %-22s %7.3f s\n' "$name" "$seconds"
done
(cd "$work/hostile/node-list" && mapfile -t args < args &&
    /usr/bin/time -o "$work/peak" -f '%M' "$bin/akspol" "${args[@]}" >/dev/null 2>&1) || true
awk -v k="$(tail -1 "$work/peak")" -v b="$(wc -c <"$work/hostile/node-list/inventory.json")" \
    'BEGIN { printf "  node-list peak RSS %.1f MB (%.1fx its %.1f MB)\n", k*1024/1e6, k*1024/b, b/1e6 }'
