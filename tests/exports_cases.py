#!/usr/bin/env python3
"""exports_cases.py - write the exports of tests/exports.test: workbooks and CSV files as
units send them, each odd or broken in one way.

Usage:
    python3 tests/exports_cases.py OUTDIR

Writes, for each case below, OUTDIR/NAME.EXT (the export: .xlsx, .csv or .xls) and
OUTDIR/NAME.expected: "exit N" and then the exact messages of

    vanban check --units samples/units.csv NAME.EXT

with FILE standing for the export's path.  Every case is one unit's export of 2023 (a row
of samples/units.csv); a case that must read right has "exit 0" and its unit's figures are
also in OUTDIR/good/ (a link), which tests/exports.test consolidates and tests/figures.py
recomputes.  Workbooks are made here with zipfile, part by part, as Excel, LibreOffice or
a careless generator lays them out.
"""

import os
import sys
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
HEADER = ["ma_don_vi", "ten_don_vi", "nam", "so_doanh_nghiep", "so_dn_co_cdcs",
          "so_dn_cdcs_qhld_hai_hoa", "so_dn_cdcs_co_tuldtt", "so_tuldtt_co_loi_hon",
          "so_cuoc_doi_thoai", "so_vu_tranh_chap", "so_vu_tranh_chap_da_giai_quyet",
          "so_cuoc_ngung_viec", "so_nguoi_ngung_viec", "so_cuoc_thanh_tra_kiem_tra",
          "so_vu_vi_pham_xu_ly", "tien_phat", "so_hoa_giai_vien", "so_lop_tap_huan",
          "so_luot_nguoi_tap_huan", "so_cuoc_tuyen_truyen", "ghi_chu"]
# the units of samples/units.csv, each case takes one (a good case its own, so the good
# folder has each unit once)
UNITS = [("ST-TP", "Thành phố Sóc Trăng"), ("ST-VC", "Thị xã Vĩnh Châu"),
         ("ST-NN", "Thị xã Ngã Năm"), ("ST-CT", "Huyện Châu Thành"), ("ST-KS", "Huyện Kế Sách"),
         ("ST-MT", "Huyện Mỹ Tú"), ("ST-CLD", "Huyện Cù Lao Dung"),
         ("ST-LP", "Huyện Long Phú"), ("ST-MX", "Huyện Mỹ Xuyên"),
         ("ST-TT", "Huyện Thạnh Trị"), ("ST-TD", "Huyện Trần Đề"),
         ("ST-BQLKCN", "Ban Quản lý các Khu công nghiệp tỉnh"),
         ("ST-LDLD", "Liên đoàn Lao động tỉnh")]


def figures(k):
    """A unit's 2023 figures (parts never above their whole), different for each k."""
    dn = 300 + 37 * k
    cd = dn * 4 // 5
    hh = cd * 9 // 10
    tu = cd * 17 // 20
    lh = tu * 7 // 10
    disputes = 3 + k % 4
    return [dn, cd, hh, tu, lh, 10 + k, disputes, disputes - k % 2, k % 2, 40 * (k % 2),
            5 + k, 2 + k % 3, 1_250_000 * (k + 1), 3 + k % 5, 4 + k, 250 + 11 * k, 12 + k]


def row(k, year=2023, note=None):
    code, name = UNITS[k]
    r = [code, name, year] + figures(k) + [note]
    r[12] = r[12] if r[11] else None            # no strike: no strikers (not applicable)
    return r


def letters(c):
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_xml(ref, v, with_ref=True):
    """A cell: str (inline string), int/float (number), None (no cell), or raw XML with REF
    standing for the reference."""
    at = f' r="{ref}"' if with_ref else ""
    if v is None:
        return ""
    if isinstance(v, tuple):
        return v[0].replace(' r="REF"', at).replace("REF", ref)
    if isinstance(v, (int, float)):
        return f"<c{at}><v>{v}</v></c>"
    return f'<c{at} t="inlineStr"><is><t>{escape(v)}</t></is></c>'


