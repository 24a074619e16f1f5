#!/usr/bin/env python3
"""Prints the fusebox-bench results as tables and writes them as Markdown.

Usage: report.py RESULTS_JSON [OUTPUT_MD]

RESULTS_JSON is a JMH JSON result file (-rf json), or several merged into one array, with
runs at any thread counts. Allocation is the gc profiler's normalised rate (B/op), present
when JMH ran with -prof gc. Standard library only.
"""

import datetime
import json
import math
import os
import sys

LIBRARIES = [("fusebox", "Fusebox"), ("resilience4j", "Resilience4j"), ("failsafe", "Failsafe")]
SCENARIOS = ["closedCall", "rejectedCall"]
OTHERS = ["fusebox_rejectedCallAutoOpen", "fusebox_rejectedCallWithFallback", "fusebox_loadShedCheck", "fusebox_shedCall", "baseline_volatileRead"]
# JMH 1.37 names it "gc.alloc.rate.norm"; older versions prefix a middle dot.
ALLOC_KEYS = ["gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm"]


def load(path):
    """{(method name, threads): result entry}."""
    with open(path, encoding="utf-8") as f:
        runs = json.load(f)
    return {(r["benchmark"].rsplit(".", 1)[-1], r["threads"]): r for r in runs}, runs


def ns(result):
    m = result["primaryMetric"]
    if m["scoreUnit"] != "ns/op":
        raise SystemExit(f"expected ns/op, got {m['scoreUnit']} for {result['benchmark']}")
    return m["score"], m["scoreError"]


def alloc(result):
    for key in ALLOC_KEYS:
        if key in result.get("secondaryMetrics", {}):
            return result["secondaryMetrics"][key]["score"]
    return None


def fmt_ns(score, error):
    digits = 2 if score < 10 else 1 if score < 1000 else 0
    error = float(error)  # JMH writes "NaN" (a string) when there is a single iteration
    err = "" if math.isnan(error) else f" ± {error:.{digits}f}"
    return f"{score:,.{digits}f}{err}"


def fmt_bytes(b):
    if b is None:
        return "n/a"
    if b < 0.05:
        return "0"
    return f"{b:.1f}" if b < 10 else f"{b:,.0f}"


def fmt_ratio(a, b):
    return f"{a / b:.3g}x" if a is not None and b else "—"


def markdown_table(header, rows):
    """A Markdown table padded to column width, readable as plain text too."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    right = [i > 0 for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(
            str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(cells, widths, right)) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if r else ("-" * (w + 2)) for w, r in zip(widths, right)) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def comparison(results, threads):
    header = ["Scenario", "Threads"]
    for _, name in LIBRARIES:
        header += [f"{name} ns/op", f"{name} B/op"]
    header += ["Fusebox/Resilience4j", "Fusebox/Failsafe"]
    rows = []
    for scenario in SCENARIOS:
        for t in threads:
            row = [scenario, str(t)]
            scores = {}
            for prefix, _ in LIBRARIES:
                r = results.get((f"{prefix}_{scenario}", t))
                if r is None:
                    row += ["—", "—"]
                    scores[prefix] = None
                    continue
                score, error = ns(r)
                scores[prefix] = score
                row += [fmt_ns(score, error), fmt_bytes(alloc(r))]
            if scores["fusebox"] is None:
                row += ["—", "—"]
            else:
                row += [fmt_ratio(scores["fusebox"], scores["resilience4j"]),
                        fmt_ratio(scores["fusebox"], scores["failsafe"])]
            rows.append(row)
    return markdown_table(header, rows)


def others(results, threads):
    header = ["Benchmark", "Threads", "ns/op", "B/op"]
    rows = []
    for name in OTHERS:
        for t in threads:
            r = results.get((name, t))
            if r is None:
                continue
            score, error = ns(r)
            rows.append([name, str(t), fmt_ns(score, error), fmt_bytes(alloc(r))])
    return markdown_table(header, rows)


def main(argv):
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    results, runs = load(argv[1])
    if not runs:
        raise SystemExit(f"no results in {argv[1]}")
    threads = sorted({t for _, t in results})
    first = runs[0]
    measurement = (f"{first['measurementIterations']} x {first['measurementTime']}, "
                   f"warmup {first['warmupIterations']} x {first['warmupTime']}, {first['forks']} fork")
    env = (f"JDK {first.get('jdkVersion', '?')} ({first.get('vmName', '?')}), "
           f"{os.cpu_count()} CPUs, {measurement}")
    date = datetime.datetime.fromtimestamp(os.path.getmtime(argv[1])).strftime("%Y-%m-%d %H:%M")

    text = "\n".join([
        "# Fusebox benchmarks",
        "",
        f"{date}. {env}.",
        "",
        "Average time per call (± 99.9% confidence interval) and bytes allocated per call (`-prof gc`);",
        "a ratio below 1 means Fusebox is faster. Produced by `bench/run.sh` from `fusebox-bench`.",
        "",
        "- Fusebox: injected load (0.1, or 0.95 to shed), sampled once; every other setting at its default,",
        "  background logging included. Rejected: tripped by an operator (latched open). Contexts are constants.",
        "- Resilience4j: `CircuitBreaker.ofDefaults`, `executeSupplier`. Rejected: forced open,",
        "  `writableStackTraceEnabled(false)`.",
        "- Failsafe: `Failsafe.with(CircuitBreaker.ofDefaults()).get`, executor built once. Rejected: `open()`,",
        "  1 h delay (its exception keeps its stack trace; there is no option to drop it).",
        "- Threads share one breaker per benchmark. Times are per call on each thread.",
        "",
        "## Call through a closed breaker, call rejected by an open breaker",
        "",
        comparison(results, threads),
        "",
        "## Fusebox only: rejection without an exception, load shedding",
        "",
        "`fusebox_rejectedCallAutoOpen`: rejected by a breaker that opened itself after real failures "
        "(automatic recovery, trial calls in 1 h), which is Resilience4j's open state; "
        "`fusebox_rejectedCallWithFallback`: the rejected call through `call(callable, ctx, fallback)`; "
        "`fusebox_loadShedCheck`: a heavy call (estimated load 200) admitted at load 0.1 (one extra volatile read); "
        "`fusebox_shedCall`: the same call shed at load 0.95.",
        "",
        others(results, threads),
        "",
    ])
    print(text, end="")
    if len(argv) == 3:
        with open(argv[2], "w", encoding="utf-8") as f:
            f.write(text)
        print(f"\nWritten to {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
