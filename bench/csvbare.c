/*
 * csvbare.c: libcsv's bare parse rate, for bench/consolidate.sh: every file named on the
 * command line read in 64 KiB pieces (as vanban reads them) and parsed by libcsv with the
 * options vanban uses (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL,
 * ',' as the delimiter) and callbacks that only count cells and rows. Prints the bytes,
 * cells, rows and errors, then the CPU time (user + system) and MB per CPU second.
 *
 *   cc -O2 bench/csvbare.c -lcsv -o csvbare && ./csvbare FILE...
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static unsigned long long cells, rows;

static void on_cell(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    (void)data;
    cells++;
}

static void on_row(int c, void *data)
{
    (void)c;
    (void)data;
    rows++;
}

static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
           u.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    static char buf[64 * 1024];
    unsigned long long bytes = 0, errors = 0;
    double start = cpu_seconds();
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        struct csv_parser p;
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
            return 1;
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            bytes += n;
            if (csv_parse(&p, buf, n, on_cell, on_row, NULL) != n) {
                errors++;
                break;
            }
        }
        if (csv_fini(&p, on_cell, on_row, NULL) != 0)
            errors++;
        csv_free(&p);
        fclose(f);
    }
    double cpu = cpu_seconds() - start;
    printf("%llu bytes %llu cells %llu rows %llu errors %.3f cpu-s %.1f MB/cpu-s\n", bytes, cells,
           rows, errors, cpu, bytes / 1048576.0 / (cpu > 0 ? cpu : 1e-9));
    return errors != 0;
}
