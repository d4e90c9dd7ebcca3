"""Reads a chart of horizontal bars back from a PDF, as a reader sees it.

Used by tests/pdfcheck.py (the chart against the document it was drawn from) and
tests/figures.py (against ratios recomputed from the exports). Nothing here knows how vanban
computes the chart: it reads the page.

From `mutool draw -F trace` it takes the filled rectangles: grey bars (r = g = b), black
target lines, and the black marks under the scale's labels; from `mutool draw -F stext` the
text, cut into pieces at wide gaps. The scale's labels ("0 %", "20 %", … on one line) and
their marks give the x of every percentage; each bar's row is anchored by the words after
the bar (its percentage, or what stands in its place); the name of its series is the text
of the column left of the bars on the same line, the group's name the text of the first
column. A bar's percentage is its length on the scale.
"""
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SCALE_LABEL = re.compile(r"^(\d{1,3}(?:\.\d{3})*)\s?%$")
GAP = 8.0          # a wider gap between two glyphs on a line cuts it into pieces


def norm(text):
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return " ".join(text.split())


@dataclass
class Piece:
    """A run of text on one baseline (top-down coordinates)."""
    page: int
    base: float
    x0: float
    x1: float
    size: float
    text: str
    bold: bool
    italic: bool


@dataclass
class Fill:
    """A filled rectangle (top-down coordinates) and its colour (r, g, b)."""
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    rgb: tuple

    @property
    def cy(self):
        return (self.y0 + self.y1) / 2

    @property
    def w(self):
        return self.x1 - self.x0

    @property
    def h(self):
        return self.y1 - self.y0

    @property
    def grey(self):
        r, g, b = self.rgb
        return abs(r - g) < 1e-3 and abs(g - b) < 1e-3 and 0.05 < r < 0.95

    @property
    def black(self):
        return max(self.rgb) < 1e-3


@dataclass
class Row:
    """One bar's row: its series' name, the bar's length as a percentage (None when no bar
    is drawn), the target line's percentage, and the words after the bar."""
    series: str
    percent: object
    target: object
    text: str
    shade: object
    page: int
    pieces: list = field(default_factory=list)


@dataclass
class Group:
    name: str
    rows: list
    note: str = None            # the words standing in place of the bars
    bold_name: bool = False


@dataclass
class Chart:
    legend: list                # (text, shade of its sample bar)
    scale: list                 # (percent, x) of the scale's marks
    groups: list
    pieces: list                # every piece of text the chart explains
    problems: list              # what could not be read


def _run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {p.stderr.decode(errors='replace').strip()}")
    return p.stdout


def _style(font):
    f = font.lower()
    return ("bold" in f, "italic" in f or "oblique" in f)


def pieces_of(stext_page, page):
    """The page's text as pieces: glyphs grouped by baseline, cut at wide gaps."""
    chars = []
    for fel in stext_page.iter("font"):
        bold, italic = _style(fel.get("name", ""))
        size = float(fel.get("size", "0"))
        for c in fel.iter("char"):
            q = [float(v) for v in c.get("quad").split()]
            chars.append((round(float(c.get("y")), 1), min(q[0::2]), max(q[0::2]), c.get("c", ""),
                          size, bold, italic))
    lines = {}
    for ch in chars:
        key = next((k for k in lines if abs(k - ch[0]) < 0.6), ch[0])
        lines.setdefault(key, []).append(ch)
    out = []
    for base, cs in lines.items():
        cs.sort(key=lambda ch: ch[1])
        run = []
        for ch in cs:
            if run and ch[1] - run[-1][2] > GAP:
                out.append(_piece(page, base, run))
                run = []
            run.append(ch)
        if run:
            out.append(_piece(page, base, run))
    return [p for p in out if p.text]


def _piece(page, base, run):
    ink = [ch for ch in run if not ch[3].isspace()]
    return Piece(page, base, run[0][1], run[-1][2], max(ch[4] for ch in run),
                 norm("".join(ch[3] for ch in run)),
                 bool(ink) and all(ch[5] for ch in ink), bool(ink) and all(ch[6] for ch in ink))


