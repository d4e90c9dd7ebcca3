# The PDF cannot be put in place after its metadata file was (its rename fails), or the PDF
# path is a folder: the previous metadata file is put back, the previous PDF stays, no
# temporary remains: a failed run leaves the previous pair as it was.
build_shim || exit 99
mkdir out out/folder.pdf
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
"$VANBAN" render plan.xml -o out/kh.pdf
sed 's|<number>|<number>9|' plan.xml >new.xml
echo "an earlier metadata file" >out/folder.nd30.xml
protect_all
SHIM_FAIL_RENAME=.pdf LD_PRELOAD="$SHIM" "$VANBAN" render new.xml -o out/kh.pdf
"$VANBAN" render new.xml -o out/folder.pdf
"$VANBAN" report --year 2023 --profile "$SRC/samples/profiles/soc-trang.xml" \
    "$SRC/samples/exports/2023" -o out/folder.pdf --xml out/bc.xml
