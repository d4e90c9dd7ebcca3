#!/bin/sh
# consolidate.sh: consolidation throughput and memory on a generated export set.
#
#   bench/consolidate.sh [SIZE_MB] [UNITS]     (default 1024 MB, 2000 units)
#
# Generates a units directory of UNITS units and one export file per unit holding a row for
# every year from 1900 to 2100, each with a long remark, until the set reaches SIZE_MB; then
# times 'vanban check' (every row checked, nothing kept) and 'vanban report --year 2023'
# (every row checked, the year's records aggregated and rendered) and prints MB/s and the
# peak RSS. check's memory is bounded by units x years, not by the bytes read; report's
# also holds the rendered document, whose appendix prints every unit's remark.
set -eu
size_mb=${1:-1024}
units=${2:-2000}
top=$(cd "$(dirname "$0")/.." && pwd)
vanban=${VANBAN:-$top/gen/vanban}
work=$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export VANBAN_DATADIR="$top"

python3 - "$work" "$size_mb" "$units" <<'PY'
import os, sys
work, size_mb, units = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
years = list(range(1900, 2101))
row_bytes = size_mb * 1024 * 1024 // (units * len(years))
cols = ("ma_don_vi,ten_don_vi,nam,so_doanh_nghiep,so_dn_co_cdcs,so_dn_cdcs_qhld_hai_hoa,"
        "so_dn_cdcs_co_tuldtt,so_tuldtt_co_loi_hon,so_cuoc_doi_thoai,so_vu_tranh_chap,"
        "so_vu_tranh_chap_da_giai_quyet,so_cuoc_ngung_viec,so_nguoi_ngung_viec,"
        "so_cuoc_thanh_tra_kiem_tra,so_vu_vi_pham_xu_ly,tien_phat,so_hoa_giai_vien,"
        "so_lop_tap_huan,so_luot_nguoi_tap_huan,so_cuoc_tuyen_truyen,ghi_chu\n")
with open(os.path.join(work, "units.csv"), "w", encoding="utf-8") as f:
    f.write("code,name,level,order\n")
    for u in range(units):
        f.write(f"U{u:05d},Đơn vị thử nghiệm số {u},huyen,{u + 1}\n")
os.mkdir(os.path.join(work, "exports"))
remark_unit = "Số liệu tổng hợp từ các phường, xã; "
for u in range(units):
    lines = [cols]
    for y in years:
        base = f"U{u:05d},Đơn vị thử nghiệm số {u},{y},{500 + u % 300},{120 + u % 50},100,110,70,40,5,4,1,150,12,6,45000000,5,4,900,30,"
        pad = max(0, row_bytes - len(base.encode()) - 3)
        # cut the repeated remark at pad bytes, never inside a character
        remark = (remark_unit * (pad // len(remark_unit) + 1)).encode()[:pad].decode("utf-8", "ignore")
        lines.append(base + '"' + remark + '"\n')
    with open(os.path.join(work, "exports", f"u{u:05d}.csv"), "w", encoding="utf-8") as f:
        f.writelines(lines)
PY
bytes=$(du -sb "$work/exports" | cut -f1)
mb=$(awk "BEGIN { printf \"%.0f\", $bytes / 1048576 }")
echo "export set: $mb MB in $units files, $((units * 201)) rows ($units units x 201 years)"

measure() { # measure LABEL COMMAND...: prints seconds, MB/s and peak RSS
    label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
        echo "$label: failed"; tail -3 "$work/err"; return 1; }
    set -- $(cat "$work/time")
    awk -v l="$label" -v s="$1" -v k="$2" -v b="$bytes" 'BEGIN {
        printf "%-28s %7.2f s  %7.1f MB/s  peak RSS %6.1f MB\n", l, s, b / 1048576 / s, k / 1024 }'
}
measure "check (all rows)" "$vanban" check --units "$work/units.csv" "$work/exports"/*.csv
measure "report --year 2023" "$vanban" report --units "$work/units.csv" --year 2023 \
    --max-pages 5000 "$work/exports" -o "$work/report.pdf"
