#!/usr/bin/env python3
"""formcheck.py - read a rendered vanban PDF back and check the rules of its form
(Decree 30/2020/NĐ-CP, Phụ lục I and the models of Phụ lục III) for every type of văn bản.

Usage:
    formcheck.py --pdf OUT.pdf --source DOC.xml
    formcheck.py --pdf OUT.pdf --source DOC.xml --selftest

tests/pdfcheck.py checks the layout every document shares (margins, justification, the
Quốc hiệu, page numbers, tables) on plans and reports; this checker reads what differs
from one form to another, from the same measurements (`mutool draw -F stext` glyphs with
their quads, sizes and fonts) plus `mutool trace` for the frames of the marks and the
colour of every glyph. What the page must say is rebuilt here from the source XML by this
checker's own route (its own table of Phụ lục III, its own numbering, its own removal of
typed punctuation); the PDF says where and how it is drawn.

Checks (each printed PASS or FAIL name: measured … expected …):
  header.agencies     the left-column lines above the Số line read as the cơ quan chủ
                      quản and agency lines of every agency, in order (a văn bản liên
                      tịch stacks them, the lead agency first); 12 or 13 pt, the chủ quản
                      regular, the agencies bold, one centre (+-1); a given line that
                      vanban broke: every piece has at least 3 syllables (a hyphen is
                      none) and the narrowest is at least half the widest
  header.so           "Số: <số>/<ký hiệu>" 13 pt regular under the agencies (+-1): KH-UBND
                      for a named type, UBND-VX for a công văn (drafting unit), KHLT-A-B
                      for a liên tịch; numbers below 10 with a leading 0
  header.date         the place and date line, italic, on the Số line's baseline; a Biên
                      bản has none (Mẫu 1.9)
  cv.no-title         a công văn shows no type name
  cv.vv               "V/v <trích yếu>" 12-13 pt regular, every line centred under the Số
                      line (+-1) and inside the left column, the first baseline 1.15 x its
                      size + 6 pt under the Số line's (+-1); broken balanced (below)
  title               other types: the type name (Phụ lục III) 14 pt bold upper case and
                      the trích yếu bold, centred on the text area (+-1), a rule under them;
                      a trích yếu of several lines broken balanced: no line of one or two
                      syllables, the narrowest at least 60 % of the widest, no more lines
                      than a greedy fill plus one
  marks.<words>       each mark of the source in a stroked rectangle under the Số (and
                      V/v) lines, centred under the Số line (+-1), in the order độ mật, độ
                      khẩn, phạm vi lưu hành / dự thảo, 8 mm high (+-0.3 mm); the words
                      bold, upper case, 13-14 pt, inside the frame; độ khẩn frames 20, 40,
                      30 mm for KHẨN, THƯỢNG KHẨN, HỎA TỐC and độ mật 20, 30, 40 mm for MẬT,
                      TỐI MẬT, TUYỆT MẬT (+-0.3 mm), frame and words red; ô 11 black
  marks.none          no frame and no red glyph when the source has no mark
  tham-quyen          the thẩm quyền lines under the title rule, bold, upper, 14 pt, centred;
                      one too wide broken balanced as the trích yếu
  decision            QĐ: one "QUYẾT ĐỊNH:", NQ: one "QUYẾT NGHỊ:", bold, centred, after
                      the last căn cứ and before "Điều 1."; no such line in other types
  numbering           every label the source implies, in order, at the start of its line:
                      "Điều N." through the whole text, khoản "1." afresh in each điều,
                      điểm "a)" afresh in each khoản (no f, j, w, z), "I." for mục, "Chương
                      I" / "Mục 1" centred
  dieu.style          "Điều N." bold and indented 1.27 cm (+-0.5); a titled điều bold
                      through its title, an untitled one regular after the label
  kinh-gui            one recipient: "Kính gửi: X." on one line; several: "- X;" lines
                      with their dashes aligned (+-0.5), the last ending "."
  cong-dien           a Công điện: "<THẨM QUYỀN> điện:" then its recipients' "- X;" lines
  lines.<label>       a Giấy mời's and a Biên bản's lines start with vanban's labels
                      ("Thời gian:", "Thời gian bắt đầu:", …) and hold the source text
  punctuation         no doubled punctuation in the Kính gửi, căn cứ, V/v, date and Nơi
                      nhận lines (";;", ".;", "..", "Lưu: Lưu:", "V/v V/v", "- -")
  signatures          one block per <signature>: lines bold upper case 14 pt on one centre
                      each, the first (lead) block the rightmost, the names on one baseline
                      (+-0.5); one block: Nơi nhận on its first line's baseline; several:
                      Nơi nhận under every name, overlapping no block
  noi-nhan            "Nơi nhận:" 12 pt bold italic; the items "- X;" … "- Lưu: …." 11 pt
  drafter             ô 12: "PL.(300)" 11 pt regular under the Lưu line, at the margin
  contact             ô 13 on page 1 only: a rule across the text area (+-1) under every
                      other line of the page, the address, phone, fax, e-mail and website
                      under it in 11-12 pt
  attachment.N        an attached document starts a page with the agency and the Quốc
                      hiệu, no Số line, its type name, trích yếu and "(Kèm theo <type> số
                      <ký hiệu> …)" italic; its pages are numbered from 1
--selftest applies one mutation at a time to the measurements (a V/v line moved, a mark
turned black, a frame resized, a khoản renumbered, a doubled ";", a name moved, …) and
asserts that the matching check fails; exit 0 when every mutation was caught.
"""

import argparse
import copy
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfcheck  # noqa: E402
from pdfcheck import MM, ToolError, norm, run  # noqa: E402

TYPE_NAMES = pdfcheck.TYPE_NAMES   # Phụ lục III: abbreviation -> name in upper case
URGENCY = {"KHẨN": 20, "THƯỢNG KHẨN": 40, "HỎA TỐC": 30, "HOẢ TỐC": 30}
SECRECY = {"MẬT": 20, "TỐI MẬT": 30, "TUYỆT MẬT": 40}
LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
INDENT = 12.7 * MM
TEXT_X0, TEXT_X1 = 30 * MM, 595.276 - 15 * MM
LEFT_W = (TEXT_X1 - TEXT_X0) * 0.4
LEFT_X1 = TEXT_X0 + LEFT_W
TEXT_CX = (TEXT_X0 + TEXT_X1) / 2
PAGE_H = 841.89


def upper(s):
    return unicodedata.normalize("NFC", s.upper())


def roman(n):
    return pdfcheck.roman(n)


def text(el):
    return norm("".join(el.itertext())) if el is not None else ""


