/* pdffont.c: subset fonts as PDF objects, cached per glyph set, see pdffont.h. */
#include "pdffont.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>
#include <hpdf_doc.h>
#include <zlib.h>

#include "pdfobj.h"
#include "text.h"

#if HPDF_VERSION_ID != 20300
#error "pdffont.c uses libharu 2.3.0's object API (mmgr, xref): re-check it"
#endif

/* Subsets kept per face: a batch alternates between few glyph sets; the bound keeps a
 * worker's memory flat (each entry is some 20 KB). */
#define SUBSET_SLOTS 16

/* Characters a subset with single-byte codes may draw: every byte but 0 and 32, the
 * space's code. */
#define SINGLE_BYTE_MAX 254

/* One subset of one face: the code points it serves and its compressed PDF streams. */
struct pdffont_subset {
    uint64_t key;              /* hash of the code point set; 0: empty slot */
    uint16_t *cps;             /* the code points, ascending */
    size_t cp_count;
    int single;                /* single-byte codes (codes); else the code points */
    unsigned char *codes;      /* single-byte: the code of each code point */
    unsigned char *page[256];  /* single-byte: code of code point p * 256 + b at page[p][b]
                                  (0: none), for the pages the subset uses */
    char tag[7];               /* the subset tag, "ABCDEF" */
    unsigned char *program;    /* deflated font program */
    size_t program_len, program_raw_len;
    unsigned char *cidmap;     /* deflated CIDToGIDMap: 2 bytes per code 0 … max */
    size_t cidmap_len;
    unsigned char *tounicode;  /* deflated ToUnicode CMap of the codes */
    size_t tounicode_len;
};

/* One face: HarfBuzz's view of the font file and the descriptor values. */
struct face_cache {
    hb_face_t *face;           /* the font file, read by HarfBuzz */
    hb_font_t *font;
    char base_font[128];
    int ascent, descent, cap_height, italic_angle, stem_v, flags, bbox[4];
    struct pdffont_subset slots[SUBSET_SLOTS];
    size_t next_slot;
};

struct pdffont_cache {
    struct face_cache faces[FACE_COUNT];
    const struct font_metrics *metrics;
    unsigned char *cmap;       /* deflated one-byte identity CMap of single-byte fonts */
    size_t cmap_len;
};

/* The one-byte identity CMap's name; its CIDSystemInfo is the CIDFonts' (Adobe, Identity). */
#define SINGLE_BYTE_CMAP "VanBan-Identity-OneByte"

/* The code of a single-byte subset's k-th code point. */
static unsigned code_at(const struct pdffont_subset *s, size_t k)
{
    return s->codes[k];
}

/* Gives a single-byte subset's code points their codes: printable ASCII keeps its own byte
 * (the space 32, as word spacing needs; the text stays readable, and the ToUnicode map and
 * the content compress better), the others take the free bytes from 1 up, in code point
 * order. Returns 0, or -1 without memory. */
static int assign_codes(struct pdffont_subset *s)
{
    if (!(s->codes = malloc(s->cp_count ? s->cp_count : 1)))
        return -1;
    unsigned char taken[256] = {1};         /* code 0 is never given */
    for (size_t k = 0; k < s->cp_count; k++)
        if (s->cps[k] >= 0x20 && s->cps[k] <= 0x7E)
            taken[s->codes[k] = (unsigned char)s->cps[k]] = 1;
    taken[' '] = 1;                         /* never a letter: Tw applies to it */
    unsigned next = 1;
    for (size_t k = 0; k < s->cp_count; k++) {
        if (s->cps[k] >= 0x20 && s->cps[k] <= 0x7E)
            continue;
        while (next < 256 && taken[next])
            next++;
        if (next == 256)
            return -1;                      /* cannot happen: at most SINGLE_BYTE_MAX */
        taken[next] = 1;
        s->codes[k] = (unsigned char)next;
    }
    for (size_t k = 0; k < s->cp_count; k++) {
        unsigned char **page = &s->page[s->cps[k] >> 8];
        if (!*page && !(*page = calloc(256, 1)))
            return -1;
        (*page)[s->cps[k] & 0xFF] = s->codes[k];
    }
    return 0;
}