def sheet_xml(rows, ns=MAIN, extra="", with_refs=True, prolog='<?xml version="1.0" '
              'encoding="UTF-8" standalone="yes"?>', before=""):
    """rows: list of (row number, [values]); with_refs False leaves out every r= (Excel's
    streaming writers do)."""
    o = [prolog, before, f'<worksheet xmlns="{ns}" xmlns:r="{REL}"><sheetData>']
    for r, values in rows:
        o.append(f'<row r="{r}">' if with_refs else "<row>")
        for i, v in enumerate(values):
            o.append(cell_xml(f"{letters(i + 1)}{r}", v, with_refs))
        o.append("</row>")
    o.append("</sheetData>" + extra + "</worksheet>")
    return "".join(o)


def book(path, sheets, shared=None, styles=None, workbook_pr="", ns=MAIN, rel_ns=REL,
         absolute=False, extra_parts=(), content_types=True):
    """sheets: list of (name, xml, state); shared: list of <si> inner XML strings."""
    wb = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          f'<workbook xmlns="{ns}" xmlns:r="{rel_ns}">{workbook_pr}<sheets>']
    rels = [f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">']
    parts = []
    for i, (name, xml, state) in enumerate(sheets, 1):
        st = f' state="{state}"' if state else ""
        wb.append(f'<sheet name="{escape(name)}" sheetId="{i}"{st} r:id="rId{i}"/>')
        target = f"/xl/worksheets/sheet{i}.xml" if absolute else f"worksheets/sheet{i}.xml"
        rels.append(f'<Relationship Id="rId{i}" Type="{rel_ns}/worksheet" Target="{target}"/>')
        parts.append((f"xl/worksheets/sheet{i}.xml", xml))
    wb.append("</sheets></workbook>")
    rels.append("</Relationships>")
    parts = [("xl/workbook.xml", "".join(wb)), ("xl/_rels/workbook.xml.rels", "".join(rels))] + parts
    if content_types:
        parts.insert(0, ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>'))
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                      f'<sst xmlns="{ns}" count="{len(shared)}" uniqueCount="{len(shared)}">'
                      + "".join(f"<si>{s}</si>" for s in shared) + "</sst>"))
    if styles is not None:
        parts.append(("xl/styles.xml", styles))
    streamed = [p for p in extra_parts if len(p) == 5]
    parts.extend(p for p in extra_parts if len(p) == 2)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n, d in parts:
            if any(s[0] == n for s in streamed):
                continue
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), d,
                       compress_type=zipfile.ZIP_DEFLATED)
        for n, prefix, chunk, count, suffix in streamed:
            # a large part written in chunks (a zip bomb: megabytes in, gigabytes out)
            with z.open(n, "w", force_zip64=True) as f:
                f.write(prefix.encode())
                block = chunk.encode() * ((1 << 20) // len(chunk))
                for _ in range(count):
                    f.write(block)
                f.write(suffix.encode())


def styles_xml(formats):
    """formats: list of (numFmtId, formatCode or None) for cellXfs 0, 1, 2 …"""
    custom = [(i, c) for i, c in formats if c]
    nf = ("<numFmts>" + "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(c)}"/>'
                                for i, c in custom) + "</numFmts>") if custom else ""
    xfs = "".join(f'<xf numFmtId="{i}"/>' for i, _ in formats)
    return (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">{nf}'
            f'<cellXfs count="{len(formats)}">{xfs}</cellXfs></styleSheet>')


def simple(path, k, **kw):
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, row(k))]), None)], **kw)


CASES = {}


def case(name, ext, expected, good=False):
    def wrap(fn):
        CASES[name] = (ext, fn, expected, good)
        return fn
    return wrap


# ---- workbooks that must read right

