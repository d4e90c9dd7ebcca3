# SIGTERM while render writes its PDF (a write to the temporary is held): the temporary
# is removed, the run dies of the signal, the previous PDF and metadata file stay.
build_shim || exit 99
mkdir out
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
"$VANBAN" render plan.xml -o out/kh.pdf
sed 's|<number>|<number>9|' plan.xml >new.xml
protect_all
SHIM_SLOW_WRITE=30 SHIM_READY="$HOSTILE_STATE/ready" LD_PRELOAD="$SHIM" \
    "$VANBAN" render new.xml -o out/kh.pdf &
pid=$!
wait_for "$HOSTILE_STATE/ready" || echo "no temporary was being written" >&2
ls out | grep -q '\.tmp\.' || echo "no temporary seen before the signal" >&2
kill -TERM $pid
wait $pid 2>/dev/null
status=$?
echo "render: exit $status" >&2
exit 0
