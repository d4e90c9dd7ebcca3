/*
 * xlsx.c: Excel workbooks read as exports, see xlsx.h.
 *
 * The package: xl/workbook.xml lists the sheets (name, relationship id, state) and the
 * date system; xl/_rels/workbook.xml.rels maps the ids to parts; xl/styles.xml gives each
 * cell style's number format, which says whether a number is a date; xl/sharedStrings.xml
 * holds the strings cells point to. Elements are matched by local name, so both the
 * transitional and the strict namespaces are read. Parts are read through libzip with a
 * cap on the bytes each may inflate to (a zip bomb stops at the cap), and parsed by
 * libxml2's reader without network, DTD loading or entity substitution.
 */
#include "xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "grow.h"
#include "paths.h"
#include "text.h"

#define PART_MAX (64u << 20)         /* workbook, relationships, styles, shared strings */
#define SHEET_MAX (256u << 20)       /* a sheet (a unit's export is a few rows) */
#define HEADER_SEARCH_ROWS 30        /* rows looked at for the header */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_COMPACT)

int xlsx_is_zip(const unsigned char *head, size_t n)
{
    return n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
}

/* A cell read from the sheet. */
struct xcell {
    long row, col;
    char *text;             /* NFC; "" for a cell without a value */
};

/* A row read from the sheet (cells in column order, only those with a value). */
struct xrow {
    long row;
    struct xcell *cells;
    size_t count, cap;
};

/* What a cell style's number format makes of a number. */
enum date_kind { NOT_DATE, DATE, DATE_TIME, TIME_ONLY, YEAR_ONLY };

struct book {
    const char *path;
    struct vb_diags *diags;
    const struct ingest_options *opt;
    ingest_row_fn on_row;
    void *ctx;
    struct ingest_format *fmt;
    zip_t *zip;
    char *where;            /* "file.xlsx:Sheet1!" */
    size_t errors;
    int stop, internal;
    int date1904;
    char **strings;         /* shared strings */
    size_t string_count, string_cap;
    unsigned char *style_kind;     /* per cell style (cellXfs index) */
    size_t style_count;
    /* the header */
    int header_done;
    struct xrow *pending;   /* rows kept while the header is looked for */
    size_t pending_count, pending_cap;
    size_t width;           /* columns of the header */
    size_t rows_read;       /* rows of the sheet with a value */
    int numbering_checked;
    /* delivery */
    struct ingest_cell *out;
    size_t out_cap;
    size_t max_columns, max_cell_bytes;
};

static void book_error(struct book *b, long row, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error at a cell of the sheet (row and col > 0), or of the workbook file. */
static void book_error(struct book *b, long row, long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (row > 0 && b->where)
        diag_verror(b->diags, VB_EINPUT, b->where, row, col, fmt, ap);
    else
        diag_verror(b->diags, VB_EINPUT, b->path, 0, 0, fmt, ap);
    va_end(ap);
    b->errors++;
}

/* ---- reading the package's parts ---- */

/* What libxml2 said first about a part. */
struct xml_problem {
    int seen;
    long line;
    char message[256];
};

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    struct xml_problem *p = ctx;
    if (p->seen || !e || e->level < XML_ERR_ERROR)
        return;
    p->seen = 1;
    p->line = e->line;
    snprintf(p->message, sizeof p->message, "%s", e->message ? e->message : "malformed XML");
    for (char *c = p->message; *c; c++)
        if (*c == '\n')
            *c = ' ';               /* libxml2 adds the bytes at fault on a line of its own */
    size_t n = strlen(p->message);
    while (n && (p->message[n - 1] == '\n' || p->message[n - 1] == ' '))
        p->message[--n] = 0;
}

/* A part being streamed: libzip's file, the bytes it may still inflate to. */
struct part_stream {
    zip_file_t *file;
    uint64_t left;
    int too_large;
};

static int part_read(void *ctx, char *buf, int len)
{
    struct part_stream *s = ctx;
    if (s->left == 0) {
        char probe;
        if (zip_fread(s->file, &probe, 1) > 0)
            s->too_large = 1;
        return 0;
    }
    if ((uint64_t)len > s->left)
        len = (int)s->left;
    zip_int64_t n = zip_fread(s->file, buf, (zip_uint64_t)len);
    if (n < 0)
        return -1;
    s->left -= (uint64_t)n;
    return (int)n;
}

static int part_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* An open part: its reader, the stream under it, what went wrong. */
struct part {
    const char *name;
    uint64_t limit;         /* the bytes it may inflate to */
    struct part_stream stream;
    xmlTextReaderPtr reader;
    struct xml_problem problem;
};

/* Opens the part called name for streaming (limit: bytes it may inflate to).
 * Returns 0, 1 when the package has no such part, -1 after an error (reported). */
static int part_open(struct book *b, struct part *p, const char *name, uint64_t limit)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    zip_int64_t index = zip_name_locate(b->zip, name, ZIP_FL_NOCASE);
    if (index < 0)
        return 1;
    p->stream.file = zip_fopen_index(b->zip, (zip_uint64_t)index, 0);
    if (!p->stream.file) {
        book_error(b, 0, 0, "the workbook is damaged: its part %s cannot be read (%s)", name,
                   zip_strerror(b->zip));
        return -1;
    }
    p->limit = limit;
    p->stream.left = limit;
    p->reader = xmlReaderForIO(part_read, part_close, &p->stream, name, NULL, XML_OPTIONS);
    if (!p->reader) {
        zip_fclose(p->stream.file);
        p->stream.file = NULL;
        b->internal = 1;
        return -1;
    }
    xmlTextReaderSetStructuredErrorHandler(p->reader, on_xml_error, &p->problem);
    return 0;
}

