# One enterprise last year, 999.999.999.999.999 this year: a change of about 10^17 %, which
# a double cannot hold to the tenth. Printing it is refused at the template's line, naming
# the value; a change that can be printed is exact (3 → 1.000.000: tăng 33.333.233,3 %).
python3 "$SRC/tests/hostile/export.py" now.csv --units units.csv A:2023:so_doanh_nghiep=999999999999999
python3 "$SRC/tests/hostile/export.py" before.csv A:2022:so_doanh_nghiep=1:so_dn_co_cdcs=1:so_dn_cdcs_qhld_hai_hoa=1:so_dn_cdcs_co_tuldtt=1:so_tuldtt_co_loi_hon=1
python3 "$SRC/tests/hostile/export.py" now2.csv A:2023:so_doanh_nghiep=1000000
python3 "$SRC/tests/hostile/export.py" before2.csv A:2022:so_doanh_nghiep=3:so_dn_co_cdcs=3:so_dn_cdcs_qhld_hai_hoa=1:so_dn_cdcs_co_tuldtt=1:so_tuldtt_co_loi_hon=1
cp "$SRC/templates/bao-cao-nam.xml" tpl.xml
mkdir out
protect_all
may_write out/ok.pdf out/ok.nd30.xml ok.txt
"$VANBAN" report --units units.csv --template tpl.xml --year 2023 --previous before.csv now.csv \
    -o out/bc.pdf
status=$?
"$VANBAN" report --units units.csv --template tpl.xml --year 2023 --previous before2.csv \
    now2.csv -o out/ok.pdf
pdftotext out/ok.pdf ok.txt
tr -s ' \n' ' ' <ok.txt | grep -o '1.000.000 doanh nghiệp, tăng [0-9.,]* %' >&2
exit $status
