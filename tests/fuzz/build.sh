#!/bin/sh
# build.sh [BUILD_DIR]: builds the libFuzzer targets of tests/fuzz/ with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer (every UB report is a crash): fuzz_csv, fuzz_xml,
# fuzz_template, fuzz_expr, fuzz_render and fuzz_text, linked against the project's gen/*.c (all but
# the programs' mains, main.c and serve_main.c). Needs clang and libFuzzer's runtime (Debian: clang, libclang-rt-14-dev) and the
# libraries of the normal build. BUILD_DIR defaults to tests/fuzz/build.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$src/tests/fuzz/build}
CC=${CC:-clang}
mkdir -p "$out/obj"
command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

# what gen/ wants from config.h: the version, and the sRGB profile configure would find
printf '#define PACKAGE_VERSION "fuzz"\n#define VANBAN_ICC_PROFILE "/usr/share/color/icc/sRGB.icc"\n' \
    >"$out/config.h"

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
pkgs="libxml-2.0 libutf8proc harfbuzz-subset nettle libzip libmicrohttpd"
cflags="-std=c11 -g -O1 -D_GNU_SOURCE -DVANBAN_SRCDIR=\"$src\" -DVANBAN_PKGDATADIR=\"$src\"
 -I$out -I$src/gen $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -lcsv -lhpdf -lz -lm"

# the project's modules, instrumented for coverage but without libFuzzer's main()
objs=""
for c in "$src"/gen/*.c; do
    name=$(basename "$c" .c)
    case $name in main|serve_main) continue ;; esac
    o="$out/obj/$name.o"
    objs="$objs $o"
    if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ -n "$(find "$src/gen" -name '*.h' -newer "$o")" ]; then
        echo "  CC   gen/$name.c"
        # shellcheck disable=SC2086
        $CC $cflags $san -fsanitize=fuzzer-no-link -c "$c" -o "$o"
    fi
done
for t in csv xml template expr render text; do
    echo "  LINK fuzz_$t"
    # shellcheck disable=SC2086
    $CC $cflags $san -fsanitize=fuzzer "$src/tests/fuzz/fuzz_$t.c" $objs $libs -o "$out/fuzz_$t"
done
