# A named pipe with no writer given as the document (render, check) and as the template
# (report): each is refused at once instead of waiting forever.
mkfifo plan.xml tpl.xml
mkdir out
protect_all
"$VANBAN" render plan.xml -o out/kh.pdf
"$VANBAN" check plan.xml
"$VANBAN" report --template tpl.xml --year 2023 --units "$SRC/samples/units.csv" "$SRC/samples/exports/2023" -o out/bc.pdf