/* Returns the index of cp in the subset's code points, or -1. */
static long index_of(const struct pdffont_subset *s, uint32_t cp)
{
    size_t lo = 0, hi = s->cp_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cps[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->cp_count && s->cps[lo] == cp ? (long)lo : -1;
}

/* Deflates len bytes as tightly as zlib can (done once per glyph set); returns a malloc'd
 * buffer and its length, or NULL. */
static unsigned char *deflate_all(const unsigned char *data, size_t len, size_t *out_len)
{
    struct pdfobj_buf b = {0};
    if (pdfobj_deflate(data, len, Z_BEST_COMPRESSION, &b) != 0) {
        pdfobj_buf_free(&b);
        return NULL;
    }
    *out_len = b.len;
    return b.data;
}

/* A code and the index of its code point. */
struct coded {
    unsigned code;
    size_t k;
};

static int by_code(const void *a, const void *b)
{
    unsigned x = ((const struct coded *)a)->code, y = ((const struct coded *)b)->code;
    return (x > y) - (x < y);
}

/* The first and last lines of a CMap. */
static const char cmap_head[] =
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n";
static const char cmap_tail[] =
    "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/* Appends the bfchar (first == last) or bfrange entries of a ToUnicode map in blocks of
 * at most 100, as CMaps allow: code, [last code,] code point, the codes width bytes wide. */
static size_t put_entries(char *t, size_t cap, size_t o, const unsigned (*e)[3], size_t n,
                          int range, int width)
{
    const char *kind = range ? "bfrange" : "bfchar";
    for (size_t i = 0; i < n; i += 100) {
        size_t block = n - i < 100 ? n - i : 100;
        o += (size_t)snprintf(t + o, cap - o, "%zu begin%s\n", block, kind);
        for (size_t k = i; k < i + block; k++) {
            if (range)
                o += (size_t)snprintf(t + o, cap - o, "<%0*X> <%0*X> <%04X>\n", width, e[k][0],
                                      width, e[k][1], e[k][2]);
            else
                o += (size_t)snprintf(t + o, cap - o, "<%0*X> <%04X>\n", width, e[k][0],
                                      e[k][2]);
        }
        o += (size_t)snprintf(t + o, cap - o, "end%s\n", kind);
    }
    return o;
}

/* Builds the subset's ToUnicode CMap: each code mapped to its code point. Codes that follow
 * each other with code points below U+0100 that follow each other share a bfrange entry;
 * every other code has a bfchar entry of its own. Ghostscript 10.0's text extraction
 * (txtwrite) reads a bfrange destination by its first byte: right below U+0100, but every
 * letter from U+0100 on (ă, đ, ơ, ư and the whole Latin Extended Additional block of
 * Vietnamese's stacked diacritics) came out shifted from a range. */
static int build_tounicode(struct pdffont_subset *s)
{
    size_t n = s->cp_count, cap = 512 + n * 32, o = 0, ranges = 0, singles = 0;
    char *t = malloc(cap);
    unsigned (*range)[3] = malloc((n ? n : 1) * sizeof *range);
    unsigned (*single)[3] = malloc((n ? n : 1) * sizeof *single);
    struct coded *c = malloc((n ? n : 1) * sizeof *c);
    if (!t || !range || !single || !c) {
        free(t);
        free(range);
        free(single);
        free(c);
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        c[k] = (struct coded){.code = s->single ? code_at(s, k) : s->cps[k], .k = k};
    qsort(c, n, sizeof *c, by_code);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && c[j].code == c[j - 1].code + 1 &&
               s->cps[c[j].k] == s->cps[c[j - 1].k] + 1 && s->cps[c[j].k] < 0x100)
            j++;
        unsigned (*to)[3] = j - i > 1 ? &range[ranges++] : &single[singles++];
        (*to)[0] = c[i].code;
        (*to)[1] = c[j - 1].code;
        (*to)[2] = s->cps[c[i].k];
        i = j;
    }
    int width = s->single ? 2 : 4;
    o += (size_t)snprintf(t + o, cap - o,
                          "%s/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> "
                          "def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                          "1 begincodespacerange\n%s\nendcodespacerange\n",
                          cmap_head, s->single ? "<00> <FF>" : "<0000> <FFFF>");
    o = put_entries(t, cap, o, (const unsigned (*)[3])single, singles, 0, width);
    o = put_entries(t, cap, o, (const unsigned (*)[3])range, ranges, 1, width);
    o += (size_t)snprintf(t + o, cap - o, "%s", cmap_tail);
    s->tounicode = deflate_all((unsigned char *)t, o, &s->tounicode_len);
    free(t);
    free(range);
    free(single);
    free(c);
    return s->tounicode ? 0 : -1;
}

