#!/usr/bin/python3
"""build_report.py REPORT_DIR

Reads what ci/nightly.sh's stages left in REPORT_DIR and writes, beside
them: index.html (for a browser; self-contained), summary.md (for a CI job
summary), junit.xml (one testsuite per stage) and report.json (the same
content for programs; schema report/report.schema.json).

A stage output that is absent is shown as "not run"; one that is corrupt
is recorded in the report ("stage output missing/corrupt: FILE: why") and
the report carries on without it.

Exit: 0 the report was written (whatever it found), 2 REPORT_DIR is not a
directory or the report cannot be written (one line on stderr).
Runs with Debian's /usr/bin/python3 (python3-jinja2).
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # keep report/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import model  # noqa: E402
import render_html  # noqa: E402
import render_junit  # noqa: E402
import render_md  # noqa: E402

PROG = "build_report.py"


def _write(path, text):
    """Writes through a temporary file, so a reader never sees half a report."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def build(report_dir):
    """Builds the report dict and writes the four outputs; returns the dict."""
    report = model.build(report_dir)
    outputs = {
        "report.json": json.dumps(report, indent=1, ensure_ascii=False) + "\n",
        "summary.md": render_md.render(report),
        "junit.xml": render_junit.render(report),
        "index.html": render_html.render(report, report_dir),
    }
    for name, text in outputs.items():
        _write(os.path.join(report_dir, name), text)
    return report


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) != 2 or argv[1].startswith("-"):
        print(f"{PROG}: usage: {PROG} REPORT_DIR", file=sys.stderr)
        return 2
    report_dir = argv[1]
    if not os.path.isdir(report_dir):
        why = "not a directory" if os.path.exists(report_dir) else "no such directory"
        print(f"{PROG}: {report_dir}: {why}", file=sys.stderr)
        return 2
    try:
        report = build(report_dir)
    except OSError as e:
        print(f"{PROG}: cannot write the report in {report_dir}: "
              f"{e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(f"{PROG}: {os.path.join(report_dir, 'index.html')}: {report['headline']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
