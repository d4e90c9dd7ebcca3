# A batch whose jobs name a pipe as template, a device as exports and a pipe as units
# directory: those jobs fail alone with their reasons (the content hashing does not wait on
# them), the good job is made, and the run ends.
mkfifo tpl.xml units.csv
cat >jobs.csv <<JOBS
template,output,unit,exports,year,units
tpl.xml,a.pdf,,,,
$SRC/templates/bao-cao-don-vi.xml,b.pdf,ST-MX,/dev/zero,2023,
$SRC/templates/bao-cao-don-vi.xml,c.pdf,ST-MX,$SRC/samples/exports/2023,2023,units.csv
$SRC/templates/bao-cao-don-vi.xml,d.pdf,ST-MX,$SRC/samples/exports/2023/st-mx.csv,2023,
JOBS
protect /dev/zero
protect_all
may_write out out/d.pdf out/d.nd30.xml out/.d.pdf.sha256 out/.vanban-batch.lock
"$VANBAN" batch -q -j 2 jobs.csv -o out
status=$?
[ -s out/d.pdf ] || echo "the good job's d.pdf was not made" >&2
exit $status
