#!/bin/sh
# renderer.sh: issue 11's figures, before and after, in one run on this machine.
#
#   bench/renderer.sh [COPIES] [BEFORE]   (default 300 copies; BEFORE: a commit, default
#                                          4c4b912, the last one before the one renderer)
#
# Builds BEFORE from this checkout's git history in a temporary folder (git archive, then
# configure and make) and runs it on its own data (templates, schemas, samples);
# BEFORE_TREE=DIR uses a built source tree instead (e.g. in an unpacked distribution, which
# has no history). This tree's build is "after". Prints for both, with the change:
#   plan Ir/doc     instructions (callgrind, every process of the run) per Sóc Trăng plan in
#                   a batch at -j 1: the difference between a run of 2N and one of N
#                   documents, divided by N, so that start-up does not count
#   report Ir       instructions of one `vanban report` of the 2023 annual report (with
#                   2022 as the previous year), start-up included, as `make samples` runs it
#   plan CPU ms/doc user + system time per plan of a batch of COPIES plans at -j 1 (--force),
#                   the best of three runs (a shared machine only ever adds time), written
#                   under $TMPDIR (its file system's cost of creating and renaming three
#                   files per plan included)
#   plan wall ms    the wall time per plan of that best run
#   CPU ms, tmpfs   the same with the output folder on tmpfs (/dev/shm, when there is one):
#                   the program's own cost
#   plan KB         the plan's PDF (PDF/A-2b, ND30 XMP, outline, signature fields)
# Targets (issue 11): report Ir down at least 20 %, plan at most 3 ms of CPU per document at
# -j 1, plan PDF at most 60 KB. Needs valgrind, GNU time, git (for BEFORE) and the build
# dependencies.
set -eu
copies=${1:-300}
before=${2:-4c4b912}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vanban-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
command -v valgrind >/dev/null || { echo "renderer.sh: needs valgrind" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "renderer.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }

if [ -n "${BEFORE_TREE:-}" ]; then
    before_tree=$BEFORE_TREE
else
    echo "building $before in $work/before ..." >&2
    mkdir -p "$work/before"
    git -C "$top" archive "$before" | tar -x -C "$work/before"
    (cd "$work/before" && autoreconf -fi && ./configure -q && make -j2) >"$work/build.log" 2>&1 ||
        { tail -n 20 "$work/build.log" >&2; echo "renderer.sh: cannot build $before" >&2; exit 1; }
    before_tree=$work/before
fi

# jobs FILE N TREE: a jobs file of TREE's plan N times under different names
jobs() {
    python3 - "$1" "$2" "$3" <<'PY'
import csv, os, sys
path, n, top = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["document", "output", "n"])
    for i in range(n):
        w.writerow([os.path.join(top, "samples/plans/soc-trang-125-kh-ubnd.xml"),
                    "plan-{n}.pdf", f"{i:05d}"])
PY
}

# ir VANBAN ARGS...: the instructions of every process of a run, summed
ir() {
    rm -f "$work"/cg.*
    valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$work/cg.%p" "$@" \
        >/dev/null 2>"$work/vg.log" || { cat "$work/vg.log" >&2; exit 1; }
    sed -n 's/^summary: //p' "$work"/cg.* | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# timed VANBAN OUT: "cpu_ms wall_ms" per plan of the best of three timed batches into OUT
timed() {
    best=""
    for run in 1 2 3; do
        rm -rf "$2"
        /usr/bin/time -f "%e %U %S" -o "$work/time" "$1" batch "$work/copies.csv" -o "$2" \
            -j 1 -q --force
        read -r wall user sys <"$work/time"
        line=$(awk -v w="$wall" -v u="$user" -v s="$sys" -v n="$copies" \
            'BEGIN { printf "%.3f %.3f\n", (u + s) * 1000 / n, w * 1000 / n }')
        if [ -z "$best" ] || [ "$(echo "$line $best" | awk '{ print ($1 < $3) }')" = 1 ]; then
            best=$line
        fi
    done
    rm -rf "$2"
    echo "$best"
}

# measure TREE: prints "plan_ir report_ir cpu_ms wall_ms kb" for the build in TREE, run on
# TREE's own data
measure() {
    tree=$1
    vb=$tree/gen/vanban
    export VANBAN_DATADIR="$tree"
    n=10
    jobs "$work/n.csv" "$n" "$tree"
    jobs "$work/2n.csv" $((2 * n)) "$tree"
    jobs "$work/copies.csv" "$copies" "$tree"
    rm -rf "$work/o"
    a=$(ir "$vb" batch "$work/n.csv" -o "$work/o" -j 1 -q --force)
    rm -rf "$work/o"
    b=$(ir "$vb" batch "$work/2n.csv" -o "$work/o" -j 1 -q --force)
    plan_ir=$(( (b - a) / n ))
    report_ir=$(ir "$vb" report --year 2023 --previous "$tree/samples/exports/2022" \
        "$tree/samples/exports/2023" --date 2023-11-28 -o "$work/report.pdf")
    best=$(timed "$vb" "$work/o")
    shm=0
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then
        shm_dir=$(mktemp -d /dev/shm/vanban-bench.XXXXXX)
        shm=$(timed "$vb" "$shm_dir/o" | cut -d' ' -f1)
        rm -rf "$shm_dir"
    fi
    "$vb" render "$tree/samples/plans/soc-trang-125-kh-ubnd.xml" -o "$work/plan.pdf"
    kb=$(stat -c %s "$work/plan.pdf" | awk '{ printf "%.1f", $1 / 1024 }')
    echo "$plan_ir $report_ir $best $kb $shm"
}

echo "vanban renderer benchmark (issue 11): before = $before, after = this tree;" \
     "$copies plans per timed batch, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
measure "$before_tree" >"$work/before.txt" 2>"$work/before.err" ||
    { cat "$work/before.err" >&2; echo "renderer.sh: the before build failed" >&2; exit 1; }
measure "$top" >"$work/after.txt" 2>"$work/after.err" ||
    { cat "$work/after.err" >&2; echo "renderer.sh: this build failed" >&2; exit 1; }
read -r b_plan b_report b_cpu b_wall b_kb b_shm <"$work/before.txt"
read -r a_plan a_report a_cpu a_wall a_kb a_shm <"$work/after.txt"
row() {
    awk -v name="$1" -v b="$2" -v a="$3" -v unit="$4" 'BEGIN {
        printf "%-16s %14s %14s %8.1f %%  %s\n", name, b, a, (a - b) * 100 / b, unit }'
}
echo "timed runs written under $(df -P "$work" | awk 'NR == 2 { print $6 }')" \
     "($(stat -f -c %T "$work"))"
printf "%-16s %14s %14s %9s\n" figure before after change
row "plan Ir/doc" "$b_plan" "$a_plan" "instructions per plan in a batch at -j 1"
row "report Ir" "$b_report" "$a_report" "instructions of one 'vanban report' (target: -20 %)"
row "plan CPU ms/doc" "$b_cpu" "$a_cpu" "user + system per plan, batch -j 1 (target: <= 3)"
row "plan wall ms" "$b_wall" "$a_wall" "wall time per plan, same run"
[ "$a_shm" = 0 ] ||
    row "CPU ms, tmpfs" "$b_shm" "$a_shm" "user + system per plan, output folder on tmpfs"
row "plan KB" "$b_kb" "$a_kb" "KB of the plan PDF, default output (target: <= 60)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
