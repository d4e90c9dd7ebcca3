#!/usr/bin/env python3
"""figures.py - check the figures of a rendered annual report against the exports.

Usage:
    figures.py --pdf REPORT.pdf --year 2023 [--previous-dir DIR] [--units FILE]
               [--profile PROFILE.xml] EXPORT ...
    figures.py --text REPORT.txt --year 2023 ...    (text already extracted)
    figures.py ... --selftest

The expected figures are computed here by a route of their own (Python's csv
module, the codecs, iconv for TCVN3), never by vanban's code:

  reading   each file: UTF-8 with or without BOM (also UTF-16 with BOM), else
            Windows-1258 or TCVN3 (TCVN 5712:1993, decoded by iconv), whichever
            reads as Vietnamese; then NFC.  Delimiter: Excel's "sep=X" first
            line, else the most frequent of ',' ';' TAB in the header line.
            Numbers: decimal mark ',' with ';' files and '.' with ',' files,
            thousands grouped with the other mark in groups of exactly three;
            TAB files: inferred from the values.  An empty cell is "not
            applicable" and is left out of every sum.
  workbooks .xlsx files are read with zipfile and xml.etree: the first sheet
            of xl/workbook.xml, its part through the relationships, shared
            and inline strings; the header is the first row naming ma_don_vi,
            a row numbering the columns under it is skipped.
  totals    every numeric column summed over the units that filled it, for
            the rows whose nam is --year (rows of other years are left out; a
            unit's row sent again with the same figures counts once);
  ratios    the profile's targets (--profile: numerator / denominator, x100,
            rounded half up to one decimal) with "đạt chỉ tiêu" or "chưa đạt
            chỉ tiêu" decided exactly on the counts; without a profile,
            harmonious / with union, agreement / with union, more favourable /
            agreements;
  changes   so_doanh_nghiep and so_dn_co_cdcs against year-1 (read from every
            export of --previous-dir), like for like: over the units whose
            cell is filled in both years, in %, rounded half away from zero to
            one decimal; the report may say "tăng"/"giảm", so the absolute
            value is looked for; when those are not all the units with the
            figure, "so sánh trên N đơn vị" must follow it.

The PDF's text is read with `pdftotext -layout` and `pdftotext -raw`; NBSP,
narrow NBSP and thin spaces become spaces, each line's white space is
collapsed, and the text is NFC.  Figures are looked for the Vietnamese way:
integers grouped with '.' from four digits up (999, 1.234, 45.500.000),
percentages with a decimal comma, one decimal, a space and '%' (89,5 %).  A
number matches only as a whole token (999 does not match inside 1.999).

Checks (names as printed):
  total.COLUMN         the province total of COLUMN appears in the text
  ratio.ID             a target's ratio appears in its sentence, "đạt tỷ lệ
                       87,8 %" (without a profile: hai-hoa, tuldtt, loi-hon)
  met.ID               "RATIO (chỉ tiêu THRESHOLD), đạt chỉ tiêu" or "... chưa
                       đạt chỉ tiêu" as the exact counts say (with --profile)
  unmet-sentence       "chỉ tiêu chưa đạt" appears if and only if a target is
                       not met (with --profile)
  change.COLUMN        the change against the previous year appears
                       (only with --previous-dir)
  unit.CODE            a line of the -layout text that holds the unit's name
                       (its full name, or the longest word prefix of it that
                       no other unit's name shares, or the name without its
                       "Huyện"/"Thị xã"/"Thành phố" prefix) also holds the
                       unit's so_doanh_nghiep and so_dn_co_cdcs; when the name
                       wraps, the two lines either side are accepted too
  unit.CODE.na         for a unit whose so_doanh_nghiep cell is empty: its row
                       shows "-", "–", "—", "x" or "không áp dụng", and no
                       "0" (unless one of its filled values is 0)

Every check prints "PASS name" or "FAIL name: what was looked for"; the run
ends with "N passed, M failed".  Exit status 0 when all passed, 1 when one
failed, 2 on a usage, input or tool error.

--selftest runs the checks, then adds 1 to one expected figure at a time
(a total, a ratio's last decimal, a change, a unit's enterprise count) and
asserts that the check concerned now fails; exit 0 when every mutation was
caught.

--chart ROMAN also reads the chart of Phụ lục ROMAN back from the PDF (tests/chartread.py:
`mutool draw -F trace` for the bars, `-F stext` for the words) and checks it:
  chart.CODE           the unit's group (its name after "N. "): one bar per
                       target whose length on the scale is the unit's ratio
                       computed here (+-0.02 %), exact, not rounded; the words
                       after it that ratio with one decimal; no bar where the
                       unit's ratio cannot be computed; a unit that sent
                       nothing has no bars (only its note); every target's
                       line at the profile's percentage (+-0.02 %)
  chart.total          the last group: the whole locality's ratios, likewise
  chart.read           the chart could be read (scale, legend, groups)

--units FILE takes the unit names from the units directory (columns code or
ma_don_vi, name or ten_don_vi) instead of each export's ten_don_vi.

Python 3 standard library, plus pdftotext (poppler-utils) and iconv.
"""

