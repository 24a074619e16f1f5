#!/usr/bin/env bash
# Many keys: what a closed call costs as the live keys grow (1, 1,000 and 100,000), what a
# Prometheus scrape of 10,000 breakers takes, and what a breaker costs in memory.
#
#   bench/keyspace.sh              build the jar if missing or older than the sources, run, report
#   bench/keyspace.sh --rebuild    rebuild the jar first
#
# Writes bench/results/keyspace.json (JMH), bench/results/keyspace.md (the tables) and
# docs/keyspace.svg (the plot, from the measured data). About 6 minutes on 2 cores. Needs a
# JDK 17+ (the Maven wrapper fetches the rest) and python3 (standard library only).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/build.sh
source "$BENCH_DIR/build.sh" # ROOT, JAR, RESULTS, JAVA and build_jar

if ! command -v python3 >/dev/null 2>&1; then
    echo "bench/keyspace.sh needs python3 for the tables and the plot (bench/keyspace.py)" >&2
    exit 1
fi
build_jar "$([[ "${1:-}" == "--rebuild" ]] && echo true || echo false)"

mkdir -p "$RESULTS"
echo "=== JMH: closed calls over 1, 1,000 and 100,000 keys; a scrape of 10,000 breakers ==="
"$JAVA" -jar "$JAR" 'KeyspaceBenchmark|MetricsScrapeBenchmark' -f 1 -wi 3 -w 2s -i 4 -r 2s -foe true \
    -prof gc -rf json -rff "$RESULTS/keyspace.json" 2>&1 | tee "$RESULTS/keyspace.txt"

echo "=== Memory ==="
# A fixed heap, so that "heap in use" is not the collector growing the heap as it pleases.
"$JAVA" -Xms1g -Xmx1g -Djol.magicFieldOffset=true -Djdk.attach.allowAttachSelf=true -cp "$JAR" dev.fusebox.bench.MemoryFootprint \
    | tee "$RESULTS/keyspace-memory.md"

python3 "$BENCH_DIR/keyspace.py" "$RESULTS/keyspace.json" "$RESULTS/keyspace-memory.md" \
    "$RESULTS/keyspace.md" "$ROOT/docs/keyspace.svg"
