# A batch whose jobs name a pipe as template, a device as exports and a pipe as units
# directory: those jobs fail alone with their reasons (the content hashing does not wait on
# them), the good job is made, and the run ends.
mkfifo tpl.xml units.csv
# local names, so that the messages' columns do not depend on where $SRC is
cp "$SRC/templates/bao-cao-don-vi.xml" report.xml
ln -s "$SRC/samples/exports/2023" exports
cat >jobs.csv <<JOBS
template,output,unit,exports,year,units
tpl.xml,a.pdf,,,,
report.xml,b.pdf,ST-MX,/dev/zero,2023,
report.xml,c.pdf,ST-MX,exports,2023,units.csv
report.xml,d.pdf,ST-MX,exports/st-mx.csv,2023,
JOBS
protect /dev/zero
protect_all
may_write out out/d.pdf out/d.nd30.xml out/.d.pdf.sha256 out/.vanban-batch.lock
"$VANBAN" batch -q -j 2 --units "$SRC/samples/units.csv" jobs.csv -o out
status=$?
[ -s out/d.pdf ] || echo "the good job's d.pdf was not made" >&2
exit $status
