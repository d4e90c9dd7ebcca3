#!/usr/bin/env python3
"""gen_exports_dak_lak.py - write Đắk Lắk's sample units directory and exports.

Usage:
    python3 tests/gen_exports_dak_lak.py [SAMPLES_DIR]      (default: samples)

Writes SAMPLES_DIR/units-dak-lak.csv (the province's 15 district-level units, as
the Đắk Lắk People's Committee lists them: Buôn Ma Thuột city, Buôn Hồ town and
13 districts) and SAMPLES_DIR/exports-dak-lak/{2023,2024}/: one export per unit
and year, as units really send them.  2023: every unit, plain UTF-8 CSV.  2024:
fourteen units (Huyện Lắk sent nothing), in every form vanban reads:

  dl-bmt.xlsx   a workbook as Excel writes it: shared strings (one with rich text
                runs), two title rows merged across the sheet above the header,
                a date column (a serial number with a date format), a count typed
                as text ("1.234"), numbers with a general format
  dl-bh.xlsx    a workbook made by LibreOffice Calc (soffice --convert-to xlsx,
                from dl-bh.fods here): a two-row header, its group titles merged
                over the columns they cover, and a row numbering the columns
  dl-kp.xlsx    a workbook as streaming writers (Apache POI's SXSSF) write it:
                inline strings, no shared strings, no styles part
  dl-bd.csv     UTF-8 with BOM, CR LF            dl-ck.csv   Windows-1258, ';', 1.234
  dl-cmg.csv    TCVN3, ','                       dl-ehl.csv  UTF-8, tab
  dl-ek.csv     UTF-8, Excel's "sep=;" line      dl-es.csv   UTF-16 LE with BOM, tab
                                                             (Excel's "Unicode Text")
  and UTF-8 ',' for the others.

The figures are invented (drawn from a seeded RNG, so every run writes the same
bytes, but for LibreOffice's workbook, which is committed as LibreOffice made
it): the first seed whose 2024 province totals meet the four targets of
samples/profiles/dak-lak.xml while some units do not, whose like-for-like
change (the 14 units that reported both years) and naive change differ by more
than a point, and where no ratio or change sits on a rounding tie.

Python 3 standard library (zipfile for the workbooks); iconv for TCVN3;
LibreOffice only to remake dl-bh.xlsx (kept as committed when soffice is not
installed).
"""

import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_exports as ge  # noqa: E402  (render, encodings, the contract's columns)

SEED = 1182
COLUMNS = ge.COLUMNS
NUMERIC = ge.NUMERIC