/* Reads the next node of the part: 1, 0 at its end, -1 after an error (reported once). */
static int part_next(struct book *b, struct part *p)
{
    int rc = xmlTextReaderRead(p->reader);
    if (rc == 1 && !p->problem.seen &&
        xmlTextReaderNodeType(p->reader) == XML_READER_TYPE_DOCUMENT_TYPE) {
        /* its entities would be left out of the cells' texts (never read, nor fetched) */
        book_error(b, 0, 0, "the workbook is damaged: its part %s has a document type "
                   "declaration (<!DOCTYPE>), which Excel never writes: refused, its entities "
                   "are not read; open it in Excel or LibreOffice and save it again", p->name);
        return -1;
    }
    if (rc == 1 && !p->problem.seen)
        return 1;
    if (p->stream.too_large) {
        book_error(b, 0, 0, "the workbook's part %s inflates to more than %llu MB: not a "
                   "unit's export (is the file damaged?)", p->name,
                   (unsigned long long)(p->limit >> 20));
        return -1;
    }
    if (p->problem.seen && strstr(p->problem.message, "huge text node")) {
        book_error(b, 0, 0, "the workbook's part %s holds a text of more than 10 MB in one "
                   "piece: not a unit's export (is the file damaged?)", p->name);
        return -1;
    }
    if (rc < 0 || p->problem.seen) {
        book_error(b, 0, 0, "the workbook is damaged: its part %s is not well-formed XML "
                   "(line %ld: %s); open it in Excel or LibreOffice and save it again",
                   p->name, p->problem.line, p->problem.seen ? p->problem.message : "read error");
        return -1;
    }
    return 0;
}

static void part_close_all(struct part *p)
{
    if (p->reader)
        xmlFreeTextReader(p->reader);
    if (p->stream.file)
        zip_fclose(p->stream.file);
    p->reader = NULL;
    p->stream.file = NULL;
}

static int is_start(xmlTextReaderPtr r, const char *local)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

static int is_end(xmlTextReaderPtr r, const char *local)
{
    return xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

/* Returns a new copy of the current element's attribute whose local name is local (any
 * namespace), or NULL. */
static char *attr(xmlTextReaderPtr r, const char *local)
{
    char *value = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) != 1)
        return NULL;
    do {
        if (strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            value = strdup(v ? (const char *)v : "");
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return value;
}

/* Appends the text of the current text node to *buf (growing it). */
static int add_text(xmlTextReaderPtr r, char **buf, size_t *len, size_t *cap)
{
    const xmlChar *v = xmlTextReaderConstValue(r);
    size_t n = v ? strlen((const char *)v) : 0;
    if (grow_array(buf, cap, *len + n + 1, 1))
        return -1;
    memcpy(*buf + *len, v, n);
    *len += n;
    (*buf)[*len] = 0;
    return 0;
}

static int is_text_node(xmlTextReaderPtr r)
{
    int t = xmlTextReaderNodeType(r);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_CDATA;
}

/* Returns a new NFC string of s with Excel's _xHHHH_ escapes decoded (_x000D_ is a carriage
 * return, _x005F_ an underscore). */
static char *excel_text(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_' &&
            sscanf(s + i + 2, "%4x", &cp) == 1 && strspn(s + i + 2, "0123456789abcdefABCDEF") >= 4) {
            char utf[8];
            size_t k = 0;
            if (cp < 0x80) {
                utf[k++] = (char)cp;
            } else if (cp < 0x800) {
                utf[k++] = (char)(0xC0 | cp >> 6);
                utf[k++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0xD800 || cp > 0xDFFF) {
                utf[k++] = (char)(0xE0 | cp >> 12);
                utf[k++] = (char)(0x80 | (cp >> 6 & 0x3F));
                utf[k++] = (char)(0x80 | (cp & 0x3F));
            }
            if (k && k <= 7) {          /* 7 bytes of escape hold any 1-3 byte sequence */
                memcpy(out + o, utf, k);
                o += k;
                i += 7;
                continue;
            }
        }
        out[o++] = s[i++];
    }
    out[o] = 0;
    char *nfc = text_nfc(out, o, NULL);
    free(out);
    return nfc;
}

/* ---- the workbook: sheets, relationships, styles, shared strings ---- */

struct sheet_ref {
    char *name, *rid;
    int hidden;
};

/* Reads xl/workbook.xml: the sheets in order and the date system. */
static int read_workbook(struct book *b, struct sheet_ref **sheets, size_t *count)
{
    struct part p;
    int rc = part_open(b, &p, "xl/workbook.xml", PART_MAX);
    if (rc > 0)
        book_error(b, 0, 0, "not an Excel workbook: the file is a zip archive without "
                   "xl/workbook.xml (save it from Excel or LibreOffice as .xlsx, or as CSV)");
    if (rc)
        return -1;
    size_t cap = 0;
    while ((rc = part_next(b, &p)) == 1) {
        if (is_start(p.reader, "workbookPr")) {
            char *v = attr(p.reader, "date1904");
            b->date1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
            free(v);
        } else if (is_start(p.reader, "sheet")) {
            if (grow_array(sheets, &cap, *count + 1, sizeof **sheets)) {
                b->internal = 1;
                break;
            }
            struct sheet_ref *s = &(*sheets)[(*count)++];
            s->name = attr(p.reader, "name");
            s->rid = attr(p.reader, "id");
            char *state = attr(p.reader, "state");
            s->hidden = state && strcmp(state, "visible") != 0;
            free(state);
            if (!s->name || !s->rid) {
                book_error(b, 0, 0, "the workbook is damaged: a sheet in xl/workbook.xml has "
                           "no name or no relationship id");
                rc = -1;
                break;
            }
        }
    }
    part_close_all(&p);
    return rc < 0 || b->internal ? -1 : 0;
}

