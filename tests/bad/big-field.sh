# A 100 MB cell, made here (never committed): the row limit stops the file at that cell.
# Where the build allows an address-space limit (not under AddressSanitizer, which reserves
# terabytes), the check runs within 200 MB, so the cell is proven never read whole.
head -n 1 "$SRC/samples/exports/2023/st-bqlkcn.csv" >big-field.csv
{
    printf 'ST-KS,Huyện Kế Sách,2023,640,512,450,400,260,12,3,3,,,5,2,1500000,4,6,320,15,"'
    head -c 100000000 /dev/zero | tr '\0' x
    printf '"\n'
} >>big-field.csv
# (the probe's shell waits for vanban itself, so an ASan abort is reported to /dev/null)
if sh -c 'ulimit -v 200000 && "$0" --version; exit $?' "$VANBAN" >/dev/null 2>&1; then
    ulimit -v 200000
fi
"$VANBAN" check --units "$SRC/samples/units.csv" big-field.csv
