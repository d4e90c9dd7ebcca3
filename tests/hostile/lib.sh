# tests/hostile/lib.sh: helpers of the hostile cases (sourced; see tests/hostile.test).
# State lives in $HOSTILE_STATE, outside the scratch folder the case works in.

# One line describing what path is now: type, inode, device numbers, link target, bytes.
_hostile_describe() {
    if [ -L "$1" ]; then
        printf 'link %s -> %s\n' "$1" "$(readlink "$1")"
    elif [ -f "$1" ]; then
        printf 'file %s %s %s\n' "$1" "$(stat -c %i "$1")" "$(sha256sum <"$1" | cut -c 1-64)"
    elif [ -d "$1" ]; then
        printf 'folder %s %s\n' "$1" "$(stat -c %i "$1")"
    elif [ -e "$1" ]; then
        printf 'special %s %s %s\n' "$1" "$(stat -c '%F %i %t:%T' "$1")"
    else
        printf 'missing %s\n' "$1"
    fi
}

# protect PATH...: PATH must be as it is now when the case ends (a folder: it and every
# file, folder and link inside it).
protect() {
    for p in "$@"; do
        if [ -d "$p" ] && [ ! -L "$p" ]; then
            find "$p" -print
        else
            printf '%s\n' "$p"
        fi
    done >>"$HOSTILE_STATE/protected.list"
    while IFS= read -r p; do
        _hostile_describe "$p"
    done <"$HOSTILE_STATE/protected.list" >"$HOSTILE_STATE/protected.now"
}

# protect_all: protect everything in the scratch folder; from now on a new file in it is
# an error unless may_write names it.
protect_all() {
    protect .
    : >"$HOSTILE_STATE/closed"
}

# may_write PATH...: files the case may make.
may_write() {
    for p in "$@"; do
        printf '%s\n' "$p" | sed 's|^\./||' >>"$HOSTILE_STATE/allowed"
    done
}

# Run by the harness after the case: prints every broken promise (nothing when all hold).
verify() {
    if [ -f "$HOSTILE_STATE/protected.list" ]; then
        sort -u "$HOSTILE_STATE/protected.list" | while IFS= read -r p; do
            was=$(grep -F -x -- "$(_hostile_describe "$p")" "$HOSTILE_STATE/protected.now")
            [ -n "$was" ] || echo "changed: $(grep -F -- " $p " "$HOSTILE_STATE/protected.now" |
                head -n 1) is now $(_hostile_describe "$p")"
        done
    fi
    if [ -f "$HOSTILE_STATE/closed" ]; then
        find . -mindepth 1 | sed 's|^\./||' | while IFS= read -r p; do
            grep -q -F -x -- "./$p" "$HOSTILE_STATE/protected.list" && continue
            grep -q -F -x -- "$p" "$HOSTILE_STATE/allowed" 2>/dev/null && continue
            echo "left behind: $p"
        done
    fi
    find . -name '*.tmp.*' | sed 's/^/temporary left: /'
}

# build_shim: compiles tests/hostile/shim.c into $SHIM (outside the scratch folder) and
# sets what LD_PRELOAD needs; returns non-zero when no C compiler is found.
build_shim() {
    SHIM="$HOSTILE_STATE/shim.so"
    ${CC:-cc} -shared -fPIC -o "$SHIM" "$SRC/tests/hostile/shim.c" -ldl || return 1
    # a sanitizer build's runtime must come first; the shim only wraps two libc calls
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
    export ASAN_OPTIONS
}

# wait_for FILE [SECONDS]: waits until FILE exists (default 20 s); non-zero on timeout.
wait_for() {
    _n=0
    while [ ! -e "$1" ] && [ "$_n" -lt "$((${2:-20} * 10))" ]; do
        sleep 0.1
        _n=$((_n + 1))
    done
    [ -e "$1" ]
}
