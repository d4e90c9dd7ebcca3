# A file size limit (ulimit -f) reached while writing the PDF: SIGXFSZ no longer kills the
# run with its temporary left; the write fails like a full disk, the temporary is removed,
# the previous pair stays.
mkdir out
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
"$VANBAN" render plan.xml -o out/kh.pdf
protect_all
(ulimit -f 16 && exec "$VANBAN" render plan.xml -o out/kh.pdf)
