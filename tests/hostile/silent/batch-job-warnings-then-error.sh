# A batch job whose consolidation warns 1,099 times (units that sent nothing), then fails
# on its template: the job fails (exit 1), its error is shown last, and the other job is
# made.
python3 -c '
print("code,name,level,order")
print("ST-MX,Huyện Mỹ Xuyên,huyen,1")
for i in range(2, 1101):
    print("U%d,Huyện Số %d,huyen,%d" % (i, i, i))' >units.csv
sed 's|<p>Trên đây là báo cáo|<p><value of="total.khong_co_cot_nay"/> Trên đây là báo cáo|' \
    "$SRC/templates/bao-cao-nam.xml" >tpl.xml
cp "$SRC/samples/exports/2023/st-mx.csv" st-mx.csv
cat >jobs.csv <<JOBS
template,output,exports,year,units,unit
tpl.xml,bc.pdf,st-mx.csv,2023,units.csv,
$SRC/templates/bao-cao-don-vi.xml,mx.pdf,st-mx.csv,2023,units.csv,ST-MX
JOBS
protect_all
may_write err out out/mx.pdf out/mx.nd30.xml out/.mx.pdf.sha256 out/.vanban-batch.lock
"$VANBAN" batch -q jobs.csv -o out 2>err
status=$?
echo "$(wc -l <err) lines" >&2
tail -n 2 err >&2
[ -s out/mx.pdf ] || echo "the other job's PDF was not made" >&2
exit $status
