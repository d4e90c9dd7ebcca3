#!/usr/bin/env python3
"""gen_exports.py - write the sample unit exports in samples/exports/.

Usage:
    python3 tests/gen_exports.py [OUTDIR]        (default: samples/exports)

Writes OUTDIR/2022/*.csv and OUTDIR/2023/*.csv: one file per reporting unit
and year (the 13 units of samples/units.csv), one data row each, in the
export contract (gen/dataset.h).  The figures are invented but plausible for
a Mekong-delta province; they are drawn from a seeded RNG, so every run
writes byte-identical files.  The files are committed as produced; this
script is kept so that they can be reproduced or regenerated.

The seed is the first one, counting up from SEED, whose 2023 province totals
land where the sample report needs them:
  target 1  harmonious / with union      86,5 .. 92 %   (> 85 %: met)
  target 2  agreement / with union       91 .. 95 %     (= 100 %: not met)
  target 3  more favourable / agreements 65,5 .. 70 %   (>= 65 %: met)
and no ratio or year-on-year change sits exactly on a rounding tie.

The 2023 files exercise every input form the reader accepts (see FORMATS);
the 2022 files are plain UTF-8 with ',' delimiters.

Python 3 standard library; TCVN3 is written through iconv(1).
"""

import csv
import io
import os
import random
import subprocess
import sys
import unicodedata

SEED = 125

COLUMNS = [
    "ma_don_vi", "ten_don_vi", "nam",
    "so_doanh_nghiep", "so_dn_co_cdcs", "so_dn_cdcs_qhld_hai_hoa",
    "so_dn_cdcs_co_tuldtt", "so_tuldtt_co_loi_hon", "so_cuoc_doi_thoai",
    "so_vu_tranh_chap", "so_vu_tranh_chap_da_giai_quyet",
    "so_cuoc_ngung_viec", "so_nguoi_ngung_viec",
    "so_cuoc_thanh_tra_kiem_tra", "so_vu_vi_pham_xu_ly", "tien_phat",
    "so_hoa_giai_vien", "so_lop_tap_huan", "so_luot_nguoi_tap_huan",
    "so_cuoc_tuyen_truyen", "ghi_chu",
]
NUMERIC = COLUMNS[3:-1]

# code, name, kind, (min, max) enterprises in 2023
UNITS = [
    ("ST-TP", "Thành phố Sóc Trăng", "district", (780, 900)),
    ("ST-VC", "Thị xã Vĩnh Châu", "district", (330, 450)),
    ("ST-NN", "Thị xã Ngã Năm", "district", (180, 260)),
    ("ST-CT", "Huyện Châu Thành", "district", (420, 560)),
    ("ST-KS", "Huyện Kế Sách", "district", (300, 420)),
    ("ST-MT", "Huyện Mỹ Tú", "district", (190, 280)),
    ("ST-CLD", "Huyện Cù Lao Dung", "district", (150, 210)),
    ("ST-LP", "Huyện Long Phú", "district", (240, 340)),
    ("ST-MX", "Huyện Mỹ Xuyên", "district", (380, 520)),
    ("ST-TT", "Huyện Thạnh Trị", "district", (170, 250)),
    ("ST-TD", "Huyện Trần Đề", "district", (260, 380)),
    ("ST-BQLKCN", "Ban Quản lý các Khu công nghiệp tỉnh", "izboard", (60, 120)),
    ("ST-LDLD", "Liên đoàn Lao động tỉnh", "federation", None),
]

# How each 2023 file is written (2022: all "plain").
#   encoding, delimiter, grouping mark for thousands (None: plain digits),
#   line end, first line "sep=;", NFD text, BOM
FORMATS = {
    "ST-VC": dict(enc="utf-8", bom=True, delim=",", group=",", eol="\r\n"),
    "ST-NN": dict(enc="utf-8", nfd=True, delim=","),
    "ST-CT": dict(enc="utf-8", sep_line=True, delim=";", group="."),
    "ST-KS": dict(enc="cp1258", delim=";", group=".", eol="\r\n"),
    "ST-MT": dict(enc="utf-8", delim="\t"),
    "ST-CLD": dict(enc="tcvn3", delim=",", eol="\r\n"),
}

