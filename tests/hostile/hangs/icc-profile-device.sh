# The sRGB profile of PDF/A as an endless device or a pipe: refused, nothing written.
mkfifo srgb.icc
mkdir out
protect /dev/urandom
protect_all
VANBAN_ICC_PROFILE=/dev/urandom "$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o out/kh.pdf
VANBAN_ICC_PROFILE=srgb.icc "$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o out/kh.pdf