import argparse
import copy
import csv
import glob
import io
import os
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chartread  # noqa: E402  (tests/chartread.py, beside this file)

NUMERIC = [
    "so_doanh_nghiep", "so_dn_co_cdcs", "so_dn_cdcs_qhld_hai_hoa",
    "so_dn_cdcs_co_tuldtt", "so_tuldtt_co_loi_hon", "so_cuoc_doi_thoai",
    "so_vu_tranh_chap", "so_vu_tranh_chap_da_giai_quyet",
    "so_cuoc_ngung_viec", "so_nguoi_ngung_viec",
    "so_cuoc_thanh_tra_kiem_tra", "so_vu_vi_pham_xu_ly", "tien_phat",
    "so_hoa_giai_vien", "so_lop_tap_huan", "so_luot_nguoi_tap_huan",
    "so_cuoc_tuyen_truyen",
]
RATIOS = [  # name, numerator, denominator
    ("hai-hoa", "so_dn_cdcs_qhld_hai_hoa", "so_dn_co_cdcs"),
    ("tuldtt", "so_dn_cdcs_co_tuldtt", "so_dn_co_cdcs"),
    ("loi-hon", "so_tuldtt_co_loi_hon", "so_dn_cdcs_co_tuldtt"),
]
CHANGES = ["so_doanh_nghiep", "so_dn_co_cdcs"]
LEVEL_PREFIXES = ["Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Tỉnh"]
NA_TOKENS = ["-", "–", "—", "x", "X"]
NA_PHRASE = "không áp dụng"


class InputError(Exception):
    pass


def warn(msg):
    print(f"figures: warning: {msg}", file=sys.stderr)


# ------------------------------------------------------------------ decoding

def _vietnamese_letters():
    bases = "aăâeêioôơuưy"
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    s = set("đĐ")
    for b in bases:
        for t in tones:
            c = unicodedata.normalize("NFC", b + t)
            s.add(c)
            s.add(c.upper())
    return s


VN_LETTERS = _vietnamese_letters()
TONE_MARKS = set("\u0300\u0301\u0303\u0309\u0323")


def badness(text):
    """How little `text` reads as Vietnamese: non-ASCII characters that are
    no Vietnamese letter, plus words carrying more than one tone mark."""
    text = unicodedata.normalize("NFC", text)
    bad = 0
    for ch in text:
        if ord(ch) >= 128 and ch not in VN_LETTERS and not ch.isspace():
            bad += 1
    for word in re.findall(r"\w+", text):
        d = unicodedata.normalize("NFD", word)
        if sum(1 for c in d if c in TONE_MARKS) > 1:
            bad += 1
    return bad


def iconv_decode(data, charset):
    try:
        p = subprocess.run(["iconv", "-f", charset, "-t", "UTF-8"], input=data,
                           capture_output=True)
    except OSError as exc:
        raise InputError(f"cannot run iconv: {exc}")
    if p.returncode != 0:
        return None
    return p.stdout.decode("utf-8")


def decode(data, path):
    """bytes -> (NFC text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = data[3:].decode("utf-8"), "UTF-8 with BOM"
    elif data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        text, enc = data.decode("utf-16"), "UTF-16"
    else:
        try:
            text, enc = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            cands = []
            try:
                cands.append((data.decode("cp1258"), "Windows-1258"))
            except UnicodeDecodeError:
                pass
            t = iconv_decode(data, "TCVN5712-1")
            if t is not None:
                cands.append((t, "TCVN3"))
            if not cands:
                raise InputError(f"{path}: neither UTF-8, Windows-1258 nor TCVN3")
            scored = sorted(((badness(t), i, t, e) for i, (t, e) in enumerate(cands)))
            if len(scored) > 1 and scored[0][0] == scored[1][0]:
                warn(f"{path}: Windows-1258 and TCVN3 read equally well; "
                     f"taking {scored[0][3]}")
            _, _, text, enc = scored[0]
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", text), enc


# ------------------------------------------------------------------- parsing

def split_sep_line(text):
    """Excel's "sep=X" first line -> (delimiter or None, rest of text)."""
    m = re.match(r"sep=(.)[ \t]*\r?\n", text)
    if m:
        return m.group(1), text[m.end():]
    return None, text


def detect_delimiter(text, path):
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise InputError(f"{path}: no delimiter (',' ';' TAB) in the header line")
    return best


SPACES = "\u00a0\u202f\u2009\u2007 "


