#!/usr/bin/env bash
# Runs the JMH benchmarks of fusebox-bench at 1 and at 2 threads and prints the comparison table.
#
#   bench/run.sh              build the jar if missing or older than the sources, run, report
#   bench/run.sh --rebuild    rebuild the jar first, whatever its age
#   bench/run.sh [--rebuild] [JMH args...]   extra args go to both JMH runs, e.g. a name regex
#                             'closedCall'; a setting given here (-f, -wi, -w, -i, -r, -foe)
#                             replaces the script's, e.g. 'closedCall -wi 1 -i 2 -r 1s' for a quick look
#
# Writes bench/results/t1.json and t2.json (one per thread count), merges them into
# bench/results/latest.json, and writes the table to bench/results/latest.md. The full JMH logs
# go to bench/results/t1.txt and t2.txt (not committed). About 5 minutes on 2 cores.
# Needs a JDK 17+ (the Maven wrapper fetches the rest) and python3 for the report.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/build.sh
source "$BENCH_DIR/build.sh" # ROOT, JAR, RESULTS, JAVA and build_jar

rebuild=false
jmh_extra=()
for arg in "$@"; do
    if [[ "$arg" == "--rebuild" ]]; then
        rebuild=true
    else
        jmh_extra+=("$arg")
    fi
done

# Checked first: finding out after five minutes of benchmarks would waste them.
if ! command -v python3 >/dev/null 2>&1; then
    echo "bench/run.sh needs python3 to merge the results and print the table (bench/report.py)" >&2
    exit 1
fi

# JMH refuses an option given twice, so a setting on the command line replaces the script's.
settings=(-f 1 -wi 3 -w 2s -i 4 -r 2s -foe true)
jmh_args=()
for ((i = 0; i < ${#settings[@]}; i += 2)); do
    given=false
    for arg in ${jmh_extra[@]+"${jmh_extra[@]}"}; do
        [[ "$arg" == "${settings[i]}" ]] && given=true
    done
    [[ "$given" == true ]] || jmh_args+=("${settings[i]}" "${settings[i + 1]}")
done

build_jar "$rebuild"

mkdir -p "$RESULTS"
rm -f "$RESULTS/t1.json" "$RESULTS/t2.json"
start=$SECONDS
for threads in 1 2; do
    echo "=== JMH, $threads thread(s) ==="
    "$JAVA" -jar "$JAR" ${jmh_args[@]+"${jmh_args[@]}"} -t "$threads" \
        -prof gc -rf json -rff "$RESULTS/t$threads.json" -e 'StoreBenchmark|KeyspaceBenchmark|MetricsScrapeBenchmark' \
        ${jmh_extra[@]+"${jmh_extra[@]}"} 2>&1 | tee "$RESULTS/t$threads.txt"
done
elapsed=$((SECONDS - start))

python3 - "$RESULTS/t1.json" "$RESULTS/t2.json" "$RESULTS/latest.json" <<'EOF'
import json, sys
*inputs, output = sys.argv[1:]
merged = []
for path in inputs:
    with open(path, encoding="utf-8") as f:
        merged.extend(json.load(f))
with open(output, "w", encoding="utf-8") as f:
    json.dump(merged, f, indent=2)
    f.write("\n")
EOF

echo
python3 "$BENCH_DIR/report.py" "$RESULTS/latest.json" "$RESULTS/latest.md"
echo
printf 'JMH wall time: %dm%02ds\n' $((elapsed / 60)) $((elapsed % 60))
