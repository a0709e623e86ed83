"""The report as one plain dict: what report.json holds and what every
renderer reads. Loads each stage's output, checks the stages that say they
ran left their output, and decides the headline status."""
import datetime
import os

import load_bench
import load_conform
import load_fuzz
import load_kernels
import load_properties
import load_run
from inputs import Problems

FORMAT = "conncheck-report/1"
# (substring of a stage name in stages.json, section key, the file it leaves)
STAGE_OUTPUTS = (
    ("conform", "conformance", load_conform.FILE),
    ("propert", "properties", load_properties.FILE),
    ("fuzz", "fuzz", "fuzz/<target>/stats.json"),
    ("bench", "benchmarks", "bench/run.json"),
)
STATUS_WORDS = {
    "clean": "Clean",
    "findings": "Findings",
    "regressions": "Regressions",
    "harness-error": "Harness error",
    "interrupted": "Interrupted (partial report)",
    "not-run": "Nothing ran",
}


LOADERS = (
    ("conformance", load_conform.load, load_conform.FILE),
    ("properties", load_properties.load, load_properties.FILE),
    ("fuzz", load_fuzz.load, "fuzz/"),
    ("benchmarks", load_bench.load, "bench/"),
    ("kernels", load_kernels.load, "kernels/"),
)


def _guarded(loader, key, rel, report_dir, problems):
    """Runs one section's loader; content it did not foresee (a field of
    the wrong type deep inside) is recorded like a corrupt file rather
    than stopping the whole report."""
    try:
        return loader(report_dir, problems)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as e:
        problems.add(key, rel, f"unexpected content ({type(e).__name__}: {e})")
        return {"ran": False}


def _check_stage_outputs(stages, sections, problems):
    """A stage that says it ran (ok/findings) but left no output is a problem."""
    for stage in stages or []:
        if stage["status"] not in ("ok", "findings"):
            continue
        for needle, key, rel in STAGE_OUTPUTS:
            if needle in stage["name"].lower() and not sections[key]["ran"] \
                    and not problems.for_stage(key):
                problems.add(key, rel, f"missing, though stage '{stage['name']}' "
                                       f"reports {stage['status']}")


def _counts(sections, stages, problems):
    conf, props = sections["conformance"], sections["properties"]
    fuzz, bench = sections["fuzz"], sections["benchmarks"]
    vms = sections["kernels"].get("runs", [])
    counts = {
        "conformance_findings": len(conf.get("findings", [])),
        "property_failures": props.get("failures", 0),
        "fuzz_findings": len(fuzz.get("findings", [])),
        # On the other kernels: their matrices' findings, and what their
        # consoles showed (an oops, a KASAN report, a guest that stopped).
        "kernel_conformance_findings": sum(len((v["conformance"] or {}).get("findings", []))
                                           for v in vms),
        "console_findings": sum(len(v["console_findings"]) for v in vms),
        "regressions": len(bench.get("regressions", [])),
        "overhead_over_target": len(bench.get("over_target", [])),
        "stage_errors": sum(s["status"] == "error" for s in stages or []),
        "problems": len(problems.items),
    }
    counts["findings"] = (counts["conformance_findings"] + counts["property_failures"]
                          + counts["fuzz_findings"] + counts["kernel_conformance_findings"]
                          + counts["console_findings"])
    return counts


def _status(counts, meta, sections, stages):
    # ci/nightly.sh exits 130 after Ctrl-C; the stage it stopped is recorded
    # as an error, but the run is not broken, only unfinished.
    if (meta or {}).get("exit") == 130:
        return "interrupted"
    if counts["stage_errors"] or counts["problems"] or (meta or {}).get("exit") == 2:
        return "harness-error"
    if counts["findings"]:
        return "findings"
    if counts["regressions"] or counts["overhead_over_target"]:
        return "regressions"
    if not stages and not any(s["ran"] for s in sections.values()):
        return "not-run"
    return "clean"


def _plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def headline(status, counts):
    parts = []
    if counts["findings"]:
        where = [f"{name} {n}" for name, n in (
            ("conformance", counts["conformance_findings"]),
            ("properties", counts["property_failures"]),
            ("fuzz", counts["fuzz_findings"]),
            ("other kernels' conformance", counts["kernel_conformance_findings"]),
            ("kernel console", counts["console_findings"])) if n]
        parts.append(f"{_plural(counts['findings'], 'finding')} ({', '.join(where)})")
    if counts["regressions"]:
        parts.append(_plural(counts["regressions"], "benchmark regression"))
    if counts["overhead_over_target"]:
        parts.append(f"{counts['overhead_over_target']} wrapper overhead over target")
    if counts["stage_errors"]:
        parts.append(_plural(counts["stage_errors"], "stage error"))
    if counts["problems"]:
        parts.append(f"{counts['problems']} stage output(s) missing/corrupt")
    if not parts:
        parts.append("no stage output found" if status == "not-run"
                     else "no findings, no regressions")
    return f"{STATUS_WORDS[status]}: " + "; ".join(parts)


def build(report_dir):
    problems = Problems()
    meta = load_run.load_meta(report_dir, problems)
    stages = load_run.load_stages(report_dir, problems)
    texts = load_run.load_texts(report_dir, problems)
    sections = {key: _guarded(loader, key, rel, report_dir, problems)
                for key, loader, rel in LOADERS}
    _check_stage_outputs(stages, sections, problems)
    counts = _counts(sections, stages, problems)
    status = _status(counts, meta, sections, stages)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return {
        "format": FORMAT,
        "generated": now.isoformat().replace("+00:00", "Z"),
        "report_dir": os.path.basename(os.path.abspath(report_dir)),
        "status": status,
        "headline": headline(status, counts),
        "counts": counts,
        "meta": meta,
        "stages": stages,
        "problems": problems.items,
        "sandbox_check": texts["sandbox_check"],
        "calls": texts["calls"],
        **sections,
    }
