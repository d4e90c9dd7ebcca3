#!/usr/bin/env python3
"""blankform.py - check that a document left blank for e-office numbering is laid out as
its numbered form.

Usage:
    blankform.py --blank BLANK.pdf --numbered NUMBERED.pdf --code /KH-UBND \
                 --place "Sóc Trăng" --year 2026

Reads page 1 of both PDFs with `mutool draw -F stext` (characters with their baselines;
MuPDF reports a no-break space as a space) and the text runs of BLANK's page 1 content
stream (each Tj or TJ operator's strings, decoded through the font's encoding and ToUnicode
map with the reader of tests/pdfa_rules.py), and
checks:
  blank.so        the Số line of BLANK reads "Số:", a space, exactly six no-break spaces,
                  a space, then the ký hiệu ("Số:  ⍽⍽⍽⍽⍽⍽  /KH-UBND")
  blank.date      the date line reads "<place>, ngày", space, six no-break spaces, space,
                  "tháng", space, six no-break spaces, space, "năm <year>"
  blank.baselines the Số and date lines stand on the same baseline as in NUMBERED (+-0.1 pt)
  blank.centres   each is centred where NUMBERED centres its own (+-0.5 pt): under the
                  agency and under the Quốc hiệu
  blank.gaps      the blank between "Số:" and the ký hiệu, and between "ngày" and "tháng"
                  and "tháng" and "năm", is at least 12 pt wide: room for the number or day
                  the e-office system stamps
  blank.rest      every line below the header (title, body) is where NUMBERED has it
Ends with "N passed, M failed"; exit 0 when all passed, 1 otherwise, 2 on tool errors.
"""
import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NBSP = "\u00a0"


def lines(pdf):
    """[(baseline, [(x0, x1, char)])] of page 1, split where characters are 20 pt apart."""
    p = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf, "1"], capture_output=True)
    if p.returncode:
        raise SystemExit(f"blankform.py: mutool failed: {p.stderr.decode().strip()}")
    root = ET.fromstring(p.stdout)
    chars = []
    for ch in root.iter("char"):
        q = [float(v) for v in ch.get("quad").split()]
        chars.append((round(float(ch.get("y")), 2), q[0], q[2], ch.get("c")))
    chars.sort()
    out = []
    for y, x0, x1, c in chars:
        if out and abs(out[-1][0] - y) < 0.3 and x0 - out[-1][1][-1][1] < 20:
            out[-1][1].append((x0, x1, c))
        else:
            out.append((y, [(x0, x1, c)]))
    return out


def text(line):
    return "".join(c for _, _, c in line[1])


def centre(line):
    return (line[1][0][0] + line[1][-1][1]) / 2


def blank_widths(line):
    """Widths of the runs of two or more blanks in the line (from the end of the character
    before to the start of the one after)."""
    out, k, chars = [], 0, line[1]
    while k < len(chars):
        j = k
        while j < len(chars) and chars[j][2] in (" ", NBSP):
            j += 1
        if j - k >= 2 and k > 0 and j < len(chars):
            out.append(chars[j][0] - chars[k - 1][1])
        k = max(j, k + 1)
    return out


def content_runs(pdf):
    """The text of every string shown on page 1 (one entry per Tj or TJ operator), decoded
    through each font's encoding and ToUnicode map."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from pdfa_rules import Fonts, Pdf, content_streams, shown_strings, walk_content
    doc = Pdf(pdf)
    fonts = Fonts(doc)
    runs = []

    def visit(op, operands, font, res):
        if op not in ("Tj", "TJ") or font is None:
            return
        info = fonts.info(font)
        runs.append("".join(fonts.text(info, s) for s in shown_strings(operands)))
    _, data, res = content_streams(doc)[0]
    walk_content(doc, data, res, visit, set())
    return runs


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--blank", required=True)
    ap.add_argument("--numbered", required=True)
    ap.add_argument("--code", required=True)
    ap.add_argument("--place", required=True)
    ap.add_argument("--year", required=True)
    a = ap.parse_args(argv)
    blank, numbered = lines(a.blank), lines(a.numbered)
    passed = failed = 0

    def check(name, ok, detail):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"PASS {name}")
        else:
            failed += 1
            print(f"FAIL {name}: {detail}")

    def find(ls, prefix):
        return next((ln for ln in ls if text(ln).startswith(prefix)), None)
    gap = " " + NBSP * 6 + " "
    so_b, so_n = find(blank, "Số:"), find(numbered, "Số:")
    date_b, date_n = find(blank, a.place + ", ngày"), find(numbered, a.place + ", ngày")
    if not (so_b and so_n and date_b and date_n):
        print(f"FAIL blank.found: Số or date line missing ({bool(so_b)}, {bool(so_n)}, {bool(date_b)}, {bool(date_n)})")
        print(f"{passed} passed, {failed + 1} failed")
        return 1
    runs = content_runs(a.blank)
    want_so = "Số:" + gap + a.code
    got = [r for r in runs if r.startswith("Số:")]
    check("blank.so", got == [want_so], f"{got!r}, want {want_so!r}")
    want_date = f"{a.place}, ngày{gap}tháng{gap}năm {a.year}"
    got = [r for r in runs if r.startswith(a.place + ", ngày")]
    check("blank.date", got == [want_date], f"{got!r}, want {want_date!r}")
    check("blank.baselines", abs(so_b[0] - so_n[0]) <= 0.1 and abs(date_b[0] - date_n[0]) <= 0.1,
          f"Số {so_b[0]} vs {so_n[0]}, date {date_b[0]} vs {date_n[0]}")
    check("blank.centres", abs(centre(so_b) - centre(so_n)) <= 0.5 and abs(centre(date_b) - centre(date_n)) <= 0.5,
          f"Số {centre(so_b):.2f} vs {centre(so_n):.2f}, date {centre(date_b):.2f} vs {centre(date_n):.2f}")
    widths = blank_widths(so_b) + blank_widths(date_b)
    check("blank.gaps", len(widths) == 3 and min(widths) >= 12,
          f"blanks {[round(w, 1) for w in widths]} pt")
    below_b = [(round(ln[0], 1), text(ln)) for ln in blank if ln[0] > so_b[0] + 1]
    below_n = [(round(ln[0], 1), text(ln)) for ln in numbered if ln[0] > so_n[0] + 1]
    same = below_b == below_n
    diff = next(((x, y) for x, y in zip(below_b, below_n) if x != y), None)
    check("blank.rest", same, f"first difference {diff}, {len(below_b)} vs {len(below_n)} lines")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
