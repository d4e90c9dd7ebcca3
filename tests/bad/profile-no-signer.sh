# A profile without its signer: named where it should be, and no report is written.
awk '/<signer>/ { skip = 1 } !skip { print } /<\/signer>/ { skip = 0 }' \
    "$SRC/samples/profiles/soc-trang.xml" >profile.xml
"$VANBAN" report --profile profile.xml --units "$SRC/samples/units.csv" --year 2023 \
    "$SRC/samples/exports/2023" -o "$OUT/bc.pdf"
