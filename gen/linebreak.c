/* linebreak.c: greedy line breaking and justification, see linebreak.h. */
#include "linebreak.h"

size_t lb_break(const double *w, const double *sp, size_t n, double first_width, double width,
                int justify, struct lb_line *lines, size_t max_lines)
{
    size_t count = 0, i = 0;
    /* a tolerance keeps a line that fits to the micro-point from breaking on rounding */
    const double eps = 1e-6;
    while (i < n) {
        double avail = count == 0 ? first_width : width;
        double natural = w[i];
        size_t j = i + 1;
        while (j < n && natural + sp[j - 1] + w[j] <= avail + eps) {
            natural += sp[j - 1] + w[j];
            j++;
        }
        if (count < max_lines) {
            struct lb_line *l = &lines[count];
            l->first = i;
            l->count = j - i;
            l->natural = natural;
            l->gap = 0;
            if (justify && j < n && j - i > 1 && natural < avail)
                l->gap = (avail - natural) / (double)(j - i - 1);
        }
        count++;
        i = j;
    }
    return count;
}
