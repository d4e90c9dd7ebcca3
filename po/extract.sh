#!/bin/sh
# extract.sh SRCDIR OUT.pot: every message of vanban's sources (SRCDIR/gen/*.c, *.h) into a
# template. Messages are marked _("...") / N_("...") / P_("one", "many", n), or are the
# format argument of a function that reports a located message (diag_error and the
# stages' wrappers around it, listed here): a new wrapper with a printf-style format
# goes into this list, else its messages are never translated (po/check.sh finds them).
set -eu
srcdir=$1
out=$2
cd "$srcdir"
# name:argument of the message, for each function that takes a message to translate
keywords="_ N_ P_:1,2 diag_error:6 diag_verror:6 diag_warning:5 usage_error:1 cli_usage_error:1 logf_:1
row_error:3 row_warning:3 unit_error:4 syntax_error:3 eval_error:3 error_at:3 error_at:4
warn_at:3 problem:4 target_error:5 book_error:4"
set --
for k in $keywords; do
    set -- "$@" "--keyword=$k"
    case $k in
    _|N_|P_*) ;;
    *) set -- "$@" "--flag=$k:c-format" ;;
    esac
done
# shellcheck disable=SC2046
xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
    --package-name=vanban --msgid-bugs-address="the vanban issue tracker" --sort-by-file \
    "$@" -o "$out.tmp" $(ls gen/*.c gen/*.h | LC_ALL=C sort)
mv "$out.tmp" "$out"
