"""export.py OUT.csv [--sep ;] ROW...: writes a unit export for the hostile cases.

Each ROW is CODE:YEAR[:FIELD=VALUE...] (fields separated by ':'); every other figure is
the sample's (Huyện Mỹ Xuyên, 2023), and the name is the unit's code. With --units FILE,
also writes the units directory of the codes used, in order."""
import sys

HEADER = ("ma_don_vi,ten_don_vi,nam,so_doanh_nghiep,so_dn_co_cdcs,so_dn_cdcs_qhld_hai_hoa,"
          "so_dn_cdcs_co_tuldtt,so_tuldtt_co_loi_hon,so_cuoc_doi_thoai,so_vu_tranh_chap,"
          "so_vu_tranh_chap_da_giai_quyet,so_cuoc_ngung_viec,so_nguoi_ngung_viec,"
          "so_cuoc_thanh_tra_kiem_tra,so_vu_vi_pham_xu_ly,tien_phat,so_hoa_giai_vien,"
          "so_lop_tap_huan,so_luot_nguoi_tap_huan,so_cuoc_tuyen_truyen,ghi_chu").split(",")
SAMPLE = ("397,117,101,109,79,41,9,9,1,207,11,3,51000000,5,3,801,38").split(",")

args = sys.argv[1:]
out = args.pop(0)
sep, units = ",", None
while args and args[0].startswith("--"):
    opt = args.pop(0)
    if opt == "--sep":
        sep = args.pop(0)
    elif opt == "--units":
        units = args.pop(0)
rows, codes = [HEADER], []
for spec in args:
    code, year, *fields = spec.split(":")
    row = dict(zip(HEADER[3:], SAMPLE))
    row.update(ma_don_vi=code, ten_don_vi="Đơn vị " + code, nam=year, ghi_chu="")
    for f in fields:
        name, value = f.split("=", 1)
        row[name] = value
    rows.append([row[h] for h in HEADER])
    if code not in codes:
        codes.append(code)
with open(out, "w", encoding="utf-8") as f:
    for r in rows:
        f.write(sep.join('"%s"' % c.replace('"', '""') if sep in c or '"' in c or "\n" in c
                         else c for c in r) + "\n")
if units:
    with open(units, "w", encoding="utf-8") as f:
        f.write("code,name,level,order\n")
        for i, code in enumerate(codes):
            f.write("%s,Huyện %s,huyen,%d\n" % (code, code, i + 1))
