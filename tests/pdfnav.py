#!/usr/bin/env python3
"""pdfnav.py - read back a vanban PDF's outline and signature fields and compare them with
the document and with where its text really is.

Usage:
    pdfnav.py outline --pdf OUT.pdf --source DOC.xml
    pdfnav.py fields  --pdf OUT.pdf --source DOC.xml
    pdfnav.py fields  --pdf OUT.pdf --none
    pdfnav.py blocks  --pdf OUT.pdf --source DOC.xml
    pdfnav.py --selftest --pdf OUT.pdf --source DOC.xml
    pdfnav.py blocks --selftest --pdf OUT.pdf --source DOC.xml

outline: the bookmarks (`qpdf --json`, key outlines) must be exactly the document's
  headings, in order and nesting, worked out here from the source XML on its own: each
  mục "I. TITLE" (upper case) with its titled khoản "1. Title" (nested khoản "1.1.") under
  it, each Phụ lục "Phụ lục I" with its own; điểm are not bookmarked.  Each entry's
  destination must be its heading's page and the top of the heading's first line as
  `mutool draw -F stext` measures it (+-1 pt).
fields: exactly two /FT /Sig widget fields on the page of the signature, in the page's
  /Annots and the catalog's /AcroForm /Fields, printed (/F 4), with an /AP /N stream, and:
  the signer's ("chu_ky_nguoi_ky") 50 mm wide (+-0.1 mm), centred (+-1 pt) on the chức vụ
  lines and on the name, filling the room between the last chức vụ line's box and the
  name's box (+-1 pt, measured by stext); the seal's ("chu_ky_co_quan") a 37 mm square
  (+-0.1 mm), its centre level with the signer's (+-0.5 pt), its right edge one third into
  the signer's (+-0.5 pt), clear of the Nơi nhận column and inside the text area.
  --none: no signature field, no /AcroForm, no annotation at all.
blocks: every signature block's fields (one to three blocks: a liên tịch, a Biên bản): the
  n-th block's signer field "chu_ky_nguoi_ky_n" ("chu_ky_nguoi_ky" for the lead) between its
  last chức vụ line and its name and over the name (centred on it when its column has room),
  its seal "chu_ky_co_quan_n" (none for a Biên bản's thư ký) 37 mm over the signer's left
  third; no field over another, over another block's lines or in another block's column;
  all inside the text area.
--selftest: moves the measured text and the fields by a few points and renames headings
  and checks that each change is caught.

Every check prints PASS or FAIL with what was measured; the run ends with
"N passed, M failed".  Exit status 0, 1 when a check failed, 2 on usage or tool errors.
"""
import argparse
import copy
import json
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

MM = 72 / 25.4
SIGNER_W = 50 * MM
SEAL = 37 * MM
MARGIN_L, MARGIN_R = 30 * MM, 15 * MM


class ToolError(Exception):
    pass


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True)
    except FileNotFoundError as exc:
        raise ToolError(f"{cmd[0]} not found: {exc}")
    if p.returncode not in (0, 3):
        raise ToolError(f"{' '.join(cmd)}: {p.stderr.decode('utf-8', 'replace').strip()}")
    return p.stdout


