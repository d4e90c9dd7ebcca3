#!/usr/bin/env python3
"""pdfa_rules.py - check a PDF against the PDF/A-2b rules vanban promises.

Usage:
    pdfa_rules.py --pdf FILE          check FILE; exit 0 when every rule holds
    pdfa_rules.py --list              print the rules checked
    pdfa_rules.py --selftest FILE     FILE (a good PDF/A-2b file) must pass; then each
                                      mutant of it (one rule broken on purpose) must fail
                                      that very rule

No PDF/A validator (veraPDF) is packaged for Debian, so this script reads the file back
with qpdf (`qpdf --json=2` with the streams decoded, `qpdf --check`) and Python's own XML
parser and checks, rule by rule, what ISO 19005-2 level B asks of the kinds of objects a
vanban PDF holds. It is not a complete validator: it checks every rule below on every
object of the file, and a file with kinds of objects vanban never writes (images, Type 3
fonts, optional content, embedded files, transparency groups) is refused rather than
judged.  Clause numbers are those of ISO 19005-2:2011.

Every rule prints "PASS Rnn text" or "FAIL Rnn text: what is wrong"; the run ends with
"N passed, M failed".  Exit status: 0 all passed, 1 a rule failed, 2 usage or tool error.
"""
import base64
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

RULES = [
    ("R01", "6.1.2", "file header %PDF-1.n (n <= 7) at offset 0, then a comment line of 4 or more bytes >= 128"),
    ("R02", "6.1.3", "nothing but an end-of-line marker after the last %%EOF"),
    ("R03", "6.1.3", "trailer /ID: an array of two byte strings"),
    ("R04", "6.1.3", "no /Encrypt in the trailer (no encryption)"),
    ("R05", "6.1",   "file structure readable: qpdf --check finds no error or warning"),
    ("R06", "6.6.2.1", "catalog /Metadata is a stream /Type /Metadata /Subtype /XML without /Filter"),
    ("R07", "6.6.2.1, 6.6.4", "XMP packet well-formed XML with an xpacket header (no bytes/encoding attributes), pdfaid:part 2, pdfaid:conformance B"),
    ("R08", "6.6.2.3.1", "every Info entry equals its XMP property (Title dc:title, Author dc:creator, Subject dc:description, Keywords pdf:Keywords, Creator xmp:CreatorTool, Producer pdf:Producer, CreationDate xmp:CreateDate, ModDate xmp:ModifyDate)"),
    ("R09", "6.6.2.3.2", "every XMP property outside the predefined schemas, and every field of its structures, is declared in a pdfaExtension schema"),
    ("R10", "6.2.3", "an OutputIntent /S /GTS_PDFA1 with /OutputConditionIdentifier and a /DestOutputProfile ICC stream (acsp, version <= 4) whose /N matches its colour space; one profile for all PDF/A intents"),
    ("R11", "6.2.4.3", "device colours only as the OutputIntent allows: with an RGB intent no DeviceCMYK (k, K, /DeviceCMYK) in any content stream"),
    ("R12", "6.2.11.4.1", "every font used is embedded (FontFile, FontFile2 or FontFile3 in its descriptor)"),
    ("R13", "6.2.11.2", "every font descriptor has Type, FontName, Flags, FontBBox, ItalicAngle, Ascent, Descent, CapHeight and StemV"),
    ("R14", "6.2.11.3.2", "every CIDFontType2 has /CIDToGIDMap, /Identity or a stream"),
    ("R15", "6.2.11.8", "no text shows .notdef: every code drawn maps to a glyph id > 0 that exists in the embedded font"),
    ("R16", "6.2.9, 6.2.10", "no transparency: no ExtGState SMask, CA/ca below 1 or blend mode other than Normal, no transparency /Group, no image SMask"),
    ("R17", "6.5.1, 6.5.2", "no JavaScript and no forbidden actions (/JS, /JavaScript, /Launch, /Sound, /Movie, /ResetForm, /ImportData, /Hide, /Rendition, /SetOCGState, /Trans), no /AA on catalog, pages or widgets"),
    ("R18", "6.3.1, 6.3.2, 6.3.3", "annotations: an allowed subtype, /F with Print set and Hidden, Invisible, NoView, ToggleNoView clear, an /AP holding only /N when the annotation has an area"),
    ("R19", "6.4.1, 6.4.2", "forms: no /NeedAppearances true, no /XFA, widgets without /A or /AA"),
    ("R20", "6.1.7", "streams: no external data (/F, /FFilter, /FDecodeParms), no LZWDecode or Crypt filter"),
    ("R21", "6.8, 6.9", "no embedded files, no optional content, no kinds of objects this checker cannot judge (images, Type 3 fonts, PostScript XObjects)"),
]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "rdf": RDF,
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "pdfaType": "http://www.aiim.org/pdfa/ns/type#",
    "pdfaField": "http://www.aiim.org/pdfa/ns/field#",
}
# XMP schemas PDF/A-2 takes as predefined (XMP Specification 2005 and ISO 19005)
PREDEFINED = {
    NS["dc"], NS["xmp"], NS["pdf"], NS["pdfaid"], NS["pdfaExtension"],
    "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/camera-raw-settings/1.0/", "http://ns.adobe.com/tiff/1.0/",
    "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
    "http://www.aiim.org/pdfua/ns/id/",
}
BASIC_TYPES = {"Text", "Integer", "Real", "Boolean", "Date", "URI", "URL", "AgentName",
               "ProperName", "Locale", "MIMEType", "RenditionClass", "XPath", "GUID",
               "Lang Alt", "Bag Text", "Seq Text", "Bag ProperName", "Seq ProperName",
               "Bag Date", "Seq Date", "Bag Locale", "Seq Locale"}


