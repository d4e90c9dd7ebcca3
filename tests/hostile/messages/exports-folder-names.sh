# An exports folder whose files Excel named in capitals (ST-MX.CSV) is read like *.csv, not
# reported as units that sent nothing; a folder named like an export in it is an input
# error (exit 1), not an internal one.
mkdir exports out
cp "$SRC/samples/exports/2023/st-mx.csv" exports/ST-MX.CSV
python3 "$SRC/tests/hostile/export.py" exports/other.Csv --units units.csv ST-MX:2022
printf 'code,name,level,order\nST-MX,Huyện Mỹ Xuyên,huyen,1\n' >units.csv
protect_all
may_write out/bc.pdf out/bc.nd30.xml exports/2022.csv
"$VANBAN" report --units units.csv --year 2023 exports -o out/bc.pdf
echo "exit $?" >&2
mkdir exports/2022.csv
"$VANBAN" check --units units.csv exports
