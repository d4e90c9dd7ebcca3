/*
 * dataset.c: the units directory and the unit exports, see dataset.h. Rows come from
 * ingest.c (decoded, NFC, located cells); this file knows what the columns mean.
 *
 * Numbers. Counts and tien_phat (đồng) are whole numbers, written 1234567, 1.234.567 or
 * 1,234,567, with spaces allowed around them. Which mark is the decimal mark is a property
 * of the file, never guessed per value:
 *   - ';'-delimited (Excel on a Vietnamese locale): decimal ',', grouping '.';
 *   - ','-delimited (Excel on an en-US locale): decimal '.', grouping ',' (quoted cells);
 *   - tab-delimited: from the file's own values (any column but the text ones and nam): a
 *     value that can only be read one way is evidence ("12,5" or "1.234,5" → ',';
 *     "1,234.5" or "1,234,567" → '.'). When the evidence agrees, that is the file's mark;
 *     when there is none, or it conflicts, each value must be unambiguous on its own, and
 *     "1.234" (one thousand two hundred and thirty-four, or one point two three four?) is
 *     an error, never a guess.
 * The grouping mark must separate groups of exactly three digits (the first may have one
 * to three). A value with a decimal part, even ",00", is an error: a count is whole.
 */
#include "dataset.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "exact.h"
#include "i18n.h"
#include "ingest.h"
#include "text.h"
#include "vnformat.h"

static const char *const field_names[DS_FIELD_COUNT] = {
    "so_doanh_nghiep", "so_dn_co_cdcs", "so_dn_cdcs_qhld_hai_hoa", "so_dn_cdcs_co_tuldtt",
    "so_tuldtt_co_loi_hon", "so_cuoc_doi_thoai", "so_vu_tranh_chap",
    "so_vu_tranh_chap_da_giai_quyet", "so_cuoc_ngung_viec", "so_nguoi_ngung_viec",
    "so_cuoc_thanh_tra_kiem_tra", "so_vu_vi_pham_xu_ly", "tien_phat", "so_hoa_giai_vien",
    "so_lop_tap_huan", "so_luot_nguoi_tap_huan", "so_cuoc_tuyen_truyen",
};

/* A part and its whole: value[part] may not exceed value[whole]. */
static const struct { enum ds_field part, whole; } part_of[] = {
    {DS_SO_DN_CO_CDCS, DS_SO_DOANH_NGHIEP},
    {DS_SO_DN_CDCS_QHLD_HAI_HOA, DS_SO_DN_CO_CDCS},
    {DS_SO_DN_CDCS_CO_TULDTT, DS_SO_DN_CO_CDCS},
    {DS_SO_TULDTT_CO_LOI_HON, DS_SO_DN_CDCS_CO_TULDTT},
    {DS_SO_VU_TRANH_CHAP_DA_GIAI_QUYET, DS_SO_VU_TRANH_CHAP},
};

static const char *const unit_levels[] = {"thanh_pho", "thi_xa", "huyen", "ban", "doan_the"};

const char *ds_field_name(enum ds_field f)
{
    return (unsigned)f < DS_FIELD_COUNT ? field_names[f] : NULL;
}

/* ---- the dataset, its (unit, year) table and its name indexes ---- */

/* Where a unit's report for a year was first seen. One per unit and year of the files,
 * years that are not kept included, so 16 bytes. */
struct seen {
    long line;              /* 0: not seen */
    uint32_t file;          /* index in files */
    int32_t record;         /* index in records; -1 when that row had errors or is not kept */
    uint64_t figures;       /* a hash of its figures: a row sent again is told from another */
};

/* A unit's first row for another year than its file was read for (not counted). */
struct stray {
    long line;              /* 0: none */
    uint32_t file;
    int year;
};

/* A unit's years from first_year on, span of them (1900-2100, those between seen or not):
 * a file holds one unit's years one after the other, so they are looked up in order. */
struct unit_years {
    struct seen *years;
    uint16_t first_year, span;
};

/* Strings (unit codes, file paths) to their position in an array: open addressing. */
struct name_slot {
    const char *key;        /* NULL: empty slot */
    size_t pos;
};

struct name_index {
    struct name_slot *slots;
    size_t cap, count;      /* cap a power of two, or 0 */
};

/* Every figure of the rows read so far, summed per year and field: a total beyond
 * EXACT_FIGURE_MAX is an error at the row that takes it there, in check as in report. */
struct year_totals {
    int64_t sum[DS_FIELD_COUNT];
    unsigned char over[DS_FIELD_COUNT];   /* already reported */
};

struct dataset_impl {
    struct dataset pub;     /* first: a struct dataset * is a struct dataset_impl * */
    char *units_path;               /* NULL: the units are those the exports name */
    size_t units_cap;               /* room in units, seen and strays (units from exports) */
    struct unit_years *seen;        /* one per unit, NULL until a row is read */
    char **files;                   /* every export path read, for seen.file */
    char **file_places;             /* a workbook sheet's place prefix, or NULL */
    struct stray *strays;           /* one per unit, NULL until a stray row is read */
    struct ds_file_info *file_info; /* what was read from each of files[] */
    size_t file_count;
    struct name_index codes;        /* units[].code → index in units */
    struct name_index file_names;   /* files[] → index in files */
    struct year_totals *totals;     /* per year of FIRST_YEAR..LAST_YEAR, NULL until used */
};

static struct dataset_impl *impl_of(const struct dataset *ds)
{
    return (struct dataset_impl *)ds;
}