NOTES_2023 = {
    "ST-TP": "Số liệu doanh nghiệp theo Chi cục Thống kê đến 30/9/2023",
    "ST-VC": "Số liệu tổng hợp từ các phường, xã; doanh nghiệp thủy sản chiếm đa số",
    "ST-NN": "Tăng cường đối thoại định kỳ tại doanh nghiệp",
    "ST-CT": "",
    "ST-KS": "Đoàn kiểm tra liên ngành của huyện, 02 đợt",
    "ST-MT": "",
    "ST-CLD": "Số liệu do phần mềm cũ xuất ra",
    "ST-LP": "",
    "ST-MX": "Hòa giải viên được bổ nhiệm mới theo Quyết định của UBND huyện",
    "ST-TT": "",
    "ST-TD": "Tuyên truyền pháp luật lao động cho người lao động ở vùng ven biển",
    "ST-BQLKCN": "Khu công nghiệp An Nghiệp; hòa giải viên: không áp dụng "
                 "(do cấp huyện bổ nhiệm)",
    "ST-LDLD": 'Phối hợp tổ chức "Tháng Công nhân", "Diễn đàn đối thoại" '
               'tại KCN An Nghiệp, Trần Đề;\n'
               'các cột doanh nghiệp, tranh chấp, thanh tra: không áp dụng '
               '(Sở LĐTBXH tổng hợp)',
}

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def round_half_up_1(num, den):
    """100*num/den rounded half up to tenths, as an integer count of tenths."""
    return (2000 * num + den) // (2 * den)


def is_tie(num, den):
    """True when 100*num/den lies exactly on a .x5 rounding tie."""
    return (2000 * num) % (2 * den) == den