def parse_integer(cell, dec, grp):
    """A cell -> int, or None when the value is not a number in this style."""
    s = cell.strip().strip(SPACES)
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    frac = ""
    if dec in s:
        s, frac = s.split(dec, 1)
        if not re.fullmatch(r"\d+", frac) or set(frac) != {"0"}:
            return None
    if re.fullmatch(r"\d+", s):
        v = int(s)
    elif re.fullmatch(r"\d{1,3}(?:" + re.escape(grp) + r"\d{3})+", s):
        v = int(s.replace(grp, ""))
    else:
        return None
    return -v if neg else v


def local(tag):
    return tag.rsplit("}", 1)[-1]


def date_styles(z):
    """cellXfs index -> "date" or "year" for the styles that show a number as a date (a
    format with y, m or d outside quotes and brackets; "year" when y alone)."""
    if "xl/styles.xml" not in z.namelist():
        return {}
    root = ET.fromstring(z.read("xl/styles.xml"))
    codes = {int(e.get("numFmtId")): e.get("formatCode", "") for e in root.iter()
             if local(e.tag) == "numFmt"}
    kinds = {}
    xfs = next((e for e in root.iter() if local(e.tag) == "cellXfs"), None)
    for i, xf in enumerate([] if xfs is None else [e for e in xfs if local(e.tag) == "xf"]):
        fid = int(xf.get("numFmtId", "0"))
        code = re.sub(r'"[^"]*"|\[[^]]*\]|\\.', "", codes.get(fid, "")).lower()
        if 14 <= fid <= 17 or 27 <= fid <= 36 or 50 <= fid <= 58 or fid == 22:
            kinds[i] = "date"
        elif "y" in code and not re.search(r"[dmhs]", code):
            kinds[i] = "year"
        elif re.search(r"[ydm]", code):
            kinds[i] = "date"
    return kinds


def serial_date(serial, date1904):
    """An Excel day number -> datetime.date (1904 system: day 0 is 1904-01-01; 1900
    system: day 1 is 1900-01-01, with Excel's 1900-02-29 that never was)."""
    import datetime
    days = int(float(serial))
    if date1904:
        return datetime.date(1904, 1, 1) + datetime.timedelta(days=days)
    return datetime.date(1899, 12, 30 if days >= 61 else 31) + datetime.timedelta(days=days)


def xlsx_rows(path):
    """A workbook's first visible sheet -> list of rows (lists of cell texts)."""
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"{path}: {exc}")
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    date1904 = any(local(e.tag) == "workbookPr" and e.get("date1904") in ("1", "true")
                   for e in wb.iter())
    kinds = date_styles(z)
    sheet = next(e for e in wb.iter() if local(e.tag) == "sheet"
                 and e.get("state", "visible") == "visible")
    rid = next(v for k, v in sheet.attrib.items() if local(k) == "id")
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next(e.get("Target") for e in rels if e.get("Id") == rid)
    part = target[1:] if target.startswith("/") else "xl/" + target
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")):
            texts = []
            for e in si.iter():
                if local(e.tag) == "rPh":
                    break
                if local(e.tag) == "t":
                    texts.append(e.text or "")
            strings.append("".join(texts))
    rows = []
    for row in ET.fromstring(z.read(part)).iter():
        if local(row.tag) != "row":
            continue
        cells = {}
        col = 0
        for c in row:
            if local(c.tag) != "c":
                continue
            if c.get("r"):          # a cell without r= is the one after the last
                col = 0
                for ch in re.match(r"[A-Z]+", c.get("r")).group(0):
                    col = col * 26 + ord(ch) - 64
            else:
                col += 1
            t = c.get("t", "n")
            v = next((e.text or "" for e in c if local(e.tag) == "v"), None)
            kind = kinds.get(int(c.get("s", "-1")))
            if t == "s":
                text = strings[int(v)]
            elif t == "inlineStr":
                text = "".join(e.text or "" for e in c.iter() if local(e.tag) == "t")
            elif t == "d":
                text = (v or "")[:10]
            elif t == "n" and v and kind:
                d = serial_date(v, date1904)
                text = str(d.year) if kind == "year" else d.isoformat()
            else:
                text = v or ""
                if re.fullmatch(r"-?\d+\.0+|-?\d(\.\d+)?E\+\d+", text):
                    text = str(int(float(text)))
            cells[col] = unicodedata.normalize("NFC", text)
        if cells:
            rows.append([cells.get(i, "") for i in range(1, max(cells) + 1)])
    z.close()
    # the header: the first row naming ma_don_vi; a numbering row under it is skipped
    start = next((i for i, r in enumerate(rows)
                  if "ma_don_vi" in (c.strip().lower() for c in r)), 0)
    rows = rows[start:]
    if len(rows) > 1 and all(re.fullmatch(r"\(?%d\)?" % (i + 1), c.strip())
                             for i, c in enumerate(rows[1]) if c.strip()):
        rows = rows[:1] + rows[2:]
    width = len(rows[0]) if rows else 0
    return [r + [""] * (width - len(r)) for r in rows]


