# A report over exports of which one is broken: every problem reported, and no PDF (nor the
# --xml copy) is written.
mkdir exports
cp "$SRC"/samples/exports/2023/*.csv exports/
printf 'ST-MT,Huyện Mỹ Tú,2022,410,120,100,98,60,15,2,2,,,4,"1,900000,5,3,210,9,\n' >>exports/st-mt.csv
"$VANBAN" report --year 2023 --profile "$SRC/samples/profiles/soc-trang.xml" exports --xml "$OUT/expanded.xml" -o "$OUT/bc.pdf"
