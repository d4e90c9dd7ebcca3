# A profile whose targets a reader could not tell apart or that measure nothing: a name used
# twice, a ratio of a column to itself, a threshold over 100 %: each refused where it is
# written, and no report is written.
sed -e 's|<name>Thỏa ước lao động tập thể có lợi hơn cho người lao động</name>|<name>Doanh nghiệp có công đoàn cơ sở xây dựng quan hệ lao động hài hòa</name>|' \
    -e 's|denominator="so_dn_cdcs_co_tuldtt"|denominator="so_tuldtt_co_loi_hon"|' \
    -e 's|percent="100"|percent="120"|' "$SRC/samples/profiles/soc-trang.xml" >profile.xml
"$VANBAN" report --profile profile.xml --units "$SRC/samples/units.csv" --year 2023 \
    "$SRC/samples/exports/2023" -o "$OUT/bc.pdf"
