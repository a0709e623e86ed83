#!/usr/bin/python3
"""summary.py RUN.json [--compare COMPARE.txt] [--overhead OVERHEAD.txt] > summary.md

A one-page markdown summary of one run: each connect() path as a row, the
three backends as columns, each cell "median ns (x floor)"; then the
wrapper-overhead pairs and, when given, the comparison with the previous
run (the compare tool's own table, verbatim). Exit 2 on bad input.
"""
import argparse
import sys
from statistics import median

import benchjson

BACKENDS = ("libc", "syscall", "io_uring")


def cell(run, name):
    if name in run.skipped:
        return "skipped: " + run.skipped[name].strip().replace("|", "/")
    if name not in run.samples:
        return "-"
    text = f"{median(run.samples[name]):,.0f}"
    if name in run.x_floor:
        text += f" ({median(run.x_floor[name]):.1f}x)"
    return text


def path_rows(run):
    """Path names in run order, for paths measured per backend."""
    seen = []
    for name in list(run.samples) + list(run.skipped):
        path, variant = benchjson.split_name(name)
        if variant in BACKENDS and path not in seen:
            seen.append(path)
    return seen


def render(run, compare_text, overhead_text):
    floor = run.samples.get("floor/getppid")
    lines = [f"# connect() benchmarks: {run.date()}", ""]
    lines.append(f"Host: {run.context.get('host_name', '?')}, "
                 f"{run.context.get('num_cpus', '?')} CPUs.")
    if floor:
        lines.append(f"Floor (`syscall(SYS_getppid)`): {median(floor):.1f} ns as a benchmark, "
                     f"{run.floor_ns():.1f} ns measured before the run (the x ratios use this).")
    reps = max(len(v) for v in run.samples.values())
    lines += ["", f"Median real time per call in ns over {reps} repetitions "
              "(ratio to the floor in brackets).", "",
              "| path | " + " | ".join(BACKENDS) + " |",
              "|---|" + "---:|" * len(BACKENDS)]
    for path in path_rows(run):
        lines.append(f"| {path} | " + " | ".join(cell(run, f"{path}/{b}") for b in BACKENDS) + " |")
    if overhead_text:
        lines += ["", "## Wrapper overhead (libc backend vs direct ::connect, target 3%)", "",
                  "```", overhead_text.rstrip(), "```"]
    if compare_text:
        lines += ["", "## Against the previous run", "", "```", compare_text.rstrip(), "```"]
    return "\n".join(lines) + "\n"


def read_optional(path):
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        print(f"summary.py: {path}: cannot read: {e.strerror}", file=sys.stderr)
        sys.exit(2)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run")
    ap.add_argument("--compare")
    ap.add_argument("--overhead")

    error = benchjson.one_line_errors(ap, "summary.py")
    args = ap.parse_args(argv)
    try:
        run = benchjson.load(args.run)
    except benchjson.BadInput as e:
        error(str(e))
    sys.stdout.write(render(run, read_optional(args.compare), read_optional(args.overhead)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
