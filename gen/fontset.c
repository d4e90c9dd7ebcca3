/* fontset.c: font configuration and loading, see fontset.h. */
#include "fontset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>

#include "paths.h"
#include "text.h"

static const char *const face_keys[FACE_COUNT] = {"regular", "bold", "italic", "bold-italic"};

/* Every Vietnamese letter, lower case; upper case is derived. A face must draw them all. */
static const char vietnamese_letters[] =
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụư"
    "ừứửữựvxyỳýỷỹỵ0123456789.,;:-()/%\"'";

static void HPDF_STDCALL on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
    (void)detail_no;
    struct fontset *fs = data;
    fs->parse_error = error_no;
}

/* One parsed configuration. */
struct fontconf {
    char *dirs[16];
    size_t dir_count;
    char *file[FACE_COUNT];
    long file_line[FACE_COUNT];
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static void fontconf_free(struct fontconf *c)
{
    for (size_t i = 0; i < c->dir_count; i++)
        free(c->dirs[i]);
    for (int f = 0; f < FACE_COUNT; f++)
        free(c->file[f]);
}

static char *resolve_dir(const char *conf_path, const char *dir)
{
    if (dir[0] == '/')
        return strdup(dir);
    const char *slash = strrchr(conf_path, '/');
    size_t base = slash ? (size_t)(slash - conf_path) : 1;
    char *out = malloc(base + strlen(dir) + 2);
    if (out)
        sprintf(out, "%.*s/%s", (int)base, slash ? conf_path : ".", dir);
    return out;
}

static enum vb_status fontconf_read(const char *path, struct fontconf *c, struct vb_diags *d)
{
    int fd = paths_open_input(path);
    FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        return diag_error(d, VB_EINPUT, path, 0, 0, "cannot read font configuration: %s",
                          paths_input_error(path, err));
    }
    char line[1024];
    long lineno = 0;
    size_t before = diag_error_count(d);
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            diag_error(d, VB_EINPUT, path, lineno, 1, "expected 'key = value'");
            continue;
        }
        *eq = 0;
        char *key = trim(s), *value = trim(eq + 1);
        long vcol = (long)(value - line) + 1;
        if (!*value) {
            diag_error(d, VB_EINPUT, path, lineno, vcol, "'%s' needs a value", key);
            continue;
        }
        if (strcmp(key, "dir") == 0) {
            if (c->dir_count < sizeof c->dirs / sizeof c->dirs[0])
                c->dirs[c->dir_count++] = resolve_dir(path, value);
            continue;
        }
        int face = -1;
        for (int i = 0; i < FACE_COUNT; i++)
            if (strcmp(key, face_keys[i]) == 0)
                face = i;
        if (face < 0) {
            diag_error(d, VB_EINPUT, path, lineno, 1,
                       "unknown key '%s': expected dir, regular, bold, italic or bold-italic", key);
            continue;
        }
        free(c->file[face]);
        c->file[face] = strdup(value);
        c->file_line[face] = lineno;
    }
    fclose(f);
    for (int i = 0; i < FACE_COUNT; i++)
        if (!c->file[i])
            diag_error(d, VB_EINPUT, path, lineno ? lineno : 1, 1, "no font file given for '%s'",
                       face_keys[i]);
    return diag_error_count(d) > before ? VB_EINPUT : VB_OK;
}

/* Whether path is a font file that can be read: a regular file (a named pipe or a device
 * would block or never end); *err receives why not. */
static int readable_font(const char *path, int *err)
{
    int fd = paths_open_input(path);
    if (fd < 0) {
        *err = errno;
        return 0;
    }
    close(fd);
    return 1;
}

/* Finds the font file in the configuration's folders; NULL with *err set (ENOENT when no
 * folder has it, else why the one found cannot be read). */
static char *find_font_file(const struct fontconf *c, const char *file, int *err)
{
    *err = ENOENT;
    if (file[0] == '/')
        return readable_font(file, err) ? strdup(file) : NULL;
    for (size_t i = 0; i < c->dir_count; i++) {
        if (!c->dirs[i])
            continue;
        char *p = malloc(strlen(c->dirs[i]) + strlen(file) + 2);
        if (!p)
            return NULL;
        sprintf(p, "%s/%s", c->dirs[i], file);
        int e;
        if (readable_font(p, &e))
            return p;
        if (e != ENOENT)
            *err = e;
        free(p);
        if (e != ENOENT)
            return NULL;
    }
    return NULL;
}

