#!/usr/bin/python3
"""compare.py BASELINE.json NEW.json [--threshold 0.10] [--alpha 0.10] [--min-repetitions 9]

conncheck's regression policy over Google Benchmark's own comparison
(the gbench module of Debian's libbenchmark-tools, the one behind its
compare.py): gbench reads the two runs, pairs their benchmarks by name and
runs its Mann-Whitney U test (two-sided) over the per-repetition real times.
What is left here is the policy gbench does not have. A benchmark is a
REGRESSION when both hold:
  - gbench's U test gives p < alpha, and
  - the median real time grew by more than the threshold (relative).
The test says the difference is real; the threshold says it matters and,
the test being two-sided, which way it went. alpha is 0.10 by default: a
two-sided p below 0.10 in the direction of the median's change is a
one-sided p below 0.05 (scipy's two-sided p is twice the smaller one-sided
one), the level this tool tested at when it ran its own one-sided test.
Exit: 0 no regression, 1 at least one regression, 2 bad input (one line).
"""
import argparse
import sys
from statistics import median

import benchjson

GBENCH_DIR = "/usr/share/benchmark"  # where Debian's libbenchmark-tools installs gbench
sys.path.insert(0, GBENCH_DIR)
try:
    from gbench import report as gbench_report
    from gbench import util as gbench_util
except ImportError as e:  # not installed, or its scipy/numpy missing
    print(f"compare.py: cannot import Google Benchmark's gbench from {GBENCH_DIR} (Debian "
          f"package libbenchmark-tools, installed by ci/setup.sh): {e}", file=sys.stderr)
    sys.exit(2)


def load(path, min_repetitions):
    """The run, read by gbench and checked by benchjson (repetitions,
    skipped benchmarks, one-line reasons); raises benchjson.BadInput."""
    run = benchjson.load(path, min_repetitions, read=gbench_util.load_benchmark_results)
    for i, b in enumerate(run.doc["benchmarks"]):
        if (b.get("run_type", "iteration") == "iteration" and not b.get("error_occurred")
                and not isinstance(b.get("cpu_time"), (int, float))):
            raise benchjson.BadInput(f"{path}: benchmarks[{i}] has no cpu_time "
                                     "(gbench's U test reads it)")
    return run


def gbench_input(run):
    """The run as gbench is given it: the per-repetition entries of the
    benchmarks that ran, named as the table names them (the aggregates,
    which share their benchmark's run_name, and the errored entries, which
    carry a real_time of 0, are left out), in ns."""
    entries = []
    for b in run.doc["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        scale = benchjson.UNIT_NS[b.get("time_unit", "ns")]
        entries.append({**b, "name": benchjson.display_name(b.get("run_name", b.get("name"))),
                        "real_time": b["real_time"] * scale,
                        "cpu_time": b["cpu_time"] * scale, "time_unit": "ns"})
    return gbench_util.sort_benchmark_results({"benchmarks": entries})


def verdict(change, p, threshold, alpha):
    """conncheck's policy for one benchmark that is in both runs."""
    if p is None:
        return "no U test"
    if not p < alpha:  # also NaN
        return "same"
    if change > threshold:
        return "REGRESSION"
    if change < -threshold:
        return "faster"
    return "differs (within threshold)"


def compare(base, new, threshold, alpha):
    """Rows (name, base_median, new_median, change, p, verdict), in the new
    run's order; p is gbench's two-sided U test over the real times."""
    diff = {d["name"]: d for d in gbench_report.get_difference_report(
        gbench_input(base), gbench_input(new), utest=True)}
    rows = []
    for name, new_s in new.samples.items():
        if name not in base.samples:
            rows.append((name, None, median(new_s), None, None, "new"))
            continue
        b_med, n_med = median(base.samples[name]), median(new_s)
        change = gbench_report.calculate_change(b_med, n_med)
        p = diff.get(name, {}).get("utest", {}).get("time_pvalue")
        rows.append((name, b_med, n_med, change, p, verdict(change, p, threshold, alpha)))
    for name in base.samples:
        if name not in new.samples:
            why = "skipped in new run" if name in new.skipped else "missing in new run"
            rows.append((name, median(base.samples[name]), None, None, None, why))
    return rows


def format_table(rows, threshold, alpha):
    """The table report/load_bench.py reads: one row per benchmark, six
    whitespace-separated columns, the verdict last."""
    def ns(v):
        return "-" if v is None else f"{v:,.1f}"

    header = ("benchmark", "base ns", "new ns", "change", "p(U)", "verdict")
    body = [(r[0], ns(r[1]), ns(r[2]),
             "-" if r[3] is None else f"{r[3]:+.1%}",
             "-" if r[4] is None or r[4] != r[4] else f"{r[4]:.4f}", r[5]) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    lines = ["  ".join(str(c).ljust(w) if i in (0, 5) else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(line, widths))).rstrip()
             for line in [header] + body]
    lines.insert(1, "-" * len(lines[0]))
    lines.append(f"(median real time per call in ns; p: Google Benchmark's two-sided Mann-Whitney "
                 f"U test (gbench); flagged when p < {alpha} and the median is slower by more "
                 f"than {threshold:.0%})")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("baseline")
    p.add_argument("new")
    p.add_argument("--threshold", type=float, default=0.10,
                   help="relative slowdown of the median that matters (default 0.10)")
    p.add_argument("--alpha", type=float, default=0.10,
                   help="significance level of gbench's two-sided U test (default 0.10: "
                        "one-sided 0.05 in the direction of the change)")
    p.add_argument("--min-repetitions", type=int,
                   default=gbench_report.UTEST_OPTIMAL_REPETITIONS,
                   help="fewer repetitions in either run is bad input (default "
                        f"{gbench_report.UTEST_OPTIMAL_REPETITIONS}, gbench's "
                        "'lowest reasonable number' for the U test)")

    error = benchjson.one_line_errors(p, "compare.py")
    args = p.parse_args(argv)
    if not 0 <= args.threshold < 10:
        error(f"--threshold {args.threshold}: expected a fraction such as 0.10")
    if not 0 < args.alpha < 1:
        error(f"--alpha {args.alpha}: expected a level between 0 and 1")
    if args.min_repetitions < gbench_report.UTEST_MIN_REPETITIONS:
        error(f"--min-repetitions {args.min_repetitions}: gbench's U test needs at least "
              f"{gbench_report.UTEST_MIN_REPETITIONS}")
    return args


def main(argv):
    args = parse_args(argv)
    try:
        base = load(args.baseline, args.min_repetitions)
        new = load(args.new, args.min_repetitions)
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