def read_export(path):
    """One export file -> (list of row dicts, description)."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        rows, delim, enc, sep_note = xlsx_rows(path), "xlsx", "workbook", ""
    else:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:
            raise InputError(f"{path}: {exc}")
        text, enc = decode(data, path)
        delim, text = split_sep_line(text)
        sep_note = " (sep= line)" if delim else ""
        if delim is None:
            delim = detect_delimiter(text, path)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"{path}: empty")
    header = [h.strip().lower() for h in rows[0]]
    for need in ("ma_don_vi", "nam"):
        if need not in header:
            raise InputError(f"{path}: no column {need}")
    missing = [c for c in NUMERIC if c not in header]
    if missing:
        warn(f"{path}: columns missing (treated as empty): {', '.join(missing)}")
    raw = []
    for lineno, r in enumerate(rows[1:], 2):
        if len(r) != len(header):
            raise InputError(f"{path}: record {lineno}: {len(r)} cells, "
                             f"header has {len(header)}")
        raw.append(dict(zip(header, r)))
    styles = {";": [(",", ".")], ",": [(".", ",")], "xlsx": [(",", "."), (".", ",")],
              "\t": [(",", "."), (".", ",")]}.get(delim, [(",", "."), (".", ",")])
    cells = [(i, c, rec[c]) for i, rec in enumerate(raw)
             for c in NUMERIC + ["nam"] if rec.get(c, "").strip(SPACES + "\t\r\n")]
    chosen = None
    for dec, grp in styles:
        vals = [parse_integer(v, dec, grp) for _, _, v in cells]
        if all(v is not None for v in vals):
            if chosen is not None and chosen[1] != vals:
                raise InputError(f"{path}: numbers read differently with '.' "
                                 f"and ',' as the decimal mark")
            if chosen is None:
                chosen = ((dec, grp), vals)
    if chosen is None:
        for dec, grp in styles[:1]:
            for _, c, v in cells:
                if parse_integer(v, dec, grp) is None:
                    raise InputError(f"{path}: column {c}: {v!r} is not an integer "
                                     f"(decimal mark {dec!r}, grouping {grp!r})")
    (dec, grp), vals = chosen
    out = []
    for rec in raw:
        out.append({"ma_don_vi": rec["ma_don_vi"].strip(),
                    "ten_don_vi": rec.get("ten_don_vi", "").strip(),
                    "file": path})
    for (i, c, _), v in zip(cells, vals):
        out[i][c] = v
    for rec in out:
        for c in NUMERIC:
            rec.setdefault(c, None)
            if rec[c] is not None and rec[c] < 0:
                warn(f"{path}: {rec['ma_don_vi']}: {c} is negative")
        if rec.get("nam") is None:
            raise InputError(f"{path}: {rec['ma_don_vi']}: empty nam")
    dname = {",": "','", ";": "';'", "\t": "TAB", "xlsx": "sheet"}.get(delim, repr(delim))
    return out, f"{enc}, {dname}{sep_note}"


def read_units(path):
    """The units directory -> {code: name}."""
    with open(path, "rb") as f:
        text, _ = decode(f.read(), path)
    delim, text = split_sep_line(text)
    delim = delim or detect_delimiter(text, path)
    rd = csv.DictReader(io.StringIO(text, newline=""), delimiter=delim)
    names = {}
    for rec in rd:
        rec = {(k or "").strip().lower(): (v or "").strip() for k, v in rec.items()}
        code = rec.get("code") or rec.get("ma_don_vi")
        name = rec.get("name") or rec.get("ten_don_vi") or rec.get("ten")
        if code and name:
            names[code] = name
    return names


def records_for(paths, year):
    """Rows of `year` from the files, one per unit."""
    units = {}
    for p in paths:
        rows, desc = read_export(p)
        print(f"# read {p}: {desc}")
        for r in rows:
            if r["nam"] != year:
                continue
            if r["ma_don_vi"] in units:
                first = units[r["ma_don_vi"]]
                if all(first[c] == r[c] for c in NUMERIC):
                    continue            # sent again with the same figures: counted once
                raise InputError(f"{p}: {r['ma_don_vi']} {year} given twice "
                                 f"(also in {first['file']})")
            units[r["ma_don_vi"]] = r
    return units


# ---------------------------------------------------------------- arithmetic

def pct_tenths(num, den):
    """100*num/den in tenths, rounded half away from zero (exact integers)."""
    sign = -1 if (num < 0) != (den < 0) else 1
    num, den = abs(num), abs(den)
    return sign * ((2000 * num + den) // (2 * den))


def fmt_int(n):
    s = str(abs(n))
    parts = []
    while len(s) > 3:
        parts.insert(0, s[-3:])
        s = s[:-3]
    parts.insert(0, s)
    return ("-" if n < 0 else "") + ".".join(parts)


def fmt_pct(tenths):
    t = abs(tenths)
    return f"{'-' if tenths < 0 else ''}{fmt_int(t // 10)},{t % 10} %"


def check_rules(units):
    def le(r, a, b):
        return r[a] is None or r[b] is None or r[a] <= r[b]
    for code, r in units.items():
        for a, b in (("so_dn_co_cdcs", "so_doanh_nghiep"),
                     ("so_dn_cdcs_qhld_hai_hoa", "so_dn_co_cdcs"),
                     ("so_dn_cdcs_co_tuldtt", "so_dn_co_cdcs"),
                     ("so_tuldtt_co_loi_hon", "so_dn_cdcs_co_tuldtt"),
                     ("so_vu_tranh_chap_da_giai_quyet", "so_vu_tranh_chap")):
            if not le(r, a, b):
                warn(f"{code}: {a} ({r[a]}) > {b} ({r[b]})")


def read_targets(path):
    """A profile's targets -> [(id, numerator, denominator, compare, percent text)]."""
    root = ET.parse(path).getroot()
    out = []
    for t in root.iter("target"):
        out.append((t.get("id"), t.get("numerator"), t.get("denominator"), t.get("compare"),
                    t.get("percent")))
    return out


