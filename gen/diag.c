/* diag.c: located diagnostics, see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "i18n.h"

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static void set_diag(struct vb_diag *g, enum vb_severity sev, enum vb_status status,
                     const char *file, long line, long col, char *message)
{
    g->file = file ? strdup(file) : NULL;
    g->line = line;
    g->col = col;
    g->severity = sev;
    g->status = status;
    g->message = message;
}

/* Counts a diagnostic past the limit; an error is kept as the last one not shown. */
static void count_dropped(struct vb_diags *d, enum vb_severity sev, enum vb_status status,
                          const char *file, long line, long col, char *message)
{
    d->dropped++;
    if (sev != VB_ERROR) {
        d->dropped_warnings++;
        free(message);
        return;
    }
    d->dropped_errors++;
    if (status > d->dropped_status)
        d->dropped_status = status;
    free(d->last_dropped.file);
    free(d->last_dropped.message);
    set_diag(&d->last_dropped, sev, status, file, line, col,
             message ? message : strdup("(out of memory)"));
}

/* Keeps a diagnostic, its message in the reader's language (the format is looked up in the
 * catalog: every caller's message is extracted by po/extract.sh). */
static void append(struct vb_diags *d, enum vb_severity sev, enum vb_status status,
                   const char *file, long line, long col, const char *fmt, va_list ap)
{
    fmt = gettext(fmt);
    size_t limit = d->limit ? d->limit : 1000;
    if (d->count >= limit || grow_array(&d->items, &d->cap, d->count + 1, sizeof *d->items)) {
        /* past the limit (or out of memory): counted, and an error still decides the
         * status and is shown last */
        count_dropped(d, sev, status, file, line, col, vformat(fmt, ap));
        return;
    }
    set_diag(&d->items[d->count++], sev, status, file, line, col, vformat(fmt, ap));
}

enum vb_status diag_error(struct vb_diags *d, enum vb_status status, const char *file,
                          long line, long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(d, VB_ERROR, status, file, line, col, fmt, ap);
    va_end(ap);
    return status;
}

enum vb_status diag_verror(struct vb_diags *d, enum vb_status status, const char *file,
                           long line, long col, const char *fmt, va_list ap)
{
    append(d, VB_ERROR, status, file, line, col, fmt, ap);
    return status;
}

void diag_warning(struct vb_diags *d, const char *file, long line, long col,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(d, VB_WARNING, VB_OK, file, line, col, fmt, ap);
    va_end(ap);
}

enum vb_status diag_status(const struct vb_diags *d)
{
    enum vb_status worst = d->dropped_errors ? d->dropped_status : VB_OK;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == VB_ERROR && d->items[i].status > worst)
            worst = d->items[i].status;
    return worst;
}

size_t diag_error_count(const struct vb_diags *d)
{
    size_t n = d->dropped_errors;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].severity == VB_ERROR;
    return n;
}

char *diag_place(char *buf, size_t size, const char *file, long line, long col)
{
    size_t n = file ? strlen(file) : 0;
    if (!file)
        snprintf(buf, size, "vanban");
    else if (line <= 0)
        snprintf(buf, size, "%s", file);
    else if (n && file[n - 1] == '!') {
        /* a workbook's cell: the column in letters, then the row (Sheet1!D7) */
        char letters[8], *l = letters + sizeof letters - 1;
        *l = 0;
        for (long c = col > 0 ? col : 1; c > 0 && l > letters; c = (c - 1) / 26)
            *--l = (char)('A' + (c - 1) % 26);
        snprintf(buf, size, "%s%s%ld", file, l, line);
    } else {
        snprintf(buf, size, "%s:%ld:%ld", file, line, col > 0 ? col : 1);
    }
    return buf;
}

