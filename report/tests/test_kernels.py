#!/usr/bin/python3
"""Tests of the report's kernels: kernels/<label>/ (conform.json, meta.json,
diff.json from `conncheck conform --diff`) on tests/fixtures/kernels: a
column per kernel in the matrix (host first), "What changed between
kernels" in every rendering, console findings counted as findings, bad
kernel files recorded as problems, and nothing of it without kernels/.
Run: /usr/bin/python3 report/tests/test_kernels.py
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
FIXTURES = os.path.join(HERE, "fixtures")
SCHEMA = os.path.join(REPORT, "report.schema.json")
HOST, OLD, NEXT = "6.18.44-fc-v1045", "6.1.0-40-amd64", "6.19.0-rc3-next"


class KernelsCase(unittest.TestCase):
    """Each test builds its own copy of a fixture."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="report-kernels-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def copy(self, name):
        self.dir = os.path.join(self.tmp, name)
        shutil.copytree(os.path.join(FIXTURES, name), self.dir)
        return self.dir

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()

    def build(self):
        res = subprocess.run(["/usr/bin/python3", BUILDER, self.dir], capture_output=True,
                             text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        report = json.loads(self.read("report.json"))
        with open(SCHEMA, encoding="utf-8") as f:
            jsonschema.Draft202012Validator(json.load(f)).validate(report)
        return report

    def suites(self):
        return {s.get("name"): s for s in ET.parse(self.path("junit.xml")).getroot()}


class Kernels(KernelsCase):
    def setUp(self):
        super().setUp()
        self.copy("kernels")

    def test_matrix_has_a_column_per_kernel_host_first(self):
        report = self.build()
        html = self.read("index.html")
        heads = re.findall(r'<th scope="col" class="kernel" title="([^"]*)">([^<]*)</th>', html)
        columns = report["conformance"]["columns"]
        self.assertEqual(len(heads), 3 * len(columns))
        self.assertEqual(heads[:3], [("host", HOST), ("debian-6.1", OLD), ("next-6.19", NEXT)])
        # ETIMEDOUT x AF_INET/stream: ok on the host, the violation on 6.1, outlined.
        row = html.split('<tr data-row="ETIMEDOUT">', 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r'<td class="cell ([^"]*)" data-kernel="([^"]*)" data-verdict="([^"]*)"',
                           row)
        self.assertEqual(cells[:3], [("v-ok", HOST, "ok"),
                                     ("v-violation differs", OLD, "violation"),
                                     ("v-ok", NEXT, "ok")])

    def test_changes_are_listed_in_every_rendering(self):
        report = self.build()
        run = report["kernels"]["runs"][0]
        self.assertEqual((run["label"], run["kernel"], run["accel"], run["restarts"]),
                         ("debian-6.1", OLD, "tcg", 1))
        self.assertEqual((run["diff"]["changed"], run["diff"]["only_in_a"]), (2, 1))
        changed = "step 8: ECONNREFUSED (violation)"
        html = self.read("index.html")
        self.assertIn('<section id="kernels"><h2>What changed between kernels</h2>', html)
        self.assertIn('<a href="#kernels">What changed between kernels</a>', html)
        table = html.split('<table class="kernel-diff" data-label="debian-6.1">', 1)[1]
        self.assertEqual(table.split("</table>", 1)[0].count("<tr data-change="), 3)
        self.assertIn(changed, table)
        self.assertIn("No cell changed.", html)  # next-6.19
        md = self.read("summary.md")
        self.assertIn("## What changed between kernels", md)
        self.assertIn(f"| `{OLD}` | debian-6.1 (vm) | 26 |", md)
        self.assertRegex(md, r"\| ETIMEDOUT \| AF_INET/stream \| io_uring \| [^|]+ \| "
                             r"step 8: ETIMEDOUT \(ok\) \| step 8: ECONNREFUSED \(violation\) \|")
        self.assertIn("accel tcg, boot 9.4 s, 1 restart(s), 1 console finding(s)", md)
        out = self.suites()["kernels"].find("testcase/system-out").text
        self.assertIn("ETIMEDOUT | AF_INET/stream: provoked -> partly", out)

    def test_console_findings_are_findings(self):
        report = self.build()
        counts = report["counts"]
        self.assertEqual((counts["console_findings"], counts["kernel_conformance_findings"]),
                         (1, 1))
        self.assertEqual(counts["findings"], 2)
        self.assertEqual(report["status"], "findings")
        self.assertIn("kernel console 1", report["headline"])
        html = self.read("index.html")
        finding = html.split('id="console-debian-6.1-1"', 1)[1].split("</article>", 1)[0]
        self.assertIn("WARNING: CPU: 0 PID: 212 at net/ipv4/tcp.c:2562", finding)
        self.assertIn('id="kernel-debian-6.1-finding-1"', html)
        kernels = self.suites()["kernels"]
        self.assertEqual(int(kernels.get("failures")), counts["findings"])
        self.assertEqual(len(kernels.findall("testcase/failure")), 2)

    def test_console_findings_alone_change_the_status(self):
        with open(self.path("kernels/debian-6.1/conform.json"), encoding="utf-8") as f:
            doc = json.load(f)
        for run in doc["runs"]:
            run["finding"] = False
            for step in run["steps"]:
                step["verdict"] = "ok" if step["verdict"] == "violation" else step["verdict"]
        with open(self.path("kernels/debian-6.1/conform.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f)
        self.assertEqual(self.build()["status"], "findings")
        meta = json.loads(self.read("kernels/debian-6.1/meta.json"))
        meta["console_findings"] = []
        with open(self.path("kernels/debian-6.1/meta.json"), "w", encoding="utf-8") as f:
            json.dump(meta, f)
        report = self.build()
        self.assertEqual((report["status"], report["counts"]["findings"]), ("clean", 0))

    def test_missing_or_corrupt_kernel_files_are_problems(self):
        os.remove(self.path("kernels/next-6.19/diff.json"))
        meta = json.loads(self.read("kernels/debian-6.1/meta.json"))
        meta["accel"] = "hvf"
        with open(self.path("kernels/debian-6.1/meta.json"), "w", encoding="utf-8") as f:
            json.dump(meta, f)
        with open(self.path("kernels/next-6.19/conform.json"), "w", encoding="utf-8") as f:
            f.write('{"format": "conncheck-conform/1", "rows": [')
        report = self.build()
        self.assertEqual(sorted(p["message"].split(":")[1].strip() for p in report["problems"]),
                         ["kernels/debian-6.1/meta.json", "kernels/next-6.19/conform.json",
                          "kernels/next-6.19/diff.json"])
        self.assertIn("stage output missing/corrupt: kernels/next-6.19/diff.json: missing",
                      [p["message"] for p in report["problems"]])
        self.assertEqual(report["status"], "harness-error")
        html = self.read("index.html")
        self.assertIn("kernels/next-6.19/diff.json missing or corrupt", html)
        self.assertIn(f'data-kernel="{NEXT}" data-verdict="absent"', html)  # no matrix: dashes
        self.assertEqual(int(self.suites()["kernels"].get("errors")), 3)


class WithoutKernels(KernelsCase):
    def test_report_is_as_before(self):
        self.copy("nightly")
        report = self.build()
        self.assertEqual(report["kernels"], {"ran": False})
        self.assertEqual((report["counts"]["console_findings"],
                          report["counts"]["kernel_conformance_findings"]), (0, 0))
        html = self.read("index.html")
        self.assertNotIn('class="kernel"', html)
        self.assertNotIn("What changed between kernels", html)
        self.assertIn('<table class="matrix" id="conformance-matrix">', html)
        self.assertNotIn("What changed between kernels", self.read("summary.md"))
        self.assertNotIn("kernels", self.suites())

    def test_empty_kernels_dir_is_no_kernels(self):
        self.copy("kernels")
        shutil.rmtree(self.path("kernels"))
        os.mkdir(self.path("kernels"))
        report = self.build()
        self.assertEqual(report["kernels"], {"ran": False})
        self.assertEqual(report["status"], "clean")


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    unittest.main(verbosity=2)
