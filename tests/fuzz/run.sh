#!/bin/sh
# run.sh TARGET|all [SECONDS]: builds the fuzz targets (build.sh) and runs one (csv, xml,
# template, expr, render, text) or all of them one after the other, each for SECONDS (default
# 60), on a seed corpus made from samples/ and tests/ (prepare.py) with its dictionary.
# New inputs are kept in BUILD/corpus/TARGET (BUILD: $FUZZ_BUILD or tests/fuzz/build), so
# later runs start from them; a crash, a leak, a sanitizer report, a time-out (25 s per
# input) or an input using more than 2 GB is saved as BUILD/crashes/TARGET-* and makes the
# script exit 1. Prints one line of figures per target. Extra libFuzzer flags may be passed
# in $FUZZ_FLAGS (e.g. FUZZ_FLAGS=-jobs=2).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$src/tests/fuzz/build}
target=${1:-}
seconds=${2:-60}
case $target in
    all) targets="csv xml template expr render text" ;;
    csv|xml|template|expr|render|text) targets=$target ;;
    *) echo "usage: tests/fuzz/run.sh csv|xml|template|expr|render|text|all [SECONDS]" >&2; exit 2 ;;
esac
"$src/tests/fuzz/build.sh" "$build" >/dev/null
export VANBAN_DATADIR="$src"
# UBSan reports are crashes; leaks are found per input by libFuzzer itself
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
failed=0
for t in $targets; do
    python3 "$src/tests/fuzz/prepare.py" "$src" "$build" "$t"
    mkdir -p "$build/corpus/$t" "$build/crashes"
    log="$build/$t.log"
    status=0
    # shellcheck disable=SC2086
    "$build/fuzz_$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
        -dict="$build/$t.dict" -artifact_prefix="$build/crashes/$t-" -print_final_stats=1 \
        ${FUZZ_FLAGS:-} "$build/corpus/$t" "$build/seeds/$t" >"$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    corpus=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -n 1 | sed 's/corp: //')
    if [ "$status" -eq 0 ]; then
        verdict="no crash"
    else
        verdict="FAILED (exit $status), see $log and $build/crashes/"
        failed=1
        grep -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY" "$log" | head -n 5 >&2 || true
    fi
    echo "fuzz_$t: ${seconds} s, ${execs:-?} executions (${rate:-?}/s), coverage ${cov:-?} edges, corpus ${corpus:-?} (inputs/size), peak RSS ${rss:-?} MB: $verdict"
done
exit $failed