def fills_of(trace_page, page):
    """The page's filled rectangles."""
    out = []
    for el in trace_page.iter("fill_path"):
        a, b, c, d, e, f = [float(v) for v in el.get("transform", "1 0 0 1 0 0").split()]
        pts = [(a * float(o.get("x")) + c * float(o.get("y")) + e,
                b * float(o.get("x")) + d * float(o.get("y")) + f)
               for o in el if o.tag in ("moveto", "lineto")]
        if len(pts) != 4:
            continue
        xs, ys = sorted({round(x, 3) for x, _ in pts}), sorted({round(y, 3) for _, y in pts})
        if len(xs) > 2 or len(ys) > 2:
            continue          # not an upright rectangle
        rgb = tuple(float(v) for v in el.get("color", "0 0 0").split())
        if len(rgb) == 1:
            rgb = rgb * 3
        out.append(Fill(page, xs[0], ys[0], xs[-1], ys[-1], rgb[:3]))
    return out


def load(pdf):
    """{page number: (pieces, fills)} for every page of the PDF."""
    stext = ET.fromstring(_run(["mutool", "draw", "-F", "stext", "-o", "-", pdf]))
    trace = ET.fromstring(_run(["mutool", "draw", "-F", "trace", "-o", "-", pdf]))
    pages = {}
    for n, pel in enumerate(stext.iter("page"), 1):
        pages[n] = [pieces_of(pel, n), []]
    for n, pel in enumerate(trace.iter("page"), 1):
        if n in pages:
            pages[n][1] = fills_of(pel, n)
    return pages


def appendix_pages(pages, roman):
    """The pages of Phụ lục <roman>: from the page whose first line says so to the page
    before the next Phụ lục (or the end)."""
    first = None
    out = []
    for n in sorted(pages):
        pieces = sorted(pages[n][0], key=lambda p: (p.base, p.x0))
        top = pieces[0].text if pieces else ""
        if re.fullmatch(r"\d+", top) and len(pieces) > 1:     # a page number above
            top = pieces[1].text
        if top.startswith("Phụ lục "):
            if first is not None:
                break
            if top == f"Phụ lục {roman}":
                first = n
        if first is not None:
            out.append(n)
    return out


