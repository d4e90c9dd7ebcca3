# A header of 100,000 columns, made here: refused at the column limit, at once (it took 39 s
# in the duplicate-column check before the limit existed).
python3 -c "print(','.join('cot_%d' % i for i in range(100000)))" >many-columns.csv
"$VANBAN" check --units "$SRC/samples/units.csv" many-columns.csv
