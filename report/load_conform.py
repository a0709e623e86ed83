"""conform.json (`conncheck conform --format json`, schema
docs/conform-report.schema.json) turned into a matrix a person reads:
rows (errno meanings and rules) x columns (family/type), each cell with one
verdict and the verdict under each backend."""
from inputs import number, read_json

FILE = "conform.json"
BACKENDS = ("libc", "syscall", "io_uring")
BAD = ("violation", "hang", "leak")  # the verdicts that make a finding
# Worst first: how verdicts combine when a cell has several case runs.
RANK = ("violation", "hang", "leak", "setup-error", "known", "ok", "not-provoked")


class Malformed(Exception):
    """conform.json parsed, but is not a conncheck-conform/1 report."""


def _worst(verdicts):
    return min(verdicts, key=RANK.index)


def run_verdict(run):
    """One case run's verdict: its worst bad step when it found something,
    else what its target step was judged, or not-provoked."""
    steps = run.get("steps") or []
    bad = [s.get("verdict") for s in steps if s.get("verdict") in BAD]
    if bad or run.get("finding"):
        return _worst(bad) if bad else "violation"
    if run.get("setup_error"):
        return "setup-error"
    if not run.get("provoked"):
        return "not-provoked"
    target = run.get("target_step")
    if isinstance(target, int) and 0 <= target < len(steps):
        return "known" if steps[target].get("verdict") == "known" else "ok"
    return "ok"


def _backend_verdict(verdicts):
    bad = [v for v in verdicts if v in BAD or v == "setup-error"]
    if bad:
        return _worst(bad)
    if "known" in verdicts:
        return "known"
    if "ok" in verdicts:
        return "ok"
    return "not-provoked"


def _cell_verdict(state, per_backend):
    values = list(per_backend.values())
    bad = [v for v in values if v in BAD]
    if bad:
        return _worst(bad)
    if state == "not-applicable":
        return "n/a"
    if state == "not-provoked":
        return "not-provoked"
    if "known" in values:
        return "known"
    return "partly" if state == "partly" else "ok"


def _need(doc, key, kind):
    if not isinstance(doc.get(key), kind):
        raise Malformed(f"no '{key}' {kind.__name__}: not a conncheck-conform/1 report")
    return doc[key]


def build(doc):
    """The conformance section from a parsed conform.json; raises Malformed."""
    if doc.get("format") != "conncheck-conform/1":
        raise Malformed(f"format is {doc.get('format')!r}, want 'conncheck-conform/1'")
    columns = [str(c) for c in _need(doc, "columns", list)]
    runs = [r for r in _need(doc, "runs", list) if isinstance(r, dict)]
    by_cell = {}
    for run in runs:
        key = (run.get("row"), run.get("column"))
        by_cell.setdefault(key, {}).setdefault(run.get("backend"), []).append(run_verdict(run))
    backends = [b for b in BACKENDS if any(r.get("backend") == b for r in runs)]

    rows = []
    for row in _need(doc, "rows", list):
        if not isinstance(row, dict) or not isinstance(row.get("cells"), list):
            raise Malformed("a row without cells")
        cells = []
        for cell in row["cells"]:
            column, state = cell.get("column"), cell.get("state")
            runs_here = by_cell.get((row.get("id"), column), {})
            per_backend = {b: _backend_verdict(runs_here[b]) for b in backends if b in runs_here}
            cells.append({
                "column": column,
                "state": state,
                "verdict": _cell_verdict(state, per_backend),
                "text": cell.get("text", ""),
                "backends": per_backend,
            })
        rows.append({
            "id": str(row.get("id")),
            "kind": row.get("kind"),
            "label": str(row.get("label") or row.get("id")),
            "errno": row.get("errno"),
            "cells": cells,
        })

    findings = []
    for run in runs:
        verdict = run_verdict(run)
        if verdict not in BAD:
            continue
        findings.append({
            "case": run.get("case"),
            "row": run.get("row"),
            "column": run.get("column"),
            "backend": run.get("backend"),
            "verdict": verdict,
            "steps": [{"trace": s.get("trace", ""), "verdict": s.get("verdict", ""),
                       "explanation": s.get("explanation", "")} for s in run.get("steps") or []],
            "program": run.get("program") or [],
        })

    gaps = [{
        "outcome": g.get("outcome", ""),
        "reason": g.get("reason", ""),
        "where": g.get("where", ""),
        "backends": list(g.get("backends") or []),
        "trace": g.get("trace", ""),
    } for g in _need(doc, "gaps", list) if isinstance(g, dict)]

    verdicts = [c["verdict"] for r in rows for c in r["cells"]]
    return {
        "ran": True,
        "kernel": str(doc.get("kernel", "")),
        "seconds": number(doc.get("seconds")),
        "case_runs": len(runs),
        "findings_reported": number(doc.get("findings")),
        "columns": columns,
        "backends": backends,
        "rows": rows,
        "cell_counts": {v: verdicts.count(v) for v in sorted(set(verdicts), key=_cell_order)},
        "findings": findings,
        "gaps": gaps,
    }


def _cell_order(verdict):
    order = ("violation", "hang", "leak", "known", "partly", "ok", "not-provoked", "n/a")
    return order.index(verdict) if verdict in order else len(order)


def load(report_dir, problems):
    """The conformance section, or {"ran": False} when there is none."""
    doc = read_json(report_dir, FILE, problems, "conformance", want=dict)
    if doc is None:
        return {"ran": False}
    try:
        return build(doc)
    except (Malformed, AttributeError, TypeError) as e:
        problems.add("conformance", FILE, str(e) if isinstance(e, Malformed)
                     else f"unexpected structure: {e}")
        return {"ran": False}
