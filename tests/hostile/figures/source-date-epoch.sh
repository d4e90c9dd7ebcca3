# SOURCE_DATE_EPOCH that is not a number (it meant 1970 in silence), is negative, is past
# year 9999 (the XMP and Info dates disagreed) or is INT64_MAX (reported as a font error):
# refused as a usage error before anything is written; the earlier PDF stays.
mkdir out
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
"$VANBAN" render plan.xml -o out/kh.pdf
protect_all
for epoch in yesterday 1e9 -86400 253402275600 9223372036854775807; do
    SOURCE_DATE_EPOCH=$epoch "$VANBAN" render plan.xml -o out/kh.pdf
    echo "exit $?" >&2
done
SOURCE_DATE_EPOCH=x "$VANBAN" batch "$SRC/samples/batch/jobs.csv" -o out/batch
