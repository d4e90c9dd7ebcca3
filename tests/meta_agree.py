#!/usr/bin/env python3
"""meta_agree.py - check that a vanban PDF's ND30 metadata says what its document says, in
all three places: the sidecar OUT.nd30.xml, the nd30 properties of the XMP and the Info entries.

Usage:
    meta_agree.py --pdf OUT.pdf --sidecar OUT.nd30.xml --source DOC.xml [--no-xmp]

The expected record is rebuilt here from the source XML on its own (templates/vanban.rng):
OrganId = agency/@organ-id; TypeName = the type's name in sentence case ("Kế hoạch");
CodeNumber = <number> with the decree's leading zero below 10, empty when absent;
CodeNotation = "<type>-<agency abbr>"; IssuedDate = <date> or empty; OrganName = the
agency lines joined by spaces; Subject = the trích yếu; Language = "vi"; PageAmount = the
PDF's page count (pdfinfo); SignerInfo = the last signature line without its quyền hạn
prefix and the name; To = each Nơi nhận <to> ("Như trên" stands for the Kính gửi
recipients) with its organ-id; Priority, IssuedAmount, DueDate = the root's attributes.
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
TYPE_NAMES = {"KH": "Kế hoạch", "BC": "Báo cáo", "QĐ": "Quyết định", "TTr": "Tờ trình",
              "CTr": "Chương trình", "TB": "Thông báo", "HD": "Hướng dẫn", "CT": "Chỉ thị"}


def norm(s):
    s = unicodedata.normalize("NFC", s or "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


def text(e):
    return norm("".join(e.itertext())) if e is not None else ""


def expected(source, pages):
    root = ET.parse(source).getroot()
    agency = root.find("agency")
    number = (root.findtext("number") or "").strip()
    if number and len(number) == 1:
        number = "0" + number
    type_name = root.find("type-name")
    tname = text(type_name) if type_name is not None else TYPE_NAMES.get(root.get("type"), "")
    tname = tname[:1].upper() + tname[1:].lower() if type_name is not None else tname
    sig = root.find("signature")
    lines = [e for e in sig if e.tag in ("authority", "position")]
    position = text(lines[-1]) if lines else ""
    kinh_gui = [(t.get("organ-id") or "", text(t)) for t in root.findall("kinh-gui/to")]
    to = []
    for t in root.findall("noi-nhan/to"):
        if text(t).lower() == "như trên" and kinh_gui:
            to += kinh_gui
        else:
            to.append((t.get("organ-id") or "", text(t)))
    return {
        "OrganId": agency.get("organ-id") or "",
        "TypeName": tname,
        "CodeNumber": number,
        "CodeNotation": f"{root.get('type')}-{agency.get('abbr')}",
        "IssuedDate": (root.findtext("date") or "").strip(),
        "OrganName": " ".join(text(l) for l in agency.findall("line")),
        "Subject": text(root.find("trich-yeu")),
        "Language": "vi",
        "PageAmount": str(pages),
        "Position": position,
        "FullName": text(sig.find("name")),
        "To": to,
        "Priority": root.get("priority") or "",
        "IssuedAmount": root.get("issued-amount") or "",
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
