#!/usr/bin/env python3
"""Draws the peers table (bench/run peers) as one SVG: a panel per scenario, a bar per peer (the
median of its runs), read from the peers-<scenario>.csv files of the given results directories.

    bench/tools/plot-peers.py bench/target/results/peers-A bench/target/results/peers-B ... > docs/img/peers.svg

Only the standard library: the machine has no plotting package.
"""
import csv
import math
import statistics
import sys
from pathlib import Path

PEERS = ["switchboard", "nchan", "ws", "socketio"]
LABELS = {"switchboard": "Switchboard", "nchan": "Nchan", "ws": "ws", "socketio": "Socket.IO"}
COLOURS = {"switchboard": "#2563eb", "nchan": "#16a34a", "ws": "#9333ea", "socketio": "#ea580c"}

# scenario file, column, panel title, unit, whether lower is better, whether the scale is logarithmic
PANELS = [
    ("fanout", "deliveries_per_s", "Fan-out 10,000 × 20/s (WebSocket)", "deliveries/s", False, False),
    ("sse", "deliveries_per_s", "SSE fan-out 10,000 × 20/s", "deliveries/s", False, False),
    ("latency", "p99_ms", "Latency 100 × 1,000/s: p99", "ms, log scale", True, True),
    ("idle", "rss_kib_per_conn", "Idle memory per connection (RSS)", "KiB", True, False),
    ("resume", "all_caught_up_s", "Resume: 10,000 clients × 100 missed", "s until all caught up", True, False),
]


def medians(dirs):
    """{scenario: {peer: {column: median}}} over every row of every directory's CSV."""
    values = {}
    for d in dirs:
        for scenario, column, *_ in PANELS:
            f = Path(d) / f"peers-{scenario}.csv"
            if not f.exists():
                continue
            with f.open() as fh:
                for row in csv.DictReader(fh):
                    try:
                        v = float(row[column])
                    except (KeyError, TypeError, ValueError):
                        continue
                    values.setdefault(scenario, {}).setdefault(row["peer"], []).append(v)
    return {s: {p: statistics.median(v) for p, v in peers.items()} for s, peers in values.items()}


def number(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.2f}".rstrip("0").rstrip(".")


def panel(x, y, w, title, unit, lower_better, log, data):
    out = [f'<text x="{x}" y="{y + 14}" font-size="13" font-weight="bold">{title}</text>',
           f'<text x="{x}" y="{y + 30}" font-size="11" fill="#555">{unit}, median of runs'
           f' ({"lower" if lower_better else "higher"} is better)</text>']
    peers = [p for p in PEERS if p in data]
    if not peers:
        return out + [f'<text x="{x}" y="{y + 60}" font-size="11">no data</text>']
    room = w - 150  # the name on the left, the value on the right
    if log:  # decades from 1 up to the largest value
        top = math.log10(max(10.0, max(data.values())))
        length = {p: room * math.log10(max(1.0, v)) / top for p, v in data.items()}
    else:
        top = max(data.values()) or 1
        length = {p: room * v / top for p, v in data.items()}
    for i, peer in enumerate(peers):
        by = y + 42 + i * 24
        bw = max(1, length[peer])
        out.append(f'<text x="{x}" y="{by + 14}" font-size="12">{LABELS[peer]}</text>')
        out.append(f'<rect x="{x + 85}" y="{by}" width="{bw:.1f}" height="18" fill="{COLOURS[peer]}"/>')
        out.append(f'<text x="{x + 90 + bw:.1f}" y="{by + 14}" font-size="11">{number(data[peer])}</text>')
    return out


def main(dirs):
    data = medians(dirs)
    w, h, cols = 430, 150, 2
    rows = (len(PANELS) + cols - 1) // cols
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{cols * w + 20}" height="{rows * h + 40}"'
           ' font-family="sans-serif">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">Peers side by side (bench/run peers)</text>']
    for i, (scenario, _column, title, unit, lower, log) in enumerate(PANELS):
        x, y = 10 + (i % cols) * w, 36 + (i // cols) * h
        svg += panel(x, y, w - 20, title, unit, lower, log, data.get(scenario, {}))
    svg.append("</svg>")
    print("\n".join(svg))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
