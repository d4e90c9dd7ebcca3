#!/usr/bin/env python3
"""pdfcheck.py - read a rendered vanban PDF back and check the Decree 30 layout.

Usage:
    pdfcheck.py --pdf OUT.pdf --source DOC.xml
    pdfcheck.py --pdf OUT.pdf --source DOC.xml --selftest

The PDF is measured with `mutool draw -F stext` (every character with its
quad, origin, font name and size) and `mutool trace` (every drawn path with its
transform: the rules).  `pdffonts`, `pdftotext` and `qpdf --check` are run for
the file-level checks.  The source XML (templates/vanban.rng) says what the
page must say; the PDF says where it is.  Every check prints
    PASS name            or
    FAIL name: measured ... expected ...
and the run ends with "N passed, M failed".  Exit status: 0 when every check
passed, 1 when one failed, 2 on usage or tool errors.

Coordinates are PDF points, top-down (y grows downwards, as in stext).
A4 = 595.28 x 841.89 pt; margins top 20, bottom 20, left 30, right 15 mm.
The "text area" runs from the left margin (85.04 pt) to the right margin
(552.76 pt); its centre is x = 318.90.  On a landscape page (841.89 wide)
it runs from 85.04 to 799.37, centre 442.20.

Main document and Phụ lục.  Texts are compared after NFC normalisation,
U+00A0 read as a space and runs of white space collapsed (blank e-office
fields: "Số:" + no-break spaces + "/BC-UBND").  When the source has
<appendix> elements, the MAIN pages are those up to the one holding the
closing block; Phụ lục N starts on the first later page whose first line is
"Phụ lục N" and runs to the next Phụ lục.  The main-document rules (A4
portrait, page numbers 2, 3, ..., header, title, body, closing) apply to the
main pages only; body rules never apply to table cells or Phụ lục pages.
Without appendices every page is a main page.

Tables (<table>, in the body or a Phụ lục) are found as runs of horizontal
rules sharing one extent (where vertical rules stand at their left end, only
the rows they cover); a table takes such runs, page after page, until its
source rows are used up.  Columns are the source <col> widths spread over
the rules' extent; a cell's text is the glyphs whose centres fall in its
column (span included) and row band, read line by line.  Rows inside a
table are left out of the body rows.

Checks (names as printed):
  page.a4                  every main page is 595.28 x 841.89 (+-0.5),
                           portrait; every Phụ lục page A4 in its source
                           orientation (landscape 841.89 x 595.28)
  margins                  every visible glyph's quad lies inside the margins
                           of its page as it is (+-0.5 pt); page-number rows
                           and spaces are exempt
  pagenum.page1            page 1 shows no page number
  pagenum.pN               main page N>=2 shows exactly "N", 14 pt, regular,
                           centred (+-1 pt) on the PAGE (x=297.64) or on the
                           TEXT AREA (x=318.90) - either is accepted - and
                           entirely inside the top margin
  pagenum.phu-luc-N.pK     numbering restarts in each Phụ lục: its first page
                           (K=1) shows none, its K-th page "K", with the
                           pagenum.pN rules (landscape centres 420.94/442.20)
  header.agency            the left-column lines above the So line read as
                           the parent agency then the agency lines (a source
                           line wrapped by the renderer is accepted); agency
                           lines 13 pt, bold, upper case, one common centre
                           (+-1); parent agency 13 pt, not bold, same centre
  header.agency-rule       solid horizontal rule under the agency, centred on
                           it (+-1), length 1/3..1/2 of its widest line
  header.so                "So: 125/KH-UBND": text, 13 pt exactly, regular,
                           centred under the agency (+-1)
  header.quoc-hieu         "CONG HOA ..." 13 pt bold on one line
  header.tieu-ngu          "Doc lap - Tu do - Hanh phuc" 14 pt bold,
                           hyphen-minus (no en dash), centred under the Quoc
                           hieu (+-1)
  header.tieu-ngu-rule     rule as long as the Tieu ngu (+-1), centred (+-1)
  header.date              place/date line: text, 14 pt italic, centred under
                           the Quoc hieu (+-1)
  header.date-baseline     date line on the So line's baseline (+-0.5)
  header.columns           left column entirely left of the right column
  title.type               KE HOACH / BAO CAO: 14 pt bold upper, centred on
                           the text area (+-1)
  title.trich-yeu          text, 14 pt bold, each line centred (+-1), below
                           the type
  title.rule               rule under the trich yeu, centred (+-1), length
                           1/3..1/2 of its longest line
  body.segmentation        every source paragraph is found, in order, and
                           every body line belongs to one (or is a part label
                           such as "Phan I", or the "Kinh gui:" block, whose
                           recipients must all be there; one recipient: the
                           line "Kinh gui: X." centred on the text area +-1).
                           Muc and phan titles are compared case-insensitively
                           (the renderer upper-cases them); labels the
                           renderer adds ("I.", "1.", "a)", "-") may precede
                           a paragraph's first word
  body.size                all body characters are 14 pt
  body.justify             every non-last line of a paragraph ends at the
                           right margin (+-0.6)
  body.last-line           last lines end inside the margin, with natural
                           word spaces (not stretched)
  body.letter-spacing      inside a word consecutive glyph quads touch
                           (gap +-0.3 pt): justification widens spaces only
  body.indent              first line indented 1 cm or 1.27 cm (+-0.5)
  body.flush               continuation lines start at the left margin (+-0.5)
  body.line-spacing        baseline pitch / size in 1.0..1.5 within paragraphs
  body.para-spacing        gap between paragraphs >= pitch + 6 pt (-0.5)
  body.headings            muc "I." lines bold + upper case (also any line
                           starting with a Roman numeral + "."), khoan titles
                           bold, diem titles not bold, can cu lines italic,
                           phan label and title bold and centred (+-1), the
                           title upper case
  fonts.embedded           pdffonts: every font "emb yes"
  fonts.unicode            pdffonts: every font "uni yes"
  fonts.stderr             pdffonts and pdftotext print nothing on stderr
  closing.noi-nhan         "Noi nhan:" 12 pt bold italic at the left margin
                           (+-0.5), on the first signature line's baseline
                           (+-0.5)
  closing.items            "- X;" ... "- Luu: VT, VX." one per line, 11 pt
                           regular, at the left margin, ";" / "." endings
  closing.signature        authority/position lines upper case bold 14 pt,
                           common centre (+-1) right of the text-area centre;
                           name 14 pt bold on the same centre
  closing.signature-space  last position baseline -> name baseline >= 70 pt
  closing.one-page         whole closing block on one page, with >= 1 body
                           line above it on that page
  table.cells              (only with tables) every source cell's text is in
                           its column and row, rows in source order (totals
                           row last), no extra ruled rows
  table.header-repeat      the header row(s) head the table on every page it
                           spans
  table.font               cell text 11..14 pt (the table's size= when
                           given); totals row bold
  table.rules              every table is ruled: horizontal rules across its
                           width above, between and below every row on every
                           page; no cell glyph outside the rules' extent
  appendix.N.heading       (only with appendices) on the first page of
                           Phụ lục N, from the top: "Phụ lục N", its title
                           upper case, then "(Kèm theo Báo cáo số 05/BC-UBND
                           ngày 20 tháng 11 năm 2023)" (the type name in
                           sentence case; the document's number and date, or
                           blanks; with no <date> in the source, the date the
                           header shows); all 14 pt centred on the text area
                           (+-1), the first two bold, the last italic; above
                           the table; a title or reference line of several
                           lines broken balanced (no line of one or two
                           syllables, the narrowest >= 60 % of the widest)
  appendix.N.text          the Phụ lục's paragraphs and headings are there in
                           order, and no other line stands outside its
                           heading, tables and chart
  appendix.N.chart         (only with a <chart>) read back by tests/chartread.py
                           (mutool draw -F trace and -F stext): the legend
                           ("name: target text" beside a sample bar), the scale
                           (marks in line), every group's name, in order, with
                           its note or one row per series: the series' name
                           beside the bar, the bar's length on the scale its
                           percentage (+-0.02), the target's line at the
                           series' target (+-0.02), the words after the bar
                           (its text, or the percentage with one decimal, or
                           "–"); bars grey (r = g = b), one shade per series,
                           distinct, the legend's; no coloured fill on its pages
  qpdf                     qpdf --check exit 0, "No syntax or stream encoding
                           errors found", no WARNING

Bold/italic come from the font name ("Bold", "Ital"/"Obli" substrings).  MuPDF
truncates names (e.g. "LiberationSerif-BoldItal"), so the stext name is first
expanded to the full name pdffonts prints, when one of those starts with it.

--selftest takes the parsed measurements of the given PDF, applies one
mutation at a time (shift the So baseline by 2 pt, pull a justified line off
the margin, put a page number on page 1, ...; with a Phụ lục: "1" on its
first page, a wrong number on its second, a portrait page, a header row
dropped from a table's second page, a changed cell, ...) and asserts that
the matching check now FAILs.  It exits 0 when every mutation was caught.
"""

import argparse
import copy
import re
import statistics
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chartread  # noqa: E402  (tests/chartread.py, beside this file)

# ---------------------------------------------------------------- constants
MM = 72.0 / 25.4
A4_W, A4_H = 595.276, 841.89
MARGIN_TOP, MARGIN_BOTTOM = 20 * MM, 20 * MM
MARGIN_LEFT, MARGIN_RIGHT = 30 * MM, 15 * MM
INDENTS = (10 * MM, 12.7 * MM)          # 1 cm or 1.27 cm first-line indent

TOL_MARGIN = 0.5      # glyph inside the margins
TOL_CENTRE = 1.0      # centring
TOL_BASE = 0.5        # same baseline
TOL_RIGHT = 0.6       # justified line end
TOL_LETTER = 0.3      # gap between glyphs inside a word
TOL_SIZE = 0.05       # font size

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
TYPE_NAMES = {"NQ": "NGHỊ QUYẾT", "QĐ": "QUYẾT ĐỊNH", "CT": "CHỈ THỊ", "QC": "QUY CHẾ",
              "QyĐ": "QUY ĐỊNH", "TC": "THÔNG CÁO", "TB": "THÔNG BÁO", "HD": "HƯỚNG DẪN",
              "CTr": "CHƯƠNG TRÌNH", "KH": "KẾ HOẠCH", "PA": "PHƯƠNG ÁN", "ĐA": "ĐỀ ÁN",
              "DA": "DỰ ÁN", "BC": "BÁO CÁO", "BB": "BIÊN BẢN", "TTr": "TỜ TRÌNH",
              "HĐ": "HỢP ĐỒNG", "CĐ": "CÔNG ĐIỆN", "BGN": "BẢN GHI NHỚ",
              "BTT": "BẢN THỎA THUẬN", "GUQ": "GIẤY ỦY QUYỀN", "GM": "GIẤY MỜI",
              "GGT": "GIẤY GIỚI THIỆU", "GNP": "GIẤY NGHỈ PHÉP", "PG": "PHIẾU GỬI",
              "PC": "PHIẾU CHUYỂN", "PB": "PHIẾU BÁO"}
ROMAN_RE = re.compile(r"^[IVXLCDM]+\.$")
LABEL_RE = re.compile(r"^([IVXLCDM]+\.|\d+(\.\d+)*\.?|[a-zđ]\)|[-+]|Phần|Mục)$")


class ToolError(Exception):
    """An external tool failed or the input could not be read."""


