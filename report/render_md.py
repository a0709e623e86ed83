"""summary.md: for a GitHub job summary. Headline, counts, one compact table
per section; no links (the report directory is an artifact, not a site)."""
import fmt


def _cell(value):
    text = "" if value is None else str(value)
    return text.replace("\n", " ").replace("|", "\\|")


def _table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out + [""]


def _env(report):
    meta = report["meta"]
    if not meta:
        return ["Environment: meta.json not written (not run).", ""]
    pairs = [("kernel", meta["kernel"]), ("libc", meta["libc"]), ("host", meta["host"]),
             ("commit", meta["git"]), ("started", meta["started"]),
             ("budget", f"{meta['minutes_budget']} min" if meta["minutes_budget"] is not None
              else None), ("jobs", meta["jobs"]), ("nightly exit", meta["exit"]),
             ("set-up and builds", f"{meta['setup_seconds']:g} s" if meta["setup_seconds"] is not None
              else None),
             ("checks", f"{meta['checks_seconds']:g} s" if meta["checks_seconds"] is not None else None)]
    return [" · ".join(f"{k} `{v}`" for k, v in pairs if v is not None), ""]


def _stages(report):
    if report["stages"] is None:
        return ["## Stages", "", "not run (no stages.json)", ""]
    rows = [(s["name"], s["status"], fmt.seconds(s["seconds"]), s["detail"])
            for s in report["stages"]]
    return ["## Stages", ""] + _table(("stage", "status", "time", "detail"), rows)


def _conformance(report):
    c = report["conformance"]
    out = ["## Conformance", ""]
    if not c["ran"]:
        return out + ["not run", ""]
    cells = ", ".join(f"{v} {n}" for v, n in c["cell_counts"].items())
    out += [f"{c['case_runs']} case runs in {fmt.seconds(c['seconds'])} on kernel "
            f"`{c['kernel']}`; cells: {cells}; {len(c['gaps'])} undocumented outcome(s).", ""]
    if c["findings"]:
        out += _table(("case", "backend", "verdict"),
                      [(f["case"], f["backend"], f["verdict"]) for f in c["findings"]])
    return out + _kernel_columns(report)


def _cells(conf):
    return ", ".join(f"{v} {n}" for v, n in conf["cell_counts"].items())


def _kernel_columns(report):
    """The matrix per kernel, the host first (only when kernels/ exists)."""
    c, k = report["conformance"], report["kernels"]
    if not k["ran"]:
        return []
    rows = [(f"`{c['kernel']}`", "host", c["case_runs"], _cells(c), len(c["findings"]))]
    for v in k["runs"]:
        conf = v["conformance"]
        rows.append((f"`{v['kernel'] or v['label']}`", f"{v['label']} ({v['world'] or '-'})",
                     *((conf["case_runs"], _cells(conf), len(conf["findings"])) if conf
                       else ("-", "no conform.json", "-"))))
    return _table(("kernel", "run", "case runs", "cells", "findings"), rows)


MAX_CHANGES = 100  # a job summary stays short; index.html has them all


def _kernels(report):
    k = report["kernels"]
    if not k["ran"]:
        return []
    out = ["## What changed between kernels", ""]
    for v in k["runs"]:
        d, boot = v["diff"], fmt.seconds(v["boot_seconds"])
        restarts = "-" if v["restarts"] is None else v["restarts"]
        out += [f"**{v['label']}**: kernel `{v['kernel'] or '-'}`, world {v['world'] or '-'}, "
                f"accel {v['accel'] or '-'}, boot {boot}, {restarts} restart(s), "
                f"{len(v['console_findings'])} console finding(s).", ""]
        if d is None:
            out += ["No comparison (diff.json missing or corrupt).", ""]
        elif not d["changes"]:
            out += [f"No cell changed from `{d['kernel_a']}` to `{d['kernel_b']}`.", ""]
        else:
            out += [f"From `{d['kernel_a']}` to `{d['kernel_b']}`: {d['changed']} changed, "
                    f"{d['only_in_a']} only on the host, {d['only_in_b']} only on this kernel.", ""]
            out += _table(("row", "column", "backend", "case", "host", "this kernel"),
                          [(x["row"], x["column"], x["backend"] or "", x["case"] or "",
                            "(absent)" if x["a"] is None else x["a"],
                            "(absent)" if x["b"] is None else x["b"])
                           for x in d["changes"][:MAX_CHANGES]])
            if len(d["changes"]) > MAX_CHANGES:
                out += [f"... and {len(d['changes']) - MAX_CHANGES} more (index.html).", ""]
        if v["console_findings"]:
            out += _table(("console finding", "running", "excerpt"),
                          [(f["kind"], f["program"] or "", _first_line(f["excerpt"], f["kind"]))
                           for f in v["console_findings"]])
    return out