@case("rich-text-shared-strings", "xlsx", "exit 0\n", good=True)
def _(path):
    # every text a shared string; the name in rich-text runs (bold "Thành phố", a phonetic
    # run that is not text), the header too
    r = row(0)
    texts = []

    def si(s):
        texts.append(s)
        return (f'<c r="REF" t="s"><v>{len(texts) - 1}</v></c>',)
    cells = [si(f"<t>{h}</t>") for h in HEADER]
    values = [si('<r><rPr><b/></rPr><t xml:space="preserve">Thành phố </t></r>'
                 '<r><t>Sóc Trăng</t></r><rPh sb="0" eb="1"><t>ソク</t></rPh>')
              if i == 1 else si(f"<t>{v}</t>") if isinstance(v, str) else v
              for i, v in enumerate(r)]
    values[0] = si("<r><t>ST-</t></r><r><t>TP</t></r>")
    book(path, [("Sheet1", sheet_xml([(1, cells), (2, values)]), None)], shared=texts)


@case("inline-strings-no-refs", "xlsx", "exit 0\n", good=True)
def _(path):
    # a streaming writer's sheet: inline strings, no r= on rows or cells, the sheet's part
    # named by an absolute path in the relationships, no [Content_Types].xml
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, row(1))], with_refs=False), None)],
         absolute=True, content_types=False)


@case("numbers-as-text", "xlsx", "exit 0\n", good=True)
def _(path):
    # counts typed as text, with grouping and spaces; the fine as "2.500.000"; the year as
    # text
    r = row(2)
    r[2] = "2023"
    r[3] = f" {r[3]} "
    r[15] = f"{r[15]:,}".replace(",", ".")
    r[18] = str(r[18])
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)])


@case("date-1904-year-serial", "xlsx", "exit 0\n", good=True)
def _(path):
    # the 1904 date system (Excel for Mac): nam a date serial shown as "yyyy", the report
    # date in an extra column as a date; in the 1900 system the year would read 2027
    r = row(3)
    serial_1904 = 45291 - 1462              # 2023-12-31 in the 1904 system
    r[2] = (f'<c r="REF" s="1"><v>{serial_1904}</v></c>',)
    hdr = HEADER + ["ngay_bao_cao"]
    r = r + [(f'<c r="REF" s="2"><v>{45235 - 1462}</v></c>',)]   # 2023-11-05
    book(path, [("Sheet1", sheet_xml([(1, hdr), (2, r)]), None)],
         workbook_pr='<workbookPr date1904="1"/>',
         styles=styles_xml([(0, None), (164, "yyyy"), (14, None)]))