/* Builds the one-byte identity CMap of single-byte fonts: codes 00 to FF, CID = code. */
static int build_cmap(struct pdffont_cache *c)
{
    char t[512];
    int n = snprintf(t, sizeof t,
                     "%s/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 "
                     ">> def\n/CMapName /" SINGLE_BYTE_CMAP " def\n/CMapType 1 def\n"
                     "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
                     "1 begincidrange\n<00> <FF> 0\nendcidrange\n%s",
                     cmap_head, cmap_tail);
    c->cmap = deflate_all((unsigned char *)t, (size_t)n, &c->cmap_len);
    return c->cmap ? 0 : -1;
}

void pdffont_cache_free(struct pdffont_cache *c)
{
    if (!c)
        return;
    for (int f = 0; f < FACE_COUNT; f++) {
        struct face_cache *fc = &c->faces[f];
        for (size_t i = 0; i < SUBSET_SLOTS; i++) {
            free(fc->slots[i].cps);
            free(fc->slots[i].codes);
            for (int p = 0; p < 256; p++)
                free(fc->slots[i].page[p]);
            free(fc->slots[i].program);
            free(fc->slots[i].cidmap);
            free(fc->slots[i].tounicode);
        }
        hb_font_destroy(fc->font);
        hb_face_destroy(fc->face);
    }
    free(c->cmap);
    free(c);
}

/* Takes the face the fontset read for subsetting; the descriptor values come from the
 * fontset (which the metrics came from) and the OS/2 table. */
static int open_face(struct face_cache *fc, const struct fontset *fs, enum vb_face face)
{
    fc->face = hb_face_reference(fs->face[face]);
    fc->font = hb_font_create(fc->face);
    hb_font_set_scale(fc->font, 1000, 1000);

    snprintf(fc->base_font, sizeof fc->base_font, "%s", fs->ps_name[face]);
    fc->ascent = fs->metrics.ascent[face];
    fc->descent = fs->metrics.descent[face];
    memcpy(fc->bbox, fs->bbox[face], sizeof fc->bbox);
    hb_position_t cap = 0;
    if (!hb_ot_metrics_get_position(fc->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) || cap <= 0)
        cap = fc->ascent;
    fc->cap_height = (int)cap;
    float slant = hb_style_get_value(fc->font, HB_STYLE_TAG_SLANT_ANGLE);
    fc->italic_angle = (int)(slant < 0 ? slant - 0.5f : slant + 0.5f);
    /* the usual estimate of the vertical stem from the weight class */
    float weight = hb_style_get_value(fc->font, HB_STYLE_TAG_WEIGHT);
    fc->stem_v = 50 + (int)((weight / 65.0f) * (weight / 65.0f));
    /* Serif (2) | Symbolic (4: Vietnamese is outside the standard Latin set) | Italic (64) */
    int italic = face == FACE_ITALIC || face == FACE_BOLD_ITALIC;
    fc->flags = 2 | 4 | (italic ? 64 : 0);
    return 0;
}

struct pdffont_cache *pdffont_cache_new(const struct fontset *fs)
{
    struct pdffont_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->metrics = &fs->metrics;
    for (int f = 0; f < FACE_COUNT; f++)
        if (open_face(&c->faces[f], fs, (enum vb_face)f) != 0) {
            pdffont_cache_free(c);
            return NULL;
        }
    if (build_cmap(c) != 0) {
        pdffont_cache_free(c);
        return NULL;
    }
    return c;
}

void pdffont_use_clear(struct pdffont_use *u)
{
    memset(u, 0, sizeof *u);
}

void pdffont_use_text(struct pdffont_use *u, enum vb_face face, const char *utf8)
{
    const char *p = utf8;
    while (*p) {
        uint32_t cp = text_next(&p);
        if (cp < 0x10000)
            u->bits[face][cp >> 6] |= (uint64_t)1 << (cp & 63);
    }
    u->used[face] = 1;
}

