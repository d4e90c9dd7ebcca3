#!/bin/sh
# consolidate.sh: consolidation throughput and memory on a generated export set.
#
#   bench/consolidate.sh [SIZE_MB] [UNITS]     (default 1024 MB, 2000 units)
#
# Generates a units directory of UNITS units and one export file per unit holding a row for
# every year from 1900 to 2100, each with a short remark (ghi_chu, printed in the report's
# appendix) and a long quoted description in an extra column (chi_tiet: read, checked and
# kept, not printed) sized so that the set reaches SIZE_MB; then times libcsv's bare parse
# of the set (bench/csvbare.c: the same 64 KiB reads and libcsv options as vanban, and
# callbacks that only count), 'vanban check' (every row checked, nothing kept) and 'vanban
# report --year 2023' (every row checked, the year's records aggregated and rendered) and
# prints, for each, the wall-clock time and MB/s, the CPU time (user + system: on a shared
# machine the wall clock also counts other people's work) and MB per CPU second, and the
# peak RSS; each is run BENCH_RUNS times (default 3) and its best run shown. Last, check's
# rate beside libcsv's: check must stay within 1.5x of it (at least 2/3 of its MB per CPU
# second). check's memory is bounded by units x years, not by the bytes read; report's
# also holds the rendered document, whose appendix lists every unit with its remark.
#
# BENCH_DIR=DIR keeps the generated set in DIR and reuses it when it is already there for
# the same SIZE_MB and UNITS; VANBAN=PATH times another build. The ingest target of issue 6
# is 300 MB/s for check.
set -eu
size_mb=${1:-1024}
units=${2:-2000}
top=$(cd "$(dirname "$0")/.." && pwd)
vanban=${VANBAN:-$top/gen/vanban}
work=$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export VANBAN_DATADIR="$top"
set_dir=${BENCH_DIR:-$work/set}
mkdir -p "$set_dir"

params="$size_mb $units remark+detail"      # what the set in BENCH_DIR was made with
if [ "$(cat "$set_dir/params" 2>/dev/null)" != "$params" ]; then
rm -rf "$set_dir/exports" "$set_dir/units.csv" "$set_dir/params"
python3 - "$set_dir" "$size_mb" "$units" <<'PY'
import os, sys
work, size_mb, units = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
years = list(range(1900, 2101))
row_bytes = size_mb * 1024 * 1024 // (units * len(years))
cols = ("ma_don_vi,ten_don_vi,nam,so_doanh_nghiep,so_dn_co_cdcs,so_dn_cdcs_qhld_hai_hoa,"
        "so_dn_cdcs_co_tuldtt,so_tuldtt_co_loi_hon,so_cuoc_doi_thoai,so_vu_tranh_chap,"
        "so_vu_tranh_chap_da_giai_quyet,so_cuoc_ngung_viec,so_nguoi_ngung_viec,"
        "so_cuoc_thanh_tra_kiem_tra,so_vu_vi_pham_xu_ly,tien_phat,so_hoa_giai_vien,"
        "so_lop_tap_huan,so_luot_nguoi_tap_huan,so_cuoc_tuyen_truyen,ghi_chu,chi_tiet\n")
with open(os.path.join(work, "units.csv"), "w", encoding="utf-8") as f:
    f.write("code,name,level,order\n")
    for u in range(units):
        f.write(f"U{u:05d},Đơn vị thử nghiệm số {u},huyen,{u + 1}\n")
os.mkdir(os.path.join(work, "exports"))
remark_unit = "Số liệu tổng hợp từ các phường, xã; "
detail_unit = "Doanh nghiệp có công đoàn cơ sở đã ký thỏa ước lao động tập thể, đối thoại định kỳ; "

def cut(unit, size):
    """unit repeated and cut at size bytes, never inside a character"""
    return (unit * (size // len(unit) + 1)).encode()[:size].decode("utf-8", "ignore")

for u in range(units):
    lines = [cols]
    for y in years:
        base = f"U{u:05d},Đơn vị thử nghiệm số {u},{y},{500 + u % 300},{120 + u % 50},100,110,70,40,5,4,1,150,12,6,45000000,5,4,900,30,"
        pad = max(0, row_bytes - len(base.encode()) - 6)
        remark = cut(remark_unit, min(pad, 150))
        detail = cut(detail_unit, pad - len(remark.encode()))
        lines.append(base + '"' + remark + '","' + detail + '"\n')
    with open(os.path.join(work, "exports", f"u{u:05d}.csv"), "w", encoding="utf-8") as f:
        f.writelines(lines)
PY
echo "$params" >"$set_dir/params"
fi
bytes=$(du -sb "$set_dir/exports" | cut -f1)
mb=$(awk "BEGIN { printf \"%.0f\", $bytes / 1048576 }")
echo "export set: $mb MB in $units files, $((units * 201)) rows ($units units x 201 years)"

runs=${BENCH_RUNS:-3}
measure() { # measure LABEL COMMAND...: prints seconds, MB/s, CPU seconds and peak RSS (best run)
    label=$1; shift
    : >"$work/times"
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
            echo "$label: failed"; tail -3 "$work/err"; return 1; }
        cat "$work/time" >>"$work/times"
        i=$((i + 1))
    done
    awk -v l="$label" -v b="$bytes" '
        { cpu = $2 + $3; if (NR == 1 || $1 < s) s = $1; if (NR == 1 || cpu < c) c = cpu
          if ($4 > k) k = $4 }
        END { if (s < 0.01) s = 0.01; if (c < 0.01) c = 0.01
              printf "%-20s %6.2f s %7.1f MB/s   CPU %6.2f s (%6.1f MB per CPU s)   peak RSS %6.1f MB\n",
                     l, s, b / 1048576 / s, c, b / 1048576 / c, k / 1024
              printf "%s %s %s\n", l, s, c >"/dev/stderr" }' "$work/times" 2>>"$work/best"
}
cat "$set_dir/exports"/*.csv >/dev/null      # time the reading of files, not of the disk
${CC:-cc} -O2 -o "$work/csvbare" "$top/bench/csvbare.c" -lcsv
measure "libcsv bare parse" "$work/csvbare" "$set_dir/exports"/*.csv
measure "check (all rows)" "$vanban" check --units "$set_dir/units.csv" "$set_dir/exports"/*.csv
measure "report --year 2023" "$vanban" report --units "$set_dir/units.csv" --year 2023 \
    --max-pages 5000 "$set_dir/exports" -o "$work/report.pdf"
# check against libcsv alone: the ratio of their best times (1.5 at most is the target)
awk '/^libcsv/ { ls = $(NF - 1); lc = $NF } /^check/ { cs = $(NF - 1); cc = $NF }
     END { printf "check / libcsv bare: %.2f x wall-clock, %.2f x CPU (target: at most 1.5 x)\n",
                  cs / ls, cc / lc }' "$work/best"
