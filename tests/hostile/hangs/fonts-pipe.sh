# The font configuration as a pipe, and a configuration whose font file is a pipe or a
# device: refused with the configuration's line, never read.
mkfifo fonts.conf regular.ttf
cat >pipe-font.conf <<CONF
dir = .
regular = regular.ttf
bold = /usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf
italic = /dev/zero
bold-italic = /usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf
CONF
mkdir out
protect /dev/zero
protect_all
"$VANBAN" render --fonts fonts.conf "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o out/kh.pdf
"$VANBAN" render --fonts pipe-font.conf "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o out/kh.pdf
