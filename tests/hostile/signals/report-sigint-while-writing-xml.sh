# Ctrl-C (SIGINT) while report writes --xml: its temporary is removed, the run dies of the
# signal, the earlier --xml file and the earlier PDF pair stay. (A background job ignores
# SIGINT, so the report is started with its default action, as from a terminal.)
build_shim || exit 99
mkdir out
"$VANBAN" report --year 2023 --profile "$SRC/samples/profiles/soc-trang.xml" \
    "$SRC/samples/exports/2023" --xml out/bc.xml -o out/bc.pdf
protect_all
SHIM_SLOW_WRITE=30 SHIM_READY="$HOSTILE_STATE/ready" LD_PRELOAD="$SHIM" python3 -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$VANBAN" report --year 2023 \
    --profile "$SRC/samples/profiles/soc-trang.xml" "$SRC/samples/exports/2023" \
    --xml out/bc.xml -o out/bc.pdf &
pid=$!
wait_for "$HOSTILE_STATE/ready" || echo "no temporary was being written" >&2
ls out | grep -q 'bc\.xml\.tmp\.' || echo "no temporary of --xml seen before the signal" >&2
kill -INT $pid
wait $pid 2>/dev/null
echo "report: exit $?" >&2
exit 0
