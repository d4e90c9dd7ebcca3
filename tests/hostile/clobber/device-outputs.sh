# Outputs that are devices or pipes are written in place, never replaced by a rename:
# -o /dev/stdout redirected to a file (or appended to one) puts the PDF in that file;
# --xml to a named pipe is read whole by its reader; /dev/null takes the PDF; the nodes
# stay what they were.
mkfifo pipe.xml
mkdir out
protect /dev/null /dev/stdout /dev/full
protect_all
may_write out.pdf appended.pdf xml.txt
cat pipe.xml >xml.txt &
reader=$!
"$VANBAN" report --year 2023 --profile "$SRC/samples/profiles/soc-trang.xml" \
    "$SRC/samples/exports/2023" --xml pipe.xml -o /dev/stdout >out.pdf
echo "report to /dev/stdout: exit $?" >&2
wait $reader
head -c 8 out.pdf | grep -q '^%PDF-' || echo "out.pdf is not a PDF" >&2
grep -q '<document' xml.txt || echo "the pipe's reader did not get the document" >&2
printf 'earlier\n' >appended.pdf
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o /dev/stdout >>appended.pdf
echo "render appended to a file: exit $?" >&2
head -n 1 appended.pdf | grep -q '^earlier$' || echo "the earlier line was lost" >&2
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o /dev/null
echo "render to /dev/null: exit $?" >&2
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o /dev/full
