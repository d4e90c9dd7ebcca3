/* runfiles.c: the files of a run checked against each other, see runfiles.h. */
#include "runfiles.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grow.h"
#include "i18n.h"
#include "jobrun.h"
#include "paths.h"
#include "report.h"
#include "text.h"

/* What a name is to the run. */
enum kind { K_OUTPUT, K_SIDECAR, K_RECORD, K_LOCK, K_INPUT };

#define RUN_ITSELF SIZE_MAX             /* job index of the run's own files */

struct name {
    struct paths_id id;
    enum kind kind;
    size_t job;                         /* index in the list, or RUN_ITSELF */
    char *path;
    const char *what;                   /* an input: what it is for its job or the run */
    int reported;
};

/* A conflict found: the written name w is the file other (or named like its
 * temporary). */
struct found {
    size_t w, other;
    const char *relation;
};

struct names {
    struct name *items;
    size_t count, cap;
    int failed;
    struct found *found;
    size_t found_count, found_cap;
};

static void add(struct names *n, const char *path, enum kind kind, size_t job, const char *what)
{
    if (!path || n->failed)
        return;
    if (grow_array(&n->items, &n->cap, n->count + 1, sizeof *n->items)) {
        n->failed = 1;
        return;
    }
    struct name *x = &n->items[n->count];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->job = job;
    x->what = what;
    if (!(x->path = strdup(path)) || paths_identify(path, &x->id) != 0) {
        free(x->path);
        n->failed = 1;
        return;
    }
    n->count++;
}

static int written(const struct name *x)
{
    return x->kind != K_INPUT;
}

/* ---- the names ---- */

/* Adds a job's inputs: its exports or previous exports (a folder: the folder's *.csv). */
static const char exports_folder[] = "exports folder";

static void add_exports(struct names *n, char *const *paths, size_t count, size_t job,
                        const char *what)
{
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            add(n, paths[i], K_INPUT, job, exports_folder);
        struct vb_diags ignored = {0};
        char **files;
        size_t k;
        if (report_export_files(paths[i], &files, &k, &ignored) == 0) {
            for (size_t f = 0; f < k; f++) {
                add(n, files[f], K_INPUT, job, what);
                free(files[f]);
            }
            free(files);
        }
        diag_clear(&ignored);
    }
}

static void collect(struct names *n, const struct job_list *list, int sidecar,
                    const char *output_dir, const struct run_file *run_inputs,
                    size_t run_input_count)
{
    add(n, list->path, K_INPUT, RUN_ITSELF, "the jobs file");
    for (size_t i = 0; i < run_input_count; i++)
        add(n, run_inputs[i].path, K_INPUT, RUN_ITSELF, run_inputs[i].what);
    char *lock = malloc(strlen(output_dir) + 32);
    if (lock) {
        sprintf(lock, "%s/.vanban-batch.lock", output_dir);
        add(n, lock, K_LOCK, RUN_ITSELF, NULL);
        free(lock);
    } else
        n->failed = 1;
    for (size_t j = 0; j < list->count; j++) {
        const struct job *job = &list->jobs[j];
        add(n, job->template_path, K_INPUT, j, "template");
        add(n, job->units_path, K_INPUT, j, "units directory");
        if (job->profile)
            add(n, profile_path(job->profile), K_INPUT, j, "profile");
        add_exports(n, job->exports, job->export_count, j, "exports");
        add_exports(n, job->previous, job->previous_count, j, "previous year's exports");
        if (!job->output)
            continue;
        add(n, job->output, K_OUTPUT, j, NULL);
        char *side = sidecar ? paths_sidecar(job->output) : NULL;
        char *record = jobrun_record_path(job->output);
        if ((sidecar && !side) || !record)
            n->failed = 1;
        add(n, side, K_SIDECAR, j, NULL);
        add(n, record, K_RECORD, j, NULL);
        free(side);
        free(record);
    }
}

/* ---- messages ---- */

static const char *written_what(enum kind k)
{
    switch (k) {
    case K_OUTPUT: return "PDF";
    case K_SIDECAR: return _("metadata file");
    case K_RECORD: return _("record");
    default: return _("lock file");
    }
}

/* Describes other, as seen from the job of the name in conflict with it. */
static void describe(const struct job_list *list, const struct name *other, size_t job,
                     char *buf, size_t size)
{
    if (other->job == RUN_ITSELF && other->kind == K_LOCK)
        snprintf(buf, size, _("the batch's lock file %s"), other->path);
    else if (other->job == RUN_ITSELF)
        snprintf(buf, size, _("%s %s, which this run reads"), other->what, other->path);
    else if (other->job == job && written(other))
        snprintf(buf, size, _("this job's own %s %s"), written_what(other->kind), other->path);
    else if (other->job == job)
        snprintf(buf, size, _("this job's own %s %s"), other->what, other->path);
    else if (written(other))
        snprintf(buf, size, _("the %s %s of the job at line %ld"), written_what(other->kind),
                 other->path, list->jobs[other->job].line);
    else
        snprintf(buf, size, "%s, the %s of the job at line %ld", other->path, other->what,
                 list->jobs[other->job].line);
}

