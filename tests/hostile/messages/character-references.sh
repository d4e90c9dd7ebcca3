# Character references to characters XML forbids, in a document that is valid UTF-8: named
# for what they are, at the reference, never "invalid UTF-8"; so is a raw control
# character.
for ref in '&#x1;' '&#0;' '&#xFFFE;' '&#xD800;' '&#x110000;' "$(printf 'a\001b')"; do
    python3 - "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" "$ref" <<'PY' >ref.xml
import sys
src = open(sys.argv[1], encoding="utf-8").read()
sys.stdout.write(src.replace("<trich-yeu>", "<trich-yeu>Về " + sys.argv[2], 1))
PY
    "$VANBAN" check ref.xml
    status=$?
done
exit $status
