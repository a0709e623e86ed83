#!/usr/bin/python3
"""Renders the fixture report in headless Chromium (Debian's chromium) and
checks that the conformance matrix and the benchmark chart really render:
the DOM Chromium built holds them with their content, and the screenshot
holds the matrix cell colours and the chart's line colours (not a blank
page). Exit 77 (ctest: skipped) when /usr/bin/chromium is not installed.

  /usr/bin/python3 report/tests/test_chromium.py [--keep DIR]
--keep DIR leaves the built report and shot.png / shot-full.png in DIR.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
BUILDER = os.path.join(os.path.dirname(HERE), "build_report.py")
FIXTURE = os.path.join(HERE, "fixtures", "nightly")
CHROMIUM = "/usr/bin/chromium"
# The page is about 8,700 px tall at this width; one tall shot holds it all.
FULL_HEIGHT = 9600
# templates/_style.html.j2's cell colours, and matplotlib's first three lines.
CELL_COLOURS = {"ok": (0xcd, 0xeb, 0xd3), "known": (0xd6, 0xe4, 0xfa),
                "not-provoked": (0xf6, 0xe0, 0xb5), "n/a": (0xee, 0xee, 0xee)}
LINE_COLOURS = {"C0 blue": (31, 119, 180), "C1 orange": (255, 127, 14), "C2 green": (44, 160, 44)}
BANNER_FINDINGS = (0xb3, 0x26, 0x1e)


def chromium(args, profile, timeout=40):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def count_near(image, colour, box=None, tolerance=3):
    region = image.crop(box) if box else image
    hist = 0
    for count, px in region.getcolors(maxcolors=1 << 24):
        if all(abs(a - b) <= tolerance for a, b in zip(px, colour)):
            hist += count
    return hist


def check(out):
    failures = []

    def expect(ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    report = os.path.join(out, "nightly")
    shutil.copytree(FIXTURE, report)
    res = subprocess.run(["/usr/bin/python3", BUILDER, report], capture_output=True, text=True)
    expect(res.returncode == 0, f"build_report.py exit 0 ({res.stderr.strip()})")
    url = "file://" + os.path.join(report, "index.html")

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        dom = chromium(["--dump-dom", url], profile).stdout
        shot = os.path.join(out, "shot.png")
        full = os.path.join(out, "shot-full.png")
        chromium(["--window-size=1280,1800", f"--screenshot={shot}", url], profile)
        chromium([f"--window-size=1280,{FULL_HEIGHT}", f"--screenshot={full}", url], profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)

    # The DOM as Chromium parsed it.
    matrix = re.search(r'<table class="matrix" id="conformance-matrix">(.*?)</table>', dom, re.S)
    expect(matrix is not None, "DOM has #conformance-matrix")
    if matrix:
        rows = re.findall(r"<tr data-row=", matrix.group(1))
        cells = re.findall(r'<td class="cell v-[a-z-]+" data-verdict="([a-z/-]+)"', matrix.group(1))
        expect(len(rows) == 35 and len(cells) == 35 * 7, f"matrix 35 x 7 ({len(rows)} rows, "
                                                          f"{len(cells)} cells)")
        expect({"ok", "known", "not-provoked", "n/a"} <= set(cells), "matrix verdicts varied")
        expect("EHOSTUNREACH" in matrix.group(1) and "AF_UNIX/seqpacket" in matrix.group(1),
               "matrix has its row and column labels")
    chart = re.search(r'<figure id="bench-chart">(.*?)</figure>', dom, re.S)
    expect(chart is not None and "<svg" in chart.group(1), "DOM has #bench-chart with an inline <svg>")
    if chart:
        paths = len(re.findall(r"<path\b", chart.group(1)))
        expect(paths > 50, f"chart has its strokes ({paths} <path> elements)")
        expect("ebadf" in chart.group(1), "chart names the ebadf panel")
    expect('id="finding-connect_program_fuzzer-hang-5f3a9c1e"' in dom, "DOM has the fuzz finding")

    # The pixels.
    for name, path, height in (("first screen", shot, 1800), ("full page", full, FULL_HEIGHT)):
        ok = os.path.exists(path)
        expect(ok, f"{name} screenshot written")
        if not ok:
            return failures
        image = Image.open(path).convert("RGB")
        expect(image.size == (1280, height), f"{name} is 1280x{height} ({image.size})")
    first = Image.open(shot).convert("RGB")
    expect(count_near(first, BANNER_FINDINGS, (0, 0, 1280, 120)) > 50000,
           "banner is the findings red")
    for verdict, colour in CELL_COLOURS.items():
        n = count_near(first, colour, (0, 600, 1280, 1800))
        expect(n > 5000, f"matrix cells '{verdict}' painted ({n} px of {colour})")
    page = Image.open(full).convert("RGB")
    lower = (0, page.size[1] // 2, 1280, page.size[1])
    for name, colour in LINE_COLOURS.items():
        n = count_near(page, colour, lower, tolerance=12)
        expect(n > 100, f"chart line {name} drawn ({n} px near {colour})")
    white = count_near(page, (255, 255, 255), tolerance=0)
    expect(white < 0.9 * page.size[0] * page.size[1], "page is not blank")
    return failures


def main(argv):
    if not os.access(CHROMIUM, os.X_OK):
        print(f"test_chromium: {CHROMIUM} not installed (apt-get install chromium): skipped")
        return 77
    keep = argv[argv.index("--keep") + 1] if "--keep" in argv else None
    out = keep or tempfile.mkdtemp(prefix="report-chromium-")
    if keep:
        shutil.rmtree(os.path.join(keep, "nightly"), ignore_errors=True)
        os.makedirs(keep, exist_ok=True)
    try:
        failures = check(out)
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    print(f"test_chromium: {len(failures)} failure(s)" + (f"; kept {out}" if keep else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