@case("formulas-cached", "xlsx", "exit 0\n", good=True)
def _(path):
    # figures computed by formulas, with the results Excel saved beside them; a text
    # formula (t="str")
    r = row(4)
    r[1] = (f'<c r="REF" t="str"><f>"Huyện "&amp;"Kế Sách"</f><v>{r[1]}</v></c>',)
    r[3] = (f'<c r="REF"><f>SUM(Y2:Z2)</f><v>{r[3]}</v></c>',)
    r[4] = (f'<c r="REF"><f>D2*0.8</f><v>{r[4]}.0</v></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)])


@case("merged-header-title-rows", "xlsx", "exit 0\n", good=True)
def _(path):
    # two title rows, a header split over two rows with group titles merged across columns,
    # a row numbering the columns, then the data
    group = [None] * len(HEADER)
    group[3] = "Doanh nghiệp"
    group[9] = "Tranh chấp"
    numbering = [f"({i + 1})" for i in range(len(HEADER))]
    merges = '<mergeCells count="3"><mergeCell ref="A1:U1"/><mergeCell ref="D3:H3"/>' \
             '<mergeCell ref="J3:K3"/></mergeCells>'
    book(path, [("Sheet1", sheet_xml([(1, ["BÁO CÁO KẾT QUẢ NĂM 2023"]), (2, [UNITS[5][1]]),
                                       (3, group), (4, HEADER), (5, numbering), (6, row(5))],
                                      extra=merges), None)])


@case("hidden-first-sheet", "xlsx", "exit 0\n", good=True)
def _(path):
    # the first sheet is hidden (last year's draft): the first visible one is read
    old = row(6, year=2022)
    book(path, [("Nháp", sheet_xml([(1, HEADER), (2, old)]), "hidden"),
                ("Báo cáo", sheet_xml([(1, HEADER), (2, row(6))]), None)])


@case("strict-ooxml", "xlsx", "exit 0\n", good=True)
def _(path):
    # ISO 29500 strict: other namespaces, dates as ISO text (t="d")
    r = row(8)
    book(path, [("Sheet1", sheet_xml([(1, HEADER + ["ngay_bao_cao"]),
                                       (2, r + [('<c r="REF" t="d"><v>2023-11-05T00:00:00</v></c>',)])],
                                      ns=STRICT_MAIN), None)], ns=STRICT_MAIN, rel_ns=STRICT_REL)


@case("last-row-of-the-sheet", "xlsx", "exit 0\n", good=True)
def _(path):
    # the header on row 1048575 and the data on Excel's last row
    book(path, [("Sheet1", sheet_xml([(1048575, HEADER), (1048576, row(9))]), None)])


# ---- workbooks that must be refused, at the cell or the part at fault

@case("error-cells", "xlsx", """exit 1
FILE:Sheet1!D2: error: so_doanh_nghiep: the cell shows Excel's error #N/A (a formula that failed): correct the formula or type the figure
FILE:Sheet1!E2: error: so_dn_co_cdcs: the cell shows Excel's error #DIV/0! (a formula that failed): correct the formula or type the figure
""")
def _(path):
    r = row(0)
    r[3] = ('<c r="REF" t="e"><f>VLOOKUP(A2,X:Y,2,0)</f><v>#N/A</v></c>',)
    r[4] = ('<c r="REF" t="e"><v>#DIV/0!</v></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)])


@case("formula-not-computed", "xlsx", """exit 1
FILE:Sheet1!D2: error: the cell holds a formula (=SUM(D5:D9)) whose result was never saved: open the workbook in Excel or LibreOffice and save it again, or type the value
""")
def _(path):
    r = row(1)
    r[3] = ('<c r="REF"><f>SUM(D5:D9)</f></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)])


@case("shared-formula-not-computed", "xlsx", """exit 1
FILE:Sheet1!E2: error: the cell holds a formula whose result was never saved: open the workbook in Excel or LibreOffice and save it again, or type the value
""")
def _(path):
    # a formula shared from the cell before it (<f t="shared" si="0"/>), never computed
    r = row(1)
    r[3] = ('<c r="REF"><f t="shared" ref="D2:E2" si="0">B9*2</f><v>10</v></c>',)
    r[4] = ('<c r="REF"><f t="shared" si="0"/></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)])


@case("row-past-the-last", "xlsx", """exit 1
FILE:Sheet1!A1048577: error: the workbook is damaged: row 1048577 is past Excel's last row, 1048576; open it in Excel or LibreOffice and save it again
""")
def _(path):
    # a row beyond Excel's 1048576
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (1048577, row(4))]), None)])


@case("ods-named-xlsx", "xlsx", """exit 1
FILE: error: not an Excel workbook: the file is a zip archive without xl/workbook.xml (save it from Excel or LibreOffice as .xlsx, or as CSV)
""")
def _(path):
    # a LibreOffice Calc spreadsheet (.ods) renamed .xlsx
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")


