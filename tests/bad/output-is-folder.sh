# The output names an existing folder: refused, and the folder is left as it was.
mkdir -p "$OUT/kh.pdf"
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o "$OUT/kh.pdf"
status=$?
rmdir "$OUT/kh.pdf" || echo "the folder was changed" >&2
exit $status