def untype(s, lead=(), trail=""):
    """s without what vanban writes itself, as a typist may have typed it."""
    changed = True
    while changed:
        changed = False
        for w in lead:
            if s.startswith(w) and (w.endswith(":") or s[len(w):len(w) + 1] in ("", " ")):
                s = s[len(w):].lstrip()
                changed = True
    if trail:
        s = s.rstrip(trail + " ")
    return s


DASHES = ("-", "–", "—", "•", "+")


def recipient(s):
    return untype(s, DASHES + ("Kính gửi:", "Kính gửi"), ";.,")


# ------------------------------------------------------------------ source
class Source:
    """What the page must say, read from the document XML."""

    def __init__(self, path):
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as exc:
            raise ToolError(f"cannot read source {path}: {exc}")
        self.root = root
        self.type = root.get("type", "")
        self.cv = self.type == "CV"
        self.agencies = []
        parent = []
        for el in root:
            if el.tag == "parent-agency":
                lines = el.findall("line")
                parent = [text(l) for l in lines] if lines else [text(el)]
            elif el.tag == "agency":
                self.agencies.append({"parent": parent, "lines": [text(l) for l in el.findall("line")],
                                      "abbr": el.get("abbr"), "unit": el.get("unit")})
                parent = []
        number = (root.findtext("number") or "").strip()
        num = (f"{int(number):02d}" if int(number) < 10 else number) if number else ""
        a0 = self.agencies[0]
        if self.cv:
            code = f"{a0['abbr']}-{a0['unit']}"
        elif len(self.agencies) > 1:
            code = f"{self.type}LT-" + "-".join(a["abbr"] for a in self.agencies)
        else:
            code = f"{self.type}-{a0['abbr']}"
        self.code = f"{num}/{code}"
        self.so = f"Số: {self.code}"
        self.has_date = root.findtext("date") is not None
        self.place = untype(text(root.find("place")), (), ",")
        tn = root.find("type-name")
        self.type_name = upper(text(tn)) if tn is not None else TYPE_NAMES.get(self.type, "")
        ty = root.find("trich-yeu")
        self.trich_yeu = text(ty) if ty is not None else ""
        if self.cv:
            self.trich_yeu = untype(self.trich_yeu, ("V/v:", "V/v", "V/V", "v/v", "Về việc", "về việc"))
        tq = root.find("tham-quyen")
        if tq is not None:
            lines = tq.findall("line")
            self.tham_quyen = [upper(text(l)) for l in lines] if lines else [upper(text(tq))]
        else:
            self.tham_quyen = []
        self.can_cu = [untype(text(c), (), ";.,") for c in root.findall("can-cu")]
        self.kinh_gui = [recipient(text(t)) for t in root.findall("kinh-gui/to")]
        self.marks = []
        if root.get("do-mat"):
            w = upper(root.get("do-mat"))
            self.marks.append((w, SECRECY[w], True))
        if root.get("do-khan"):
            w = upper(root.get("do-khan")).replace("HOẢ", "HỎA")
            self.marks.append((w, URGENCY[w], True))
        if root.get("pham-vi"):
            self.marks.append((upper(root.get("pham-vi")), None, False))
        if root.get("du-thao"):
            d = root.get("du-thao")
            self.marks.append(("DỰ THẢO" if d == "true" else f"DỰ THẢO LẦN {d}", None, False))
        self.signatures = []
        for sig in root.findall("signature"):
            lines = []
            for el in sig:
                if el.tag == "authority":
                    p = el.get("prefix")
                    lines.append(upper(f"{p}. " + untype(text(el), (p + ".",))))
                elif el.tag == "position":
                    lines.append(upper(text(el)))
            self.signatures.append({"lines": lines, "name": text(sig.find("name"))})
        nn = root.find("noi-nhan")
        self.items = [f"- {untype(text(t), DASHES, ';.,')};" for t in nn.findall("to")]
        luu = untype(text(nn.find("luu")), DASHES + ("Lưu:", "Lưu :", "lưu:", "LƯU:", "Lưu", "lưu"), ".;,")
        self.items.append(f"- Lưu: {luu}.")
        dr = nn.find("drafter")
        self.drafter = None
        if dr is not None:
            self.drafter = upper(text(dr)) + "." + (f"({dr.get('copies')})" if dr.get("copies") else "")
        ct = root.find("contact")
        self.contact = [text(c) for c in ct] if ct is not None else []
        self.labels = []            # (label, first words) in reading order
        self.dieu = []              # (label, titled, first words)
        self.lines = []             # Giấy mời / Biên bản labelled lines: (label, text)
        self.chuong = []            # "Chương I", "Mục 1" labels
        self._dieu = 0
        self._blocks(root.find("body"), "6b", "")
        self.attachments = []
        for k, at in enumerate(root.findall("attachment")):
            tn = at.find("type-name")
            self.attachments.append({
                "type_name": upper(text(tn)) if tn is not None else TYPE_NAMES.get(at.get("type"), ""),
                "trich_yeu": text(at.find("trich-yeu"))})

    def first_words(self, el, n=3):
        """The words an untitled item's label stands before: its first paragraph's, when
        its content starts with one (else the label stands alone)."""
        for child in el:
            if child.tag == "title":
                continue
            if child.tag in ("p", "dash", "plus"):
                return " ".join(untype(text(child), DASHES).split()[:n])
            return ""
        return ""

    def _blocks(self, parent, nest, prefix):
        if parent is None:
            return
        counters = {"muc": 0, "khoan": 0, "diem": 0, "chuong": 0, "tieu-muc": 0}
        bb = self.type == "BB"
        labels = {"toi-du": "Tới dự", "chu-tri": "Chủ trì (chủ tọa):" if bb else "Chủ trì:",
                  "thoi-gian": "Thời gian bắt đầu:" if bb else "Thời gian:",
                  "dia-diem": "Địa điểm:", "thanh-phan": "Thành phần tham dự:",
                  "thu-ky": "Thư ký (người ghi biên bản):"}
        for el in parent:
            tag = el.tag
            forced = el.get("number")
            title = el.find("title")
            ttl = text(title) if title is not None and title in list(el) else None
            if tag in labels:
                self.lines.append((labels[tag], untype(text(el), (labels[tag],))))
            elif tag == "kinh-moi":
                self.lines.append((f"{norm(el.get('from'))} trân trọng kính mời:", text(el)))
            elif tag == "chuong" or (tag == "muc" and nest != "6b") or tag == "tieu-muc":
                key = tag
                counters[key] += 1
                word = {"chuong": "Chương", "muc": "Mục", "tieu-muc": "Tiểu mục"}[tag]
                num = forced or (roman(counters[key]) if tag == "chuong" else str(counters[key]))
                self.chuong.append((f"{word} {num}", upper(ttl or "")))
                if tag == "chuong":
                    counters["muc"] = 0
                self._blocks(el, "chuong" if tag == "chuong" else "muc", "")
            elif tag == "dieu":
                self._dieu += 1
                label = f"Điều {forced or self._dieu}."
                words = " ".join(untype(ttl, (), "").split()[:3]) if ttl else self.first_words(el)
                self.dieu.append((label, ttl is not None, words))
                self.labels.append((label, words))
                self._blocks(el, nest, "")
            elif tag == "muc":
                counters["muc"] += 1
                counters["khoan"] = counters["diem"] = 0
                label = f"{forced or roman(counters['muc'])}."
                self.labels.append((label, " ".join(upper(ttl or "").split()[:2])))
                self._blocks(el, nest, "")
            elif tag == "khoan":
                counters["khoan"] += 1
                counters["diem"] = 0
                label = f"{forced}." if forced else f"{prefix}{counters['khoan']}."
                words = " ".join((ttl or self.first_words(el)).split()[:3])
                self.labels.append((label, words))
                self._blocks(el, nest, label)
            elif tag == "diem":
                counters["diem"] += 1
                label = f"{forced or LETTERS[counters['diem'] - 1]})"
                words = " ".join((ttl or self.first_words(el)).split()[:3])
                self.labels.append((label, words))
                self._blocks(el, nest, prefix)
            elif tag == "phan":
                counters["phan"] = counters.get("phan", 0) + 1
                counters["muc"] = 0
                self._blocks(el, nest, "")


