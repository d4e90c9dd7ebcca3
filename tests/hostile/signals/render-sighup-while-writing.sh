# The terminal closes (SIGHUP) while render writes its PDF to a file reached through a
# link: the temporary beside the linked file is removed, the link and the file stay.
build_shim || exit 99
mkdir out real
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
"$VANBAN" render plan.xml -o real/kh.pdf
ln -s ../real/kh.pdf out/kh.pdf
protect_all
SHIM_SLOW_WRITE=30 SHIM_READY="$HOSTILE_STATE/ready" LD_PRELOAD="$SHIM" \
    "$VANBAN" render --no-pdfa plan.xml -o out/kh.pdf &
pid=$!
wait_for "$HOSTILE_STATE/ready" || echo "no temporary was being written" >&2
ls real | grep -q 'kh\.pdf\.tmp\.' || echo "no temporary beside the linked file" >&2
kill -HUP $pid
wait $pid 2>/dev/null
echo "render: exit $?" >&2
exit 0
