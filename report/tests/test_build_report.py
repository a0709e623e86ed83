#!/usr/bin/python3
"""Tests of report/build_report.py on the fixture report directory
(tests/fixtures/nightly: a real conform.json, properties.xml/.txt from a run
under a falsifying shim, a real bench run, one plausible fuzz finding) and
on damaged copies of it. Run: /usr/bin/python3 report/tests/test_build_report.py
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.dirname(HERE)
BUILDER = os.path.join(REPORT, "build_report.py")
FIXTURE = os.path.join(HERE, "fixtures", "nightly")
SCHEMA = os.path.join(REPORT, "report.schema.json")
PY = "/usr/bin/python3"
sys.dont_write_bytecode = True
sys.path.insert(0, REPORT)

import render_html  # noqa: E402


def run_builder(*args):
    return subprocess.run([PY, BUILDER, *args], capture_output=True, text=True, timeout=60)


class FixtureCase(unittest.TestCase):
    """Each test gets its own copy of the fixture to build (and damage)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-test-")
        self.dir = os.path.join(self.tmp, "nightly")
        shutil.copytree(FIXTURE, self.dir)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def build(self):
        res = run_builder(self.dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(res.stderr, "")
        with open(self.path("report.json"), encoding="utf-8") as f:
            return json.load(f)

    def junit_suites(self):
        root = ET.parse(self.path("junit.xml")).getroot()
        self.assertEqual(root.tag, "testsuites")
        return root, {s.get("name"): s for s in root.findall("testsuite")}

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()


class Fixture(FixtureCase):
    def test_writes_four_outputs_and_one_line(self):
        res = run_builder(self.dir)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(len(res.stdout.splitlines()), 1, res.stdout)
        for name in ("index.html", "summary.md", "junit.xml", "report.json"):
            self.assertTrue(os.path.getsize(self.path(name)) > 0, name)
        self.assertEqual([n for n in os.listdir(self.dir) if ".tmp" in n], [])

    def test_json_validates_against_schema(self):
        report = self.build()
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema).validate(report)
        self.assertEqual(report["status"], "findings")
        self.assertEqual(report["counts"]["fuzz_findings"], 1)
        self.assertEqual(report["counts"]["property_failures"], 2)
        self.assertEqual(report["counts"]["regressions"], 6)
        self.assertEqual(report["problems"], [])
        self.assertEqual(len(report["conformance"]["rows"]), 35)
        self.assertEqual(len(report["conformance"]["gaps"]), 66)

    def test_junit_failures_equal_findings(self):
        report = self.build()
        root, suites = self.junit_suites()
        self.assertEqual(list(suites), ["stages", "conformance", "properties", "fuzz", "benchmarks"])
        fuzz_dirs = sum(len(os.listdir(self.path(f"fuzz/{t}/findings")))
                        for t in os.listdir(self.path("fuzz"))
                        if os.path.isdir(self.path(f"fuzz/{t}/findings")))
        self.assertEqual(int(suites["fuzz"].get("failures")), fuzz_dirs)
        self.assertEqual(len(suites["fuzz"].findall("testcase/failure")), fuzz_dirs)
        props = ET.parse(self.path("properties.xml")).getroot()
        failed_props = sum(c.find("failure") is not None for c in props.iter("testcase"))
        self.assertEqual(int(suites["properties"].get("failures")), failed_props)
        self.assertEqual(int(suites["benchmarks"].get("failures")),
                         report["counts"]["regressions"] + report["counts"]["overhead_over_target"])
        self.assertEqual(int(suites["conformance"].get("failures")), 0)
        self.assertEqual(int(suites["conformance"].get("tests")), 35 * 7)
        self.assertEqual(int(root.get("failures")),
                         sum(int(s.get("failures")) for s in suites.values()))

    def test_summary_has_headline(self):
        report = self.build()
        summary = self.read("summary.md")
        first = summary.splitlines()[0]
        self.assertEqual(first, f"# conncheck nightly: {report['headline']}")
        self.assertTrue(first.startswith("# conncheck nightly: Findings: 3 findings"), first)
        self.assertNotIn("](", summary)  # links-free
        for section in ("## Stages", "## Conformance", "## Properties", "## Fuzzing", "## Benchmarks"):
            self.assertIn(section, summary)

    def test_html_shows_every_finding_with_trace_and_repro(self):
        self.build()
        html = self.read("index.html")
        self.assertIn('id="conformance-matrix"', html)
        self.assertIn('id="bench-chart"><svg class="chart"', html)
        self.assertIn('id="finding-connect_program_fuzzer-hang-5f3a9c1e"', html)
        self.assertIn("conncheck repro fuzz/connect_program_fuzzer/findings/hang-5f3a9c1e/input "
                      "--target connect_program_fuzzer", html)
        self.assertIn("int main(", html)  # repro.c, escaped inside <pre>
        self.assertIn("RC_PARAMS=&#34;reproduce=", html)
        self.assertNotIn("<script", html.lower())
        self.assertNotIn("http://", html.split("<svg", 1)[0])  # no network outside the chart's xmlns

    def test_property_failures_are_findings_with_seed_and_reproduce_line(self):
        report = self.build()
        console = self.read("properties.txt")
        seed = re.search(r"Using configuration: seed=(\d+)", console).group(1)
        self.assertEqual(report["properties"]["seed"], seed)
        failed = [c for c in report["properties"]["cases"] if c["status"] == "failed"]
        self.assertTrue(failed)
        self.assertEqual(report["counts"]["findings"],
                         report["counts"]["property_failures"] + report["counts"]["conformance_findings"]
                         + report["counts"]["fuzz_findings"])
        for case in failed:
            self.assertRegex(case["reproduce"], r'^RC_PARAMS="reproduce=[A-Za-z0-9_-]+" ')
            self.assertIn(f"--gtest_filter={case['suite']}.{case['name']}", case["reproduce"])
        self.assertIn(f"Seed {seed}", self.read("summary.md"))


