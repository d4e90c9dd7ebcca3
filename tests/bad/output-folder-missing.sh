# The output's folder does not exist.
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o "$OUT/no-such-folder/kh.pdf"