def draw_unit(rng, kind, span):
    """One unit's 2023 figures (None = empty cell)."""
    r = {}
    if kind == "federation":
        for k in NUMERIC:
            r[k] = None
        r["so_cuoc_doi_thoai"] = rng.randint(25, 45)
        r["so_lop_tap_huan"] = rng.randint(14, 24)
        r["so_luot_nguoi_tap_huan"] = rng.randint(2600, 4400)
        r["so_cuoc_tuyen_truyen"] = rng.randint(90, 150)
        return r
    n = rng.randint(*span)
    rate = rng.uniform(0.62, 0.78) if kind == "izboard" else rng.uniform(0.10, 0.35)
    union = max(1, round(n * rate))
    r["so_doanh_nghiep"] = n
    r["so_dn_co_cdcs"] = union
    r["so_dn_cdcs_qhld_hai_hoa"] = round(union * rng.uniform(0.80, 0.95))
    r["so_dn_cdcs_co_tuldtt"] = round(union * rng.uniform(0.85, 0.995))
    r["so_tuldtt_co_loi_hon"] = round(r["so_dn_cdcs_co_tuldtt"] * rng.uniform(0.55, 0.75))
    r["so_cuoc_doi_thoai"] = rng.randint(max(3, union // 3), max(8, union))
    disputes = rng.randint(0, 12)
    r["so_vu_tranh_chap"] = disputes
    r["so_vu_tranh_chap_da_giai_quyet"] = max(0, disputes - rng.choice([0, 0, 0, 1, 1, 2]))
    strikes = rng.choice([0, 0, 0, 0, 1, 1, 2]) if n > 300 or kind == "izboard" else 0
    r["so_cuoc_ngung_viec"] = strikes
    r["so_nguoi_ngung_viec"] = sum(rng.randint(40, 350) for _ in range(strikes))
    insp = rng.randint(4, 16)
    r["so_cuoc_thanh_tra_kiem_tra"] = insp
    viol = rng.randint(0, min(insp, 8))
    r["so_vu_vi_pham_xu_ly"] = viol
    r["tien_phat"] = sum(rng.randint(8, 50) * 500_000 for _ in range(viol))
    r["so_hoa_giai_vien"] = None if kind == "izboard" else rng.randint(5, 15)
    r["so_lop_tap_huan"] = rng.randint(2, 10)
    r["so_luot_nguoi_tap_huan"] = rng.randint(180, 1900)
    r["so_cuoc_tuyen_truyen"] = rng.randint(10, 60)
    return r


def previous_year(rng, cur):
    """The 2022 figures: the same unit, slightly lower, rules kept."""
    p = {}
    for k, v in cur.items():
        p[k] = None if v is None else v
    if cur["so_doanh_nghiep"] is not None:
        n = round(cur["so_doanh_nghiep"] * rng.uniform(0.88, 0.97))
        union = min(n, round(cur["so_dn_co_cdcs"] * rng.uniform(0.84, 0.97)))
        p["so_doanh_nghiep"] = n
        p["so_dn_co_cdcs"] = union
        p["so_dn_cdcs_qhld_hai_hoa"] = round(union * rng.uniform(0.78, 0.93))
        p["so_dn_cdcs_co_tuldtt"] = round(union * rng.uniform(0.82, 0.97))
        p["so_tuldtt_co_loi_hon"] = round(p["so_dn_cdcs_co_tuldtt"] * rng.uniform(0.52, 0.70))
        p["so_cuoc_doi_thoai"] = round(cur["so_cuoc_doi_thoai"] * rng.uniform(0.75, 0.95))
        disputes = rng.randint(0, 12)
        p["so_vu_tranh_chap"] = disputes
        p["so_vu_tranh_chap_da_giai_quyet"] = max(0, disputes - rng.choice([0, 0, 1, 1, 2]))
        strikes = rng.choice([0, 0, 0, 1]) if cur["so_cuoc_ngung_viec"] else 0
        p["so_cuoc_ngung_viec"] = strikes
        p["so_nguoi_ngung_viec"] = sum(rng.randint(40, 300) for _ in range(strikes))
        insp = max(2, cur["so_cuoc_thanh_tra_kiem_tra"] - rng.randint(0, 3))
        p["so_cuoc_thanh_tra_kiem_tra"] = insp
        viol = rng.randint(0, min(insp, 7))
        p["so_vu_vi_pham_xu_ly"] = viol
        p["tien_phat"] = sum(rng.randint(8, 45) * 500_000 for _ in range(viol))
    for k in ("so_hoa_giai_vien", "so_lop_tap_huan", "so_luot_nguoi_tap_huan",
              "so_cuoc_tuyen_truyen"):
        if cur[k] is not None:
            p[k] = max(1, round(cur[k] * rng.uniform(0.78, 0.97)))
    if cur["so_doanh_nghiep"] is None and cur["so_cuoc_doi_thoai"] is not None:
        p["so_cuoc_doi_thoai"] = round(cur["so_cuoc_doi_thoai"] * rng.uniform(0.75, 0.95))
    return p


def totals(rows):
    t = {}
    for k in NUMERIC:
        vals = [r[k] for r in rows if r[k] is not None]
        t[k] = sum(vals)
    return t


def check_rules(r):
    """Every part <= its whole, no negatives."""
    def le(a, b):
        return r[a] is None or r[b] is None or r[a] <= r[b]
    ok = all(v is None or v >= 0 for v in (r[k] for k in NUMERIC))
    ok = ok and le("so_dn_co_cdcs", "so_doanh_nghiep")
    ok = ok and le("so_dn_cdcs_qhld_hai_hoa", "so_dn_co_cdcs")
    ok = ok and le("so_dn_cdcs_co_tuldtt", "so_dn_co_cdcs")
    ok = ok and le("so_tuldtt_co_loi_hon", "so_dn_cdcs_co_tuldtt")
    ok = ok and le("so_vu_tranh_chap_da_giai_quyet", "so_vu_tranh_chap")
    if r["so_cuoc_ngung_viec"] == 0 and r["so_nguoi_ngung_viec"]:
        ok = False
    if r["so_vu_vi_pham_xu_ly"] == 0 and r["tien_phat"]:
        ok = False
    return ok


def acceptable(cur, prev):
    t, p = totals(cur), totals(prev)
    u = t["so_dn_co_cdcs"]
    pairs = [(t["so_dn_cdcs_qhld_hai_hoa"], u), (t["so_dn_cdcs_co_tuldtt"], u),
             (t["so_tuldtt_co_loi_hon"], t["so_dn_cdcs_co_tuldtt"])]
    for k in ("so_doanh_nghiep", "so_dn_co_cdcs"):
        pairs.append((t[k] - p[k], p[k]))
    if any(is_tie(a, b) for a, b in pairs):
        return False
    r1, r2, r3 = (round_half_up_1(a, b) for a, b in pairs[:3])
    if not (865 <= r1 <= 920 and 910 <= r2 <= 950 and 655 <= r3 <= 700):
        return False
    if t["so_luot_nguoi_tap_huan"] < 10000 or t["tien_phat"] < 100_000_000:
        return False
    return all(check_rules(r) for r in cur + prev)


def generate():
    seed = SEED
    while True:
        rng = random.Random(seed)
        cur = []
        for code, name, kind, span in UNITS:
            r = draw_unit(rng, kind, span)
            r.update(ma_don_vi=code, ten_don_vi=name, nam=2023,
                     ghi_chu=NOTES_2023.get(code, ""))
            cur.append(r)
        prev = []
        for r in cur:
            p = previous_year(rng, r)
            p.update(ma_don_vi=r["ma_don_vi"], ten_don_vi=r["ten_don_vi"],
                     nam=2022, ghi_chu="")
            prev.append(p)
        if acceptable(cur, prev):
            return seed, cur, prev
        seed += 1


def group(n, mark):
    s = str(n)
    if mark is None or len(s) < 4:
        return s
    out = []
    while len(s) > 3:
        out.insert(0, s[-3:])
        s = s[:-3]
    out.insert(0, s)
    return mark.join(out)


def encode_cp1258(text):
    """Windows-1258: precomposed where the code page has the letter, else base
    letter (itself composed: ê, ơ, ư ...) followed by a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONE_MARKS))
        out += base.encode("cp1258") + tones.encode("cp1258")
    data = bytes(out)
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == \
        unicodedata.normalize("NFC", text)
    return data


def encode_tcvn3(text):
    """TCVN 5712:1993 (TCVN3, the old VnTime fonts' code) through iconv."""
    data = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"],
                          input=text.encode("utf-8"), capture_output=True,
                          check=True).stdout
    back = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
                          input=data, capture_output=True, check=True).stdout
    assert unicodedata.normalize("NFC", back.decode("utf-8")) == \
        unicodedata.normalize("NFC", text)
    return data


def render(row, fmt):
    delim = fmt.get("delim", ",")
    mark = fmt.get("group")
    eol = fmt.get("eol", "\n")
    buf = io.StringIO()
    if fmt.get("sep_line"):
        buf.write("sep=" + delim + eol)
    w = csv.writer(buf, delimiter=delim, lineterminator=eol,
                   quoting=csv.QUOTE_MINIMAL)
    w.writerow(COLUMNS)
    cells = []
    for k in COLUMNS:
        v = row[k]
        if k in NUMERIC:
            cells.append("" if v is None else group(v, mark))
        else:
            cells.append(str(v))
    w.writerow(cells)
    text = buf.getvalue()
    if fmt.get("nfd"):
        text = unicodedata.normalize("NFD", text)
    enc = fmt.get("enc", "utf-8")
    if enc == "cp1258":
        return encode_cp1258(text)
    if enc == "tcvn3":
        return encode_tcvn3(text)
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if fmt.get("bom") else data


def main(argv):
    outdir = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "samples", "exports")
    seed, cur, prev = generate()
    for year, rows, formats in (("2023", cur, FORMATS), ("2022", prev, {})):
        d = os.path.join(outdir, year)
        os.makedirs(d, exist_ok=True)
        for r in rows:
            path = os.path.join(d, r["ma_don_vi"].lower() + ".csv")
            with open(path, "wb") as f:
                f.write(render(r, formats.get(r["ma_don_vi"], {})))
    t = totals(cur)
    print(f"seed {seed}; 2023 totals: " +
          ", ".join(f"{k}={t[k]}" for k in NUMERIC), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