/* Finds the part of the sheet whose relationship id is rid (xl/_rels/workbook.xml.rels);
 * returns a new string, or NULL after an error. */
static char *sheet_part(struct book *b, const char *rid)
{
    struct part p;
    int rc = part_open(b, &p, "xl/_rels/workbook.xml.rels", PART_MAX);
    if (rc > 0)
        book_error(b, 0, 0, "the workbook is damaged: it has no xl/_rels/workbook.xml.rels");
    if (rc)
        return NULL;
    char *target = NULL;
    while (!target && (rc = part_next(b, &p)) == 1) {
        if (!is_start(p.reader, "Relationship"))
            continue;
        char *id = attr(p.reader, "Id");
        if (id && strcmp(id, rid) == 0)
            target = attr(p.reader, "Target");
        free(id);
    }
    part_close_all(&p);
    if (!target) {
        if (rc >= 0)
            book_error(b, 0, 0, "the workbook is damaged: the sheet's relationship %s is not "
                       "in xl/_rels/workbook.xml.rels", rid);
        return NULL;
    }
    /* "worksheets/sheet1.xml" is relative to xl/; "/xl/worksheets/sheet1.xml" absolute */
    char *part = malloc(strlen(target) + 4);
    if (part) {
        if (target[0] == '/')
            strcpy(part, target + 1);
        else
            sprintf(part, "xl/%s", target);
    }
    free(target);
    if (!part)
        b->internal = 1;
    return part;
}

/* Whether a number format code shows a date or time: it has a date or time token (d, m,
 * y, h, s, AM/PM) outside quotes, escapes and brackets ([Red], [$-42A]; [h] elapsed time
 * counts). */
static enum date_kind format_kind(const char *code)
{
    int date = 0, time = 0, year = 0, other_date = 0;
    for (const char *c = code; *c; c++) {
        if (*c == '"') {
            const char *e = strchr(c + 1, '"');
            if (!e)
                break;
            c = e;
        } else if (*c == '\\' || *c == '_' || *c == '*') {
            if (!c[1])
                break;
            c++;
        } else if (*c == '[') {
            const char *e = strchr(c, ']');
            if (!e)
                break;
            if (strchr("hHmMsS", c[1]))
                time = 1;
            c = e;
        } else if (*c == ';') {
            break;              /* the first section says it */
        } else if (*c == 'y' || *c == 'Y') {
            date = year = 1;
        } else if (*c == 'd' || *c == 'D') {
            date = other_date = 1;
        } else if (*c == 'h' || *c == 'H' || *c == 's' || *c == 'S') {
            time = 1;
        } else if (*c == 'm' || *c == 'M') {
            date = 1;           /* month, or minutes next to h or s: either way a date/time */
            other_date = 1;
        } else if (strncasecmp(c, "AM/PM", 5) == 0) {
            time = 1;
            c += 4;
        }
    }
    if (year && !other_date && !time)
        return YEAR_ONLY;
    if (date && time)
        return DATE_TIME;
    if (time)
        return TIME_ONLY;
    return date ? DATE : NOT_DATE;
}

/* The kind of Excel's built-in number format id (ECMA-376 18.8.30; 27-36 and 50-58 are
 * the East Asian dates). */
static enum date_kind builtin_kind(long id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
        (id >= 50 && id <= 58))
        return DATE;
    if (id == 22)
        return DATE_TIME;
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47) || id == 32 || id == 33)
        return TIME_ONLY;
    return NOT_DATE;
}

/* Reads xl/styles.xml: which cell styles show numbers as dates. */
static int read_styles(struct book *b)
{
    struct part p;
    int rc = part_open(b, &p, "xl/styles.xml", PART_MAX);
    if (rc > 0)
        return 0;               /* no styles: no dates */
    if (rc)
        return -1;
    struct { long id; unsigned char kind; } *formats = NULL;
    size_t nformats = 0, fcap = 0, cap = 0;
    int in_xfs = 0;
    while ((rc = part_next(b, &p)) == 1) {
        if (is_start(p.reader, "numFmt")) {
            char *id = attr(p.reader, "numFmtId"), *code = attr(p.reader, "formatCode");
            if (id && code && !grow_array(&formats, &fcap, nformats + 1, sizeof *formats)) {
                formats[nformats].id = strtol(id, NULL, 10);
                formats[nformats++].kind = (unsigned char)format_kind(code);
            }
            free(id);
            free(code);
        } else if (is_start(p.reader, "cellXfs")) {
            in_xfs = !xmlTextReaderIsEmptyElement(p.reader);
        } else if (is_end(p.reader, "cellXfs")) {
            in_xfs = 0;
        } else if (in_xfs && is_start(p.reader, "xf")) {
            char *id = attr(p.reader, "numFmtId");
            long fid = id ? strtol(id, NULL, 10) : 0;
            free(id);
            enum date_kind kind = builtin_kind(fid);
            for (size_t i = 0; i < nformats; i++)
                if (formats[i].id == fid)
                    kind = (enum date_kind)formats[i].kind;
            if (grow_array(&b->style_kind, &cap, b->style_count + 1, 1)) {
                b->internal = 1;
                break;
            }
            b->style_kind[b->style_count++] = (unsigned char)kind;
        }
    }
    free(formats);
    part_close_all(&p);
    return rc < 0 || b->internal ? -1 : 0;
}

