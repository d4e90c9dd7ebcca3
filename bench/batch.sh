#!/bin/sh
# batch.sh: the batch benchmark of issue 6, printed for this machine.
#
#   bench/batch.sh [COPIES] [CONSOLIDATE_MB]     (default 1000 copies, 1024 MB; 0 MB skips it)
#
# (a) the 8-page Sóc Trăng plan and (b) the annual report, each rendered COPIES times by
# one `vanban batch` run (--force, every document made), with -j 1 and -j 2: wall time, ms
# per document, pages per second, CPU ms per document, KB per PDF and the peak RSS of the
# run's processes (the largest of the parent and its workers: GNU time reports the maximum
# over the process and the children it waited for). Then the consolidation throughput on a
# generated export set (bench/consolidate.sh). Targets (issue 6): <= 3 ms per plan per core,
# <= 60 KB per plan PDF, <= 16 MB RSS per worker, >= 300 MB/s CSV ingest.
#
# Timings are wall-clock on a shared machine: run it when nothing else is running, and look
# at the CPU column too. The PDFs are the default output (PDF/A-2b, ND30 metadata, outline,
# signature fields); the plan is also measured with --no-pdfa --no-sign-fields.
set -eu
copies=${1:-1000}
consolidate_mb=${2:-1024}
top=$(cd "$(dirname "$0")/.." && pwd)
vanban=${VANBAN:-$top/gen/vanban}
work=$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export VANBAN_DATADIR="$top"
command -v pdfinfo >/dev/null || { echo "batch.sh: needs pdfinfo (poppler-utils)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "batch.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }

# the jobs files: the same document COPIES times under different names
python3 - "$work" "$copies" "$top" <<'PY'
import csv, os, sys
work, copies, top = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(os.path.join(work, "plan.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["document", "output", "n"])
    for i in range(copies):
        w.writerow([os.path.join(top, "samples/plans/soc-trang-125-kh-ubnd.xml"),
                    "plan-{n}.pdf", f"{i:05d}"])
with open(os.path.join(work, "report.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["template", "output", "n", "year", "exports", "previous", "date"])
    for i in range(copies):
        w.writerow([os.path.join(top, "templates/bao-cao-nam.xml"), "report-{n}.pdf",
                    f"{i:05d}", "2023", os.path.join(top, "samples/exports/2023"),
                    os.path.join(top, "samples/exports/2022"), "2023-11-28"])
PY

# run NAME JOBS JOBS_N [OPTIONS…]: one timed batch run; prints one table row
run() {
    name=$1 jobs=$2 j=$3
    shift 3
    out="$work/out-$name-$j"
    rm -rf "$out"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
        "$vanban" batch "$work/$jobs" -o "$out" -j "$j" -q --force "$@"
    read -r wall user sys rss <"$work/time"
    first=$(find "$out" -name '*.pdf' | sort | head -n 1)
    pages=$(pdfinfo "$first" | awk '/^Pages:/ {print $2}')
    n=$(find "$out" -name '*.pdf' | wc -l)
    [ "$n" -eq "$copies" ] || { echo "batch.sh: $n PDFs written, $copies expected" >&2; exit 1; }
    bytes=$(find "$out" -name '*.pdf' -printf '%s\n' | awk '{s += $1} END {print s}')
    awk -v name="$name" -v j="$j" -v n="$n" -v wall="$wall" -v user="$user" -v sys="$sys" \
        -v rss="$rss" -v pages="$pages" -v bytes="$bytes" 'BEGIN {
        printf "%-22s %3s %6d %8.2f %8.2f %8.0f %8.2f %8.1f %8.1f\n", name, j, n, wall,
               wall * 1000 / n, pages * n / wall, (user + sys) * 1000 / n, bytes / n / 1024,
               rss / 1024 }'
    rm -rf "$out"
}

echo "vanban batch benchmark: $copies copies per run, $(nproc) cores, $(uname -m)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-22s %3s %6s %8s %8s %8s %8s %8s %8s\n" document -j docs wall_s ms/doc pages/s \
    cpu_ms/doc KB/pdf peak_MB
for j in 1 2; do
    run plan plan.csv "$j"
done
for j in 1 2; do
    run plan-no-pdfa plan.csv "$j" --no-pdfa --no-sign-fields
done
for j in 1 2; do
    run report report.csv "$j"
done
echo "targets: <= 3 ms per plan per core (ms/doc at -j 1), <= 60 KB per plan PDF," \
     "<= 16 MB RSS per worker"

if [ "$consolidate_mb" -gt 0 ]; then
    echo
    sh "$top/bench/consolidate.sh" "$consolidate_mb"
fi