/* Lists the marked code points of a face, ascending, and hashes them (FNV-1a). */
static uint16_t *list_cps(const uint64_t *bits, size_t *count, uint64_t *hash)
{
    size_t n = 0;
    for (size_t w = 0; w < 65536 / 64; w++)
        n += (size_t)__builtin_popcountll(bits[w]);
    uint16_t *cps = malloc((n ? n : 1) * sizeof *cps);
    if (!cps)
        return NULL;
    uint64_t h = 1469598103934665603ULL;
    size_t k = 0;
    for (size_t w = 0; w < 65536 / 64; w++) {
        uint64_t b = bits[w];
        while (b) {
            unsigned bit = (unsigned)__builtin_ctzll(b);
            b &= b - 1;
            uint16_t cp = (uint16_t)(w * 64 + bit);
            cps[k++] = cp;
            h = (h ^ (cp & 0xFF)) * 1099511628211ULL;
            h = (h ^ (cp >> 8)) * 1099511628211ULL;
        }
    }
    *count = n;
    *hash = h ? h : 1;
    return cps;
}

static void free_subset(struct pdffont_subset *s)
{
    free(s->cps);
    free(s->codes);
    for (int p = 0; p < 256; p++)
        free(s->page[p]);
    free(s->program);
    free(s->cidmap);
    free(s->tounicode);
    memset(s, 0, sizeof *s);
}

/* Cuts the face to the glyphs of the code points, numbering them anew (HarfBuzz adds the
 * components of composite glyphs), and builds the CIDToGIDMap over the new numbers. */
static int build_subset(struct face_cache *fc, struct pdffont_subset *s)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return -1;
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_codepoint_t *gid_of = malloc(s->cp_count * sizeof *gid_of + 1);
    if (!gid_of) {
        hb_subset_input_destroy(in);
        return -1;
    }
    for (size_t i = 0; i < s->cp_count; i++) {
        hb_codepoint_t g = 0;
        hb_font_get_nominal_glyph(fc->font, s->cps[i], &g);
        gid_of[i] = g;
        hb_set_add(glyphs, g);
    }
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char *const dropped[] = {"GSUB", "GPOS", "GDEF", "kern", "gasp", "DSIG",
                                          "hdmx", "LTSH", "VDMX", "PCLT", "JSTF", "meta", "cmap", "name"};
    for (size_t i = 0; i < sizeof dropped / sizeof *dropped; i++)
        hb_set_add(drop, hb_tag_from_string(dropped[i], 4));

    int rc = -1;
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(fc->face, in);
    hb_face_t *cut = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    hb_blob_t *blob = cut ? hb_face_reference_blob(cut) : NULL;
    unsigned raw_len = 0;
    const char *raw = blob ? hb_blob_get_data(blob, &raw_len) : NULL;
    if (raw && raw_len) {
        const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
        size_t map_len = s->single ? 2 * 256 : 2 * ((size_t)s->cps[s->cp_count - 1] + 1);
        unsigned char *map = calloc(map_len, 1);
        if (map) {
            for (size_t i = 0; i < s->cp_count; i++) {
                hb_codepoint_t g = hb_map_get(old_to_new, gid_of[i]);
                if (g == HB_MAP_VALUE_INVALID)
                    g = 0;
                size_t code = s->single ? code_at(s, i) : s->cps[i];
                map[2 * code] = (unsigned char)(g >> 8);
                map[2 * code + 1] = (unsigned char)(g & 0xFF);
            }
            s->cidmap = deflate_all(map, map_len, &s->cidmap_len);
            s->program = deflate_all((const unsigned char *)raw, raw_len, &s->program_len);
            s->program_raw_len = raw_len;
            free(map);
            rc = s->cidmap && s->program && build_tounicode(s) == 0 ? 0 : -1;
        }
    }
    hb_blob_destroy(blob);
    hb_face_destroy(cut);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    free(gid_of);
    /* the tag: six capitals derived from the set, the same for the same glyphs */
    uint64_t h = s->key;
    for (int i = 0; i < 6; i++, h /= 26)
        s->tag[i] = (char)('A' + h % 26);
    s->tag[6] = '\0';
    return rc;
}