static int build_metrics(struct fontset *fs, int face)
{
    HPDF_FontDef def = HPDF_GetFontDef(fs->parser, fs->font_name[face]);
    if (!def)
        return -1;
    int16_t *adv = malloc(65536 * sizeof *adv);
    if (!adv)
        return -1;
    for (uint32_t cp = 0; cp < 65536; cp++)
        adv[cp] = -1;
    /* only the ranges of the font's cmap (format 4) can map to a glyph: asking for each of
     * the 65,536 code points costs a segment search each (~40 ms for four faces) */
    const HPDF_TTF_CmapRange *cmap = &((HPDF_TTFontDefAttr)def->attr)->cmap;
    for (unsigned seg = 0; seg < cmap->seg_count_x2 / 2u; seg++) {
        for (uint32_t cp = cmap->start_count[seg]; cp <= cmap->end_count[seg] && cp < 0xFFFF;
             cp++) {
            HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
            /* GetGidWidth, unlike GetCharWidth, does not mark the glyph for the subset */
            adv[cp] = gid ? (int16_t)HPDF_TTFontDef_GetGidWidth(def, gid) : -1;
        }
    }
    if (adv[' '] <= 0)
        adv[' '] = 250;
    fs->metrics.advance[face] = adv;
    fs->metrics.ascent[face] = def->ascent;
    fs->metrics.descent[face] = def->descent;
    fs->metrics.file[face] = fs->path[face];
    /* libharu appends ",Bold" style suffixes to the PostScript name: keep the name only */
    snprintf(fs->ps_name[face], sizeof fs->ps_name[face], "%s", def->base_font);
    fs->ps_name[face][strcspn(fs->ps_name[face], ", ")] = '\0';
    fs->bbox[face][0] = (int)def->font_bbox.left;
    fs->bbox[face][1] = (int)def->font_bbox.bottom;
    fs->bbox[face][2] = (int)def->font_bbox.right;
    fs->bbox[face][3] = (int)def->font_bbox.top;
    return 0;
}

static enum vb_status check_vietnamese(struct fontset *fs, int face, const char *conf_path,
                                       long line, struct vb_diags *d)
{
    char *upper = text_upper(vietnamese_letters);
    if (!upper)
        return diag_error(d, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    const char *sets[] = {vietnamese_letters, upper};
    enum vb_status st = VB_OK;
    for (int i = 0; i < 2 && st == VB_OK; i++) {
        size_t off;
        uint32_t cp = metrics_first_missing(&fs->metrics, (enum vb_face)face, sets[i], &off);
        if (cp) {
            const char *at = sets[i] + off, *next = at;
            text_next(&next);
            st = diag_error(d, VB_EINPUT, conf_path, line, 1,
                            "font '%s' (%s) cannot draw Vietnamese: it has no glyph for '%.*s' "
                            "(U+%04X)", fs->path[face], face_keys[face], (int)(next - at), at,
                            (unsigned)cp);
        }
    }
    free(upper);
    return st;
}

enum vb_status fontset_open(const char *conf_path, struct fontset **out, struct vb_diags *d)
{
    *out = NULL;
    struct fontconf conf = {0};
    enum vb_status st = fontconf_read(conf_path, &conf, d);
    struct fontset *fs = NULL;
    if (st != VB_OK)
        goto done;
    fs = calloc(1, sizeof *fs);
    if (!fs) {
        st = diag_error(d, VB_EINTERNAL, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (int f = 0; f < FACE_COUNT; f++) {
        int err;
        fs->path[f] = find_font_file(&conf, conf.file[f], &err);
        if (!fs->path[f] && err != ENOENT)
            st = diag_error(d, VB_EINPUT, conf_path, conf.file_line[f], 1,
                            "font file '%s' for '%s' cannot be read: %s", conf.file[f],
                            face_keys[f], paths_input_error(conf.file[f], err));
        else if (!fs->path[f])
            st = diag_error(d, VB_EINPUT, conf_path, conf.file_line[f], 1,
                            "font file '%s' for '%s' not found%s", conf.file[f], face_keys[f],
                            conf.file[f][0] == '/' ? "" : " in any 'dir' of the configuration "
                            "(install fonts-liberation2, or point the configuration at your fonts)");
    }
    if (st != VB_OK)
        goto done;
    fs->parser = HPDF_New(on_hpdf_error, fs);
    if (!fs->parser) {
        st = diag_error(d, VB_EINTERNAL, NULL, 0, 0, "cannot initialise libharu");
        goto done;
    }
    for (int f = 0; f < FACE_COUNT && st == VB_OK; f++) {
        fs->font_name[f] = HPDF_LoadTTFontFromFile(fs->parser, fs->path[f], HPDF_TRUE);
        if (!fs->font_name[f]) {
            st = diag_error(d, VB_EINPUT, conf_path, conf.file_line[f], 1,
                            "cannot load font '%s': not an embeddable TrueType font "
                            "(libharu error 0x%04lX)", fs->path[f], fs->parse_error);
            break;
        }
        if (build_metrics(fs, f) != 0) {
            st = diag_error(d, VB_EINTERNAL, NULL, 0, 0, "out of memory");
            break;
        }
        st = check_vietnamese(fs, f, conf_path, conf.file_line[f], d);
    }
done:
    fontconf_free(&conf);
    if (st != VB_OK) {
        fontset_close(fs);
        return st;
    }
    *out = fs;
    return VB_OK;
}

void fontset_close(struct fontset *fs)
{
    if (!fs)
        return;
    if (fs->parser)
        HPDF_Free(fs->parser);
    for (int f = 0; f < FACE_COUNT; f++) {
        free(fs->metrics.advance[f]);
        free(fs->path[f]);
    }
    free(fs);
}