/* Why two names that are one file look different: a difference of case, or a link (the
 * same spelling, "x" and "./x", needs no word). */
static const char *why_same(const char *path_a, const struct paths_id *a, const char *path_b,
                            const struct paths_id *b)
{
    if (strcmp(a->key, b->key) != 0)
        return " (another name of the same file: a link)";
    const char *na = strrchr(path_a, '/'), *nb = strrchr(path_b, '/');
    na = na ? na + 1 : path_a;
    nb = nb ? nb + 1 : path_b;
    if (strcmp(na, nb) == 0)
        return "";
    return " (the names differ only in case, which Windows shares and USB sticks do not tell "
           "apart)";
}

static const char *how_same(const struct name *a, const struct name *b)
{
    return why_same(a->path, &a->id, b->path, &b->id);
}

/* Reports that the written name w is the file other. */
static void conflict(const struct job_list *list, const struct name *w, const struct name *other,
                     const char *relation, struct vb_diags *diags)
{
    char them[1024];
    const struct job *job = w->job == RUN_ITSELF ? NULL : &list->jobs[w->job];
    const struct job_field *at = job ? job_field(job, "output") : NULL;
    describe(list, other, w->job, them, sizeof them);
    const char *how = strcmp(relation, "is also") == 0 || strcmp(relation, "would replace") == 0
                          ? how_same(w, other)
                          : "";
    if (w->kind == K_OUTPUT)
        diag_error(diags, VB_EINPUT, list->path, at ? at->line : 0, at ? at->col : 0,
                   "output %s %s %s%s: choose another output name", w->path, relation, them,
                   how);
    else
        diag_error(diags, VB_EINPUT, list->path, at ? at->line : 0, at ? at->col : 0,
                   "the %s %s of output %s %s %s%s: choose another output name",
                   written_what(w->kind), w->path, job ? job->output : "", relation, them, how);
}

/* Notes a conflict; one is reported per job (report_found). */
static void note(struct names *n, size_t w, size_t other, const char *relation)
{
    if (grow_array(&n->found, &n->found_cap, n->found_count + 1, sizeof *n->found)) {
        n->failed = 1;
        return;
    }
    n->found[n->found_count++] = (struct found){.w = w, .other = other, .relation = relation};
}

/* Reports, for each job, the conflict of its most visible name: its PDF before its
 * metadata file before its record. */
static void report_found(const struct job_list *list, struct names *n, struct vb_diags *diags)
{
    for (size_t i = 0; i < n->found_count; i++) {
        struct name *w = &n->items[n->found[i].w];
        if (w->reported)
            continue;
        size_t best = i;
        for (size_t k = i + 1; k < n->found_count; k++) {
            const struct name *x = &n->items[n->found[k].w];
            if (x->job == w->job && x->kind < n->items[n->found[best].w].kind)
                best = k;
        }
        for (size_t k = 0; k < n->count; k++)
            if (n->items[k].job == w->job && written(&n->items[k]))
                n->items[k].reported = 1;
        conflict(list, &n->items[n->found[best].w], &n->items[n->found[best].other],
                 n->found[best].relation, diags);
    }
}

/* ---- the checks ---- */

static const struct name *sort_base;