# ------------------------------------------------------------ measurements
class Trace:
    """Frames (stroked closed rectangles) and glyph colours from `mutool trace`."""

    def __init__(self, pdf):
        rc, out, err = run(["mutool", "trace", pdf])
        if rc != 0:
            raise ToolError(f"mutool trace failed: {err.strip()}")
        root = ET.fromstring(out)
        self.boxes = {}     # page -> [(x0, y0, x1, y1 top-down, colour, linewidth)]
        self.glyphs = {}    # page -> [(x, base top-down, char, colour)]
        for pnum, page in enumerate(root.iter("page"), 1):
            h = float(page.get("mediabox").split()[3])
            boxes, glyphs = [], []
            for el in page:
                if el.tag == "stroke_path":
                    pts = [(float(o.get("x")), float(o.get("y"))) for o in el if o.tag in ("moveto", "lineto")]
                    closed = any(o.tag == "closepath" for o in el)
                    if closed and len(pts) == 4:
                        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                        boxes.append([min(xs), h - max(ys), max(xs), h - min(ys),
                                      colour(el.get("color")), float(el.get("linewidth", "1"))])
                elif el.tag == "fill_text":
                    c = colour(el.get("color"))
                    for g in el.iter("g"):
                        glyphs.append((float(g.get("x")), h - float(g.get("y")), g.get("unicode"), c))
            self.boxes[pnum] = boxes
            self.glyphs[pnum] = glyphs

    def colour_of(self, page, ch):
        best, dist = None, 1e9
        for x, base, u, c in self.glyphs.get(page, []):
            d = abs(x - ch.x0) + abs(base - ch.base)
            if u == ch.c and d < dist:
                best, dist = c, d
        return best if dist < 2 else None


def colour(s):
    v = [float(t) for t in (s or "0").split()]
    return tuple(v * 3) if len(v) == 1 else tuple(v[:3])


def is_red(c):
    return c is not None and c[0] >= 0.8 and c[1] <= 0.3 and c[2] <= 0.3


def is_black(c):
    return c is not None and max(c) <= 0.1


