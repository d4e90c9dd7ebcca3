#!/bin/sh
# valgrind-batch.sh: a 100-document batch under valgrind (memcheck, following the forked
# workers): district plans and units' reports, plus one job with a broken export so that
# the failure path runs too. Passes when valgrind reports no error and no definite or
# indirect leak in any process, the 99 good documents are written and the broken one fails
# with exit status 1.
#   usage: tests/valgrind-batch.sh [VANBAN]   (run from the source tree; .ci/run runs it)
set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
VANBAN=${1:-$top_srcdir/gen/vanban}
export VANBAN_DATADIR=$top_srcdir
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-vg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# 100 jobs: the sample's 24 rows, repeated with their own outputs, and one broken export
mkdir -p "$tmp/broken"
awk -F, 'BEGIN { OFS = "," } NR == 2 { $4 = -$4 } { print }' \
    "$top_srcdir/samples/exports/2023/st-tp.csv" >"$tmp/broken/st-tp.csv"
{
    echo "template,unit,output,number,date,signer,year,exports,previous,profile,round"
    round=0
    while :; do
        round=$((round + 1))
        tail -n +2 "$top_srcdir/samples/batch/jobs.csv" | sed "s|\.\./\.\./|$top_srcdir/|; s|\.\./exports|$top_srcdir/samples/exports|g; s|\.\./profiles|$top_srcdir/samples/profiles|g; s|{unit.slug}.pdf|{unit.slug}-{round}.pdf|; s|\$|,$round|"
        [ $round -ge 5 ] && break
    done | head -n 99
    echo "$top_srcdir/templates/bao-cao-don-vi.xml,ST-TP,broken/{unit.slug}.pdf,,2023-11-01,,2023,$tmp/broken/st-tp.csv,,,0"
} >"$tmp/jobs.csv"
[ "$(($(wc -l <"$tmp/jobs.csv") - 1))" -eq 100 ] || { echo "valgrind-batch: the job list is not 100 jobs"; exit 2; }

valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --error-exitcode=99 --trace-children=yes --log-file="$tmp/vg.%p" \
    "$VANBAN" batch -j 2 "$tmp/jobs.csv" -o "$tmp/out" 2>"$tmp/err"
rc=$?
status=0
cat "$tmp"/vg.* >"$tmp/valgrind.log" 2>/dev/null
if [ -s "$tmp/valgrind.log" ]; then
    echo "FAIL valgrind reported:"; cat "$tmp/valgrind.log"; status=1
else
    echo "PASS valgrind: no error, no definite or indirect leak"
fi
if [ $rc -eq 1 ]; then echo "PASS exit status 1 (the broken export)"; else
    echo "FAIL exit status $rc, expected 1"; cat "$tmp/err"; status=1; fi
if grep -q "^vanban batch: 100 documents: 99 written, 0 up to date, 1 failed" "$tmp/err"; then
    echo "PASS 99 written, 1 failed"; else echo "FAIL summary:"; tail -3 "$tmp/err"; status=1; fi
procs=$(ls "$tmp"/vg.* | wc -l)
if [ "$procs" -ge 3 ]; then echo "PASS valgrind followed the parent and both workers"; else
    echo "FAIL valgrind followed $procs processes, expected 3"; status=1; fi
n=$(find "$tmp/out" -name '*.pdf' | wc -l)
if [ "$n" -eq 99 ]; then echo "PASS 99 PDFs"; else echo "FAIL $n PDFs"; status=1; fi
exit $status
