# Sourced by the bench scripts, which set BENCH_DIR first. Sets the paths they share, and
# build_jar builds fusebox-bench/target/benchmarks.jar when it is missing or older than any
# module's sources or pom (a stale jar would benchmark code that is no longer there);
# build_jar true rebuilds whatever the jar's age.

ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/fusebox-bench/target/benchmarks.jar"
RESULTS="$BENCH_DIR/results"
JAVA="${JAVA:-java}"

build_jar() {
    local rebuild="${1:-false}"
    if [[ "$rebuild" == true || ! -f "$JAR" ]] ||
       [[ -n "$(find "$ROOT" -name target -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$JAR" -print -quit)" ]]; then
        echo "Building $JAR (the first build fetches Maven and the dependencies) ..."
        # -am builds the Fusebox modules from this working tree too, so the jar never benchmarks a
        # stale core. -DskipTests, not -Dmaven.test.skip: fusebox-store-jdbc's build resolves
        # fusebox-core's test jar, which the latter would not package, and a fresh clone has no
        # older copy to fall back on.
        "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" -pl fusebox-bench -am package -DskipTests
    fi
}
