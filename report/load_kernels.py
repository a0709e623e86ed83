"""kernels/<label>/: the nightly's runs on other kernels, each in a VM.

Each directory holds
  conform.json  that kernel's matrix (`conncheck conform --format json` in
                the guest; the same format as the host's conform.json)
  meta.json     {"label", "kernel" (the guest's uname -r), "accel" (tcg or
                kvm), "world" ("vm"), "boot_seconds", "restarts",
                "console_findings": [{"kind", "excerpt", "program"}]}
  diff.json     `conncheck conform --diff conform.json
                kernels/<label>/conform.json --format json`: side a is the
                host, side b this kernel
A directory without one of them is recorded as a problem: the VM run was
meant to leave all three. No kernels/ at all: {"ran": False}, and the
renderers show nothing of it (the report is as without kernels).
"""
import load_conform
from inputs import exists, number, read_json, subdirs

DIR = "kernels"
ACCELS = ("tcg", "kvm")
DIFF_FORMAT = "conncheck-conform-diff/1"
CHANGES = ("changed", "only-in-a", "only-in-b")


def _text(value):
    return None if value is None else str(value)


def _read(report_dir, label, name, problems):
    """kernels/<label>/<name> parsed, or None (absent or corrupt: recorded)."""
    rel = f"{DIR}/{label}/{name}"
    if not exists(report_dir, rel):
        problems.add("kernels", rel, "missing")
        return None
    return read_json(report_dir, rel, problems, "kernels", want=dict)


def _console_findings(doc, rel, problems):
    found = doc.get("console_findings")
    if found is None:
        return []
    if not isinstance(found, list):
        problems.add("kernels", rel, "console_findings is not a list")
        return []
    out = []
    for i, f in enumerate(found):
        if not isinstance(f, dict) or not isinstance(f.get("kind"), str):
            problems.add("kernels", rel, f"console_findings[{i}] has no kind")
            continue
        out.append({"kind": f["kind"], "excerpt": str(f.get("excerpt") or ""),
                    "program": _text(f.get("program"))})
    return out


def _meta(report_dir, label, problems):
    rel = f"{DIR}/{label}/meta.json"
    doc = _read(report_dir, label, "meta.json", problems) or {}
    if doc.get("label") not in (None, label):
        problems.add("kernels", rel, f"names label {doc.get('label')!r} but sits in {DIR}/{label}/")
    accel = _text(doc.get("accel"))
    if doc and accel not in ACCELS:
        problems.add("kernels", rel, f"accel is {accel!r}, want one of " + "/".join(ACCELS))
    restarts = number(doc.get("restarts"))
    return {
        "kernel": _text(doc.get("kernel")),
        "accel": accel,
        "world": _text(doc.get("world")),
        "boot_seconds": number(doc.get("boot_seconds")),
        "restarts": int(restarts) if restarts is not None else None,
        "console_findings": _console_findings(doc, rel, problems),
    }


def _conformance(report_dir, label, problems):
    doc = _read(report_dir, label, load_conform.FILE, problems)
    if doc is None:
        return None
    try:
        return load_conform.build(doc)
    except (load_conform.Malformed, AttributeError, TypeError) as e:
        problems.add("kernels", f"{DIR}/{label}/{load_conform.FILE}", str(e))
        return None


def _change(c):
    return {"kind": _text(c.get("kind")), "row": _text(c.get("row")),
            "column": _text(c.get("column")), "case": _text(c.get("case")),
            "backend": _text(c.get("backend")), "change": c.get("change"),
            "a": _text(c.get("a")), "b": _text(c.get("b"))}


def _diff(report_dir, label, problems):
    rel = f"{DIR}/{label}/diff.json"
    doc = _read(report_dir, label, "diff.json", problems)
    if doc is None:
        return None
    if doc.get("format") != DIFF_FORMAT or not isinstance(doc.get("changes"), list):
        problems.add("kernels", rel, f"format is {doc.get('format')!r}, want '{DIFF_FORMAT}' "
                                     "with a list of changes")
        return None
    changes = [_change(c) for c in doc["changes"]
               if isinstance(c, dict) and c.get("change") in CHANGES]
    if len(changes) != len(doc["changes"]):
        problems.add("kernels", rel, f"{len(doc['changes']) - len(changes)} change(s) "
                                     "without kind/change")
    sides = {s: doc.get(s) if isinstance(doc.get(s), dict) else {} for s in ("a", "b")}
    return {
        "kernel_a": _text(sides["a"].get("kernel")),
        "kernel_b": _text(sides["b"].get("kernel")),
        "changed": sum(c["change"] == "changed" for c in changes),
        "only_in_a": sum(c["change"] == "only-in-a" for c in changes),
        "only_in_b": sum(c["change"] == "only-in-b" for c in changes),
        "changes": changes,
    }


def load(report_dir, problems):
    """The kernels section, or {"ran": False} when there is no kernels/."""
    labels = subdirs(report_dir, DIR)
    if not labels:
        return {"ran": False}
    runs = []
    for label in labels:
        run = {"label": label, "dir": f"{DIR}/{label}"}
        run.update(_meta(report_dir, label, problems))
        run["conformance"] = _conformance(report_dir, label, problems)
        if run["kernel"] is None and run["conformance"]:
            run["kernel"] = run["conformance"]["kernel"]
        run["diff"] = _diff(report_dir, label, problems)
        runs.append(run)
    return {"ran": True, "runs": runs}
