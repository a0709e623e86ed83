"""properties.xml (gtest's --gtest_output=xml of the RapidCheck properties)
and properties.txt (their console output, which holds the RC_PARAMS
reproduce string RapidCheck prints at the end)."""
import re
import xml.etree.ElementTree as ET

from inputs import read_bytes, read_text

FILE = "properties.xml"
CONSOLE = "properties.txt"
BINARY = "build/plain/properties/conncheck_properties"
_REPRODUCE = re.compile(r'RC_PARAMS="reproduce=[^"\s]*"')
# RapidCheck prints the configuration it runs with before each property;
# the nightly gives it a fresh seed, which is what to rerun the whole
# exploration with (a failure's reproduce string replays one case only).
_SEED = re.compile(r"^Using configuration:.*\bseed=(\d+)", re.MULTILINE)
CONSOLE_TAIL_LINES = 200


def _seconds(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _failure_text(element):
    message = element.get("message") or ""
    body = (element.text or "").strip()
    if not body or body == message.strip():
        return message.strip()
    if not message or message.strip() in body:
        return body
    return message.strip() + "\n" + body


def _cases(root):
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    for suite in suites:
        for case in suite.iter("testcase"):
            failures = case.findall("failure") + case.findall("error")
            if failures:
                status = "failed"
            elif case.find("skipped") is not None or case.get("status") == "notrun":
                status = "skipped"
            else:
                status = "passed"
            yield {
                "suite": case.get("classname") or suite.get("name") or "",
                "name": case.get("name") or "",
                "status": status,
                "seconds": _seconds(case.get("time")),
                "failure": "\n\n".join(_failure_text(f) for f in failures) or None,
            }


def load(report_dir, problems):
    """The properties section, or {"ran": False} when there is none."""
    console = read_text(report_dir, CONSOLE, problems, "properties")
    data = read_bytes(report_dir, FILE, problems, "properties")
    if data is None:
        return {"ran": False}
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        problems.add("properties", FILE, f"not XML: {e}")
        return {"ran": False}
    if root.tag not in ("testsuites", "testsuite"):
        problems.add("properties", FILE, f"root element <{root.tag}>, want <testsuites>")
        return {"ran": False}

    cases = list(_cases(root))
    reproduce = seed = None
    if console:
        found = _REPRODUCE.findall(console)
        reproduce = found[-1] if found else None
        seeds = _SEED.findall(console)
        seed = seeds[0] if seeds else None
    for case in cases:
        case["reproduce"] = None
        if case["status"] != "failed":
            continue
        own = _REPRODUCE.search(case["failure"] or "")
        params = own.group(0) if own else reproduce
        gtest_filter = f"--gtest_filter={case['suite']}.{case['name']}"
        case["reproduce"] = f"{params} {BINARY} {gtest_filter}" if params else None
    tail = None
    if console:
        lines = console.splitlines()
        tail = "\n".join(lines[-CONSOLE_TAIL_LINES:])
    return {
        "ran": True,
        "tests": len(cases),
        "failures": sum(c["status"] == "failed" for c in cases),
        "skipped": sum(c["status"] == "skipped" for c in cases),
        "seconds": _seconds(root.get("time")),
        "seed": seed,
        "reproduce": reproduce,
        "cases": cases,
        "console_tail": tail,
    }