def threshold_words(compare, percent):
    """"trên 85 %", "92,5 %": the threshold as the report words it."""
    p = percent.replace(".", ",")
    if "," in p:
        p = p.rstrip("0").rstrip(",")
    return {"above": "trên ", "below": "dưới ", "at-most": "không quá "}.get(compare, "") + p + " %"


def target_met(num, den, compare, percent):
    r, t = Fraction(100 * num, den), Fraction(percent.replace(",", "."))
    return {"above": r > t, "at-least": r >= t, "below": r < t, "at-most": r <= t}[compare]


def exact_ratio(num, den):
    """100 * num / den as a Fraction, None when it cannot be computed (as vanban: both
    figures given, the denominator not 0)."""
    if num is None or den is None or den == 0:
        return None
    return Fraction(100 * num, den)


def expected_chart(units, names, totals, targets):
    """What Phụ lục II's chart must show: [(code, name, [ratio per target] or None)] for every
    unit (None: sent nothing), and the whole locality's ratios, and the targets' percentages."""
    ratios = [(a, b) for _, a, b, _, _ in targets] if targets is not None else \
        [(a, b) for _, a, b in RATIOS]
    order = list(names) if names else sorted(units)
    groups = []
    for code in order:
        r = units.get(code)
        groups.append((code, names.get(code) or (r["ten_don_vi"] if r else code),
                       [exact_ratio(r[a], r[b]) for a, b in ratios] if r else None))
    total = [exact_ratio(totals.get(a, 0) if totals.get(b) else None, totals.get(b))
             for a, b in ratios]
    lines = [float(Fraction(p.replace(",", "."))) for _, _, _, _, p in targets] if targets else None
    return {"groups": groups, "total": total, "targets": lines}


def expected_figures(units, prev, names, targets=None):
    exp = {"totals": {}, "ratios": {}, "changes": {}, "caveats": {}, "units": [],
           "verdicts": {}, "any_unmet": None}
    for c in NUMERIC:
        vals = [r[c] for r in units.values() if r[c] is not None]
        if vals:
            exp["totals"][c] = sum(vals)
    t = exp["totals"]
    ratios = [(n, a, b) for n, a, b, _, _ in targets] if targets is not None else RATIOS
    for name, num, den in ratios:
        if t.get(den):
            exp["ratios"][name] = pct_tenths(t.get(num, 0), t[den])
        else:
            warn(f"ratio {name}: {den} total is 0 or empty; not checked")
    if targets is not None:
        exp["any_unmet"] = False
        for name, num, den, compare, percent in targets:
            if not t.get(den):
                continue
            ok = target_met(t.get(num, 0), t[den], compare, percent)
            exp["verdicts"][name] = (exp["ratios"][name], threshold_words(compare, percent), ok)
            exp["any_unmet"] |= not ok
    if prev is not None:
        for c in CHANGES:
            # like for like: the units whose cell is filled in both years
            both = [k for k, r in units.items()
                    if r[c] is not None and k in prev and prev[k][c] is not None]
            now = sum(units[k][c] for k in both)
            before = sum(prev[k][c] for k in both)
            if both and before:
                exp["changes"][c] = pct_tenths(now - before, before)
                n_now = sum(1 for r in units.values() if r[c] is not None)
                n_prev = sum(1 for r in prev.values() if r[c] is not None)
                if not (len(both) == n_now == n_prev):
                    exp["caveats"][c] = len(both)
            else:
                warn(f"change {c}: no previous total; not checked")
    for code, r in units.items():
        exp["units"].append({"code": code,
                             "name": names.get(code) or r["ten_don_vi"] or code,
                             "values": {c: r[c] for c in NUMERIC}})
    return exp


# ---------------------------------------------------------------- PDF text