/* Reads xl/sharedStrings.xml: every <si>'s text (its runs joined, phonetic runs left out). */
static int read_strings(struct book *b)
{
    struct part p;
    int rc = part_open(b, &p, "xl/sharedStrings.xml", PART_MAX);
    if (rc > 0)
        return 0;
    if (rc)
        return -1;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int in_si = 0, in_t = 0, in_phonetic = 0;
    while ((rc = part_next(b, &p)) == 1) {
        xmlTextReaderPtr r = p.reader;
        if (is_start(r, "si")) {
            in_si = 1;
            len = 0;
            if (grow_array(&buf, &cap, 1, 1))
                break;
            buf[0] = 0;
            if (xmlTextReaderIsEmptyElement(r))
                goto end_si;
        } else if (is_start(r, "rPh")) {
            in_phonetic = !xmlTextReaderIsEmptyElement(r);
        } else if (is_end(r, "rPh")) {
            in_phonetic = 0;
        } else if (is_start(r, "t")) {
            in_t = !xmlTextReaderIsEmptyElement(r);
        } else if (is_end(r, "t")) {
            in_t = 0;
        } else if (in_si && in_t && !in_phonetic && is_text_node(r)) {
            if (add_text(r, &buf, &len, &cap))
                break;
        } else if (is_end(r, "si")) {
        end_si:
            in_si = 0;
            if (grow_array(&b->strings, &b->string_cap, b->string_count + 1, sizeof *b->strings))
                break;
            char *s = excel_text(buf ? buf : "");
            if (!s)
                break;
            b->strings[b->string_count++] = s;
        }
    }
    if (rc == 1)
        b->internal = 1;        /* a break above: out of memory */
    free(buf);
    part_close_all(&p);
    return rc < 0 || b->internal ? -1 : 0;
}

/* ---- cells ---- */

/* Parses a cell reference "D7" into column 4, row 7; returns 0, or -1 when it is not one. */
static int parse_ref(const char *ref, long *col, long *row)
{
    long c = 0, r = 0;
    const char *p = ref;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        c = c * 26 + ((*p | 0x20) - 'a' + 1);
        if (c > 16384)
            return -1;
        p++;
    }
    if (p == ref || *p < '1' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9') {
        r = r * 10 + (*p - '0');
        if (r > 1048576)
            return -1;
        p++;
    }
    if (*p)
        return -1;
    *col = c;
    *row = r;
    return 0;
}

/* Writes the date of an Excel serial day number (1900 or 1904 system) as ISO text; returns
 * -1 when out of range. */
static int serial_to_date(double serial, int date1904, int *y, int *m, int *d)
{
    if (serial < 0 || serial > 2958465)         /* 9999-12-31 */
        return -1;
    long days = (long)floor(serial);
    /* days since 1970-01-01 */
    long z;
    if (date1904)
        z = days - 24107;                       /* serial 0 = 1904-01-01 */
    else if (days >= 61)
        z = days - 25569;                       /* 1899-12-30, past Excel's 1900-02-29 */
    else if (days == 60) {
        *y = 1900, *m = 2, *d = 29;             /* Excel's day that never was */
        return 0;
    } else {
        z = days - 25568;                       /* 1899-12-31: serial 1 = 1900-01-01 */
    }
    /* civil from days (H. Hinnant) */
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
    return 0;
}

/* The text of a number cell: a date or time by its style, a whole number without decimal
 * part or exponent, anything else as written. Returns a new string. */
static char *number_text(struct book *b, const char *v, long style)
{
    char *end;
    double x = strtod(v, &end);
    int numeric = end != v && *end == 0;
    enum date_kind kind = style >= 0 && (size_t)style < b->style_count
                              ? (enum date_kind)b->style_kind[style] : NOT_DATE;
    char buf[64];
    if (numeric && kind != NOT_DATE) {
        int y, m, d;
        double frac = x - floor(x);
        long minutes = (long)floor(frac * 1440 + 0.5);
        if (minutes >= 1440)
            minutes = 1439;
        if (kind == TIME_ONLY) {
            snprintf(buf, sizeof buf, "%02ld:%02ld", minutes / 60, minutes % 60);
            return strdup(buf);
        }
        if (serial_to_date(x, b->date1904, &y, &m, &d) == 0) {
            if (kind == YEAR_ONLY)
                snprintf(buf, sizeof buf, "%04d", y);
            else if (kind == DATE_TIME && minutes)
                snprintf(buf, sizeof buf, "%04d-%02d-%02d %02ld:%02ld", y, m, d, minutes / 60,
                         minutes % 60);
            else
                snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
            return strdup(buf);
        }
    }
    if (numeric && x == floor(x) && fabs(x) < 9007199254740992.0 && strpbrk(v, ".eE")) {
        snprintf(buf, sizeof buf, "%.0f", x);   /* 4.7E7, 2023.0: whole numbers */
        return strdup(buf);
    }
    return strdup(v);
}

