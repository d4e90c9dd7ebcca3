# SIGTERM while the PDF and its metadata file are being put in place (a rename is held):
# the signal waits until both are in place, then the run dies of it: the pair is the new
# one, complete and matching, never a new metadata file beside an old PDF.
build_shim || exit 99
mkdir out ref
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
sed 's|<number>|<number>9|' plan.xml >new.xml
"$VANBAN" render plan.xml -o out/kh.pdf
"$VANBAN" render new.xml -o ref/kh.pdf
protect plan.xml new.xml ref
SHIM_SLOW_RENAME=3 SHIM_READY="$HOSTILE_STATE/ready" LD_PRELOAD="$SHIM" \
    "$VANBAN" render new.xml -o out/kh.pdf &
pid=$!
wait_for "$HOSTILE_STATE/ready" || echo "no rename was held" >&2
kill -TERM $pid
wait $pid 2>/dev/null
echo "render: exit $?" >&2
cmp -s out/kh.pdf ref/kh.pdf || echo "the PDF is not the new one" >&2
cmp -s out/kh.nd30.xml ref/kh.nd30.xml || echo "the metadata file is not the new one" >&2
exit 0