def normalise(text):
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\u00a0\u202f\u2009\u2007\u2002\u2003]", " ", text)
    lines = []
    for line in text.replace("\f", "\n").split("\n"):
        lines.append(re.sub(r"\s+", " ", line).strip())
    return lines


def pdf_text(pdf, mode):
    try:
        p = subprocess.run(["pdftotext", mode, "-enc", "UTF-8", pdf, "-"],
                           capture_output=True)
    except OSError as exc:
        raise InputError(f"cannot run pdftotext: {exc}")
    if p.returncode != 0:
        raise InputError(f"pdftotext {mode} {pdf}: "
                         f"{p.stderr.decode('utf-8', 'replace').strip()}")
    return p.stdout.decode("utf-8", "replace")


def int_re(n):
    return re.compile(r"(?<![\d.,])" + re.escape(fmt_int(n)) + r"(?!\d|[.,]\d)")


def pct_re(tenths):
    s = fmt_pct(abs(tenths))
    return re.compile(r"(?<![\d.,])" + re.escape(s))


def word_re(s):
    return re.compile(r"(?<!\w)" + re.escape(s) + r"(?!\w)")


def name_keys(name, all_names):
    """Search keys for a unit's name, best first."""
    keys = [name]
    words = name.split()
    others = [n for n in all_names if n != name]
    for k in range(len(words) - 1, 1, -1):
        prefix = " ".join(words[:k])
        if not any(o == prefix or o.startswith(prefix + " ") for o in others):
            keys.append(prefix)
    for lp in LEVEL_PREFIXES:
        if name.lower().startswith(lp.lower() + " "):
            short = name[len(lp) + 1:]
            if not any(o.endswith(" " + short) or o == short for o in others):
                keys.append(short)
    return keys


def find_name_lines(lines, name, all_names):
    """(the best key found, every line any key is on): a name stands whole on one line in
    Phụ lục II's chart but may be broken in Phụ lục I's narrow column."""
    best, hits = None, set()
    for key in name_keys(name, all_names):
        rx = word_re(key)
        found = [i for i, l in enumerate(lines) if rx.search(l)]
        if found and best is None:
            best = key
        hits.update(found)
    return best, sorted(hits)


# ------------------------------------------------------------------ checks

def run_checks(exp, layout, raw):
    """-> list of (name, ok, message)."""
    res = []
    both = layout + raw

    def anywhere(rx):
        return any(rx.search(l) for l in both)

    for c, v in exp["totals"].items():
        ok = anywhere(int_re(v))
        res.append((f"total.{c}", ok, f"{fmt_int(v)} not found in the text"))
    joined = " ".join(raw)
    for name, v in exp["ratios"].items():
        # in its sentence: a unit's ratio in Phụ lục II may be the same figure
        rx = re.compile(r"đạt tỷ lệ " + pct_re(v).pattern)
        res.append((f"ratio.{name}", bool(rx.search(joined)),
                    f"\"đạt tỷ lệ {fmt_pct(v)}\" not found in the text"))
    for c, v in exp["changes"].items():
        res.append((f"change.{c}", anywhere(pct_re(v)),
                    f"\"{fmt_pct(abs(v))}\" (change {fmt_pct(v)}) not found"))
    for c, n in exp["caveats"].items():
        v = exp["changes"][c]
        rx = re.compile(re.escape(fmt_pct(abs(v))) + r" so với năm \d{4} \(so sánh trên " +
                        str(n) + r" đơn vị")
        res.append((f"caveat.{c}", bool(rx.search(joined)),
                    f"\"{fmt_pct(abs(v))} so với năm … (so sánh trên {n} đơn vị\" not found"))
    for name, (tenths, words, ok) in exp["verdicts"].items():
        want = f"{fmt_pct(tenths)} (chỉ tiêu {words}), {'đạt' if ok else 'chưa đạt'} chỉ tiêu"
        res.append((f"met.{name}", want in joined, f"\"{want}\" not found"))
    if exp["any_unmet"] is not None:
        said = bool(re.search(r"chỉ tiêu (của [\w ]{1,20} )?chưa đạt", joined))
        res.append(("unmet-sentence", said == exp["any_unmet"],
                    "a sentence on targets not met is " +
                    ("missing" if exp["any_unmet"] else "printed though every target is met")))
    all_names = [u["name"] for u in exp["units"]]
    for u in exp["units"]:
        code, vals = u["code"], u["values"]
        key, hits = find_name_lines(layout, u["name"], all_names)
        if vals["so_doanh_nghiep"] is not None:
            want = [vals[c] for c in ("so_doanh_nghiep", "so_dn_co_cdcs")
                    if vals[c] is not None]
            rxs = [int_re(v) for v in want]
            ok, where = False, ""
            for i in hits:
                if all(rx.search(layout[i]) for rx in rxs):
                    ok, where = True, "same line"
                    break
            if not ok:
                for i in hits:
                    win = layout[max(0, i - 2):i + 3]
                    if all(any(rx.search(l) for l in win) for rx in rxs):
                        ok, where = True, "within 2 lines"
                        break
            msg = (f"name {u['name']!r} not found" if not hits else
                   f"{' and '.join(fmt_int(v) for v in want)} not on the line of "
                   f"{key!r} (lines {', '.join(str(i + 1) for i in hits[:5])})")
            res.append((f"unit.{code}", ok, msg))
        else:
            zero_ok = any(v == 0 for v in vals.values() if v is not None)
            na_tok = re.compile(r"(?:(?<=\s)|^)(?:" + "|".join(
                re.escape(t) for t in NA_TOKENS) + r")(?=\s|$)")
            zero = re.compile(r"(?:(?<=\s)|^)0(?=\s|$)")
            ok, msg = False, (f"name {u['name']!r} not found" if not hits else
                              f"no '-', '–', '—', 'x' or '{NA_PHRASE}' on the row "
                              f"of {key!r}")
            for i in hits:
                for j in [i] + [k for k in (i + 1, i - 1, i + 2, i - 2)
                                if 0 <= k < len(layout)]:
                    line = layout[j]
                    rest = line[word_re(key).search(line).end():] if j == i else line
                    if na_tok.search(rest) or NA_PHRASE in rest.lower():
                        if zero.search(rest) and not zero_ok:
                            msg = f"row of {key!r} shows '0': {line!r}"
                            continue
                        ok = True
                        break
                    if j == i and zero.search(rest) and not zero_ok:
                        msg = f"row of {key!r} shows '0' for an empty cell: {line!r}"
                if ok:
                    break
            res.append((f"unit.{code}.na", ok, msg))
    return res


