# 1,100 units of which 1,099 sent nothing (1,099 warnings, past the 1,000 kept), then the
# PDF cannot be written (a full disk: /dev/full): exit 3 and the error is the last line,
# after a note counting what was not shown.
python3 -c '
print("code,name,level,order")
print("ST-MX,Huyện Mỹ Xuyên,huyen,1")
for i in range(2, 1101):
    print("U%d,Huyện Số %d,huyen,%d" % (i, i, i))' >units.csv
protect /dev/full
protect_all
may_write err
"$VANBAN" report --units units.csv --year 2023 "$SRC/samples/exports/2023/st-mx.csv" \
    -o /dev/full 2>err
status=$?
echo "$(wc -l <err) lines" >&2
tail -n 2 err >&2
exit $status
