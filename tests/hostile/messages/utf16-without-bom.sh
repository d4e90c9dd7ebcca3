# Exports saved as UTF-16 without a byte order mark (little- and big-endian) are read as
# UTF-16, not as 500 NUL-byte errors; a stray NUL byte is one error per line, the first
# with a hint.
iconv -f UTF-8 -t UTF-16LE "$SRC/samples/exports/2023/st-mx.csv" >le.csv
iconv -f UTF-8 -t UTF-16BE "$SRC/samples/exports/2023/st-ks.csv" >be.csv 2>/dev/null ||
    iconv -f CP1258 -t UTF-16BE "$SRC/samples/exports/2023/st-ks.csv" >be.csv
python3 "$SRC/tests/hostile/export.py" nul.csv ST-CT:2023 ST-TP:2023
python3 - <<'PY'
data = open("nul.csv", "rb").read().split(b"\n")
data[1] = data[1].replace(b"2023", b"20\x0023", 1).replace(b",397,", b",3\x009\x007,", 1)
data[2] = data[2].replace(b"2023", b"20\x0023", 1)
open("nul.csv", "wb").write(b"\n".join(data))
PY
protect_all
"$VANBAN" check --units "$SRC/samples/units.csv" le.csv be.csv
echo "exit $?" >&2
"$VANBAN" check --units "$SRC/samples/units.csv" nul.csv
