# A full disk: /dev/full takes nothing; it is written in place (a device is never replaced
# by a rename) and must still be the device afterwards.
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o /dev/full
status=$?
[ -c /dev/full ] || echo "/dev/full is no longer a device" >&2
exit $status
