/* diag.c: located diagnostics, see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

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

static void append(struct vb_diags *d, enum vb_severity sev, enum vb_status status,
                   const char *file, long line, long col, const char *fmt, va_list ap)
{
    size_t limit = d->limit ? d->limit : 1000;
    if (d->count >= limit) {
        d->dropped++;
        /* keep the worst status visible even when the message is dropped */
        if (sev == VB_ERROR && d->count && status > d->items[d->count - 1].status)
            d->items[d->count - 1].status = status;
        return;
    }
    if (grow_array(&d->items, &d->cap, d->count + 1, sizeof *d->items))
        return;
    struct vb_diag *g = &d->items[d->count++];
    g->file = file ? strdup(file) : NULL;
    g->line = line;
    g->col = col;
    g->severity = sev;
    g->status = status;
    g->message = vformat(fmt, ap);
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
    enum vb_status worst = VB_OK;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == VB_ERROR && d->items[i].status > worst)
            worst = d->items[i].status;
    return worst;
}

size_t diag_error_count(const struct vb_diags *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].severity == VB_ERROR;
    return n;
}

void diag_print(const struct vb_diags *d, void *stream)
{
    FILE *out = stream;
    for (size_t i = 0; i < d->count; i++) {
        const struct vb_diag *g = &d->items[i];
        const char *sev = g->severity == VB_ERROR ? "error" : "warning";
        const char *msg = g->message ? g->message : "(out of memory)";
        if (g->file && g->line > 0)
            fprintf(out, "%s:%ld:%ld: %s: %s\n", g->file, g->line, g->col > 0 ? g->col : 1,
                    sev, msg);
        else if (g->file)
            fprintf(out, "%s: %s: %s\n", g->file, sev, msg);
        else
            fprintf(out, "vanban: %s: %s\n", sev, msg);
    }
    if (d->dropped)
        fprintf(out, "vanban: note: %zu further diagnostics not shown\n", d->dropped);
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
    d->dropped += src->dropped;
}

void diag_clear(struct vb_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    free(d->items);
    d->items = NULL;
    d->count = d->cap = d->dropped = 0;
}
