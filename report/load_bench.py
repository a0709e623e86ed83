"""bench/: run.json (Google Benchmark JSON), compare.txt (bench/compare.py),
overhead.txt (bench/overhead.py), summary.md and chart.svg."""
import re
from statistics import median

from inputs import exists, number, read_json, read_text

STAGE = "benchmarks"
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
SUFFIX = "/real_time"
# compare.py's rows: name, base ns, new ns, change, p(U), verdict (p: gbench's two-sided
# Mann-Whitney U test over the repetitions' real times).
_COMPARE_ROW = re.compile(r"^(\S+)\s+([\d,.]+|-)\s+([\d,.]+|-)\s+([+-]?[\d.]+%|-)\s+"
                          r"([\d.]+|-)\s+(\S.*?)\s*$")
# overhead.py's lines: "ebadf  direct 143.8 ns  libc wrapper 163.2 ns  overhead +13.5% ..."
_OVERHEAD = re.compile(r"^(\S+)\s+direct\s+([\d.]+) ns\s+libc wrapper\s+([\d.]+) ns\s+"
                       r"overhead\s+([+-]?[\d.]+%)\s+p\(wrapper slower\)\s+([\d.]+)\s+(.*)$")


def _num(text):
    return None if text == "-" else float(text.replace(",", "").rstrip("%"))


def benchmarks(doc):
    """[{name, median_ns, x_floor, repetitions, skipped}] in registration
    order from the per-repetition entries (aggregates are ignored)."""
    samples, ratios, skipped, order = {}, {}, {}, {}
    for b in doc.get("benchmarks") or []:
        if not isinstance(b, dict):
            continue
        name = str(b.get("run_name") or b.get("name") or "?")
        name = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
        fam = b.get("family_index")
        order.setdefault(name, (fam if isinstance(fam, int) else len(order),
                                b.get("per_family_instance_index", 0)))
        if b.get("error_occurred"):
            skipped[name] = str(b.get("error_message") or "error")
            continue
        if b.get("run_type", "iteration") != "iteration":
            continue
        t = number(b.get("real_time"))
        if t is None or b.get("time_unit", "ns") not in UNIT_NS:
            continue
        samples.setdefault(name, []).append(t * UNIT_NS[b.get("time_unit", "ns")])
        if number(b.get("x_floor")) is not None:
            ratios.setdefault(name, []).append(b["x_floor"])
    rows = []
    for name in sorted(set(samples) | set(skipped), key=lambda n: order[n]):
        s = samples.get(name, [])
        rows.append({
            "name": name,
            "median_ns": median(s) if s and name not in skipped else None,
            "x_floor": median(ratios[name]) if name in ratios and name not in skipped else None,
            "repetitions": len(s),
            "skipped": skipped.get(name),
        })
    return rows


def compare(text):
    rows, lines = [], text.splitlines()
    for line in lines:
        m = _COMPARE_ROW.match(line)
        if not m or m.group(1) == "benchmark":
            continue
        rows.append({"name": m.group(1), "base_ns": _num(m.group(2)), "new_ns": _num(m.group(3)),
                     "change": m.group(4) if m.group(4) != "-" else None,
                     "p_utest": _num(m.group(5)), "verdict": m.group(6)})
    last = lines[-1].strip() if lines else ""
    return {"rows": rows, "summary": last,
            "regressions": [r["name"] for r in rows if r["verdict"] == "REGRESSION"]}


def overhead(text):
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _OVERHEAD.match(line.strip())
        out.append({
            "line": line.rstrip(),
            "path": m.group(1) if m else None,
            "direct_ns": float(m.group(2)) if m else None,
            "wrapper_ns": float(m.group(3)) if m else None,
            "overhead": m.group(4) if m else None,
            "over_target": "OVER TARGET" in line,
        })
    return out


def load(report_dir, problems):
    """The benchmarks section, or {"ran": False} when bench/ holds nothing."""
    doc = read_json(report_dir, "bench/run.json", problems, STAGE, want=dict)
    compare_txt = read_text(report_dir, "bench/compare.txt", problems, STAGE)
    overhead_txt = read_text(report_dir, "bench/overhead.txt", problems, STAGE)
    chart = "bench/chart.svg" if exists(report_dir, "bench/chart.svg") else None
    has_summary = exists(report_dir, "bench/summary.md")
    if doc is None and compare_txt is None and overhead_txt is None and chart is None:
        return {"ran": False}
    rows = []
    if doc is not None:
        if not isinstance(doc.get("benchmarks"), list):
            problems.add(STAGE, "bench/run.json",
                         "no 'benchmarks' list: not Google Benchmark JSON output")
        else:
            rows = benchmarks(doc)
    context = doc.get("context") if doc and isinstance(doc.get("context"), dict) else {}
    cmp = compare(compare_txt) if compare_txt is not None else None
    verdicts = {r["name"]: r for r in (cmp["rows"] if cmp else [])}
    for row in rows:
        c = verdicts.get(row["name"])
        row["change"] = c["change"] if c else None
        row["verdict"] = c["verdict"] if c else None
    over = overhead(overhead_txt) if overhead_txt is not None else []
    floor = context.get("conncheck_floor_ns")
    return {
        "ran": True,
        "date": str(context.get("date", "")),
        "host": str(context.get("host_name", "")),
        "num_cpus": number(context.get("num_cpus")),
        "floor_ns": _num(str(floor)) if floor is not None and re.match(r"^[\d.]+$", str(floor))
        else None,
        "benchmarks": rows,
        "compare": cmp,
        "compare_text": compare_txt,
        "overhead": over,
        "regressions": cmp["regressions"] if cmp else [],
        "over_target": [o["path"] or o["line"] for o in over if o["over_target"]],
        "chart": chart,
        "summary_md": "bench/summary.md" if has_summary else None,
    }