@case("duplicate-cell", "xlsx", """exit 1
FILE:Sheet1!D2: error: the workbook is damaged: cell D2 is written twice in the sheet (640, then 9999); open it in Excel or LibreOffice and save it again
""")
def _(path):
    r = row(4)
    r[3] = ('<c r="REF"><v>640</v></c><c r="REF"><v>9999</v></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)])


@case("row-written-twice", "xlsx", """exit 1
FILE:Sheet1!A2: error: the workbook is damaged: row 2 comes after row 2 in the sheet (rows repeated or out of order); open it in Excel or LibreOffice and save it again
""")
def _(path):
    xml = sheet_xml([(1, HEADER), (2, row(4)), (2, row(4, note="lần hai"))])
    book(path, [("Sheet1", xml, None)])


@case("column-16384", "xlsx", """exit 1
FILE:Sheet1!XFD2: error: this cell has a value but its column has no name in the header (the header ends at column 21): name the column or leave its cells empty
""")
def _(path):
    r = row(4) + [None] * (16384 - len(HEADER) - 1) + ["thừa"]
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)])


@case("sixteen-thousand-columns", "xlsx", """exit 1
FILE:Sheet1!ALM1: error: row has more than 1000 cells, the limit for one row (raise it with --max-columns): this cell is one too many
""")
def _(path):
    hdr = HEADER + [f"cot_{i}" for i in range(len(HEADER) + 1, 16385)]
    book(path, [("Sheet1", sheet_xml([(1, hdr), (2, row(4))]), None)])


@case("empty-first-sheet", "xlsx", """exit 1
FILE: error: the sheet 'Sheet1' is empty (vanban reads the workbook's first visible sheet; its others: 'Số liệu'): move the figures to the first sheet, or name their sheet in the profile (<exports sheet="Số liệu"/>)
""")
def _(path):
    book(path, [("Sheet1", sheet_xml([]), None),
                ("Số liệu", sheet_xml([(1, HEADER), (2, row(4))]), None)])


@case("doctype-entity", "xlsx", """exit 1
FILE: error: the workbook is damaged: its part xl/worksheets/sheet1.xml has a document type declaration (<!DOCTYPE>), which Excel never writes: refused, its entities are not read; open it in Excel or LibreOffice and save it again
""")
def _(path):
    r = row(4)
    r[3] = ('<c r="REF"><v>&n;</v></c>',)
    r[20] = ('<c r="REF" t="inlineStr"><is><t>&xxe;</t></is></c>',)
    before = ('<!DOCTYPE worksheet [<!ENTITY n "640"><!ENTITY xxe SYSTEM '
              '"file:///etc/passwd">]>')
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)], before=before), None)])


@case("not-utf8", "xlsx", """exit 1
FILE: error: the workbook is damaged: its part xl/worksheets/sheet1.xml is not well-formed XML (line 1: Input is not proper UTF-8, indicate encoding ! Bytes: 0xE9 0x6E 0x20 0x4B); open it in Excel or LibreOffice and save it again
""")
def _(path):
    xml = sheet_xml([(1, HEADER), (2, row(4))]).replace("Huyện Kế Sách", "Huy\xe9n K\xea")
    book(path, [("Sheet1", xml.encode("utf-8").replace(b"Huy\xc3\xa9n K\xc3\xaa",
                                                      b"Huy\xe9n K\xea\xff"), None)])


@case("shared-strings-bomb", "xlsx", """exit 1
FILE: error: the workbook's part xl/sharedStrings.xml inflates to more than 64 MB: not a unit's export (is the file damaged?)
""")
def _(path):
    # 80 MB of short strings, a few hundred KB zipped
    r = row(4)
    r[20] = ('<c r="REF" t="s"><v>0</v></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)],
         extra_parts=[("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">',
                       "<si><t>Sóc Trăng</t></si>", 80, "</sst>")])


@case("huge-string", "xlsx", """exit 1
FILE: error: the workbook's part xl/sharedStrings.xml holds a text of more than 10 MB in one piece: not a unit's export (is the file damaged?)
""")
def _(path):
    # one string of 40 MB, 40 KB zipped
    r = row(4)
    r[20] = ('<c r="REF" t="s"><v>0</v></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)],
         extra_parts=[("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"><si><t>', "A", 40,
                       "</t></si></sst>")])


