# render and report outputs that are files the run reads, by another spelling, a link or a
# difference of case: --xml on the template, an export or the units directory; -o on an
# export; --xml the same as -o or as the PDF's metadata file; a hard link to the units
# directory; a symbolic link to the template. Each is refused before anything is written.
cp -r "$SRC/samples/exports/2023" ex
cp "$SRC/samples/units.csv" units.csv
cp "$SRC/templates/bao-cao-nam.xml" tpl.xml
ln units.csv hard.pdf
ln -s tpl.xml soft.xml
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" Plan.xml
protect_all
report() {
    "$VANBAN" report --year 2023 --profile "$SRC/samples/profiles/soc-trang.xml" \
        --units units.csv --template tpl.xml ex "$@" 2>&1 >/dev/null |
        grep -v '^vanban: warning: no --profile' >&2
}
report -o bc.pdf --xml tpl.xml
report -o bc.pdf --xml ex/st-mx.csv
report -o bc.pdf --xml ./units.csv
report -o ex/ST-MX.CSV
report -o bc.pdf --xml bc.pdf
report -o bc.pdf --xml ./BC.nd30.xml
report -o hard.pdf
report -o bc.pdf --xml soft.xml
"$VANBAN" render Plan.xml -o ./plan.XML
