# Two documents with errors checked in one run (and an export with errors before a broken
# document): the second file's own errors were built into nothing in silence because the
# list already held the first one's; every file's errors are shown.
src="$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml"
sed 's|<trich-yeu>|<trich-yeu>中|' "$src" >a.xml
sed 's|<body>|<body><paragraph>sai</paragraph>|' "$src" >b.xml
sed 's|<trich-yeu>|<trich-yeu>東|' "$src" >c.xml
python3 "$SRC/tests/hostile/export.py" bad.csv --units units.csv A:2023:so_doanh_nghiep=-1
protect_all
"$VANBAN" check a.xml b.xml c.xml
"$VANBAN" check --units units.csv bad.csv c.xml
