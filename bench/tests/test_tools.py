#!/usr/bin/python3
"""ctest: the bench tools' logic on synthetic runs (no timing involved).

Runs are written in Google Benchmark's JSON shape with seeded noise, and the
tools are run as a user runs them (subprocess), so exit codes and the
one-line errors are what is checked.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import unittest

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PY = sys.executable


def write_run(path, medians, reps=9, noise=0.02, seed=1, aggregates=True, skipped=()):
    """A run file: for each name, `reps` repetitions around its median."""
    rng = random.Random(seed)
    benchmarks = []
    for name, med in medians.items():
        run_name = f"{name}/real_time"
        for i in range(reps):
            t = med * (1 + rng.uniform(-noise, noise))
            benchmarks.append({"name": run_name, "run_name": run_name, "run_type": "iteration",
                               "repetitions": reps, "repetition_index": i, "iterations": 1000,
                               "real_time": t, "cpu_time": t, "time_unit": "ns",
                               "x_floor": t / 100.0})
        if aggregates:  # as Google Benchmark writes them: same run_name, other name
            for agg, value in (("median", med), ("stddev", med * noise / 2)):
                benchmarks.append({"name": f"{run_name}_{agg}", "run_name": run_name,
                                   "run_type": "aggregate", "aggregate_name": agg,
                                   "real_time": value, "cpu_time": value, "time_unit": "ns"})
    for name in skipped:  # Google Benchmark writes a skipped benchmark's times as 0
        benchmarks.append({"name": f"{name}/real_time", "run_name": f"{name}/real_time",
                           "run_type": "iteration", "error_occurred": True,
                           "error_message": "connect: expected EINPROGRESS, got ret=0",
                           "iterations": 0, "real_time": 0.0, "cpu_time": 0.0,
                           "time_unit": "ns"})
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"context": {"date": "2026-01-01T00:00:00", "conncheck_floor_ns": "100.0",
                               "host_name": "test", "num_cpus": 2},
                   "benchmarks": benchmarks}, f)
    return path


def tool(name, *args):
    r = subprocess.run([PY, os.path.join(BENCH, name), *args], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


BASE = {"floor/getppid": 100.0, "ebadf/libc": 140.0, "ebadf/syscall": 138.0,
        "tcp4_econnrefused/io_uring": 12000.0}


class Compare(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.base = write_run(self.path("base.json"), BASE, seed=1)

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def regressions(self, out):
        return [line.split()[0] for line in out.splitlines() if line.endswith(" REGRESSION")]

    def test_flags_only_the_slowed_benchmark(self):
        new = write_run(self.path("new.json"), {**BASE, "ebadf/libc": 140.0 * 1.2}, seed=2)
        rc, out, _ = tool("compare.py", self.base, new)
        self.assertEqual(rc, 1, out)
        self.assertEqual(self.regressions(out), ["ebadf/libc"])

    def test_same_distribution_is_not_flagged(self):
        new = write_run(self.path("new.json"), BASE, seed=2)
        rc, out, _ = tool("compare.py", self.base, new)
        self.assertEqual(rc, 0, out)
        self.assertEqual(self.regressions(out), [])

    def test_significant_but_below_threshold_is_not_flagged(self):
        new = write_run(self.path("new.json"), {k: v * 1.05 for k, v in BASE.items()},
                        noise=0.005, seed=2)
        rc, out, _ = tool("compare.py", self.base, new)
        self.assertEqual(rc, 0, out)
        self.assertIn("differs (within threshold)", out)
        # ...but it is with a 3% threshold.
        rc, out, _ = tool("compare.py", self.base, new, "--threshold", "0.03")
        self.assertEqual(rc, 1, out)

    def test_large_but_insignificant_change_is_not_flagged(self):
        # Noise of +-60% around a 15% shift: the median moved, the test cannot tell.
        base = write_run(self.path("b.json"), {"x/libc": 100.0}, noise=0.6, seed=3)
        new = write_run(self.path("n.json"), {"x/libc": 115.0}, noise=0.6, seed=4)
        rc, out, _ = tool("compare.py", base, new)
        p = float(next(line.split()[4] for line in out.splitlines() if line.startswith("x/libc")))
        if p >= 0.05:
            self.assertEqual(rc, 0, out)
        else:  # the seeds happened to give a real difference; the rule still holds
            self.assertEqual(rc, 1, out)

    def test_faster_is_not_a_regression(self):
        new = write_run(self.path("new.json"), {k: v * 0.7 for k, v in BASE.items()}, seed=2)
        rc, out, _ = tool("compare.py", self.base, new)
        self.assertEqual(rc, 0, out)
        self.assertIn("faster", out)

    def test_aggregates_in_the_file_are_not_samples(self):
        # The median and stddev entries share their benchmark's run_name; were
        # they given to gbench with the repetitions, its U test would change.
        new = write_run(self.path("new.json"), {**BASE, "ebadf/libc": 140.0 * 1.2}, seed=2)
        bare_base = write_run(self.path("bb.json"), BASE, seed=1, aggregates=False)
        bare_new = write_run(self.path("bn.json"), {**BASE, "ebadf/libc": 140.0 * 1.2},
                             seed=2, aggregates=False)
        with_aggregates = tool("compare.py", self.base, new)
        self.assertEqual(with_aggregates, tool("compare.py", bare_base, bare_new))
        self.assertNotIn("_median", with_aggregates[1])

    def test_gbench_is_what_compares(self):
        # Without Google Benchmark's gbench module there is no comparison,
        # only one line naming the Debian package.
        hide = ("import runpy, sys; sys.modules['gbench'] = None; "
                f"sys.argv = ['compare.py', {self.base!r}, {self.base!r}]; "
                f"sys.path.insert(0, {BENCH!r}); "
                f"runpy.run_path({os.path.join(BENCH, 'compare.py')!r}, run_name='__main__')")
        r = subprocess.run([PY, "-c", hide], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("libbenchmark-tools", r.stderr)

    def test_missing_and_skipped_benchmarks_are_listed_not_failed(self):
        smaller = {k: v for k, v in BASE.items() if k != "ebadf/syscall"}
        new = write_run(self.path("new.json"), smaller, seed=2, skipped=["ebadf/syscall"])
        rc, out, _ = tool("compare.py", self.base, new)
        self.assertEqual(rc, 0, out)
        self.assertIn("skipped in new run", out)

    def test_bad_input_is_one_line_exit_2(self):
        garbage = self.path("garbage.json")
        with open(garbage, "w") as f:
            f.write("{not json")
        few = write_run(self.path("few.json"), BASE, reps=3)
        aggregates_only = self.path("agg.json")
        with open(self.base) as f:
            doc = json.load(f)
        doc["benchmarks"] = [b for b in doc["benchmarks"] if b["run_type"] == "aggregate"]
        with open(aggregates_only, "w") as f:
            json.dump(doc, f)
        no_cpu = self.path("no_cpu.json")
        with open(self.base) as f:
            doc = json.load(f)
        del doc["benchmarks"][0]["cpu_time"]
        with open(no_cpu, "w") as f:
            json.dump(doc, f)
        cases = {"missing": [self.base, self.path("nope.json")],
                 "no cpu_time": [self.base, no_cpu],
                 "min repetitions": [self.base, self.base, "--min-repetitions", "1"],
                 "not json": [garbage, self.base],
                 "repetitions": [self.base, few],
                 "aggregates": [aggregates_only, self.base],
                 "threshold": [self.base, self.base, "--threshold", "abc"],
                 "alpha": [self.base, self.base, "--alpha", "2"]}
        for what, args in cases.items():
            with self.subTest(what):
                rc, out, err = tool("compare.py", *args)
                self.assertEqual(rc, 2, out + err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertTrue(err.startswith("compare.py: "), err)


class OtherTools(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def pair_run(self, wrapper_factor):
        return write_run(self.path(f"o{wrapper_factor}.json"),
                         {"overhead_ebadf/direct": 140.0,
                          "overhead_ebadf/libc_wrapper": 140.0 * wrapper_factor},
                         noise=0.005)

    def test_overhead_over_target_fails(self):
        rc, out, _ = tool("overhead.py", self.pair_run(1.10))
        self.assertEqual(rc, 1, out)
        self.assertIn("OVER TARGET", out)

    def test_overhead_within_target_passes(self):
        rc, out, _ = tool("overhead.py", self.pair_run(1.01))
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"overhead\s+\+[0-2]\.\d%")

    def test_overhead_without_pairs_is_bad_input(self):
        rc, _, err = tool("overhead.py", write_run(self.path("x.json"), BASE))
        self.assertEqual(rc, 2)
        self.assertIn("no overhead_", err)

    def test_summary_has_one_row_per_path_and_a_cell_per_backend(self):
        run = write_run(self.path("r.json"),
                        {"floor/getppid": 100.0, "ebadf/libc": 150.0, "ebadf/syscall": 140.0,
                         "ebadf/io_uring": 700.0}, noise=0.0, skipped=["tcp4_nonblocking_einprogress/io_uring"])
        rc, out, _ = tool("summary.py", run)
        self.assertEqual(rc, 0, out)
        rows = [line for line in out.splitlines() if line.startswith("| ebadf ")]
        self.assertEqual(len(rows), 1, out)
        self.assertEqual(rows[0].count("|"), 5, rows[0])
        self.assertIn("(7.0x)", rows[0])  # 700 ns over a 100 ns floor
        self.assertIn("skipped: connect: expected EINPROGRESS", out)

    def test_chart_writes_an_svg_over_the_history(self):
        hist = self.path("hist")
        os.mkdir(hist)
        for i in range(3):
            write_run(os.path.join(hist, f"2026010{i}T000000Z.json"),
                      {k: v * (1 + i / 10) for k, v in BASE.items()}, seed=i)
        out = self.path("chart.svg")
        rc, _, err = tool("chart.py", hist, out)
        self.assertEqual(rc, 0, err)
        with open(out, encoding="utf-8") as f:
            svg = f.read()
        self.assertIn("<svg", svg)
        self.assertIn("tcp4_econnrefused", svg)

    def test_chart_of_empty_history_is_bad_input(self):
        rc, _, err = tool("chart.py", self.dir.name, self.path("c.svg"))
        self.assertEqual(rc, 2)
        self.assertIn("no run files", err)


if __name__ == "__main__":
    unittest.main()
