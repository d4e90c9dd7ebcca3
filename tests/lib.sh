# lib.sh: helpers shared by the shell tests (sourced). Each test counts its checks and
# ends with "N passed, M failed" and a non-zero status when any check failed.
: "${top_srcdir:=.}"
top_srcdir=$(cd "$top_srcdir" && pwd)
: "${VANBAN:=gen/vanban}"
: "${PYTHON:=python3}"
export VANBAN_DATADIR="${VANBAN_DATADIR:-$top_srcdir}"
pass=0
fail=0
ok()   { pass=$((pass + 1)); echo "PASS $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # check NAME COMMAND...: runs COMMAND, passes when it exits 0
    _check_name=$1; shift
    if "$@"; then ok "$_check_name"; else bad "$_check_name"; fi
}
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
workdir() {
    d=$(mktemp -d "${TMPDIR:-/tmp}/vanban-test.XXXXXX")
    trap 'rm -rf "$d"' EXIT
    echo "$d"
}
