# 6,000 paragraphs in one <body>, made here: refused before RelaxNG validation, whose time
# grows faster than the square of an element's children.
sed -n '1,8p' "$SRC/tests/bad/glyph-missing.xml" >many.xml
python3 -c "print('    <p>Đoạn văn.</p>\n' * 6000, end='')" >>many.xml
sed -n '10,$p' "$SRC/tests/bad/glyph-missing.xml" >>many.xml
"$VANBAN" render many.xml -o "$OUT/many.pdf"
