#!/usr/bin/env python3
"""textcases.py - the corpus of awkward texts: does each give the right structure or the
right located message?

Usage:
    textcases.py VANBAN DIR [NAME...]

DIR holds cases NAME.txt (a văn bản as a clerk types or pastes it, written as it is: TABs,
CRLF, NFD, a byte order mark are the file's own) and NAME.expect, the outcome, one
assertion a line ('#' starts a comment):

    exit N                    vanban render NAME.txt -o NAME.pdf --xml NAME.xml exits N
    pdf | nopdf               the PDF (and the XML) is written, or nothing is
    message REGEX             some line of stderr matches (the file name written as FILE)
    nomessage REGEX           no line of stderr matches
    messages N                stderr has N lines
    count PATH N              the recognised XML has N elements at PATH (ElementTree
                              paths: .//dieu, ./body/p, .//khoan[@number='1.1'])
    text PATH TEXT            the first element at PATH has this text (white space folded)
    has PATH TEXT             … holds TEXT
    lacks PATH TEXT           no element at PATH holds TEXT
    attr PATH NAME VALUE      … has attribute NAME="VALUE"
    words                     every word of the text file is in the PDF (as often as
                              in the text; punctuation at its ends aside): nothing lost
    nowords WHY               a case that renders but prints some words otherwise, and
                              why (the decree's form of a date, "(Đã ký)" left out);
                              without words or nowords, a case that renders is checked
                              as with words

A case's messages are located: "FILE:12:1: warning: …" names the line and column in the
text. Prints PASS or FAIL for each assertion of each case; exit 1 when one failed.
"""

import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s or "").split())


def missing_words(txt_path, pdf_path):
    """The words of the text that the PDF does not have (as often as the text has them)."""
    raw = open(txt_path, "rb").read().decode("utf-8-sig", "replace")
    strip = lambda w: w.strip(";.,:()/")   # "/": the end mark vanban writes ("trong./.")
    seed = [strip(w) for w in unicodedata.normalize("NFC", raw).replace("*", " ").split()]
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf_path, "-"],
                         capture_output=True).stdout.decode("utf-8", "replace")
    have = {}
    for w in unicodedata.normalize("NFC", out).split():
        have[strip(w)] = have.get(strip(w), 0) + 1
    missing = []
    for w in seed:
        if not w or set(w) <= set("-_=+") or w in ("V/v",):
            continue                  # rules, dashes, and the V/v vanban writes itself
        if have.get(w, 0) > 0:
            have[w] -= 1
        else:
            missing.append(w)
    return missing


def run_case(vanban, d, name, tmp):
    txt = os.path.join(d, name + ".txt")
    pdf = os.path.join(tmp, name + ".pdf")
    xml = os.path.join(tmp, name + ".xml")
    for f in (pdf, xml):
        if os.path.exists(f):
            os.remove(f)
    proc = subprocess.run([vanban, "render", txt, "-o", pdf, "--xml", xml],
                          capture_output=True)
    err = proc.stderr.decode("utf-8", "replace").replace(txt, "FILE")
    lines = [l for l in err.split("\n") if l]
    tree = None
    if os.path.exists(xml):
        try:
            tree = ET.parse(xml).getroot()
        except ET.ParseError as exc:
            tree = None
            lines.append(f"(the XML does not parse: {exc})")
    fails = 0
    results = []
    asserted = [raw.strip() for raw in open(os.path.join(d, name + ".expect"), encoding="utf-8")]
    if proc.returncode == 0 and os.path.exists(pdf) and \
            not any(a == "words" or a.startswith("nowords ") for a in asserted):
        asserted.append("words")     # what renders loses nothing, unless the case says why
    for line in asserted:
        if not line or line.startswith("#"):
            continue
        op, _, rest = line.partition(" ")
        ok, why = True, ""
        if op == "exit":
            ok = proc.returncode == int(rest)
            why = f"exit {proc.returncode}"
        elif op == "pdf":
            ok = os.path.exists(pdf) and os.path.exists(xml)
        elif op == "nopdf":
            ok = not os.path.exists(pdf) and not os.path.exists(xml)
        elif op == "message":
            ok = any(re.search(rest, l) for l in lines)
        elif op == "nomessage":
            ok = not any(re.search(rest, l) for l in lines)
        elif op == "messages":
            ok = len(lines) == int(rest)
            why = f"{len(lines)} lines"
        elif op == "nowords":
            ok, why = bool(rest), "nowords needs its reason"
        elif op == "words":
            missing = missing_words(txt, pdf) if os.path.exists(pdf) else ["(no PDF)"]
            ok = not missing
            why = f"missing {missing[:8]}"
        elif tree is None:
            ok, why = False, "no XML"
        else:
            path, _, arg = rest.partition(" ")
            found = tree.findall(path)
            if op == "count":
                ok = len(found) == int(arg)
                why = f"{len(found)} found"
            elif op == "text":
                got = norm("".join(found[0].itertext())) if found else None
                ok = got == norm(arg)
                why = f"text {got!r}"
            elif op == "has":
                ok = any(norm(arg) in norm("".join(e.itertext())) for e in found)
                why = f"{len(found)} elements, none has it"
            elif op == "lacks":
                ok = not any(norm(arg) in norm("".join(e.itertext())) for e in found)
            elif op == "attr":
                attr, _, value = arg.partition(" ")
                got = found[0].get(attr) if found else None
                ok = got == value
                why = f"{attr}={got!r}"
            else:
                ok, why = False, f"unknown assertion '{op}'"
        fails += not ok
        results.append(f"{'PASS' if ok else 'FAIL'} {name}: {line}{'' if ok else '  (' + why + ')'}")
    if fails:
        results.append(f"     {name}: stderr was:\n       " + "\n       ".join(lines))
    return fails, results


def main(argv):
    if len(argv) < 3:
        print(__doc__.split("\n")[3], file=sys.stderr)
        return 2
    vanban, d = argv[1], argv[2]
    names = argv[3:] or sorted(f[:-7] for f in os.listdir(d) if f.endswith(".expect"))
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            fails, results = run_case(vanban, d, name, tmp)
            total += fails
            print("\n".join(results))
    print(f"textcases: {len(names)} cases, {total} failed assertions")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