static uint64_t hash_name(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u;     /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* Returns the slot of the len-byte name s: its own, or the empty one where it would go. */
static struct name_slot *name_slot(const struct name_index *ix, const char *s, size_t len)
{
    size_t mask = ix->cap - 1;
    for (size_t i = hash_name(s, len) & mask;; i = (i + 1) & mask) {
        struct name_slot *slot = &ix->slots[i];
        if (!slot->key || (strncmp(slot->key, s, len) == 0 && slot->key[len] == 0))
            return slot;
    }
}

/* Returns the position of the len-byte name s, or -1. */
static long name_find(const struct name_index *ix, const char *s, size_t len)
{
    if (!ix->cap)
        return -1;
    const struct name_slot *slot = name_slot(ix, s, len);
    return slot->key ? (long)slot->pos : -1;
}

/* Adds name (which must outlive the index) at position pos; 0, or -1 without memory. */
static int name_add(struct name_index *ix, const char *name, size_t pos)
{
    if ((ix->count + 1) * 2 > ix->cap) {
        struct name_index bigger = {.cap = ix->cap ? ix->cap * 2 : 64};
        bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
        if (!bigger.slots)
            return -1;
        for (size_t i = 0; i < ix->cap; i++)
            if (ix->slots[i].key) {
                *name_slot(&bigger, ix->slots[i].key, strlen(ix->slots[i].key)) = ix->slots[i];
                bigger.count++;
            }
        free(ix->slots);
        *ix = bigger;
    }
    struct name_slot *slot = name_slot(ix, name, strlen(name));
    if (!slot->key)
        ix->count++;
    slot->key = name;
    slot->pos = pos;
    return 0;
}

static void name_index_free(struct name_index *ix)
{
    free(ix->slots);
    ix->slots = NULL;
    ix->cap = ix->count = 0;
}

#define STRAYS_NAMED 3             /* rows of another year named one by one in a file */
#define FIRST_YEAR 1900            /* the years a row may report on */
#define LAST_YEAR 2100

/* How many units the per-unit tables (seen, strays) have room for. */
static size_t unit_slots(const struct dataset_impl *d)
{
    if (d->units_cap)
        return d->units_cap;
    return d->pub.unit_count ? d->pub.unit_count : 1;
}

static struct seen *seen_find(const struct dataset_impl *d, long unit, int year)
{
    if (!d->seen)
        return NULL;
    const struct unit_years *u = &d->seen[unit];
    if (year < u->first_year || year >= u->first_year + u->span)
        return NULL;
    struct seen *s = &u->years[year - u->first_year];
    return s->line ? s : NULL;
}

/* Returns the unit's entry for year (1900-2100), making room for it; NULL without memory. */
static struct seen *seen_add(struct dataset_impl *d, long unit, int year)
{
    if (!d->seen && !(d->seen = calloc(unit_slots(d), sizeof *d->seen)))
        return NULL;
    struct unit_years *u = &d->seen[unit];
    if (!u->span || year < u->first_year || year >= u->first_year + u->span) {
        /* grow towards the year by at least the span held, so that a file's years in
         * order cost a few copies, not one each */
        int first = u->span ? u->first_year : year, end = u->span ? first + u->span : year + 1;
        if (year < first)
            first = year < first - u->span ? year : first - u->span;
        else if (year >= end)
            end = year >= end + u->span ? year + 1 : end + u->span;
        if (first < FIRST_YEAR)
            first = FIRST_YEAR;
        if (end > LAST_YEAR + 1)
            end = LAST_YEAR + 1;
        struct seen *years = calloc((size_t)(end - first), sizeof *years);
        if (!years)
            return NULL;
        if (u->span)
            memcpy(years + (u->first_year - first), u->years, u->span * sizeof *years);
        free(u->years);
        u->years = years;
        u->first_year = (uint16_t)first;
        u->span = (uint16_t)(end - first);
    }
    return &u->years[year - u->first_year];
}

const struct ds_record *ds_find(const struct dataset *ds, const struct ds_unit *unit, int year)
{
    if (!ds || !unit || unit < ds->units || unit >= ds->units + ds->unit_count)
        return NULL;
    const struct seen *s = seen_find(impl_of(ds), (long)(unit - ds->units), year);
    return s && s->record >= 0 ? &ds->records[s->record] : NULL;
}

const struct ds_unit *ds_unit_find(const struct dataset *ds, const char *code)
{
    long i = name_find(&impl_of(ds)->codes, code, strlen(code));
    return i < 0 ? NULL : &ds->units[i];
}

static void free_record(struct ds_record *r)
{
    free(r->ten_don_vi);
    free(r->ghi_chu);
    for (size_t i = 0; i < r->extra_count; i++) {
        free(r->extra[i].name);
        free(r->extra[i].value);
    }
    free(r->extra);
    free(r->file);
}

void ds_free(struct dataset *ds)
{
    if (!ds)
        return;
    struct dataset_impl *d = impl_of(ds);
    for (size_t i = 0; i < ds->unit_count; i++) {
        free(ds->units[i].code);
        free(ds->units[i].name);
        free(ds->units[i].level);
    }
    free(ds->units);
    for (size_t i = 0; i < ds->record_count; i++)
        free_record(&ds->records[i]);
    free(ds->records);
    for (size_t i = 0; i < d->file_count; i++) {
        free(d->files[i]);
        free(d->file_places ? d->file_places[i] : NULL);
    }
    free(d->files);
    free(d->file_places);
    free(d->strays);
    free(d->file_info);
    for (size_t i = 0; d->seen && i < ds->unit_count; i++)
        free(d->seen[i].years);
    free(d->seen);
    name_index_free(&d->codes);
    name_index_free(&d->file_names);
    free(d->totals);
    free(d->units_path);
    free(d);
}

/* ---- helpers on cells ---- */

/* Finds the cell's text without surrounding spaces, tabs or no-break spaces: *len bytes
 * from the returned pointer (not NUL-terminated). */
static const char *trim_cell(const struct ingest_cell *c, size_t *len)
{
    const char *s = c->text, *e = c->text + c->len;
    for (;;) {
        if (s < e && (*s == ' ' || *s == '\t'))
            s++;
        else if (e - s >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            s += 2;
        else
            break;
    }
    for (;;) {
        if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        else if (e - s >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xA0)
            e -= 2;
        else
            break;
    }
    *len = (size_t)(e - s);
    return s;
}

/* Returns a new copy of the cell's text without surrounding spaces, tabs or no-break
 * spaces. */
static char *trimmed_copy(const struct ingest_cell *c)
{
    size_t len;
    const char *s = trim_cell(c, &len);
    return strndup(s, len);
}

/* Short trimmed values (codes, years, numbers) are copied here instead of allocated. */
struct short_text {
    char buf[64];
    char *text;             /* buf, or an allocation for a longer value */
};

/* Sets t->text to the cell's trimmed text; returns it, or NULL without memory. */
static char *trimmed_short(const struct ingest_cell *c, struct short_text *t)
{
    size_t len;
    const char *s = trim_cell(c, &len);
    if (len < sizeof t->buf) {
        memcpy(t->buf, s, len);
        t->buf[len] = 0;
        return t->text = t->buf;
    }
    return t->text = strndup(s, len);
}

static void short_text_free(struct short_text *t)
{
    if (t->text != t->buf)
        free(t->text);
    t->text = NULL;
}

/* Parses a positive whole number of plain digits; -1 when it is not one or too large. */
static long parse_plain(const char *s)
{
    if (!*s || strlen(s) > 12)
        return -1;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* ---- texts ---- */

/* Whether the 8 bytes at p may hold (a byte of) a control character: a byte below 0x20,
 * 0x7F or 0xC2 (a false alarm now and then, never a miss). */
static int may_hold_control(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t v;
    memcpy(&v, p, 8);
    uint64_t below = (v - ones * 0x20) & ~v & highs;
    uint64_t del = v ^ (ones * 0x7F), c2 = v ^ (ones * 0xC2);
    del = (del - ones) & ~del & highs;
    c2 = (c2 - ones) & ~c2 & highs;
    return (below | del | c2) != 0;
}

/* Says what is wrong with a text cell that may be printed: a control character (which no
 * document may hold; tab and line breaks are white space) or a character check refuses.
 * Writes the message to buf and returns it, or NULL when the text is fine. */
static const char *text_problem(const struct ingest_cell *c, const char *column,
                                ds_text_check *check, void *ctx, char *buf, size_t size)
{
    if (c->empty)
        return NULL;
    size_t offset = 0;
    const char *why = check ? check(ctx, c->text, c->len, &offset) : NULL;
    if (check && !why)
        return NULL;            /* drawable: no control character either (dataset.h) */
    /* a byte scan (the cell is valid UTF-8): C0 controls and DEL are single bytes, C1
       controls (U+0080..U+009F) are 0xC2 0x80..0x9F; eight bytes at a time where none of
       them can be one */
    const unsigned char *s = (const unsigned char *)c->text;
    for (size_t i = 0; i < c->len; i++) {
        if (i + 8 <= c->len && !may_hold_control(s + i)) {
            i += 7;
            continue;
        }
        unsigned b = s[i];
        uint32_t cp = b;
        if (b == 0xC2 && i + 1 < c->len && s[i + 1] >= 0x80 && s[i + 1] < 0xA0)
            cp = s[i + 1];
        else if (!((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F))
            continue;
        snprintf(buf, size, "%s: control character U+%04X (character %zu of the cell) "
                 "cannot be printed in a document: remove it", column, (unsigned)cp,
                 text_length(c->text, i) + 1);
        return buf;
    }
    if (!why)
        return NULL;
    snprintf(buf, size, "%s: %s (character %zu of the cell)", column, why,
             text_length(c->text, offset < c->len ? offset : c->len) + 1);
    return buf;
}

/* ---- numbers (rule at the top of this file) ---- */

enum number_status {
    NUMBER_OK, NUMBER_NOT_A_NUMBER, NUMBER_BAD_GROUPING, NUMBER_FRACTION, NUMBER_AMBIGUOUS,
    NUMBER_TOO_LARGE
};

/* Checks digit groups "1.234.567" with grouping mark g; returns 0 when well formed. */
static int check_grouping(const char *s, size_t len, char g)
{
    size_t group = 0, groups = 0;
    if (s[0] == '0')
        return -1;                  /* "0.123" is not a grouped number */
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == g) {
            if (group == 0 || group > 3 || (groups > 0 && group != 3))
                return -1;
            groups++;
            group = 0;
        } else {
            group++;
        }
    }
    return 0;
}

/* Parses s (no sign, digits and marks only) as a whole number whose decimal mark is d. */
static enum number_status parse_with(const char *s, char d, int64_t *out)
{
    char g = d == ',' ? '.' : ',';
    size_t len = strlen(s);
    const char *dm = strchr(s, d);
    size_t int_len = dm ? (size_t)(dm - s) : len;
    if (int_len == 0)
        return NUMBER_NOT_A_NUMBER;
    if (memchr(s, g, int_len) && check_grouping(s, int_len, g))
        return dm ? NUMBER_NOT_A_NUMBER : NUMBER_BAD_GROUPING;
    if (dm) {
        if (!dm[1])
            return NUMBER_NOT_A_NUMBER;
        for (const char *p = dm + 1; *p; p++)
            if (*p < '0' || *p > '9')
                return NUMBER_NOT_A_NUMBER;
        return NUMBER_FRACTION;
    }
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == g)
            continue;
        if (v > (INT64_MAX - 9) / 10)
            return NUMBER_TOO_LARGE;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return NUMBER_OK;
}

/* Skips a sign; returns NULL unless the rest is digits and marks, starting and ending with
 * a digit. */
static const char *number_body(const char *s, int *negative)
{
    *negative = 0;
    if (*s == '-' || *s == '+')
        *negative = *s++ == '-';
    size_t len = strlen(s);
    if (!len || s[0] < '0' || s[0] > '9' || s[len - 1] < '0' || s[len - 1] > '9')
        return NULL;
    for (size_t i = 0; i < len; i++)
        if ((s[i] < '0' || s[i] > '9') && s[i] != '.' && s[i] != ',')
            return NULL;
    return s;
}

static int readable(enum number_status st)
{
    return st == NUMBER_OK || st == NUMBER_FRACTION || st == NUMBER_TOO_LARGE;
}

/* Says which mark a value shows to be its decimal mark ('.' or ','): the only one under
 * which it reads as a number. 0 when it shows none ("1234", "1.234", "12.11.2023"). */
static char decimal_evidence(const char *s)
{
    int negative;
    int64_t v;
    const char *body = number_body(s, &negative);
    if (!body || !strpbrk(body, ".,"))
        return 0;
    int comma = readable(parse_with(body, ',', &v)), dot = readable(parse_with(body, '.', &v));
    return comma == dot ? 0 : comma ? ',' : '.';
}

/* Parses a whole number; decimal is the file's decimal mark, or 0 when unknown (then the
 * value itself must show it). *decimal_used receives the mark the value was read with. */
static enum number_status parse_whole(const char *s, char decimal, int64_t *out,
                                      char *decimal_used)
{
    int negative;
    const char *body = number_body(s, &negative);
    if (!body)
        return NUMBER_NOT_A_NUMBER;
    char d = decimal;
    if (!d && strpbrk(body, ".,")) {
        d = decimal_evidence(body);
        if (!d) {
            int64_t v;
            return readable(parse_with(body, ',', &v)) ? NUMBER_AMBIGUOUS
                                                        : NUMBER_NOT_A_NUMBER;
        }
    }
    if (!d)
        d = '.';                     /* plain digits: either mark will do */
    *decimal_used = d;
    enum number_status st = parse_with(body, d, out);
    if (st == NUMBER_OK && negative)
        *out = -*out;
    return st;
}

/* ---- reading an export ---- */

enum column_role { COL_IGNORED, COL_UNNAMED, COL_MA_DON_VI, COL_TEN_DON_VI, COL_NAM,
                   COL_GHI_CHU, COL_FIELD, COL_EXTRA };

struct column {
    enum column_role role;
    enum ds_field field;    /* COL_FIELD */
    char *name;             /* trimmed header text */
    size_t name_len;        /* its bytes (names of other lengths never match) */
};

/* A unit and year this file added to the (unit, year) table, to take back. */
struct added {
    long unit;
    int year;
};

struct export_reader {
    struct dataset_impl *ds;
    const char *path;
    int expect_year;        /* rows of other years are named and not counted (0: any) */
    long strays;            /* rows of another year than expect_year */
    int units_directory;    /* the file is a units directory, not an export */
    uint32_t file;          /* index in ds->files */
    struct vb_diags *diags;
    struct ingest_format fmt;
    long rows;              /* non-empty data rows delivered */
    int keep_from, keep_to; /* years whose records are kept (0: all) */
    ds_text_check *check_text;   /* see ds_read_options */
    void *check_ctx;
    char decimal;           /* the file's decimal mark, 0 when unknown */
    int decimal_known;      /* 1: decimal is final (forced by the delimiter, or a reread) */
    /* a tab file is read with no decimal mark while its values' evidence is counted; if
     * the evidence then shows one and a value's reading depended on it, the file is read
     * again (see ds_read_export) */
    long votes_comma, votes_dot;
    int decimal_mattered;   /* a count was not plain digits: its reading used the mark */
    struct added *added;    /* (unit, year) entries added, while the mark is not final */
    size_t added_count, added_cap;
    int header_read, header_ok;
    long header_line;
    struct column *columns;
    size_t column_count;
    size_t errors;
    int internal;
};

/* The file as messages name its places: the path, or a workbook sheet's prefix
 * ("file.xlsx:Sheet1!", see diag_place). */
static const char *place_of(const struct export_reader *x)
{
    return x->fmt.where ? x->fmt.where : x->path;
}

static void row_error(struct export_reader *x, const struct ingest_cell *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row_error(struct export_reader *x, const struct ingest_cell *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(x->diags, VB_EINPUT, place_of(x), c->line, c->col, fmt, ap);
    va_end(ap);
    x->errors++;
}

static void row_warning(struct export_reader *x, const struct ingest_cell *c, const char *fmt,
                        ...) __attribute__((format(printf, 3, 4)));

static void row_warning(struct export_reader *x, const struct ingest_cell *c, const char *fmt,
                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, gettext(fmt), ap);
    va_end(ap);
    diag_warning(x->diags, place_of(x), c->line, c->col, "%s", msg);
}

/* The names an export's header may have, for finding it in a workbook under its titles. */
static const char *const export_columns[] = {
    "ma_don_vi", "ten_don_vi", "nam", "ghi_chu", "so_doanh_nghiep", "so_dn_co_cdcs",
    "so_dn_cdcs_qhld_hai_hoa", "so_dn_cdcs_co_tuldtt", "so_tuldtt_co_loi_hon",
    "so_cuoc_doi_thoai", "so_vu_tranh_chap", "so_vu_tranh_chap_da_giai_quyet",
    "so_cuoc_ngung_viec", "so_nguoi_ngung_viec", "so_cuoc_thanh_tra_kiem_tra",
    "so_vu_vi_pham_xu_ly", "tien_phat", "so_hoa_giai_vien", "so_lop_tap_huan",
    "so_luot_nguoi_tap_huan", "so_cuoc_tuyen_truyen", "code", "name", "level", "order", NULL};

static const char *contract_list =
    N_("ma_don_vi, ten_don_vi, nam and the 17 counts from so_doanh_nghiep to so_cuoc_tuyen_truyen");

static void read_header(struct export_reader *x, const struct ingest_row *row)
{
    x->header_read = 1;
    x->header_ok = 1;
    x->header_line = row->line;
    x->columns = calloc(row->count, sizeof *x->columns);
    if (!x->columns) {
        x->internal = 1;
        return;
    }
    x->column_count = row->count;
    size_t where[DS_FIELD_COUNT + 4] = {0};   /* 1-based column of each contract name */
    static const char *const text_names[] = {"ma_don_vi", "ten_don_vi", "nam", "ghi_chu"};
    for (size_t i = 0; i < row->count; i++) {
        struct column *col = &x->columns[i];
        col->name = trimmed_copy(&row->cells[i]);
        if (!col->name) {
            x->internal = 1;
            return;
        }
        if (!*col->name) {
            col->role = COL_UNNAMED;
            continue;
        }
        col->name_len = strlen(col->name);
        size_t first = 0;
        /* strcasecmp folds byte by byte: names of different lengths differ */
        for (size_t j = 0; j < i && !first; j++)
            if (x->columns[j].name && x->columns[j].name_len == col->name_len &&
                strcasecmp(x->columns[j].name, col->name) == 0)
                first = j + 1;
        if (first) {
            row_error(x, &row->cells[i], "duplicate column '%s': the header already has it "
                      "as column %zu, and every column name must appear once", col->name, first);
            col->role = COL_IGNORED;
            x->header_ok = 0;
            continue;
        }
        col->role = COL_EXTRA;
        for (size_t t = 0; t < 4; t++)
            if (strcasecmp(col->name, text_names[t]) == 0) {
                col->role = (enum column_role)(COL_MA_DON_VI + t);
                where[DS_FIELD_COUNT + t] = i + 1;
            }
        for (size_t f = 0; f < DS_FIELD_COUNT; f++)
            if (strcasecmp(col->name, field_names[f]) == 0) {
                col->role = COL_FIELD;
                col->field = (enum ds_field)f;
                where[f] = i + 1;
            }
    }
    size_t found = 0;
    for (size_t k = 0; k < DS_FIELD_COUNT + 3; k++)
        found += where[k] != 0;
    if (found == 0) {               /* not an export at all: one message, not twenty */
        int code = 0, name = 0, level = 0, order = 0;
        for (size_t i = 0; i < row->count; i++) {
            const char *n = x->columns[i].name;
            code |= strcasecmp(n, "code") == 0, name |= strcasecmp(n, "name") == 0;
            level |= strcasecmp(n, "level") == 0, order |= strcasecmp(n, "order") == 0;
        }
        x->header_ok = 0;
        if (code && name && level && order) {
            /* a units directory among the exports: said, not read as an export */
            x->units_directory = 1;
            diag_warning(x->diags, place_of(x), row->line, 1, "this is a units directory (code, "
                         "name, level, order), not an export: it is not read as one (give it "
                         "with --units, or in the profile)");
            return;
        }
        diag_error(x->diags, VB_EINPUT, place_of(x), row->line, 1, "the header names none of "
                   "the export's columns: expected a first row naming %s", _(contract_list));
        x->errors++;
        return;
    }
    for (size_t t = 0; t < 3; t++)
        if (!where[DS_FIELD_COUNT + t]) {
            diag_error(x->diags, VB_EINPUT, place_of(x), row->line, 1, "missing column %s: every "
                       "export must have the columns %s", text_names[t], _(contract_list));
            x->errors++;
            x->header_ok = 0;
        }
    for (size_t f = 0; f < DS_FIELD_COUNT; f++)
        if (!where[f]) {
            diag_error(x->diags, VB_EINPUT, place_of(x), row->line, 1, "missing column %s: every "
                       "export must have the columns %s (leave a cell empty where a count "
                       "does not apply)", field_names[f], _(contract_list));
            x->errors++;
            x->header_ok = 0;
        }
}

static void collect_evidence(struct export_reader *x, const struct ingest_row *row)
{
    for (size_t i = 0; i < row->count && i < x->column_count; i++) {
        enum column_role role = x->columns[i].role;
        if ((role != COL_FIELD && role != COL_EXTRA) || row->cells[i].empty)
            continue;
        struct short_text v;
        if (!trimmed_short(&row->cells[i], &v)) {
            x->internal = 1;
            return;
        }
        char d = decimal_evidence(v.text);
        x->votes_comma += d == ',';
        x->votes_dot += d == '.';
        short_text_free(&v);
    }
}

static const char *decimal_reason(const struct export_reader *x)
{
    if (x->fmt.workbook) {
        if (x->decimal == ',')
            return _("this workbook's numbers typed as text show ',' as their decimal mark");
        if (x->decimal == '.')
            return _("this workbook's numbers typed as text show '.' as their decimal mark");
        return _("this workbook's numbers typed as text do not show their decimal mark");
    }
    switch (x->fmt.delimiter) {
    case ';': return _("in a ';'-delimited file ',' is the decimal mark and '.' groups thousands");
    case ',': return _("in a ','-delimited file '.' is the decimal mark and ',' groups thousands");
    default:
        if (x->decimal == ',')
            return _("this tab-delimited file's values show ',' as its decimal mark");
        if (x->decimal == '.')
            return _("this tab-delimited file's values show '.' as its decimal mark");
        return _("this tab-delimited file's values do not show its decimal mark");
    }
}

/* A figure above the documented limit (exact.h): no real unit has one, and sums, ratios
 * and changes of larger ones could not all be exact. */
static void too_large(struct export_reader *x, const struct ingest_cell *c, enum ds_field f,
                      const char *text)
{
    char limit[32];
    vn_group_int(EXACT_FIGURE_MAX, limit, sizeof limit);
    row_error(x, c, "%s: '%s' is larger than any real %s: vanban accepts at most %s "
              "(15 digits)", field_names[f], text,
              f == DS_TIEN_PHAT ? _("amount in đồng") : _("count"), limit);
}

/* Whether the text is one of the error values Excel shows for a formula that failed
 * (#DIV/0!, #N/A …), as a workbook's error cell or Excel's CSV writes it. */
static int is_excel_error(const char *s)
{
    static const char *const errors[] = {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
        "Err:502", "Err:504", "Err:508", "Err:511", "Err:522", NULL};
    for (const char *const *e = errors; *e; e++)
        if (strcasecmp(s, *e) == 0)
            return 1;
    return 0;
}

/* Reads one numeric cell; returns 1 with *value set, 0 when empty, -1 after an error. */
static int read_number(struct export_reader *x, const struct ingest_cell *c, enum ds_field f,
                       int64_t *value)
{
    if (c->empty)
        return 0;
    size_t len;
    const char *t = trim_cell(c, &len);
    int64_t plain = 0;              /* plain digits are read alike with either mark */
    size_t i = 0;
    while (i < len && i < 18 && t[i] >= '0' && t[i] <= '9')
        plain = plain * 10 + (t[i++] - '0');
    if (len > 0 && i == len && plain <= EXACT_FIGURE_MAX) {
        *value = plain;
        return 1;
    }
    if (len > 0 && i == len) {
        struct short_text text;
        if (!trimmed_short(c, &text)) {
            x->internal = 1;
            return -1;
        }
        too_large(x, c, f, text.text);
        short_text_free(&text);
        return -1;
    }
    x->decimal_mattered = 1;
    struct short_text text;
    const char *v = trimmed_short(c, &text);
    if (!v) {
        x->internal = 1;
        return -1;
    }
    const char *name = field_names[f];
    const char *what = f == DS_TIEN_PHAT ? _("an amount in đồng") : _("a count");
    char used = x->decimal;
    enum number_status st = parse_whole(v, x->decimal, value, &used);
    char g = x->decimal == ',' ? '.' : ',';
    switch (st) {
    case NUMBER_OK:
        break;
    case NUMBER_NOT_A_NUMBER:
        if (is_excel_error(v))
            row_error(x, c, "%s: the cell shows Excel's error %s (a formula that failed): "
                      "correct the formula or type the figure", name, v);
        else if (x->decimal)
            row_error(x, c, "%s: '%s' is not a whole number (expected digits, optionally "
                      "grouped by '%c' in threes, e.g. 1%c234%c567; %s)", name, v, g, g, g,
                      decimal_reason(x));
        else
            row_error(x, c, "%s: '%s' is not a whole number (expected digits such as "
                      "1234567)", name, v);
        break;
    case NUMBER_BAD_GROUPING:
        row_error(x, c, "%s: '%s' is grouped wrongly: '%c' must separate groups of exactly "
                  "three digits (e.g. 1%c234%c567; %s)", name, v, used == ',' ? '.' : ',',
                  used == ',' ? '.' : ',', used == ',' ? '.' : ',', decimal_reason(x));
        break;
    case NUMBER_FRACTION:
        if (x->decimal)
            row_error(x, c, "%s: '%s' has a decimal part (%s): %s must be a whole number",
                      name, v, decimal_reason(x), what);
        else
            row_error(x, c, "%s: '%s' has a decimal part ('%c' can only be a decimal mark "
                      "here): %s must be a whole number", name, v, used, what);
        break;
    case NUMBER_AMBIGUOUS:
        row_error(x, c, "%s: '%s' is ambiguous: %s, so it could be a whole number with "
                  "grouped thousands or a decimal; write it without grouping (e.g. 1234)",
                  name, v, decimal_reason(x));
        break;
    case NUMBER_TOO_LARGE:
        too_large(x, c, f, v);
        break;
    }
    if (st == NUMBER_OK && (*value > EXACT_FIGURE_MAX || *value < -EXACT_FIGURE_MAX)) {
        too_large(x, c, f, v);
        st = NUMBER_TOO_LARGE;
    }
    short_text_free(&text);
    return st == NUMBER_OK ? 1 : -1;
}

static char *dup_or_null(const struct ingest_cell *c, int *internal)
{
    if (c->empty)
        return NULL;
    char *s = strdup(c->text);
    if (!s)
        *internal = 1;
    return s;
}

static void read_data_row_checks(struct export_reader *x, const struct ingest_row *row);

/* Notes a (unit, year) entry added while the decimal mark is not final. */
static int grow_added(struct export_reader *x, long unit, int year)
{
    if (grow_array(&x->added, &x->added_cap, x->added_count + 1, sizeof *x->added))
        return -1;
    x->added[x->added_count++] = (struct added){.unit = unit, .year = year};
    return 0;
}

/* Where a row seen before is, as messages name it: "file.csv:3", "book.xlsx:Sheet1!A3". */
static char *seen_place(const struct dataset_impl *d, uint32_t file, long line, char *buf,
                        size_t size)
{
    if (d->file_places[file])
        return diag_place(buf, size, d->file_places[file], line, 1);
    snprintf(buf, size, "%s:%ld", d->files[file], line);
    return buf;
}

/* A hash of a row's figures (FNV-1a over each field's presence and value): equal for a
 * row sent again, different for other figures. */
static uint64_t figures_hash(const int64_t *value, const unsigned char *present)
{
    uint64_t h = 14695981039346656037u;
    for (int f = 0; f < DS_FIELD_COUNT; f++) {
        uint64_t v = present[f] ? (uint64_t)value[f] : UINT64_MAX;
        for (int k = 0; k < 8; k++)
            h = (h ^ (v >> (8 * k) & 0xFF)) * 1099511628211u;
    }
    return h;
}

/* Notes a unit's first row of another year than its file was read for; 0, or -1 without
 * memory. */
static int note_stray(struct export_reader *x, long unit, int year, long line)
{
    struct dataset_impl *d = x->ds;
    if (!d->strays && !(d->strays = calloc(unit_slots(d), sizeof *d->strays)))
        return -1;
    if (!d->strays[unit].line)
        d->strays[unit] = (struct stray){.line = line, .file = x->file, .year = year};
    return 0;
}

const char *ds_stray_row(const struct dataset *ds, const struct ds_unit *unit, int *year,
                         char *buf, size_t size)
{
    const struct dataset_impl *d = impl_of(ds);
    if (!d->strays || unit < ds->units || unit >= ds->units + ds->unit_count)
        return NULL;
    const struct stray *st = &d->strays[unit - ds->units];
    if (!st->line)
        return NULL;
    *year = st->year;
    return seen_place(d, st->file, st->line, buf, size);
}

static void record_row(struct export_reader *x, const struct ingest_row *row,
                       const struct ds_unit *unit, int year, const int64_t *value,
                       const unsigned char *present, const struct ingest_cell *const *cell_of,
                       struct seen *seen)
{
    struct dataset *ds = &x->ds->pub;
    if (grow_array(&ds->records, &ds->record_cap, ds->record_count + 1, sizeof *ds->records)) {
        x->internal = 1;
        return;
    }
    struct ds_record *rec = &ds->records[ds->record_count];
    memset(rec, 0, sizeof *rec);
    rec->unit = unit;
    rec->year = year;
    memcpy(rec->value, value, sizeof rec->value);
    memcpy(rec->present, present, sizeof rec->present);
    rec->file = strdup(place_of(x));
    rec->line = row->line;
    for (int f = 0; f < DS_FIELD_COUNT; f++)
        rec->col[f] = cell_of[f] ? cell_of[f]->col : 0;
    size_t extras = 0;
    for (size_t i = 0; i < row->count; i++)
        extras += x->columns[i].role == COL_EXTRA;
    if (extras)
        rec->extra = calloc(extras, sizeof *rec->extra);
    if (!rec->file || (extras && !rec->extra)) {
        free_record(rec);
        x->internal = 1;
        return;
    }
    for (size_t i = 0; i < row->count; i++) {
        const struct ingest_cell *c = &row->cells[i];
        switch (x->columns[i].role) {
        case COL_TEN_DON_VI:
            rec->ten_don_vi = trimmed_copy(c);
            if (!rec->ten_don_vi)
                x->internal = 1;
            break;
        case COL_GHI_CHU:
            rec->ghi_chu = dup_or_null(c, &x->internal);
            break;
        case COL_EXTRA: {
            struct ds_extra *e = &rec->extra[rec->extra_count++];
            e->name = strdup(x->columns[i].name);
            e->value = dup_or_null(c, &x->internal);
            if (!e->name)
                x->internal = 1;
            break;
        }
        default:
            break;
        }
    }
    if (x->internal) {
        free_record(rec);
        return;
    }
    seen->record = (long)ds->record_count++;
}

static void read_data_row(struct export_reader *x, const struct ingest_row *row)
{
    size_t first_diag = x->diags->count;
    read_data_row_checks(x, row);
    diag_sort_since(x->diags, first_diag);
}

/* Adds a row's figures to its year's totals (struct year_totals). */
static void add_to_totals(struct export_reader *x, int year, const int64_t *value,
                          const unsigned char *present, const struct ingest_cell *const *cell_of)
{
    struct dataset_impl *d = x->ds;
    if (!d->totals && !(d->totals = calloc(LAST_YEAR - FIRST_YEAR + 1, sizeof *d->totals))) {
        x->internal = 1;
        return;
    }
    struct year_totals *t = &d->totals[year - FIRST_YEAR];
    for (int f = 0; f < DS_FIELD_COUNT; f++) {
        if (!present[f] || t->over[f] || exact_add(&t->sum[f], value[f]) == 0)
            continue;
        char total[40], limit[40];
        vn_group_int((long long)t->sum[f] + value[f], total, sizeof total);
        vn_group_int(EXACT_FIGURE_MAX, limit, sizeof limit);
        row_error(x, cell_of[f], "%s: this row takes the %d total to %s, beyond the most "
                  "vanban adds (%s; no real total is that large): check this figure and the "
                  "other units' %s for %d", field_names[f], year, total, limit,
                  field_names[f], year);
        t->over[f] = 1;
    }
}

/* Makes room for one more unit of the exports (units, seen, strays), keeping the records'
 * unit pointers right; 0, or -1 without memory. */
static int grow_export_units(struct dataset_impl *d)
{
    struct dataset *ds = &d->pub;
    if (ds->unit_count < d->units_cap)
        return 0;
    size_t cap = d->units_cap ? d->units_cap * 2 : 32;
    size_t *index = ds->record_count ? malloc(ds->record_count * sizeof *index) : NULL;
    if (ds->record_count && !index)
        return -1;
    for (size_t i = 0; i < ds->record_count; i++)
        index[i] = (size_t)(ds->records[i].unit - ds->units);
    struct ds_unit *units = realloc(ds->units, cap * sizeof *units);
    if (units)
        ds->units = units;
    for (size_t i = 0; i < ds->record_count; i++)
        ds->records[i].unit = &ds->units[index[i]];
    free(index);
    if (!units)
        return -1;
    if (d->seen) {
        struct unit_years *seen = realloc(d->seen, cap * sizeof *seen);
        if (!seen)
            return -1;
        memset(seen + d->units_cap, 0, (cap - d->units_cap) * sizeof *seen);
        d->seen = seen;
    }
    if (d->strays) {
        struct stray *strays = realloc(d->strays, cap * sizeof *strays);
        if (!strays)
            return -1;
        memset(strays + d->units_cap, 0, (cap - d->units_cap) * sizeof *strays);
        d->strays = strays;
    }
    d->units_cap = cap;
    return 0;
}

/* Adds the unit a row of the exports names (no units directory): its code, the name its
 * ten_don_vi cell gives (else the code), no level, the next position. Returns it, or NULL
 * without memory. */
static const struct ds_unit *add_export_unit(struct dataset_impl *d, const char *code,
                                             const struct ingest_cell *ten)
{
    struct dataset *ds = &d->pub;
    if (grow_export_units(d))
        return NULL;
    struct ds_unit unit = {.code = strdup(code),
                           .name = ten && !ten->empty ? trimmed_copy(ten) : strdup(code),
                           .level = strdup(""), .order = (long)ds->unit_count + 1};
    if (!unit.code || !unit.name || !unit.level ||
        name_add(&d->codes, unit.code, ds->unit_count)) {
        free(unit.code);
        free(unit.name);
        free(unit.level);
        return NULL;
    }
    ds->units[ds->unit_count] = unit;
    return &ds->units[ds->unit_count++];
}

static void read_data_row_checks(struct export_reader *x, const struct ingest_row *row)
{
    struct dataset *ds = &x->ds->pub;
    size_t errors_before = x->errors;
    const struct ingest_cell *ma = NULL, *ten = NULL, *nam = NULL;
    int64_t value[DS_FIELD_COUNT] = {0};
    unsigned char present[DS_FIELD_COUNT] = {0};
    const struct ingest_cell *cell_of[DS_FIELD_COUNT] = {0};
    for (size_t i = 0; i < row->count && i < x->column_count; i++) {
        const struct ingest_cell *c = &row->cells[i];
        const struct column *col = &x->columns[i];
        switch (col->role) {
        case COL_MA_DON_VI: ma = c; break;
        case COL_TEN_DON_VI: ten = c; break;
        case COL_NAM: nam = c; break;
        case COL_FIELD:
            cell_of[col->field] = c;
            present[col->field] = read_number(x, c, col->field, &value[col->field]) == 1;
            if (present[col->field] && value[col->field] < 0) {
                row_error(x, c, "%s (%lld) is negative: %s cannot be below zero",
                          field_names[col->field], (long long)value[col->field],
                          col->field == DS_TIEN_PHAT ? _("an amount") : _("a count"));
                present[col->field] = 0;
            }
            break;
        case COL_UNNAMED:
            if (!c->empty)
                row_error(x, c, "cell in column %zu, which has no name in the header: name "
                          "the column or leave its cells empty", i + 1);
            break;
        default:
            break;
        }
        if (col->role == COL_TEN_DON_VI || col->role == COL_GHI_CHU || col->role == COL_EXTRA) {
            char why[512];
            if (text_problem(c, col->name, x->check_text, x->check_ctx, why, sizeof why))
                row_error(x, c, "%s", why);
        }
    }
    for (size_t k = 0; k < sizeof part_of / sizeof *part_of; k++) {
        enum ds_field p = part_of[k].part, w = part_of[k].whole;
        if (present[p] && present[w] && value[p] > value[w])
            row_error(x, cell_of[p], "%s (%lld) is larger than %s (%lld): a part cannot "
                      "exceed its whole", field_names[p], (long long)value[p], field_names[w],
                      (long long)value[w]);
    }

    const struct ds_unit *unit = NULL;
    struct short_text code_text = {.text = NULL};
    const char *code = NULL;
    if (ma && ma->empty) {
        row_error(x, ma, "ma_don_vi is empty: every row needs the unit's code from the units "
                  "directory");
    } else if (ma) {
        code = trimmed_short(ma, &code_text);
        if (!code) {
            x->internal = 1;
            return;
        }
        unit = ds_unit_find(ds, code);
        const struct ds_unit *near = NULL;
        for (size_t i = 0; !unit && !near && i < ds->unit_count; i++)
            if (strcasecmp(ds->units[i].code, code) == 0)
                near = &ds->units[i];
        char why[512];
        if (!unit && near && !x->ds->units_path)
            row_error(x, ma, "unit '%s' differs from unit %s of another row only in case: "
                      "codes are case-sensitive (write %s in every export)", code, near->code,
                      near->code);
        else if (!unit && near)
            row_error(x, ma, "unit '%s' is not in the units directory %s (codes are "
                      "case-sensitive: did you mean %s?)", code, x->ds->units_path, near->code);
        else if (!unit && x->ds->units_path)
            row_error(x, ma, "unit '%s' is not in the units directory %s", code,
                      x->ds->units_path);
        else if (!unit && text_problem(ma, "ma_don_vi", x->check_text, x->check_ctx, why,
                                       sizeof why))
            row_error(x, ma, "%s", why);
        else if (!unit && !(unit = add_export_unit(x->ds, code, ten))) {
            short_text_free(&code_text);
            x->internal = 1;
            return;
        }
    }
    if (ten && ten->empty)
        row_error(x, ten, "ten_don_vi is empty: every row needs the unit's name");
    long year = -1;
    if (nam && nam->empty) {
        row_error(x, nam, "nam is empty: every row needs the year it reports on");
    } else if (nam) {
        struct short_text y;
        if (!trimmed_short(nam, &y)) {
            short_text_free(&code_text);
            x->internal = 1;
            return;
        }
        year = parse_plain(y.text);
        if (year < 1900 || year > 2100) {
            row_error(x, nam, "nam: '%s' is not a year (expected four digits between 1900 "
                      "and 2100, such as 2023)", y.text);
            year = -1;
        }
        short_text_free(&y);
    }
    struct seen *seen = NULL;
    if (year > 0 && x->expect_year && year != x->expect_year) {
        /* a row of another year: named, never counted (nor its duplicates looked for) */
        if (++x->strays <= STRAYS_NAMED)
            row_warning(x, nam, "this row is for %ld, not %d, the year these exports are read "
                        "for: it is not counted (a file of another year in the folder?)",
                        year, x->expect_year);
        if (unit && note_stray(x, (long)(unit - ds->units), (int)year, row->line))
            x->internal = 1;
        short_text_free(&code_text);
        return;
    }
    uint64_t figures = figures_hash(value, present);
    if (unit && year > 0) {
        long index = (long)(unit - ds->units);
        const struct seen *first = seen_find(x->ds, index, (int)year);
        char place[4096 + 64];
        if (first)
            seen_place(x->ds, first->file, first->line, place, sizeof place);
        if (first && first->figures == figures && x->errors == errors_before) {
            /* the same row sent again (a resubmitted file): counted once */
            row_warning(x, ma, "unit %s's row for %ld is sent again, with the same figures as "
                        "at %s: counted once (remove the copy)", code, year, place);
            short_text_free(&code_text);
            return;
        } else if (first) {
            row_error(x, ma, "unit %s already reported for %ld at %s: a unit sends one row "
                      "per year (this one has other figures: remove the outdated file, or "
                      "correct the row that is wrong)", code, year, place);
        } else if (!(seen = seen_add(x->ds, index, (int)year)) ||
                   (!x->decimal_known &&
                    grow_added(x, index, (int)year))) {
            short_text_free(&code_text);
            x->internal = 1;
            return;
        } else {
            seen->file = x->file;
            seen->line = row->line;
            seen->record = -1;
            seen->figures = figures;
        }
    }
    short_text_free(&code_text);
    /* rows of other years are checked (and their duplicates found) but not kept, so a
     * report's memory is bounded by the units, not by the history in the files */
    if (x->errors == errors_before && x->header_ok && seen)
        add_to_totals(x, (int)year, value, present, cell_of);
    int wanted = !x->keep_from || (year >= x->keep_from && year <= x->keep_to);
    if (x->errors == errors_before && x->header_ok && seen && wanted)
        record_row(x, row, unit, (int)year, value, present, cell_of, seen);
}

static int on_export_row(const struct ingest_row *row, void *ctx)
{
    struct export_reader *x = ctx;
    if (!x->header_read) {
        if (x->fmt.where && !x->ds->file_places[x->file] &&
            !(x->ds->file_places[x->file] = strdup(x->fmt.where))) {
            x->internal = 1;
            return 1;
        }
        read_header(x, row);
        if (!x->decimal_known) {    /* the delimiter is known now (ingest.h) */
            if (x->fmt.delimiter == ';')
                x->decimal = ',';
            else if (x->fmt.delimiter == ',')
                x->decimal = '.';
            /* a tab file's and a workbook's mark comes from its values; another delimiter
             * shows none */
            x->decimal_known = x->fmt.delimiter != '\t' && !x->fmt.workbook;
        }
        return x->internal || x->units_directory;
    }
    size_t filled = 0;
    for (size_t i = 0; i < row->count; i++)
        filled += !row->cells[i].empty;
    if (!filled)
        return 0;                   /* Excel's rows of empty cells (";;;;") carry nothing */
    x->rows++;
    if (!x->decimal_known)
        collect_evidence(x, row);
    if (x->column_count == row->count)
        read_data_row(x, row);
    return x->internal;
}

static void free_columns(struct export_reader *x)
{
    for (size_t i = 0; i < x->column_count; i++)
        free(x->columns[i].name);
    free(x->columns);
    x->columns = NULL;
    x->column_count = 0;
}

/* Returns the index of path in the dataset's files, adding it; -1 without memory. */
static long intern_path(struct dataset_impl *d, const char *path)
{
    long i = name_find(&d->file_names, path, strlen(path));
    if (i >= 0)
        return i;
    if (d->file_count >= UINT32_MAX)
        return -1;
    char **files = realloc(d->files, (d->file_count + 1) * sizeof *files);
    if (!files)
        return -1;
    d->files = files;
    struct ds_file_info *info = realloc(d->file_info, (d->file_count + 1) * sizeof *info);
    if (!info)
        return -1;
    d->file_info = info;
    char **places = realloc(d->file_places, (d->file_count + 1) * sizeof *places);
    if (!places)
        return -1;
    d->file_places = places;
    places[d->file_count] = NULL;
    if (!(files[d->file_count] = strdup(path)))
        return -1;
    if (name_add(&d->file_names, files[d->file_count], d->file_count)) {
        free(files[d->file_count]);
        return -1;
    }
    info[d->file_count] = (struct ds_file_info){.path = files[d->file_count]};
    return (long)d->file_count++;
}

/* Takes back what a read of a file added: its records and (unit, year) entries. */
static void take_back(struct export_reader *x, size_t records_before,
                      const struct year_totals *totals_before)
{
    struct dataset *ds = &x->ds->pub;
    if (x->ds->totals) {
        if (totals_before)
            memcpy(x->ds->totals, totals_before,
                   (LAST_YEAR - FIRST_YEAR + 1) * sizeof *x->ds->totals);
        else
            memset(x->ds->totals, 0, (LAST_YEAR - FIRST_YEAR + 1) * sizeof *x->ds->totals);
    }
    while (ds->record_count > records_before)
        free_record(&ds->records[--ds->record_count]);
    for (size_t i = 0; i < x->added_count; i++) {
        struct seen *s = seen_find(x->ds, x->added[i].unit, x->added[i].year);
        if (s)
            s->line = 0;
    }
}

/* Appends the diagnostics held in from to to, in order, and empties from. */
static void move_diags(struct vb_diags *to, struct vb_diags *from)
{
    diag_copy_all(to, from);
    diag_clear(from);
}

enum vb_status ds_read_export(struct dataset *ds, const char *path,
                              const struct ds_read_options *opt, struct vb_diags *diags)
{
    struct dataset_impl *d = impl_of(ds);
    long file = intern_path(d, path);
    if (file < 0)
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");

    /* One pass: the decimal mark follows from the delimiter, known at the header. A tab
     * file's mark follows from its values: it is read with none while their evidence is
     * counted, and when the evidence shows a mark and a count's reading depended on it,
     * what the pass added is taken back and the file read again with that mark. So its
     * diagnostics are held until the file is done. */
    struct ingest_options io = {.header_names = export_columns};
    if (opt)
        io = (struct ingest_options){.encoding = opt->encoding, .delimiter = opt->delimiter,
                                     .max_row_bytes = opt->max_row_bytes,
                                     .max_columns = opt->max_columns, .sheet = opt->sheet,
                                     .header_names = export_columns};
    struct vb_diags held = {.limit = diags->limit};
    size_t records_before = ds->record_count;
    /* the totals as they were, for a reread (a few KB) */
    struct year_totals *totals_before = NULL;
    if (d->totals && !(totals_before = malloc((LAST_YEAR - FIRST_YEAR + 1) *
                                              sizeof *totals_before)))
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    if (totals_before)
        memcpy(totals_before, d->totals, (LAST_YEAR - FIRST_YEAR + 1) * sizeof *totals_before);
    struct export_reader x = {.ds = d, .path = path, .file = (uint32_t)file, .diags = &held,
                              .expect_year = opt ? opt->year : 0,
                              .keep_from = opt ? opt->keep_from : 0,
                              .keep_to = opt ? opt->keep_to : 0,
                              .check_text = opt ? opt->check_text : NULL,
                              .check_ctx = opt ? opt->check_ctx : NULL};
    enum vb_status st = ingest_read(path, &io, on_export_row, &x, &x.fmt, &held);
    char decimal = x.votes_comma && !x.votes_dot ? ',' : x.votes_dot && !x.votes_comma ? '.' : 0;
    if (!x.decimal_known && decimal && x.decimal_mattered && !x.internal) {
        take_back(&x, records_before, totals_before);
        free_columns(&x);
        free(x.added);
        diag_clear(&held);
        io.encoding = x.fmt.encoding;
        io.delimiter = x.fmt.delimiter;
        int internal = x.internal;
        x = (struct export_reader){.ds = d, .path = path, .file = (uint32_t)file,
                                   .diags = &held, .decimal = decimal, .decimal_known = 1,
                                   .expect_year = opt ? opt->year : 0,
                                   .keep_from = opt ? opt->keep_from : 0,
                                   .keep_to = opt ? opt->keep_to : 0, .internal = internal,
                                   .check_text = opt ? opt->check_text : NULL,
                                   .check_ctx = opt ? opt->check_ctx : NULL};
        if (!internal)
            st = ingest_read(path, &io, on_export_row, &x, &x.fmt, &held);
    }
    free(totals_before);
    if (x.strays > STRAYS_NAMED)
        diag_warning(&held, d->file_places[file] ? d->file_places[file] : path, 0, 0,
                     "%ld more rows for another year than %d are not counted either",
                     x.strays - STRAYS_NAMED, x.expect_year);
    move_diags(diags, &held);
    d->file_info[file] = (struct ds_file_info){
        .path = d->files[file], .encoding = x.fmt.encoding, .delimiter = x.fmt.delimiter,
        .had_bom = x.fmt.had_bom, .had_sep_line = x.fmt.had_sep_line, .rows = x.rows,
        .workbook = x.fmt.workbook, .place = d->file_places[file],
        .units_directory = x.units_directory};
    if (st == VB_OK && !x.header_read && !x.internal)
        st = diag_error(diags, VB_EINPUT, path, 1, 1, "the file is empty: expected a header "
                        "row naming the columns %s", _(contract_list));
    free_columns(&x);
    free(x.added);
    if (x.internal)
        return diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    if (st != VB_OK)
        return st;
    return x.errors ? VB_EINPUT : VB_OK;
}

size_t ds_file_count(const struct dataset *ds)
{
    return impl_of(ds)->file_count;
}

const struct ds_file_info *ds_file_at(const struct dataset *ds, size_t i)
{
    return &impl_of(ds)->file_info[i];
}

/* ---- the units directory ---- */

struct units_reader {
    struct dataset *ds;
    const char *path;
    struct vb_diags *diags;
    int header_read, header_ok;
    size_t col_code, col_name, col_level, col_order;    /* 1-based, 0: missing */
    long *lines;            /* line of each unit, for messages */
    size_t *by_order;       /* index in units + 1 by order (open addressing); 0: empty */
    size_t by_order_cap;
    size_t errors;
    int internal;
    ds_text_check *check_text;      /* see ds_read_options */
    void *check_ctx;
    struct ingest_format fmt;
};

/* Returns the slot of order in the units reader's index: its unit's, or an empty one. */
static size_t *order_slot(size_t *slots, size_t cap, const struct ds_unit *units, long order)
{
    size_t mask = cap - 1;
    for (size_t i = (size_t)((uint64_t)order * 0x9E3779B97F4A7C15u >> 32) & mask;;
         i = (i + 1) & mask)
        if (!slots[i] || units[slots[i] - 1].order == order)
            return &slots[i];
}

/* Returns the index of the unit read with this order, or -1. */
static long unit_with_order(const struct units_reader *u, long order)
{
    if (!u->by_order_cap)
        return -1;
    size_t slot = *order_slot(u->by_order, u->by_order_cap, u->ds->units, order);
    return slot ? (long)slot - 1 : -1;
}

/* Indexes the order of the unit just added (the last one); 0, or -1 without memory. */
static int index_order(struct units_reader *u)
{
    const struct dataset *ds = u->ds;
    if (ds->unit_count * 2 > u->by_order_cap) {
        size_t cap = u->by_order_cap ? u->by_order_cap * 2 : 64;
        size_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        free(u->by_order);
        u->by_order = slots;
        u->by_order_cap = cap;
        for (size_t i = 0; i + 1 < ds->unit_count; i++)
            *order_slot(slots, cap, ds->units, ds->units[i].order) = i + 1;
    }
    *order_slot(u->by_order, u->by_order_cap, ds->units, ds->units[ds->unit_count - 1].order) =
        ds->unit_count;
    return 0;
}

static void unit_error(struct units_reader *u, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void unit_error(struct units_reader *u, long line, long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(u->diags, VB_EINPUT, u->fmt.where ? u->fmt.where : u->path, line, col, fmt, ap);
    va_end(ap);
    u->errors++;
}

static int on_unit_row(const struct ingest_row *row, void *ctx)
{
    struct units_reader *u = ctx;
    if (!u->header_read) {
        u->header_read = 1;
        u->header_ok = 1;
        static const char *const names[] = {"code", "name", "level", "order"};
        size_t *cols[] = {&u->col_code, &u->col_name, &u->col_level, &u->col_order};
        for (size_t i = 0; i < row->count; i++) {
            char *name = trimmed_copy(&row->cells[i]);
            if (!name) {
                u->internal = 1;
                return 1;
            }
            for (size_t k = 0; k < 4; k++)
                if (strcasecmp(name, names[k]) == 0) {
                    if (*cols[k]) {
                        unit_error(u, row->cells[i].line, row->cells[i].col, "duplicate "
                                   "column '%s': the header already has it as column %zu",
                                   name, *cols[k]);
                        u->header_ok = 0;
                    } else {
                        *cols[k] = i + 1;
                    }
                }
            free(name);
        }
        for (size_t k = 0; k < 4; k++)
            if (!*cols[k]) {
                unit_error(u, row->line, 1, "missing column %s: the units directory must "
                           "have the columns code, name, level, order", names[k]);
                u->header_ok = 0;
            }
        return 0;
    }
    if (!u->header_ok)
        return 0;
    struct dataset *ds = u->ds;
    size_t errors_before = u->errors;
    const struct ingest_cell *code = &row->cells[u->col_code - 1];
    const struct ingest_cell *name = &row->cells[u->col_name - 1];
    const struct ingest_cell *level = &row->cells[u->col_level - 1];
    const struct ingest_cell *order = &row->cells[u->col_order - 1];
    struct ds_unit unit = {trimmed_copy(code), trimmed_copy(name), trimmed_copy(level), 0};
    char *order_text = trimmed_copy(order);
    if (!unit.code || !unit.name || !unit.level || !order_text) {
        u->internal = 1;
        goto out;
    }
    long same_code = *unit.code ? name_find(&impl_of(ds)->codes, unit.code,
                                            strlen(unit.code)) : -1;
    if (!*unit.code)
        unit_error(u, code->line, code->col, "code is empty: every unit needs a short code "
                   "(the ma_don_vi of its exports)");
    else if (same_code >= 0)
        unit_error(u, code->line, code->col, "duplicate code '%s': already defined "
                   "at line %ld", unit.code, u->lines[same_code]);
    if (!*unit.name)
        unit_error(u, name->line, name->col, "name is empty: every unit needs its name");
    const struct ingest_cell *texts[] = {code, name, level};
    static const char *const text_columns[] = {"code", "name", "level"};
    for (size_t t = 0; t < 3; t++) {
        char why[512];
        if (text_problem(texts[t], text_columns[t], u->check_text, u->check_ctx, why,
                         sizeof why))
            unit_error(u, texts[t]->line, texts[t]->col, "%s", why);
    }
    size_t k = 0;
    while (k < sizeof unit_levels / sizeof *unit_levels && strcmp(unit.level, unit_levels[k]))
        k++;
    if (k == sizeof unit_levels / sizeof *unit_levels)
        unit_error(u, level->line, level->col, "level '%s' is not one of thanh_pho, thi_xa, "
                   "huyen, ban, doan_the", unit.level);
    unit.order = parse_plain(order_text);
    if (unit.order < 1) {
        unit_error(u, order->line, order->col, "order '%s' is not a positive whole number "
                   "(the unit's position in reports: 1, 2, 3 …)", order_text);
    } else {
        long i = unit_with_order(u, unit.order);
        if (i >= 0)
            unit_error(u, order->line, order->col, "order %ld is already used by %s at "
                       "line %ld: every unit needs its own position", unit.order,
                       ds->units[i].code, u->lines[i]);
    }
    if (u->errors == errors_before) {
        struct ds_unit *units = realloc(ds->units, (ds->unit_count + 1) * sizeof *units);
        long *lines = realloc(u->lines, (ds->unit_count + 1) * sizeof *lines);
        if (units)
            ds->units = units;
        if (lines)
            u->lines = lines;
        if (!units || !lines) {
            u->internal = 1;
            goto out;
        }
        u->lines[ds->unit_count] = row->line;
        ds->units[ds->unit_count] = unit;
        if (name_add(&impl_of(ds)->codes, unit.code, ds->unit_count)) {
            u->internal = 1;
            goto out;
        }
        ds->unit_count++;
        unit.code = unit.name = unit.level = NULL;
        if (index_order(u)) {
            u->internal = 1;
            goto out;
        }
    }
out:
    free(unit.code);
    free(unit.name);
    free(unit.level);
    free(order_text);
    return u->internal;
}

static int by_order(const void *a, const void *b)
{
    const struct ds_unit *x = a, *y = b;
    return (x->order > y->order) - (x->order < y->order);
}

enum vb_status ds_open_from_exports(struct dataset **out, struct vb_diags *diags)
{
    struct dataset_impl *d = calloc(1, sizeof *d);
    *out = d ? &d->pub : NULL;
    return d ? VB_OK : diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
}

enum vb_status ds_open(const char *units_csv, const struct ds_read_options *opt,
                       struct dataset **out, struct vb_diags *diags)
{
    *out = NULL;
    struct dataset_impl *d = calloc(1, sizeof *d);
    if (!d || !(d->units_path = strdup(units_csv))) {
        free(d);
        return diag_error(diags, VB_EINTERNAL, units_csv, 0, 0, "out of memory");
    }
    struct units_reader u = {.ds = &d->pub, .path = units_csv, .diags = diags,
                             .check_text = opt ? opt->check_text : NULL,
                             .check_ctx = opt ? opt->check_ctx : NULL};
    static const char *const unit_columns[] = {"code", "name", "level", "order", NULL};
    struct ingest_options io = {.header_names = unit_columns};
    enum vb_status st = ingest_read(units_csv, &io, on_unit_row, &u, &u.fmt, diags);
    free(u.lines);
    free(u.by_order);
    if (st == VB_OK && u.internal)
        st = diag_error(diags, VB_EINTERNAL, units_csv, 0, 0, "out of memory");
    if (st == VB_OK && !u.header_read)
        st = diag_error(diags, VB_EINPUT, units_csv, 1, 1, "the units directory is empty: "
                        "expected the header code,name,level,order and one row per unit");
    if (st == VB_OK && u.errors)
        st = VB_EINPUT;
    if (st != VB_OK) {
        ds_free(&d->pub);
        return st;
    }
    qsort(d->pub.units, d->pub.unit_count, sizeof *d->pub.units, by_order);
    name_index_free(&d->codes);         /* the positions changed */
    for (size_t i = 0; i < d->pub.unit_count; i++)
        if (name_add(&d->codes, d->pub.units[i].code, i)) {
            ds_free(&d->pub);
            return diag_error(diags, VB_EINTERNAL, units_csv, 0, 0, "out of memory");
        }
    *out = &d->pub;
    return VB_OK;
}