/* ---- rows: the header, then data ---- */

/* Writes a cell's reference ("D7") into buf. */
static const char *cell_name(long col, long row, char *buf, size_t size)
{
    char letters[8];
    int n = 0;
    for (long c = col; c > 0 && n < 7; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    size_t o = 0;
    while (n && o + 1 < size)
        buf[o++] = letters[--n];
    snprintf(buf + o, size - o, "%ld", row);
    return buf;
}

static void free_row(struct xrow *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->cells[i].text);
    free(r->cells);
    r->cells = NULL;
    r->count = r->cap = 0;
}

/* The trimmed text of s is one of the known column names. */
static int is_known_name(const struct book *b, const char *s)
{
    if (!b->opt || !b->opt->header_names)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (const char *const *k = b->opt->header_names; *k; k++)
        if (strlen(*k) == n && strncasecmp(*k, s, n) == 0)
            return 1;
    return 0;
}

static int row_has_name(const struct book *b, const struct xrow *r)
{
    for (size_t i = 0; i < r->count; i++)
        if (is_known_name(b, r->cells[i].text))
            return 1;
    return 0;
}

/* Whether every cell of the row that has text is a known column name. */
static int row_all_names(const struct book *b, const struct xrow *r)
{
    size_t named = 0;
    for (size_t i = 0; i < r->count; i++) {
        if (!*r->cells[i].text)
            continue;
        if (!is_known_name(b, r->cells[i].text))
            return 0;
        named++;
    }
    return named > 0;
}

/* Whether the row numbers the columns: 1, 2, 3 … or (1), (2), (3) … from its first cell. */
static int row_is_numbering(const struct xrow *r)
{
    long expect = 1;
    for (size_t i = 0; i < r->count; i++) {
        const char *s = r->cells[i].text;
        if (!*s)
            continue;
        int paren = *s == '(';
        char *end;
        long v = strtol(s + paren, &end, 10);
        if (end == s + paren || v != expect || (paren && *end++ != ')') || *end)
            return 0;
        expect++;
    }
    return expect > 2;
}

/* Delivers a row of width cells (the header's columns), empty where the sheet has none. */
static void deliver(struct book *b, const struct xrow *r)
{
    if (b->stop || b->internal)
        return;
    if (grow_array(&b->out, &b->out_cap, b->width ? b->width : 1, sizeof *b->out)) {
        b->internal = 1;
        return;
    }
    for (size_t c = 0; c < b->width; c++)
        b->out[c] = (struct ingest_cell){"", 0, 1, r->row, (long)c + 1};
    for (size_t i = 0; i < r->count; i++) {
        const struct xcell *x = &r->cells[i];
        if (x->col < 1 || (size_t)x->col > b->width)
            continue;
        struct ingest_cell *c = &b->out[x->col - 1];
        size_t n = strlen(x->text), k = 0;
        while (k < n && (x->text[k] == ' ' || x->text[k] == '\t'))
            k++;
        *c = (struct ingest_cell){x->text, n, k == n, x->row, x->col};
    }
    struct ingest_row row = {b->out, b->width, r->row};
    if (b->on_row(&row, b->ctx))
        b->stop = 1;
}

/* The header found in pending[first .. last]: each column's name is its lowest named
 * cell. Delivered as a row at the last header row. */
static void deliver_header(struct book *b, size_t first, size_t last)
{
    long width = 0;
    for (size_t i = first; i <= last; i++)
        for (size_t k = 0; k < b->pending[i].count; k++)
            if (*b->pending[i].cells[k].text && b->pending[i].cells[k].col > width)
                width = b->pending[i].cells[k].col;
    if ((size_t)width > b->max_columns) {
        char ref[32];
        for (size_t i = first; i <= last; i++)
            for (size_t k = 0; k < b->pending[i].count; k++)
                if ((size_t)b->pending[i].cells[k].col == (size_t)width) {
                    book_error(b, b->pending[i].row, width, "the header reaches column %s, "
                               "past the %zu columns a row may have (raise it with "
                               "--max-columns, or delete what is in that column)",
                               cell_name(width, b->pending[i].row, ref, sizeof ref),
                               b->max_columns);
                    i = last;
                    break;
                }
        b->stop = 1;
        return;
    }
    b->width = (size_t)width;
    struct xrow header = {b->pending[last].row, NULL, 0, 0};
    if (width && !(header.cells = calloc((size_t)width, sizeof *header.cells))) {
        b->internal = 1;
        return;
    }
    header.cap = (size_t)width;
    for (long c = 1; c <= width; c++) {
        const struct xcell *name = NULL;
        for (size_t i = first; i <= last; i++)
            for (size_t k = 0; k < b->pending[i].count; k++)
                if (b->pending[i].cells[k].col == c && *b->pending[i].cells[k].text)
                    name = &b->pending[i].cells[k];
        if (name)
            header.cells[header.count++] = (struct xcell){name->row, c, name->text};
    }
    deliver(b, &header);
    free(header.cells);             /* the texts belong to the pending rows */
}

