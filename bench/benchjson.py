"""Reads Google Benchmark's own JSON output (--benchmark_out_format=json).

One job: turn a run file into per-benchmark samples, or say in one line why
it cannot. The per-repetition entries (run_type "iteration") are the
samples; Google Benchmark's aggregates (mean, median, ...) are ignored, so
the statistics are computed the same way for every file. summary.py,
chart.py and overhead.py read runs with it; compare.py validates with it and
leaves pairing and the U test to Google Benchmark's gbench module.
"""
import json
import sys
import os

# Google Benchmark's time units, as multiples of a nanosecond.
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
_REAL_TIME_SUFFIX = "/real_time"


class BadInput(Exception):
    """A file that is not a usable benchmark run; the message is one line."""


def display_name(run_name):
    """'ebadf/libc/real_time' -> 'ebadf/libc' (the suffix is Google
    Benchmark's marker for UseRealTime, not part of the path)."""
    if run_name.endswith(_REAL_TIME_SUFFIX):
        return run_name[: -len(_REAL_TIME_SUFFIX)]
    return run_name


def split_name(name):
    """'tcp4_econnrefused/io_uring' -> ('tcp4_econnrefused', 'io_uring')."""
    path, _, variant = name.rpartition("/")
    return (path, variant) if path else (name, "")


class Run:
    """One run file: samples[name] = per-repetition real times in ns."""

    def __init__(self, path, doc, samples, x_floor, skipped):
        self.path = path
        self.doc = doc  # the file as read, unchanged
        self.context = doc.get("context") if isinstance(doc.get("context"), dict) else {}
        self.samples = samples  # name -> [ns, ...] in repetition order
        self.x_floor = x_floor  # name -> [ratio, ...] where reported
        self.skipped = skipped  # name -> Google Benchmark's error message

    def floor_ns(self):
        """The floor main() measured before the benchmarks (0 if absent)."""
        try:
            return float(self.context.get("conncheck_floor_ns", 0))
        except ValueError:
            return 0.0

    def date(self):
        return self.context.get("date", "")


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load(path, min_repetitions=1, read=_read_json):
    """Reads `path` with `read` (a function of the path returning the parsed
    JSON); raises BadInput with a one-line reason."""
    try:
        doc = read(path)
    except OSError as e:
        raise BadInput(f"{path}: cannot read: {e.strerror}") from None
    except ValueError as e:  # json.JSONDecodeError, UnicodeDecodeError
        raise BadInput(f"{path}: not JSON: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list):
        raise BadInput(f"{path}: no 'benchmarks' list: not Google Benchmark JSON output")
    samples, ratios, skipped = {}, {}, {}
    order = {}  # name -> registration order (random interleaving shuffles the file)
    saw_aggregate = False
    for i, b in enumerate(doc["benchmarks"]):
        if not isinstance(b, dict) or "run_name" not in b and "name" not in b:
            raise BadInput(f"{path}: benchmarks[{i}] has no name")
        name = display_name(b.get("run_name", b.get("name")))
        fam = b.get("family_index")
        order.setdefault(name, (fam if isinstance(fam, int) else len(order),
                                b.get("per_family_instance_index", 0)))
        if b.get("error_occurred"):
            skipped[name] = b.get("error_message", "error")
            continue
        if b.get("run_type", "iteration") != "iteration":
            saw_aggregate = True
            continue
        unit = b.get("time_unit", "ns")
        if unit not in UNIT_NS or not isinstance(b.get("real_time"), (int, float)):
            raise BadInput(f"{path}: benchmarks[{i}] ({name}) has no usable real_time/time_unit")
        samples.setdefault(name, []).append(b["real_time"] * UNIT_NS[unit])
        if isinstance(b.get("x_floor"), (int, float)):
            ratios.setdefault(name, []).append(b["x_floor"])
    if not samples:
        why = (" (only aggregates: drop --benchmark_report_aggregates_only)"
               if saw_aggregate else "")
        raise BadInput(f"{path}: no per-repetition results{why}")
    for name, values in samples.items():
        if len(values) < min_repetitions:
            raise BadInput(f"{path}: {name} has {len(values)} repetitions, need at least "
                           f"{min_repetitions} (--benchmark_repetitions={min_repetitions})")
    key = lambda name: order[name]  # noqa: E731
    samples = {n: samples[n] for n in sorted(samples, key=key)}
    skipped = {n: skipped[n] for n in sorted(skipped, key=key)}
    return Run(os.path.abspath(path), doc, samples, ratios, skipped)


def one_line_errors(parser, prog):
    """Makes `parser` report bad input as one line and exit 2 (argparse's
    own error prints usage too), and returns that error function so callers
    can report their own checks the same way."""

    def error(message):
        print(f"{prog}: {message}", file=sys.stderr)
        sys.exit(2)

    parser.error = error
    return error