# ----------------------------------------------------------------- checker
class Checker:
    def __init__(self, model, trace, src, quiet=False):
        self.m, self.t, self.src, self.quiet = model, trace, src, quiet
        self.results = {}
        self.base = pdfcheck.Checker(model, None, quiet=True)
        self.rows = {p.num: [r for r in self.base.rows(p) if not self.base.is_pagenum(r)]
                     for p in model.pages}
        self.segs = {n: [s for r in rows for s in pdfcheck.Checker.segments(r)]
                     for n, rows in self.rows.items()}
        self.found = {}

    def report(self, name, problems, expected=""):
        ok = not problems
        msg = f"PASS {name}" if ok else \
            f"FAIL {name}: measured {'; '.join(problems[:5])}" + \
            (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "") + f" expected {expected}"
        self.results[name] = (ok, msg)
        if not self.quiet:
            print(msg)

    # helpers
    @staticmethod
    def unbalanced(pieces, what, column):
        return pdfcheck.unbalanced(pieces, what, column)

    def page1(self):
        return self.m.pages[0]

    def so_seg(self):
        for s in self.segs[1]:
            if s.text.startswith("Số:"):
                return s
        return None

    def so_segs(self, so):
        """The Số line, and its second line when a long ký hiệu was broken after a hyphen."""
        out = [so]
        if so.text.endswith("-"):
            nxt = [s for s in self.segs[1] if so.base < s.base <= so.base + 16 and s.x1 <= LEFT_X1 + 1]
            out += nxt[:1]
        return out

    def left_segs_above(self, y):
        return [s for s in self.segs[1] if s.base < y - 0.5 and s.x1 <= LEFT_X1 + 1 and s.x0 < TEXT_CX]

    def all_text_rows(self):
        for p in self.m.pages:
            for r in self.rows[p.num]:
                yield r

    # ---- header
    def check_header(self):
        src, so = self.src, self.so_seg()
        self.found["so"] = so
        probs = []
        if so is None:
            self.report("header.so", ["no 'Số:' line on page 1"], src.so)
            self.report("header.agencies", ["no 'Số:' line to stand on"], "agency lines")
            return
        so_all = self.so_segs(so)
        self.found["so_last"] = so_all[-1]
        got_so = "".join(s.text for s in so_all)
        if norm(got_so) != norm(src.so):
            probs.append(f"'{got_so}'")
        for s in so_all:
            if abs(s.size - 13) > 0.05 or s.any_bold or s.any_italic:
                probs.append(f"{s.sizes} pt bold={s.any_bold} italic={s.any_italic}")
        segs = sorted(self.left_segs_above(so.base), key=lambda s: s.base)
        want = []
        for a in src.agencies:
            want += [(upper(l), False) for l in a["parent"]] + [(upper(l), True) for l in a["lines"]]
        got = " ".join(s.text for s in segs)
        aprobs = []
        if norm(got) != norm(" ".join(w for w, _ in want)):
            aprobs.append(f"'{got}'")
        if segs:
            cx = segs[0].centre
            for s in segs:
                if abs(s.centre - cx) > 1 or s.size not in (12.0, 13.0):
                    aprobs.append(f"'{s.text}' centre {s.centre:.1f} size {s.size}")
            # centred under the agencies; a line wider than the column from the left margin
            for s in so_all:
                wide = s.width > LEFT_W + 0.5
                if (abs(s.x0 - TEXT_X0) > 0.5) if wide else (abs(s.centre - cx) > 1):
                    probs.append(f"'{s.text}' centre {s.centre:.1f} x0 {s.x0:.1f}, agencies at {cx:.1f}")
            if len(so_all) > 1 and so_all[0].width + 0.5 >= LEFT_W:
                probs.append("broken though it fits")
            # bold/regular: match each given line's words to drawn segments in order
            k = 0
            for line, bold in want:
                words = line.split()
                drawn, pieces = [], []
                while k < len(segs) and len(drawn) < len(words):
                    pieces.append(segs[k])
                    drawn += segs[k].text.split()
                    k += 1
                for s in pieces:
                    if (s.all_bold if bold else not s.any_bold) is False:
                        aprobs.append(f"'{s.text}' bold={s.any_bold}, want {bold}")
                if len(pieces) > 1:
                    syl = [len([w for w in s.text.split() if w not in ("-", "–")]) for s in pieces]
                    wid = [s.width for s in pieces]
                    if min(syl) < min(3, len([w for w in words if w != "-"]) // len(pieces)):
                        aprobs.append(f"'{line}' broken as {[s.text for s in pieces]}: a piece of {min(syl)} syllable(s)")
                    if min(wid) < 0.5 * max(wid):
                        aprobs.append(f"'{line}' broken as {[s.text for s in pieces]}: widths {min(wid):.0f}/{max(wid):.0f}")
        else:
            aprobs.append("no agency line")
        self.found["agencies"] = segs
        self.report("header.agencies", aprobs, "the agencies' lines stacked, centred, balanced")
        self.report("header.so", probs, f"'{src.so}' 13 pt regular centred under the agencies")
        dprobs = []
        right = [s for s in self.segs[1] if abs(s.base - so.base) < 0.6 and s.x0 > LEFT_X1]
        if src.type == "BB":
            if right:
                dprobs.append(f"a line on the Số baseline: '{right[0].text}'")
        else:
            want_date = src.place + ", ngày"
            if not right or not right[0].text.startswith(want_date) or not right[0].all_italic:
                dprobs.append(f"{[s.text for s in right]}")
        self.report("header.date", dprobs, "no date line" if src.type == "BB" else "the italic date line on the Số baseline")

    # ---- công văn
    def vv_segs(self):
        so = self.found.get("so_last") or self.found.get("so")
        if so is None:
            return []
        out = []
        for s in sorted(self.segs[1], key=lambda s: s.base):
            if s.base > so.base + 0.6 and s.x1 <= LEFT_X1 + 1:
                if self.in_box(1, s) or s.size > 13.05:
                    break
                if not out and not s.text.startswith("V/v"):
                    break
                if out and s.base - out[-1].base > 1.5 * 1.15 * s.size:
                    break
                out.append(s)
        return out

    def in_box(self, page, seg):
        for b in self.t.boxes.get(page, []):
            if b[0] - 1 <= seg.x0 and seg.x1 <= b[2] + 1 and b[1] - 1 <= seg.top and seg.base <= b[3] + 1:
                return True
        return False

    def check_cv(self):
        src = self.src
        title = [r for r in self.rows[1] if r.text == "CÔNG VĂN"]
        self.report("cv.no-title", [f"'{r.text}' at y={r.base:.1f}" for r in title], "no type name")
        so, vv = self.found.get("so"), self.vv_segs()
        self.found["vv"] = vv
        probs = []
        got = " ".join(s.text for s in vv)
        if norm(got) != norm("V/v " + src.trich_yeu):
            probs.append(f"'{got}'")
        for s in vv:
            if s.size < 12 or s.size > 13 or s.any_bold or s.any_italic:
                probs.append(f"'{s.text}' {s.sizes} pt bold={s.any_bold}")
            if so and abs(s.centre - so.centre) > 1:
                probs.append(f"'{s.text}' centre {s.centre:.1f}, Số at {so.centre:.1f}")
            if s.x0 < TEXT_X0 - 0.5 or s.x1 > LEFT_X1 + 0.5:
                probs.append(f"'{s.text}' outside the left column")
        probs += self.unbalanced(vv, "V/v", LEFT_X1 - TEXT_X0)
        if vv and so:
            gap = vv[0].base - so.base - 1.15 * vv[0].size
            if abs(gap - 6) > 1:
                probs.append(f"{gap:.1f} pt between the Số line and the V/v line")
        self.report("cv.vv", probs, "'V/v …' 12-13 pt regular, centred under the Số line, 6 pt below it")

    # ---- title
    def check_title(self):
        src = self.src
        rows = self.rows[1]
        t = [r for r in rows if r.text == src.type_name]
        probs = []
        if not t:
            probs.append("no type name line")
        else:
            r = t[0]
            if not r.all_bold or abs(r.size - 14) > 0.05 or abs(r.centre - TEXT_CX) > 1:
                probs.append(f"'{r.text}' {r.sizes} bold={r.all_bold} centre {r.centre:.1f}")
            i = rows.index(r)
            if src.trich_yeu:
                got, k = [], i + 1
                while k < len(rows) and len(norm(" ".join(got))) < len(norm(src.trich_yeu)):
                    got.append(rows[k].text)
                    if not rows[k].all_bold or abs(rows[k].centre - TEXT_CX) > 1:
                        probs.append(f"'{rows[k].text}' bold={rows[k].all_bold} centre {rows[k].centre:.1f}")
                    k += 1
                if norm(" ".join(got)) != norm(src.trich_yeu):
                    probs.append(f"trích yếu '{' '.join(got)}'")
                probs += self.unbalanced(rows[i + 1:k], "trích yếu", TEXT_X1 - TEXT_X0)
                last = rows[k - 1]
            else:
                last = r
            rule = [ru for ru in self.page1().rules if ru.y > last.base and ru.y < last.base + 20 and abs(ru.centre - TEXT_CX) < 1]
            if not rule:
                probs.append("no rule under the title")
            else:
                self.found["title_rule"] = rule[0]
        self.report("title", probs, f"'{src.type_name}' and the trích yếu bold, centred, a rule under")

    # ---- marks
    def check_marks(self):
        src, so = self.src, self.found.get("so")
        boxes = sorted(self.t.boxes.get(1, []), key=lambda b: b[1])
        self.found["boxes"] = boxes
        if not src.marks:
            red = [g for p in self.t.glyphs for g in self.t.glyphs[p] if is_red(g[3])]
            marks_boxes = [b for p in self.t.boxes for b in self.t.boxes[p]]
            self.report("marks.none", [f"{len(marks_boxes)} frame(s), {len(red)} red glyph(s)"] if red or marks_boxes else [],
                        "no frame, no red glyph")
            return
        top_limit = so.base if so else 0
        vv = self.found.get("vv") or []
        if vv:
            top_limit = vv[-1].base
        used = []
        for words, width_mm, red in src.marks:
            name = f"marks.{words}"
            probs = []
            box = None
            for b in boxes:
                inside = [ch for ch in self.page1().chars
                          if ch.ink and b[0] <= ch.x0 + 0.1 and ch.x1 <= b[2] + 0.1 and b[1] <= ch.y0 + 0.1 and ch.y1 <= b[3] + 0.1]
                if norm("".join(ch.c if ch.ink else " " for ch in sorted(inside, key=lambda c: c.x0))).replace(" ", "") == words.replace(" ", ""):
                    box = (b, inside)
                    break
            if box is None:
                self.report(name, ["no frame holding these words"], f"'{words}' framed")
                continue
            b, inside = box
            used.append(b)
            w, h = b[2] - b[0], b[3] - b[1]
            if abs(h - 8 * MM) > 0.3 * MM:
                probs.append(f"height {h / MM:.2f} mm")
            if width_mm is not None and abs(w - width_mm * MM) > 0.3 * MM:
                probs.append(f"width {w / MM:.2f} mm")
            tw = max(ch.x1 for ch in inside) - min(ch.x0 for ch in inside)
            if width_mm is None and w < tw + 2 * MM:
                probs.append(f"width {w / MM:.2f} mm for words {tw / MM:.2f} mm")
            if so and abs((b[0] + b[2]) / 2 - so.centre) > 1:
                probs.append(f"centre {(b[0] + b[2]) / 2:.1f}, Số at {so.centre:.1f}")
            if b[1] < top_limit:
                probs.append(f"top {b[1]:.1f} above the line it goes under ({top_limit:.1f})")
            for ch in inside:
                if not ch.bold or ch.size < 12.95 or ch.size > 14.05 or ch.c != upper(ch.c):
                    probs.append(f"'{ch.c}' {ch.size} pt bold={ch.bold}")
                    break
            ok_colour = is_red if red else is_black
            if not ok_colour(b[4]):
                probs.append(f"frame colour {b[4]}")
            cols = {self.t.colour_of(1, ch) for ch in inside}
            if not all(ok_colour(c) for c in cols):
                probs.append(f"words colour {cols}")
            self.report(name, probs, f"'{words}' bold upper 13-14 pt in a {'red ' if red else ''}frame "
                        f"{width_mm if width_mm else 'words + 2x3'} x 8 mm under the Số line")
        order = [b[1] for b in used]
        self.report("marks.order", [] if order == sorted(order) else [f"tops {order}"], "độ mật, độ khẩn, ô 11 from top to bottom")

    # ---- thẩm quyền, decision line
    def check_tham_quyen(self):
        src = self.src
        if not src.tham_quyen or src.type == "CĐ":
            return
        rows = self.rows[1]
        probs = []
        rule = self.found.get("title_rule")
        after = [r for r in rows if rule is None or r.base > rule.y]
        k = 0
        for n, want in enumerate(src.tham_quyen):
            # a line too wide for the text area comes as several rows, broken balanced
            got = []
            while k < len(after) and len(norm(" ".join(r.text for r in got))) < len(norm(want)):
                got.append(after[k])
                k += 1
            if norm(" ".join(r.text for r in got)) != norm(want):
                probs.append(f"line {n + 1}: '{' '.join(r.text for r in got)}'")
                continue
            for r in got:
                self.found.setdefault("tq", []).append(r)
                if not r.all_bold or abs(r.size - 14) > 0.05 or abs(r.centre - TEXT_CX) > 1:
                    probs.append(f"'{r.text}' {r.sizes} bold={r.all_bold} centre {r.centre:.1f}")
            probs += self.unbalanced(got, "thẩm quyền", TEXT_X1 - TEXT_X0)
        self.report("tham-quyen", probs, f"{src.tham_quyen} bold, centred, under the title rule")

    def check_decision(self):
        src = self.src
        want = {"QĐ": "QUYẾT ĐỊNH:", "NQ": "QUYẾT NGHỊ:"}.get(src.type)
        rows = [(p, r) for p in self.rows for r in self.rows[p]]
        hits = [(p, r) for p, r in rows if r.text in ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:")]
        probs = []
        if want is None:
            if hits:
                probs.append(f"'{hits[0][1].text}'")
        elif len(hits) != 1 or hits[0][1].text != want:
            probs.append(f"{[r.text for _, r in hits]}")
        else:
            p, r = hits[0]
            self.found["decision"] = r
            if not r.all_bold or abs(r.centre - TEXT_CX) > 1:
                probs.append(f"bold={r.all_bold} centre {r.centre:.1f}")
            i = rows.index((p, r))
            if src.can_cu:
                last_cc = norm(src.can_cu[-1]).split()[-1] + "."
                if not any(rr.text.endswith(last_cc) for _, rr in rows[:i]):
                    probs.append("not after the căn cứ")
            if src.dieu and not any(rr.text.startswith(src.dieu[0][0]) for _, rr in rows[i + 1:]):
                probs.append("no Điều after it")
        self.report("decision", probs, want or "no decision line")

    # ---- numbering and điều
    def check_numbering(self):
        src = self.src
        if not src.labels and not src.chuong:
            return
        rows = [r for p in sorted(self.rows) for r in self.rows[p]]
        texts = [r.text for r in rows]
        probs, k = [], 0
        for label, words in src.labels:
            want = f"{label} {words}".strip()
            j = k
            while j < len(texts) and not (norm(texts[j]).startswith(norm(want) + " ") or
                                          norm(texts[j]) == norm(want) or
                                          norm(texts[j]) == norm(want) + "/."):  # the end mark
                j += 1
            if j == len(texts):
                probs.append(f"'{want}' not found after line {k}")
            else:
                k = j + 1
        for label, title in src.chuong:
            r = [r for r in rows if r.text == label]
            if not r or not r[0].all_bold or abs(r[0].centre - TEXT_CX) > 1:
                probs.append(f"'{label}' centred bold")
        self.found["label_rows"] = rows
        self.report("numbering", probs, "Điều N. through the text, khoản 1. and điểm a) afresh in each")
        if not src.dieu:
            return
        probs = []
        for label, titled, words in src.dieu:
            r = [r for r in rows if r.text.startswith(label + " ") or r.text == label]
            if not r:
                probs.append(f"no '{label}'")
                continue
            r = r[0]
            self.found.setdefault("dieu", []).append(r)
            n = len(label)
            lab = [ch for ch in r.inks][:len(label.replace(" ", ""))]
            if not all(ch.bold for ch in lab):
                probs.append(f"'{label}' not bold")
            if abs(r.x0 - (TEXT_X0 + INDENT)) > 0.5:
                probs.append(f"'{label}' at x={r.x0:.1f}")
            rest = [ch for ch in r.inks][len(label.replace(" ", "")):]
            if rest and titled != all(ch.bold for ch in rest):
                probs.append(f"'{r.text[:30]}' bold after the label={all(ch.bold for ch in rest)}, titled={titled}")
            del n
        self.report("dieu.style", probs, "'Điều N.' bold, indented 1.27 cm; titled bold, untitled regular")

    # ---- Kính gửi, công điện
    def kinh_gui_rows(self):
        rows = self.rows[1]
        start = [i for i, r in enumerate(rows) if r.text.startswith("Kính gửi:")]
        if not start:
            return []
        i = start[0]
        out = [rows[i]]
        for r in rows[i + 1:]:
            if r.x0 < rows[i].x0 + 10 or r.size != rows[i].size:
                break
            out.append(r)
        return out

    def check_kinh_gui(self):
        src = self.src
        if not src.kinh_gui or src.type == "CĐ":
            return
        rows = self.kinh_gui_rows()
        self.found["kg"] = rows
        probs = []
        if len(src.kinh_gui) == 1:
            want = f"Kính gửi: {src.kinh_gui[0]}."
            if len(rows) != 1 or rows[0].text != want:
                probs.append(f"{[r.text for r in rows]}")
        else:
            want = "Kính gửi: " + " ".join(f"- {t}{';' if i + 1 < len(src.kinh_gui) else '.'}" for i, t in enumerate(src.kinh_gui))
            got = " ".join(r.text for r in rows)
            if norm(got) != norm(want):
                probs.append(f"'{got}'")
            dash_x = []
            for r in rows:
                for ch in r.inks:
                    if ch.c == "-" and (not dash_x or True):
                        dash_x.append(ch.x0)
                        break
            if dash_x and max(dash_x) - min(dash_x) > 0.5:
                probs.append(f"dashes at {[round(x, 1) for x in dash_x]}")
        self.report("kinh-gui", probs, "one recipient on the line, several as '- …;' lines ending '.'")

    def check_cong_dien(self):
        src = self.src
        if src.type != "CĐ":
            return
        rows = self.rows[1]
        want = " ".join(src.tham_quyen) + " điện:"
        hit = [i for i, r in enumerate(rows) if norm(r.text) == norm(want)]
        probs = []
        if not hit:
            probs.append(f"no '{want}'")
        else:
            got = " ".join(r.text for r in rows[hit[0] + 1:hit[0] + 1 + 3 * len(src.kinh_gui)])
            want2 = " ".join(f"- {t}{';' if i + 1 < len(src.kinh_gui) else '.'}" for i, t in enumerate(src.kinh_gui))
            if not norm(got).startswith(norm(want2)):
                probs.append(f"'{got[:80]}'")
        self.report("cong-dien", probs, f"'{want}' then the recipients")

    def check_lines(self):
        rows = [r for p in sorted(self.rows) for r in self.rows[p]]
        k = 0
        for label, body in self.src.lines:
            want = norm(f"{label} {body}")
            probs = []
            j = k
            while j < len(rows) and not rows[j].text.startswith(label):
                j += 1
            if j == len(rows):
                probs.append("not found in order")
            else:
                got, i = rows[j].text, j + 1
                while len(norm(got)) < len(want) and i < len(rows):
                    got += " " + rows[i].text
                    i += 1
                if norm(got) != want:
                    probs.append(f"'{got[:80]}'")
                self.found.setdefault("lines", []).append((label, rows[j]))
                k = j + 1
            self.report(f"lines.{label}", probs, f"'{want[:60]}…'")

    # ---- punctuation
    def check_punctuation(self):
        bad = [";;", ".;", ";.", "..", ",,", "Lưu: Lưu:", "V/v V/v", "- -", ",,", ", ,"]
        rows = list(self.kinh_gui_rows()) + self.found.get("vv", [])
        rows += [r for p in self.rows for r in self.rows[p] if r.any_italic or r.size <= 11.05]
        so = self.found.get("so")
        if so:
            rows += [s for s in self.segs[1] if abs(s.base - so.base) < 0.6]
        probs = [f"'{r.text}'" for r in rows if any(b in r.text for b in bad)]
        self.report("punctuation", probs, "no doubled punctuation")

    # ---- closing
    def check_closing(self):
        src = self.src
        pages = [p.num for p in self.m.pages]
        label = None
        for p in pages:
            for s in self.segs[p]:
                if s.text == "Nơi nhận:":
                    label = s
        probs = []
        if label is None:
            self.report("noi-nhan", ["no 'Nơi nhận:'"], "'Nơi nhận:' 12 pt bold italic")
            self.report("signatures", ["no closing block"], "signature blocks")
            return
        p = label.page.num
        segs = sorted(self.segs[p], key=lambda s: (s.base, s.x0))
        if abs(label.size - 12) > 0.05 or not label.all_bold or not label.all_italic or abs(label.x0 - TEXT_X0) > 0.5:
            probs.append(f"label {label.sizes} bold={label.all_bold} italic={label.all_italic} x={label.x0:.1f}")
        items = [s for s in segs if s.base > label.base + 0.5 and s.x0 < TEXT_X0 + 20 and abs(s.size - 11) < 0.05
                 and s.base < label.base + 11.5 * 1.15 * (len(src.items) * 3 + 3)]
        got = " ".join(s.text for s in items)
        want = " ".join(src.items) + (f" {src.drafter}" if src.drafter else "")
        if norm(got) != norm(want):
            probs.append(f"'{got}'")
        self.found["items"] = items
        self.report("noi-nhan", probs, f"'{want}' 11 pt under 'Nơi nhận:' 12 pt bold italic")
        if src.drafter:
            d = [s for s in items if s.text == src.drafter]
            if d:
                self.found["drafter"] = d[0]
            dp = []
            if not d:
                dp.append("not found")
            elif d[0].any_bold or abs(d[0].x0 - TEXT_X0) > 0.5 or items.index(d[0]) != len(items) - 1:
                dp.append(f"'{d[0].text}' bold={d[0].any_bold} x={d[0].x0:.1f}")
            self.report("drafter", dp, f"'{src.drafter}' 11 pt at the margin under the Lưu line")
        # signature blocks: every block line and name
        blocks = []
        sprobs = []
        for k, sig in enumerate(src.signatures):
            found = []
            for line in sig["lines"] + [sig["name"]]:
                cand = [s for s in segs if s.text == line and s.all_bold and abs(s.size - 14) < 0.05
                        and s not in [x for b in blocks for x in b] and s not in found]
                if not cand:
                    sprobs.append(f"block {k + 1}: no bold 14 pt '{line}'")
                    break
                # two blocks may have the same lines ("KT. GIÁM ĐỐC"): a block's first line is
                # the rightmost left (the blocks run right to left), the others in its column
                cand.sort(key=lambda s: abs(s.centre - found[0].centre) if found else -s.x0)
                found.append(cand[0])
            blocks.append(found)
        if not sprobs:
            for k, b in enumerate(blocks):
                cx = b[0].centre
                if any(abs(s.centre - cx) > 1 for s in b):
                    sprobs.append(f"block {k + 1} centres {[round(s.centre, 1) for s in b]}")
            if len(blocks) > 1:
                if any(blocks[0][0].centre <= b[0].centre for b in blocks[1:]):
                    sprobs.append(f"lead block centre {blocks[0][0].centre:.1f} not the rightmost")
                names = [b[-1].base for b in blocks]
                if max(names) - min(names) > 0.5:
                    sprobs.append(f"names at {names}")
                if label.base <= max(names):
                    sprobs.append(f"Nơi nhận at {label.base:.1f} above a name ({max(names):.1f})")
                boxes = [(s.x0, s.top, s.x1, s.base + 3) for b in blocks for s in b]
                for s in [label] + items:
                    for bx in boxes:
                        if s.x0 < bx[2] and bx[0] < s.x1 and s.top < bx[3] and bx[1] < s.base + 3:
                            sprobs.append(f"'{s.text}' overlaps a signature line")
                            break
            else:
                if abs(blocks[0][0].base - label.base) > 0.5:
                    sprobs.append(f"Nơi nhận at {label.base:.1f}, first signature line at {blocks[0][0].base:.1f}")
        self.found["blocks"] = blocks
        self.report("signatures", sprobs, "one block per signer, the lead rightmost, names level, Nơi nhận clear of them")

    # ---- contact
    def check_contact(self):
        src = self.src
        if not src.contact:
            return
        p1 = self.page1()
        probs = []
        rules = [r for r in p1.rules if abs(r.x0 - TEXT_X0) < 1 and abs(r.x1 - TEXT_X1) < 1]
        if not rules:
            self.report("contact", ["no full-width rule on page 1"], "ô 13 under a full-width rule")
            return
        rule = max(rules, key=lambda r: r.y)
        below = [s for s in self.segs[1] if s.top > rule.y]
        above = [s for s in self.segs[1] if s.base > rule.y - 0.5 and s not in below]
        if above:
            probs.append(f"'{above[0].text}' under the rule's top")
        got = norm(" ".join(s.text for s in sorted(below, key=lambda s: (s.base, s.x0))))
        for v in src.contact:
            if norm(v) not in got:
                probs.append(f"'{v}' missing")
        for s in below:
            if s.size < 10.95 or s.size > 12.05 or s.any_bold:
                probs.append(f"'{s.text[:20]}' {s.sizes} pt")
        for p in self.m.pages[1:]:
            if any(norm(src.contact[0]) in norm(r.text) for r in self.rows[p.num]):
                probs.append(f"on page {p.num} too")
        self.found["contact_rule"] = rule
        self.report("contact", probs, "ô 13 on page 1 under a rule across the text area, 11-12 pt")

    # ---- attachments
    def check_attachments(self):
        for k, at in enumerate(self.src.attachments, 1):
            probs = []
            start = None
            for p in self.m.pages[1:]:
                rows = self.rows[p.num]
                if any(r.text == at["type_name"] for r in rows):
                    start = p.num
                    break
            if start is None:
                self.report(f"attachment.{k}", ["no page with its type name"], at["type_name"])
                continue
            rows = self.rows[start]
            if not any(r.text.startswith("CỘNG HÒA XÃ HỘI") for r in rows) and \
                    not any("CỘNG HÒA XÃ HỘI" in s.text for s in self.segs[start]):
                probs.append("no Quốc hiệu")
            if any(s.text.startswith("Số:") for s in self.segs[start]):
                probs.append("a Số line")
            ref = [r for r in rows if r.text.startswith("(Kèm theo ")]
            if not ref or not ref[0].all_italic:
                probs.append("no italic '(Kèm theo …)'")
            elif self.src.code not in ref[0].text.replace(" ", " "):
                probs.append(f"'{ref[0].text}'")
            nxt = [p for p in self.m.pages if p.num == start + 1]
            if nxt:
                nums = [r.text for r in self.base.rows(nxt[0]) if self.base.is_pagenum(r)]
                if nums != ["2"]:
                    probs.append(f"page after its first shows {nums}")
            self.report(f"attachment.{k}", probs, "agency and Quốc hiệu, no Số line, type, trích yếu, (Kèm theo …), numbered from 1")

    def run_all(self):
        self.check_header()
        if self.src.cv:
            self.check_cv()
        else:
            self.check_title()
        self.check_marks()
        self.check_tham_quyen()
        self.check_decision()
        self.check_numbering()
        self.check_kinh_gui()
        self.check_cong_dien()
        self.check_lines()
        self.check_punctuation()
        self.check_closing()
        self.check_contact()
        self.check_attachments()


def check(model, trace, src, quiet=False):
    ck = Checker(model, trace, src, quiet)
    ck.run_all()
    return ck


# ----------------------------------------------------------------- selftest
def shift(seg, dx=0.0, dy=0.0):
    for ch in seg.chars:
        ch.x0 += dx
        ch.x1 += dx
        ch.y0 += dy
        ch.y1 += dy
        ch.base += dy


def mutations(ck):
    """(what, check name, mutate(model, trace)) from a baseline run's located items."""
    F, src, out = ck.found, ck.src, []

    def seg_chars(model, seg):
        ids = {c.cid for c in seg.chars}
        return [ch for p in model.pages for ch in p.chars if ch.cid in ids]

    def move(seg, dx=0.0, dy=0.0):
        def f(model, trace):
            for ch in seg_chars(model, seg):
                ch.x0 += dx
                ch.x1 += dx
                ch.y0 += dy
                ch.y1 += dy
                ch.base += dy
        return f

    def retext(seg, old, new):
        def f(model, trace):
            chars = seg_chars(model, seg)
            s = "".join(ch.c for ch in chars)
            i = s.find(old)
            if i >= 0:
                for k, c in enumerate(new):
                    chars[i + k].c = c
        return f

    if F.get("so"):
        out.append(("Số line at 12 pt", "header.so",
                    lambda m, t, s=F["so"]: [setattr(ch, "size", 12.0) for ch in seg_chars(m, s)]))
        out.append(("Số line 2 pt right", "header.so", move(F["so"], dx=2)))
    if F.get("agencies"):
        a = F["agencies"][-1]
        out.append(("an agency line not bold", "header.agencies",
                    lambda m, t, s=a: [setattr(ch, "bold", False) for ch in seg_chars(m, s)]))
    if F.get("vv"):
        out.append(("V/v line 3 pt lower", "cv.vv", move(F["vv"][0], dy=3)))
        out.append(("V/v line bold", "cv.vv",
                    lambda m, t, s=F["vv"][0]: [setattr(ch, "bold", True) for ch in seg_chars(m, s)]))
        out.append(("V/v off centre", "cv.vv", move(F["vv"][-1], dx=5)))
    for words, width, red in src.marks:
        name = f"marks.{words}"
        if name not in ck.results:
            continue

        def recolour(m, t, red=red):
            for b in t.boxes[1]:
                b[4] = (0, 0, 0) if red else (1, 0, 0)
        out.append((f"{words}: frame recoloured", name, recolour))

        def reink(m, t, red=red):
            t.glyphs[1] = [(x, b, u, (0, 0, 0) if red and is_red(c) else (1, 0, 0) if not red and u in words else c)
                           for x, b, u, c in t.glyphs[1]]
        out.append((f"{words}: words recoloured", name, reink))

        def widen(m, t):
            for b in t.boxes[1]:
                b[2] += 3 * MM
        out.append((f"{words}: frame 3 mm wider", name, widen) if width else
                   (f"{words}: frame 3 mm taller", name, lambda m, t: [b.__setitem__(3, b[3] + 3 * MM) for b in t.boxes[1]]))
    if not src.marks:
        out.append(("a red glyph", "marks.none",
                    lambda m, t: t.glyphs[1].append((100, 100, "X", (1, 0, 0)))))
    if F.get("label_rows") and src.labels:
        rows = F["label_rows"]
        for label, words in src.labels[1:]:
            if re.match(r"^\d+\.$", label) and label == "1.":
                hit = [r for r in rows if norm(r.text).startswith(norm(f"{label} {words}"))]
                if hit:
                    out.append(("a khoản numbered 6. instead of 1.", "numbering",
                                retext(hit[0], "1.", "6.")))
                    break
    if F.get("kg"):
        out.append(("';;' in Kính gửi", "punctuation",
                    lambda m, t, s=F["kg"][-1]: [setattr(ch, "c", ";") for ch in seg_chars(m, s)[-2:]]))
    if F.get("items"):
        it = F["items"][0]
        out.append(("'- X;;' in Nơi nhận", "punctuation",
                    lambda m, t, s=it: [setattr(ch, "c", ";") for ch in seg_chars(m, s)[-2:]]))
    blocks = F.get("blocks") or []
    if blocks and blocks[0]:
        if len(blocks) > 1:
            out.append(("the lead's name 3 pt down", "signatures", move(blocks[0][-1], dy=3)))
        else:
            out.append(("the first signature line 3 pt down", "signatures", move(blocks[0][0], dy=3)))
        if len(blocks) > 1:
            out.append(("lead block moved left of the others", "signatures",
                        lambda m, t, bs=blocks: [move(s, dx=-(bs[0][0].centre - bs[1][0].centre) - 20)(m, t) for s in bs[0]]))
    if F.get("tq"):
        out.append(("thẩm quyền not bold", "tham-quyen",
                    lambda m, t, s=F["tq"][0]: [setattr(ch, "bold", False) for ch in seg_chars(m, s)]))
    if F.get("decision"):
        out.append(("decision line 10 pt left", "decision", move(F["decision"], dx=-10)))
    if F.get("dieu"):
        out.append(("'Điều N.' 3 pt right", "dieu.style", move(F["dieu"][-1], dx=3)))
        out.append(("'Điều N.' not bold", "dieu.style",
                    lambda m, t, s=F["dieu"][0]: [setattr(ch, "bold", False) for ch in seg_chars(m, s)[:5]]))
    for label, row in F.get("lines", [])[:2]:
        out.append((f"'{label}' misspelt", f"lines.{label}", retext(row, label[:3], "Xxx")))
    if F.get("drafter"):
        out.append(("ô 12 moved right", "drafter", move(F["drafter"], dx=20)))
    if F.get("contact_rule"):
        def drop_rule(m, t, r=F["contact_rule"]):
            m.pages[0].rules = [x for x in m.pages[0].rules if x is not r and not (abs(x.y - r.y) < 0.01)]
        out.append(("no rule over ô 13", "contact", drop_rule))
    return out


def selftest(model, trace, src):
    base = check(model, trace, src, quiet=True)
    failing = [n for n, (ok, _) in base.results.items() if not ok]
    if failing:
        print(f"selftest: the unmutated document already fails {failing}")
        return 1
    muts = mutations(base)
    missed = 0
    for what, name, f in muts:
        m2 = model.clone()
        t2 = copy.deepcopy(trace)
        # the clone's chars are new objects with the same ids: located segments point into
        # the original, so mutate by id
        f(m2, t2)
        ck = check(m2, t2, src, quiet=True)
        ok = ck.results.get(name, (True, ""))[0]
        print(f"{'caught' if not ok else 'MISSED'}: {what} -> {name}")
        missed += ok
    print(f"{len(muts) - missed} of {len(muts)} mutations caught")
    return 1 if missed or not muts else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args(argv)
    try:
        src = Source(a.source)
        model = pdfcheck.load_model(a.pdf)
        trace = Trace(a.pdf)
    except ToolError as exc:
        print(f"formcheck: {exc}", file=sys.stderr)
        return 2
    if a.selftest:
        return selftest(model, trace, src)
    ck = check(model, trace, src)
    failed = sum(1 for ok, _ in ck.results.values() if not ok)
    print(f"{len(ck.results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