class ToolError(Exception):
    pass


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True)
    except FileNotFoundError as exc:
        raise ToolError(f"{cmd[0]} not found: {exc}")
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


# ---- reading the file back ----------------------------------------------------------

class Pdf:
    """The file's bytes and its objects as qpdf's JSON v2 shows them."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.raw = f.read()
        rc, out, err = run(["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline",
                            "--decode-level=generalized", path])
        if rc not in (0, 3):
            raise ToolError(f"qpdf --json failed: {err.strip()}")
        import json
        data = json.loads(out)["qpdf"]
        self.objects = data[1]
        self.trailer = self.objects.get("trailer", {}).get("value", {})

    def get(self, ref):
        """The value or stream record of an indirect reference; other values unchanged."""
        if isinstance(ref, str) and re.fullmatch(r"\d+ \d+ R", ref):
            rec = self.objects.get("obj:" + ref)
            if rec is None:
                return None
            return rec.get("stream") or rec.get("value")
        return ref

    def dict_of(self, ref):
        """The dictionary of ref (a stream's dictionary for a stream)."""
        v = self.get(ref)
        if isinstance(v, dict) and "dict" in v:
            return v["dict"]
        return v if isinstance(v, dict) else None

    def stream_data(self, ref):
        v = self.get(ref)
        if isinstance(v, dict) and "data" in v:
            return base64.b64decode(v["data"])
        return None

    def is_stream(self, ref):
        v = self.get(ref)
        return isinstance(v, dict) and "dict" in v

    def all_dicts(self):
        """(id, dict, is_stream) for every object, and every dictionary nested in it."""
        for key, rec in self.objects.items():
            if not key.startswith("obj:"):
                continue
            if "stream" in rec:
                yield from nested(key, rec["stream"]["dict"], True)
            else:
                yield from nested(key, rec.get("value"), False)

    def catalog(self):
        return self.dict_of(self.trailer.get("/Root")) or {}

    def pages(self):
        out = []

        def walk(ref, inherited):
            node = self.dict_of(ref) or {}
            res = node.get("/Resources", inherited)
            if node.get("/Type") == "/Pages" or "/Kids" in node:
                for kid in node.get("/Kids", []):
                    walk(kid, res)
            else:
                out.append((ref, node, res))
        walk(self.catalog().get("/Pages"), None)
        return out


def nested(owner, value, top_is_stream):
    if isinstance(value, dict):
        yield owner, value, top_is_stream
        for v in value.values():
            yield from nested(owner, v, False)
    elif isinstance(value, list):
        for v in value:
            yield from nested(owner, v, False)


def text_of(v):
    """A PDF string from qpdf's JSON ("u:text" or "b:hex") as text, else None."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:]
    if isinstance(v, str) and v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        if b.startswith(b"\xfe\xff"):
            return b[2:].decode("utf-16-be", "replace")
        return b.decode("latin-1")
    return None


def pdf_date(s):
    m = re.fullmatch(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([+\-Z])(\d\d)?'?(\d\d)?'?)?", s or "")
    if not m:
        return None
    y, mo, d, h, mi, se = (int(m.group(i) or dflt) for i, dflt in
                           zip(range(1, 7), ("0", "1", "1", "0", "0", "0")))
    sign, oh, om = m.group(7), int(m.group(8) or 0), int(m.group(9) or 0)
    off = datetime.timedelta(hours=oh, minutes=om) * (-1 if sign == "-" else 1)
    tz = datetime.timezone(off) if sign else None
    return datetime.datetime(y, mo, d, h, mi, se, tzinfo=tz)


def xmp_date(s):
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?"
                     r"(Z|[+\-]\d\d:\d\d)?)?)?)?", s or "")
    if not m:
        return None
    y, mo, d, h, mi, se = (int(m.group(i) or dflt) for i, dflt in
                           zip(range(1, 7), ("0", "1", "1", "0", "0", "0")))
    z = m.group(7)
    tz = None
    if z == "Z":
        tz = datetime.timezone.utc
    elif z:
        sign = -1 if z[0] == "-" else 1
        tz = datetime.timezone(sign * datetime.timedelta(hours=int(z[1:3]), minutes=int(z[4:6])))
    return datetime.datetime(y, mo, d, h, mi, se, tzinfo=tz)


# ---- content streams ----------------------------------------------------------------

DELIMS = b"()<>[]{}/%"
WHITE = b" \t\r\n\f\x00"


def tokenize(data):
    i, n = 0, len(data)
    while i < n:
        c = data[i:i + 1]
        if c in (b" ", b"\t", b"\r", b"\n", b"\f", b"\x00"):
            i += 1
        elif c == b"%":
            while i < n and data[i:i + 1] not in (b"\r", b"\n"):
                i += 1
        elif c == b"(":
            depth, i, buf = 1, i + 1, bytearray()
            while i < n and depth:
                ch = data[i:i + 1]
                if ch == b"\\":
                    nxt = data[i + 1:i + 2]
                    esc = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
                    if nxt in esc:
                        buf += esc[nxt]
                        i += 2
                    elif nxt.isdigit():
                        m = re.match(rb"[0-7]{1,3}", data[i + 1:i + 4])
                        buf.append(int(m.group(0), 8) & 0xFF)
                        i += 1 + len(m.group(0))
                    elif nxt in (b"\r", b"\n"):
                        i += 2
                    else:
                        buf += nxt
                        i += 2
                    continue
                if ch == b"(":
                    depth += 1
                elif ch == b")":
                    depth -= 1
                    if not depth:
                        i += 1
                        break
                buf += ch
                i += 1
            yield ("str", bytes(buf))
        elif data[i:i + 2] == b"<<" or data[i:i + 2] == b">>":
            yield ("op", data[i:i + 2].decode())
            i += 2
        elif c == b"<":
            j = data.index(b">", i)
            hexd = re.sub(rb"\s", b"", data[i + 1:j])
            if len(hexd) % 2:
                hexd += b"0"
            yield ("str", bytes.fromhex(hexd.decode()))
            i = j + 1
        elif c in (b"[", b"]", b"{", b"}"):
            yield ("op", c.decode())
            i += 1
        elif c == b"/":
            j = i + 1
            while j < n and data[j:j + 1] not in DELIMS and data[j] not in WHITE:
                j += 1
            yield ("name", data[i:j].decode("latin-1"))
            i = j
        else:
            j = i
            while j < n and data[j:j + 1] not in DELIMS and data[j] not in WHITE:
                j += 1
            word = data[i:j].decode("latin-1")
            i = j
            if re.fullmatch(r"[+\-]?(\d+\.?\d*|\.\d+)", word):
                yield ("num", float(word))
            elif word == "BI":
                # inline image: skip to EI
                m = re.search(rb"\sEI(?=[\s]|$)", data[i:])
                i = i + (m.end() if m else n)
                yield ("op", "BI")
            else:
                yield ("op", word)


def truetype_glyph_count(font_program):
    """numGlyphs of a TrueType font program (its maxp table), or None."""
    if not font_program or len(font_program) < 12:
        return None
    count = int.from_bytes(font_program[4:6], "big")
    for k in range(count):
        rec = font_program[12 + 16 * k: 28 + 16 * k]
        if rec[:4] == b"maxp":
            off = int.from_bytes(rec[8:12], "big")
            return int.from_bytes(font_program[off + 4: off + 6], "big")
    return None


def parse_cmap(data):
    """An embedded CMap or ToUnicode map: (code lengths of its codespace ranges,
    {code: CID} of its cidchar/cidrange entries, {code: text} of its bfchar/bfrange ones).
    Codes are (length, value) pairs, so <20> and <0020> stay apart."""
    text = data.decode("latin-1")
    hexes = lambda s: [(len(h) // 2, int(h, 16)) for h in re.findall(r"<([0-9A-Fa-f]*)>", s)]
    lengths = set()
    for block in re.findall(r"begincodespacerange(.*?)endcodespacerange", text, re.S):
        lengths.update(n for n, _ in hexes(block))
    cids, uni = {}, {}
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for code, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*(\d+)", block):
            cids[(len(code) // 2, int(code, 16))] = int(cid)
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for lo, hi, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", block):
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cids[(len(lo) // 2, code)] = int(cid) + k
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            uni[(len(code) // 2, int(code, 16))] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(dst, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                uni[(len(lo) // 2, code)] = chr(base + k)
    return sorted(lengths), cids, uni


class Fonts:
    """How the codes of each font dictionary map to glyph ids and to text."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.cache = {}

    def codes(self, info, s):
        """The codes of string s in the font: (length, value) pairs, by its codespace."""
        lengths, out, k = info.get("lengths", [2]), [], 0
        while k < len(s):
            n = lengths[0] if len(lengths) == 1 else next(
                (n for n in lengths if (n, int.from_bytes(s[k:k + n], "big")) in info.get("cids", {})),
                lengths[0])
            out.append((n, int.from_bytes(s[k:k + n], "big")))
            k += n
        return out

    def cid(self, info, code):
        """The CID of a code: Identity, or the embedded CMap's (None when it has none)."""
        return code[1] if info.get("cids") is None else info["cids"].get(code)

    def text(self, info, s):
        """The text of string s by the font's ToUnicode map ("\ufffd" for a code it lacks)."""
        return "".join(info.get("tounicode", {}).get(c, "\ufffd") for c in self.codes(info, s))

    def info(self, ref):
        key = ref if isinstance(ref, str) else id(ref)
        if key in self.cache:
            return self.cache[key]
        font = self.pdf.dict_of(ref) or {}
        result = {"name": font.get("/BaseFont", "?"), "problem": None}
        enc = font.get("/Encoding")
        if self.pdf.is_stream(enc):
            lengths, cids, _ = parse_cmap(self.pdf.stream_data(enc) or b"")
            result["lengths"], result["cids"] = lengths or [2], cids
        if font.get("/ToUnicode") is not None:
            result["tounicode"] = parse_cmap(self.pdf.stream_data(font["/ToUnicode"]) or b"")[2]
        if font.get("/Subtype") != "/Type0":
            result["problem"] = f"font {result['name']} is {font.get('/Subtype')}, not a Type 0 font this checker can follow"
        elif enc not in ("/Identity-H", "/Identity-V") and not self.pdf.is_stream(enc):
            result["problem"] = f"font {result['name']} has encoding {enc}, neither Identity nor an embedded CMap"
        else:
            desc = self.pdf.dict_of((font.get("/DescendantFonts") or [None])[0]) or {}
            c2g = desc.get("/CIDToGIDMap")
            fd = self.pdf.dict_of(desc.get("/FontDescriptor")) or {}
            prog = self.pdf.stream_data(fd.get("/FontFile2")) if fd.get("/FontFile2") else None
            result["glyphs"] = truetype_glyph_count(prog)
            if c2g == "/Identity":
                result["map"] = None
            elif c2g is not None and self.pdf.stream_data(c2g) is not None:
                result["map"] = self.pdf.stream_data(c2g)
            else:
                result["problem"] = f"font {result['name']} has no readable CIDToGIDMap"
        self.cache[key] = result
        return result

    def glyph(self, info, cid):
        m = info.get("map")
        if m is None:
            return cid
        if 2 * cid + 2 > len(m):
            return 0
        return int.from_bytes(m[2 * cid:2 * cid + 2], "big")


def walk_content(pdf, data, resources, visit, seen):
    """Interprets a content stream: calls visit(op, operands, font_ref) for each operator,
    and follows form XObjects (Do) into their own streams."""
    stack, arrays, font, gstack = [], [], None, []
    res = pdf.dict_of(resources) or {}
    for kind, val in tokenize(data):
        if kind == "op" and val == "[":
            arrays.append(stack)
            stack = []
            continue
        if kind == "op" and val == "]":
            inner = stack
            stack = arrays.pop() if arrays else []
            stack.append(("array", inner))
            continue
        if kind == "op" and val in ("<<", ">>", "{", "}"):
            continue
        if kind != "op":
            stack.append((kind, val))
            continue
        if val == "q":
            gstack.append(font)
        elif val == "Q":
            font = gstack.pop() if gstack else font
        elif val == "Tf" and len(stack) >= 2 and stack[-2][0] == "name":
            font = (pdf.dict_of(res.get("/Font")) or {}).get(stack[-2][1])
        elif val == "Do" and stack and stack[-1][0] == "name":
            xo_ref = (pdf.dict_of(res.get("/XObject")) or {}).get(stack[-1][1])
            xo = pdf.dict_of(xo_ref) or {}
            if xo.get("/Subtype") == "/Form" and xo_ref not in seen:
                seen.add(xo_ref)
                walk_content(pdf, pdf.stream_data(xo_ref) or b"", xo.get("/Resources", resources),
                             visit, seen)
        visit(val, stack, font, res)
        stack = []


def shown_strings(operands):
    """The strings a text operator (Tj, TJ, ', ") shows: its string operands and those of
    its arrays."""
    strings = []
    for kind, val in operands:
        if kind == "str":
            strings.append(val)
        elif kind == "array":
            strings += [v for k, v in val if k == "str"]
    return strings


def content_streams(pdf):
    """(where, data, resources) for every page content stream and annotation appearance."""
    out = []
    for n, (ref, page, res) in enumerate(pdf.pages(), 1):
        contents = page.get("/Contents")
        refs = contents if isinstance(contents, list) else [contents] if contents else []
        data = b"\n".join(pdf.stream_data(r) or b"" for r in refs)
        out.append((f"page {n}", data, res))
        for a in page.get("/Annots", []) or []:
            ap = (pdf.dict_of(a) or {}).get("/AP")
            ap = pdf.dict_of(ap) or {}
            for key, app in ap.items():
                targets = [app] if pdf.is_stream(app) else list((pdf.dict_of(app) or {}).values())
                for t in targets:
                    d = pdf.dict_of(t) or {}
                    out.append((f"page {n} annotation appearance {key}", pdf.stream_data(t) or b"",
                                d.get("/Resources")))
    return out


# ---- the rules ----------------------------------------------------------------------

def check_file(path):
    """Returns [(rule, problems)] for the file at path."""
    pdf = Pdf(path)
    results = {r[0]: [] for r in RULES}
    counts = {"codes": 0, "fonts": 0, "annots": 0, "props": 0}
    bad = lambda rule, msg: results[rule].append(msg)  # noqa: E731
    raw = pdf.raw
    cat = pdf.catalog()

    # R01 header
    m = re.match(rb"%PDF-1\.([0-9])(\r\n|\r|\n)", raw)
    if not m or int(m.group(1)) > 7:
        bad("R01", f"header is {raw[:9]!r}")
    else:
        line2 = raw[m.end():].split(b"\n", 1)[0].split(b"\r", 1)[0]
        if not line2.startswith(b"%") or sum(b >= 128 for b in line2[1:]) < 4:
            bad("R01", f"second line {line2[:12]!r} is not a comment with 4 bytes >= 128")
    # R02 end of file
    last = raw.rfind(b"%%EOF")
    if last < 0 or raw[last + 5:] not in (b"", b"\n", b"\r\n", b"\r"):
        bad("R02", f"{len(raw) - last - 5 if last >= 0 else '?'} bytes after the last %%EOF")
    # R03, R04 trailer
    ids = pdf.trailer.get("/ID")
    if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, str) and i[:2] in ("b:", "u:") for i in ids)):
        bad("R03", f"/ID is {ids!r}")
    if "/Encrypt" in pdf.trailer:
        bad("R04", "the trailer has /Encrypt")
    # R05 structure
    rc, out, err = run(["qpdf", "--check", path])
    text = out.decode("utf-8", "replace") + err
    if rc != 0 or "WARNING" in text:
        bad("R05", f"qpdf --check (exit {rc}): {text.strip()[:300]}")

    # R06, R07 metadata stream and XMP
    meta_ref = cat.get("/Metadata")
    xmp_root = None
    info_map = {}
    if not meta_ref or not pdf.is_stream(meta_ref):
        bad("R06", "the catalog has no /Metadata stream")
        bad("R07", "no XMP packet to read")
    else:
        md = pdf.dict_of(meta_ref)
        if md.get("/Type") != "/Metadata" or md.get("/Subtype") != "/XML":
            bad("R06", f"/Type {md.get('/Type')} /Subtype {md.get('/Subtype')}")
        if "/Filter" in md:
            bad("R06", f"/Filter {md['/Filter']}")
        xmp = pdf.stream_data(meta_ref) or b""
        head = re.match(rb"\s*<\?xpacket ([^?]*)\?>", xmp)
        if not head:
            bad("R07", "no <?xpacket begin=...?> header")
        elif re.search(rb"\b(bytes|encoding)\s*=", head.group(1)):
            bad("R07", "the xpacket header has a bytes or encoding attribute")
        try:
            xmp_root = ET.fromstring(xmp)
        except ET.ParseError as exc:
            bad("R07", f"XMP is not well-formed XML: {exc}")
    props = {}          # (namespace, name) -> element or attribute text
    if xmp_root is not None:
        for desc in xmp_root.iter(f"{{{RDF}}}Description"):
            if desc not in list(xmp_root.iter(f"{{{RDF}}}RDF"))[0]:
                continue
            for k, v in desc.attrib.items():
                if k.startswith("{") and not k.startswith(f"{{{RDF}}}"):
                    props[tuple(k[1:].split("}"))] = v
            for child in desc:
                props[tuple(child.tag[1:].split("}"))] = child
        part = props.get((NS["pdfaid"], "part"))
        conf = props.get((NS["pdfaid"], "conformance"))
        part = part.text if isinstance(part, ET.Element) else part
        conf = conf.text if isinstance(conf, ET.Element) else conf
        if (part or "").strip() != "2" or (conf or "").strip() != "B":
            bad("R07", f"pdfaid:part {part!r}, pdfaid:conformance {conf!r} (want 2, B)")

    # R08 Info and XMP agree
    info = pdf.dict_of(pdf.trailer.get("/Info")) or {}

    def xmp_text(ns, name, container=None):
        e = props.get((NS[ns], name))
        if e is None:
            return None
        if isinstance(e, str):
            return e
        if container:
            items = e.findall(f"{{{RDF}}}{container}/{{{RDF}}}li")
            if container == "Alt":
                d = [li for li in items if li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"]
                items = d or items
            return [li.text or "" for li in items] if container == "Seq" else (items[0].text or "" if items else None)
        return e.text or ""
    pairs = [("/Title", ("dc", "title", "Alt")), ("/Author", ("dc", "creator", "Seq")),
             ("/Subject", ("dc", "description", "Alt")), ("/Keywords", ("pdf", "Keywords", None)),
             ("/Creator", ("xmp", "CreatorTool", None)), ("/Producer", ("pdf", "Producer", None)),
             ("/CreationDate", ("xmp", "CreateDate", None)), ("/ModDate", ("xmp", "ModifyDate", None))]
    for key, (ns, name, container) in pairs:
        if key not in info:
            continue
        value = text_of(info[key])
        got = xmp_text(ns, name, container) if xmp_root is not None else None
        if key == "/Author":
            got = got[0] if isinstance(got, list) and len(got) == 1 else got
        if key.endswith("Date"):
            a, b = pdf_date(value), xmp_date(got)
            if a is None or b is None or a != b or (a.utcoffset() != b.utcoffset()):
                bad("R08", f"Info {key} {value!r} but xmp:{name} {got!r}")
        elif got != value:
            bad("R08", f"Info {key} {value!r} but {ns}:{name} {got!r}")
    if xmp_root is None and info:
        bad("R08", "Info entries without an XMP packet")

    # R09 extension schemas
    if xmp_root is not None:
        declared, types = {}, {}
        for li in xmp_root.iter(f"{{{RDF}}}li"):
            uri = li.find(f"{{{NS['pdfaSchema']}}}namespaceURI")
            if uri is None:
                continue
            names = declared.setdefault(uri.text, {})
            for p in li.iter(f"{{{NS['pdfaProperty']}}}name"):
                parent = [x for x in li.iter(f"{{{RDF}}}li") if p in list(x)]
                vt = parent[0].find(f"{{{NS['pdfaProperty']}}}valueType") if parent else None
                cat_ = parent[0].find(f"{{{NS['pdfaProperty']}}}category") if parent else None
                names[p.text] = (vt.text if vt is not None else None)
                if cat_ is None or cat_.text not in ("internal", "external"):
                    bad("R09", f"property {p.text} of {uri.text} has no internal/external category")
            for t in li.iter(f"{{{NS['pdfaType']}}}type"):
                parent = [x for x in li.iter(f"{{{RDF}}}li") if t in list(x)][0]
                tns = parent.find(f"{{{NS['pdfaType']}}}namespaceURI")
                fields = {f.text for f in parent.iter(f"{{{NS['pdfaField']}}}name")}
                types[t.text] = (tns.text if tns is not None else None, fields)
        for (ns, name), elem in props.items():
            if ns in PREDEFINED or ns == RDF:
                continue
            if ns not in declared or name not in declared[ns]:
                bad("R09", f"property {{{ns}}}{name} is not declared in a pdfaExtension schema")
                continue
            vtype = declared[ns][name] or ""
            base = vtype.split()[-1] if vtype else ""
            if vtype not in BASIC_TYPES and base not in BASIC_TYPES:
                if base not in types:
                    bad("R09", f"value type {vtype} of {name} is not declared")
                elif isinstance(elem, ET.Element):
                    tns, fields = types[base]
                    for f in elem.iter():
                        if f is elem or f.tag.startswith(f"{{{RDF}}}"):
                            continue
                        fns, fname = f.tag[1:].split("}")
                        if fns != tns or fname not in fields:
                            bad("R09", f"field {fname} of {name} is not a declared field of {base}")

    # R10 OutputIntent
    intents = [pdf.dict_of(i) or {} for i in (cat.get("/OutputIntents") or [])]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    oi_space = None
    if not pdfa:
        bad("R10", "no /GTS_PDFA1 OutputIntent")
    profiles = {i.get("/DestOutputProfile") for i in pdfa}
    if len(profiles) > 1:
        bad("R10", "PDF/A OutputIntents with different profiles")
    for i in pdfa:
        if "/OutputConditionIdentifier" not in i:
            bad("R10", "OutputIntent without /OutputConditionIdentifier")
        prof = i.get("/DestOutputProfile")
        icc = pdf.stream_data(prof) if prof else None
        if not icc or len(icc) < 128 or icc[36:40] != b"acsp":
            bad("R10", "DestOutputProfile is not an ICC profile")
            continue
        space = icc[16:20].decode("latin-1")
        oi_space = space
        want = {"RGB ": 3, "GRAY": 1, "CMYK": 4}.get(space)
        n = (pdf.dict_of(prof) or {}).get("/N")
        if want is None or n != want:
            bad("R10", f"ICC colour space {space!r} but /N {n}")
        if icc[8] > 4:
            bad("R10", f"ICC version {icc[8]} is above 4")

    # R12-R14 fonts; R21 kinds of objects
    fonts = Fonts(pdf)
    for owner, d, is_stream in pdf.all_dicts():
        t = d.get("/Type")
        if t == "/FontDescriptor":
            counts["fonts"] += 1
            missing = [k for k in ("/Type", "/FontName", "/Flags", "/FontBBox", "/ItalicAngle",
                                   "/Ascent", "/Descent", "/CapHeight", "/StemV") if k not in d]
            if missing:
                bad("R13", f"{owner} {d.get('/FontName')} lacks {' '.join(missing)}")
            if not any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bad("R12", f"{d.get('/FontName')} is not embedded")
        if t == "/Font" and d.get("/Subtype") in ("/Type1", "/TrueType", "/MMType1", "/CIDFontType0", "/CIDFontType2") \
                and "/FontDescriptor" not in d:
            bad("R12", f"{owner} {d.get('/BaseFont')} has no FontDescriptor (a standard 14 font, not embedded)")
        if d.get("/Subtype") == "/CIDFontType2":
            c2g = d.get("/CIDToGIDMap")
            if c2g != "/Identity" and not pdf.is_stream(c2g):
                bad("R14", f"{owner} {d.get('/BaseFont')} has CIDToGIDMap {c2g!r}")
        if d.get("/Subtype") == "/Type3":
            bad("R21", f"{owner} is a Type 3 font")
        if d.get("/Subtype") in ("/Image",) or d.get("/Subtype") == "/PS":
            bad("R21", f"{owner} is an {d.get('/Subtype')} XObject")
        if "/SMask" in d and d.get("/SMask") != "/None":
            bad("R16", f"{owner} has an /SMask")
        if t == "/ExtGState" or ("/CA" in d or "/ca" in d or "/BM" in d) and not is_stream:
            for k in ("/CA", "/ca"):
                if k in d and d[k] != 1:
                    bad("R16", f"{owner} {k} {d[k]}")
            if "/BM" in d and d["/BM"] not in ("/Normal", "/Compatible", ["/Normal"], ["/Compatible"]):
                bad("R16", f"{owner} blend mode {d['/BM']}")
        grp = pdf.dict_of(d.get("/Group")) if "/Group" in d else None
        if grp and grp.get("/S") == "/Transparency":
            bad("R16", f"{owner} has a transparency group")
        # R17 actions and JavaScript
        if "/JS" in d or d.get("/S") in ("/JavaScript", "/Launch", "/Sound", "/Movie", "/ResetForm",
                                          "/ImportData", "/Hide", "/Rendition", "/SetOCGState",
                                          "/Trans", "/GoTo3DView"):
            bad("R17", f"{owner} has an action {d.get('/S', '/JS')}")
        if "/JavaScript" in d and t != "/Action":
            bad("R17", f"{owner} has a /JavaScript name tree")
        if "/AA" in d and (t in ("/Catalog", "/Page", "/Annot") or d.get("/Subtype") == "/Widget" or "/FT" in d):
            bad("R17", f"{owner} ({t or d.get('/Subtype')}) has /AA")
        # R20 streams
        if is_stream:
            for k in ("/F", "/FFilter", "/FDecodeParms"):
                if k in d:
                    bad("R20", f"{owner} stream has {k} (external data)")
            filt = d.get("/Filter")
            filters = filt if isinstance(filt, list) else [filt] if filt else []
            for f in filters:
                if f in ("/LZWDecode", "/LZW", "/Crypt"):
                    bad("R20", f"{owner} uses {f}")
        if "/EmbeddedFiles" in d or t == "/Filespec" and "/EF" in d:
            bad("R21", f"{owner} embeds a file")
    if "/OCProperties" in cat:
        bad("R21", "the catalog has optional content (/OCProperties)")
    if "/AA" in cat and "R17" not in [r for r in results if results[r]]:
        bad("R17", "the catalog has /AA")
    names = pdf.dict_of(cat.get("/Names")) or {}
    if "/JavaScript" in names:
        bad("R17", "the catalog's name dictionary has /JavaScript")

    # R18, R19 annotations and forms
    allowed = {"/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine",
               "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink",
               "/Popup", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/Redact"}
    for n, (ref, page, res) in enumerate(pdf.pages(), 1):
        if "/AA" in page:
            bad("R17", f"page {n} has /AA")
        for a_ref in page.get("/Annots", []) or []:
            a = pdf.dict_of(a_ref) or {}
            counts["annots"] += 1
            sub = a.get("/Subtype")
            where = f"page {n} {sub} {text_of(a.get('/T')) or a_ref}"
            if sub not in allowed:
                bad("R18", f"{where}: subtype not allowed")
            flags = a.get("/F")
            if not isinstance(flags, (int, float)) or not int(flags) & 4 or int(flags) & (1 | 2 | 32 | 256):
                bad("R18", f"{where}: /F {flags} (Print must be set, Hidden/Invisible/NoView/ToggleNoView clear)")
            rect = a.get("/Rect") or [0, 0, 0, 0]
            area = abs((rect[2] - rect[0]) * (rect[3] - rect[1])) > 0
            ap = pdf.dict_of(a.get("/AP"))
            if sub not in ("/Popup", "/Link") and area and not ap:
                bad("R18", f"{where}: no appearance stream")
            if ap and set(ap) != {"/N"}:
                bad("R18", f"{where}: /AP has {' '.join(sorted(ap))}, only /N is allowed")
            if sub == "/Widget" and ("/A" in a or "/AA" in a):
                bad("R19", f"{where}: widget with /A or /AA")
    form = pdf.dict_of(cat.get("/AcroForm")) or {}
    if form.get("/NeedAppearances") is True:
        bad("R19", "/NeedAppearances true")
    if "/XFA" in form:
        bad("R19", "the form has /XFA")

    # R11, R15 content streams
    for where, data, res in content_streams(pdf):
        def visit(op, operands, font, resd, where=where):
            if op in ("k", "K") and oi_space == "RGB ":
                bad("R11", f"{where}: DeviceCMYK operator {op} with an RGB OutputIntent")
            if op in ("cs", "CS") and operands and operands[-1] == ("name", "/DeviceCMYK") and oi_space == "RGB ":
                bad("R11", f"{where}: /DeviceCMYK colour space with an RGB OutputIntent")
            if op in ("Tj", "TJ", "'", '"'):
                strings = shown_strings(operands)
                if not strings:
                    return
                if font is None:
                    bad("R15", f"{where}: text shown without a font")
                    return
                fi = fonts.info(font)
                if fi["problem"]:
                    bad("R15", f"{where}: {fi['problem']}")
                    return
                for s in strings:
                    for code in fonts.codes(fi, s):
                        counts["codes"] += 1
                        shown = f"<{code[1]:0{2 * code[0]}X}>"
                        cid = fonts.cid(fi, code)
                        gid = 0 if cid is None else fonts.glyph(fi, cid)
                        if gid == 0:
                            bad("R15", f"{where}: code {shown} of {fi['name']} shows .notdef")
                        elif fi.get("glyphs") is not None and gid >= fi["glyphs"]:
                            bad("R15", f"{where}: code {shown} of {fi['name']} maps to glyph {gid}, beyond the font's {fi['glyphs']}")
        walk_content(pdf, data, res, visit, set())

    counts["props"] = len(props)
    if counts["codes"] == 0:
        bad("R15", "no text found to check")
    return [(rule, results[rule]) for rule, _, _ in RULES], counts


def report(path, quiet=False):
    results, counts = check_file(path)
    passed = failed = 0
    for rule, problems in results:
        text = next(t for r, _, t in RULES if r == rule)
        if problems:
            failed += 1
            if not quiet:
                shown = "; ".join(dict.fromkeys(problems))
                print(f"FAIL {rule} {text}: {shown[:600]}")
        else:
            passed += 1
            if not quiet:
                print(f"PASS {rule} {text}")
    if not quiet:
        print(f"read: {counts['props']} XMP properties, {counts['fonts']} font descriptors, "
              f"{counts['codes']} character codes, {counts['annots']} annotations")
    return passed, failed, {r for r, p in results if p}


# ---- self-test: break one rule at a time ---------------------------------------------

def qdf(src, dst):
    rc, _, err = run(["qpdf", "--qdf", "--object-streams=disable", src, dst])
    if rc not in (0, 3):
        raise ToolError(f"qpdf --qdf failed: {err}")


def fix_qdf(src, dst):
    exe = shutil.which("fix-qdf")
    if not exe:
        raise ToolError("fix-qdf (qpdf) not found")
    rc, out, err = run([exe, src])
    if rc != 0:
        raise ToolError(f"fix-qdf failed: {err}")
    with open(dst, "wb") as f:
        f.write(out)


def sub1(pattern, repl, data, flags=0):
    """re.sub once; raises when the pattern is not there (the mutation must apply)."""
    out, n = re.subn(pattern, repl, data, count=1, flags=flags)
    if not n:
        raise ToolError(f"mutation pattern {pattern!r} not found")
    return out


def same_length(old, new, data):
    """Replaces the first old by new (same length, so offsets stay valid)."""
    assert len(old) == len(new), (old, new)
    i = data.find(old)
    if i < 0:
        raise ToolError(f"mutation target {old!r} not found")
    return data[:i] + new + data[i + len(old):]


def first_page_content(data):
    """(start, end) of the first page content stream's data in a QDF file."""
    m = re.search(rb"%% Contents for page 1\n%% Original object ID: \d+ \d+\n\d+ 0 obj\n<<.*?>>\nstream\n", data, re.S)
    if not m:
        raise ToolError("no page 1 content stream in the QDF file")
    end = data.index(b"\nendstream", m.end())
    return m.end(), end


def mutate_notdef(data):
    s, e = first_page_content(data)
    # code 0 (one byte or two: vanban never assigns it, so its CID maps to glyph 0), shown
    # in the first font set
    body = sub1(rb" Tf\n", b" Tf\n<0000> Tj\n", data[s:e])
    return data[:s] + body + data[e:]


def mutate_cmyk(data):
    s, e = first_page_content(data)
    return data[:s] + b"0 0 0 1 k\n" + data[s:e] + data[e:]


def title_letter(raw):
    m = re.search(rb'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">', raw)
    if not m:
        raise ToolError("no dc:title in the XMP")
    i = m.end()
    while raw[i] >= 128 or not chr(raw[i]).isalpha():
        i += 1
    c = raw[i:i + 1]
    return raw[:i] + (b"Q" if c != b"Q" else b"Z") + raw[i + 1:]


# (rule the mutant must fail, what is done, "raw" or "qdf", function on the bytes)
MUTANTS = [
    ("R01", "binary comment line made ASCII", "raw",
     lambda d: d[:9] + b"%xxxx" + d[14:] if d[9:10] == b"%" else None),
    ("R02", "bytes after %%EOF", "raw", lambda d: d + b"junk\n"),
    ("R03", "trailer /ID renamed", "raw", lambda d: same_length(b"/ID [", b"/IX [", d)),
    ("R05", "cross-reference pointer broken", "raw", lambda d: same_length(b"startxref", b"startxreg", d)),
    ("R06", "metadata /Subtype /XML changed", "raw", lambda d: same_length(b"/Subtype /XML", b"/Subtype /XMM", d)),
    ("R07", "pdfaid:part 1", "raw", lambda d: same_length(b"<pdfaid:part>2<", b"<pdfaid:part>1<", d)),
    ("R07", "XMP made malformed", "raw",
     lambda d: same_length(b"</pdfaid:conformance>", b"</pdfaid:conformanc_>", d)),
    ("R08", "XMP title differs from Info", "raw", title_letter),
    ("R08", "XMP CreateDate differs from Info", "raw",
     lambda d: sub1(rb"(<xmp:CreateDate>\d\d\d)(\d)", lambda m: m.group(1) + (b"1" if m.group(2) != b"1" else b"2"), d)),
    ("R09", "an nd30 property left out of the extension schema", "raw",
     lambda d: same_length(b"<pdfaProperty:name>PageAmount<", b"<pdfaProperty:name>PageAmounX<", d)),
    ("R10", "OutputIntent /S changed", "raw", lambda d: same_length(b"/GTS_PDFA1", b"/GTS_PDFX1", d)),
    ("R10", "ICC profile /N 4", "qdf", lambda d: sub1(rb"(/N )3(\n)", rb"\g<1>4\2", d)),
    ("R11", "DeviceCMYK colour in the page", "qdf", mutate_cmyk),
    ("R12", "a font program removed from its descriptor", "qdf",
     lambda d: same_length(b"/FontFile2", b"/FontFileX", d)),
    ("R13", "CapHeight removed", "qdf", lambda d: same_length(b"/CapHeight", b"/CapHeighX", d)),
    ("R14", "CIDToGIDMap removed", "qdf", lambda d: same_length(b"/CIDToGIDMap", b"/CIDToGIDMaX", d)),
    ("R15", "a code without a glyph shown", "qdf", mutate_notdef),
    ("R16", "a transparency group on a page", "qdf",
     lambda d: sub1(rb"(/Type /Page\n)", rb"/Group << /S /Transparency /CS /DeviceRGB >>\n\1", d)),
    ("R17", "JavaScript in the form dictionary", "raw", lambda d: same_length(b"/SigFlags 1", b"/JS (app())", d)),
    ("R18", "a signature widget made hidden", "qdf", lambda d: sub1(rb"(/F )4(\n)", rb"\g<1>6\2", d)),
    ("R18", "an appearance with /D as well as /N", "qdf",
     lambda d: sub1(rb"(/AP <<\n\s*/N (\d+ 0 R)\n)", rb"\1/D \2\n", d)),
    ("R19", "NeedAppearances true", "qdf", lambda d: sub1(rb"(/SigFlags 1\n)", rb"\1/NeedAppearances true\n", d)),
    ("R20", "a stream with external data", "qdf",
     lambda d: sub1(rb"(/Subtype /XML\n)", rb"\1/F (outside.xml)\n", d)),
    ("R21", "optional content in the catalog", "qdf",
     lambda d: sub1(rb"(/Type /Catalog\n)", rb"\1/OCProperties << /OCGs [ ] /D << >> >>\n", d)),
]


def selftest(path):
    passed, failed, broken = report(path, quiet=True)
    if failed:
        print(f"FAIL selftest: the input file itself fails {', '.join(sorted(broken))}")
        return 1
    ok = bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        with open(path, "rb") as f:
            raw = f.read()
        base = os.path.join(tmp, "base.pdf")
        qdf(path, base)
        p2, f2, broken = report(base, quiet=True)
        if f2:
            print(f"FAIL selftest: the QDF copy already fails {', '.join(sorted(broken))}")
            return 1
        with open(base, "rb") as f:
            qdf_bytes = f.read()
        for k, (rule, what, kind, fn) in enumerate(MUTANTS):
            mutant = os.path.join(tmp, f"m{k}.pdf")
            try:
                data = fn(raw if kind == "raw" else qdf_bytes)
                if data is None:
                    raise ToolError("mutation does not apply")
                if kind == "qdf":
                    with open(mutant + ".qdf", "wb") as f:
                        f.write(data)
                    fix_qdf(mutant + ".qdf", mutant)
                else:
                    with open(mutant, "wb") as f:
                        f.write(data)
                _, nfail, broken = report(mutant, quiet=True)
            except ToolError as exc:
                print(f"FAIL mutant {rule} ({what}): {exc}")
                bad += 1
                continue
            if rule in broken:
                print(f"PASS mutant {rule} ({what}) caught")
                ok += 1
            else:
                print(f"FAIL mutant {rule} ({what}) not caught; failed: {sorted(broken)}")
                bad += 1
    covered = {m[0] for m in MUTANTS}
    print(f"selftest: {len(covered)} of {len(RULES)} rules have a mutant "
          f"(not: {', '.join(r for r, _, _ in RULES if r not in covered)})")
    print(f"{ok} passed, {bad} failed")
    return 1 if bad else 0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf")
    ap.add_argument("--selftest", metavar="PDF")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    try:
        if args.list:
            for rule, clause, text in RULES:
                print(f"{rule} [{clause}] {text}")
            return 0
        if args.selftest:
            return selftest(args.selftest)
        if not args.pdf:
            ap.error("give --pdf FILE, --selftest FILE or --list")
        passed, failed, _ = report(args.pdf)
        print(f"{passed} passed, {failed} failed")
        return 1 if failed else 0
    except (ToolError, OSError, ValueError) as exc:
        print(f"pdfa_rules.py: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
