# An export with 1,500 negative counts, then a unit that is not in the directory on the
# last row: exit 1, the note counts the errors not shown, the last one is shown.
cp "$SRC/samples/units.csv" units.csv
python3 - "$SRC/samples/exports/2023/st-mx.csv" <<'PY' >bad.csv
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
print(lines[0])
row = lines[1].split(",")
for year in range(1901, 2051):
    r = list(row)
    r[2] = str(year)
    for k in range(8, 18):
        r[k] = "-1"
    print(",".join(r))
r = list(row)
r[0] = "ST-KHONG-CO"
print(",".join(r))
PY
protect_all
may_write err
"$VANBAN" check --units units.csv bad.csv 2>err
status=$?
echo "$(wc -l <err) lines" >&2
tail -n 2 err >&2
exit $status
