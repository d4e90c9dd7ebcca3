# A profile without its plan, and with a target compared in a way vanban does not know:
# located schema errors, exit 1, no report.
sed -e '/<plan /,/<\/plan>/d' -e 's|compare="above"|compare="more"|' \
    "$SRC/samples/profiles/soc-trang.xml" >profile.xml
"$VANBAN" report --profile profile.xml --year 2023 "$SRC/samples/exports/2023" -o "$OUT/bc.pdf"
