# An exports folder holding a named pipe and a folder that are named like exports: each is
# refused with its name, the real export beside them is still checked, and the run ends.
mkdir exports out
cp "$SRC/samples/exports/2023/st-mx.csv" exports/
mkfifo exports/st-pipe.csv
mkdir exports/old.csv
protect_all
"$VANBAN" report --year 2023 --units "$SRC/samples/units.csv" exports -o out/bc.pdf
