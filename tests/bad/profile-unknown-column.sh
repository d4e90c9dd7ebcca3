# A profile whose target divides a column the export contract does not have, and uses an id
# twice: each refused at its attribute, and no report is written.
sed -e 's|numerator="so_dn_cdcs_qhld_hai_hoa"|numerator="so_dn_hai_hoa"|' \
    -e 's|id="loi_hon"|id="tuldtt"|' "$SRC/samples/profiles/soc-trang.xml" >profile.xml
"$VANBAN" report --profile profile.xml --units "$SRC/samples/units.csv" --year 2023 \
    "$SRC/samples/exports/2023" -o "$OUT/bc.pdf"