def norm(text):
    """NFC, no-break spaces to spaces, runs of white space collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return " ".join(text.split())


# ------------------------------------------------------------- measurements
@dataclass
class Char:
    """One glyph: quad box (x0,y0)-(x1,y1), origin x, baseline, font."""
    cid: int
    c: str
    x0: float
    y0: float
    x1: float
    y1: float
    base: float
    font: str
    size: float
    bold: bool = False
    italic: bool = False

    @property
    def ink(self):
        return not self.c.isspace()


@dataclass
class Rule:
    """A horizontal rule: a stroked horizontal segment or a thin filled box."""
    x0: float
    x1: float
    y: float
    kind: str            # "stroke" or "fill"
    dashed: bool = False

    @property
    def length(self):
        return self.x1 - self.x0

    @property
    def centre(self):
        return (self.x0 + self.x1) / 2


@dataclass
class VRule:
    """A vertical rule segment (table borders): x, y0 < y1."""
    x: float
    y0: float
    y1: float


@dataclass
class Page:
    num: int
    width: float
    height: float
    chars: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    vrules: list = field(default_factory=list)

    @property
    def landscape(self):
        return self.width > self.height

    @property
    def left(self):
        return MARGIN_LEFT

    @property
    def right(self):
        return self.width - MARGIN_RIGHT

    @property
    def top(self):
        return MARGIN_TOP

    @property
    def bottom(self):
        return self.height - MARGIN_BOTTOM


@dataclass
class Model:
    """Everything measured from the PDF; selftest mutates a deep copy."""
    pages: list
    pdffonts_out: str
    pdffonts_err: str
    pdftotext_err: str
    qpdf_out: str
    qpdf_rc: int
    pdf: str = ""            # the file, for readers that measure it again (charts)
    chart_pages: object = None   # chartread.load(pdf), read when a chart is checked

    def clone(self):
        """A copy whose pages, chars and rules can be mutated freely."""
        pages = [Page(p.num, p.width, p.height, [copy.copy(ch) for ch in p.chars],
                      [copy.copy(r) for r in p.rules], [copy.copy(r) for r in p.vrules])
                 for p in self.pages]
        return Model(pages, self.pdffonts_out, self.pdffonts_err, self.pdftotext_err,
                     self.qpdf_out, self.qpdf_rc, self.pdf, copy.deepcopy(self.chart_pages))


class Line:
    """Characters sharing a baseline (a row, or one column segment of it)."""

    def __init__(self, page, chars):
        self.page = page
        self.chars = sorted(chars, key=lambda ch: ch.x0)
        self.inks = [ch for ch in self.chars if ch.ink]
        self.base = statistics.median(ch.base for ch in self.inks or self.chars)
        self.text = text_of(self.chars)
        self.segs = None                 # column segments, filled on demand

    @property
    def x0(self):
        return self.inks[0].x0

    @property
    def x1(self):
        return self.inks[-1].x1

    @property
    def width(self):
        return self.x1 - self.x0

    @property
    def centre(self):
        return (self.x0 + self.x1) / 2

    @property
    def top(self):
        return min(ch.y0 for ch in self.inks)

    @property
    def sizes(self):
        return sorted({round(ch.size, 2) for ch in self.inks})

    @property
    def size(self):
        return statistics.mode(round(ch.size, 2) for ch in self.inks)

    @property
    def all_bold(self):
        return all(ch.bold for ch in self.inks)

    @property
    def any_bold(self):
        return any(ch.bold for ch in self.inks)

    @property
    def all_italic(self):
        return all(ch.italic for ch in self.inks)

    @property
    def any_italic(self):
        return any(ch.italic for ch in self.inks)

    def where(self):
        return f"p{self.page.num} y={self.base:.2f} '{short(self.text)}'"

    def words(self):
        """Lists of ink chars, one per word.  A word ends at a space glyph;
        in a row with no space glyph at all (per-word placement) a gap wider
        than 0.2 em ends it instead."""
        has_space = any(not ch.ink for ch in self.chars)
        words, cur, prev = [], [], None
        for ch in self.chars:
            if not ch.ink:
                if cur:
                    words.append(cur)
                cur, prev = [], None
                continue
            if (not has_space and prev is not None
                    and ch.x0 - prev.x1 > 0.2 * ch.size and cur):
                words.append(cur)
                cur = []
            cur.append(ch)
            prev = ch
        if cur:
            words.append(cur)
        return words


def text_of(chars):
    """Text of x-sorted chars; a gap wider than 0.2 em reads as a space."""
    out, prev = [], None
    for ch in chars:
        if not ch.ink:
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if prev is not None and ch.x0 - prev.x1 > 0.2 * ch.size and out and out[-1] != " ":
            out.append(" ")
        out.append(ch.c)
        prev = ch
    return norm("".join(out))


def short(text, n=40):
    return text if len(text) <= n else text[:n - 1] + "…"


# ------------------------------------------------------------------- tools
def run(cmd):
    """Run a tool; returns (rc, stdout, stderr).  Missing tool = ToolError."""
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(f"cannot run {cmd[0]}: {exc}")
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def full_font_names(pdffonts_out):
    """Font names from pdffonts, subset prefix removed."""
    names = []
    for line in pdffonts_out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 6:
            names.append(re.sub(r"^[A-Z]{6}\+", "", parts[0]))
    return names


def font_style(name, full_names):
    """(bold, italic) from a possibly truncated stext font name."""
    name = re.sub(r"^[A-Z]{6}\+", "", name)
    longer = [f for f in full_names if f.startswith(name) and len(f) > len(name)]
    if name not in full_names and longer:
        name = min(longer, key=len)
    bold = "Bold" in name or "Black" in name or "Heavy" in name
    italic = "Ital" in name or "Obli" in name
    return bold, italic


def load_model(pdf):
    """Measure the PDF with mutool, pdffonts, pdftotext and qpdf."""
    rc, fonts_out, fonts_err = run(["pdffonts", pdf])
    if rc != 0:
        raise ToolError(f"pdffonts failed: {fonts_err.strip()}")
    full = full_font_names(fonts_out)

    rc, stext, err = run(["mutool", "draw", "-F", "stext", "-o", "-", pdf])
    if rc != 0:
        raise ToolError(f"mutool draw failed: {err.strip()}")
    pages = []
    cid = 0
    try:
        root = ET.fromstring(stext)
    except ET.ParseError as exc:
        raise ToolError(f"cannot parse mutool stext output: {exc}")
    for pnum, pel in enumerate(root.iter("page"), 1):
        page = Page(pnum, float(pel.get("width")), float(pel.get("height")))
        for fel in pel.iter("font"):
            fname, fsize = fel.get("name", ""), float(fel.get("size", "0"))
            bold, italic = font_style(fname, full)
            for cel in fel.iter("char"):
                q = [float(v) for v in cel.get("quad").split()]
                xs, ys = q[0::2], q[1::2]
                page.chars.append(Char(cid, cel.get("c", ""), min(xs), min(ys), max(xs), max(ys),
                                       float(cel.get("y")), fname, fsize, bold, italic))
                cid += 1
        pages.append(page)

    rc, trace, err = run(["mutool", "trace", pdf])
    if rc != 0:
        raise ToolError(f"mutool trace failed: {err.strip()}")
    try:
        troot = ET.fromstring(trace)
    except ET.ParseError as exc:
        raise ToolError(f"cannot parse mutool trace output: {exc}")
    for pnum, pel in enumerate(troot.iter("page"), 1):
        if pnum <= len(pages):
            pages[pnum - 1].rules, pages[pnum - 1].vrules = rules_of(pel)

    _, _, text_err = run(["pdftotext", pdf, "/dev/null"])
    qrc, qout, qerr = run(["qpdf", "--check", pdf])
    return Model(pages, fonts_out, fonts_err, text_err, qout + qerr, qrc, pdf)


def rules_of(page_el):
    """(horizontal rules, vertical rules) among a traced page's stroke and
    fill paths."""
    rules, vrules = [], []
    for path in page_el.iter():
        if path.tag not in ("stroke_path", "fill_path"):
            continue
        a, b, c, d, e, f = [float(v) for v in path.get("transform", "1 0 0 1 0 0").split()]
        dashed = bool(path.get("dash"))
        subpaths, cur = [], []
        for op in path:
            if op.tag == "moveto":
                if cur:
                    subpaths.append(cur)
                cur = []
            if op.tag in ("moveto", "lineto", "curveto"):
                x, y = float(op.get("x")), float(op.get("y"))
                cur.append((a * x + c * y + e, b * x + d * y + f))
            elif op.tag == "closepath" and cur:
                cur.append(cur[0])
        if cur:
            subpaths.append(cur)
        for pts in subpaths:
            if path.tag == "stroke_path":
                for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
                    if abs(ya - yb) < 0.2 and abs(xa - xb) > 2:
                        rules.append(Rule(min(xa, xb), max(xa, xb), (ya + yb) / 2, "stroke", dashed))
                    elif abs(xa - xb) < 0.2 and abs(ya - yb) > 2:
                        vrules.append(VRule((xa + xb) / 2, min(ya, yb), max(ya, yb)))
            else:
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                if max(ys) - min(ys) <= 1.5 and max(xs) - min(xs) > 2:
                    rules.append(Rule(min(xs), max(xs), (min(ys) + max(ys)) / 2, "fill"))
                elif max(xs) - min(xs) <= 1.5 and max(ys) - min(ys) > 2:
                    vrules.append(VRule((min(xs) + max(xs)) / 2, min(ys), max(ys)))
    return rules, vrules


# ------------------------------------------------------------------ source
@dataclass
class Unit:
    """One body paragraph expected from the source.

    kind: cancu, p, dash, plus, muc, khoan, diem, phan (title, centred)
    tokens: its words without the label the renderer adds ("I.", "1.", "a)").
    """
    kind: str
    tokens: list
    has_bold_span: bool = False
    lines: list = field(default_factory=list)
    start_mid_line: bool = False


@dataclass
class Table:
    """A <table>: relative column widths, header rows and body rows (the
    <total> row last), each row a list of (cell text, span)."""
    widths: list
    size: float
    headers: list
    rows: list
    owner: str               # "body" or the appendix's Roman number
    has_total: bool = False


@dataclass
class Appendix:
    """One <appendix>: Phụ lục N."""
    index: int
    roman: str
    landscape: bool
    title: str
    units: list
    tables: list
    charts: list = field(default_factory=list)


def roman(n):
    """1 -> 'I', 4 -> 'IV', ..."""
    out = ""
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


def table_of(el, owner):
    """A source <table> element as a Table."""
    def cells(row):
        return [(inline_text(c, ()), int(c.get("span", "1"))) for c in row.findall("cell")]
    size = el.get("size")
    rows = [cells(r) for r in el.findall("row")]
    total = el.find("total")
    if total is not None:
        rows.append(cells(total))
    return Table([float(c.get("width")) for c in el.findall("col")],
                 float(size) if size else None,
                 [cells(h) for h in el.findall("header")], rows, owner, total is not None)


def vn_pct(v):
    """87.34 -> "87,3 %" (one decimal, half away from zero, "." between thousands)."""
    tenths = int(abs(v) * 10 + 0.5 + 1e-9)
    whole = f"{tenths // 10:,}".replace(",", ".")
    return f"{'-' if v < 0 and tenths else ''}{whole},{tenths % 10} %"


def chart_of(el):
    """A <chart>: {legend: [text], series: [(name, target)], groups: [(name, note, bars)]},
    a bar (percent or None, the words after it)."""
    series, legend, groups = [], [], []
    for s in el.findall("series"):
        name, tt = inline_text(s.find("name"), ()), s.find("target-text")
        series.append((name, float(s.findtext("target"))))
        legend.append(name + (": " + inline_text(tt, ()) if tt is not None else ""))
    for g in el.findall("group"):
        note = g.find("note")
        bars = []
        for b in g.findall("bar"):
            p, t = b.findtext("percent"), b.find("text")
            pct = float(p) if p is not None else None
            words = (inline_text(t, ()) if t is not None else
                     vn_pct(pct) if pct is not None else "\u2013")
            bars.append((pct, words))
        groups.append((inline_text(g.find("name"), ()),
                       inline_text(note, ()) if note is not None else None, bars))
    return {"legend": legend, "series": series, "groups": groups}


def in_pieces(line, pieces):
    """Whether every glyph of the line lies in one of the pieces of text (chartread)."""
    if not pieces or not line.inks:
        return False
    mine = [p for p in pieces if p.page == line.page.num and abs(p.base - line.base) < 1]
    return all(any(p.x0 - 0.5 <= ch.x0 and ch.x1 <= p.x1 + 0.5 and abs(p.base - ch.base) < 0.6
                   for p in mine) for ch in line.inks)


def inline_text(el, skip=("title",)):
    parts = [el.text or ""]
    for child in el:
        if child.tag not in skip and child.tag in ("b", "i"):
            parts.append(inline_text(child, ()))
        parts.append(child.tail or "")
    return norm("".join(parts))


def has_span(el, tag):
    return any(child.tag == tag for child in el.iter() if child is not el)


def iso_date_words(iso):
    """'2020-11-02' -> 'ngày 02 tháng 11 năm 2020' (ND30 zero rule)."""
    y, m, d = (int(v) for v in iso.split("-"))
    month = f"{m:02d}" if m <= 2 else str(m)
    return f"ngày {d:02d} tháng {month} năm {y}"


class Source:
    """What the page must say, read from the document XML."""

    def __init__(self, path):
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as exc:
            raise ToolError(f"cannot read source {path}: {exc}")
        if root.tag != "document":
            raise ToolError(f"{path}: root element is <{root.tag}>, expected <document>")
        dtype = root.get("type", "")
        agency = root.find("agency")
        self.attached = root.find("attachment") is not None
        self.parent = norm(root.findtext("parent-agency") or "") or None
        self.agency = [norm(l.text or "") for l in agency.findall("line")]
        number = root.findtext("number")
        abbr = agency.get("abbr", "")
        if number:
            num = f"{int(number):02d}" if int(number) < 10 else number.strip()
            self.so = f"Số: {num}/{dtype}-{abbr}"
        else:
            self.so = f"Số: /{dtype}-{abbr}"
        place = norm(root.findtext("place") or "")
        date = root.findtext("date")
        self.date = f"{place}, {iso_date_words(date.strip())}" if date else None
        self.date_prefix = f"{place}, ngày"
        self.type_name = norm(root.findtext("type-name") or TYPE_NAMES.get(dtype, dtype))
        ty = root.find("trich-yeu")
        self.trich_yeu = inline_text(ty) if ty is not None else ""
        self.units = []
        for cc in root.findall("can-cu"):
            self.units.append(Unit("cancu", inline_text(cc).split(), has_span(cc, "b")))
        kg = root.find("kinh-gui")
        self.kinh_gui = [inline_text(to) for to in kg.findall("to")] if kg is not None else []
        self.tables = []                 # every table, body ones first, in order
        self._blocks(root.find("body"), self.units, "body")
        # the text closes with the end mark "/." (Phụ lục III: "…./.") after its last
        # paragraph, unless it ends with a table or a title
        last = [e for e in root.find("body").iter() if e.tag in ("p", "dash", "plus", "table", "chart", "title")]
        if last and last[-1].tag in ("p", "dash", "plus") and self.units and self.units[-1].tokens:
            self.units[-1].tokens = self.units[-1].tokens[:-1] + [with_end_mark(self.units[-1].tokens[-1])]
        self.code = self.so[len("Số:"):].strip()          # "125/KH-UBND" or "/KH-UBND"
        self.date_words = iso_date_words(date.strip()) if date else None
        self.appendices = []
        self.charts = []
        for k, ap in enumerate(root.findall("appendix"), 1):
            units, before, charts = [], len(self.tables), len(self.charts)
            self._blocks(ap, units, roman(k), skip=("title",))
            self.appendices.append(Appendix(k, roman(k), ap.get("orientation") == "landscape",
                                            inline_text(ap.find("title"), ()), units,
                                            self.tables[before:], self.charts[charts:]))
        sig = root.find("signature")
        self.sig_lines = [f"{a.get('prefix')}. {norm(a.text or '')}" for a in sig.findall("authority")]
        self.sig_lines += [norm(p.text or "") for p in sig.findall("position")]
        self.sig_name = norm(sig.findtext("name") or "")
        nn = root.find("noi-nhan")
        self.items = [f"- {norm(t.text or '')};" for t in nn.findall("to")]
        self.items.append(f"- Lưu: {norm(nn.findtext('luu') or '')}.")

    def _blocks(self, parent, out, owner, skip=()):
        """Flatten blocks into units (appended to out), in reading order;
        tables go to self.tables."""
        for el in parent:
            tag = el.tag
            if tag in skip:
                continue
            if tag in ("p", "dash", "plus"):
                out.append(Unit(tag, inline_text(el).split(), has_span(el, "b")))
            elif tag == "table":
                self.tables.append(table_of(el, owner))
            elif tag == "chart":
                self.charts.append(chart_of(el))
            elif tag in ("phan", "muc", "khoan", "diem"):
                title = el.find("title")
                if title is not None:
                    kind = "phan" if tag == "phan" else tag
                    out.append(Unit(kind, inline_text(title).split(), has_span(title, "b")))
                self._blocks(el, out, owner, skip=("title",))


def unbalanced(pieces, what, column):
    """Problems of a text broken into pieces (lines) in a column this wide: a piece of one
    or two syllables ("-" is none) where every piece could hold three, a narrowest piece
    under 60 % of the widest, or more lines than its words need (a greedy fill of the
    column, plus one)."""
    if len(pieces) < 2:
        return []
    syl = [len([w for w in p.text.split() if w not in ("-", "–")]) for p in pieces]
    wid = [p.width for p in pieces]
    probs = []
    if min(syl) < min(3, sum(syl) // len(pieces)):
        probs.append(f"{what} broken as {[p.text for p in pieces]}: a line of {min(syl)} syllable(s)")
    if min(wid) < 0.6 * max(wid):
        probs.append(f"{what} broken as {[p.text for p in pieces]}: widths {min(wid):.0f}/{max(wid):.0f}")
    space = 0.25 * pieces[0].size
    need = (sum(wid) + space * (len(pieces) - 1)) / column
    if len(pieces) > int(need) + 2:
        probs.append(f"{what} in {len(pieces)} lines, its words fill {need:.2f} columns")
    return probs


def with_end_mark(word):
    """The last word of a document's text as drawn: "/." after a full stop, "./." after
    anything else, as typed when it already ends with "/."."""
    if word.endswith("/."):
        return word
    return word + ("/." if word.endswith((".", "!", "?")) else "./.")


# ----------------------------------------------------------------- analysis
class Checker:
    """Runs every check over a Model and remembers what it located."""

    def __init__(self, model, src, quiet=False, generic=False):
        self.m, self.src, self.quiet = model, src, quiet
        self.generic = generic   # only the checks every form shares (formcheck.py does the rest)
        self.results = {}
        self.found = {}          # located items, used by --selftest
        self.para_gaps = []      # body.para-spacing offenders

    # reporting ----------------------------------------------------------
    def report(self, name, problems, expected=""):
        """problems: list of 'measured' strings; empty = PASS."""
        if problems:
            shown = "; ".join(problems[:5])
            more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
            msg = f"FAIL {name}: measured {shown}{more} expected {expected}"
            self.results[name] = (False, msg)
        else:
            msg = f"PASS {name}"
            self.results[name] = (True, msg)
        if not self.quiet:
            print(msg)

    # building lines -----------------------------------------------------
    def rows(self, page):
        """Rows of a page: chars clustered by baseline (0.6 pt)."""
        chars = sorted(page.chars, key=lambda ch: (ch.base, ch.x0))
        groups = []
        for ch in chars:
            if groups and abs(ch.base - groups[-1][0].base) <= 0.6:
                groups[-1].append(ch)
            else:
                groups.append([ch])
        return [Line(page, g) for g in groups if any(ch.ink for ch in g)]

    @staticmethod
    def segments(row):
        """Split a row where two glyphs are more than 1 em apart (columns)."""
        if row.segs is None:
            row.segs = Checker._split(row)
        return row.segs

    @staticmethod
    def _split(row):
        # the gap is measured from the previous glyph, space glyphs included:
        # a run of (no-break) spaces, as in the blank "Số:      /BC-UBND" of
        # an e-office document, joins its two sides.
        segs, cur, prev, last = [], [], None, None
        for ch in row.chars:
            if (ch.ink and prev is not None and
                    ch.x0 - max(prev.x1, last.x1) > 1.0 * max(ch.size, prev.size)):
                segs.append(cur)
                cur = []
            cur.append(ch)
            last = ch if last is None or ch.x1 > last.x1 else last
            if ch.ink:
                prev = ch
        segs.append(cur)
        return [Line(row.page, s) for s in segs if any(ch.ink for ch in s)]

    def is_pagenum(self, row):
        """A digits-only row lying wholly in the top or bottom margin."""
        p = row.page
        return (row.text.isdigit() and
                (max(ch.y1 for ch in row.inks) <= p.top + TOL_MARGIN or
                 row.top >= p.bottom - TOL_MARGIN))

    # ---------------------------------------------------------------------
    def run_all(self):
        m = self.m
        if not m.pages:
            self.report("page.a4", ["no pages"], "at least one page")
            return
        self.page_rows = {p.num: [r for r in self.rows(p)] for p in m.pages}
        self.split_pages()
        self.locate_tables()
        if self.generic:
            self.check_pages()
            self.check_margins()
            if not self.src.attached:
                self.check_page_numbers()
            self.check_fonts()
            self.check_qpdf()
            return
        self.check_pages()
        self.check_margins()
        self.check_page_numbers()
        self.check_header()
        self.check_title()
        self.check_body()
        self.check_tables()
        self.check_appendices()
        self.check_fonts()
        self.check_closing()
        self.check_qpdf()

    # 0. main document pages and Phụ lục pages ------------------------------
    def first_row(self, page):
        rows = [r for r in self.page_rows[page.num] if not self.is_pagenum(r)]
        return rows[0] if rows else None

    def split_pages(self):
        """Main pages are those up to the one holding the closing block; each
        Phụ lục then starts on the page whose first line is "Phụ lục N" and
        runs to the next one.  Without appendices every page is a main page."""
        pages, apps = self.m.pages, self.src.appendices
        starts, nxt = {}, 2
        for ap in apps:
            for p in pages[nxt - 1:]:
                fr = self.first_row(p)
                if fr is not None and fr.text == f"Phụ lục {ap.roman}":
                    starts[ap.index] = p.num
                    nxt = p.num + 1
                    break
        first_app = min(starts.values(), default=None)
        self.find_closing(first_app - 1 if first_app else len(pages))
        if apps:
            cl = self.cl
            segs = [s for s in [cl["label"], cl["name"]] + cl["items"] + cl["sig"] if s is not None]
            main_last = max((s.page.num for s in segs),
                            default=first_app - 1 if first_app else len(pages))
        else:
            main_last = len(pages)
        self.main_pages = pages[:main_last]
        self.app_pages = {}
        order = sorted((st, idx) for idx, st in starts.items() if st > main_last)
        for k, (st, idx) in enumerate(order):
            end = order[k + 1][0] - 1 if k + 1 < len(order) else len(pages)
            self.app_pages[idx] = pages[st - 1:end]
        assigned = {p.num for ps in self.app_pages.values() for p in ps}
        self.stray_pages = [p for p in pages[main_last:] if p.num not in assigned]
        self.found["app_pages"] = {k: [p.num for p in v] for k, v in self.app_pages.items()}

    # tables: ruled regions ------------------------------------------------
    def ruled_pieces(self, pages):
        """Runs of horizontal rules sharing one extent (a table, or its part on
        one page): dicts page, x0, x1, bands [(y0, y1)].  When vertical rules
        stand at the left end of the rules, only bands they cover count."""
        pieces = []
        for p in pages:
            groups = []
            for ru in sorted(p.rules, key=lambda r: (r.x0, r.x1, r.y)):
                if ru.dashed:
                    continue
                g = next((g for g in groups if abs(g[0].x0 - ru.x0) < 1 and abs(g[0].x1 - ru.x1) < 1), None)
                if g is None:
                    groups.append([ru])
                elif all(abs(r.y - ru.y) > 0.5 for r in g):
                    g.append(ru)
            for g in groups:
                if len(g) < 2:
                    continue
                g.sort(key=lambda r: r.y)
                x0, x1 = g[0].x0, g[0].x1
                has_v = any(abs(v.x - x0) < 1 for v in p.vrules)
                cur = None
                for a, b in zip(g, g[1:]):
                    mid = (a.y + b.y) / 2
                    if not has_v or any(abs(v.x - x0) < 1 and v.y0 - 0.5 <= mid <= v.y1 + 0.5
                                        for v in p.vrules):
                        if cur is not None and cur["bands"][-1][1] == a.y:
                            cur["bands"].append((a.y, b.y))
                        else:
                            cur = {"page": p, "x0": x0, "x1": x1, "bands": [(a.y, b.y)]}
                            pieces.append(cur)
                    else:
                        cur = None
        pieces.sort(key=lambda pc: (pc["page"].num, pc["bands"][0][0]))
        return pieces

    def locate_tables(self):
        """Assign ruled pieces to the source tables, in order: a table takes
        pieces until its rows are used up (each piece repeats the header)."""
        src = self.src
        self.table_pieces = {id(t): [] for t in src.tables}
        self.stray_pieces = []
        self.table_zones = []
        scopes = [("body", self.main_pages)] + [(ap.roman, self.app_pages.get(ap.index, []))
                                                 for ap in src.appendices]
        for owner, pages in scopes:
            queue = self.ruled_pieces(pages)
            for pc in queue:
                self.table_zones.append((pc["page"].num, pc["bands"][0][0], pc["bands"][-1][1]))
            for t in [t for t in src.tables if t.owner == owner]:
                need = len(t.rows)
                got = self.table_pieces[id(t)]
                while queue and (need > 0 or not got):
                    pc = queue.pop(0)
                    got.append(pc)
                    need -= len(pc["bands"]) - len(t.headers)
            self.stray_pieces += queue
        self.found["table_pieces"] = [(t, self.table_pieces[id(t)]) for t in src.tables]

    def in_table(self, row):
        return any(row.page.num == pn and y0 < row.base < y1 for pn, y0, y1 in self.table_zones)

    # 1. page size ------------------------------------------------------
    def check_pages(self):
        bad = [f"p{p.num} {p.width:.2f}x{p.height:.2f}" for p in self.main_pages
               if abs(p.width - A4_W) > 0.5 or abs(p.height - A4_H) > 0.5]
        exp = f"{A4_W:.2f}x{A4_H:.2f} portrait on every main page"
        for ap in self.src.appendices:
            w, h = (A4_H, A4_W) if ap.landscape else (A4_W, A4_H)
            bad += [f"Phụ lục {ap.roman} p{p.num} {p.width:.2f}x{p.height:.2f}"
                    for p in self.app_pages.get(ap.index, [])
                    if abs(p.width - w) > 0.5 or abs(p.height - h) > 0.5]
            exp += f"; Phụ lục {ap.roman} {w:.2f}x{h:.2f} ({'landscape' if ap.landscape else 'portrait'})"
        bad += [f"p{p.num} {p.width:.2f}x{p.height:.2f}" for p in self.stray_pages
                if sorted((round(p.width, 1), round(p.height, 1))) != [round(A4_W, 1), round(A4_H, 1)]]
        self.report("page.a4", bad, exp)

    # 2. margins ----------------------------------------------------------
    def check_margins(self):
        bad = []
        for p in self.m.pages:
            for row in self.page_rows[p.num]:
                if self.is_pagenum(row):
                    continue
                for ch in row.inks:
                    if (ch.x0 < p.left - TOL_MARGIN or ch.x1 > p.right + TOL_MARGIN or
                            ch.y0 < p.top - TOL_MARGIN or ch.y1 > p.bottom + TOL_MARGIN):
                        bad.append(f"p{p.num} '{ch.c}' box ({ch.x0:.2f},{ch.y0:.2f})-"
                                   f"({ch.x1:.2f},{ch.y1:.2f})")
                        break           # one offender per row is enough
        self.report("margins", bad, f"glyphs inside x {MARGIN_LEFT:.2f}..width-{MARGIN_RIGHT:.2f}, "
                    f"y {MARGIN_TOP:.2f}..height-{MARGIN_BOTTOM:.2f} (±{TOL_MARGIN}) of each page "
                    f"as it is (portrait x ..{A4_W - MARGIN_RIGHT:.2f}, landscape x ..{A4_H - MARGIN_RIGHT:.2f})")

    # 3. page numbers -----------------------------------------------------
    def check_page_numbers(self):
        first = self.m.pages[0]
        nums = [r for r in self.page_rows[first.num] if self.is_pagenum(r)]
        self.report("pagenum.page1", [f"'{r.text}' at {r.where()}" for r in nums],
                    "no page number on page 1")
        for p in self.main_pages[1:]:
            self.check_page_number(f"pagenum.p{p.num}", p, p.num)
        # each Phụ lục is numbered on its own: none on its first page, then 2, 3, …
        for ap in self.src.appendices:
            for k, p in enumerate(self.app_pages.get(ap.index, []), 1):
                name = f"pagenum.phu-luc-{ap.roman}.p{k}"
                if k == 1:
                    nums = [r for r in self.page_rows[p.num] if self.is_pagenum(r)]
                    self.report(name, [f"'{r.text}' at {r.where()}" for r in nums],
                                f"no page number on the first page of Phụ lục {ap.roman} (p{p.num})")
                else:
                    self.check_page_number(name, p, k)

    def check_page_number(self, name, p, want):
        """Page p must show exactly str(want) in its top margin."""
        margin_rows = [r for r in self.page_rows[p.num]
                       if max(ch.y1 for ch in r.inks) <= p.top + TOL_MARGIN or r.top >= p.bottom - TOL_MARGIN]
        exp = (f"exactly '{want}' on p{p.num}, 14 pt regular, centre {p.width / 2:.2f} (page) or "
               f"{(p.left + p.right) / 2:.2f} (text area) ±{TOL_CENTRE}, inside top margin y<={p.top:.2f}")
        if len(margin_rows) != 1:
            self.report(name, [f"{len(margin_rows)} margin rows {[r.text for r in margin_rows]}"], exp)
            return
        r = margin_rows[0]
        bad = []
        if r.text != str(want):
            bad.append(f"text '{r.text}'")
        if any(abs(ch.size - 14) > TOL_SIZE for ch in r.inks):
            bad.append(f"size {r.sizes}")
        if r.any_bold or r.any_italic:
            bad.append(f"font {r.inks[0].font}")
        if min(abs(r.centre - p.width / 2), abs(r.centre - (p.left + p.right) / 2)) > TOL_CENTRE:
            bad.append(f"centre {r.centre:.2f}")
        if r.top < 0 or max(ch.y1 for ch in r.inks) > p.top:
            bad.append(f"box y {r.top:.2f}..{max(ch.y1 for ch in r.inks):.2f}")
        self.report(name, bad, exp)

    # 4. header -----------------------------------------------------------
    def find_seg(self, page, text, rows=None, last=False):
        """The column segment whose text is `text` (normalised), or None."""
        text = norm(text)
        hits = []
        for row in rows if rows is not None else self.page_rows[page.num]:
            for seg in self.segments(row):
                if seg.text == text:
                    hits.append(seg)
        if not hits:
            return None
        return hits[-1] if last else hits[0]

    def check_header(self):
        src, p1 = self.src, self.m.pages[0]
        rows = self.page_rows[p1.num]
        self.type_row = next((r for r in rows if r.text == src.type_name), None)
        hdr = [r for r in rows if self.type_row is None or r.base < self.type_row.base - TOL_BASE]
        hdr = [r for r in hdr if not self.is_pagenum(r)]
        hdr_rules = [ru for ru in p1.rules
                     if self.type_row is None or ru.y < self.type_row.top]
        F = self.found

        # left column: parent agency + agency lines + rule + Số.  The source
        # lines may be wrapped by the renderer when a line is wider than the
        # column (ND30: the name "may take several lines"), so the agency is
        # read as the left-column segments above the Số line, in order, whose
        # joined text must be the parent agency then the agency lines.
        so = self.find_seg(p1, src.so, hdr)
        right_x = min((s.x0 for t in (QUOC_HIEU, TIEU_NGU)
                       for s in [self.find_seg(p1, t, hdr)] if s is not None), default=p1.width / 2)
        left_segs = [s for r in hdr for s in self.segments(r) if s.x1 < right_x]
        so_line = so or next((s for s in left_segs if s.text.startswith("Số")), None)
        left_segs = [s for s in left_segs if so_line is None or s.base < so_line.base - TOL_BASE]
        parent, found_ag, bad = [], [], []
        want_parent = src.parent or ""
        for s in left_segs:          # parent agency first, until its text is complete
            if len(norm(" ".join(x.text for x in parent))) < len(want_parent):
                parent.append(s)
            else:
                found_ag.append(s)
        got_parent = norm(" ".join(s.text for s in parent))
        got_agency = norm(" ".join(s.text for s in found_ag))
        if want_parent and got_parent != want_parent:
            bad.append(f"parent agency '{got_parent}'")
        if got_agency != norm(" ".join(src.agency)):
            bad.append(f"agency '{got_agency}'")
        F["agency"] = found_ag
        centre = None
        if found_ag:
            centre = statistics.mean(s.centre for s in found_ag)
            ag_size = found_ag[0].size
            for s in found_ag:
                # the decree's 12-13 pt: 13, or 12 for lines too wide at 13 (one size for all)
                if any(abs(ch.size - ag_size) > TOL_SIZE for ch in s.inks) or \
                        min(abs(ag_size - 13), abs(ag_size - 12)) > TOL_SIZE:
                    bad.append(f"'{s.text}' size {s.sizes}")
                if not s.all_bold:
                    bad.append(f"'{s.text}' not bold")
                if s.text != s.text.upper():
                    bad.append(f"'{s.text}' not upper case")
                if abs(s.centre - centre) > TOL_CENTRE:
                    bad.append(f"'{s.text}' centre {s.centre:.2f} vs common {centre:.2f}")
            for s in parent:
                if any(min(abs(ch.size - 13), abs(ch.size - 12)) > TOL_SIZE for ch in s.inks):
                    bad.append(f"parent size {s.sizes}")
                if s.any_bold:
                    bad.append("parent agency bold")
                if abs(s.centre - centre) > TOL_CENTRE:
                    bad.append(f"parent centre {s.centre:.2f} vs {centre:.2f}")
        self.report("header.agency", bad, f"parent '{want_parent}' 13 pt not bold, agency "
                    f"'{' / '.join(src.agency)}' 13 (or 12) pt bold upper case, all lines on one centre ±1")

        F["so"] = so
        rule = None
        if found_ag:
            widest = max(s.width for s in found_ag)
            below = found_ag[-1].base
            cands = [ru for ru in hdr_rules if ru.y > below and
                     (so is None or ru.y < so.top) and
                     ru.x1 > min(s.x0 for s in found_ag) and ru.x0 < max(s.x1 for s in found_ag)]
            rule = min(cands, key=lambda ru: ru.y) if cands else None
            F["agency_rule"] = rule
            F["agency_rule_idx"] = p1.rules.index(rule) if rule else None
            bad = []
            if rule is None:
                bad.append("no horizontal rule under the agency")
            else:
                if rule.dashed:
                    bad.append("rule is dashed")
                if abs(rule.centre - centre) > TOL_CENTRE:
                    bad.append(f"rule centre {rule.centre:.2f} vs agency {centre:.2f}")
                if not widest / 3 - 0.5 <= rule.length <= widest / 2 + 0.5:
                    bad.append(f"rule length {rule.length:.2f}")
            self.report("header.agency-rule", bad,
                        f"solid rule centred ±1, length {widest / 3:.2f}..{widest / 2:.2f} "
                        f"(1/3..1/2 of {widest:.2f})")
        else:
            self.report("header.agency-rule", ["agency not found"], "rule under the agency")

        bad = []
        if so is None:
            near = [r.text for r in hdr if r.text.startswith("Số")]
            bad.append(f"'{src.so}' not found (Số rows: {near})")
        else:
            if any(abs(ch.size - 13) > TOL_SIZE for ch in so.inks):
                bad.append(f"size {so.sizes}")
            if so.any_bold or so.any_italic:
                bad.append("not regular")
            if centre is not None and abs(so.centre - centre) > TOL_CENTRE:
                bad.append(f"centre {so.centre:.2f} vs agency {centre:.2f}")
        self.report("header.so", bad, f"'{src.so}' 13 pt regular centred under the agency ±1")

        # right column: Quốc hiệu, Tiêu ngữ, rule, date
        qh = self.find_seg(p1, QUOC_HIEU, hdr)
        F["qh"] = qh
        bad = []
        if qh is None:
            bad.append("'%s' not found on one line" % QUOC_HIEU)
        else:
            if any(abs(ch.size - 13) > TOL_SIZE for ch in qh.inks):
                bad.append(f"size {qh.sizes}")
            if not qh.all_bold:
                bad.append("not bold")
        self.report("header.quoc-hieu", bad, "13 pt bold, one line")

        tn = self.find_seg(p1, TIEU_NGU, hdr)
        F["tn"] = tn
        bad = []
        if tn is None:
            dashed = self.find_seg(p1, TIEU_NGU.replace("-", "\u2013"), hdr)
            bad.append("Tiêu ngữ uses an en dash" if dashed else f"'{TIEU_NGU}' not found")
        else:
            if any(abs(ch.size - 14) > TOL_SIZE for ch in tn.inks):
                bad.append(f"size {tn.sizes}")
            if not tn.all_bold:
                bad.append("not bold")
            if qh is not None:
                if abs(tn.centre - qh.centre) > TOL_CENTRE:
                    bad.append(f"centre {tn.centre:.2f} vs Quốc hiệu {qh.centre:.2f}")
                if tn.base <= qh.base:
                    bad.append("not below the Quốc hiệu")
        self.report("header.tieu-ngu", bad, "14 pt bold, hyphen-minus, centred under Quốc hiệu ±1")

        date = (self.find_seg(p1, src.date, hdr) if src.date else
                next((s for r in hdr for s in self.segments(r) if s.text.startswith(src.date_prefix)), None))
        F["date"] = date
        tn_rule = None
        if tn is not None:
            cands = [ru for ru in hdr_rules if ru.y > tn.base and
                     (date is None or ru.y < date.top) and ru.x1 > tn.x0 and ru.x0 < tn.x1]
            tn_rule = min(cands, key=lambda ru: ru.y) if cands else None
        F["tn_rule"] = tn_rule
        F["tn_rule_idx"] = p1.rules.index(tn_rule) if tn_rule else None
        bad = []
        if tn is None:
            bad.append("Tiêu ngữ not found")
        elif tn_rule is None:
            bad.append("no rule under the Tiêu ngữ")
        else:
            if tn_rule.dashed:
                bad.append("rule is dashed")
            if abs(tn_rule.length - tn.width) > TOL_CENTRE:
                bad.append(f"length {tn_rule.length:.2f} vs line {tn.width:.2f}")
            if abs(tn_rule.centre - tn.centre) > TOL_CENTRE:
                bad.append(f"centre {tn_rule.centre:.2f} vs line {tn.centre:.2f}")
        self.report("header.tieu-ngu-rule", bad, "solid rule as long as the Tiêu ngữ ±1, centred ±1")

        bad = []
        if date is None:
            bad.append(f"'{src.date or src.date_prefix + ' …'}' not found "
                       f"(rows: {[r.text for r in hdr if src.date_prefix.split(',')[0] in r.text]})")
        else:
            if any(abs(ch.size - 14) > TOL_SIZE for ch in date.inks):
                bad.append(f"size {date.sizes}")
            if not date.all_italic or date.any_bold:
                bad.append("not italic (regular weight)")
            ref = qh or tn
            if ref is not None and abs(date.centre - ref.centre) > TOL_CENTRE:
                bad.append(f"centre {date.centre:.2f} vs Quốc hiệu {ref.centre:.2f}")
        self.report("header.date", bad, f"'{src.date}' 14 pt italic centred under the Quốc hiệu ±1")

        if so is None or date is None:
            self.report("header.date-baseline", ["Số or date line not found"], "both present")
        else:
            d = date.base - so.base
            self.report("header.date-baseline", [f"Δ {d:+.2f} pt"] if abs(d) > TOL_BASE else [],
                        f"date baseline = Số baseline ±{TOL_BASE}")

        left = [s for s in found_ag + parent + [so] if s is not None]
        right = [s for s in (qh, tn, date) if s is not None]
        lx = max([s.x1 for s in left] + ([rule.x1] if rule else []), default=None)
        rx = min([s.x0 for s in right] + ([tn_rule.x0] if tn_rule else []), default=None)
        if lx is None or rx is None:
            self.report("header.columns", ["columns not found"], "left column left of right column")
        else:
            self.report("header.columns", [f"left ends {lx:.2f}, right starts {rx:.2f}"] if lx >= rx else [],
                        "left column entirely left of the right column")

    # 5. type name, trích yếu -------------------------------------------
    def check_title(self):
        p1, src = self.m.pages[0], self.src
        ta_centre = (p1.left + p1.right) / 2
        tr = self.type_row
        bad = []
        if tr is None:
            bad.append(f"'{src.type_name}' line not found")
        else:
            if any(abs(ch.size - 14) > TOL_SIZE for ch in tr.inks):
                bad.append(f"size {tr.sizes}")
            if not tr.all_bold:
                bad.append("not bold")
            if tr.text != tr.text.upper():
                bad.append("not upper case")
            if abs(tr.centre - ta_centre) > TOL_CENTRE:
                bad.append(f"centre {tr.centre:.2f}")
        self.report("title.type", bad, f"14 pt bold upper, centred on {ta_centre:.2f} ±1")

        self.ty_rule, ty_rows = None, []
        if tr is not None:
            cands = [ru for ru in p1.rules if ru.y > tr.base]
            self.ty_rule = min(cands, key=lambda ru: ru.y) if cands else None
            limit = self.ty_rule.y if self.ty_rule else None
            if limit is not None:
                ty_rows = [r for r in self.page_rows[p1.num] if tr.base + TOL_BASE < r.base < limit]
        self.found["ty_rows"] = ty_rows
        bad = []
        text = norm(" ".join(r.text for r in ty_rows))
        if not ty_rows:
            bad.append("no trích yếu lines between the type and a rule")
        elif text != src.trich_yeu:
            bad.append(f"text '{short(text, 60)}'")
        for r in ty_rows:
            if any(abs(ch.size - 14) > TOL_SIZE for ch in r.inks):
                bad.append(f"{r.where()} size {r.sizes}")
            if not r.all_bold:
                bad.append(f"{r.where()} not bold")
            if abs(r.centre - ta_centre) > TOL_CENTRE:
                bad.append(f"{r.where()} centre {r.centre:.2f}")
        self.report("title.trich-yeu", bad, f"source text, 14 pt bold, lines centred on {ta_centre:.2f} ±1")

        bad = []
        ru = self.ty_rule
        if ru is None or not ty_rows:
            bad.append("no rule under the trích yếu")
            exp = "rule under the trích yếu"
        else:
            longest = max(r.width for r in ty_rows)
            if ru.dashed:
                bad.append("dashed")
            if abs(ru.centre - ta_centre) > TOL_CENTRE:
                bad.append(f"centre {ru.centre:.2f}")
            if not longest / 3 - 0.5 <= ru.length <= longest / 2 + 0.5:
                bad.append(f"length {ru.length:.2f}")
            exp = (f"centred on {ta_centre:.2f} ±1, length {longest / 3:.2f}..{longest / 2:.2f} "
                   f"(1/3..1/2 of {longest:.2f})")
        self.report("title.rule", bad, exp)

    # 7a. locate the closing block (needed to know where the body ends) ----
    def find_closing(self, last_page):
        """Locate the closing block on pages 1..last_page (before any Phụ lục)."""
        src = self.src
        allrows = [r for p in self.m.pages[:last_page] for r in self.page_rows[p.num]
                   if not self.is_pagenum(r)]
        self.cl = {"label": self.find_seg(None, "Nơi nhận:", allrows, last=True),
                   "items": [self.find_seg(None, t, allrows, last=True) for t in src.items],
                   "sig": [self.find_seg(None, t, allrows, last=True) for t in src.sig_lines],
                   "name": self.find_seg(None, src.sig_name, allrows, last=True)}
        self.found["closing"] = self.cl
        firsts = [s for s in [self.cl["label"]] + self.cl["sig"][:1] if s is not None]
        self.closing_start = min(((s.page.num, s.base) for s in firsts), default=None)

    # 6. body ---------------------------------------------------------------
    def body_rows(self):
        """Rows after the trích yếu rule and before the closing block (tables
        set aside: their cells are checked by the table.* checks)."""
        start = (1, self.ty_rule.y) if self.ty_rule else (1, self.type_row.base if self.type_row else 0)
        rows = []
        for p in self.main_pages:
            for r in self.page_rows[p.num]:
                key = (p.num, r.base)
                if self.is_pagenum(r) or key <= start or self.in_table(r):
                    continue
                if self.closing_start and key >= (self.closing_start[0], self.closing_start[1] - TOL_BASE):
                    continue
                rows.append(r)
        return rows

    def segment_body(self, rows):
        """Assign body rows to source units.

        How paragraphs are segmented: the body rows are read in order as one
        stream of words, each word remembering its row.  Each source unit
        (can cu, p, dash, plus, a heading title, ...) is located by searching
        forward for its first words (up to 6); it then spans as many words as
        it has, and so the rows from the row of its first word to the row of
        its last word.  Label words the renderer adds ("I.", "1.", "a)", "-")
        sit before the first word on the same row.  A unit whose first word is
        preceded on its row by non-label words starts mid-line (two paragraphs
        sharing a line) and is reported.  Rows that no unit covers are
        reported too.
        """
        problems, covered = [], set()
        # "Kính gửi:" (ô 9a) is not a paragraph: its line and the "- …"
        # recipient lines after it are set aside; the recipients must be there.
        self.kinh_gui_rows = []
        if self.src.kinh_gui:
            at = next((i for i, r in enumerate(rows) if r.text.startswith("Kính gửi:")), None)
            if at is None:
                problems.append("'Kính gửi:' line not found")
            else:
                end = at + 1
                while end < len(rows) and rows[end].text.startswith("- "):
                    end += 1
                self.kinh_gui_rows = rows[at:end]
                covered.update(range(at, end))
                text = " ".join(r.text for r in self.kinh_gui_rows)
                for to in self.src.kinh_gui:
                    if to not in text:
                        problems.append(f"Kính gửi recipient '{short(to)}' missing")
                if len(self.src.kinh_gui) == 1 and end == at + 1:
                    # one recipient: "Kính gửi: X." on one line, centred
                    kg = rows[at]
                    want = f"Kính gửi: {self.src.kinh_gui[0]}."
                    ta = (kg.page.left + kg.page.right) / 2
                    if kg.text != want:
                        problems.append(f"Kính gửi line '{short(kg.text, 60)}' (want '{short(want, 60)}')")
                    if abs(kg.centre - ta) > TOL_CENTRE:
                        problems.append(f"Kính gửi line centre {kg.centre:.2f} (text area {ta:.2f})")
        toks = [(w, i) for i, r in enumerate(rows) if i not in covered for w in r.text.split()]
        words = [w for w, _ in toks]
        pos = 0
        units = []
        upper_words = [w.upper() for w in words]
        for u in map(copy.copy, self.src.units):    # per-run copies
            u.lines, u.start_mid_line = [], False
            if not u.tokens:
                continue
            # mục and phần titles are upper-cased by the renderer: compare
            # them case-insensitively (body.headings checks the case)
            ws, toks_u = ((upper_words, [t.upper() for t in u.tokens]) if u.kind in ("muc", "phan")
                          else (words, u.tokens))
            k = min(6, len(toks_u))
            head = toks_u[:k]
            at = next((i for i in range(pos, len(ws) - k + 1) if ws[i:i + k] == head), None)
            if at is None:
                problems.append(f"{u.kind} '{short(' '.join(u.tokens))}' not found")
                continue
            end = at + len(toks_u) - 1
            if end >= len(ws) or ws[end] != toks_u[-1]:
                tail = toks_u[-min(4, len(toks_u)):]
                e2 = next((i + len(tail) - 1 for i in range(at, len(ws) - len(tail) + 1)
                           if ws[i:i + len(tail)] == tail), None)
                if e2 is None:
                    problems.append(f"{u.kind} '{short(' '.join(u.tokens))}' end not found")
                    end = min(end, len(words) - 1)
                else:
                    end = e2
            r0, r1 = toks[at][1], toks[end][1]
            before = [w for w, i in toks[:at] if i == r0]
            if any(not LABEL_RE.match(w) for w in before):
                u.start_mid_line = True
                problems.append(f"{u.kind} '{short(' '.join(u.tokens))}' starts mid-line after {before}")
            u.lines = rows[r0:r1 + 1]
            covered.update(range(r0, r1 + 1))
            units.append(u)
            pos = end + 1
        # a line made only of label words ("Phần I") is a part label
        self.label_rows = [rows[i] for i in range(len(rows)) if i not in covered and
                           all(LABEL_RE.match(w) or re.match(r"^([IVXLCDM]+|\d+)$", w)
                               for w in rows[i].text.split())]
        for i in range(len(rows)):
            if i not in covered and rows[i] not in self.label_rows:
                problems.append(f"unexpected line {rows[i].where()}")
        return units, problems

    def check_body(self):
        rows = self.body_rows()
        self.found["body_rows"] = rows
        units, problems = self.segment_body(rows)
        self.found["units"] = units
        self.found["kinh_gui_rows"] = self.kinh_gui_rows
        self.report("body.segmentation", problems, "every source paragraph found in order, no extra lines")

        bad = [f"{r.where()} sizes {r.sizes}" for r in rows
               if any(abs(ch.size - 14) > TOL_SIZE for ch in r.inks)]
        self.report("body.size", bad, "14 pt")

        just, last, letter, indent, flush, pitch, heads = [], [], [], [], [], [], []
        pitches = []
        for u in units:
            for a, b in zip(u.lines, u.lines[1:]):
                if a.page is b.page:
                    pitches.append(b.base - a.base)
        body_pitch = statistics.median(pitches) if pitches else 14.0
        self.found["body_pitch"] = body_pitch

        prev = None
        for u in units:
            lines = u.lines
            if not lines:
                continue
            for ln in lines:
                for w in ln.words():
                    for a, b in zip(w, w[1:]):
                        gap = b.x0 - a.x1
                        if abs(gap) > TOL_LETTER:
                            letter.append(f"{ln.where()} '{a.c}{b.c}' gap {gap:+.2f}")
                            break
            if u.kind == "phan":             # centred part title, no indent rules
                heads.extend(self.heading_problems(u))
                prev = u
                continue
            left, right = lines[0].page.left, lines[0].page.right
            ind = lines[0].x0 - left
            if min(abs(ind - i) for i in INDENTS) > TOL_MARGIN:
                indent.append(f"{lines[0].where()} indent {ind:.2f}")
            for ln in lines[1:]:
                if abs(ln.x0 - ln.page.left) > TOL_MARGIN:
                    flush.append(f"{ln.where()} starts {ln.x0:.2f}")
            for ln in lines[:-1]:
                if abs(ln.x1 - ln.page.right) > TOL_RIGHT:
                    just.append(f"{ln.where()} ends {ln.x1:.2f}")
            ll = lines[-1]
            if ll.x1 > ll.page.right + TOL_RIGHT:
                last.append(f"{ll.where()} ends {ll.x1:.2f}")
            ws = ll.words()
            for wa, wb in zip(ws, ws[1:]):
                gap = wb[0].x0 - wa[-1].x1
                space = 0.25 * wa[-1].size
                sp = [ch for ch in ll.chars if not ch.ink and wa[-1].x1 - 0.01 <= ch.x0 <= wb[0].x0]
                if sp:
                    space = sum(ch.x1 - ch.x0 for ch in sp)
                if gap > space * 1.05 + TOL_LETTER:
                    last.append(f"{ll.where()} word gap {gap:.2f} > space {space:.2f}")
                    break
            for a, b in zip(lines, lines[1:]):
                if a.page is b.page:
                    ratio = (b.base - a.base) / a.size
                    if not 1.0 - 0.01 <= ratio <= 1.5 + 0.01:
                        pitch.append(f"{b.where()} pitch {b.base - a.base:.2f} = {ratio:.3f}×")
            if prev is not None and prev.lines and prev.lines[-1].page is lines[0].page:
                own = [b.base - a.base for a, b in zip(lines, lines[1:]) if a.page is b.page]
                lp = statistics.median(own) if own else body_pitch
                gap = lines[0].base - prev.lines[-1].base
                if gap < lp + 6 - 0.5:
                    self.para_gaps.append(f"{lines[0].where()} gap {gap:.2f} < {lp:.2f}+6")
            prev = u
            heads.extend(self.heading_problems(u))
        self.report("body.justify", just, f"non-last lines end at the right margin {self.m.pages[0].right:.2f} "
                    f"±{TOL_RIGHT}")
        self.report("body.last-line", last, "last lines end inside the right margin with natural word spaces")
        self.report("body.letter-spacing", letter, f"glyphs inside a word touch (gap ±{TOL_LETTER})")
        self.report("body.indent", indent, f"first-line indent {INDENTS[0]:.2f} or {INDENTS[1]:.2f} ±{TOL_MARGIN}")
        self.report("body.flush", flush, f"continuation lines at {MARGIN_LEFT:.2f} ±{TOL_MARGIN}")
        self.report("body.line-spacing", pitch, "baseline pitch / size 1.0..1.5")
        self.report("body.para-spacing", self.para_gaps, "baseline gap between paragraphs ≥ line pitch + 6 pt − 0.5")
        for ln in self.label_rows:           # "Phần I": bold, centred
            ta = (ln.page.left + ln.page.right) / 2
            if ln.text.startswith("Phần") and (not ln.all_bold or abs(ln.centre - ta) > TOL_CENTRE):
                heads.append(f"phần label {ln.where()} bold={ln.all_bold} centre {ln.centre:.2f}")
        # a line starting with a Roman numeral + "." must be a bold upper-case mục
        for u in units:
            if u.lines and u.kind != "muc" and ROMAN_RE.match(u.lines[0].text.split()[0]):
                ln = u.lines[0]
                if not ln.all_bold or ln.text != ln.text.upper():
                    heads.append(f"{ln.where()} Roman heading not bold upper")
        self.report("body.headings", heads, "mục bold upper, khoản titles bold, điểm titles not bold, "
                    "căn cứ italic")

    @staticmethod
    def heading_problems(u):
        bad = []
        for ln in u.lines:
            if u.kind == "muc":
                if not ln.all_bold or ln.text != ln.text.upper():
                    bad.append(f"mục {ln.where()} bold={ln.all_bold} upper={ln.text == ln.text.upper()}")
                if ln is u.lines[0] and not ROMAN_RE.match(ln.text.split()[0]):
                    bad.append(f"mục {ln.where()} does not start with a Roman numeral")
            elif u.kind == "khoan" and not ln.all_bold:
                bad.append(f"khoản title {ln.where()} not bold")
            elif u.kind == "diem" and ln.any_bold and not u.has_bold_span:
                bad.append(f"điểm title {ln.where()} bold")
            elif u.kind == "cancu" and not ln.all_italic:
                bad.append(f"căn cứ {ln.where()} not italic")
            elif u.kind == "phan":
                ta = (ln.page.left + ln.page.right) / 2
                if not ln.all_bold or ln.text != ln.text.upper() or abs(ln.centre - ta) > TOL_CENTRE:
                    bad.append(f"phần title {ln.where()} bold={ln.all_bold} "
                               f"upper={ln.text == ln.text.upper()} centre {ln.centre:.2f}")
        return bad

    # tables -----------------------------------------------------------------
    @staticmethod
    def column_edges(t, pc):
        """x edges of the source columns across the piece's rule extent."""
        total = sum(t.widths) or 1.0
        edges, acc = [pc["x0"]], 0.0
        for w in t.widths:
            acc += w
            edges.append(pc["x0"] + (pc["x1"] - pc["x0"]) * acc / total)
        return edges

    def band_cells(self, t, pc, band, cells):
        """Texts read in the band for the given source cells (with spans);
        returns [(got, want)]."""
        page, (y0, y1) = pc["page"], band
        inband = [ch for ch in page.chars if y0 < (ch.y0 + ch.y1) / 2 < y1]
        edges = self.column_edges(t, pc)
        out, col = [], 0
        for text, span in cells:
            if col >= len(t.widths):
                out.append(("", text))
                continue
            cx0, cx1 = edges[col], edges[min(col + span, len(t.widths))]
            col += span
            chars = [ch for ch in inband if cx0 <= (ch.x0 + ch.x1) / 2 < cx1]
            lines = []
            for ch in sorted(chars, key=lambda c: (c.base, c.x0)):
                if lines and abs(ch.base - lines[-1][0].base) <= 0.6:
                    lines[-1].append(ch)
                else:
                    lines.append([ch])
            got = norm(" ".join(text_of(sorted(l, key=lambda c: c.x0)) for l in lines
                                if any(c.ink for c in l)))
            out.append((got, norm(text)))
        return out

    def check_tables(self):
        """table.cells, table.header-repeat, table.font, table.rules: only
        when the source has tables."""
        src = self.src
        if not src.tables:
            return
        cells_bad, head_bad, font_bad, rule_bad = [], [], [], []
        for n, t in enumerate(src.tables, 1):
            tname = f"table {n} ({'body' if t.owner == 'body' else 'Phụ lục ' + t.owner})"
            pieces = self.table_pieces[id(t)]
            if not pieces:
                rule_bad.append(f"{tname}: no ruled table found")
                cells_bad.append(f"{tname}: not found")
                continue
            nh = len(t.headers)
            data = []                       # (piece, band) for data rows, in order
            for pc in pieces:
                where = f"{tname} p{pc['page'].num}"
                if len(pc["bands"]) < nh + (1 if t.rows else 0):
                    head_bad.append(f"{where}: {len(pc['bands'])} ruled rows, header needs {nh}")
                for h, band in zip(t.headers, pc["bands"][:nh]):
                    for got, want in self.band_cells(t, pc, band, h):
                        if got != want:
                            head_bad.append(f"{where} header '{short(got, 30)}' (want '{short(want, 30)}')")
                            break
                data += [(pc, band) for band in pc["bands"][nh:]]
                # rules: top and bottom rule span the table; no cell text outside them
                y0, y1 = pc["bands"][0][0], pc["bands"][-1][1]
                chars = [ch for ch in pc["page"].chars if ch.ink and y0 < (ch.y0 + ch.y1) / 2 < y1]
                out = [ch for ch in chars if ch.x0 < pc["x0"] - TOL_MARGIN or ch.x1 > pc["x1"] + TOL_MARGIN]
                if out:
                    rule_bad.append(f"{where}: '{out[0].c}' at x {out[0].x0:.2f} outside the rules "
                                    f"{pc['x0']:.2f}..{pc['x1']:.2f}")
                sizes = sorted({round(ch.size, 2) for ch in chars})
                if any(not 11 - TOL_SIZE <= sz <= 14 + TOL_SIZE for sz in sizes) or \
                        (t.size and any(abs(sz - t.size) > TOL_SIZE for sz in sizes)):
                    font_bad.append(f"{where}: sizes {sizes}")
            if len(data) < len(t.rows):
                rule_bad.append(f"{tname}: only {len(data)} of {len(t.rows)} rows between rules")
            for i, want_row in enumerate(t.rows):
                if i >= len(data):
                    cells_bad.append(f"{tname} row {i + 1} '{short(want_row[0][0], 20)}…' missing")
                    continue
                pc, band = data[i]
                for c, (got, want) in enumerate(self.band_cells(t, pc, band, want_row), 1):
                    if got != want:
                        cells_bad.append(f"{tname} p{pc['page'].num} row {i + 1} cell {c}: "
                                         f"'{short(got, 30)}' (want '{short(want, 30)}')")
                is_total = i == len(t.rows) - 1 and t.has_total
                if is_total:
                    y0, y1 = band
                    tch = [ch for ch in pc["page"].chars if ch.ink and y0 < (ch.y0 + ch.y1) / 2 < y1]
                    if tch and not all(ch.bold for ch in tch):
                        font_bad.append(f"{tname} total row not bold")
            for pc, band in data[len(t.rows):]:
                cells_bad.append(f"{tname} p{pc['page'].num} extra ruled row y {band[0]:.2f}..{band[1]:.2f}")
        for pc in self.stray_pieces:
            cells_bad.append(f"ruled rows p{pc['page'].num} y {pc['bands'][0][0]:.2f} match no source table")
        self.report("table.cells", cells_bad, "every source cell's text (whitespace-normalised) in its "
                    "column, row by row, in order")
        self.report("table.header-repeat", head_bad, "the header row(s) at the top of the table on every "
                    "page it spans")
        self.report("table.font", font_bad, "cell text 11..14 pt (the table's size when given), "
                    "totals row bold")
        self.report("table.rules", rule_bad, "horizontal rules across the table width above, between "
                    "and below its rows on every page; cell text inside them")

    # appendices ---------------------------------------------------------------
    def check_appendices(self):
        """appendix.<N>.heading (and appendix.<N>.text when it has blocks
        other than tables): only when the source has appendices."""
        src = self.src
        tn = src.type_name
        sentence = tn[:1] + tn[1:].lower()
        # the date of the reference is the document's: the source <date>, or
        # when there is none, what the header's date line shows (a blank
        # "ngày … tháng … năm" there, or a date the renderer was given)
        date = src.date_words
        if date is None:
            hd = self.found.get("date")
            shown = hd.text[len(src.date_prefix) - len("ngày"):] if hd is not None else ""
            date = shown if re.fullmatch(r"ngày \d{2} tháng \d{1,2} năm \d{4}", shown) else "ngày tháng năm"
        ref = f"(Kèm theo {sentence} số {src.code} {date})"
        for ap in src.appendices:
            name = f"appendix.{ap.roman}.heading"
            label = f"Phụ lục {ap.roman}"
            exp = (f"'{label}' 14 pt bold, then '{short(ap.title.upper(), 30)}' 14 pt bold upper, then "
                   f"'{short(ref, 40)}' 14 pt italic, each centred on the text area ±{TOL_CENTRE}, "
                   f"at the top of a new page")
            pages = self.app_pages.get(ap.index)
            bad = []
            if ap.index == 1 and self.stray_pages:
                bad.append(f"pages {[p.num for p in self.stray_pages]} between the closing block "
                           f"and Phụ lục I")
            if not pages:
                bad.append(f"no page starting with '{label}'")
                self.report(name, bad, exp)
                continue
            p = pages[0]
            ta = (p.left + p.right) / 2
            rows = [r for r in self.page_rows[p.num] if not self.is_pagenum(r) and not self.in_table(r)]
            at = next((i for i, r in enumerate(rows) if r.text.startswith("(Kèm theo")), None)
            if at is None:
                bad.append("'(Kèm theo …' line not found")
                self.report(name, bad, exp)
                continue
            end = at
            while end < min(len(rows) - 1, at + 3) and not rows[end].text.endswith(")"):
                end += 1
            lab, title, kem = rows[0], rows[1:at], rows[at:end + 1]
            self.found.setdefault("app_heading", {})[ap.index] = (lab, title, kem)
            ttext = norm(" ".join(r.text for r in title))
            if not title:
                bad.append("no title line")
            elif ttext != unicodedata.normalize("NFC", ap.title).upper():
                bad.append(f"title '{short(ttext, 50)}'")
            ktext = norm(" ".join(r.text for r in kem))
            if ktext.replace(" )", ")") != ref.replace(" )", ")") and not (
                    date == "ngày tháng năm" and re.fullmatch(re.escape(ref[:-1]) + r"( \d{4})? ?\)", ktext)):
                bad.append(f"'{short(ktext, 70)}' (want '{short(ref, 70)}')")
            bad += unbalanced(title, "title", p.right - p.left)
            bad += unbalanced(kem, "Kèm theo line", p.right - p.left)
            for role, lines in (("label", [lab]), ("title", title), ("Kèm theo", kem)):
                for ln in lines:
                    if any(abs(ch.size - 14) > TOL_SIZE for ch in ln.inks):
                        bad.append(f"{role} {ln.where()} size {ln.sizes}")
                    if role == "Kèm theo":
                        if not ln.all_italic or ln.any_bold:
                            bad.append(f"{role} {ln.where()} not italic")
                    elif not ln.all_bold:
                        bad.append(f"{role} {ln.where()} not bold")
                    if abs(ln.centre - ta) > TOL_CENTRE:
                        bad.append(f"{role} {ln.where()} centre {ln.centre:.2f}")
            first_table = [pc for t in ap.tables for pc in self.table_pieces.get(id(t), [])
                           if pc["page"] is p]
            if first_table and kem[-1].base > first_table[0]["bands"][0][0]:
                bad.append("heading not above the table")
            self.report(name, bad, exp)

            # the Phụ lục's other blocks: found in order, and no line outside
            # the heading and the tables that none of them explains
            explained = self.check_charts(ap, pages)
            heading = {id(r) for r in [lab] + title + kem}
            rows = [r for q in pages for r in self.page_rows[q.num]
                    if id(r) not in heading and not self.is_pagenum(r) and not self.in_table(r)
                    and not in_pieces(r, explained)]
            toks = [(w, i) for i, r in enumerate(rows) for w in r.text.split()]
            words = [w for w, _ in toks]
            upper = [w.upper() for w in words]
            pos, bad, covered = 0, [], set()
            for u in ap.units:
                ws, tk = ((upper, [x.upper() for x in u.tokens]) if u.kind in ("muc", "phan")
                          else (words, u.tokens))
                k = len(tk)
                at = next((i for i in range(pos, len(ws) - k + 1) if ws[i:i + k] == tk), None) if k else pos
                if at is None:
                    bad.append(f"{u.kind} '{short(' '.join(u.tokens))}' not found")
                elif k:
                    covered.update(toks[i][1] for i in range(at, at + k))
                    pos = at + k
            for i, r in enumerate(rows):
                if i not in covered and not all(LABEL_RE.match(w) for w in r.text.split()):
                    bad.append(f"unexpected line {r.where()}")
            self.report(f"appendix.{ap.roman}.text", bad,
                        "every paragraph and heading of the Phụ lục in order; no other line outside "
                        "its heading and tables")

    def check_charts(self, ap, pages):
        """appendix.<N>.chart for each chart of Phụ lục ap, read back from its pages;
        returns the pieces of text the charts explain."""
        if not ap.charts:
            return []
        if not self.m.pdf:
            self.report(f"appendix.{ap.roman}.chart", ["no PDF file to measure"], "")
            return []
        if self.m.chart_pages is None:
            self.m.chart_pages = chartread.load(self.m.pdf)
        cache = self.m.chart_pages
        got = chartread.read(cache, [p.num for p in pages])
        self.found.setdefault("charts", {})[ap.roman] = [p.num for p in pages]
        bad = list(got.problems)
        want = ap.charts[0]
        if len(ap.charts) > 1:
            bad.append("more than one chart in a Phụ lục: only the first is checked")
        if [norm(t) for t, _ in got.legend] != want["legend"]:
            bad.append(f"legend {[t for t, _ in got.legend]} (want {want['legend']})")
        shades = [sh for _, sh in got.legend]
        if len(set(shades)) != len(shades):
            bad.append(f"legend shades {shades} not distinct")
        names = [g.name for g in got.groups]
        if names != [n for n, _, _ in want["groups"]]:
            bad.append(f"groups {[short(n, 20) for n in names]} (want "
                       f"{[short(n, 20) for n, _, _ in want['groups']]})")
        for g, (name, note, bars) in zip(got.groups, want["groups"]):
            if note is not None:
                if g.note != note or g.rows:
                    bad.append(f"'{name}': note {g.note!r} and {len(g.rows)} bars (want {note!r})")
                continue
            if len(g.rows) != len(bars):
                bad.append(f"'{name}': {len(g.rows)} bars (want {len(bars)})")
                continue
            for i, (row, (pct, words), (sname, target)) in enumerate(zip(g.rows, bars, want["series"])):
                at = f"'{short(name, 24)}' / '{sname}'"
                if row.series != sname:
                    bad.append(f"{at}: beside the bar '{row.series}'")
                if row.text != words:
                    bad.append(f"{at}: after the bar '{row.text}' (want '{words}')")
                drawn = pct is not None and pct > 0
                if drawn != (row.percent is not None) or (
                        drawn and abs(row.percent - min(pct, got.scale[-1][0])) > 0.02):
                    bad.append(f"{at}: bar {row.percent} (want {pct})")
                if row.target is None or abs(row.target - target) > 0.02:
                    bad.append(f"{at}: target line at {row.target} (want {target})")
                if row.shade is not None and i < len(shades) and abs(row.shade - shades[i]) > 1e-3:
                    bad.append(f"{at}: shade {row.shade} (the legend's is {shades[i]})")
        coloured = [f for q in pages for f in cache[q.num][1]
                    if max(f.rgb) - min(f.rgb) > 1e-3]
        if coloured:
            bad.append(f"{len(coloured)} coloured fills (first {coloured[0].rgb} on "
                       f"p{coloured[0].page}): not readable in black and white")
        self.report(f"appendix.{ap.roman}.chart", bad,
                    "the chart as its source says: legend, groups in order, every bar's "
                    "length on the scale and its target's line (+-0.02 %), the words beside "
                    "and after it, grey shades")
        return got.pieces

    # fonts -------------------------------------------------------------------
    def check_fonts(self):
        m = self.m
        lines = m.pdffonts_out.splitlines()[2:]
        rows = [l.split() for l in lines if len(l.split()) >= 6]
        emb = [f"{r[0]} emb {r[-5]}" for r in rows if r[-5] != "yes"]
        uni = [f"{r[0]} uni {r[-3]}" for r in rows if r[-3] != "yes"]
        if not rows:
            emb = uni = ["no fonts listed"]
        self.report("fonts.embedded", emb, "every font emb yes")
        self.report("fonts.unicode", uni, "every font uni yes")
        err = []
        if m.pdffonts_err.strip():
            err.append(f"pdffonts: {short(m.pdffonts_err.strip(), 80)}")
        if m.pdftotext_err.strip():
            err.append(f"pdftotext: {short(m.pdftotext_err.strip(), 80)}")
        self.report("fonts.stderr", err, "empty stderr from pdffonts and pdftotext")

    # 7. closing block ---------------------------------------------------------
    def check_closing(self):
        cl, src = self.cl, self.src
        label, items, sig, name = cl["label"], cl["items"], cl["sig"], cl["name"]
        first_sig = next((s for s in sig if s is not None), None)

        bad = []
        if label is None:
            bad.append("'Nơi nhận:' not found")
        else:
            if any(abs(ch.size - 12) > TOL_SIZE for ch in label.inks):
                bad.append(f"size {label.sizes}")
            if not (label.all_bold and label.all_italic):
                bad.append(f"font {label.inks[0].font} not bold italic")
            if abs(label.x0 - label.page.left) > TOL_MARGIN:
                bad.append(f"left edge {label.x0:.2f}")
            if sig and sig[0] is not None:
                if sig[0].page is not label.page or abs(sig[0].base - label.base) > TOL_BASE:
                    bad.append(f"baseline {label.base:.2f} vs first signature line {sig[0].base:.2f}")
            else:
                bad.append("first signature line not found")
        self.report("closing.noi-nhan", bad, f"12 pt bold italic at x={MARGIN_LEFT:.2f} ±{TOL_MARGIN}, "
                    f"on the first signature line's baseline ±{TOL_BASE}")

        bad = []
        prev = label
        for text, seg in zip(src.items, items):
            if seg is None:
                bad.append(f"'{text}' not found on one line")
                continue
            if any(abs(ch.size - 11) > TOL_SIZE for ch in seg.inks):
                bad.append(f"'{seg.text}' size {seg.sizes}")
            if seg.any_bold or seg.any_italic:
                bad.append(f"'{seg.text}' not regular")
            if abs(seg.x0 - seg.page.left) > TOL_MARGIN:
                bad.append(f"'{seg.text}' left edge {seg.x0:.2f}")
            if prev is not None and (seg.page.num, seg.base) <= (prev.page.num, prev.base):
                bad.append(f"'{seg.text}' out of order")
            prev = seg
        found = [s for s in items if s is not None]
        for s in found[:-1]:
            if not (s.text.startswith("- ") and s.text.endswith(";")):
                bad.append(f"'{s.text}' not '- …;'")
        if found and not (found[-1].text.startswith("- Lưu:") and found[-1].text.endswith(".")):
            bad.append(f"last '{found[-1].text}' not '- Lưu: ….'")
        self.report("closing.items", bad, "one item per line, 11 pt regular, '- ' at the left margin, "
                    "';' endings, last '- Lưu: ….'")

        bad = []
        segs = [s for s in sig if s is not None]
        for t, s in zip(src.sig_lines, sig):
            if s is None:
                bad.append(f"'{t}' not found")
        c = statistics.mean(s.centre for s in segs) if segs else None
        for s in segs:
            if any(abs(ch.size - 14) > TOL_SIZE for ch in s.inks):
                bad.append(f"'{s.text}' size {s.sizes}")
            if not s.all_bold:
                bad.append(f"'{s.text}' not bold")
            if s.text != s.text.upper():
                bad.append(f"'{s.text}' not upper case")
            if abs(s.centre - c) > TOL_CENTRE:
                bad.append(f"'{s.text}' centre {s.centre:.2f} vs common {c:.2f}")
        if c is not None:
            page = segs[0].page
            if c <= (page.left + page.right) / 2:
                bad.append(f"centre {c:.2f} not in the right part")
        if name is None:
            bad.append(f"name '{src.sig_name}' not found")
        else:
            if any(abs(ch.size - 14) > TOL_SIZE for ch in name.inks):
                bad.append(f"name size {name.sizes}")
            if not name.all_bold:
                bad.append("name not bold")
            if c is not None and abs(name.centre - c) > TOL_CENTRE:
                bad.append(f"name centre {name.centre:.2f} vs {c:.2f}")
        self.report("closing.signature", bad, "upper-case bold 14 pt lines and a bold 14 pt name "
                    "on one centre ±1, right of the text-area centre")

        bad = []
        if not segs or name is None:
            bad.append("signature lines or name not found")
        else:
            gap = name.base - segs[-1].base if name.page is segs[-1].page else None
            if gap is None:
                bad.append("name on another page than the position line")
            elif gap < 5 * 14 * 1.0 - 0.01:
                bad.append(f"{gap:.2f} pt")
        self.report("closing.signature-space", bad, "last position → name baseline ≥ 70.00 pt (4 empty lines)")

        bad = []
        block = [s for s in [label, name] + items + sig if s is not None]
        pages = sorted({s.page.num for s in block})
        if len(block) < 2 + len(items) + len(sig):
            bad.append("part of the block not found")
        if len(pages) > 1:
            bad.append(f"block spread over pages {pages}")
        elif pages:
            above = [r for r in self.found["body_rows"] if r.page.num == pages[0]]
            if not above:
                bad.append(f"no body line above the block on page {pages[0]}")
        self.report("closing.one-page", bad, "Nơi nhận, items, signature and name on one page with "
                    "≥ 1 body line above")

    # 8. qpdf -------------------------------------------------------------------
    def check_qpdf(self):
        m = self.m
        bad = []
        if m.qpdf_rc != 0:
            bad.append(f"exit {m.qpdf_rc}")
        if "No syntax or stream encoding errors found" not in m.qpdf_out:
            bad.append("no 'No syntax or stream encoding errors found'")
        if re.search(r"warning|error:", m.qpdf_out, re.I):
            w = next(l for l in m.qpdf_out.splitlines() if re.search(r"warning|error:", l, re.I))
            bad.append(f"'{short(w, 80)}'")
        self.report("qpdf", bad, "exit 0, clean check")


