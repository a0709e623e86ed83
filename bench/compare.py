#!/usr/bin/python3
"""compare.py BASELINE.json NEW.json [--threshold 0.10] [--alpha 0.05]

Compares two Google Benchmark runs (JSON, with repetitions) benchmark by
benchmark. A benchmark is a REGRESSION when both hold:
  - Mann-Whitney U (one-sided: NEW slower than BASELINE) over the
    per-repetition real times gives p < alpha, and
  - the median real time grew by more than the threshold (relative).
The test says the difference is real; the threshold says it matters.
Exit: 0 no regression, 1 at least one regression, 2 bad input (one line).
"""
import argparse
import sys
from statistics import median

from scipy.stats import mannwhitneyu

import benchjson

MIN_REPETITIONS = 9  # below this, U cannot reach small p-values reliably


def compare(base, new, threshold, alpha):
    """Rows (name, base_median, new_median, change, p_slower, verdict),
    in the new run's order."""
    rows = []
    for name, new_s in new.samples.items():
        if name not in base.samples:
            rows.append((name, None, median(new_s), None, None, "new"))
            continue
        base_s = base.samples[name]
        b_med, n_med = median(base_s), median(new_s)
        change = n_med / b_med - 1.0 if b_med > 0 else 0.0
        p_slower = mannwhitneyu(new_s, base_s, alternative="greater").pvalue
        p_faster = mannwhitneyu(new_s, base_s, alternative="less").pvalue
        if p_slower < alpha and change > threshold:
            verdict = "REGRESSION"
        elif p_faster < alpha and change < -threshold:
            verdict = "faster"
        elif p_slower < alpha or p_faster < alpha:
            verdict = "differs (within threshold)"
        else:
            verdict = "same"
        rows.append((name, b_med, n_med, change, p_slower, verdict))
    for name in base.samples:
        if name not in new.samples:
            why = "skipped in new run" if name in new.skipped else "missing in new run"
            rows.append((name, median(base.samples[name]), None, None, None, why))
    return rows


def format_table(rows, threshold, alpha):
    def ns(v):
        return "-" if v is None else f"{v:,.1f}"

    header = ("benchmark", "base ns", "new ns", "change", "p(slower)", "verdict")
    body = [(r[0], ns(r[1]), ns(r[2]),
             "-" if r[3] is None else f"{r[3]:+.1%}",
             "-" if r[4] is None else f"{r[4]:.4f}", r[5]) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    lines = ["  ".join(str(c).ljust(w) if i in (0, 5) else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(line, widths))).rstrip()
             for line in [header] + body]
    lines.insert(1, "-" * len(lines[0]))
    lines.append(f"(median real time per call in ns; flagged when a one-sided Mann-Whitney U "
                 f"test gives p < {alpha} and the median is slower by more than {threshold:.0%})")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("baseline")
    p.add_argument("new")
    p.add_argument("--threshold", type=float, default=0.10,
                   help="relative slowdown of the median that matters (default 0.10)")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="significance level of the U test (default 0.05)")
    p.add_argument("--min-repetitions", type=int, default=MIN_REPETITIONS)

    error = benchjson.one_line_errors(p, "compare.py")
    args = p.parse_args(argv)
    if not 0 <= args.threshold < 10:
        error(f"--threshold {args.threshold}: expected a fraction such as 0.10")
    if not 0 < args.alpha < 1:
        error(f"--alpha {args.alpha}: expected a level between 0 and 1")
    return args


def main(argv):
    args = parse_args(argv)
    try:
        base = benchjson.load(args.baseline, args.min_repetitions)
        new = benchjson.load(args.new, args.min_repetitions)
    except benchjson.BadInput as e:
        print(f"compare.py: {e}", file=sys.stderr)
        return 2
    rows = compare(base, new, args.threshold, args.alpha)
    print(format_table(rows, args.threshold, args.alpha))
    regressions = [r[0] for r in rows if r[5] == "REGRESSION"]
    if regressions:
        print(f"{len(regressions)} regression(s): {', '.join(regressions)}")
        return 1
    print("no regression")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