@case("sheet-bomb", "xlsx", """exit 1
FILE: error: the workbook's part xl/worksheets/sheet1.xml inflates to more than 256 MB: not a unit's export (is the file damaged?)
""")
def _(path):
    # 300 MB of elements Excel does not write (with long attributes, so that they are few),
    # 300 KB zipped
    xml = sheet_xml([(1, HEADER)])
    head, tail = xml.split("</sheetData>")
    book(path, [("Sheet1", xml, None)],
         extra_parts=[("xl/worksheets/sheet1.xml", head, '<x a="' + "A" * 4089 + '"/>', 300,
                       "</sheetData>" + tail)])


@case("declared-size-lies", "xlsx", "exit 0\n")
def _(path):
    # the central directory declares 4 GB for the shared strings, the data is small: what
    # is read is what the data holds, within the part's limit
    r = row(4)
    r[20] = ('<c r="REF" t="s"><v>0</v></c>',)
    book(path, [("Sheet1", sheet_xml([(1, HEADER), (2, r)]), None)], shared=["<t>x</t>"])
    data = bytearray(open(path, "rb").read())
    name = b"xl/sharedStrings.xml"
    cd = data.rfind(b"PK\x01\x02" + b"\x00" * 0, 0)     # last central entry is the strings
    at = data.rfind(b"PK\x01\x02")
    assert data[at + 46:at + 46 + len(name)] == name
    data[at + 24:at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    local = data.find(b"PK\x03\x04" + data[at + 6:at + 8])
    while data[local + 30:local + 30 + len(name)] != name:
        local = data.find(b"PK\x03\x04", local + 4)
    data[local + 22:local + 26] = (0xFFFFFFF0).to_bytes(4, "little")
    del cd
    open(path, "wb").write(bytes(data))


@case("encrypted", "xlsx", """exit 1
FILE: error: a password-protected Excel workbook: vanban cannot open it; remove the password in Excel (File, Info, Protect Workbook, Encrypt with Password: leave it empty) and save it as .xlsx, or save it as CSV
""")
def _(path):
    # what Excel writes when a workbook has a password: an OLE compound file holding
    # EncryptionInfo and EncryptedPackage, whatever the extension says
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + bytes.fromhex("3e000300feff0900")
    body = header + bytes(512 - len(header))
    body += "EncryptionInfo".encode("utf-16-le") + bytes(64) + \
        "EncryptedPackage".encode("utf-16-le") + bytes(1024)
    open(path, "wb").write(body)


@case("legacy-xls", "xls", """exit 1
FILE: error: an Excel 97-2003 workbook (or another Office 97-2003 file): vanban reads .xlsx and CSV, not .xls: open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook) or CSV UTF-8
""")
def _(path):
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16) + bytes.fromhex("3e000300feff0900")
    open(path, "wb").write(header + bytes(512 - len(header)) +
                           "Workbook".encode("utf-16-le") + bytes(2048))


@case("csv-named-xlsx", "xlsx", """exit 0
FILE: warning: named like an Excel workbook, but a text file, not one: read as CSV (rename it to .csv, or save it from Excel as .xlsx)
""")
def _(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n" + ",".join("" if v is None else str(v)
                                                   for v in row(4)) + "\n")


@case("zip-cut-short", "xlsx", """exit 1
FILE: error: not a readable Excel workbook: the zip archive is damaged (Not a zip archive); open it in Excel or LibreOffice and save it again, or save it as CSV
""")
def _(path):
    simple(path, 4)
    data = open(path, "rb").read()
    open(path, "wb").write(data[:len(data) * 2 // 3])


@case("sheet-named-elsewhere", "xlsx", """exit 1
FILE: error: the workbook is damaged: the sheet's relationship rId1 is not in xl/_rels/workbook.xml.rels
""")
def _(path):
    simple(path, 4)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b'Id="rId1"', b'Id="rId9"')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)


# ---- CSV as units send it

class Quoted(str):
    """A CSV field written between quotes whatever it holds."""