/* Orders indexes by key, then job order, then kind. */
static int by_key(const void *a, const void *b)
{
    const struct name *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
    int c = strcmp(x->id.key, y->id.key);
    if (c)
        return c;
    if (x->job != y->job)
        return x->job < y->job ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

/* Orders indexes of existing files by inode, then as by_key. */
static int by_inode(const void *a, const void *b)
{
    const struct name *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
    if (x->id.dev != y->id.dev)
        return x->id.dev < y->id.dev ? -1 : 1;
    if (x->id.ino != y->id.ino)
        return x->id.ino < y->id.ino ? -1 : 1;
    if (x->job != y->job)
        return x->job < y->job ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

/* In each run of indexes that name one file, every written name but the first of the run
 * conflicts with the first (an input first: what is read is named). */
static void report_runs(struct names *n, size_t *idx, size_t count,
                        int (*same)(const struct name *, const struct name *))
{
    for (size_t i = 0; i < count;) {
        size_t end = i + 1;
        while (end < count && same(&n->items[idx[i]], &n->items[idx[end]]))
            end++;
        /* the first input of the run, else the run's own file, else its first name */
        size_t first = idx[i];
        for (size_t k = end; k-- > i;)
            if (n->items[idx[k]].job == RUN_ITSELF)
                first = idx[k];
        for (size_t k = end; k-- > i;)
            if (!written(&n->items[idx[k]]))
                first = idx[k];
        for (size_t k = i; k < end; k++) {
            struct name *x = &n->items[idx[k]];
            if (idx[k] == first || !written(x))
                continue;
            note(n, idx[k], first, written(&n->items[first]) ? _("is also") : _("would replace"));
        }
        i = end;
    }
}

static int same_key(const struct name *a, const struct name *b)
{
    return strcmp(a->id.key, b->id.key) == 0;
}

static int same_inode(const struct name *a, const struct name *b)
{
    return a->id.dev == b->id.dev && a->id.ino == b->id.ino;
}

/* A written name shaped like a temporary of another ("NAME.tmp.XXXXXX"), which a later run
 * removes as left over. */
static void check_temporaries(struct names *n, size_t *by_keys)
{
    for (size_t i = 0; i < n->count; i++) {
        struct name *x = &n->items[i];
        size_t len = strlen(x->id.key);
        if (!written(x) || len < 12 || strncmp(x->id.key + len - 11, ".tmp.", 5) != 0)
            continue;
        struct name probe = {.id = {.key = strndup(x->id.key, len - 11)}};
        if (!probe.id.key)
            continue;
        /* binary search for the first name with that key */
        size_t lo = 0, hi = n->count;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(n->items[by_keys[mid]].id.key, probe.id.key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < n->count && strcmp(n->items[by_keys[lo]].id.key, probe.id.key) == 0; lo++) {
            if (written(&n->items[by_keys[lo]])) {
                note(n, i, by_keys[lo], "is named like a temporary of");
                break;
            }
        }
        free(probe.id.key);
    }
}

/* A written name ending in .csv inside a folder some job reads its exports from: the
 * next run would read it as an export. */
static void check_export_folders(struct names *n)
{
    for (size_t f = 0; f < n->count; f++) {
        const struct name *folder = &n->items[f];
        if (folder->what != exports_folder)
            continue;
        char head[64];
        int hn = snprintf(head, sizeof head, "%ju:%ju/", (uintmax_t)folder->id.dev,
                          (uintmax_t)folder->id.ino);
        for (size_t i = 0; i < n->count; i++) {
            const struct name *x = &n->items[i];
            const char *key = x->id.key;
            size_t len = strlen(key);
            if (written(x) && strncmp(key, head, (size_t)hn) == 0 && !strchr(key + hn, '/') &&
                len >= 4 && strcmp(key + len - 4, ".csv") == 0)
                note(n, i, f, "would be read as an export from");
        }
    }
}

enum vb_status runfiles_check_batch(const struct job_list *list, int sidecar,
                                   const char *output_dir, const struct run_file *run_inputs,
                                   size_t run_input_count, struct vb_diags *diags)
{
    struct names n = {0};
    collect(&n, list, sidecar, output_dir, run_inputs, run_input_count);
    size_t *by_keys = n.failed ? NULL : calloc(n.count + 1, sizeof *by_keys);
    size_t *by_inodes = by_keys ? calloc(n.count + 1, sizeof *by_inodes) : NULL;
    size_t before = diag_error_count(diags), first_diag = diags->count;
    enum vb_status st = VB_OK;
    if (!by_inodes) {
        st = diag_error(diags, VB_EINTERNAL, list->path, 0, 0, "out of memory");
    } else {
        /* an output that exists as something else than a file: a pipe would block the
         * run, a device or a folder cannot be replaced */
        for (size_t i = 0; i < n.count; i++) {
            struct name *x = &n.items[i];
            if (written(x) && x->kind != K_LOCK && x->id.exists && !S_ISREG(x->id.mode)) {
                for (size_t k = 0; k < n.count; k++)
                    if (n.items[k].job == x->job && written(&n.items[k]))
                        n.items[k].reported = 1;
                const struct job_field *at = job_field(&list->jobs[x->job], "output");
                diag_error(diags, VB_EINPUT, list->path, at ? at->line : 0, at ? at->col : 0,
                           "%s %s exists and is %s, not a file: a batch writes only files "
                           "(choose another output name)", x->kind == K_OUTPUT ? "output"
                           : written_what(x->kind), x->path,
                           S_ISDIR(x->id.mode) ? _("a folder") : _("a pipe or a device"));
            }
        }
        size_t existing = 0;
        for (size_t i = 0; i < n.count; i++) {
            by_keys[i] = i;
            if (n.items[i].id.exists)
                by_inodes[existing++] = i;
        }
        sort_base = n.items;
        qsort(by_keys, n.count, sizeof *by_keys, by_key);
        qsort(by_inodes, existing, sizeof *by_inodes, by_inode);
        report_runs(&n, by_keys, n.count, same_key);
        report_runs(&n, by_inodes, existing, same_inode);
        check_temporaries(&n, by_keys);
        check_export_folders(&n);
        report_found(list, &n, diags);
        if (n.failed)
            diag_error(diags, VB_EINTERNAL, list->path, 0, 0, "out of memory");
        if (diag_error_count(diags) > before)
            st = VB_EINPUT;
        /* in the jobs file's order, whatever order the names were compared in */
        diag_sort_since(diags, first_diag);
    }
    for (size_t i = 0; i < n.count; i++) {
        free(n.items[i].path);
        paths_id_free(&n.items[i].id);
    }
    free(n.items);
    free(n.found);
    free(by_keys);
    free(by_inodes);
    return st;
}

/* ---- one command's files ---- */

static void worst(enum vb_status *st, enum vb_status e)
{
    if (e > *st)
        *st = e;
}

/* Why the folder path would be written into cannot hold it (0: it can be tried). */
static int parent_error(const char *path)
{
    if (paths_is_special(path))
        return 0;                       /* written in place */
    char *dir = strdup(path);
    if (!dir)
        return ENOMEM;
    char *slash = strrchr(dir, '/');
    const char *folder = !slash ? "." : slash == dir ? "/" : (*slash = 0, dir);
    struct stat st;
    int err = stat(folder, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
    free(dir);
    return err;
}

/* Whether a and b are in the same folder (as spelled). */
static int same_folder(const char *a, const char *b)
{
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
    return la == lb && strncmp(a, b, la) == 0;
}

enum vb_status runfiles_check(const struct run_file *written, size_t written_count,
                              const struct run_file *read, size_t read_count,
                              struct vb_diags *diags)
{
    struct paths_id *w = calloc(written_count + 1, sizeof *w);
    struct paths_id *r = calloc(read_count + 1, sizeof *r);
    enum vb_status st = w && r ? VB_OK : VB_EINTERNAL;
    for (size_t i = 0; st == VB_OK && i < written_count; i++)
        if (written[i].path && paths_identify(written[i].path, &w[i]) != 0)
            st = VB_EINTERNAL;
    for (size_t i = 0; st == VB_OK && i < read_count; i++)
        if (read[i].path && paths_identify(read[i].path, &r[i]) != 0)
            st = VB_EINTERNAL;
    if (st != VB_OK) {
        diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    } else {
        for (size_t i = 0; i < written_count; i++) {
            if (!written[i].path)
                continue;
            /* a folder in the way, or no folder to write into: said now, not after another
             * output was written */
            if (w[i].exists && S_ISDIR(w[i].mode)) {
                worst(&st, diag_error(diags, VB_EINTERNAL, written[i].path, 0, 0,
                                "cannot create output file: it is a folder"));
                continue;
            }
            int err = parent_error(written[i].path), said = 0;
            for (size_t k = 0; err && k < i; k++)
                said |= written[k].path && same_folder(written[k].path, written[i].path);
            if (err && said)
                continue;                   /* one message for the folder */
            if (err) {
                worst(&st, diag_error(diags, VB_EINTERNAL, written[i].path, 0, 0,
                                "cannot create output file: %s", strerror(err)));
                continue;
            }
            const struct run_file *other = NULL;
            const struct paths_id *other_id = NULL;
            for (size_t k = 0; !other && k < i; k++)
                if (written[k].path && paths_id_same(&w[i], &w[k]))
                    other = &written[k], other_id = &w[k];
            if (other) {
                worst(&st, diag_error(diags, VB_EUSAGE, written[i].path, 0, 0,
                                "%s is also %s %s%s: choose another name", written[i].what,
                                other->what, other->path,
                                why_same(written[i].path, &w[i], other->path, other_id)));
                continue;
            }
            for (size_t k = 0; !other && k < read_count; k++)
                if (read[k].path && paths_id_same(&w[i], &r[k]))
                    other = &read[k], other_id = &r[k];
            if (other)
                worst(&st, diag_error(diags, VB_EUSAGE, written[i].path, 0, 0,
                                "%s would replace %s %s, which this run reads%s: write it to "
                                "another name", written[i].what, other->what, other->path,
                                why_same(written[i].path, &w[i], other->path, other_id)));
        }
    }
    for (size_t i = 0; w && i < written_count; i++)
        paths_id_free(&w[i]);
    for (size_t i = 0; r && i < read_count; i++)
        paths_id_free(&r[i]);
    free(w);
    free(r);
    return st;
}
