# An output that is a named pipe no program reads: vanban waits a bounded time (10 s) for a
# reader instead of forever, then says so; the pipe stays a pipe.
mkfifo kh.pdf
protect_all
"$VANBAN" render "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o kh.pdf