def check(model, src, quiet=False, generic=False):
    """Run every check (generic: only those every form shares); returns the Checker
    (results + located items)."""
    ck = Checker(model, src, quiet, generic)
    ck.run_all()
    return ck


# ----------------------------------------------------------------- selftest
def _chars_by_id(model, ids):
    ids = set(ids)
    return [ch for p in model.pages for ch in p.chars if ch.cid in ids]


def _shift(model, seg, dx=0.0, dy=0.0):
    for ch in _chars_by_id(model, [c.cid for c in seg.chars]):
        ch.x0 += dx
        ch.x1 += dx
        ch.y0 += dy
        ch.y1 += dy
        ch.base += dy


def mutations(ck):
    """(description, check name, mutate(model)) built from a baseline run."""
    F = ck.found
    out = []
    if F.get("so"):
        out.append(("Số baseline moved down 2 pt", "header.date-baseline",
                    lambda m: _shift(m, F["so"], dy=2.0)))
        out.append(("Số line set at 14 pt", "header.so",
                    lambda m: [setattr(ch, "size", 14.0) for ch in _chars_by_id(m, [c.cid for c in F["so"].chars])]))
    units = [u for u in F.get("units", []) if len(u.lines) >= 2 and u.kind != "phan"]
    if units:
        ln = units[0].lines[0]
        last_word = ln.words()[-1]

        def pull(m, ln=ln, w=last_word):
            for ch in _chars_by_id(m, [c.cid for c in w]):
                ch.x0 -= 3
                ch.x1 -= 3
        out.append(("justified line ends 3 pt short of the margin", "body.justify", pull))

        def spread(m, w=ln.words()[0]):
            for k, ch in enumerate(_chars_by_id(m, [c.cid for c in w])):
                ch.x0 += 0.5 * k
                ch.x1 += 0.5 * k
        out.append(("letter spacing 0.5 pt inside a word", "body.letter-spacing", spread))
        out.append(("first line indent +5 pt", "body.indent", lambda m, ln=ln: _shift(m, ln, dx=5)))
        out.append(("continuation line indented 2 pt", "body.flush",
                    lambda m, ln=units[0].lines[1]: _shift(m, ln, dx=2)))
        out.append(("body char at 13 pt", "body.size",
                    lambda m, ln=ln: setattr(_chars_by_id(m, [ln.inks[0].cid])[0], "size", 13.0)))
        out.append(("line pitch 1.6", "body.line-spacing",
                    lambda m, u=units[0]: [_shift(m, l, dy=0.6 * 14 * k) for k, l in enumerate(u.lines)]))
    if len(F.get("units", [])) >= 2:
        u1 = F["units"][1]
        out.append(("paragraph moved up to touch the previous one", "body.para-spacing",
                    lambda m, u=u1: [_shift(m, l, dy=-6.0) for l in u.lines]))
    muc = [u for u in F.get("units", []) if u.kind == "muc" and u.lines]
    if muc:
        out.append(("mục heading not bold", "body.headings",
                    lambda m, ln=muc[0].lines[0]: [setattr(ch, "bold", False)
                                                  for ch in _chars_by_id(m, [c.cid for c in ln.chars])]))

    def add_pagenum(m):
        p = m.pages[0]
        m.pages[0].chars.append(Char(10 ** 9, "1", p.width / 2 - 3.5, 30, p.width / 2 + 3.5, 45.5, 42,
                                     "LiberationSerif", 14.0))
    out.append(("page number on page 1", "pagenum.page1", add_pagenum))

    def outside(m):
        p = m.pages[0]
        ch = [c for c in p.chars if c.ink][-1]
        ch.x0 = p.right + 2
        ch.x1 = ch.x0 + 5
    out.append(("glyph beyond the right margin", "margins", outside))
    out.append(("Letter paper", "page.a4", lambda m: setattr(m.pages[0], "width", 612.0)))
    if F.get("agency_rule"):
        out.append(("agency rule removed", "header.agency-rule",
                    lambda m: m.pages[0].rules.pop(F["agency_rule_idx"])))
    if F.get("tn"):
        out.append(("en dash in the Tiêu ngữ", "header.tieu-ngu",
                    lambda m: [setattr(ch, "c", "\u2013") for ch in _chars_by_id(m, [c.cid for c in F["tn"].chars])
                               if ch.c == "-"]))
    if F.get("tn_rule"):
        out.append(("Tiêu ngữ rule 10 pt short", "header.tieu-ngu-rule",
                    lambda m: setattr(m.pages[0].rules[F["tn_rule_idx"]], "x1", F["tn_rule"].x1 - 10)))
    if F.get("date"):
        out.append(("date line moved 3 pt right", "header.date",
                    lambda m: _shift(m, F["date"], dx=3)))
    if F.get("ty_rows"):
        out.append(("trích yếu line 2 pt off centre", "title.trich-yeu",
                    lambda m: _shift(m, F["ty_rows"][0], dx=2)))
    if F.get("agency"):
        out.append(("one agency line 4 pt off (2 pt from the common centre)", "header.agency",
                    lambda m: _shift(m, F["agency"][0], dx=-4)))
    cl = F.get("closing", {})
    if cl.get("sig") and cl["sig"][-1]:
        out.append(("last position line 2.5 pt right of the others", "closing.signature",
                    lambda m: _shift(m, cl["sig"][-1], dx=2.5)))
    if cl.get("label"):
        out.append(("Nơi nhận not bold", "closing.noi-nhan",
                    lambda m: [setattr(ch, "bold", False) for ch in _chars_by_id(m, [c.cid for c in cl["label"].chars])]))
    if cl.get("name"):
        last_sig = next((s for s in reversed(cl.get("sig", [])) if s is not None), None)
        if last_sig is not None:
            out.append(("name only 60 pt below the last position line", "closing.signature-space",
                        lambda m: _shift(m, cl["name"], dy=last_sig.base + 60 - cl["name"].base)))
    if cl.get("items") and cl["items"][0]:
        out.append(("first Nơi nhận item 4 pt right", "closing.items",
                    lambda m: _shift(m, cl["items"][0], dx=4)))
    if F.get("kinh_gui_rows"):
        out.append(("Kính gửi line 3 pt off centre", "body.segmentation",
                    lambda m, r=F["kinh_gui_rows"][0]: _shift(m, r, dx=3)))
    if muc:
        out.append(("mục heading in lower case", "body.headings",
                    lambda m, ln=muc[0].lines[0]: [setattr(ch, "c", ch.c.lower())
                                                  for ch in _chars_by_id(m, [c.cid for c in ln.chars])]))
    out += appendix_mutations(ck)
    out.append(("pdffonts warning on stderr", "fonts.stderr",
                lambda m: setattr(m, "pdffonts_err", "Syntax Warning: Invalid 'begincidrange' operator")))
    out.append(("font not embedded", "fonts.embedded",
                lambda m: setattr(m, "pdffonts_out", m.pdffonts_out + "\nTimes-Roman Type 1 Standard no no no 99 0\n")))
    out.append(("qpdf warning", "qpdf",
                lambda m: setattr(m, "qpdf_out", m.qpdf_out + "\nWARNING: file.pdf: xref not found\n")))
    return out


