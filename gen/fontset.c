/* fontset.c: font configuration and loading, see fontset.h. */
#include "fontset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb-ot.h>
#include <hb.h>

#include "paths.h"
#include "text.h"

static const char *const face_keys[FACE_COUNT] = {"regular", "bold", "italic", "bold-italic"};

/* Every Vietnamese letter, lower case; upper case is derived. A face must draw them all. */
static const char vietnamese_letters[] =
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụư"
    "ừứửữựvxyỳýỷỹỵ0123456789.,;:-()/%\"'";

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

/* The largest font file read (a CJK font is some 20 MB). */
#define FONT_MAX_BYTES (64u << 20)

/* Reads a font file whole, once: a regular file only (a named pipe or a device would block
 * or never end). Returns its bytes, or NULL with *err set. */
static char *read_font(const char *path, size_t *len, int *err)
{
    char *data = paths_read_file(path, FONT_MAX_BYTES, len);
    if (!data)
        *err = errno;
    return data;
}

/* Finds the font file in the configuration's folders and reads it (*data, *len); returns
 * its path, or NULL with *err set (ENOENT when no folder has it, else why the one found
 * cannot be read). */
static char *find_font_file(const struct fontconf *c, const char *file, char **data,
                            size_t *len, int *err)
{
    *err = ENOENT;
    if (file[0] == '/')
        return (*data = read_font(file, len, err)) ? strdup(file) : NULL;
    for (size_t i = 0; i < c->dir_count; i++) {
        if (!c->dirs[i])
            continue;
        char *p = malloc(strlen(c->dirs[i]) + strlen(file) + 2);
        if (!p)
            return NULL;
        sprintf(p, "%s/%s", c->dirs[i], file);
        int e;
        if ((*data = read_font(p, len, &e)))
            return p;
        free(p);
        if (e != ENOENT) {
            *err = e;
            return NULL;
        }
    }
    return NULL;
}

/* Returns the big-endian 16-bit value at offset of table tag, or 0 (also when it is too
 * short: *ok is then cleared). */
static int table_i16(hb_face_t *face, hb_tag_t tag, unsigned offset, int *ok)
{
    hb_blob_t *blob = hb_face_reference_table(face, tag);
    unsigned len = 0;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(blob, &len);
    int v = 0;
    if (p && len >= offset + 2)
        v = (int16_t)(uint16_t)(p[offset] << 8 | p[offset + 1]);
    else
        *ok = 0;
    hb_blob_destroy(blob);
    return v;
}

/* Whether the face has table tag. */
static int has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *blob = hb_face_reference_table(face, tag);
    int has = hb_blob_get_length(blob) > 0;
    hb_blob_destroy(blob);
    return has;
}

/* Reads the face's file with HarfBuzz and takes its metrics, in 1/1000 em truncated as a
 * PDF's widths are: the advance of every code point of the cmap (-1 for none), ascent and
 * descent (hhea), bounding box (head), PostScript name. Returns NULL, or why the file
 * cannot serve. */
static const char *load_face(struct fontset *fs, int f, char *data, size_t len)
{
    /* the bytes read by find_font_file, which the blob frees with the face */
    hb_blob_t *blob = hb_blob_create_or_fail(data, (unsigned)len, HB_MEMORY_MODE_READONLY,
                                             data, free);
    if (!blob) {
        free(data);
        return "out of memory";
    }
    hb_face_t *face = fs->face[f] = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    unsigned upem = hb_face_get_upem(face);
    if (hb_face_get_glyph_count(face) == 0 || !has_table(face, HB_TAG('g', 'l', 'y', 'f')) ||
        !has_table(face, HB_TAG('c', 'm', 'a', 'p')))
        return "not a TrueType font (vanban embeds TrueType outlines)";
    int ok = 1;
    unsigned fs_type = (unsigned)table_i16(face, HB_TAG('O', 'S', '/', '2'), 8, &ok) & 0xFFFFu;
    if (!ok || (fs_type & (0x0002 | 0x0100 | 0x0200)))
        return "its licence (OS/2 fsType) does not allow embedding it in a PDF";
    fs->metrics.ascent[f] = (int16_t)(table_i16(face, HB_TAG('h', 'h', 'e', 'a'), 4, &ok) *
                                      1000 / (int)upem);
    fs->metrics.descent[f] = (int16_t)(table_i16(face, HB_TAG('h', 'h', 'e', 'a'), 6, &ok) *
                                       1000 / (int)upem);
    for (int k = 0; k < 4; k++)
        fs->bbox[f][k] = table_i16(face, HB_TAG('h', 'e', 'a', 'd'), 36 + 2 * (unsigned)k, &ok) *
                         1000 / (int)upem;
    unsigned name_len = sizeof fs->ps_name[f];
    if (!ok || hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID,
                                   &name_len, fs->ps_name[f]) == 0)
        return "the font has no hhea, head or name table";
    fs->ps_name[f][strcspn(fs->ps_name[f], ", ")] = '\0';

    int16_t *adv = malloc(65536 * sizeof *adv);
    hb_font_t *font = hb_font_create(face);  /* scale: units per em */
    hb_set_t *cps = hb_set_create();
    if (!adv || !hb_set_allocation_successful(cps)) {
        free(adv);
        hb_set_destroy(cps);
        hb_font_destroy(font);
        return "out of memory";
    }
    for (uint32_t cp = 0; cp < 65536; cp++)
        adv[cp] = -1;
    hb_face_collect_unicodes(face, cps);
    for (hb_codepoint_t cp = HB_SET_VALUE_INVALID; hb_set_next(cps, &cp) && cp < 0xFFFF;) {
        hb_codepoint_t gid = 0;
        if (hb_font_get_nominal_glyph(font, cp, &gid) && gid)
            adv[cp] = (int16_t)(uint16_t)((unsigned)hb_font_get_glyph_h_advance(font, gid) *
                                          1000u / upem);
    }
    hb_set_destroy(cps);
    hb_font_destroy(font);
    if (adv[' '] <= 0)
        adv[' '] = 250;
    fs->metrics.advance[f] = adv;
    fs->metrics.file[f] = fs->path[f];
    return NULL;
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
    char *data[FACE_COUNT] = {0};       /* each font file's bytes, until its face owns them */
    size_t len[FACE_COUNT] = {0};
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
        fs->path[f] = find_font_file(&conf, conf.file[f], &data[f], &len[f], &err);
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
    for (int f = 0; f < FACE_COUNT && st == VB_OK; f++) {
        const char *why = load_face(fs, f, data[f], len[f]);
        data[f] = NULL;                 /* the face owns it now */
        if (why) {
            st = diag_error(d, strcmp(why, "out of memory") ? VB_EINPUT : VB_EINTERNAL,
                            conf_path, conf.file_line[f], 1, "cannot load font '%s': %s",
                            fs->path[f], why);
            break;
        }
        st = check_vietnamese(fs, f, conf_path, conf.file_line[f], d);
    }
    if (st == VB_OK)
        metrics_note_every_face(&fs->metrics);
done:
    fontconf_free(&conf);
    for (int f = 0; f < FACE_COUNT; f++)
        free(data[f]);
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
    for (int f = 0; f < FACE_COUNT; f++) {
        hb_face_destroy(fs->face[f]);
        free(fs->metrics.advance[f]);
        free(fs->path[f]);
    }
    free(fs);
}
