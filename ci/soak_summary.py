#!/usr/bin/python3
"""soak_summary.py SOAK.csv [--md OUT.md] [--svg OUT.svg] [--max-growth-mb-per-hour 32]

Reads ci/soak.sh's samples (seconds,target,rss_kb,fds,execs) and says, per
fuzz process, whether RSS and the open-fd count stayed flat.

Flat means, over the second half of the run (the first half includes the
corpus load and libFuzzer's tables filling, which are expected growth):
  - the open-fd count never went above the first half's highest (an input
    holds a few sockets while it runs, so samples vary by a few; a leak
    climbs past every earlier value), and
  - the least-squares RSS slope, projected over an hour, is below the limit
    (libFuzzer keeps new corpus inputs in memory, so a few MB an hour is
    coverage, not a leak; a per-input leak of even 100 bytes at 1,000
    execs/s is 360 MB an hour).
Exit: 0 all flat, 1 growth, 2 bad input.
"""
import argparse
import csv
import sys
from collections import defaultdict

from scipy.stats import linregress


def load(path):
    rows = defaultdict(list)
    try:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                rows[r["target"]].append((int(r["seconds"]), int(r["rss_kb"]), int(r["fds"]), int(r["execs"])))
    except (OSError, KeyError, ValueError) as e:
        print(f"soak_summary.py: {path}: {e}", file=sys.stderr)
        sys.exit(2)
    if not rows:
        print(f"soak_summary.py: {path}: no samples", file=sys.stderr)
        sys.exit(2)
    return rows


def assess(samples, limit_mb_per_hour):
    early, half = samples[:len(samples) // 2], samples[len(samples) // 2:]
    first, last = samples[0], samples[-1]
    fds_ceiling = max(s[2] for s in early) if early else first[2]
    fds_over = max(s[2] for s in half) > fds_ceiling
    slope_kb_s = linregress([s[0] for s in half], [s[1] for s in half]).slope if len(half) >= 3 else 0.0
    growth_mb_h = slope_kb_s * 3600 / 1024
    flat = not fds_over and growth_mb_h < limit_mb_per_hour
    return {
        "seconds": last[0], "execs": last[3],
        "rss_first_mb": first[1] / 1024, "rss_half_mb": half[0][1] / 1024,
        "rss_last_mb": last[1] / 1024, "rss_peak_mb": max(s[1] for s in samples) / 1024,
        "fds_first": first[2], "fds_last": last[2], "fds_ceiling": fds_ceiling,
        "fds_peak": max(s[2] for s in samples),
        "growth_mb_per_hour": growth_mb_h, "flat": flat,
    }


def markdown(results, limit):
    lines = ["| target | run s | execs | RSS first / mid / last / peak (MB) | RSS slope, 2nd half (MB/h) | fds first / last / peak | verdict |",
             "|---|---:|---:|---|---:|---|---|"]
    for t, r in results.items():
        lines.append(f"| {t} | {r['seconds']} | {r['execs']:,} | {r['rss_first_mb']:.1f} / {r['rss_half_mb']:.1f} / "
                     f"{r['rss_last_mb']:.1f} / {r['rss_peak_mb']:.1f} | {r['growth_mb_per_hour']:+.2f} | "
                     f"{r['fds_first']} / {r['fds_last']} / {r['fds_peak']} | {'flat' if r['flat'] else 'GROWTH'} |")
    lines.append("")
    lines.append(f"Flat: over the second half of the run, no fd count above the first half's highest, "
                 f"and the RSS slope below {limit} MB/h.")
    return "\n".join(lines) + "\n"


def chart(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a, b) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
    for t, s in rows.items():
        a.plot([x[0] / 60 for x in s], [x[1] / 1024 for x in s], label=t)
        b.plot([x[0] / 60 for x in s], [x[2] for x in s], label=t)
    a.set_ylabel("RSS (MB)")
    b.set_ylabel("open fds")
    b.set_xlabel("minutes")
    a.legend(fontsize="small")
    a.grid(alpha=0.3)
    b.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("--md")
    ap.add_argument("--svg")
    ap.add_argument("--max-growth-mb-per-hour", type=float, default=32.0)
    args = ap.parse_args(argv)
    rows = load(args.csv)
    results = {t: assess(s, args.max_growth_mb_per_hour) for t, s in rows.items()}
    md = markdown(results, args.max_growth_mb_per_hour)
    print(md, end="")
    if args.md:
        with open(args.md, "w") as f:
            f.write(md)
    if args.svg:
        chart(rows, args.svg)
    return 0 if all(r["flat"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
