# A batch whose output names come from unit names holding "../" and "/", and patterns that
# would leave the output folder (a ".." part, an absolute path): the names are sanitised,
# the patterns refused, and nothing is written outside the output folder. The PDFs made
# are listed (every PDF under this scratch folder, the output folder's parent) and then removed, so that the output
# folder is empty again for the harness's own check.
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.xml
printf 'code,name,level,order\nX1,../../escape,huyen,1\nX2,a/b/c,huyen,2\nX3,..,huyen,3\n' >units.csv
cat >jobs.csv <<'JOBS'
document,unit,output
plan.xml,X1,{unit.name}.pdf
plan.xml,X2,{unit.name}.pdf
plan.xml,X3,{unit.name}/{unit.code}.pdf
plan.xml,X1,../outside.pdf
plan.xml,X1,/tmp/vanban-outside.pdf
plan.xml,X2,sub/../../x.pdf
JOBS
"$VANBAN" batch -q jobs.csv -o "$OUT" --units units.csv
status=$?
[ -e /tmp/vanban-outside.pdf ] && echo "written outside: /tmp/vanban-outside.pdf" >&2
find . -name '*.pdf' | sort >&2
rm -rf "${OUT:?}"/* "${OUT:?}"/.[!.]*
exit $status
