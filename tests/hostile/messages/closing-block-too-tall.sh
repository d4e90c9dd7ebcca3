# A signature block taller than a page is named as such at <signature> (it was blamed on
# the recipient list, with no line); a Nơi nhận list taller than a page is named at
# <noi-nhan>.
python3 - "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" <<'PY'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
many = "".join("<position>PHÓ CHỦ TỊCH THỨ %d</position>\n" % i for i in range(60))
sign = re.sub(r"(<signature>.*?)(<position>)", lambda m: m.group(1) + many + m.group(2), src,
              count=1, flags=re.S)
open("sign.xml", "w", encoding="utf-8").write(sign)
to = "".join("<to>Sở ngành số %d</to>\n" % i for i in range(120))
open("list.xml", "w", encoding="utf-8").write(src.replace("<noi-nhan>", "<noi-nhan>\n" + to, 1))
PY
mkdir out
protect_all
"$VANBAN" render sign.xml -o out/sign.pdf
"$VANBAN" render list.xml -o out/list.pdf
