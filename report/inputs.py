"""Reading what the nightly stages left in a report directory.

One rule: a bad stage file never stops the report. An absent file means the
stage did not run (the caller renders "not run"); a file that is there but
cannot be read or parsed is recorded as a problem,
"stage output missing/corrupt: <file>: <why>", and the report carries on
without it.
"""
import json
import os

# Traces and reproducers are shown whole, up to this much; a stage that
# writes more has gone wrong, and the page must stay loadable.
MAX_TEXT = 512 * 1024


class Problems:
    """The list of stage outputs that were missing or corrupt."""

    def __init__(self):
        self.items = []

    def add(self, stage, rel, why):
        self.items.append({
            "stage": stage,
            "file": rel,
            "why": why,
            "message": f"stage output missing/corrupt: {rel}: {why}",
        })

    def for_stage(self, stage):
        return [p for p in self.items if p["stage"] == stage]


def exists(report_dir, rel):
    return os.path.lexists(os.path.join(report_dir, rel))


def read_bytes(report_dir, rel, problems, stage, limit=MAX_TEXT):
    """The file's bytes (at most `limit`), or None when it is absent or
    unreadable (unreadable is recorded)."""
    path = os.path.join(report_dir, rel)
    if not os.path.lexists(path):
        return None
    try:
        with open(path, "rb") as f:
            return f.read(limit)
    except OSError as e:
        problems.add(stage, rel, f"cannot read: {e.strerror or e}")
        return None


def read_text(report_dir, rel, problems, stage, limit=MAX_TEXT):
    """The file as text (undecodable bytes replaced; a note appended when
    cut at `limit`), or None when absent or unreadable."""
    data = read_bytes(report_dir, rel, problems, stage, limit + 1)
    if data is None:
        return None
    text = data[:limit].decode("utf-8", errors="replace")
    if len(data) > limit:
        text += f"\n[... cut at {limit // 1024} KiB by the report builder]\n"
    return text


def read_json(report_dir, rel, problems, stage, want=None):
    """The parsed JSON document, or None when absent or corrupt (corrupt is
    recorded). `want` (dict or list) is the type the top level must have."""
    path = os.path.join(report_dir, rel)
    if not os.path.lexists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        problems.add(stage, rel, f"cannot read: {e.strerror or e}")
        return None
    except UnicodeDecodeError as e:
        problems.add(stage, rel, f"not UTF-8: {e.reason} at byte {e.start}")
        return None
    except json.JSONDecodeError as e:
        problems.add(stage, rel, f"not JSON: {e.msg} at line {e.lineno} column {e.colno}")
        return None
    if want is not None and not isinstance(doc, want):
        problems.add(stage, rel, f"top level is {type(doc).__name__}, want {want.__name__}")
        return None
    return doc


def number(value):
    """`value` when it is a JSON number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def subdirs(report_dir, rel):
    """Names of the directories in report_dir/rel, sorted; [] when absent."""
    path = os.path.join(report_dir, rel)
    try:
        names = os.listdir(path)
    except OSError:
        return []
    return sorted(n for n in names if os.path.isdir(os.path.join(path, n)))
