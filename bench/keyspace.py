#!/usr/bin/env python3
"""Tables and a plot from bench/keyspace.sh's measurements.

Usage: keyspace.py KEYSPACE_JSON MEMORY_MD OUTPUT_MD OUTPUT_SVG

KEYSPACE_JSON is JMH's JSON result of KeyspaceBenchmark and MetricsScrapeBenchmark; MEMORY_MD the
rows MemoryFootprint printed. Writes the tables as Markdown and the closed-call cost against the
number of live keys as an SVG line chart (log scale of keys), drawn here from the data: standard
library only, no plotting package.
"""

import json
import math
import sys

SERIES = [
    ("sameKey", "one key, called again and again", "#1f77b4"),
    ("spreadKeys", "every key in turn (shuffled)", "#d62728"),
    ("spreadKeysMapOnly", "the same keys in a plain map, no breaker", "#7f7f7f"),
]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def alloc(run):
    for key in ("gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm"):
        if key in run.get("secondaryMetrics", {}):
            return run["secondaryMetrics"][key]["score"]
    return None


def keyspace(runs):
    """{method: {keys: (score ns, error, bytes/op)}}."""
    out = {}
    for r in runs:
        method = r["benchmark"].rsplit(".", 1)[-1]
        if "KeyspaceBenchmark" not in r["benchmark"]:
            continue
        keys = int(r["params"]["keys"])
        m = r["primaryMetric"]
        out.setdefault(method, {})[keys] = (m["score"], float(m["scoreError"]), alloc(r))
    return out


def scrape(runs):
    return [r for r in runs if "MetricsScrapeBenchmark" in r["benchmark"]]


def fmt(score, error):
    err = "" if math.isnan(error) else f" ± {error:.1f}"
    return f"{score:,.1f}{err}"


def tables(runs, memory_rows):
    data = keyspace(runs)
    lines = ["| closed call through `registry.call(key, ...)`, ns/op (B/op) | 1 key | 1,000 keys | 100,000 keys | 100,000 / 1 |",
             "| --- | --- | --- | --- | --- |"]
    for method, label, _ in SERIES:
        row = data.get(method, {})
        if not row:
            continue
        cells = []
        for keys in (1, 1000, 100000):
            if keys in row:
                score, error, b = row[keys]
                cells.append(fmt(score, error) + ("" if b is None else f" ({b:.0f} B)"))
            else:
                cells.append("")
        ratio = row[100000][0] / row[1][0] if 1 in row and 100000 in row else float("nan")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {ratio:.2f}x |")
    lines += ["", "| Prometheus scrape | breakers | ms/op |", "| --- | --- | --- |"]
    for r in scrape(runs):
        m = r["primaryMetric"]
        lines.append(f"| `{r['benchmark'].rsplit('.', 1)[-1]}` | {r['params']['breakers']} | "
                     f"{fmt(m['score'], float(m['scoreError']))} |")
    lines += ["", "| memory | |", "| --- | --- |"] + memory_rows
    return "\n".join(lines) + "\n"


def svg(runs):
    data = keyspace(runs)
    width, height, left, right, top, bottom = 640, 360, 70, 50, 30, 80
    xs = [1, 1000, 100000]
    ymax = max((v[0] for series in data.values() for v in series.values()), default=1)
    ymax = 10 ** math.ceil(math.log10(ymax))

    def x(keys):
        return left + (math.log10(keys) / math.log10(xs[-1])) * (width - left - right)

    def y(ns):
        return top + (1 - math.log10(max(ns, 1)) / math.log10(ymax)) * (height - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14">'
           'Closed call cost as live keys grow (log-log, lower is better)</text>']
    decade = 1
    while decade <= ymax:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(decade):.1f}" y2="{y(decade):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">{decade:,} ns</text>')
        decade *= 10
    for keys in xs:
        out.append(f'<line x1="{x(keys):.1f}" x2="{x(keys):.1f}" y1="{top}" y2="{height - bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{x(keys):.1f}" y="{height - bottom + 16}" text-anchor="middle">{keys:,} keys</text>')
    legend_y = height - bottom + 36
    for i, (method, label, colour) in enumerate(SERIES):
        series = data.get(method)
        if not series:
            continue
        points = " ".join(f"{x(k):.1f},{y(series[k][0]):.1f}" for k in sorted(series))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for k in sorted(series):
            out.append(f'<circle cx="{x(k):.1f}" cy="{y(series[k][0]):.1f}" r="3" fill="{colour}">'
                       f'<title>{label}: {series[k][0]:.1f} ns at {k:,} keys</title></circle>')
        ly = legend_y + i * 14
        out.append(f'<line x1="{left}" x2="{left + 20}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{left + 26}" y="{ly}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    runs_path, memory_path, md_path, svg_path = sys.argv[1:5]
    runs = load(runs_path)
    with open(memory_path, encoding="utf-8") as f:
        memory_rows = [line.rstrip("\n") for line in f if line.startswith("|")]
    text = tables(runs, memory_rows)
    with open(md_path, "w", encoding="utf-8") as f:
        f.write(text)
    with open(svg_path, "w", encoding="utf-8") as f:
        f.write(svg(runs))
    print(text)
    print(f"Wrote {md_path} and {svg_path}")


if __name__ == "__main__":
    main()
