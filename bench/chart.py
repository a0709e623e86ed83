#!/usr/bin/python3
"""chart.py HISTORY_DIR OUT.svg|OUT.png [--last N]

Latency per benchmark over the history: one small panel per connect()
path, one line per backend (or per variant), x = run (oldest left), y =
median real time per call in ns, with the interquartile range as error
bars. Reads every *.json in HISTORY_DIR in name order (run.sh names them by
UTC time). Exit 2 on bad input.
"""
import argparse
import glob
import math
import os
import sys
from statistics import median, quantiles

import matplotlib

matplotlib.use("Agg")  # files only; no display on CI machines
import matplotlib.pyplot as plt  # noqa: E402

import benchjson  # noqa: E402


def series(runs):
    """{path: {variant: [(run_index, median, q1, q3), ...]}} in run order."""
    out = {}
    for i, run in enumerate(runs):
        for name, s in run.samples.items():
            path, variant = benchjson.split_name(name)
            q1, _, q3 = quantiles(s, n=4) if len(s) > 1 else (s[0], s[0], s[0])
            out.setdefault(path, {}).setdefault(variant, []).append((i, median(s), q1, q3))
    return out


def draw(runs, out_path):
    data = series(runs)
    cols = 4
    rows = math.ceil(len(data) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False)
    labels = [os.path.basename(r.path).removesuffix(".json") for r in runs]
    for ax, (path, variants) in zip(axes.flat, data.items()):
        for variant, points in variants.items():
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            err = [[p[1] - p[2] for p in points], [p[3] - p[1] for p in points]]
            ax.errorbar(xs, ys, yerr=err, marker="o", markersize=3, capsize=2, label=variant)
        ax.set_title(path, fontsize=9)
        ax.set_ylabel("ns / call", fontsize=8)
        ax.set_ylim(bottom=0)
        ax.set_xticks(range(len(runs)))
        ax.set_xticklabels(labels if len(runs) <= 6 else [""] * len(runs),
                           rotation=30, ha="right", fontsize=6)
        ax.tick_params(axis="y", labelsize=7)
        ax.legend(fontsize=6)
    for ax in list(axes.flat)[len(data):]:
        ax.axis("off")
    fig.suptitle(f"connect() latency over {len(runs)} run(s): median, bars = interquartile range")
    fig.tight_layout()
    fig.savefig(out_path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("history")
    ap.add_argument("out")
    ap.add_argument("--last", type=int, default=30, help="newest N runs (default 30)")

    error = benchjson.one_line_errors(ap, "chart.py")
    args = ap.parse_args(argv)
    if not args.out.endswith((".svg", ".png")):
        error(f"{args.out}: the chart is written as .svg or .png")
    files = sorted(glob.glob(os.path.join(args.history, "*.json")))[-args.last:]
    if not files:
        error(f"{args.history}: no run files (*.json)")
    try:
        runs = [benchjson.load(f) for f in files]
    except benchjson.BadInput as e:
        error(str(e))
    draw(runs, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
