# A profile whose units directory does not exist: named at the profile's href (not at a
# path the clerk never wrote), in report as in check, and no report is written.
mkdir profiles
sed -e 's|<units href="../units.csv"/>|<units href="../danh-muc/don-vi.csv"/>|' \
    "$SRC/samples/profiles/soc-trang.xml" >profiles/profile.xml
"$VANBAN" report --profile profiles/profile.xml --year 2023 "$SRC/samples/exports/2023" \
    -o "$OUT/bc.pdf"
"$VANBAN" check profiles/profile.xml
