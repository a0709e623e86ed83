"""index.html: the report for a browser, from templates/index.html.j2.

Self-contained: the CSS is inline, the chart SVG is inlined (after a check
that it holds nothing active; otherwise it is referenced relatively as an
<img>, where no script can run), and there is no JavaScript at all."""
import os
import re

import jinja2

import fmt

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
# Anything that could run or load something: such an SVG is not inlined.
_ACTIVE = re.compile(r"<script|<foreignObject|<iframe|\son[a-z]+\s*=|javascript:|"
                     r"(?:href|src)\s*=\s*[\"'](?!#|data:image/)", re.I)
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.S)
MAX_INLINE_SVG = 4 << 20

VERDICT_LABELS = {
    "ok": "ok", "known": "known", "partly": "partly", "not-provoked": "not provoked",
    "n/a": "n/a", "violation": "VIOLATION", "hang": "HANG", "leak": "LEAK",
    "setup-error": "setup error",
}
BACKEND_LETTERS = {"libc": "L", "syscall": "S", "io_uring": "U"}


def verdict_class(verdict):
    return "v-" + re.sub(r"[^a-z]+", "-", (verdict or "none").lower()).strip("-")


def inline_chart(report_dir, rel):
    """The chart's <svg> element ready to inline, or None to use an <img>."""
    if not rel:
        return None
    try:
        with open(os.path.join(report_dir, rel), encoding="utf-8") as f:
            svg = f.read(MAX_INLINE_SVG + 1)
    except (OSError, UnicodeDecodeError):
        return None
    root = _SVG_ROOT.search(svg)
    if len(svg) > MAX_INLINE_SVG or not root or _ACTIVE.search(svg):
        return None
    tag = re.sub(r'\s(?:width|height)="[^"]*"', "", root.group(0))
    tag = tag.replace("<svg", '<svg class="chart" role="img" aria-label="benchmark history"', 1)
    return jinja2.utils.markupsafe.Markup(tag + svg[root.end():])


def _environment():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        seconds=fmt.seconds, count=fmt.count, ns=fmt.ns, ratio=fmt.ratio,
        vclass=verdict_class, vlabel=lambda v: VERDICT_LABELS.get(v, v),
        letter=lambda b: BACKEND_LETTERS.get(b, b[:1].upper()),
    )
    return env


def kernel_columns(report):
    """The matrix's columns per family/type when other kernels ran: the host
    first (cells None: its own), then each kernel with its cells by row id
    and column. [] without kernels/, and the matrix is drawn as before."""
    conf, kernels = report["conformance"], report["kernels"]
    if not (conf["ran"] and kernels["ran"]):
        return []
    cols = [{"label": "host", "kernel": conf["kernel"], "cells": None}]
    for run in kernels["runs"]:
        rows = (run["conformance"] or {}).get("rows", [])
        cols.append({"label": run["label"], "kernel": run["kernel"] or run["label"],
                     "cells": {row["id"]: {c["column"]: c for c in row["cells"]} for row in rows}})
    return cols


def render(report, report_dir):
    bench = report["benchmarks"]
    chart_svg = inline_chart(report_dir, bench.get("chart")) if bench["ran"] else None
    longest = max([s["seconds"] or 0 for s in report["stages"] or []] + [0])
    template = _environment().get_template("index.html.j2")
    return template.render(r=report, chart_svg=chart_svg, longest_stage=longest or 1,
                           backend_letters=BACKEND_LETTERS, kcols=kernel_columns(report))