/* A row after the header: checked against the header's width, then delivered. */
static void data_row(struct book *b, const struct xrow *r)
{
    if (!b->numbering_checked) {
        b->numbering_checked = 1;
        if (row_is_numbering(r))
            return;
    }
    int beyond = 0;
    for (size_t i = 0; i < r->count; i++)
        if ((size_t)r->cells[i].col > b->width && *r->cells[i].text) {
            const struct xcell *x = &r->cells[i];
            book_error(b, x->row, x->col, "this cell has a value but its column has no name "
                       "in the header (the header ends at column %zu): name the column or "
                       "leave its cells empty", b->width);
            beyond = 1;
            break;
        }
    if (!beyond)
        deliver(b, r);
}

/* Finds the header among the rows kept so far (at the end of the sheet, or once enough are
 * kept) and delivers it and the rows after it. */
static void settle_header(struct book *b, int at_end)
{
    size_t first = b->pending_count, last;
    for (size_t i = 0; i < b->pending_count && first == b->pending_count; i++)
        if (row_has_name(b, &b->pending[i]))
            first = i;
    if (first == b->pending_count) {
        if (!at_end && b->pending_count < HEADER_SEARCH_ROWS)
            return;
        first = 0;                  /* none names a column: the first row is the header */
        if (!b->pending_count) {
            b->header_done = 1;
            return;
        }
    }
    last = first;
    while (last + 1 < b->pending_count && row_all_names(b, &b->pending[last + 1]))
        last++;
    if (last + 1 == b->pending_count && !at_end && b->pending_count < HEADER_SEARCH_ROWS)
        return;                     /* the next row may still be the header's */
    b->header_done = 1;
    deliver_header(b, first, last);
    for (size_t i = last + 1; i < b->pending_count && !b->stop && !b->internal; i++)
        data_row(b, &b->pending[i]);
    for (size_t i = 0; i < b->pending_count; i++)
        free_row(&b->pending[i]);
    b->pending_count = 0;
}

/* A row read from the sheet (only its cells with text): kept until the header is known,
 * then delivered. Takes the row's cells. */
static void sheet_row(struct book *b, struct xrow *r)
{
    int blank = 1;
    for (size_t i = 0; i < r->count && blank; i++)
        blank = !*r->cells[i].text;
    if (blank) {
        free_row(r);
        return;
    }
    b->rows_read++;
    if (b->header_done) {
        data_row(b, r);
        free_row(r);
        return;
    }
    if (grow_array(&b->pending, &b->pending_cap, b->pending_count + 1, sizeof *b->pending)) {
        free_row(r);
        b->internal = 1;
        return;
    }
    b->pending[b->pending_count++] = *r;
    *r = (struct xrow){0};
    settle_header(b, 0);
}

/* ---- the sheet ---- */


