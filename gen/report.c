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

/* Whether name ends with suffix, in any case. */
static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcasecmp(name + n - k, suffix) == 0;
}

int report_is_export_name(const char *name)
{
    return has_suffix(name, ".csv") || has_suffix(name, ".tsv") || has_suffix(name, ".xlsx") ||
           has_suffix(name, ".xlsm");
}

/* Warns about an entry of an exports folder that is not read: what it seems to be. */
static void stray_entry(const char *full, const char *name, int is_dir, struct vb_diags *diags)
{
    const char *why;
    if (is_dir)
        why = "a folder inside the exports folder: not read (give it too if it holds exports)";
    else if (strncmp(name, "~$", 2) == 0)
        why = "Excel's lock file of a workbook that is open: not an export, skipped (close the "
              "workbook in Excel)";
    else if (strncmp(name, ".~lock.", 7) == 0)
        why = "LibreOffice's lock file of a file that is open: not an export, skipped";
    else if (has_suffix(name, ".xls"))
        why = "an Excel 97-2003 workbook: vanban reads .xlsx and CSV, not .xls: open it in "
              "Excel or LibreOffice and save it as .xlsx (Excel Workbook) or CSV UTF-8";
    else if (has_suffix(name, ".ods"))
        why = "a LibreOffice Calc spreadsheet: vanban reads .xlsx and CSV: save it as .xlsx or "
              "CSV";
    else if (has_suffix(name, ".docx") || has_suffix(name, ".doc") || has_suffix(name, ".odt") ||
             has_suffix(name, ".pdf") || has_suffix(name, ".rtf"))
        why = "a document, not an export: skipped (a unit's figures come as .xlsx or CSV)";
    else
        why = "not an export (vanban reads .csv, .tsv, .xlsx and .xlsm files): skipped";
    diag_warning(diags, full, 0, 0, "%s", why);
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
    char **names = NULL, **others = NULL;
    size_t count = 0, cap = 0, other_count = 0, other_cap = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(dir));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(e->d_name);
        char *full = malloc(strlen(path) + n + 2);
        if (!full) {
            rc = -1;
            break;
        }
        sprintf(full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
        /* Excel on Windows may write EXPORT.CSV; anything but a regular file named like an
         * export is refused by the reader, never skipped in silence; every other entry is
         * named in a warning */
        int export = report_is_export_name(e->d_name) && strncmp(e->d_name, "~$", 2) != 0;
        char ***list = export ? &names : &others;
        size_t *list_count = export ? &count : &other_count, *list_cap = export ? &cap : &other_cap;
        if (grow_array(list, list_cap, *list_count + 1, sizeof **list)) {
            free(full);
            rc = -1;
            break;
        }
        (*list)[(*list_count)++] = full;
    }
    closedir(dir);
    if (rc != 0)
        diag_error(diags, VB_EINTERNAL, path, 0, 0, "out of memory");
    if (other_count)
        qsort(others, other_count, sizeof *others, by_name);
    for (size_t i = 0; rc == 0 && i < other_count; i++) {
        struct stat est;
        const char *name = strrchr(others[i], '/') + 1;
        stray_entry(others[i], name, stat(others[i], &est) == 0 && S_ISDIR(est.st_mode), diags);
    }
    for (size_t i = 0; i < other_count; i++)
        free(others[i]);
    free(others);
    if (rc == 0 && count == 0) {
        diag_error(diags, VB_EINPUT, path, 0, 0, "folder holds no export (.csv, .tsv, .xlsx or "
                   ".xlsm file)");
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

/* Says, once all is read, that there was no units directory: where the units came from. */
static void warn_units_from_exports(const struct dataset *ds, const char *const *paths,
                                    size_t count, struct vb_diags *diags)
{
    if (ds->unit_count)
        diag_warning(diags, count ? paths[0] : NULL, 0, 0, "no units directory (no --units, "
                     "and no profile naming one): the %zu units are those the exports name, "
                     "each under the name its row gives, and a unit that sent no export at all "
                     "is not listed; give --units FILE or a profile with <units "
                     "href=\"…\"/>", ds->unit_count);
}

/* report_read without the warning about a missing units directory. */
static enum vb_status read_exports(const char *units_csv, const char *const *paths,
                                   size_t count, const struct ds_read_options *read,
                                   struct dataset **out, struct vb_diags *diags)
{
    enum vb_status st = units_csv ? ds_open(units_csv, read, out, diags)
                                  : ds_open_from_exports(out, diags);
    if (st != VB_OK)
        return st;
    return report_read_more(*out, paths, count, read, diags);
}

enum vb_status report_read(const char *units_csv, const char *const *paths, size_t count,
                           const struct ds_read_options *read, struct dataset **out,
                           struct vb_diags *diags)
{
    enum vb_status st = read_exports(units_csv, paths, count, read, out, diags);
    if (*out && !units_csv)
        warn_units_from_exports(*out, paths, count, diags);
    return st;
}

enum vb_status report_read_more(struct dataset *ds, const char *const *paths, size_t count,
                                const struct ds_read_options *read, struct vb_diags *diags)
{
    size_t before = diag_error_count(diags);
    for (size_t i = 0; i < count; i++)
        read_path(ds, paths[i], read, diags);
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
    struct dataset *ds = NULL;
    struct ds_read_options read = opt->read;
    read.keep_from = opt->year - 1;   /* only the year and the previous one are needed */
    read.keep_to = opt->year;
    /* the year's exports hold its figures, the previous year's the year before's: a row of
     * another year is named, not counted */
    read.year = opt->year;
    enum vb_status st = read_exports(opt->units_csv, opt->exports, opt->export_count, &read,
                                     &ds, diags);
    if (ds && opt->previous_count) {
        read.year = opt->year - 1;
        enum vb_status prev = report_read_more(ds, opt->previous, opt->previous_count, &read,
                                               diags);
        if (prev > st)
            st = prev;
    }
    if (ds && !opt->units_csv)
        warn_units_from_exports(ds, opt->exports, opt->export_count, diags);
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
    for (size_t u = 0; st == VB_OK && !only && u < ds->unit_count; u++) {
        if (ds_find(ds, &ds->units[u], opt->year))
            continue;
        char place[4096 + 64], stray[4096 + 128] = "";
        int year;
        if (ds_stray_row(ds, &ds->units[u], &year, place, sizeof place))
            snprintf(stray, sizeof stray, " (its row at %s is for %d)", place, year);
        diag_warning(diags, opt->units_csv, 0, 0, "unit %s (%s) sent no figures for %d: the "
                     "report lists it as not reported%s", ds->units[u].code,
                     ds->units[u].name, opt->year, stray);
    }
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
