# 100,000 nested elements, made here: libxml2's depth limit, with our wording.
python3 -c "print('<document type=\"KH\">' + '<b>' * 100000 + '</b>' * 100000 + '</document>')" >deep.xml
"$VANBAN" render deep.xml -o "$OUT/deep.pdf"
