# The expanded document cannot be saved (--xml into a missing folder): no PDF either.
"$VANBAN" report --year 2023 --profile "$SRC/samples/profiles/soc-trang.xml" "$SRC/samples/exports/2023" \
    --xml "$OUT/missing/bc.xml" -o "$OUT/bc.pdf"