def read(pages, numbers):
    """Reads the chart on the pages numbered numbers (of load's result)."""
    problems, explained = [], []
    scale, scale_page, scale_base = [], None, None
    for n in numbers:
        pieces, fills = pages[n]
        by_base = {}
        for p in pieces:
            if SCALE_LABEL.match(p.text):
                by_base.setdefault(round(p.base, 1), []).append(p)
        for base, labels in by_base.items():
            if len(labels) < 2:
                continue
            marks = [f for f in fills if f.black and f.w < 1 and 2 < f.h < 5
                     and 0 < f.y0 - base < 8]
            pairs = []
            for lab in labels:
                cx = (lab.x0 + lab.x1) / 2
                m = min(marks, key=lambda f: abs((f.x0 + f.x1) / 2 - cx), default=None)
                if m is None or abs((m.x0 + m.x1) / 2 - cx) > 1:
                    problems.append(f"p{n}: scale label '{lab.text}' has no mark under it")
                    continue
                v = int(SCALE_LABEL.match(lab.text).group(1).replace(".", ""))
                pairs.append((v, (m.x0 + m.x1) / 2))
            if len(pairs) >= 2:
                scale, scale_page, scale_base = sorted(pairs), n, base
                explained += labels
                break
        if scale:
            break
    if not scale:
        return Chart([], [], [], explained, problems + ["no scale (\"0 %\" … \"100 %\") found"])
    (v0, x0), (v1, x1) = scale[0], scale[-1]
    per = (x1 - x0) / (v1 - v0)
    zero = x0 - v0 * per
    for v, x in scale:
        if abs(zero + v * per - x) > 0.05:
            problems.append(f"scale mark {v} % at x={x:.2f}, not in line with the others")

    def pct(x):
        return (x - zero) / per

    # the legend: grey samples above the scale (on its page or the pages before), their
    # words beside them
    legend = []
    for n in numbers[:numbers.index(scale_page) + 1]:
        pieces1, fills1 = pages[n]
        samples = sorted((f for f in fills1 if f.grey and 6 <= f.h <= 10 and abs(f.x0 - zero) > 1
                          and (n != scale_page or f.y1 < scale_base - 8)), key=lambda f: f.cy)
        for k, f in enumerate(samples):
            below = samples[k + 1].cy if k + 1 < len(samples) else float("inf")
            first = [p for p in pieces1 if p.x0 > f.x1 and abs(p.base - 0.33 * 11 - f.cy) < 2]
            words = first + [p for p in pieces1 if first and p not in first and p.x0 > f.x1
                             and abs(p.x0 - first[0].x0) < 0.5
                             and first[0].base < p.base < below + 0.33 * 11 - 1
                             and (n != scale_page or p.base < scale_base - 2)]
            legend.append((" ".join(p.text for p in sorted(words, key=lambda p: p.base)), f.rgb[0]))
            explained += words

    groups = []
    for n in numbers[numbers.index(scale_page):]:
        pieces, fills = pages[n]
        top = min((p.base for p in pieces), default=0)
        below = [p for p in pieces if (n != scale_page or p.base > scale_base + 2)
                 and not (p.base == top and re.fullmatch(r"\d+", p.text))]   # the page number
        anchors = sorted((p for p in below if p.x0 >= zero - 0.5), key=lambda p: p.base)
        left = [p for p in below if p.x1 < zero - 2]
        if not anchors:
            continue
        name_x = min(p.x0 for p in left) if left else None
        series_x = min((p.x0 for p in left if p.x0 > name_x + 20), default=None) if left else None
        bars = [f for f in fills if f.grey and 6 <= f.h <= 10 and abs(f.x0 - zero) < 0.05]
        targets = [f for f in fills if f.black and f.w < 2 and f.h > 8 and f.x1 > zero + 0.01]
        rows_here = []
        for a in anchors:
            cy = a.base - 0.33 * a.size
            bar = next((f for f in bars if abs(f.cy - cy) < 2), None)
            tgt = next((f for f in targets if abs(f.cy - cy) < 2), None)
            rows_here.append((a, cy, bar, tgt))
        for i, (a, cy, bar, tgt) in enumerate(rows_here):
            first_base = cy + 0.33 * 11
            nxt = rows_here[i + 1][1] + 0.33 * 11 if i + 1 < len(rows_here) else float("inf")
            series = [p for p in left if series_x is not None and abs(p.x0 - series_x) < 0.5
                      and first_base - 1 < p.base < nxt - 1]
            name = [p for p in left if abs(p.x0 - name_x) < 0.5 and first_base - 1 < p.base]
            starts = any(abs(p.base - first_base) < 1 for p in name)
            explained.append(a)
            explained += series
            if starts:
                # the group's name: its lines down to the next group's first line
                nxt_group = next((rows_here[k][1] + 0.33 * 11 for k in range(i + 1, len(rows_here))
                                  if any(abs(p.x0 - name_x) < 0.5 and abs(p.base - (rows_here[k][1] + 0.33 * 11)) < 1
                                         for p in left)), float("inf"))
                lines = sorted((p for p in name if p.base < nxt_group - 1), key=lambda p: p.base)
                explained += lines
                text = " ".join(p.text for p in lines)
                if not (i == 0 and groups and groups[-1].name == text and groups[-1].rows
                        and groups[-1].rows[-1].page != n):
                    groups.append(Group(text, [], bold_name=bool(lines) and all(p.bold for p in lines)))
                # else: a group taller than a page goes on here, its name repeated
            elif not groups:
                problems.append(f"p{n}: a bar's row at y={cy:.1f} before any group's name")
                continue
            g = groups[-1]
            if bar is None and tgt is None and not series:
                g.note = a.text if g.note is None else g.note + " " + a.text
                continue
            g.rows.append(Row(" ".join(p.text for p in sorted(series, key=lambda p: p.base)),
                              pct(bar.x1) if bar else None,
                              pct((tgt.x0 + tgt.x1) / 2) if tgt else None,
                              a.text, bar.rgb[0] if bar else None, n, [a] + series))
            if bar is None and tgt is None:
                problems.append(f"p{n}: row '{a.text}' at y={cy:.1f} has neither a bar nor a target line")
    return Chart(legend, scale, groups, explained, problems)


def read_pdf(pdf, roman):
    """Reads the chart of Phụ lục <roman> of the PDF."""
    pages = load(pdf)
    numbers = appendix_pages(pages, roman)
    if not numbers:
        return Chart([], [], [], [], [f"no page starts with 'Phụ lục {roman}'"])
    return read(pages, numbers)
