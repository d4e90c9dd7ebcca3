# Devices that never end (/dev/zero, /dev/urandom) as the document, an export, the units
# directory and the jobs file: refused before a byte is read, and the devices stay devices.
mkdir out
protect /dev/zero /dev/urandom
protect_all
"$VANBAN" render /dev/zero -o out/kh.pdf
"$VANBAN" check /dev/urandom
"$VANBAN" report --year 2023 /dev/zero -o out/bc.pdf
"$VANBAN" report --year 2023 --units /dev/urandom "$SRC/samples/exports/2023" -o out/bc.pdf
"$VANBAN" batch /dev/zero -o out
