# Figures at the limit: every ratio and target verdict is the exact one. 999.999.999.999.999
# agreements of as many enterprises is 100,0 % and meets the 100 % target;
# 850.000.000.000.000 of them harmonious is a hair above 85 % and meets "over 85 %";
# 649.999.999.999.999 more favourable is a hair under 65 % (printed 65,0 %) and does not.
python3 "$SRC/tests/hostile/export.py" e.csv --units units.csv \
    A:2023:so_doanh_nghiep=999999999999999:so_dn_co_cdcs=999999999999999:so_dn_cdcs_qhld_hai_hoa=850000000000000:so_dn_cdcs_co_tuldtt=999999999999999:so_tuldtt_co_loi_hon=649999999999999
mkdir out
protect_all
may_write out/bc.pdf out/bc.nd30.xml bc.txt
"$VANBAN" report --units units.csv --year 2023 e.csv -o out/bc.pdf
status=$?
pdftotext -layout out/bc.pdf bc.txt
tr -s ' \n' ' ' <bc.txt | grep -o 'đạt tỷ lệ [^)]*), [^.]*chỉ tiêu' >&2
exit $status
