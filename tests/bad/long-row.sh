# An unterminated quote in row 2 of a 300,000-row export (21 MB), made here: the quoted cell
# runs on towards the end of the file and is stopped at the row limit, here raised to 4 MB.
head -n 1 "$SRC/samples/exports/2023/st-bqlkcn.csv" >long-row.csv
printf 'ST-KS,"Huyện Kế Sách,2023,640,512,450,400,260,12,3,3,,,5,2,1500000,4,6,320,15,\n' >>long-row.csv
python3 -c "
import sys
sys.stdout.write('ST-MT,Huyện Mỹ Tú,2023,410,120,100,98,60,15,2,2,,,4,1,900000,5,3,210,9,\n' * 300000)" >>long-row.csv
"$VANBAN" check --units "$SRC/samples/units.csv" --max-row-bytes 4000000 long-row.csv
