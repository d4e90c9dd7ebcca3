# The output names the document itself (or the report's template): refused before anything
# is written, and the source is left as it was.
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
"$VANBAN" render plan.xml -o plan.xml
status=$?
cmp -s plan.xml "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" || echo "plan.xml was changed" >&2
cp "$SRC/templates/bao-cao-nam.xml" tpl.xml
"$VANBAN" report --year 2023 --profile "$SRC/samples/profiles/soc-trang.xml" --template tpl.xml "$SRC/samples/exports/2023" -o ./tpl.xml
cmp -s tpl.xml "$SRC/templates/bao-cao-nam.xml" || echo "tpl.xml was changed" >&2
exit $status
