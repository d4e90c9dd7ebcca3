# Two fines of 19 digits (one grouped in a ';' file, one plain): the old checks took them
# and the province total wrapped round to a negative amount. Each is refused at its cell,
# in check and in report, and no PDF is made.
python3 "$SRC/tests/hostile/export.py" a.csv --units units.csv \
    A:2023:tien_phat=9223372036854775807
python3 "$SRC/tests/hostile/export.py" b.csv --sep ';' B:2023:tien_phat=9.223.372.036.854.775.807
printf 'B,Huyện B,huyen,2\n' >>units.csv
mkdir out
protect_all
"$VANBAN" check --units units.csv a.csv b.csv
"$VANBAN" report --units units.csv --year 2023 a.csv b.csv -o out/bc.pdf
