#!/usr/bin/python3
"""Test helper for run files (Google Benchmark JSON).

  runfiles.py slow IN.json OUT.json NAME FACTOR
      copy IN with every repetition of benchmark NAME (display name, e.g.
      'ebadf/syscall') set to FACTOR times its median (real and CPU time)
  runfiles.py merge OUT.json IN.json...
      one run whose repetitions are the per-repetition entries of all INs
      (for runs made with --benchmark_repetitions=1, interleaved in time)
Exit 2 with one line on bad input.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import benchjson  # noqa: E402


def read(path):
    benchjson.load(path)  # validates, or raises BadInput
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def slow(src, dst, name, factor):
    """Every repetition of NAME becomes FACTOR x the median repetition.

    Scaling each repetition would carry the run's own spread along, and on a
    loaded machine (a spread over 20%) a 20% shift is then not significant:
    the test would measure the machine's noise, not the compare's logic."""
    doc = read(src)
    mine = [b for b in doc["benchmarks"] if benchjson.display_name(b.get("run_name", b["name"])) == name]
    if not mine:
        raise benchjson.BadInput(f"{src}: no benchmark named {name}")
    reps = [b for b in mine if b.get("run_type", "iteration") == "iteration"]
    for key in ("real_time", "cpu_time"):
        values = sorted(b[key] for b in reps)
        median = values[len(values) // 2] if values else 0
        for b in mine:
            b[key] = median * factor if b in reps else b[key] * factor
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)


def merge(dst, sources):
    docs = [read(s) for s in sources]
    merged = dict(docs[0])
    merged["benchmarks"] = []
    index = {}
    for doc in docs:
        for b in doc["benchmarks"]:
            if b.get("run_type", "iteration") != "iteration":
                continue
            b = dict(b)
            b["repetition_index"] = index.get(b["run_name"], 0)
            index[b["run_name"]] = b["repetition_index"] + 1
            merged["benchmarks"].append(b)
    for b in merged["benchmarks"]:
        b["repetitions"] = index[b["run_name"]]
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1)


def main(argv):
    try:
        if len(argv) == 5 and argv[0] == "slow":
            slow(argv[1], argv[2], argv[3], float(argv[4]))
        elif len(argv) >= 3 and argv[0] == "merge":
            merge(argv[1], argv[2:])
        else:
            print("runfiles.py: usage: slow IN OUT NAME FACTOR | merge OUT IN...", file=sys.stderr)
            return 2
    except (benchjson.BadInput, ValueError) as e:
        print(f"runfiles.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
