"""junit.xml: one testsuite per stage, for CI test-result viewers.

  stages       a testcase per stage in stages.json (error: the stage errored)
  conformance  a testcase per matrix cell (failure: a case run there found
               something; skipped: not applicable)
  properties   a testcase per property (failure: falsified)
  fuzz         a testcase per target (error: no stats.json) and a testcase
               per finding (failure), so failures == findings
  benchmarks   a testcase per benchmark (failure: REGRESSION; skipped: the
               benchmark skipped itself) and per overhead pair (failure:
               OVER TARGET)
  kernels      only when kernels/ exists: per kernel run in a VM, a testcase
               for the run (what changed from the host's matrix in its
               system-out), a testcase per console finding (failure), and a
               testcase per cell of that kernel's matrix as in conformance

A stage with no output has one skipped "not run" testcase; a missing or
corrupt stage output is an <error> testcase named after the file.
"""
import re
import xml.etree.ElementTree as ET

# Characters XML 1.0 cannot carry (traces may hold raw bytes).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _safe(text):
    return None if text is None else _NOT_XML.sub("\ufffd", str(text))


class Suite:
    def __init__(self, name):
        self.el = ET.Element("testsuite", name=name)
        self.counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        self.time = 0.0

    def case(self, classname, name, seconds=None, failure=None, error=None, skipped=None,
             out=None):
        """failure/error: (message, text); skipped: message; out: system-out."""
        attrs = {"classname": _safe(classname), "name": _safe(name),
                 "time": f"{seconds or 0:.3f}"}
        tc = ET.SubElement(self.el, "testcase", attrs)
        self.counts["tests"] += 1
        self.time += seconds or 0
        for tag, value in (("failure", failure), ("error", error)):
            if value:
                message, text = value
                first = message.splitlines()[0] if message else tag
                el = ET.SubElement(tc, tag, message=_safe(first), type=tag)
                el.text = _safe(text)
                self.counts[tag + "s"] += 1
        if skipped is not None:
            ET.SubElement(tc, "skipped", message=_safe(skipped))
            self.counts["skipped"] += 1
        if out:
            ET.SubElement(tc, "system-out").text = _safe(out)
        return tc

    def finish(self):
        for k, v in self.counts.items():
            self.el.set(k, str(v))
        self.el.set("time", f"{self.time:.3f}")
        return self.el


def _problems(suite, report, stage):
    for p in report["problems"]:
        if p["stage"] == stage:
            suite.case(stage, p["file"], error=(p["message"], p["message"]))


def _stages(report):
    s = Suite("stages")
    for st in report["stages"] or []:
        kw = {}
        if st["status"] == "error":
            kw["error"] = (st["detail"] or "stage error", st["detail"])
        elif st["status"] == "skipped":
            kw["skipped"] = st["detail"] or "skipped"
        s.case("stages", st["name"], st["seconds"], out=f"{st['status']}: {st['detail']}", **kw)
    for stage in ("meta", "stages", "sandbox-check", "calls"):
        _problems(s, report, stage)
    if report["stages"] is None:
        s.case("stages", "stages.json", skipped="not run: no stages.json")
    return s


def _steps_text(steps):
    return "\n".join(f"{x['trace']}\n    # {x['explanation']}" for x in steps)


def _matrix_cases(s, c, prefix):
    """A testcase per matrix cell: failure when a case run there found
    something, skipped when not applicable."""
    for row in c["rows"]:
        for cell in row["cells"]:
            found = [f for f in c["findings"]
                     if f["row"] == row["id"] and f["column"] == cell["column"]]
            kw = {}
            if found:
                message = "; ".join(f"{f['verdict']} under {f['backend']}: {f['case']}"
                                    for f in found)
                kw["failure"] = (message, "\n\n".join(
                    f"{f['case']} ({f['backend']}):\n{_steps_text(f['steps'])}" for f in found))
            elif cell["verdict"] == "n/a":
                kw["skipped"] = cell["text"]
            s.case(f"{prefix}.{row['id']}", cell["column"], out=cell["text"], **kw)


def _conformance(report):
    c, s = report["conformance"], Suite("conformance")
    _problems(s, report, "conformance")
    if not c["ran"]:
        s.case("conformance", "not run", skipped="not run: no conform.json")
        return s
    _matrix_cases(s, c, "conformance")
    return s


def _diff_text(d):
    if d is None:
        return "no comparison: diff.json missing or corrupt"
    lines = [f"{d['kernel_a']} -> {d['kernel_b']}: {d['changed']} changed, {d['only_in_a']} only "
             f"on the host, {d['only_in_b']} only on this kernel"]
    for x in d["changes"]:
        where = " | ".join(v for v in (x["row"], x["column"], x["backend"], x["case"]) if v)
        lines.append(f"{where}: {x['a'] or '(absent)'} -> {x['b'] or '(absent)'}")
    return "\n".join(lines)