static void print_one(FILE *out, const struct vb_diag *g)
{
    const char *sev = g->severity == VB_ERROR ? _("error") : _("warning");
    const char *msg = g->message ? g->message : _("(out of memory)");
    size_t n = g->file ? strlen(g->file) : 0;
    if (g->file && g->line > 0 && n && g->file[n - 1] == '!') {
        char place[4096 + 64];
        fprintf(out, "%s: %s: %s\n", diag_place(place, sizeof place, g->file, g->line, g->col),
                sev, msg);
    } else if (g->file && g->line > 0)
        fprintf(out, "%s:%ld:%ld: %s: %s\n", g->file, g->line, g->col > 0 ? g->col : 1, sev,
                msg);
    else if (g->file)
        fprintf(out, "%s: %s: %s\n", g->file, sev, msg);
    else
        fprintf(out, "vanban: %s: %s\n", sev, msg);
}

void diag_print(const struct vb_diags *d, void *stream)
{
    FILE *out = stream;
    for (size_t i = 0; i < d->count; i++)
        print_one(out, &d->items[i]);
    if (!d->dropped)
        return;
    /* the last error not kept is shown below, so it is not counted as hidden */
    size_t errors = d->dropped_errors - (d->dropped_errors > 0), warnings = d->dropped_warnings;
    char e[96] = "", w[96] = "", hidden[256];
    if (errors)
        snprintf(e, sizeof e, P_("%zu more error", "%zu more errors", errors), errors);
    if (warnings)
        snprintf(w, sizeof w, P_("%zu more warning", "%zu more warnings", warnings), warnings);
    if (errors && warnings)
        /* TRANSLATORS: "3 more errors and 2 more warnings" */
        snprintf(hidden, sizeof hidden, _("%s and %s"), e, w);
    else
        snprintf(hidden, sizeof hidden, "%s%s", e, w);
    if (errors || warnings)
        fprintf(out, d->dropped_errors
                         ? P_("vanban: note: %s not shown (only the first %zu message and the "
                              "last error are shown)\n",
                              "vanban: note: %s not shown (only the first %zu messages and the "
                              "last error are shown)\n", d->count)
                         : P_("vanban: note: %s not shown (only the first %zu message is "
                              "shown)\n",
                              "vanban: note: %s not shown (only the first %zu messages are "
                              "shown)\n", d->count),
                hidden, d->count);
    if (d->dropped_errors)
        print_one(out, &d->last_dropped);
}

void diag_copy_all(struct vb_diags *d, const struct vb_diags *src)
{
    for (size_t i = 0; i < src->count; i++) {
        const struct vb_diag *g = &src->items[i];
        const char *msg = g->message ? g->message : "(out of memory)";
        if (g->severity == VB_ERROR)
            diag_error(d, g->status, g->file, g->line, g->col, "%s", msg);
        else
            diag_warning(d, g->file, g->line, g->col, "%s", msg);
    }
    if (!src->dropped)
        return;
    /* what src did not keep stays counted; its last error is appended as the last one */
    d->dropped += src->dropped - (src->dropped_errors > 0);
    d->dropped_warnings += src->dropped_warnings;
    if (src->dropped_errors > 1) {
        d->dropped_errors += src->dropped_errors - 1;
        if (src->dropped_status > d->dropped_status)
            d->dropped_status = src->dropped_status;
    }
    if (src->dropped_errors) {
        const struct vb_diag *g = &src->last_dropped;
        /* kept when d has room, else counted and shown last by d */
        diag_error(d, g->status, g->file, g->line, g->col, "%s",
                   g->message ? g->message : "(out of memory)");
    }
}

void diag_sort_since(struct vb_diags *d, size_t first)
{
    for (size_t i = first + 1; i < d->count; i++) {      /* insertion sort: stable */
        struct vb_diag g = d->items[i];
        size_t j = i;
        while (j > first && (d->items[j - 1].line > g.line ||
                             (d->items[j - 1].line == g.line && d->items[j - 1].col > g.col))) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = g;
    }
}

void diag_clear(struct vb_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    free(d->items);
    free(d->last_dropped.file);
    free(d->last_dropped.message);
    size_t limit = d->limit;
    *d = (struct vb_diags){.limit = limit};
}
