# Option values that used to wrap or be cut: --shard 0/-1 (read as 0/4294967295), a worker
# count of 0, negative or past 256, a page limit written 1e3, a five-digit year: each is a
# usage error naming the option, and nothing is made.
mkdir out
protect_all
"$VANBAN" batch --shard 0/-1 "$SRC/samples/batch/jobs.csv" -o out
"$VANBAN" batch --shard 3/3 "$SRC/samples/batch/jobs.csv" -o out
"$VANBAN" batch -j 0 "$SRC/samples/batch/jobs.csv" -o out
"$VANBAN" batch -j 99999999999999999999 "$SRC/samples/batch/jobs.csv" -o out
"$VANBAN" render --max-pages 1e3 "$SRC/samples/plans/dak-lak-1182-kh-ubnd.xml" -o out/kh.pdf
"$VANBAN" report --year 20233 "$SRC/samples/exports/2023" -o out/bc.pdf