/* Streams the sheet part: rows of cells with their text. */
static int read_sheet(struct book *b, const char *part_name)
{
    struct part p;
    int rc = part_open(b, &p, part_name, SHEET_MAX);
    if (rc > 0)
        book_error(b, 0, 0, "the workbook is damaged: its sheet %s is missing", part_name);
    if (rc)
        return -1;
    struct xrow row = {0};
    long next_row = 1, next_col = 1, last_row = 0;
    char *v = NULL, *t = NULL, *f = NULL;
    size_t vlen = 0, vcap = 0, tlen = 0, tcap = 0, flen = 0, fcap = 0;
    int in_v = 0, in_is = 0, in_t = 0, in_phonetic = 0, in_cell = 0, has_v = 0, has_is = 0;
    int in_f = 0, has_f = 0;
    int row_broken = 0;     /* a cell of the row was reported: the row is not delivered */
    long cell_row = 0, cell_col = 0, style = -1;
    char type[16] = "";
    while (!b->stop && !b->internal && (rc = part_next(b, &p)) == 1) {
        xmlTextReaderPtr r = p.reader;
        int node = xmlTextReaderNodeType(r);
        if (node == XML_READER_TYPE_ELEMENT) {
            const char *name = (const char *)xmlTextReaderConstLocalName(r);
            int empty = xmlTextReaderIsEmptyElement(r);
            if (strcmp(name, "row") == 0) {
                char *ref = attr(r, "r");
                long n = ref ? strtol(ref, NULL, 10) : 0;
                free(ref);
                row.row = n > 0 ? n : next_row;
                next_row = row.row + 1;
                if (row.row > 1048576) {
                    book_error(b, row.row, 1, "the workbook is damaged: row %ld is past "
                               "Excel's last row, 1048576; open it in Excel or LibreOffice and "
                               "save it again", row.row);
                    b->stop = 1;
                    break;
                }
                if (row.row <= last_row) {
                    /* Excel writes each row once, in order: which copy holds the figures? */
                    book_error(b, row.row, 1, "the workbook is damaged: row %ld comes after "
                               "row %ld in the sheet (rows repeated or out of order); open it "
                               "in Excel or LibreOffice and save it again", row.row, last_row);
                    b->stop = 1;
                    break;
                }
                last_row = row.row;
                next_col = 1;
                row_broken = 0;
                if (empty) {
                    free_row(&row);
                    continue;
                }
            } else if (strcmp(name, "c") == 0) {
                char *ref = attr(r, "r"), *ty = attr(r, "t"), *s = attr(r, "s");
                cell_row = row.row;
                cell_col = next_col;
                if (ref && parse_ref(ref, &cell_col, &cell_row) != 0) {
                    if (!row_broken)        /* the row's first: the others say the same */
                        book_error(b, row.row, next_col, "the workbook is damaged: cell "
                                   "reference '%s' is not one", ref);
                    cell_col = next_col;
                    cell_row = row.row;
                    row_broken = 1;
                }
                next_col = cell_col + 1;
                snprintf(type, sizeof type, "%s", ty ? ty : "n");
                style = s ? strtol(s, NULL, 10) : -1;
                free(ref);
                free(ty);
                free(s);
                in_cell = !empty;
                has_v = has_is = has_f = 0;
                vlen = tlen = flen = 0;
            } else if (in_cell && strcmp(name, "v") == 0) {
                in_v = !empty;
                has_v = 1;
            } else if (in_cell && strcmp(name, "f") == 0) {
                in_f = !empty;
                has_f = 1;
            } else if (in_cell && strcmp(name, "is") == 0) {
                in_is = !empty;
                has_is = 1;
            } else if (in_is && strcmp(name, "rPh") == 0) {
                in_phonetic = !empty;
            } else if (in_is && strcmp(name, "t") == 0) {
                in_t = !empty;
            }
            continue;
        }
        if (is_text_node(r)) {
            if ((in_v && add_text(r, &v, &vlen, &vcap)) ||
                (in_f && flen < 256 && add_text(r, &f, &flen, &fcap)) ||
                (in_t && !in_phonetic && add_text(r, &t, &tlen, &tcap)))
                b->internal = 1;
            continue;
        }
        if (node != XML_READER_TYPE_END_ELEMENT)
            continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (strcmp(name, "v") == 0) {
            in_v = 0;
        } else if (strcmp(name, "f") == 0) {
            in_f = 0;
        } else if (strcmp(name, "t") == 0) {
            in_t = 0;
        } else if (strcmp(name, "rPh") == 0) {
            in_phonetic = 0;
        } else if (strcmp(name, "is") == 0) {
            in_is = 0;
        } else if (strcmp(name, "c") == 0 && in_cell) {
            in_cell = 0;
            const char *value = has_v && v ? v : "";
            char *text = NULL;
            if (has_f && !has_v && strcmp(type, "inlineStr") != 0) {
                /* an empty cell would read "not applicable": the figure is not known */
                if (f && flen > 60)
                    strcpy(f + 57, "...");
                book_error(b, cell_row, cell_col, "the cell holds a formula%s%s%s whose result "
                           "was never saved: open the workbook in Excel or LibreOffice and save "
                           "it again, or type the value", f && flen ? " (=" : "",
                           f && flen ? f : "", f && flen ? ")" : "");
                row_broken = 1;
                continue;
            }
            if (strcmp(type, "s") == 0 && has_v) {
                char *end;
                long index = strtol(value, &end, 10);
                if (end == value || *end || index < 0 || (size_t)index >= b->string_count) {
                    book_error(b, cell_row, cell_col, "the workbook is damaged: this cell "
                               "refers to shared string %s, which it does not have", value);
                    row_broken = 1;
                    continue;
                }
                text = strdup(b->strings[index]);
            } else if (strcmp(type, "inlineStr") == 0) {
                text = excel_text(has_is && t ? t : value);
            } else if (strcmp(type, "b") == 0) {
                text = strdup(!has_v ? "" : strcmp(value, "1") == 0 ? "TRUE" : "FALSE");
            } else if (strcmp(type, "str") == 0 || strcmp(type, "e") == 0) {
                text = excel_text(value);
            } else if (strcmp(type, "d") == 0) {
                text = strndup(value, 10);          /* ISO 8601: its date */
            } else {
                text = has_v ? number_text(b, value, style) : strdup("");
            }
            if (!text) {
                b->internal = 1;
                break;
            }
            if (!*text) {
                free(text);
                continue;
            }
            if (strlen(text) > b->max_cell_bytes) {
                book_error(b, cell_row, cell_col, "this cell holds more than %zu bytes, the "
                           "limit for one row (raise it with --max-row-bytes)",
                           b->max_cell_bytes);
                free(text);
                b->stop = 1;
                break;
            }
            if (row.count + 1 > b->max_columns) {
                book_error(b, cell_row, cell_col, "row has more than %zu cells, the limit for "
                           "one row (raise it with --max-columns): this cell is one too many",
                           b->max_columns);
                free(text);
                b->stop = 1;
                break;
            }
            if (grow_array(&row.cells, &row.cap, row.count + 1, sizeof *row.cells)) {
                free(text);
                b->internal = 1;
                break;
            }
            /* cells come in column order; one out of order is put in its place */
            size_t at = row.count;
            while (at && row.cells[at - 1].col >= cell_col)
                at--;
            if (at < row.count && row.cells[at].col == cell_col) {
                char ref[32];
                book_error(b, cell_row, cell_col, "the workbook is damaged: cell %s is written "
                           "twice in the sheet (%.40s, then %.40s); open it in Excel or LibreOffice "
                           "and save it again", cell_name(cell_col, cell_row, ref, sizeof ref),
                           row.cells[at].text, text);
                free(text);
                row_broken = 1;
            } else {
                memmove(row.cells + at + 1, row.cells + at, (row.count - at) * sizeof *row.cells);
                row.cells[at] = (struct xcell){cell_row, cell_col, text};
                row.count++;
            }
        } else if (strcmp(name, "row") == 0) {
            if (row_broken)
                free_row(&row);
            else
                sheet_row(b, &row);
        } else if (strcmp(name, "sheetData") == 0) {
            break;              /* what follows (merges, print settings) says nothing */
        }
    }
    if (rc < 0)
        b->stop = 1;            /* a damaged part: what it held so far is not delivered */
    if (row.count && !row_broken && !b->stop)
        sheet_row(b, &row);
    free_row(&row);
    free(v);
    free(t);
    free(f);
    part_close_all(&p);
    if (!b->header_done && !b->stop && !b->internal)
        settle_header(b, 1);
    return rc < 0 ? -1 : 0;
}