/* Finds the face's subset for the code points of bits, building it when it is not cached. */
static const struct pdffont_subset *find_subset(struct face_cache *fc, const uint64_t *bits)
{
    size_t n;
    uint64_t key;
    uint16_t *cps = list_cps(bits, &n, &key);
    if (!cps || n == 0) {
        free(cps);
        return NULL;
    }
    for (size_t i = 0; i < SUBSET_SLOTS; i++) {
        struct pdffont_subset *s = &fc->slots[i];
        if (s->key == key && s->cp_count == n && memcmp(s->cps, cps, n * sizeof *cps) == 0) {
            free(cps);
            return s;
        }
    }
    struct pdffont_subset *s = &fc->slots[fc->next_slot];
    fc->next_slot = (fc->next_slot + 1) % SUBSET_SLOTS;
    free_subset(s);
    s->key = key;
    s->cps = cps;
    s->cp_count = n;
    s->single = n - (cps[0] == ' ') <= SINGLE_BYTE_MAX;
    if ((s->single && assign_codes(s) != 0) || build_subset(fc, s) != 0) {
        free_subset(s);
        return NULL;
    }
    return s;
}

/* The /W array: runs of consecutive codes (CIDs) with their widths, in 1/1000 em. */
static HPDF_Array widths_array(HPDF_Doc pdf, const struct pdffont_subset *s,
                               const int16_t *advance)
{
    size_t n = s->cp_count;
    struct coded *c = malloc((n ? n : 1) * sizeof *c);
    HPDF_Array w = c ? HPDF_Array_New(pdf->mmgr) : NULL;
    for (size_t k = 0; c && k < n; k++)
        c[k] = (struct coded){.code = s->single ? code_at(s, k) : s->cps[k], .k = k};
    if (c)
        qsort(c, n, sizeof *c, by_code);    /* a single-byte space, 32, moves to its place */
    for (size_t i = 0; w && i < n;) {
        size_t j = i + 1;
        while (j < n && c[j].code == c[j - 1].code + 1)
            j++;
        HPDF_Array run = HPDF_Array_New(pdf->mmgr);
        if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)c[i].code) != HPDF_OK ||
            HPDF_Array_Add(w, run) != HPDF_OK)
            w = NULL;
        for (size_t k = i; w && k < j; k++) {
            int16_t a = advance[s->cps[c[k].k]];
            if (HPDF_Array_AddNumber(run, a > 0 ? a : 0) != HPDF_OK)
                w = NULL;
        }
        i = j;
    }
    free(c);
    return w;
}

static HPDF_Array int_array(HPDF_Doc pdf, const int *v, int n)
{
    HPDF_Array a = HPDF_Array_New(pdf->mmgr);
    for (int i = 0; a && i < n; i++)
        if (HPDF_Array_AddNumber(a, v[i]) != HPDF_OK)
            return NULL;
    return a;
}

/* Builds the Type0 font, its CIDFont, descriptor and streams for one face's subset. */
static HPDF_Dict add_face(HPDF_Doc pdf, const struct face_cache *fc,
                          const struct pdffont_subset *s, const int16_t *advance,
                          HPDF_Dict tounicode, HPDF_Dict encoding)
{
    char name[160];
    snprintf(name, sizeof name, "%s+%s", s->tag, fc->base_font);
    HPDF_MMgr mm = pdf->mmgr;

    HPDF_Dict program = pdfobj_deflated_stream(pdf, s->program, s->program_len);
    HPDF_Dict cidmap = pdfobj_deflated_stream(pdf, s->cidmap, s->cidmap_len);
    HPDF_Dict desc = HPDF_Dict_New(mm);
    HPDF_Dict cid = HPDF_Dict_New(mm);
    HPDF_Dict type0 = HPDF_Dict_New(mm);
    HPDF_Dict sysinfo = HPDF_Dict_New(mm);
    HPDF_Array descendants = HPDF_Array_New(mm);
    HPDF_Array w = widths_array(pdf, s, advance);
    HPDF_Array bbox = int_array(pdf, fc->bbox, 4);
    if (!program || !cidmap || !desc || !cid || !type0 || !sysinfo || !descendants || !w ||
        !bbox)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddNumber(program, "Length1", (HPDF_INT32)s->program_raw_len);
    rc |= HPDF_Xref_Add(pdf->xref, desc);
    rc |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    rc |= HPDF_Dict_AddName(desc, "FontName", name);
    rc |= HPDF_Dict_AddNumber(desc, "Flags", fc->flags);
    rc |= HPDF_Dict_Add(desc, "FontBBox", bbox);
    rc |= HPDF_Dict_AddNumber(desc, "ItalicAngle", fc->italic_angle);
    rc |= HPDF_Dict_AddNumber(desc, "Ascent", fc->ascent);
    rc |= HPDF_Dict_AddNumber(desc, "Descent", fc->descent);
    rc |= HPDF_Dict_AddNumber(desc, "CapHeight", fc->cap_height);
    rc |= HPDF_Dict_AddNumber(desc, "StemV", fc->stem_v);
    rc |= HPDF_Dict_Add(desc, "FontFile2", program);

    rc |= HPDF_Xref_Add(pdf->xref, cid);
    rc |= HPDF_Dict_AddName(cid, "Type", "Font");
    rc |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    rc |= HPDF_Dict_AddName(cid, "BaseFont", name);
    rc |= HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    rc |= HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    rc |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
    rc |= HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo);
    rc |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
    rc |= HPDF_Dict_Add(cid, "W", w);
    rc |= HPDF_Dict_Add(cid, "CIDToGIDMap", cidmap);

    rc |= HPDF_Xref_Add(pdf->xref, type0);
    rc |= HPDF_Dict_AddName(type0, "Type", "Font");
    rc |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
    rc |= HPDF_Dict_AddName(type0, "BaseFont", name);
    if (encoding)
        rc |= HPDF_Dict_Add(type0, "Encoding", encoding);
    else
        rc |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    rc |= HPDF_Array_Add(descendants, cid);
    rc |= HPDF_Dict_Add(type0, "DescendantFonts", descendants);
    rc |= HPDF_Dict_Add(type0, "ToUnicode", tounicode);
    return rc == HPDF_OK ? type0 : NULL;
}

