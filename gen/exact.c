/* exact.c: exact arithmetic on whole figures, see exact.h. */
#include "exact.h"

#include <math.h>

/* 128-bit integers (GCC and clang on every 64-bit target Debian builds for) hold
 * 100 * 10^EXACT_DECIMALS * any 64-bit figure. */
__extension__ typedef __int128 wide;

int exact_add(int64_t *sum, int64_t v)
{
    int64_t r;
    if (__builtin_add_overflow(*sum, v, &r) || r > EXACT_FIGURE_MAX || r < -EXACT_FIGURE_MAX)
        return -1;
    *sum = r;
    return 0;
}

/* num / den * 100 rounded to odd (den != 0): at EXACT_DECIMALS decimals, or fewer for a
 * ratio so large that the double would not keep the odd unit 2^11 units in its last place
 * above what it rounds away (exact.h). */
static double percent_of(wide num, wide den)
{
    int negative = (num < 0) != (den < 0);
    if (num < 0)
        num = -num;
    if (den < 0)
        den = -den;
    wide power = 1000000;               /* 10^EXACT_DECIMALS */
    double unit = 1e7;                  /* 10^(EXACT_DECIMALS + 1) */
    for (;;) {
        wide scaled = num * 100 * power;
        wide q = scaled / den, rest = scaled % den;
        /* one more decimal: 0 when exact, 1 (odd) when anything was cut off */
        wide tenths = q * 10 + (rest != 0);
        if (tenths < ((wide)1 << 42) || power == 1) {
            double x = (double)tenths / unit;
            return negative ? -x : x;
        }
        power /= 10;
        unit /= 10;
    }
}

double exact_percent(int64_t num, int64_t den)
{
    return percent_of(num, den);
}

double exact_change(int64_t now, int64_t before)
{
    return percent_of((wide)now - (wide)before, before);
}

int exact_compare_percent(int64_t num, int64_t den, double target)
{
    /* the target as a fraction t / 10^9 (targets are percentages with a few decimals) */
    double scaled = nearbyint(target * 1e9);
    if (!(fabs(scaled) < 9.0e18))
        return target > 0 ? -1 : 1;
    wide t = (wide)(int64_t)scaled;
    /* 100 * num / den <=> t / 10^9  <=>  100 * 10^9 * num <=> t * den  (den > 0) */
    wide left = (wide)num * 100 * 1000000000, right = t * den;
    return (left > right) - (left < right);
}
