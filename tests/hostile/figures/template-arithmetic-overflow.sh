# Templates that multiply figures past 64 bits, subtract past them, or sum a list past them:
# each is refused at the template's line and column, naming the values, never wrapped.
python3 "$SRC/tests/hostile/export.py" e.csv --units units.csv \
    A:2023:tien_phat=999999999999999 B:2023:tien_phat=0
mkdir out
protect_all
for expr in 'total.tien_phat * total.tien_phat' '0 - 9223372036854775807 - total.tien_phat' \
    "sum(units, 'tien_phat') * 10000"; do
    sed -e "s|<p>Trên đây là báo cáo|<p><value of=\"$expr\"/> Trên đây là báo cáo|" \
        "$SRC/templates/bao-cao-nam.xml" >tpl.xml
    "$VANBAN" report --units units.csv --template tpl.xml --year 2023 e.csv -o out/bc.pdf
    status=$?
    echo "exit $status" >&2
done
rm tpl.xml
exit $status