def chart_checks(want, chart):
    """Checks of the chart read back (chartread.Chart) against the expected one."""
    res = [("chart.read", not chart.problems and bool(chart.groups),
            "; ".join(chart.problems[:3]) or "no group found")]
    if not chart.groups:
        return res

    def bars_ok(group, ratios, label):
        if ratios is None:
            return (not group.rows and group.note is not None,
                    f"{label}: {len(group.rows)} bars, note {group.note!r} (sent nothing: "
                    f"no bars, a note)")
        if len(group.rows) != len(ratios):
            return False, f"{label}: {len(group.rows)} bars for {len(ratios)} targets"
        bad = []
        for i, (row, r) in enumerate(zip(group.rows, ratios)):
            if r is None:
                if row.percent is not None or re.search(r"\d", row.text):
                    bad.append(f"bar {i + 1}: {row.percent} '{row.text}' (no ratio)")
                continue
            tenths = pct_tenths(r.numerator, r.denominator * 100)
            got = row.percent if row.percent is not None else 0.0
            if abs(got - float(r)) > 0.02 or row.text != fmt_pct(tenths):
                bad.append(f"bar {i + 1}: {got:.3f} '{row.text}' (want {float(r):.3f} "
                           f"'{fmt_pct(tenths)}')")
            if want["targets"] and (row.target is None or abs(row.target - want["targets"][i]) > 0.02):
                bad.append(f"bar {i + 1}: target line at {row.target} (want {want['targets'][i]})")
        return not bad, f"{label}: " + "; ".join(bad)

    groups = chart.groups
    for code, name, ratios in want["groups"]:
        g = next((g for g in groups if g.name == name or g.name.endswith(". " + name)), None)
        if g is None:
            res.append((f"chart.{code}", False, f"no group named '{name}'"))
            continue
        ok, msg = bars_ok(g, ratios, name)
        res.append((f"chart.{code}", ok, msg))
    ok, msg = bars_ok(groups[-1], want["total"], f"last group '{groups[-1].name}'")
    res.append(("chart.total", ok, msg))
    return res


def report(res):
    failed = 0
    for name, ok, msg in res:
        if ok:
            print(f"PASS {name}")
        else:
            failed += 1
            print(f"FAIL {name}: {msg}")
    print(f"{len(res) - failed} passed, {failed} failed")
    return failed