/* Quotes a sheet name for a cell reference when Excel would ('My sheet'!A1). */
static char *sheet_where(const char *path, const char *sheet)
{
    int quote = !*sheet || (*sheet >= '0' && *sheet <= '9');
    for (const char *c = sheet; *c && !quote; c++)
        quote = !((unsigned char)*c >= 0x80 || (*c >= 'a' && *c <= 'z') ||
                  (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '.');
    size_t n = strlen(path) + 2 * strlen(sheet) + 8;
    char *out = malloc(n);
    if (!out)
        return NULL;
    char *o = out + sprintf(out, "%s:%s", path, quote ? "'" : "");
    for (const char *c = sheet; *c; c++) {
        if (*c == '\'')
            *o++ = '\'';
        *o++ = *c;
    }
    sprintf(o, "%s!", quote ? "'" : "");
    return out;
}

enum vb_status xlsx_read(int fd, const char *path, const struct ingest_options *opt,
                         ingest_row_fn on_row, void *ctx, struct ingest_format *fmt,
                         struct vb_diags *diags)
{
    struct book b = {
        .path = path, .diags = diags, .opt = opt, .on_row = on_row, .ctx = ctx, .fmt = fmt,
        .max_columns = opt && opt->max_columns ? opt->max_columns : INGEST_MAX_COLUMNS,
        .max_cell_bytes = opt && opt->max_row_bytes ? opt->max_row_bytes : INGEST_MAX_ROW_BYTES,
    };
    fmt->encoding = "UTF-8";
    fmt->delimiter = 0;
    fmt->workbook = 1;
    int err = 0;
    b.zip = zip_fdopen(fd, ZIP_RDONLY, &err);
    if (!b.zip) {
        close(fd);
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        diag_error(diags, VB_EINPUT, path, 0, 0, "not a readable Excel workbook: the zip "
                   "archive is damaged (%s); open it in Excel or LibreOffice and save it "
                   "again, or save it as CSV", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return VB_EINPUT;
    }
    struct sheet_ref *sheets = NULL;
    size_t sheet_count = 0;
    enum vb_status st = VB_OK;
    const struct sheet_ref *chosen = NULL;
    if (read_workbook(&b, &sheets, &sheet_count) == 0) {
        const char *want = opt ? opt->sheet : NULL;
        for (size_t i = 0; i < sheet_count && !chosen; i++)
            if (want ? strcmp(sheets[i].name, want) == 0 : !sheets[i].hidden)
                chosen = &sheets[i];
        if (!chosen && !want && sheet_count)
            chosen = &sheets[0];
        if (!chosen) {
            char list[512] = "";
            for (size_t i = 0; i < sheet_count; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s'",
                         i ? ", " : "", sheets[i].name);
            book_error(&b, 0, 0, want ? "the workbook has no sheet '%s' (the profile names "
                       "it; its sheets: %s)" : "the workbook has no sheet%s%s", want ? want : "",
                       list);
        }
    }
    char *part = chosen && !b.errors ? sheet_part(&b, chosen->rid) : NULL;
    if (part && (b.where = sheet_where(path, chosen->name)) == NULL)
        b.internal = 1;
    fmt->where = b.where;
    if (part && !b.internal && read_styles(&b) == 0 && read_strings(&b) == 0 &&
        read_sheet(&b, part) == 0 && !b.rows_read && !b.errors && !b.internal) {
        char others[512] = "", first_other[256] = "";
        for (size_t i = 0; i < sheet_count; i++)
            if (&sheets[i] != chosen && !sheets[i].hidden) {
                if (!*first_other)
                    snprintf(first_other, sizeof first_other, "%s", sheets[i].name);
                snprintf(others + strlen(others), sizeof others - strlen(others), "%s'%s'",
                         *others ? ", " : "", sheets[i].name);
            }
        if (opt && opt->sheet)
            book_error(&b, 0, 0, "the sheet '%s' that the profile names is empty: expected "
                       "the unit's figures under a header row naming their columns",
                       chosen->name);
        else if (*others)
            book_error(&b, 0, 0, "the sheet '%s' is empty (vanban reads the workbook's first "
                       "visible sheet; its others: %s): move the figures to the first sheet, "
                       "or name their sheet in the profile (<exports sheet=\"%s\"/>)",
                       chosen->name, others, first_other);
        else
            book_error(&b, 0, 0, "the sheet '%s' is empty: expected the unit's figures under a "
                       "header row naming their columns", chosen->name);
    }
    fmt->where = NULL;
    free(part);
    for (size_t i = 0; i < sheet_count; i++) {
        free(sheets[i].name);
        free(sheets[i].rid);
    }
    free(sheets);
    for (size_t i = 0; i < b.string_count; i++)
        free(b.strings[i]);
    free(b.strings);
    free(b.style_kind);
    for (size_t i = 0; i < b.pending_count; i++)
        free_row(&b.pending[i]);
    free(b.pending);
    free(b.out);
    free(b.where);
    zip_discard(b.zip);
    if (b.internal)
        st = diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    else if (b.errors)
        st = VB_EINPUT;
    return st;
}
