#!/usr/bin/python3
"""overhead.py RUN.json [--target 0.03] [--alpha 0.05]

Issue 2 item 10: the libc backend's wrapper overhead, from one run's
overhead_<path>/direct and overhead_<path>/libc_wrapper pairs (same run,
adjacent in time). Overhead = median(wrapper) / median(direct) - 1.
A pair is OVER TARGET when the overhead exceeds the target and the wrapper
is slower by a one-sided Mann-Whitney U test (p < alpha), so noise alone
does not fail a nightly. Exit: 0 within target, 1 over, 2 bad input.
"""
import argparse
import sys
from statistics import median

from scipy.stats import mannwhitneyu

import benchjson


def pairs(run):
    """(path, direct_samples, wrapper_samples) for every complete pair."""
    out = []
    for name, samples in run.samples.items():
        path, variant = benchjson.split_name(name)
        if path.startswith("overhead_") and variant == "direct":
            wrapper = run.samples.get(f"{path}/libc_wrapper")
            if wrapper:
                out.append((path[len("overhead_"):], samples, wrapper))
    return out


def assess(run, target, alpha):
    """Rows (path, direct_ns, wrapper_ns, overhead, p, over_target)."""
    rows = []
    for path, direct, wrapper in pairs(run):
        d, w = median(direct), median(wrapper)
        p = mannwhitneyu(wrapper, direct, alternative="greater").pvalue
        over = w / d - 1.0
        rows.append((path, d, w, over, p, over > target and p < alpha))
    return rows


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run")
    ap.add_argument("--target", type=float, default=0.03)
    ap.add_argument("--alpha", type=float, default=0.05)

    error = benchjson.one_line_errors(ap, "overhead.py")
    args = ap.parse_args(argv)
    try:
        run = benchjson.load(args.run)
    except benchjson.BadInput as e:
        error(str(e))
    rows = assess(run, args.target, args.alpha)
    if not rows:
        error(f"{args.run}: no overhead_*/direct + libc_wrapper pair in this run")
    for path, d, w, over, p, bad in rows:
        print(f"{path:16} direct {d:9.1f} ns  libc wrapper {w:9.1f} ns  overhead {over:+6.1%}"
              f"  p(wrapper slower) {p:.4f}  {'OVER TARGET' if bad else 'ok'}"
              f" (target {args.target:.0%})")
    return 1 if any(r[5] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
