"""fuzz/<target>/stats.json and fuzz/<target>/findings/<id>/: per-target
statistics and every finding with its input, trace and C reproducer."""
import os

from inputs import number, read_bytes, read_json, read_text, subdirs

KINDS = ("violation", "hang", "leak", "backend-disagreement", "crash")
STAT_FIELDS = ("seconds", "execs", "execs_per_sec", "corpus_before", "corpus_after",
               "new_inputs_merged", "rss_mb", "findings")
CLI = "build/plain/harness/cli/conncheck"
PREVIEW_BYTES = 64


def _hex_preview(data):
    """The first bytes as 'xx xx ...' in lines of 16."""
    head = data[:PREVIEW_BYTES]
    lines = [" ".join(f"{b:02x}" for b in head[i:i + 16]) for i in range(0, len(head), 16)]
    if len(data) > PREVIEW_BYTES:
        lines.append(f"... ({len(data)} bytes in all)")
    return "\n".join(lines)


def _stats(report_dir, target, problems):
    rel = f"fuzz/{target}/stats.json"
    doc = read_json(report_dir, rel, problems, "fuzz", want=dict)
    if doc is None:
        return None
    stats = {key: number(doc.get(key)) for key in STAT_FIELDS}
    cov = doc.get("coverage") if isinstance(doc.get("coverage"), dict) else {}
    stats["coverage"] = {"cov": number(cov.get("cov")), "ft": number(cov.get("ft"))}
    if doc.get("target") not in (None, target):
        problems.add("fuzz", rel, f"names target {doc.get('target')!r} but sits in fuzz/{target}/")
    return stats


def _finding(report_dir, target, fid, problems):
    base = f"fuzz/{target}/findings/{fid}"

    def text(name, required=True):
        value = read_text(report_dir, f"{base}/{name}", problems, "fuzz")
        if value is None and required and not os.path.lexists(os.path.join(report_dir, base, name)):
            problems.add("fuzz", f"{base}/{name}", "missing")
        return value

    kind = (text("kind.txt") or "").strip() or "unknown"
    if kind not in KINDS:
        kind = f"unknown ({kind})" if kind != "unknown" else kind
    data = read_bytes(report_dir, f"{base}/input", problems, "fuzz", limit=1 << 20)
    if data is None and not os.path.lexists(os.path.join(report_dir, base, "input")):
        problems.add("fuzz", f"{base}/input", "missing")
    return {
        "id": fid,
        "target": target,
        "kind": kind,
        "input": f"{base}/input",
        "input_size": len(data) if data is not None else None,
        "input_hex": _hex_preview(data) if data is not None else None,
        "trace": text("trace.txt"),
        "repro_c": text("repro.c"),
        "minimized": text("minimized.txt", required=False),
        "replay": f"{CLI} repro {base}/input --target {target}",
    }


def load(report_dir, problems):
    """The fuzz section, or {"ran": False} when fuzz/ holds no target."""
    targets, findings = [], []
    for target in subdirs(report_dir, "fuzz"):
        found = [_finding(report_dir, target, fid, problems)
                 for fid in subdirs(report_dir, f"fuzz/{target}/findings")]
        stats = _stats(report_dir, target, problems)
        note = None
        if stats and stats["findings"] is not None and stats["findings"] != len(found):
            note = (f"stats.json counts {stats['findings']} finding(s), "
                    f"findings/ holds {len(found)}")
        targets.append({"target": target, "ran": stats is not None, "stats": stats,
                        "findings": len(found), "note": note})
        findings.extend(found)
    if not targets:
        return {"ran": False}
    return {"ran": True, "targets": targets, "findings": findings}
