# check with documents and exports in any order: each file is read as what it is (a .csv,
# of any case, or a folder is an export; anything else a document), not as the first one.
cp "$SRC/samples/exports/2023/st-mx.csv" ST-MX.CSV
python3 "$SRC/tests/hostile/export.py" bad.csv A:2023:so_doanh_nghiep=-1
cp "$SRC/samples/units.csv" units.csv
printf 'A,Huyện A,huyen,99\n' >>units.csv
sed 's|<trich-yeu>|<trich-yeu>中|' "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" >plan.xml
protect_all
"$VANBAN" check --units units.csv plan.xml bad.csv
"$VANBAN" check --units units.csv ST-MX.CSV plan.xml