def _pagenum_char(m, pnum, text):
    """Put `text` as a 14 pt page number centred in the top margin of page pnum."""
    p = m.pages[pnum - 1]
    x = p.width / 2 - 3.5 * len(text)
    for k, c in enumerate(text):
        p.chars.append(Char(10 ** 9 + 10 * pnum + k, c, x + 7 * k, 30, x + 7 * (k + 1), 45.5, 42,
                            "LiberationSerif", 14.0))


def _drop_chars(m, pnum, keep):
    m.pages[pnum - 1].chars = [ch for ch in m.pages[pnum - 1].chars if keep(ch)]


def appendix_mutations(ck):
    """Mutations for the Phụ lục and table checks (when the PDF has them)."""
    F, src, out = ck.found, ck.src, []
    app_pages = F.get("app_pages", {})
    for ap in src.appendices[:1]:
        pages = app_pages.get(ap.index, [])
        if not pages:
            continue
        first, r = pages[0], ap.roman
        out.append((f"page number '1' on the first page of Phụ lục {r}", f"pagenum.phu-luc-{r}.p1",
                    lambda m, n=first: _pagenum_char(m, n, "1")))
        out.append((f"Phụ lục {r} page turned portrait", "page.a4",
                    lambda m, n=first, ap=ap: setattr(m.pages[n - 1], "width", A4_W if ap.landscape else A4_H)
                    or setattr(m.pages[n - 1], "height", A4_H if ap.landscape else A4_W)))
        if len(pages) >= 2:
            second = pages[1]
            out.append((f"Phụ lục {r} page 2 numbered '{second}' (continuing the main count)",
                        f"pagenum.phu-luc-{r}.p2",
                        lambda m, n=second: [setattr(ch, "c", str(n)[0]) for ch in m.pages[n - 1].chars
                                             if ch.ink and ch.y1 <= MARGIN_TOP]))
            out.append((f"no page number on page 2 of Phụ lục {r}", f"pagenum.phu-luc-{r}.p2",
                        lambda m, n=second: _drop_chars(m, n, lambda ch: not (ch.ink and ch.y1 <= MARGIN_TOP))))
        head = F.get("app_heading", {}).get(ap.index)
        if head:
            lab, title, kem = head
            out.append((f"'Phụ lục {r}' not bold", f"appendix.{r}.heading",
                        lambda m, ln=lab: [setattr(ch, "bold", False)
                                           for ch in _chars_by_id(m, [c.cid for c in ln.chars])]))
            if title:
                out.append((f"Phụ lục {r} title 2 pt off centre", f"appendix.{r}.heading",
                            lambda m, ln=title[0]: _shift(m, ln, dx=2)))
            digits = [c for ln in kem for c in ln.inks if c.c.isdigit()]
            if digits:
                out.append((f"wrong year in the '(Kèm theo' line", f"appendix.{r}.heading",
                            lambda m, c=digits[-1]: setattr(_chars_by_id(m, [c.cid])[0], "c",
                                                            "9" if c.c != "9" else "8")))
    for t, pieces in F.get("table_pieces", []):
        if not pieces:
            continue
        nh = len(t.headers)
        if len(pieces) >= 2:
            pc = pieces[1]
            y0, y1 = pc["bands"][0][0], pc["bands"][nh - 1][1]
            out.append(("header row missing on the table's second page", "table.header-repeat",
                        lambda m, n=pc["page"].num, y0=y0, y1=y1:
                        _drop_chars(m, n, lambda ch: not y0 < (ch.y0 + ch.y1) / 2 < y1)))
            out.append(("no rules on the table's second page", "table.rules",
                        lambda m, n=pc["page"].num: setattr(m.pages[n - 1], "rules", [])))
        pc = pieces[0]
        if len(pc["bands"]) > nh and t.rows:
            y0, y1 = pc["bands"][nh]
            edges = ck.column_edges(t, pc)
            col = len(t.widths) - 1 if len(t.widths) < 3 else 2
            x0, x1 = edges[col], edges[col + 1]

            def change(m, n=pc["page"].num, y0=y0, y1=y1, x0=x0, x1=x1):
                ch = next(c for c in m.pages[n - 1].chars if c.ink and y0 < (c.y0 + c.y1) / 2 < y1
                          and x0 <= (c.x0 + c.x1) / 2 < x1)
                ch.c = "9" if ch.c != "9" else "8"
            out.append(("a digit changed in a table cell", "table.cells", change))
            out.append(("table cell at 10 pt", "table.font",
                        lambda m, n=pc["page"].num, y0=y0, y1=y1: [
                            setattr(c, "size", 10.0) for c in m.pages[n - 1].chars
                            if y0 < (c.y0 + c.y1) / 2 < y1][:1]))
        break
    for roman_n, nums in F.get("charts", {}).items():
        def bars(m, nums=nums):
            fills = [f for n in nums for f in m.chart_pages[n][1] if f.grey and 6 <= f.h <= 10]
            x0 = max(f.x0 for f in fills)           # the bars', right of the legend's samples
            return [f for f in fills if abs(f.x0 - x0) < 0.05]

        def shorten(m, bars=bars):
            b = max(bars(m), key=lambda f: f.w)
            b.x1 -= 0.5
        out.append(("a chart's bar 0.5 pt short", f"appendix.{roman_n}.chart", shorten))
        out.append(("a chart's bar in red", f"appendix.{roman_n}.chart",
                    lambda m, bars=bars: setattr(bars(m)[0], "rgb", (1.0, 0.0, 0.0))))

        def move_target(m, nums=nums):
            t = [f for n in nums for f in m.chart_pages[n][1] if f.black and f.w < 2 and 10 < f.h < 16]
            t[-1].x0 += 1
            t[-1].x1 += 1
        out.append(("a target's line 1 pt off", f"appendix.{roman_n}.chart", move_target))
    return out


