#!/usr/bin/env python3
"""textsame.py - is the document vanban recognised in a text the document it should be?

Usage:
    textsame.py RECOGNISED.xml EXPECTED.xml [--ignore ELEMENT]...

RECOGNISED.xml is what `vanban render DOC.txt --xml RECOGNISED.xml` saved; EXPECTED.xml
the same document written by hand in the vanban vocabulary (samples/documents/). The two
trees are compared element by element, in order, after taking out what a text cannot say
or says in another way:
  * the attributes a text has no words for: organ-id, due-date, issued-amount, priority
    (e-office data), xml:lang, and the heading labels' number="…" (a text writes every
    label; the hand-written XML lets vanban count);
  * white space folded, NFC; a <number> compared as a number ("03" = "3");
  * the titles of mục, phần and chương compared without case (vanban prints them upper
    case either way);
  * every element named with --ignore (a Biên bản's <date>, which its form does not print).
Prints every difference with the path of the element; exit 0 when there is none, 1
otherwise, 2 on usage or file errors.
"""

import sys
import unicodedata
import xml.etree.ElementTree as ET

DROPPED = {"organ-id", "due-date", "issued-amount", "priority", "number",
           "{http://www.w3.org/XML/1998/namespace}lang"}
CASELESS = {"muc", "phan", "chuong", "tieu-muc"}


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s or "").split())


def content(el):
    """The element's own text and inline markup, as a comparable string."""
    parts = [el.text or ""]
    for c in el:
        if c.tag in ("b", "i"):
            parts.append("<%s>%s</%s>" % (c.tag, content(c), c.tag))
        parts.append(c.tail or "")
    return norm("".join(parts))


def compare(a, b, path, ignore, out, parent=""):
    if a.tag != b.tag:
        out.append(f"{path}: <{a.tag}> where <{b.tag}> was expected")
        return
    aa = {k: norm(v) for k, v in a.attrib.items() if k not in DROPPED}
    bb = {k: norm(v) for k, v in b.attrib.items() if k not in DROPPED}
    if a.tag == "table":                          # 12 pt unless said otherwise
        aa.setdefault("size", "12")
        bb.setdefault("size", "12")
    if aa != bb:
        out.append(f"{path}: attributes {aa} where {bb} were expected")
    inline = a.tag not in ("document", "body", "agency", "parent-agency", "kinh-gui",
                           "signature", "noi-nhan", "contact", "tham-quyen", "table",
                           "header", "row", "total", "appendix", "attachment") and \
        not any(c.tag not in ("b", "i") for c in list(a) + list(b))
    if inline:
        ta, tb = content(a), content(b)
        if a.tag == "number":
            ta, tb = str(int(ta)) if ta.isdigit() else ta, str(int(tb)) if tb.isdigit() else tb
        if a.tag == "title" and parent in CASELESS:
            ta, tb = ta.upper(), tb.upper()
        if ta != tb:
            out.append(f"{path}: text\n    got      {ta!r}\n    expected {tb!r}")
        return
    ka = [c for c in a if c.tag not in ignore and c.tag not in ("b", "i")]
    kb = [c for c in b if c.tag not in ignore and c.tag not in ("b", "i")]
    if a.tag == "table":
        ka = [c for c in ka if c.tag != "col"]    # widths: the text gives none
        kb = [c for c in kb if c.tag != "col"]
    for i in range(max(len(ka), len(kb))):
        if i >= len(ka):
            out.append(f"{path}: <{kb[i].tag}> #{i + 1} is missing: {content(kb[i])[:60]!r}")
            continue
        if i >= len(kb):
            out.append(f"{path}: <{ka[i].tag}> #{i + 1} is extra: {content(ka[i])[:60]!r}")
            continue
        compare(ka[i], kb[i], f"{path}/{ka[i].tag}[{i + 1}]", ignore, out, a.tag)


def main(argv):
    args = argv[1:]
    ignore = set()
    while "--ignore" in args:
        k = args.index("--ignore")
        ignore.add(args[k + 1])
        del args[k:k + 2]
    if len(args) != 2:
        print(__doc__.split("\n")[3], file=sys.stderr)
        return 2
    try:
        got, want = ET.parse(args[0]).getroot(), ET.parse(args[1]).getroot()
    except (OSError, ET.ParseError) as exc:
        print(f"textsame.py: {exc}", file=sys.stderr)
        return 2
    out = []
    compare(got, want, "/document", ignore, out)
    for line in out:
        print(line)
    print(f"{'SAME' if not out else 'DIFFERENT'}: {args[0]} against {args[1]}"
          f"{' (' + str(len(out)) + ' differences)' if out else ''}")
    return 0 if not out else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
