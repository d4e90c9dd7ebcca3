# Batch outputs (written into the jobs file's own folder) that would replace what the run
# reads: a job's template, the jobs file in other case, a hard link and a symbolic link to
# a template, an export inside the exports folder a job reads, another job's document by
# the metadata file of its output, the lock file. Refused up front; everything untouched.
cp "$SRC/templates/ke-hoach-huyen.xml" tpl.xml
ln tpl.xml hard.pdf
ln -s tpl.xml soft.pdf
mkdir exports
cp "$SRC/samples/exports/2023/st-mx.csv" exports/
cp "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" plan.nd30.xml
cp "$SRC/templates/bao-cao-don-vi.xml" report.xml   # columns must not depend on $SRC
cat >jobs.csv <<JOBS
template,output,unit,exports,year
tpl.xml,tpl.xml,ST-MX,,
tpl.xml,JOBS.CSV,ST-MX,,
tpl.xml,hard.pdf,ST-MX,,
tpl.xml,soft.pdf,ST-MX,,
report.xml,exports/st-mx-2.csv,ST-MX,exports,2023
plan.nd30.xml,plan.pdf,,,
tpl.xml,.vanban-batch.lock,ST-MX,,
tpl.xml,ok.pdf,ST-MX,,
JOBS
protect_all
"$VANBAN" batch -q --units "$SRC/samples/units.csv" jobs.csv -o .