UNITS = [  # code, name, level, (min, max) enterprises in 2024
    ("DL-BMT", "Thành phố Buôn Ma Thuột", "thanh_pho", (1900, 2300)),
    ("DL-BH", "Thị xã Buôn Hồ", "thi_xa", (160, 230)),
    ("DL-BD", "Huyện Buôn Đôn", "huyen", (60, 110)),
    ("DL-CK", "Huyện Cư Kuin", "huyen", (150, 220)),
    ("DL-CMG", "Huyện Cư M'gar", "huyen", (200, 290)),
    ("DL-EHL", "Huyện Ea H'leo", "huyen", (140, 210)),
    ("DL-EK", "Huyện Ea Kar", "huyen", (220, 320)),
    ("DL-ES", "Huyện Ea Súp", "huyen", (70, 120)),
    ("DL-KA", "Huyện Krông Ana", "huyen", (120, 180)),
    ("DL-KBO", "Huyện Krông Bông", "huyen", (80, 130)),
    ("DL-KBU", "Huyện Krông Búk", "huyen", (90, 140)),
    ("DL-KN", "Huyện Krông Năng", "huyen", (130, 190)),
    ("DL-KP", "Huyện Krông Pắc", "huyen", (260, 360)),
    ("DL-LK", "Huyện Lắk", "huyen", (70, 110)),
    ("DL-MD", "Huyện M'Đrắk", "huyen", (60, 100)),
]
MISSING_2024 = "DL-LK"
# 2024's file forms (code: kind, options); the rest plain UTF-8 ','
FORMS = {
    "DL-BMT": ("xlsx-excel", {}),
    "DL-BH": ("xlsx-libreoffice", {}),
    "DL-KP": ("xlsx-inline", {}),
    "DL-BD": ("csv", dict(enc="utf-8", bom=True, delim=",", eol="\r\n")),
    "DL-CK": ("csv", dict(enc="cp1258", delim=";", group=".", eol="\r\n")),
    "DL-CMG": ("csv", dict(enc="tcvn3", delim=",")),
    "DL-EHL": ("csv", dict(enc="utf-8", delim="\t")),
    "DL-EK": ("csv", dict(enc="utf-8", sep_line=True, delim=";", group=".")),
    "DL-ES": ("utf16", dict(delim="\t")),
}
NOTES = {
    "DL-BMT": "Số liệu doanh nghiệp theo Cục Thống kê tỉnh đến 30/9/2024",
    "DL-CMG": "Đối thoại định kỳ tại các doanh nghiệp cà phê, cao su",
    "DL-EK": "Hòa giải viên được kiện toàn theo Quyết định của UBND huyện",
    "DL-KP": "Tập huấn cho người lao động tại các khu, cụm công nghiệp",
    "DL-ES": "Địa bàn rộng; tuyên truyền lưu động tại các xã biên giới",
}
TARGETS = [  # numerator, denominator, compare, percent (as in the profile)
    ("so_dn_cdcs_qhld_hai_hoa", "so_dn_co_cdcs", "above", 80),
    ("so_dn_cdcs_co_tuldtt", "so_dn_co_cdcs", "at-least", 90),
    ("so_tuldtt_co_loi_hon", "so_dn_cdcs_co_tuldtt", "at-least", 60),
    ("so_vu_tranh_chap_da_giai_quyet", "so_vu_tranh_chap", "at-least", 92.5),
]


def met(num, den, compare, percent):
    """Exactly: 100*num/den against percent (up to one decimal here)."""
    left, right = num * 1000, int(round(percent * 10)) * den
    return left > right if compare == "above" else left >= right


