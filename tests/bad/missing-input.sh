# The document does not exist, and a folder given as the document.
"$VANBAN" render no-such-plan.xml -o "$OUT/kh.pdf"
mkdir folder.xml
"$VANBAN" render folder.xml -o "$OUT/kh.pdf"