def selftest(model, src):
    base = check(model, src, quiet=True)
    caught = 0
    muts = mutations(base)
    for desc, name, mutate in muts:
        m = model.clone()
        mutate(m)
        after = check(m, src, quiet=True)
        before_ok = base.results.get(name, (None,))[0]
        ok, msg = after.results.get(name, (None, "check not run"))
        flag = "ok  " if ok is False else "MISS"
        caught += ok is False
        print(f"{flag} {desc}: {name} was {'PASS' if before_ok else 'FAIL'}, now "
              f"{'FAIL' if ok is False else 'PASS'}")
        if ok is False:
            print(f"     {msg}")
    print(f"selftest: {caught}/{len(muts)} mutations caught")
    return 0 if caught == len(muts) else 1


# --------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--selftest", action="store_true",
                    help="mutate the measurements and assert the checks fail")
    ap.add_argument("--generic", action="store_true",
                    help="only the checks every form of văn bản shares: page, margins, page "
                         "numbers, fonts, qpdf (tests/formcheck.py reads the rest)")
    args = ap.parse_args(argv)
    try:
        src = Source(args.source)
        model = load_model(args.pdf)
    except ToolError as exc:
        print(f"pdfcheck: {exc}", file=sys.stderr)
        return 2
    if args.selftest:
        return selftest(model, src)
    ck = check(model, src, generic=args.generic)
    failed = sum(1 for ok, _ in ck.results.values() if not ok)
    print(f"{len(ck.results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