def draw(rng, span):
    n = rng.randint(*span)
    union = max(3, round(n * rng.uniform(0.18, 0.34)))
    r = {"so_doanh_nghiep": n, "so_dn_co_cdcs": union}
    r["so_dn_cdcs_qhld_hai_hoa"] = min(union, round(union * rng.uniform(0.74, 0.95)))
    r["so_dn_cdcs_co_tuldtt"] = min(union, round(union * rng.uniform(0.84, 0.99)))
    r["so_tuldtt_co_loi_hon"] = round(r["so_dn_cdcs_co_tuldtt"] * rng.uniform(0.52, 0.76))
    r["so_cuoc_doi_thoai"] = rng.randint(max(3, union // 3), max(8, union))
    disputes = rng.randint(2, 14)
    r["so_vu_tranh_chap"] = disputes
    r["so_vu_tranh_chap_da_giai_quyet"] = max(0, disputes - rng.choice([0, 0, 0, 0, 0, 1, 1, 2]))
    strikes = rng.choice([0, 0, 0, 1, 1, 2]) if n > 250 else 0
    r["so_cuoc_ngung_viec"] = strikes
    r["so_nguoi_ngung_viec"] = sum(rng.randint(30, 420) for _ in range(strikes))
    insp = rng.randint(3, 18)
    r["so_cuoc_thanh_tra_kiem_tra"] = insp
    viol = rng.randint(0, min(insp, 9))
    r["so_vu_vi_pham_xu_ly"] = viol
    r["tien_phat"] = sum(rng.randint(6, 60) * 500_000 for _ in range(viol))
    r["so_hoa_giai_vien"] = rng.randint(4, 16)
    r["so_lop_tap_huan"] = rng.randint(2, 12)
    r["so_luot_nguoi_tap_huan"] = rng.randint(150, 2400)
    r["so_cuoc_tuyen_truyen"] = rng.randint(8, 70)
    return r


def totals(rows, codes=None):
    t = {}
    for k in NUMERIC:
        vals = [r[k] for r in rows if r[k] is not None and (codes is None or r["ma_don_vi"] in codes)]
        t[k] = sum(vals)
    return t


def acceptable(cur, prev):
    t = totals(cur)
    if not all(ge.check_rules(r) for r in cur + prev):
        return False
    for num, den, cmp, pct in TARGETS:
        if not met(t[num], t[den], cmp, pct) or ge.is_tie(t[num], t[den]):
            return False
    # some units below a target (the chart shows who lags)
    lagging = sum(1 for r in cur for num, den, cmp, pct in TARGETS
                  if r[den] and not met(r[num], r[den], cmp, pct))
    if lagging < 4:
        return False
    both = {r["ma_don_vi"] for r in cur}
    p_all, p_both = totals(prev), totals(prev, both)
    for k in ("so_doanh_nghiep", "so_dn_co_cdcs"):
        naive = (t[k] - p_all[k]) / p_all[k]
        lfl = (t[k] - p_both[k]) / p_both[k]
        if abs(naive - lfl) < 0.01 or ge.is_tie(t[k] - p_all[k], p_all[k]) or \
                ge.is_tie(t[k] - p_both[k], p_both[k]):
            return False
    return True


def generate():
    seed = SEED
    while True:
        rng = random.Random(seed)
        prev, cur = [], []
        for code, name, level, span in UNITS:
            c = draw(rng, span)
            p = ge.previous_year(rng, c)        # the year before: a little lower
            p.update(ma_don_vi=code, ten_don_vi=name, nam=2023, ghi_chu="")
            prev.append(p)
            if code == MISSING_2024:
                continue
            c.update(ma_don_vi=code, ten_don_vi=name, nam=2024, ghi_chu=NOTES.get(code, ""))
            cur.append(c)
        if acceptable(cur, prev):
            return seed, cur, prev
        seed += 1


# ---------------------------------------------------------------- workbooks

ZIP_DATE = (2024, 10, 30, 9, 0, 0)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def col_letters(c):
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def write_zip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def content_types(shared, styles):
    o = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>']
    if styles:
        o.append('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>')
    if shared:
        o.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    o.append('</Types>')
    return "".join(o)


ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>')


def workbook(sheet_name):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/>'
            '<workbookPr defaultThemeVersion="166925"/>'
            '<bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840"/></bookViews>'
            f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
            '<calcPr calcId="191029"/></workbook>')


def workbook_rels(shared, styles):
    o = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>']
    if styles:
        o.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    if shared:
        o.append('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
    o.append('</Relationships>')
    return "".join(o)


# cellXfs: 0 general, 1 bold (titles), 2 date dd/mm/yyyy (numFmt 164), 3 '#,##0'
EXCEL_STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                f'<styleSheet xmlns="{MAIN_NS}">'
                '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>'
                '<fonts count="2"><font><sz val="11"/><name val="Times New Roman"/></font>'
                '<font><b/><sz val="13"/><name val="Times New Roman"/></font></fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center"/></xf>'
                '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>')


class Shared:
    def __init__(self):
        self.items, self.index = [], {}

    def add(self, text, rich=None):
        key = rich or text
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append((text, rich))
        return self.index[key]

    def xml(self):
        o = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
             f'<sst xmlns="{MAIN_NS}" count="{len(self.items)}" uniqueCount="{len(self.items)}">']
        for text, rich in self.items:
            if rich:
                o.append("<si>" + rich + "</si>")
            else:
                sp = ' xml:space="preserve"' if text != text.strip() else ""
                o.append(f"<si><t{sp}>{escape(text)}</t></si>")
        o.append("</sst>")
        return "".join(o)