def csv_text(rows, sep=","):
    def field(v):
        if v is None:
            return ""
        s = str(v)
        return f'"{s}"' if sep in s or isinstance(v, Quoted) else s
    return "".join(sep.join(field(v) for v in r) + "\r\n" for r in rows)


@case("semicolon-decimal-comma", "csv", "exit 0\n", good=True)
def _(path):
    # Excel's CSV under a Vietnamese locale: ';' between cells, '.' grouping thousands
    # (quoted or not), blank cells, rows of delimiters only and empty lines at the end
    r = row(10)
    r[15] = Quoted(f"{r[15]:,}".replace(",", "."))
    r[18] = f"{r[18]:,}".replace(",", ".")
    r[20] = "Không có ngừng việc; số liệu 9 tháng"
    open(path, "w", encoding="utf-8-sig").write(csv_text([HEADER, r], ";") + ";;;;\r\n" +
                                                ";" * 20 + "\r\n\r\n")


@case("utf16le-bom", "csv", "exit 0\n", good=True)
def _(path):
    # Excel's "Unicode Text": UTF-16LE with its byte order mark, tab between cells
    r = row(11)
    open(path, "wb").write(b"\xff\xfe" + csv_text([HEADER, r], "\t").encode("utf-16-le"))


@case("cp1258-combining", "csv", "exit 0\n", good=True)
def _(path):
    # Windows-1258 writes tones as combining marks after the vowel ("Kê" + U+0301)
    import unicodedata
    r = row(12, note="Số liệu đã kiểm tra")
    text = csv_text([HEADER, r])
    # CP1258 has precomposed â ê ô ơ ư ă đ, the tones combining
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out.append(base.encode("cp1258") + "".join(c for c in d if c in tones).encode("cp1258"))
    open(path, "wb").write(b"".join(out))


@case("excel-errors-in-csv", "csv", """exit 1
FILE:2:34: error: so_dn_cdcs_qhld_hai_hoa: the cell shows Excel's error #DIV/0! (a formula that failed): correct the formula or type the figure
""")
def _(path):
    # Excel writes a failed formula's error value into the CSV it saves
    r = row(4)
    r[5] = "#DIV/0!"
    open(path, "w", encoding="utf-8").write(csv_text([HEADER, r]))


@case("tcvn3", "csv", "exit 0\n", good=True)
def _(path):
    # TCVN3 (TCVN 5712:1993, the .VnTime fonts' encoding), as old offices still save
    import subprocess
    text = csv_text([HEADER, row(7, note="Đã đối chiếu với sổ theo dõi")])
    out = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(),
                         capture_output=True, check=True).stdout
    open(path, "wb").write(out)


@case("comma-file-dot-grouping-negative", "csv", """exit 1
FILE:2:26: error: so_doanh_nghiep (-640) is negative: a count cannot be below zero
FILE:2:60: error: tien_phat: '1.500.000' is not a whole number (expected digits, optionally grouped by ',' in threes, e.g. 1,234,567; in a ','-delimited file '.' is the decimal mark and ',' groups thousands)
""")
def _(path):
    # a ','-delimited file: "1.500.000" quoted (grouped as in a ';' file), a negative
    # count, blank cells, trailing rows of delimiters only and empty lines
    r = row(4)
    r[3] = -640
    r[15] = Quoted("1.500.000")
    r[9] = None
    open(path, "w", encoding="utf-8").write(csv_text([HEADER, r]) + ",,,,\r\n\r\n\r\n")


def main(argv):
    out = argv[1]
    os.makedirs(os.path.join(out, "good"), exist_ok=True)
    for name, (ext, fn, expected, good) in CASES.items():
        path = os.path.join(out, f"{name}.{ext}")
        fn(path)
        with open(os.path.join(out, name + ".expected"), "w", encoding="utf-8") as f:
            f.write(expected)
        if good:
            os.symlink(os.path.abspath(path), os.path.join(out, "good", f"{name}.{ext}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
