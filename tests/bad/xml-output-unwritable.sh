# The expanded document cannot be saved (--xml into a missing folder): no PDF either.
"$VANBAN" report --year 2023 --units "$SRC/samples/units.csv" "$SRC/samples/exports/2023" \
    --xml "$OUT/missing/bc.xml" -o "$OUT/bc.pdf"