def _kernels(report):
    k, s = report["kernels"], Suite("kernels")
    _problems(s, report, "kernels")
    for v in k["runs"]:
        classname = f"kernels.{v['label']}"
        s.case(classname, f"vm run (kernel {v['kernel']}, {v['accel']})", v["boot_seconds"],
               out=f"world {v['world']}, accel {v['accel']}, boot {v['boot_seconds']} s, "
                   f"{v['restarts']} restart(s)\n{_diff_text(v['diff'])}")
        for n, f in enumerate(v["console_findings"], 1):
            s.case(classname, f"console finding {n}",
                   failure=(f"{f['kind']} while running {f['program'] or '(no Program named)'}",
                            f["excerpt"]))
        if v["conformance"]:
            _matrix_cases(s, v["conformance"], f"{classname}.conformance")
    return s


def _properties(report):
    p, s = report["properties"], Suite("properties")
    _problems(s, report, "properties")
    if not p["ran"]:
        s.case("properties", "not run", skipped="not run: no properties.xml")
        return s
    for case in p["cases"]:
        kw = {}
        if case["status"] == "failed":
            text = case["failure"] or ""
            if case["reproduce"]:
                text += f"\n\nreproduce: {case['reproduce']}"
            kw["failure"] = (case["failure"] or "failed", text)
        elif case["status"] == "skipped":
            kw["skipped"] = "skipped"
        s.case(f"properties.{case['suite']}", case["name"], case["seconds"], **kw)
    return s


def _fuzz(report):
    f, s = report["fuzz"], Suite("fuzz")
    _problems(s, report, "fuzz")
    if not f["ran"]:
        s.case("fuzz", "not run", skipped="not run: no fuzz/<target>/")
        return s
    for t in f["targets"]:
        stats = t["stats"]
        kw = {} if stats else {"error": ("no stats.json for this target", "")}
        out = None
        if stats:
            out = (f"{stats['execs']} execs in {stats['seconds']} s ({stats['execs_per_sec']}/s), "
                   f"corpus {stats['corpus_before']} -> {stats['corpus_after']}, "
                   f"coverage {stats['coverage']}, RSS {stats['rss_mb']} MB")
        s.case(f"fuzz.{t['target']}", t["target"], stats and stats["seconds"], out=out, **kw)
        for x in f["findings"]:
            if x["target"] != t["target"]:
                continue
            text = f"replay: {x['replay']}\n\n{x['trace'] or '(no trace.txt)'}"
            s.case(f"fuzz.{t['target']}", f"finding {x['id']}",
                   failure=(f"{x['kind']}: {x['input']}", text))
    return s


def _bench(report):
    b, s = report["benchmarks"], Suite("benchmarks")
    _problems(s, report, "benchmarks")
    if not b["ran"]:
        s.case("benchmarks", "not run", skipped="not run: no bench/")
        return s
    names = [r["name"] for r in b["benchmarks"]]
    verdicts = {r["name"]: r for r in (b["compare"] or {}).get("rows", [])}
    names += [n for n in verdicts if n not in names]
    rows = {r["name"]: r for r in b["benchmarks"]}
    for name in names:
        row, cmp = rows.get(name, {}), verdicts.get(name)
        kw = {}
        if cmp and cmp["verdict"] == "REGRESSION":
            kw["failure"] = (f"REGRESSION: {cmp['change']} ({cmp['base_ns']} -> "
                             f"{cmp['new_ns']} ns, p(U) {cmp['p_utest']})", "")
        elif row.get("skipped"):
            kw["skipped"] = row["skipped"]
        out = f"median {row.get('median_ns')} ns" + (f"; {cmp['verdict']}" if cmp else "")
        s.case("benchmarks", name, out=out, **kw)
    for o in b["overhead"]:
        kw = {"failure": (o["line"], "")} if o["over_target"] else {}
        s.case("benchmarks.overhead", o["path"] or o["line"], out=o["line"], **kw)
    return s


def render(report):
    root = ET.Element("testsuites", name="conncheck nightly")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    time = 0.0
    parts = [_stages, _conformance, _properties, _fuzz, _bench]
    if report["kernels"]["ran"]:
        parts.append(_kernels)
    for part in parts:
        suite = part(report)
        root.append(suite.finish())
        for k in totals:
            totals[k] += suite.counts[k]
        time += suite.time
    for k, v in totals.items():
        root.set(k, str(v))
    # The stages' own times when there are any (the fuzz suite's repeat them).
    stages_time = sum(s["seconds"] or 0 for s in report["stages"] or [])
    root.set("time", f"{stages_time or time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
