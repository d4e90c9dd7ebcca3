# 1,001 libxml2 warnings (a bad xml:space on every paragraph), then elements the schema
# refuses: render and check exit 1, and the last error is shown after the note.
python3 - "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" <<'PY' >plan.xml
import sys
src = open(sys.argv[1], encoding="utf-8").read()
body = "\n".join('<p xml:space="bogus">Đoạn %d.</p>' % i for i in range(1001))
sys.stdout.write(src.replace("<body>", "<body>\n" + body + "\n<paragraph>sai</paragraph>", 1))
PY
mkdir out
protect_all
may_write err
"$VANBAN" render plan.xml -o out/kh.pdf 2>err
echo "render: exit $?, $(wc -l <err) lines" >&2
tail -n 2 err >&2
"$VANBAN" check plan.xml 2>err
status=$?
echo "check: exit $status, $(wc -l <err) lines" >&2
tail -n 2 err >&2
exit $status