def norm(s):
    s = unicodedata.normalize("NFC", s or "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


def roman(n):
    out = ""
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


# ---- what the source says ----------------------------------------------------------

def inline_text(e):
    return norm("".join(e.itertext())) if e is not None else ""


ATTACHMENT_NAMES = {"QC": "QUY CHẾ", "QyĐ": "QUY ĐỊNH", "KH": "KẾ HOẠCH", "HD": "HƯỚNG DẪN",
                    "CTr": "CHƯƠNG TRÌNH", "PA": "PHƯƠNG ÁN", "ĐA": "ĐỀ ÁN", "DA": "DỰ ÁN"}


def expected_headings(source):
    """[(depth, title)] of the headings of the source document, in order: Phần, Chương,
    Mục and Tiểu mục with their titles in one entry ("Chương I. QUY ĐỊNH CHUNG"), Điều
    ("Điều 1. Title", an untitled one "Điều 1."), mục "I. TITLE" and titled khoản
    ("1. Title", nested "1.1."), each under the nearest heading above it that ranks higher;
    each Phụ lục ("Phụ lục I") and attached document ("QUY CHẾ <trích yếu>") at the top with
    its own, the Phụ lục with its title in upper case ("Phụ lục I. THANG ĐIỂM"). Ranks: part 0, Phần and Chương 1, Mục (6a) 2, Tiểu mục 3, Điều and mục (6b) 4,
    khoản 5 (and one more per level of nesting)."""
    root = ET.parse(source).getroot()
    out = []
    stack = []   # ranks of the open entries

    def add(rank, title, first=None):
        """first: the words the heading's first line starts with, when they are not the
        entry's (the label line "Chương I" of "Chương I. QUY ĐỊNH CHUNG")."""
        while stack and stack[-1] >= rank:
            stack.pop()
        out.append((len(stack), title, first or title))
        stack.append(rank)

    def blocks(parent, prefix, counters, in_chuong):
        muc = khoan = chuong = muc6a = tieu = phan = 0
        for e in parent:
            title = e.find("title")
            num = e.get("number")
            if e.tag == "phan":
                phan += 1
                add(1, f"Phần {num or roman(phan)}. {inline_text(title).upper()}",
                    f"Phần {num or roman(phan)}")
                blocks(e, "", counters, False)
                muc = 0
            elif e.tag == "chuong":
                chuong += 1
                muc6a = 0
                add(1, f"Chương {num or roman(chuong)}. {inline_text(title).upper()}",
                    f"Chương {num or roman(chuong)}")
                blocks(e, "", counters, True)
            elif e.tag == "muc" and in_chuong:
                muc6a += 1
                tieu = 0
                add(2, f"Mục {num or muc6a}. {inline_text(title).upper()}",
                    f"Mục {num or muc6a}")
                blocks(e, "", counters, True)
            elif e.tag == "tieu-muc":
                tieu += 1
                add(3, f"Tiểu mục {num or tieu}. {inline_text(title).upper()}",
                    f"Tiểu mục {num or tieu}")
                blocks(e, "", counters, True)
            elif e.tag == "dieu":
                counters["dieu"] += 1
                label = f"Điều {num or counters['dieu']}."
                add(4, f"{label} {inline_text(title)}" if title is not None else label)
                blocks(e, "", counters, in_chuong)
            elif e.tag == "muc":
                muc += 1
                khoan = 0
                add(4, f"{num or roman(muc)}. {inline_text(title).upper()}")
                blocks(e, "", counters, in_chuong)
            elif e.tag == "khoan":
                khoan += 1
                label = f"{num}." if num else f"{prefix}{khoan}."
                if title is not None:
                    add(5 + label.count(".") - 1, f"{label} {inline_text(title)}")
                blocks(e, label, counters, in_chuong)
            elif e.tag == "diem":
                blocks(e, prefix, counters, in_chuong)
    blocks(root.find("body"), "", {"dieu": 0}, False)
    k = 0
    for part in root:
        if part.tag == "appendix":
            k += 1
            title = inline_text(part.find("title")).upper()
            add(0, f"Phụ lục {roman(k)}. {title}" if title else f"Phụ lục {roman(k)}", f"Phụ lục {roman(k)}")
        elif part.tag == "attachment":
            name = part.find("type-name")
            name = inline_text(name) if name is not None else ATTACHMENT_NAMES.get(part.get("type"), "")
            add(0, f"{name} {inline_text(part.find('trich-yeu'))}", name)
        else:
            continue
        blocks(part, "", {"dieu": 0}, False)
    return out


def signature_blocks(source):
    """[(lines, name, sealed)] of every <signature>, the lead signer's first; a Biên bản's
    second block (the thư ký's) takes no seal."""
    root = ET.parse(source).getroot()
    bien_ban = root.get("type") == "BB"
    out = []
    for k, sig in enumerate(root.findall("signature")):
        lines = []
        for e in sig:
            if e.tag == "authority":
                lines.append(f"{e.get('prefix')}. {inline_text(e)}")
            elif e.tag == "position":
                lines.append(inline_text(e))
        out.append((lines, inline_text(sig.find("name")), k == 0 or not bien_ban))
    return out


def signature_lines(source):
    lines, name, _ = signature_blocks(source)[0]
    return lines, name


# ---- what the PDF says -------------------------------------------------------------

def stext_lines(pdf, gap=20):
    """{page number: [(text, x0, top, x1, bottom)]} in PDF coordinates (y up), built from
    the characters: one line per baseline and run of characters without a wide gap."""
    root = ET.fromstring(run(["mutool", "draw", "-F", "stext", "-o", "-", pdf]))
    pages = {}
    for n, page in enumerate(root.iter("page"), 1):
        h = float(page.get("height"))
        chars = []
        for font in page.iter("font"):
            for ch in font.iter("char"):
                q = [float(v) for v in ch.get("quad").split()]
                chars.append((float(ch.get("y")), q[0], q[2], q[1], q[5], ch.get("c")))
        chars.sort(key=lambda c: (round(c[0], 1), c[1]))
        lines = []
        for base, x0, x1, top, bottom, c in chars:
            last = lines[-1] if lines else None
            if last and abs(last["base"] - base) < 0.5 and x0 - last["x1"] < gap:
                last["text"] += c
                last["x1"] = max(last["x1"], x1)
                last["top"] = min(last["top"], top)
                last["bottom"] = max(last["bottom"], bottom)
            else:
                lines.append({"base": base, "text": c, "x0": x0, "x1": x1, "top": top, "bottom": bottom})
        pages[n] = [(norm(l["text"]), l["x0"], h - l["top"], l["x1"], h - l["bottom"])
                    for l in lines if norm(l["text"])]
    return pages


def outline(pdf):
    data = json.loads(run(["qpdf", "--json", "--json-key=outlines", pdf]))
    out = []

    def walk(items, depth):
        for o in items:
            dest = o.get("dest")
            top = dest[2] if isinstance(dest, list) and len(dest) >= 3 and dest[1] == "/FitH" else None
            out.append({"depth": depth, "title": norm(o["title"]), "page": o.get("destpageposfrom1"),
                        "top": top})
            walk(o.get("kids", []), depth + 1)
    walk(data.get("outlines", []), 0)
    return out


def objects(pdf):
    data = json.loads(run(["qpdf", "--json=2", "--json-key=qpdf", pdf]))["qpdf"][1]

    def get(ref):
        rec = data.get("obj:" + ref) if isinstance(ref, str) else None
        if rec is None:
            return ref
        return rec["stream"]["dict"] if "stream" in rec else rec["value"]
    return data, get


def fields(pdf):
    data, get = objects(pdf)
    trailer = data["trailer"]["value"]
    cat = get(trailer["/Root"])
    form = get(cat.get("/AcroForm")) if cat.get("/AcroForm") else None
    pages = []

    def walk(ref):
        node = get(ref)
        if "/Kids" in node:
            for k in node["/Kids"]:
                walk(k)
        else:
            pages.append((ref, node))
    walk(cat["/Pages"])
    annots = []
    for n, (ref, page) in enumerate(pages, 1):
        for a in page.get("/Annots", []) or []:
            d = get(a)
            ap = get(d.get("/AP")) if d.get("/AP") else {}
            annots.append({"ref": a, "page": n, "page_ref": ref, "dict": d,
                           "name": (d.get("/T") or "")[2:], "rect": d.get("/Rect"),
                           "ap_n": ap.get("/N") if isinstance(ap, dict) else None})
    return cat, form, annots, pages


# ---- checks ------------------------------------------------------------------------

class Checks:
    def __init__(self, quiet=False):
        self.passed = self.failed = 0
        self.quiet = quiet
        self.failures = []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            if not self.quiet:
                print(f"PASS {name}")
        else:
            self.failed += 1
            self.failures.append(name)
            if not self.quiet:
                print(f"FAIL {name}: {detail}")


def find_line(lines, text, starts=False):
    for ln in lines:
        if ln[0] == text or (starts and ln[0].startswith(text)):
            return ln
    return None


def check_outline(c, got, want, pages):
    c.check("outline.count", len(got) == len(want),
            f"{len(got)} entries, the document has {len(want)} headings")
    for k, entry in enumerate(want):
        depth, title, first = entry if len(entry) == 3 else (*entry, entry[1])
        g = got[k] if k < len(got) else None
        name = f"outline.{k + 1} {title[:40]}"
        if g is None:
            c.check(name, False, "missing")
            continue
        if g["title"] != title or g["depth"] != depth:
            c.check(name, False, f"entry {g['title'][:60]!r} at depth {g['depth']}, want {title[:60]!r} at depth {depth}")
            continue
        # the heading's first line on the destination page: its first words
        lines = pages.get(g["page"], [])
        ln = find_line(lines, first[:min(len(first), 25)], starts=True)
        if ln is None or g["top"] is None:
            c.check(name, False, f"heading not found on page {g['page']} (destination {g['top']})")
            continue
        c.check(name, abs(ln[2] - g["top"]) <= 1.0,
                f"destination top {g['top']:.2f}, heading line top {ln[2]:.2f} on page {g['page']}")


def check_fields(c, pdf_fields, pages, sig_lines, name_text):
    cat, form, annots, page_list = pdf_fields
    sigs = [a for a in annots if a["dict"].get("/FT") == "/Sig"]
    c.check("fields.two", len(sigs) == 2 and len(annots) == 2,
            f"{len(sigs)} signature fields, {len(annots)} annotations")
    by = {a["name"]: a for a in sigs}
    signer, seal = by.get("chu_ky_nguoi_ky"), by.get("chu_ky_co_quan")
    c.check("fields.names", signer is not None and seal is not None, f"names {sorted(by)}")
    if signer is None or seal is None:
        return
    refs = (form or {}).get("/Fields", [])
    c.check("fields.acroform", sorted(refs) == sorted([signer["ref"], seal["ref"]]),
            f"AcroForm /Fields {refs}")
    for a in (signer, seal):
        d = a["dict"]
        c.check(f"fields.{a['name']}.widget",
                d.get("/Subtype") == "/Widget" and d.get("/F") == 4 and a["ap_n"] is not None
                and d.get("/P") == a["page_ref"] and "/V" not in d,
                f"Subtype {d.get('/Subtype')} F {d.get('/F')} AP/N {a['ap_n']} P {d.get('/P')} V {d.get('/V')}")
    page_no = signer["page"]
    c.check("fields.same-page", seal["page"] == page_no, f"pages {signer['page']}, {seal['page']}")
    lines = pages.get(page_no, [])
    name_ln = find_line(lines, name_text)
    pos_ln = find_line(lines, sig_lines[-1]) if sig_lines else None
    if name_ln is None or pos_ln is None:
        c.check("fields.signature-text", False,
                f"name {name_text!r} or chức vụ {sig_lines[-1:]!r} not found on page {page_no}")
        return
    sx0, sy0, sx1, sy1 = signer["rect"]
    centre = (sx0 + sx1) / 2
    name_c = (name_ln[1] + name_ln[3]) / 2
    pos_c = (pos_ln[1] + pos_ln[3]) / 2
    c.check("fields.signer.width", abs((sx1 - sx0) - SIGNER_W) <= 0.1 * MM,
            f"{(sx1 - sx0) / MM:.2f} mm")
    c.check("fields.signer.centred", abs(centre - name_c) <= 1 and abs(centre - pos_c) <= 1,
            f"field centre {centre:.2f}, name centre {name_c:.2f}, chức vụ centre {pos_c:.2f}")
    # pos_ln bottom (y up) is its lowest point; the name's top its highest
    c.check("fields.signer.between",
            abs(sy1 - pos_ln[4]) <= 1 and abs(sy0 - name_ln[2]) <= 1,
            f"field {sy0:.2f}..{sy1:.2f}, chức vụ box bottom {pos_ln[4]:.2f}, name box top {name_ln[2]:.2f}")
    x0, y0, x1, y1 = seal["rect"]
    c.check("fields.seal.size", abs((x1 - x0) - SEAL) <= 0.1 * MM and abs((y1 - y0) - SEAL) <= 0.1 * MM,
            f"{(x1 - x0) / MM:.2f} x {(y1 - y0) / MM:.2f} mm")
    c.check("fields.seal.level", abs((y0 + y1) / 2 - (sy0 + sy1) / 2) <= 0.5,
            f"seal centre y {(y0 + y1) / 2:.2f}, signer {(sy0 + sy1) / 2:.2f}")
    c.check("fields.seal.left-third", abs(x1 - (sx0 + (sx1 - sx0) / 3)) <= 0.5 and x0 < sx0,
            f"seal right edge {x1:.2f}, one third into the signer's {sx0 + (sx1 - sx0) / 3:.2f}")
    label = find_line(lines, "Nơi nhận:")
    left_col = [ln for ln in lines if label and ln[2] <= label[2] + 0.5 and ln[1] < label[1] + 1
                and (ln is label or ln[0].startswith("- "))]
    right_of_list = max((ln[3] for ln in left_col), default=0)
    c.check("fields.seal.clear-of-noi-nhan", left_col and x0 > right_of_list,
            f"seal left edge {x0:.2f}, Nơi nhận column reaches {right_of_list:.2f}")
    page_w = 595.28 if (page_list[page_no - 1][1].get("/MediaBox") or [0, 0, 595.28])[2] < 600 else 841.89
    c.check("fields.inside-text-area",
            min(x0, sx0) >= MARGIN_L - 0.5 and max(x1, sx1) <= page_w - MARGIN_R + 0.5,
            f"fields span {min(x0, sx0):.2f}..{max(x1, sx1):.2f}")


def overlap(a, b):
    return a[0] < b[2] - 0.01 and b[0] < a[2] - 0.01 and a[1] < b[3] - 0.01 and b[1] < a[3] - 0.01


def check_block_fields(c, pdf_fields, pages, blocks):
    """Every signature block's fields: its signer's ("chu_ky_nguoi_ky", then
    "chu_ky_nguoi_ky_2", "_3") between its last chức vụ line and its name, under the name's
    centre; its seal ("chu_ky_co_quan", "_2", "_3"; none for a Biên bản's thư ký) 37 mm, level
    with the signer's, its right edge one third into it; no field over another or over
    another block's lines, every field inside the text area and in the block's own column
    (between the neighbouring blocks' lines)."""
    cat, form, annots, page_list = pdf_fields
    sigs = [a for a in annots if a["dict"].get("/FT") == "/Sig"]
    want = sum(1 + sealed for _, _, sealed in blocks)
    c.check("blocks.count", len(sigs) == want and len(annots) == want,
            f"{len(sigs)} signature fields, {len(annots)} annotations, want {want} for {len(blocks)} blocks")
    by = {a["name"]: a for a in sigs}
    refs = (form or {}).get("/Fields", [])
    c.check("blocks.acroform", sorted(refs) == sorted(a["ref"] for a in sigs) and len(by) == len(sigs),
            f"AcroForm /Fields {refs}, names {sorted(by)}")
    placed = []   # (rect, block index, what)
    text_boxes = []  # (box, block index)

    def block_line(lines, k, text):
        """Block k's line of this text: the blocks run right to left from the lead's, so the
        k-th block's is the n-th such line from the right, n the earlier blocks that have it."""
        n = sum(1 for j in range(k) if text in blocks[j][0] + [blocks[j][1]])
        found = sorted((ln for ln in lines if ln[0] == text), key=lambda ln: -ln[1])
        return found[n] if n < len(found) else None

    for k, (lines_want, name_text, sealed) in enumerate(blocks):
        suffix = f"_{k + 1}" if k else ""
        signer, seal = by.get("chu_ky_nguoi_ky" + suffix), by.get("chu_ky_co_quan" + suffix)
        c.check(f"blocks.{k + 1}.names", signer is not None and (seal is not None) == sealed,
                f"signer {signer is not None}, seal {seal is not None}, sealed {sealed}")
        if signer is None:
            continue
        for a in (signer, seal):
            if a is None:
                continue
            d = a["dict"]
            c.check(f"blocks.{a['name']}.widget",
                    d.get("/Subtype") == "/Widget" and d.get("/F") == 4 and a["ap_n"] is not None
                    and d.get("/P") == a["page_ref"] and "/V" not in d and a["page"] == signer["page"],
                    f"Subtype {d.get('/Subtype')} F {d.get('/F')} AP/N {a['ap_n']} page {a['page']}")
        lines = pages.get(signer["page"], [])
        name_ln = block_line(lines, k, name_text)
        pos_ln = block_line(lines, k, lines_want[-1]) if lines_want else None
        if name_ln is None or pos_ln is None:
            c.check(f"blocks.{k + 1}.text", False, f"name {name_text!r} or {lines_want[-1:]!r} not found")
            continue
        for t in lines_want + [name_text]:
            ln = block_line(lines, k, t)
            if ln:
                text_boxes.append(((ln[1], ln[4], ln[3], ln[2]), k))
        sx0, sy0, sx1, sy1 = signer["rect"]
        # over the name: centred on it when the column has room for a 50 mm field and the
        # seal, else (a 55 mm column of three) narrowed and moved right, still over the name
        centred = abs((sx0 + sx1) / 2 - (name_ln[1] + name_ln[3]) / 2) <= 1
        c.check(f"blocks.{k + 1}.signer.between",
                abs(sy1 - pos_ln[4]) <= 1 and abs(sy0 - name_ln[2]) <= 1
                and sx0 < name_ln[3] - 10 and sx1 > name_ln[1] + 10 and sx1 - sx0 >= 20 * MM
                and (centred or sx1 - sx0 < SIGNER_W - 0.1 * MM),
                f"field {sx0:.1f},{sy0:.1f}..{sx1:.1f},{sy1:.1f}; chức vụ bottom {pos_ln[4]:.1f}, "
                f"name {name_ln[1]:.1f}..{name_ln[3]:.1f} top {name_ln[2]:.1f}")
        placed.append(((sx0, sy0, sx1, sy1), k, signer["name"]))
        if seal is not None:
            x0, y0, x1, y1 = seal["rect"]
            c.check(f"blocks.{k + 1}.seal",
                    abs((x1 - x0) - SEAL) <= 0.1 * MM and abs((y1 - y0) - SEAL) <= 0.1 * MM
                    and abs((y0 + y1) / 2 - (sy0 + sy1) / 2) <= 0.5
                    and abs(x1 - (sx0 + (sx1 - sx0) / 3)) <= 0.5,
                    f"{(x1 - x0) / MM:.2f} x {(y1 - y0) / MM:.2f} mm, right edge {x1:.1f}, "
                    f"one third into the signer's {sx0 + (sx1 - sx0) / 3:.1f}")
            placed.append(((x0, y0, x1, y1), k, seal["name"]))
    page_w = 595.28 if (page_list[0][1].get("/MediaBox") or [0, 0, 595.28])[2] < 600 else 841.89
    for r, k, what in placed:
        c.check(f"blocks.{what}.inside-text-area",
                r[0] >= MARGIN_L - 0.5 and r[2] <= page_w - MARGIN_R + 0.5,
                f"{r[0]:.1f}..{r[2]:.1f}")
        others = [o for o in placed if o[1] != k and overlap(r, o[0])]
        c.check(f"blocks.{what}.clear-of-other-fields", not others,
                f"overlaps {[o[2] for o in others]}")
        foreign = [b for b, j in text_boxes if j != k and overlap(r, b)]
        c.check(f"blocks.{what}.clear-of-other-blocks", not foreign,
                f"overlaps another block's lines at {foreign[:2]}")
        # its own column: clear of the horizontal extent of every other block's lines
        for j in {j for _, j in text_boxes if j != k}:
            bx0 = min(b[0] for b, i in text_boxes if i == j)
            bx1 = max(b[2] for b, i in text_boxes if i == j)
            c.check(f"blocks.{what}.own-column-{j + 1}", r[2] <= bx0 + 0.5 or r[0] >= bx1 - 0.5,
                    f"field {r[0]:.1f}..{r[2]:.1f}, block {j + 1}'s lines {bx0:.1f}..{bx1:.1f}")


def selftest_blocks(args):
    """Mutations of a document with several signature blocks, each of which the block check
    must catch."""
    blocks = signature_blocks(args.source)
    pdf_fields = fields(args.pdf)
    pages = stext_lines(args.pdf, gap=8)
    base = Checks(quiet=True)
    check_block_fields(base, pdf_fields, pages, blocks)
    if base.failed or len(blocks) < 2:
        print(f"FAIL selftest: the input already fails {base.failures} or has one block")
        return 1
    caught = missed = 0

    def expect(what, fld):
        nonlocal caught, missed
        c = Checks(quiet=True)
        check_block_fields(c, fld, pages, blocks)
        if c.failed:
            caught += 1
            print(f"PASS mutation caught: {what} ({c.failures[0]})")
        else:
            missed += 1
            print(f"FAIL mutation not caught: {what}")

    def moved(*names, dx=0, dy=0, dw=0):
        f = list(copy.deepcopy(pdf_fields))
        for a in f[2]:
            if a["name"] in names:
                x0, y0, x1, y1 = a["rect"]
                a["rect"] = [x0 + dx, y0 + dy, x1 + dx + dw, y1 + dy]
        return f
    second = "chu_ky_nguoi_ky_2"
    expect("the second block's fields 30 mm to the right, into the lead's column",
           moved(second, "chu_ky_co_quan_2", dx=30 * MM))
    expect("the second signer's field 30 mm to the left", moved(second, dx=-30 * MM))
    expect("the second signer's field 3 pt lower", moved(second, dy=-3))
    expect("the lead's seal 25 mm to the left", moved("chu_ky_co_quan", dx=-25 * MM))
    f = list(copy.deepcopy(pdf_fields))
    f[2] = [a for a in f[2] if a["name"] != second]
    expect("the second block's field missing", f)
    f = list(copy.deepcopy(pdf_fields))
    for a in f[2]:
        if a["name"] == second:
            a["name"] = "chu_ky_nguoi_ky"
    expect("two fields of the same name", f)
    print(f"{caught} passed, {missed} failed")
    return 1 if missed else 0


def selftest(args):
    want = expected_headings(args.source)
    got = outline(args.pdf)
    pages = stext_lines(args.pdf)
    pdf_fields = fields(args.pdf)
    sig_lines, name_text = signature_lines(args.source)
    base = Checks(quiet=True)
    check_outline(base, got, want, pages)
    check_fields(base, pdf_fields, pages, sig_lines, name_text)
    if base.failed:
        print(f"FAIL selftest: the input already fails {base.failures}")
        return 1
    caught = missed = 0

    def expect(what, outline_got=got, fld=pdf_fields, pg=pages, wanted=want):
        nonlocal caught, missed
        c = Checks(quiet=True)
        check_outline(c, outline_got, wanted, pg)
        check_fields(c, fld, pg, sig_lines, name_text)
        if c.failed:
            caught += 1
            print(f"PASS mutation caught: {what} ({c.failures[0]})")
        else:
            missed += 1
            print(f"FAIL mutation not caught: {what}")

    g = copy.deepcopy(got)
    g[1]["title"] += " x"
    expect("an outline entry's title changed", outline_got=g)
    g = copy.deepcopy(got)
    g[-1]["depth"] += 1
    expect("an outline entry moved one level down", outline_got=g)
    expect("an outline entry missing", outline_got=got[:-1])
    g = copy.deepcopy(got)
    g[0]["top"] += 3
    expect("a destination 3 pt off its heading", outline_got=g)
    expect("a heading the outline lacks", wanted=want + [(0, "IX. EXTRA")])

    def moved(name, dx=0, dy=0, dw=0):
        f = copy.deepcopy(pdf_fields)
        for a in f[2]:
            if a["name"] == name:
                x0, y0, x1, y1 = a["rect"]
                a["rect"] = [x0 + dx, y0 + dy, x1 + dx + dw, y1 + dy]
        return f
    expect("signer field 2 pt to the right", fld=moved("chu_ky_nguoi_ky", dx=2))
    expect("signer field 2 pt lower", fld=moved("chu_ky_nguoi_ky", dy=-2))
    expect("signer field 1 mm wider", fld=moved("chu_ky_nguoi_ky", dw=MM))
    expect("seal 1 pt to the left", fld=moved("chu_ky_co_quan", dx=-1))
    expect("seal 1 pt higher", fld=moved("chu_ky_co_quan", dy=1))
    expect("seal 1 mm larger", fld=moved("chu_ky_co_quan", dw=MM))
    f = copy.deepcopy(pdf_fields)
    f[2].pop()
    expect("one field missing", fld=f)
    f = copy.deepcopy(pdf_fields)
    f[2][0]["dict"]["/F"] = 6
    expect("a field made hidden", fld=f)
    pg = copy.deepcopy(pages)
    sig_page = pdf_fields[2][0]["page"]
    pg[sig_page] = [(t, x0, top - 3, x1, bot - 3) if t == name_text else (t, x0, top, x1, bot)
                    for t, x0, top, x1, bot in pg[sig_page]]
    expect("the name 3 pt lower than the field expects", pg=pg)
    print(f"{caught} passed, {missed} failed")
    return 1 if missed else 0


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("what", nargs="?", choices=["outline", "fields", "blocks"])
    ap.add_argument("--pdf", required=True)
    ap.add_argument("--source")
    ap.add_argument("--none", action="store_true")
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args(argv)
    try:
        if args.selftest and args.what == "blocks":
            return selftest_blocks(args)
        if args.selftest:
            return selftest(args)
        c = Checks()
        if args.what == "outline":
            check_outline(c, outline(args.pdf), expected_headings(args.source), stext_lines(args.pdf))
        elif args.what == "blocks":
            check_block_fields(c, fields(args.pdf), stext_lines(args.pdf, gap=8), signature_blocks(args.source))
        elif args.none:
            cat, form, annots, _ = fields(args.pdf)
            c.check("fields.none", form is None and not annots and "/AcroForm" not in cat,
                    f"AcroForm {form}, {len(annots)} annotations")
        else:
            sig_lines, name_text = signature_lines(args.source)
            check_fields(c, fields(args.pdf), stext_lines(args.pdf), sig_lines, name_text)
        print(f"{c.passed} passed, {c.failed} failed")
        return 1 if c.failed else 0
    except (ToolError, OSError, ET.ParseError, KeyError) as exc:
        print(f"pdfnav.py: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
