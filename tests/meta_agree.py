#!/usr/bin/env python3
"""meta_agree.py - check that a vanban PDF's ND30 metadata says what its document says, in
all three places: the sidecar OUT.nd30.xml, the nd30 properties of the XMP and the Info entries.

Usage:
    meta_agree.py --pdf OUT.pdf --sidecar OUT.nd30.xml --source DOC.xml [--no-xmp]

The expected record is rebuilt here from the source XML on its own (templates/vanban.rng):
OrganId = the first agency's organ-id; TypeName = the type's name in sentence case
("Kế hoạch"; "Công văn" for type CV; every Phụ lục III abbreviation is known here);
CodeNumber = <number> with the decree's leading zero below 10, empty when absent;
CodeNotation = "<type>-<agency abbr>", a công văn's "<agency abbr>-<unit>", a liên tịch's
"<type>LT-<abbr>-<abbr>"; IssuedDate = <date> or empty; OrganName = each agency's lines
joined by spaces, the agencies by "; "; Subject = the trích yếu (a công văn's without a
typed "V/v"); Language = "vi"; PageAmount = the PDF's page count (pdfinfo); SignerInfo =
the first signature's last line without its quyền hạn prefix, and its name; To = each Nơi
nhận <to> without typed "- " and ";" ("Như trên" stands for the Kính gửi recipients) with
its organ-id; Priority = the root's priority, else 1, 2, 3 for do-khan KHẨN, THƯỢNG KHẨN,
HỎA TỐC; IssuedAmount = issued-amount, else the copies of <drafter>; DueDate = due-date.
The sidecar must hold exactly that record; the XMP's nd30 properties the same values
(Integer fields left out when empty); Info /Title the trích yếu and /Author the agency.
Prints PASS/FAIL per check and "N passed, M failed"; exit 0, 1 or 2 (tool error).
"""
import argparse
import base64
import json
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

NS = "urn:vanban:nd30:1.0#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
TYPE_NAMES = {"NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế",
              "QyĐ": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn",
              "CTr": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án",
              "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình",
              "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ",
              "BTT": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền", "GM": "Giấy mời",
              "GGT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép", "PG": "Phiếu gửi",
              "PC": "Phiếu chuyển", "PB": "Phiếu báo", "CV": "Công văn"}
URGENCY = {"KHẨN": "1", "THƯỢNG KHẨN": "2", "HỎA TỐC": "3", "HOẢ TỐC": "3"}


def untyped(name):
    """A recipient as vanban prints it: typed '- ' before and ';' '.' ',' after taken out."""
    name = re.sub(r"^(Kính gửi:?\s+)?([-–—•+]\s+)?", "", name)
    return re.sub(r"[\s;.,]+$", "", name)


def norm(s):
    s = unicodedata.normalize("NFC", s or "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


def text(e):
    return norm("".join(e.itertext())) if e is not None else ""


def expected(source, pages):
    root = ET.parse(source).getroot()
    dtype = root.get("type")
    agencies = root.findall("agency")
    agency = agencies[0]
    number = (root.findtext("number") or "").strip()
    if number and len(number) == 1:
        number = "0" + number
    type_name = root.find("type-name")
    tname = text(type_name) if type_name is not None else TYPE_NAMES.get(dtype, "")
    tname = tname[:1].upper() + tname[1:].lower() if type_name is not None else tname
    if dtype == "CV":
        notation = f"{agency.get('abbr')}-{agency.get('unit')}"
    elif len(agencies) > 1:
        notation = f"{dtype}LT-" + "-".join(a.get("abbr") for a in agencies)
    else:
        notation = f"{dtype}-{agency.get('abbr')}"
    sig = root.find("signature")
    lines = [e for e in sig if e.tag in ("authority", "position")]
    position = text(lines[-1]) if lines else ""
    kinh_gui = [(t.get("organ-id") or "", untyped(text(t))) for t in root.findall("kinh-gui/to")]
    to = []
    for t in root.findall("noi-nhan/to"):
        name = untyped(text(t))
        if name.lower() == "như trên" and kinh_gui:
            to += kinh_gui
        else:
            to.append((t.get("organ-id") or "", name))
    subject = text(root.find("trich-yeu"))
    if dtype == "CV":
        subject = re.sub(r"^([Vv]/[Vv]:?|[Vv]ề việc)\s+", "", subject)
    drafter = root.find("noi-nhan/drafter")
    copies = drafter.get("copies") if drafter is not None else None
    return {
        "OrganId": agency.get("organ-id") or "",
        "TypeName": tname,
        "CodeNumber": number,
        "CodeNotation": notation,
        "IssuedDate": (root.findtext("date") or "").strip(),
        "OrganName": "; ".join(" ".join(text(l) for l in a.findall("line")) for a in agencies),
        "Subject": subject,
        "Language": "vi",
        "PageAmount": str(pages),
        "Position": position,
        "FullName": text(sig.find("name")),
        "To": to,
        "Priority": root.get("priority") or URGENCY.get((root.get("do-khan") or "").upper(), ""),
        "IssuedAmount": str(int(root.get("issued-amount"))) if root.get("issued-amount") else (copies or ""),
        "DueDate": root.get("due-date") or "",
    }


def sidecar_record(path):
    root = ET.parse(path).getroot()
    q = lambda n: f"{{{NS}}}{n}"  # noqa: E731
    rec = {}
    for child in root:
        name = child.tag.split("}")[1]
        if name == "SignerInfo":
            rec["Position"] = norm(child.findtext(q("Position")))
            rec["FullName"] = norm(child.findtext(q("FullName")))
        elif name == "To":
            rec.setdefault("To", []).append((norm(child.findtext(q("OrganId"))),
                                             norm(child.findtext(q("OrganName")))))
        else:
            rec[name] = norm(child.text)
    rec.setdefault("To", [])
    return root.tag, rec


def pdf_objects(pdf):
    p = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline", pdf],
                       capture_output=True)
    if p.returncode not in (0, 3):
        raise SystemExit(f"meta_agree.py: qpdf failed: {p.stderr.decode().strip()}")
    return json.loads(p.stdout)["qpdf"][1]


