# The output's "folder" is a regular file.
: >"$OUT/../not-a-folder"
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o not-a-folder/kh.pdf
