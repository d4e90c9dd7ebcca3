#!/usr/bin/env python3
"""xlsx_cases.py - write the workbook cases of tests/xlsx.test.

Usage:
    python3 tests/xlsx_cases.py OUTDIR

Writes OUTDIR/NAME.xlsx and OUTDIR/NAME.expected for each case below: a unit's
export as a workbook (made here with zipfile, as Excel lays one out), broken in
one way.  NAME.expected holds "exit N" and then the exact messages of
`vanban check --units samples/units.csv NAME.xlsx`, with FILE standing for the
workbook's path.  Every message about a cell names it as FILE:Sheet!D7.
"""

import os
import sys
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["ma_don_vi", "ten_don_vi", "nam", "so_doanh_nghiep", "so_dn_co_cdcs",
          "so_dn_cdcs_qhld_hai_hoa", "so_dn_cdcs_co_tuldtt", "so_tuldtt_co_loi_hon",
          "so_cuoc_doi_thoai", "so_vu_tranh_chap", "so_vu_tranh_chap_da_giai_quyet",
          "so_cuoc_ngung_viec", "so_nguoi_ngung_viec", "so_cuoc_thanh_tra_kiem_tra",
          "so_vu_vi_pham_xu_ly", "tien_phat", "so_hoa_giai_vien", "so_lop_tap_huan",
          "so_luot_nguoi_tap_huan", "so_cuoc_tuyen_truyen", "ghi_chu"]
ROW = ["ST-KS", "Huyện Kế Sách", 2023, 640, 512, 450, 400, 260, 12, 3, 3, None, None, 5, 2,
       1500000, 4, 6, 320, 15, "Ghi chú"]


def letters(c):
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(rows, extra=""):
    """rows: list of (row number, [values]) with values str (inline), int, or None."""
    o = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>']
    for r, values in rows:
        o.append(f'<row r="{r}">')
        for i, v in enumerate(values):
            ref = f"{letters(i + 1)}{r}"
            if v is None:
                continue
            if isinstance(v, tuple):            # raw cell XML
                o.append(v[0].replace("REF", ref))
            elif isinstance(v, int):
                o.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                o.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        o.append("</row>")
    o.append("</sheetData>" + extra + "</worksheet>")
    return "".join(o)


def book(path, sheet, name="Sheet1", shared=None):
    parts = [
        ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                            f'<sheets><sheet name="{escape(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                       '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>'),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{MAIN}">' +
                      "".join(f"<si><t>{escape(s)}</t></si>" for s in shared) + "</sst>"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts:
            z.writestr(zipfile.ZipInfo(n, date_time=(2024, 1, 1, 0, 0, 0)), d)


def with_cell(index, value):
    row = list(ROW)
    row[index] = value
    return row


CASES = {}


def case(name, expected):
    def wrap(fn):
        CASES[name] = (fn, expected)
        return fn
    return wrap


@case("title-rows-bad-number", """exit 1
FILE:Sheet1!D5: error: so_doanh_nghiep: 'sáu trăm' is not a whole number (expected digits such as 1234567)
""")
def _(path):
    # two title rows and a blank one above the header: the header is row 4
    book(path, sheet_xml([(1, ["BÁO CÁO NĂM 2023"]), (2, ["Huyện Kế Sách"]), (4, HEADER),
                          (5, with_cell(3, "sáu trăm"))]))


@case("negative-and-part", """exit 1
FILE:'Số liệu 2023'!D3: error: so_doanh_nghiep (-640) is negative: a count cannot be below zero
FILE:'Số liệu 2023'!H3: error: so_tuldtt_co_loi_hon (401) is larger than so_dn_cdcs_co_tuldtt (400): a part cannot exceed its whole
""")
def _(path):
    row = with_cell(3, -640)
    row[7] = 401
    book(path, sheet_xml([(1, ["Số liệu"]), (2, HEADER), (3, row)]), name="Số liệu 2023")


@case("right-of-header", """exit 1
FILE:Sheet1!W2: error: this cell has a value but its column has no name in the header (the header ends at column 21): name the column or leave its cells empty
""")
def _(path):
    book(path, sheet_xml([(1, HEADER), (2, ROW + [None, "thừa"])]))


@case("shared-string-missing", """exit 1
FILE:Sheet1!B2: error: the workbook is damaged: this cell refers to shared string 7, which it does not have
""")
def _(path):
    row = list(ROW)
    row[1] = ('<c r="REF" t="s"><v>7</v></c>',)
    book(path, sheet_xml([(1, HEADER), (2, row)]), shared=["Huyện Kế Sách"])


@case("not-well-formed", """exit 1
FILE: error: the workbook is damaged: its part xl/worksheets/sheet1.xml is not well-formed XML (line 1: Opening and ending tag mismatch: c line 1 and row); open it in Excel or LibreOffice and save it again
""")
def _(path):
    book(path, sheet_xml([(1, HEADER), (2, ROW)]).replace("</c></row>", "</row>", 1))


@case("not-a-workbook", """exit 1
FILE: error: not an Excel workbook: the file is a zip archive without xl/workbook.xml (save it from Excel or LibreOffice as .xlsx, or as CSV)
""")
def _(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")


@case("cut-short", """exit 1
FILE: error: not a readable Excel workbook: the zip archive is damaged (Not a zip archive); open it in Excel or LibreOffice and save it again, or save it as CSV
""")
def _(path):
    book(path, sheet_xml([(1, HEADER), (2, ROW)]))
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])


@case("numbers-as-text-and-dates", """exit 0
""")
def _(path):
    # counts typed as text with grouping, a count as 6.4E2, the year as a number
    row = list(ROW)
    row[3] = ('<c r="REF"><v>6.4E2</v></c>',)
    row[15] = "1.500.000"
    row[18] = "320"
    book(path, sheet_xml([(1, HEADER), (2, row)]))


def main(argv):
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (fn, expected) in CASES.items():
        fn(os.path.join(out, name + ".xlsx"))
        with open(os.path.join(out, name + ".expected"), "w", encoding="utf-8") as f:
            f.write(expected)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
