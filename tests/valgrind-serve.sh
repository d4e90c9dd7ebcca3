#!/bin/sh
# valgrind-serve.sh: `vanban serve` under valgrind (memcheck, following the forked workers)
# through a few requests of every kind: the pages, a document made, a document with errors,
# the sample exports consolidated with a previous year's file, a broken export, a download,
# an oversized upload, a path the server did not make; then SIGTERM. Passes when every
# answer has its documented status, the server exits 0, and valgrind reports no error and
# no definite or indirect leak in the server or any worker.
#   usage: tests/valgrind-serve.sh [VANBAN]   (run from the source tree; .ci/run runs it)
set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
VANBAN=${1:-$top_srcdir/gen/vanban}
export VANBAN_DATADIR=$top_srcdir
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-vgserve.XXXXXX")
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/root"
# no --job-memory: valgrind needs more address space than the program it runs
TMPDIR=$tmp/root valgrind --trace-children=yes --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --log-file="$tmp/vg.%p.log" \
    "$VANBAN" serve --port 0 --job-memory 0 --max-jobs 2 --max-upload 1 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 600); do grep -q "open http" "$tmp/out" 2>/dev/null && break; sleep 0.2; done
port=$(sed -n 's/.*port \([0-9]*\)$/\1/p' "$tmp/out")
[ -n "$port" ] || { echo "valgrind-serve: the server did not start"; cat "$tmp/err"; exit 1; }
fail=0
expect() { # expect STATUS WHAT CURL-ARGS...: one request, its status
    want=$1 what=$2
    shift 2
    got=$(curl -s -o "$tmp/body" -w "%{http_code}" "$@")
    if [ "$got" = "$want" ]; then echo "PASS $what: $got"; else echo "FAIL $what: $got, want $want"; fail=1; fi
}
url=http://127.0.0.1:$port
expect 200 "home" "$url/"
expect 200 "Tổng hợp form" "$url/tong-hop"
expect 200 "a document" -F "noi_dung=<$top_srcdir/samples/plans/dak-lak-1182-kh-ubnd.xml" "$url/soan"
result=$(grep -o '/ket-qua/[0-9a-f]*/van-ban.pdf' "$tmp/body" | head -n 1)
sed 's/2020-02-17/2020-02-31/' "$top_srcdir/samples/plans/dak-lak-1182-kh-ubnd.xml" >"$tmp/bad.xml"
expect 422 "a document with errors" -F "tep=@$tmp/bad.xml" "$url/soan"
set --
for f in "$top_srcdir"/samples/exports/2023/*.csv; do set -- "$@" -F "so_lieu=@$f"; done
expect 200 "the sample exports" "$@" -F "so_lieu_truoc=@$top_srcdir/samples/exports/2022/st-ct.csv" \
    -F nam=2023 -F ho_so=soc-trang "$url/tong-hop"
expect 422 "a broken export" -F "so_lieu=@$top_srcdir/tests/csv-bad/negative.csv" -F nam=2023 "$url/tong-hop"
expect 200 "a download" "$url$result?tai=1"
head -c 2000000 /dev/zero >"$tmp/big.csv"
expect 413 "an oversized upload" -F "so_lieu=@$tmp/big.csv" -F nam=2023 "$url/tong-hop"
expect 404 "a path the server did not make" "$url/ket-qua/x/../../etc/passwd"
kill -TERM $pid
wait $pid
status=$?
[ "$status" -eq 0 ] || { echo "FAIL the server exited $status"; fail=1; }
logs=$(ls "$tmp"/vg.*.log | wc -l)
for log in "$tmp"/vg.*.log; do
    if ! grep -q "ERROR SUMMARY: 0 errors" "$log"; then
        echo "FAIL valgrind: $log"
        cat "$log"
        fail=1
    fi
done
[ "$logs" -ge 5 ] || { echo "FAIL only $logs processes ran under valgrind"; fail=1; }
[ "$fail" -eq 0 ] && echo "valgrind-serve: the server and $((logs - 1)) workers: no error, no leak"
exit $fail
