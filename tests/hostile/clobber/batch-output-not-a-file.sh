# Batch outputs that exist as a named pipe (writing it would block the run), as a link to
# a device, or as a folder: refused up front, the pipe, the device and the folder stay.
cp "$SRC/templates/ke-hoach-huyen.xml" tpl.xml
mkdir out out/folder.pdf
mkfifo out/pipe.pdf
ln -s /dev/null out/null.pdf
cat >jobs.csv <<JOBS
template,output,unit
tpl.xml,pipe.pdf,ST-MX
tpl.xml,null.pdf,ST-KS
tpl.xml,folder.pdf,ST-CT
JOBS
protect /dev/null
protect_all
"$VANBAN" batch -q --units "$SRC/samples/units.csv" jobs.csv -o out