def mutations(exp):
    """(label, check name, mutated expectation) with one figure + 1."""
    out = []
    for c in ("so_doanh_nghiep", "tien_phat", "so_luot_nguoi_tap_huan"):
        if c in exp["totals"]:
            m = copy.deepcopy(exp)
            m["totals"][c] += 1
            out.append((f"total {c} + 1", f"total.{c}", m))
    for name in exp["ratios"]:
        m = copy.deepcopy(exp)
        m["ratios"][name] += 1
        out.append((f"ratio {name} + 0,1", f"ratio.{name}", m))
    for name, (tenths, words, ok) in exp["verdicts"].items():
        m = copy.deepcopy(exp)
        m["verdicts"][name] = (tenths, words, not ok)
        out.append((f"verdict {name} flipped", f"met.{name}", m))
    for c, n in exp["caveats"].items():
        m = copy.deepcopy(exp)
        m["caveats"][c] = n + 1
        out.append((f"caveat {c} + 1 unit", f"caveat.{c}", m))
    for c in exp["changes"]:
        m = copy.deepcopy(exp)
        m["changes"][c] += 1 if m["changes"][c] >= 0 else -1
        out.append((f"change {c} + 0,1", f"change.{c}", m))
    if exp.get("chart"):
        for i, (code, name, ratios) in enumerate(exp["chart"]["groups"]):
            k = next((k for k, r in enumerate(ratios or []) if r is not None), None)
            if k is not None:
                m = copy.deepcopy(exp)
                m["chart"]["groups"][i][2][k] += Fraction(1, 20)
                out.append((f"chart {code} ratio {k + 1} + 0,05", f"chart.{code}", m))
                break
        m = copy.deepcopy(exp)
        m["chart"]["groups"][-1] = m["chart"]["groups"][-1][:2] + (None,)
        out.append(("chart: the last unit counted as not reported",
                    f"chart.{exp['chart']['groups'][-1][0]}", m))
    for i, u in enumerate(exp["units"]):
        if u["values"]["so_doanh_nghiep"] is not None:
            m = copy.deepcopy(exp)
            m["units"][i]["values"]["so_doanh_nghiep"] += 1
            out.append((f"{u['code']} so_doanh_nghiep + 1", f"unit.{u['code']}", m))
            break
    return out


def all_checks(exp, layout, raw):
    res = run_checks(exp, layout, raw)
    if exp.get("chart"):
        res += chart_checks(exp["chart"], exp["chart_read"])
    return res


def selftest(exp, layout, raw):
    base = {n: ok for n, ok, _ in all_checks(exp, layout, raw)}
    caught = 0
    muts = mutations(exp)
    for label, check, m in muts:
        if not base.get(check):
            print(f"FAIL selftest {label}: {check} fails already without the "
                  f"mutation; fix the report (or the text) first")
            continue
        res = {n: ok for n, ok, _ in all_checks(m, layout, raw)}
        if res.get(check) is False:
            caught += 1
            print(f"PASS selftest {label}: {check} now fails")
        else:
            print(f"FAIL selftest {label}: {check} still passes")
    print(f"selftest: {caught}/{len(muts)} mutations caught")
    return 0 if muts and caught == len(muts) else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--pdf", help="the rendered report")
    src.add_argument("--text", help="text already extracted from the report "
                     "(used for both the -layout and the -raw checks)")
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--previous-dir",
                    help="folder of the previous year's exports (*.csv)")
    ap.add_argument("--units", help="units directory CSV (code, name)")
    ap.add_argument("--profile", help="the profile whose targets the report measures")
    ap.add_argument("--chart", metavar="ROMAN",
                    help="also read the chart of Phụ lục ROMAN (II) back from the PDF")
    ap.add_argument("--selftest", action="store_true",
                    help="perturb expected figures and assert the checks fail")
    ap.add_argument("files", nargs="+", help="the year's export files")
    args = ap.parse_args(argv)
    try:
        names = read_units(args.units) if args.units else {}
        units = records_for(args.files, args.year)
        if not units:
            raise InputError(f"no row of year {args.year} in the files given")
        check_rules(units)
        prev = None
        if args.previous_dir:
            pfiles = sorted(f for f in glob.glob(os.path.join(args.previous_dir, "*"))
                            if f.lower().endswith((".csv", ".tsv", ".xlsx", ".xlsm")))
            if not pfiles:
                raise InputError(f"{args.previous_dir}: no export")
            prev = records_for(pfiles, args.year - 1)
        targets = read_targets(args.profile) if args.profile else None
        exp = expected_figures(units, prev, names, targets)
        if args.chart:
            if not args.pdf:
                raise InputError("--chart reads the PDF: give --pdf")
            exp["chart"] = expected_chart(units, names, exp["totals"], targets)
            exp["chart_read"] = chartread.read_pdf(args.pdf, args.chart)
        if args.pdf:
            layout = normalise(pdf_text(args.pdf, "-layout"))
            raw = normalise(pdf_text(args.pdf, "-raw"))
        else:
            with open(args.text, encoding="utf-8") as f:
                layout = raw = normalise(f.read())
    except (InputError, OSError, UnicodeDecodeError) as exc:
        print(f"figures: {exc}", file=sys.stderr)
        return 2
    print("# totals: " + ", ".join(f"{c}={fmt_int(v)}"
                                   for c, v in exp["totals"].items()))
    print("# ratios: " + ", ".join(f"{n}={fmt_pct(v)}"
                                   for n, v in exp["ratios"].items()))
    if exp["changes"]:
        print("# changes: " + ", ".join(f"{c}={fmt_pct(v)}"
                                        for c, v in exp["changes"].items()))
    if args.selftest:
        return selftest(exp, layout, raw)
    return 1 if report(all_checks(exp, layout, raw)) else 0


if __name__ == "__main__":
    sys.exit(main())
