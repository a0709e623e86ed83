"""The run as a whole: meta.json (environment), stages.json (what ran, how
long), and the two short text outputs (sandbox-check.txt, calls.txt)."""
from inputs import number, read_json, read_text

STAGE_STATUSES = ("ok", "findings", "error", "skipped")
# setup_seconds: set-up and builds; checks_seconds: the stages after them,
# which must end within the budget + 10% (ci/nightly.sh).
META_FIELDS = ("started", "minutes_budget", "jobs", "kernel", "libc", "host", "git", "exit",
               "setup_seconds", "checks_seconds")


def load_meta(report_dir, problems):
    """meta.json as {field: value or None}, or None when absent/corrupt."""
    doc = read_json(report_dir, "meta.json", problems, "meta", want=dict)
    if doc is None:
        return None
    meta = {}
    for key in META_FIELDS:
        value = doc.get(key)
        if key in ("minutes_budget", "jobs", "exit", "setup_seconds", "checks_seconds"):
            value = number(value)
        elif value is not None:
            value = str(value)
        meta[key] = value
    return meta


def load_stages(report_dir, problems):
    """stages.json as a list of {name, status, seconds, detail} in run
    order, or None when absent/corrupt. An entry without a name is
    recorded and dropped; an unknown status is kept and recorded."""
    doc = read_json(report_dir, "stages.json", problems, "stages", want=list)
    if doc is None:
        return None
    stages = []
    for i, entry in enumerate(doc):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            problems.add("stages", "stages.json", f"entry {i} has no name")
            continue
        status = entry.get("status")
        if status not in STAGE_STATUSES:
            problems.add("stages", "stages.json",
                         f"stage '{entry['name']}' has status {status!r}, want one of "
                         + "/".join(STAGE_STATUSES))
            status = "error"
        stages.append({
            "name": entry["name"],
            "status": status,
            "seconds": number(entry.get("seconds")),
            "detail": str(entry.get("detail") or ""),
        })
    return stages


def load_texts(report_dir, problems):
    return {
        "sandbox_check": read_text(report_dir, "sandbox-check.txt", problems, "sandbox-check"),
        "calls": read_text(report_dir, "calls.txt", problems, "calls"),
    }
