# A regular face without Vietnamese glyphs: Liberation Serif cut to ASCII at test time with
# hb-subset (Debian: libharfbuzz-bin).
mkdir fonts
hb-subset --unicodes=20-7E --output-file=fonts/ascii-only.ttf \
    /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf || exit 99
cat >ascii.conf <<'CONF'
dir = fonts
dir = /usr/share/fonts/truetype/liberation2
regular = ascii-only.ttf
bold = LiberationSerif-Bold.ttf
italic = LiberationSerif-Italic.ttf
bold-italic = LiberationSerif-BoldItalic.ttf
CONF
"$VANBAN" render --fonts ascii.conf "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o "$OUT/kh.pdf"
