/* vnformat.c: Vietnamese formatting rules, see vnformat.h. */
#include "vnformat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

int vn_date_parse(const char *iso, struct vn_date *d)
{
    int y, m, day, n = 0;
    if (strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &day, &n) != 3 || n != 10)
        return -1;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? iso[i] != '-' : (iso[i] < '0' || iso[i] > '9'))
            return -1;
    if (y < 1 || m < 1 || m > 12 || day < 1 || day > days_in_month(y, m))
        return -1;
    d->year = y;
    d->month = m;
    d->day = day;
    return 0;
}

char *vn_date_words(const struct vn_date *d, char *buf, size_t size)
{
    /* Decree 30, Phụ lục I §II.4: days below 10 and months 1, 2 take a leading zero. */
    snprintf(buf, size, "ngày %02d tháng %s%d năm %d", d->day,
             d->month <= 2 ? "0" : "", d->month, d->year);
    return buf;
}

char *vn_doc_number(const char *digits, char *buf, size_t size)
{
    while (digits[0] == '0' && digits[1])
        digits++;
    snprintf(buf, size, "%s%s", strlen(digits) == 1 ? "0" : "", digits);
    return buf;
}

char *vn_group_int(long long value, char *buf, size_t size)
{
    char raw[32];
    unsigned long long mag = value < 0 ? 0ULL - (unsigned long long)value
                                       : (unsigned long long)value;
    int n = snprintf(raw, sizeof raw, "%llu", mag);
    char out[48];
    size_t o = 0;
    if (value < 0)
        out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0 && n >= 4)
            out[o++] = '.';
        out[o++] = raw[i];
    }
    out[o] = 0;
    snprintf(buf, size, "%s", out);
    return buf;
}

char *vn_decimal(double value, int decimals, char *buf, size_t size)
{
    double scale = pow(10, decimals);
    double r = round(fabs(value) * scale);
    long long whole = (long long)(r / scale);
    long long frac = (long long)(r - (double)whole * scale + 0.5);
    char w[48];
    vn_group_int(whole, w, sizeof w);
    if (decimals > 0)
        snprintf(buf, size, "%s%s,%0*lld", value < 0 && r > 0 ? "-" : "", w, decimals, frac);
    else
        snprintf(buf, size, "%s%s", value < 0 && r > 0 ? "-" : "", w);
    return buf;
}

char *vn_roman(int n, char *buf, size_t size)
{
    static const struct { int v; const char *s; } digits[] = {
        {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
        {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}};
    size_t o = 0;
    buf[0] = 0;
    if (n < 1 || n > 3999)
        return buf;
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
        while (n >= digits[i].v && o + 3 < size) {
            o += (size_t)snprintf(buf + o, size - o, "%s", digits[i].s);
            n -= digits[i].v;
        }
    return buf;
}

const char *vn_point_letter(int n)
{
    /* Vietnamese alphabet order used by the decree for điểm: no f, j, w, z. */
    static const char *const letters[] = {"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k",
                                          "l", "m", "n", "o", "p", "q", "r", "s", "t", "u",
                                          "v", "x", "y"};
    if (n < 1 || n > (int)(sizeof letters / sizeof letters[0]))
        return NULL;
    return letters[n - 1];
}

const char *vn_place_name(const char *name)
{
    static const char *const words[] = {"Huyện ", "Quận ", "Thị xã ", "Thành phố ", "Thị trấn ",
                                        "Xã ", "Phường "};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(name, words[i], n) == 0 && name[n])
            return name + n;
    }
    return name;
}
