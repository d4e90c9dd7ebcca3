# A document that needs more than the default 500 pages (30,000 paragraphs), made here.
sed -n '1,8p' "$SRC/tests/bad/glyph-missing.xml" >long.xml
for i in 1 2 3 4 5 6; do
    printf '    <muc><title>Mục %s</title>\n' "$i"
    python3 -c "print('      <p>Đoạn văn của kế hoạch.</p>\n' * 4990, end='')"
    printf '    </muc>\n'
done >>long.xml
sed -n '10,$p' "$SRC/tests/bad/glyph-missing.xml" >>long.xml
"$VANBAN" render long.xml -o "$OUT/long.pdf"
