# Batch outputs whose names collide with another job's PDF, metadata file (sidecar),
# record or temporary, or differ only in case: the jobs file is refused as a whole before
# anything is written (the output folder is not even made), one located error per job.
cp "$SRC/templates/ke-hoach-huyen.xml" tpl.xml
cat >jobs.csv <<JOBS
template,output,unit
tpl.xml,r.pdf,ST-MX
tpl.xml,r.nd30.xml,ST-KS
tpl.xml,x.pdf,ST-CT
tpl.xml,x.PDF,ST-TP
tpl.xml,a.pdf.tmp.ABCDEF,ST-MX
tpl.xml,a.pdf,ST-KS
tpl.xml,.a.pdf.sha256,ST-CT
tpl.xml,Huyện Mỹ Xuyên.pdf,ST-MX
tpl.xml,{unit.name}.PDF,ST-MX
JOBS
protect_all
"$VANBAN" batch -q --units "$SRC/samples/units.csv" jobs.csv -o out
