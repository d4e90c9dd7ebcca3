# Three units with a fine of 999.999.999.999.999 đồng each (the largest figure taken): the
# province total would pass the limit, so the row that takes it there is an error, in check
# as in report, naming the total; nothing is written.
python3 "$SRC/tests/hostile/export.py" e.csv --units units.csv \
    A:2023:tien_phat=999999999999999 B:2023:tien_phat=999999999999999 \
    C:2023:tien_phat=999999999999999
mkdir out
protect_all
"$VANBAN" check --units units.csv e.csv
"$VANBAN" report --units units.csv --year 2023 e.csv -o out/bc.pdf