def xmp_record(objs):
    cat = objs["obj:" + objs["trailer"]["value"]["/Root"]]["value"]
    if "/Metadata" not in cat:
        return None
    xmp = base64.b64decode(objs["obj:" + cat["/Metadata"]]["stream"]["data"])
    root = ET.fromstring(xmp)
    rec = {"To": []}
    for desc in root.iter(f"{{{RDF}}}Description"):
        for child in desc:
            if not child.tag.startswith(f"{{{NS}}}"):
                continue
            name = child.tag.split("}")[1]
            if name == "SignerInfo":
                rec["Position"] = norm(child.findtext(f"{{{NS}}}Position"))
                rec["FullName"] = norm(child.findtext(f"{{{NS}}}FullName"))
            elif name == "To":
                for li in child.iter(f"{{{RDF}}}li"):
                    rec["To"].append((norm(li.findtext(f"{{{NS}}}OrganId")),
                                      norm(li.findtext(f"{{{NS}}}OrganName"))))
            else:
                rec[name] = norm(child.text)
    for k in ("Priority", "IssuedAmount"):
        rec.setdefault(k, "")
    return rec


def info(objs):
    tr = objs["trailer"]["value"]
    d = objs["obj:" + tr["/Info"]]["value"]
    return {k: norm(v[2:]) for k, v in d.items() if isinstance(v, str) and v.startswith("u:")}


def page_count(objs):
    cat = objs["obj:" + objs["trailer"]["value"]["/Root"]]["value"]
    return objs["obj:" + cat["/Pages"]]["value"]["/Count"]


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdf", required=True)
    ap.add_argument("--sidecar", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--no-xmp", action="store_true", help="the PDF has no XMP (--no-pdfa)")
    a = ap.parse_args(argv)
    objs = pdf_objects(a.pdf)
    want = expected(a.source, page_count(objs))
    tag, side = sidecar_record(a.sidecar)
    passed = failed = 0

    def check(name, ok, detail):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"PASS {name}")
        else:
            failed += 1
            print(f"FAIL {name}: {detail}")
    check("sidecar.root", tag == f"{{{NS}}}OutgoingDocument", tag)
    for k, v in want.items():
        check(f"sidecar.{k}", side.get(k) == v, f"{side.get(k)!r}, the document says {v!r}")
    xmp = xmp_record(objs)
    if a.no_xmp:
        check("xmp.absent", xmp is None, "the PDF has XMP metadata")
    elif xmp is None:
        check("xmp.present", False, "no XMP metadata")
    else:
        for k, v in want.items():
            check(f"xmp.{k}", xmp.get(k, "") == v, f"{xmp.get(k)!r}, the document says {v!r}")
    inf = info(objs)
    check("info.Title", inf.get("/Title") == want["Subject"], f"{inf.get('/Title')!r}")
    check("info.Author", inf.get("/Author") == want["OrganName"], f"{inf.get('/Author')!r}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
