# A character the font has no glyph for and a control character in an export's remarks, and
# a character missing from the font in a unit's name: check and report both name the cell
# of the export (or of the units directory), never the template's line.
python3 "$SRC/tests/hostile/export.py" e.csv --units units.csv \
    "A:2023:ghi_chu=Ghi chú 中 ở đây" "B:2023:ghi_chu=Có ký tự$(printf '\001')lạ" \
    "C:2023:ghi_chu=Dòng một
dòng hai"
cp units.csv bad-units.csv
printf 'D,Huyện 東,huyen,4\n' >>bad-units.csv
mkdir out
protect_all
"$VANBAN" check --units units.csv e.csv
"$VANBAN" report --units units.csv --year 2023 e.csv -o out/bc.pdf
"$VANBAN" check --units bad-units.csv e.csv
"$VANBAN" report --units bad-units.csv --year 2023 e.csv -o out/bc.pdf
