/* report.c: the annual consolidation, see report.h. */
#include "report.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "aggregate.h"
#include "grow.h"
#include "tdata.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int report_export_files(const char *path, char ***names_out, size_t *count_out,
                        struct vb_diags *diags)
{
    *names_out = NULL;
    *count_out = 0;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char **one = malloc(sizeof *one);
        if (!one || !(one[0] = strdup(path))) {
            free(one);
            diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
            return -1;
        }
        *names_out = one;
        *count_out = 1;
        return 0;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        diag_error(diags, VB_EINPUT, path, 0, 0, "cannot open folder");
        return -1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        /* Excel on Windows may write EXPORT.CSV; anything but a regular file so named is
         * refused by the reader, never skipped in silence */
        if (n < 5 || strcasecmp(e->d_name + n - 4, ".csv") != 0)
            continue;
        char *full = malloc(strlen(path) + n + 2);
        if (!full || grow_array(&names, &cap, count + 1, sizeof *names)) {
            free(full);
            diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
            rc = -1;
            break;
        }
        sprintf(full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
        names[count++] = full;
    }
    closedir(dir);
    if (rc == 0 && count == 0) {
        diag_error(diags, VB_EINPUT, path, 0, 0, "folder holds no .csv export");
        rc = -1;
    }
    if (rc != 0) {
        for (size_t i = 0; i < count; i++)
            free(names[i]);
        free(names);
        return -1;
    }
    qsort(names, count, sizeof *names, by_name);
    *names_out = names;
    *count_out = count;
    return 0;
}

/* Reads one path: a file, or every *.csv of a folder in name order. */
static void read_path(struct dataset *ds, const char *path, const struct ds_read_options *read,
                      struct vb_diags *diags)
{
    char **names;
    size_t count;
    if (report_export_files(path, &names, &count, diags) != 0)
        return;
    for (size_t i = 0; i < count; i++) {
        ds_read_export(ds, names[i], read, diags);
        free(names[i]);
    }
    free(names);
}

enum vb_status report_read(const char *units_csv, const char *const *paths, size_t count,
                           const struct ds_read_options *read, struct dataset **out,
                           struct vb_diags *diags)
{
    enum vb_status st = ds_open(units_csv, read, out, diags);
    if (st != VB_OK)
        return st;
    size_t before = diag_error_count(diags);
    for (size_t i = 0; i < count; i++)
        read_path(*out, paths[i], read, diags);
    return diag_error_count(diags) > before ? diag_status(diags) : VB_OK;
}

static int has_year(const struct dataset *ds, int year)
{
    for (size_t i = 0; i < ds->record_count; i++)
        if (ds->records[i].year == year)
            return 1;
    return 0;
}

enum vb_status report_data(const struct report_options *opt, struct td_arena *arena,
                           struct td_obj **out, struct dataset **ds_out, struct vb_diags *diags)
{
    *out = NULL;
    *ds_out = NULL;
    size_t n = opt->export_count + opt->previous_count;
    const char **paths = calloc(n ? n : 1, sizeof *paths);
    if (!paths)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    memcpy(paths, opt->exports, opt->export_count * sizeof *paths);
    if (opt->previous_count)
        memcpy(paths + opt->export_count, opt->previous, opt->previous_count * sizeof *paths);
    struct dataset *ds = NULL;
    struct ds_read_options read = opt->read;
    read.keep_from = opt->year - 1;   /* only the year and the previous one are needed */
    read.keep_to = opt->year;
    enum vb_status st = report_read(opt->units_csv, paths, n, &read, &ds, diags);
    free(paths);
    if (opt->inspect && ds)
        opt->inspect(ds, opt->inspect_ctx);
    const struct ds_unit *only = NULL;
    if (st == VB_OK && opt->unit && !(only = ds_unit_find(ds, opt->unit)))
        st = diag_error(diags, VB_EINPUT, opt->units_csv, 0, 0,
                        "unit '%s' is not in the units directory", opt->unit);
    if (st == VB_OK && only && !ds_find(ds, only, opt->year))
        st = diag_error(diags, VB_EINPUT, opt->export_count ? opt->exports[0] : NULL, 0, 0,
                        "no figures of unit %s (%s) for %d (columns ma_don_vi, nam)",
                        only->code, only->name, opt->year);
    if (st == VB_OK && !only && !has_year(ds, opt->year))
        st = diag_error(diags, VB_EINPUT, NULL, 0, 0,
                        "no export holds figures for %d (column nam)", opt->year);
    int with_previous = st == VB_OK && opt->previous_count > 0;
    if (with_previous && !has_year(ds, opt->year - 1))
        st = diag_error(diags, VB_EINPUT, opt->previous[0], 0, 0,
                        "the previous year's exports hold no figures for %d", opt->year - 1);
    /* a unit of the directory that sent nothing is reported, not fatal */
    for (size_t u = 0; st == VB_OK && !only && u < ds->unit_count; u++)
        if (!ds_find(ds, &ds->units[u], opt->year))
            diag_warning(diags, opt->units_csv, 0, 0, "unit %s (%s) sent no figures for %d: the "
                         "report lists it as not reported", ds->units[u].code,
                         ds->units[u].name, opt->year);
    if (st == VB_OK) {
        const struct agg_targets *targets = profile_targets(opt->profile);
        st = only ? agg_build_unit(ds, targets, only, opt->year, with_previous, arena, out,
                                   diags)
                  : agg_build(ds, targets, opt->year, with_previous, arena, out, diags);
        if (st == VB_OK && report_add_profile(opt->profile, *out, arena))
            st = diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    }
    if (st == VB_OK)
        *ds_out = ds;   /* the data's texts point into it */
    else
        ds_free(ds);
    return st;
}

int report_add_profile(const struct profile *profile, struct td_obj *data,
                       struct td_arena *arena)
{
    if (!profile)
        return 0;
    struct td_obj *p = profile_data(profile, arena);
    return !p || td_obj_set(arena, data, "profile", td_obj_value(p));
}

enum vb_status report_build(const struct report_options *opt, const struct fill_options *fill,
                            struct document **out, struct vb_diags *diags)
{
    *out = NULL;
    struct td_arena *arena = td_arena_new();
    if (!arena)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    struct td_obj *data = NULL;
    struct dataset *ds = NULL;
    enum vb_status st = report_data(opt, arena, &data, &ds, diags);
    if (st == VB_OK)
        st = fill_template(fill, data, arena, out, diags);
    td_arena_free(arena);
    ds_free(ds);
    return st;
}