def _first_line(excerpt, kind):
    """The excerpt's line naming the finding (else its first line)."""
    lines = excerpt.splitlines() or [""]
    return next((ln for ln in lines if kind in ln), lines[0]).strip()


def _properties(report):
    p = report["properties"]
    out = ["## Properties", ""]
    if not p["ran"]:
        return out + ["not run", ""]
    seed = f" Seed {p['seed']} (`RC_PARAMS=\"seed={p['seed']}\"` reruns them)." if p["seed"] else ""
    out += [f"{p['tests']} properties, {p['failures']} failed, {p['skipped']} skipped.{seed}", ""]
    out += _table(("property", "result", "time"),
                  [(f"{c['suite']}.{c['name']}", c["status"], fmt.seconds(c["seconds"]))
                   for c in p["cases"]])
    if p["reproduce"]:
        out += ["Reproduce the failures:", "", "```", p["reproduce"], "```", ""]
    return out


def _fuzz(report):
    f = report["fuzz"]
    out = ["## Fuzzing", ""]
    if not f["ran"]:
        return out + ["not run", ""]
    rows = []
    for t in f["targets"]:
        s = t["stats"] or {}
        cov = s.get("coverage") or {}
        rows.append((t["target"], fmt.seconds(s.get("seconds")), fmt.count(s.get("execs")),
                     fmt.count(s.get("execs_per_sec")),
                     f"{fmt.count(s.get('corpus_before'))} → {fmt.count(s.get('corpus_after'))}",
                     fmt.count(s.get("new_inputs_merged")),
                     f"{fmt.count(cov.get('cov'))} / {fmt.count(cov.get('ft'))}",
                     fmt.count(s.get("rss_mb")), t["findings"]))
    out += _table(("target", "time", "execs", "execs/s", "corpus", "merged", "cov / ft",
                   "RSS MB", "findings"), rows)
    if f["findings"]:
        out += _table(("finding", "kind", "replay"),
                      [(f"{x['target']}/{x['id']}", x["kind"], f"`{x['replay']}`")
                       for x in f["findings"]])
    return out


def _bench(report):
    b = report["benchmarks"]
    out = ["## Benchmarks", ""]
    if not b["ran"]:
        return out + ["not run", ""]
    rows = [(r["name"], r["skipped"] and f"skipped: {r['skipped']}" or fmt.ns(r["median_ns"]),
             fmt.ratio(r["x_floor"]), r["change"] or "", r["verdict"] or "")
            for r in b["benchmarks"]]
    out += _table(("benchmark", "median ns", "× floor", "change", "verdict"), rows)
    if b["compare"]:
        out += [f"Against the previous run: {b['compare']['summary']}", ""]
    if b["overhead"]:
        out += ["Wrapper overhead:", "", "```"] + [o["line"] for o in b["overhead"]] + ["```", ""]
    return out


def render(report):
    out = [f"# conncheck nightly: {report['headline']}", ""]
    counts = report["counts"]
    out += _table(("findings", "regressions", "overhead over target", "stage errors",
                   "missing/corrupt outputs"),
                  [(counts["findings"], counts["regressions"], counts["overhead_over_target"],
                    counts["stage_errors"], counts["problems"])])
    out += _env(report)
    if report["problems"]:
        out += ["## Problems", ""] + [f"- {p['message']}" for p in report["problems"]] + [""]
    for part in (_stages, _conformance, _kernels, _properties, _fuzz, _bench):
        out += part(report)
    return "\n".join(out).rstrip("\n") + "\n"