class Damage(FixtureCase):
    def test_corrupt_stage_file_is_reported_and_skipped(self):
        with open(self.path("conform.json"), "w") as f:
            f.write('{"format": "conncheck-conform/1", "rows": [')
        with open(self.path("fuzz/connect_sockaddr_fuzzer/stats.json"), "wb") as f:
            f.write(b"\xff\xfe not json")
        report = self.build()
        messages = [p["message"] for p in report["problems"]]
        self.assertTrue(any(m.startswith("stage output missing/corrupt: conform.json: not JSON")
                            for m in messages), messages)
        self.assertTrue(any(m.startswith("stage output missing/corrupt: "
                                         "fuzz/connect_sockaddr_fuzzer/stats.json:")
                            for m in messages), messages)
        self.assertEqual(report["status"], "harness-error")
        self.assertFalse(report["conformance"]["ran"])
        self.assertTrue(report["properties"]["ran"] and report["benchmarks"]["ran"])
        self.assertEqual(len(report["fuzz"]["findings"]), 1)  # the rest carried on
        for out in ("index.html", "summary.md"):
            self.assertIn("stage output missing/corrupt: conform.json", self.read(out))
        _, suites = self.junit_suites()
        self.assertEqual(int(suites["conformance"].get("errors")), 1)

    def test_interrupted_run_says_so(self):
        with open(self.path("meta.json")) as f:
            meta = json.load(f)
        meta["exit"] = 130
        with open(self.path("meta.json"), "w") as f:
            json.dump(meta, f)
        report = self.build()
        self.assertEqual(report["status"], "interrupted")
        self.assertTrue(self.read("summary.md").startswith("# conncheck nightly: Interrupted (partial report)"),
                        self.read("summary.md")[:120])

    def test_stage_that_ran_but_left_nothing(self):
        os.remove(self.path("conform.json"))
        report = self.build()
        self.assertEqual([p["file"] for p in report["problems"]], ["conform.json"])
        self.assertIn("though stage 'conformance' reports ok", report["problems"][0]["why"])

    def test_conformance_violation_is_a_red_cell_and_a_failure(self):
        with open(self.path("conform.json")) as f:
            doc = json.load(f)
        run = next(r for r in doc["runs"] if r["case"] == "EBADF/AF_INET/stream/closed-descriptor"
                   and r["backend"] == "io_uring")
        run["finding"] = True
        run["steps"][run["target_step"]]["verdict"] = "violation"
        doc["findings"] = 1
        with open(self.path("conform.json"), "w") as f:
            json.dump(doc, f)
        report = self.build()
        self.assertEqual(report["counts"]["conformance_findings"], 1)
        row = next(r for r in report["conformance"]["rows"] if r["id"] == "EBADF")
        self.assertEqual(row["cells"][0]["verdict"], "violation")
        self.assertEqual(row["cells"][0]["backends"]["io_uring"], "violation")
        _, suites = self.junit_suites()
        self.assertEqual(int(suites["conformance"].get("failures")), 1)
        self.assertIn('data-verdict="violation"', self.read("index.html"))

    def test_overhead_over_target_is_a_regression(self):
        shutil.rmtree(self.path("fuzz"))
        os.remove(self.path("properties.xml"))
        os.remove(self.path("bench/compare.txt"))
        with open(self.path("stages.json"), "w") as f:
            json.dump([{"name": "benchmarks", "status": "findings", "seconds": 1, "detail": ""}], f)
        with open(self.path("bench/overhead.txt"), "w") as f:
            f.write("ebadf            direct     143.8 ns  libc wrapper     163.2 ns  overhead "
                    "+13.5%  p(wrapper slower) 0.0010  OVER TARGET (target 3%)\n")
        report = self.build()
        self.assertEqual(report["status"], "regressions")
        self.assertEqual(report["benchmarks"]["over_target"], ["ebadf"])
        _, suites = self.junit_suites()
        self.assertEqual(int(suites["benchmarks"].get("failures")), 1)
        self.assertIn("not run (fuzz/ absent)", self.read("index.html"))

    def test_reads_what_bench_compare_py_writes(self):
        # bench/compare.py on the fixture's run and a copy with ebadf/libc twice
        # as slow: the table it writes today is the one load_bench.py reads.
        with open(self.path("bench/run.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for b in doc["benchmarks"]:
            if b.get("run_name") == "ebadf/libc/real_time":
                b["real_time"] *= 2
        slower = os.path.join(self.tmp, "slower.json")
        with open(slower, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        compare = os.path.join(os.path.dirname(REPORT), "bench", "compare.py")
        with open(self.path("bench/compare.txt"), "w", encoding="utf-8") as out:
            rc = subprocess.run([PY, compare, self.path("bench/run.json"), slower],
                                stdout=out, timeout=60).returncode
        self.assertEqual(rc, 1, self.read("bench/compare.txt"))
        cmp = self.build()["benchmarks"]["compare"]
        self.assertEqual(cmp["regressions"], ["ebadf/libc"])
        self.assertEqual(len(cmp["rows"]), 6)
        self.assertTrue(all(isinstance(r["p_utest"], float) for r in cmp["rows"]), cmp["rows"])
        self.assertEqual(cmp["summary"], "1 regression(s): ebadf/libc")

    def test_empty_dir_renders_not_run(self):
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty)
        res = run_builder(empty)
        self.assertEqual(res.returncode, 0, res.stderr)
        with open(os.path.join(empty, "report.json")) as f:
            report = json.load(f)
        self.assertEqual(report["status"], "not-run")
        with open(os.path.join(empty, "index.html")) as f:
            self.assertEqual(f.read().count('class="notrun"'), 9)

    def test_missing_dir_is_exit_2_with_one_line(self):
        missing = os.path.join(self.tmp, "no-such-dir")
        res = run_builder(missing)
        self.assertEqual(res.returncode, 2)
        self.assertEqual(res.stdout, "")
        self.assertEqual(res.stderr, f"build_report.py: {missing}: no such directory\n")
        self.assertEqual(run_builder().returncode, 2)

    def test_active_svg_is_not_inlined(self):
        with open(self.path("bench/chart.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
        self.assertIsNone(render_html.inline_chart(self.dir, "bench/chart.svg"))
        self.build()
        self.assertIn('<img src="bench/chart.svg"', self.read("index.html"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
