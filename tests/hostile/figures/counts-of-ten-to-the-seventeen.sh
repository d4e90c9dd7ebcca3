# Enterprises counted in 10^17 (a target test multiplied them by 100 and said "100,0 % …
# chưa đạt chỉ tiêu"): refused at each cell as no real count, report not made.
python3 "$SRC/tests/hostile/export.py" e.csv --units units.csv \
    A:2023:so_doanh_nghiep=100000000000000000:so_dn_co_cdcs=100000000000000000:so_dn_cdcs_co_tuldtt=100000000000000000
mkdir out
protect_all
"$VANBAN" report --units units.csv --year 2023 e.csv -o out/bc.pdf