def excel_workbook(path, row):
    """dl-bmt.xlsx: as Excel 2016 writes a unit's export."""
    sst = Shared()
    cols = COLUMNS[:-1] + ["ngay_bao_cao", "ghi_chu"]
    ncols = len(cols)
    rows = []
    # two title rows, merged across the sheet
    rows.append((1, [(1, "s", sst.add("ỦY BAN NHÂN DÂN THÀNH PHỐ BUÔN MA THUỘT"), 1)]))
    rows.append((2, [(1, "s", sst.add("BÁO CÁO SỐ LIỆU QUAN HỆ LAO ĐỘNG NĂM 2024"), 1)]))
    rows.append((4, [(i + 1, "s", sst.add(c), 0) for i, c in enumerate(cols)]))
    cells = []
    for i, c in enumerate(cols):
        ci = i + 1
        if c == "ma_don_vi" or c == "ten_don_vi":
            cells.append((ci, "s", sst.add(row[c]), 0))
        elif c == "nam":
            cells.append((ci, "n", "2024", 0))
        elif c == "ngay_bao_cao":
            cells.append((ci, "n", "45595", 2))          # 30/10/2024
        elif c == "ghi_chu":
            rich = ('<r><rPr><b/><sz val="11"/><rFont val="Times New Roman"/></rPr><t>Số liệu</t></r>'
                    '<r><rPr><sz val="11"/><rFont val="Times New Roman"/></rPr>'
                    f'<t xml:space="preserve">{escape(row[c][len("Số liệu"):])}</t></r>')
            cells.append((ci, "s", sst.add(row[c], rich), 0))
        elif c == "so_luot_nguoi_tap_huan":
            cells.append((ci, "s", sst.add(ge.group(row[c], ".")), 0))   # a count typed as text
        elif row[c] is None:
            continue
        else:
            cells.append((ci, "n", str(row[c]), 3 if row[c] >= 1000 else 0))
    rows.append((5, cells))
    o = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
         f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
         f'<dimension ref="A1:{col_letters(ncols)}5"/>'
         '<sheetViews><sheetView tabSelected="1" workbookViewId="0"><selection activeCell="A5" sqref="A5"/></sheetView></sheetViews>'
         '<sheetFormatPr defaultRowHeight="15"/>'
         f'<cols><col min="1" max="{ncols}" width="14.7109375" customWidth="1"/></cols><sheetData>']
    for r, cs in rows:
        o.append(f'<row r="{r}" spans="1:{ncols}">')
        for ci, t, v, s in cs:
            ref = f"{col_letters(ci)}{r}"
            sattr = f' s="{s}"' if s else ""
            tattr = f' t="{t}"' if t == "s" else ""
            o.append(f'<c r="{ref}"{sattr}{tattr}><v>{v}</v></c>')
        o.append("</row>")
    o.append("</sheetData>")
    o.append(f'<mergeCells count="2"><mergeCell ref="A1:{col_letters(ncols)}1"/>'
             f'<mergeCell ref="A2:{col_letters(ncols)}2"/></mergeCells>')
    o.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    write_zip(path, [
        ("[Content_Types].xml", content_types(True, True)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook("Báo cáo 2024")),
        ("xl/_rels/workbook.xml.rels", workbook_rels(True, True)),
        ("xl/styles.xml", EXCEL_STYLES),
        ("xl/sharedStrings.xml", sst.xml()),
        ("xl/worksheets/sheet1.xml", "".join(o)),
    ])


def inline_workbook(path, row):
    """dl-kp.xlsx: inline strings, no shared strings or styles (a streaming writer)."""
    o = ['<?xml version="1.0" encoding="UTF-8"?>\n'
         f'<worksheet xmlns="{MAIN_NS}"><sheetData>']
    for r, values in ((1, COLUMNS), (2, [row[c] for c in COLUMNS])):
        o.append(f'<row r="{r}">')
        for i, v in enumerate(values):
            ref = f"{col_letters(i + 1)}{r}"
            if v is None or v == "":
                continue
            if isinstance(v, int):
                o.append(f'<c r="{ref}" t="n"><v>{v}</v></c>')
            else:
                o.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        o.append("</row>")
    o.append("</sheetData></worksheet>")
    write_zip(path, [
        ("[Content_Types].xml", content_types(False, False)),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook("Sheet1")),
        ("xl/_rels/workbook.xml.rels", workbook_rels(False, False)),
        ("xl/worksheets/sheet1.xml", "".join(o)),
    ])


