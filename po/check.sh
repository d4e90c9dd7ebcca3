#!/bin/sh
# check.sh SRCDIR: fails (listing them) when a message of the sources is missing from
# po/vi.po, untranslated or fuzzy there, or when vi.po does not compile (msgfmt -c checks
# that every translation keeps its message's printf conversions).
set -u
srcdir=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vanban-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sh "$srcdir/po/extract.sh" "$srcdir" "$tmp/vanban.pot" 2>"$tmp/xgettext.err" || {
    cat "$tmp/xgettext.err"; exit 1; }
status=0
# every function that takes a printf-style format (the compiler's format attribute) is one
# whose messages po/extract.sh extracts, or one that writes no message (xo_printf: XML)
python3 - "$srcdir" <<'PY' || status=1
import glob, re, sys
srcdir = sys.argv[1]
extract = open(srcdir + "/po/extract.sh", encoding="utf-8").read()
keywords = set(k.split(":")[0] for k in re.search(r'keywords="([^"]*)"', extract).group(1).split())
not_messages = {"xo_printf"}
found = set()
for path in glob.glob(srcdir + "/gen/*.[ch]"):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"(\w+)\s*\([^;{}()]*\)\s*__attribute__\s*\(\(format\s*\(\s*printf", text):
        found.add(m.group(1))
    for m in re.finditer(r"__attribute__\s*\(\(format\s*\(\s*printf[^)]*\)\)\)\s*(?:static\s+)?[\w\s\*]*?(\w+)\s*\(", text):
        found.add(m.group(1))
missing = sorted(found - keywords - not_messages)
for name in missing:
    print("po/extract.sh: %s takes a printf-style message but is not in its keywords" % name)
sys.exit(1 if missing else 0)
PY
msgfmt -c -o /dev/null "$srcdir/po/vi.po" || { echo "po/vi.po does not compile"; status=1; }
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$srcdir/po/vi.po" "$tmp/vanban.pot" ||
    exit 1
msgattrib --untranslated --no-obsolete --no-wrap -o "$tmp/untranslated.po" "$tmp/merged.po"
msgattrib --only-fuzzy --no-obsolete --no-wrap -o "$tmp/fuzzy.po" "$tmp/merged.po"
for kind in untranslated fuzzy; do
    n=$(grep -c '^msgid ' "$tmp/$kind.po" 2>/dev/null)
    # the header entry (msgid "") is not a message
    [ -s "$tmp/$kind.po" ] && n=$((n - 1))
    [ "${n:-0}" -gt 0 ] || continue
    status=1
    echo "po/vi.po: $n $kind message(s) (run 'make update-po', translate, then make check):"
    # each entry without its (empty) msgstr; the header entry skipped
    awk 'BEGIN { RS = ""; ORS = "\n\n" } NR > 1 { gsub(/\nmsgstr[^\n]*(\n"[^\n]*)*/, ""); print }' \
        "$tmp/$kind.po" | sed 's/^/    /'
done
msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1 | sed 's/^/po\/vi.po against the sources: /'
exit $status