/* Adds the one-byte identity CMap as a stream of the document. */
static HPDF_Dict add_cmap(const struct pdffont_cache *c, HPDF_Doc pdf)
{
    HPDF_Dict cmap = pdfobj_deflated_stream(pdf, c->cmap, c->cmap_len);
    HPDF_Dict sysinfo = HPDF_Dict_New(pdf->mmgr);
    if (!cmap || !sysinfo)
        return NULL;
    HPDF_STATUS rc = HPDF_Dict_AddName(cmap, "Type", "CMap");
    rc |= HPDF_Dict_AddName(cmap, "CMapName", SINGLE_BYTE_CMAP);
    rc |= HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
    rc |= HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
    rc |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
    rc |= HPDF_Dict_Add(cmap, "CIDSystemInfo", sysinfo);
    rc |= HPDF_Dict_AddNumber(cmap, "WMode", 0);
    return rc == HPDF_OK ? cmap : NULL;
}

int pdffont_add(struct pdffont_cache *c, HPDF_Doc pdf, const struct pdffont_use *u,
                struct pdffont_doc *out)
{
    HPDF_Dict cmap = NULL;
    for (int f = 0; f < FACE_COUNT; f++) {
        out->dict[f] = NULL;
        out->subset[f] = NULL;
        if (!u->used[f])
            continue;
        const struct pdffont_subset *s = find_subset(&c->faces[f], u->bits[f]);
        HPDF_Dict tounicode = s ? pdfobj_deflated_stream(pdf, s->tounicode, s->tounicode_len)
                                : NULL;
        if (!tounicode || (s->single && !cmap && !(cmap = add_cmap(c, pdf))))
            return -1;
        out->subset[f] = s;
        out->dict[f] = add_face(pdf, &c->faces[f], s, c->metrics->advance[f], tounicode,
                                s->single ? cmap : NULL);
        if (!out->dict[f])
            return -1;
    }
    return 0;
}

const unsigned char *const *pdffont_single_byte(const struct pdffont_doc *d, enum vb_face face)
{
    const struct pdffont_subset *s = d->subset[face];
    return s && s->single ? (const unsigned char *const *)s->page : NULL;
}

size_t pdffont_code(const struct pdffont_doc *d, enum vb_face face, uint32_t cp,
                    unsigned char code[2])
{
    const struct pdffont_subset *s = d->subset[face];
    if (!s || cp > 0xFFFF)
        return 0;
    if (s->single) {
        const unsigned char *page = s->page[cp >> 8];
        code[0] = page ? page[cp & 0xFF] : 0;
        return code[0] ? 1 : 0;
    }
    if (index_of(s, cp) < 0)
        return 0;
    code[0] = (unsigned char)(cp >> 8);
    code[1] = (unsigned char)(cp & 0xFF);
    return 2;
}