GROUPS = [  # a group title merged over columns (first column name, how many)
    ("Đơn vị", "ma_don_vi", 3),
    ("Doanh nghiệp và công đoàn", "so_doanh_nghiep", 5),
    ("Đối thoại, tranh chấp, ngừng việc", "so_cuoc_doi_thoai", 5),
    ("Thanh tra, kiểm tra", "so_cuoc_thanh_tra_kiem_tra", 3),
    ("Hòa giải, tập huấn, tuyên truyền", "so_hoa_giai_vien", 4),
]


def fods(row):
    """A flat OpenDocument spreadsheet: the group titles merged over their columns, the
    column names under them, a row numbering the columns, the unit's row."""
    def cell(v, span=None):
        a = f' table:number-columns-spanned="{span}" table:number-rows-spanned="1"' if span else ""
        if v is None or v == "":
            return f"<table:table-cell{a}/>"
        if isinstance(v, int):
            return (f'<table:table-cell office:value-type="float" office:value="{v}"{a}>'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"{a}><text:p>{escape(str(v))}'
                "</text:p></table:table-cell>")
    rows = []
    g = []
    for title, first, span in GROUPS:
        g.append(cell(title, span) + "<table:covered-table-cell/>" * (span - 1))
    g.append(cell("Ghi chú"))
    rows.append("".join(g))
    rows.append("".join(cell(c) for c in COLUMNS))
    rows.append("".join(cell(f"({i + 1})") for i in range(len(COLUMNS))))
    rows.append("".join(cell(row[c]) for c in COLUMNS))
    body = "".join(f"<table:table-row>{r}</table:table-row>" for r in rows)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
            '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
            f"{body}</table:table></office:spreadsheet></office:body></office:document>")


def libreoffice_workbook(path, row):
    soffice = shutil.which("soffice")
    if not soffice:
        print(f"note: soffice not installed: {path} kept as committed", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "dl-bh.fods")
        with open(src, "w", encoding="utf-8") as f:
            f.write(fods(row))
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", tmp, src],
                       check=True, capture_output=True)
        shutil.copyfile(os.path.join(tmp, "dl-bh.xlsx"), path)


def main(argv):
    samples = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "samples")
    seed, cur, prev = generate()
    with open(os.path.join(samples, "units-dak-lak.csv"), "w", encoding="utf-8") as f:
        f.write("code,name,level,order\n")
        for i, (code, name, level, _) in enumerate(UNITS, 1):
            f.write(f"{code},{name},{level},{i}\n")
    base = os.path.join(samples, "exports-dak-lak")
    for year, rows, forms in (("2023", prev, {}), ("2024", cur, FORMS)):
        d = os.path.join(base, year)
        os.makedirs(d, exist_ok=True)
        for r in rows:
            kind, opts = forms.get(r["ma_don_vi"], ("csv", {}))
            stem = os.path.join(d, r["ma_don_vi"].lower())
            if kind == "xlsx-excel":
                excel_workbook(stem + ".xlsx", r)
            elif kind == "xlsx-inline":
                inline_workbook(stem + ".xlsx", r)
            elif kind == "xlsx-libreoffice":
                libreoffice_workbook(stem + ".xlsx", r)
            elif kind == "utf16":
                text = ge.render(r, dict(opts, enc="utf-8")).decode("utf-8")
                with open(stem + ".csv", "wb") as f:
                    f.write(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
            else:
                with open(stem + ".csv", "wb") as f:
                    f.write(ge.render(r, opts))
    t = totals(cur)
    print(f"seed {seed}; 2024 totals: " + ", ".join(f"{k}={t[k]}" for k in NUMERIC),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
