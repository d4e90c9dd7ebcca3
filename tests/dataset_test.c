/*
 * dataset_test.c: unit tests for the units directory and the export reader (gen/dataset.c,
 * gen/ingest.c): every encoding (UTF-8 with and without BOM, Windows-1258, TCVN3, NFD
 * input), Excel's "sep=" line, each delimiter, each number form and the ambiguous one,
 * empty cells as "not applicable", quoted remarks with commas, quotes and newlines, extra
 * columns, positions of errors, duplicates across files, and streaming across read chunks.
 * The small legacy-encoded strings were made with Python's cp1258 codec and with
 * `iconv -t TCVN5712-1`, not with the code under test.
 */
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "ingest.h"

static int passed, failed;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (cond) {                                                                        \
            passed++;                                                                      \
        } else {                                                                           \
            failed++;                                                                      \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                    \
            printf(__VA_ARGS__);                                                           \
            printf("\n");                                                                  \
        }                                                                                  \
    } while (0)

static char tmpdir[256];
static char units_path[512];

#define HEADER "ma_don_vi,ten_don_vi,nam,so_doanh_nghiep,so_dn_co_cdcs,"                   \
    "so_dn_cdcs_qhld_hai_hoa,so_dn_cdcs_co_tuldtt,so_tuldtt_co_loi_hon,so_cuoc_doi_thoai,"  \
    "so_vu_tranh_chap,so_vu_tranh_chap_da_giai_quyet,so_cuoc_ngung_viec,"                  \
    "so_nguoi_ngung_viec,so_cuoc_thanh_tra_kiem_tra,so_vu_vi_pham_xu_ly,tien_phat,"        \
    "so_hoa_giai_vien,so_lop_tap_huan,so_luot_nguoi_tap_huan,so_cuoc_tuyen_truyen,ghi_chu"
/* the 17 counts of an ordinary row (ghi_chu follows); REST: all but the first two */
#define REST "450,400,260,12,3,3,,,5,2,1500000,4,6,320,15"
#define COUNTS "640,512," REST
#define EMPTY15 ",,,,,,,,,,,,,,,"        /* 15 empty cells, each after its comma */
#define EMPTY10 ",,,,,,,,,,"
#define EMPTY4 ",,,,"

/* Returns a copy of s with every c replaced by d (for the ';' and tab variants). */
static char *replace_char(const char *s, char c, char d)
{
    char *t = strdup(s);
    for (char *p = t; *p; p++)
        if (*p == c)
            *p = d;
    return t;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
    static char path[8][600];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, 600, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        exit(2);
    }
    fwrite(data, 1, len, f);
    fclose(f);
    return p;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

static struct dataset *open_units(struct vb_diags *diags)
{
    struct dataset *ds = NULL;
    enum vb_status st = ds_open(units_path, NULL, &ds, diags);
    CHECK(st == VB_OK && ds, "ds_open(%s) failed", units_path);
    if (!ds) {
        diag_print(diags, stdout);
        exit(1);
    }
    return ds;
}

static const struct ds_unit *unit(const struct dataset *ds, const char *code)
{
    for (size_t i = 0; i < ds->unit_count; i++)
        if (strcmp(ds->units[i].code, code) == 0)
            return &ds->units[i];
    return NULL;
}

/* Reads one export into a fresh dataset; *status receives ds_read_export's result. */
static struct dataset *read_one(const char *path, const struct ds_read_options *opt,
                                struct vb_diags *diags, enum vb_status *status)
{
    struct dataset *ds = open_units(diags);
    *status = ds_read_export(ds, path, opt, diags);
    return ds;
}

/* Checks that diags hold exactly one error at line:col whose message contains text. */
static void expect_one_error(const struct vb_diags *d, long line, long col, const char *text,
                             const char *what)
{
    CHECK(d->count == 1, "%s: %zu diagnostics, want 1", what, d->count);
    if (d->count >= 1) {
        const struct vb_diag *g = &d->items[0];
        CHECK(g->line == line && g->col == col, "%s: at %ld:%ld, want %ld:%ld (%s)", what,
              g->line, g->col, line, col, g->message);
        CHECK(strstr(g->message, text) != NULL, "%s: message '%s' lacks '%s'", what,
              g->message, text);
    }
    if (d->count > 1)
        diag_print(d, stdout);
}

static void expect_ks(const struct dataset *ds, const char *what)
{
    const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
    CHECK(r != NULL, "%s: no record for ST-KS 2023", what);
    if (!r)
        return;
    CHECK(strcmp(r->ten_don_vi, "Huyện Kế Sách") == 0, "%s: ten_don_vi '%s'", what,
          r->ten_don_vi);
    CHECK(r->present[DS_SO_DOANH_NGHIEP] && r->value[DS_SO_DOANH_NGHIEP] == 640,
          "%s: so_doanh_nghiep %lld", what, (long long)r->value[DS_SO_DOANH_NGHIEP]);
    CHECK(r->value[DS_TIEN_PHAT] == 1500000, "%s: tien_phat %lld", what,
          (long long)r->value[DS_TIEN_PHAT]);
    CHECK(!r->present[DS_SO_CUOC_NGUNG_VIEC] && !r->present[DS_SO_NGUOI_NGUNG_VIEC],
          "%s: empty cells must be 'not applicable'", what);
    CHECK(r->present[DS_SO_CUOC_TUYEN_TRUYEN] && r->value[DS_SO_CUOC_TUYEN_TRUYEN] == 15,
          "%s: so_cuoc_tuyen_truyen", what);
}

static void test_units(void)
{
    struct vb_diags d = {0};
    struct dataset *ds = open_units(&d);
    CHECK(ds->unit_count == 13, "samples/units.csv: %zu units, want 13", ds->unit_count);
    for (size_t i = 0; i < ds->unit_count; i++)
        CHECK(ds->units[i].order == (long)i + 1, "unit %zu has order %ld", i, ds->units[i].order);
    CHECK(strcmp(ds->units[0].code, "ST-TP") == 0 &&
          strcmp(ds->units[0].name, "Thành phố Sóc Trăng") == 0, "first unit");
    CHECK(strcmp(ds->units[12].level, "doan_the") == 0, "last unit's level");
    CHECK(strcmp(ds_field_name(DS_TIEN_PHAT), "tien_phat") == 0, "ds_field_name");
    ds_free(ds);
    diag_clear(&d);

    /* out of order in the file: kept in `order` order */
    const char *p = write_text("u1.csv", "code,name,level,order\nB,Huyện B,huyen,2\n"
                                         "A,Thành phố A,thanh_pho,1\n");
    CHECK(ds_open(p, NULL, &ds, &d) == VB_OK && ds->unit_count == 2 &&
          strcmp(ds->units[0].code, "A") == 0, "units sorted by order");
    ds_free(ds);
    diag_clear(&d);

    p = write_text("u2.csv", "code,name,level,order\nA,Huyện A,huyen,1\nA,Huyện A2,huyen,2\n"
                             "C,Huyện C,tinh,x\nD,Huyện D,huyen,1\n");
    CHECK(ds_open(p, NULL, &ds, &d) == VB_EINPUT && ds == NULL, "bad units directory refused");
    CHECK(d.count == 4, "bad units: %zu diagnostics, want 4", d.count);
    if (d.count == 4) {
        CHECK(d.items[0].line == 3 && d.items[0].col == 1 &&
              strstr(d.items[0].message, "duplicate code 'A': already defined at line 2"),
              "duplicate code: %ld:%ld %s", d.items[0].line, d.items[0].col, d.items[0].message);
        CHECK(d.items[1].line == 4 && d.items[1].col == 11 && strstr(d.items[1].message,
              "level 'tinh'"), "bad level: %ld:%ld", d.items[1].line, d.items[1].col);
        CHECK(d.items[2].line == 4 && d.items[2].col == 16 && strstr(d.items[2].message,
              "order 'x'"), "bad order: %ld:%ld", d.items[2].line, d.items[2].col);
        CHECK(d.items[3].line == 5 && strstr(d.items[3].message, "order 1 is already used"),
              "duplicate order");
    }
    diag_clear(&d);

    p = write_text("u3.csv", "code,name,order\nA,Huyện A,1\n");
    CHECK(ds_open(p, NULL, &ds, &d) == VB_EINPUT, "missing column refused");
    expect_one_error(&d, 1, 1, "missing column level", "units: missing column");
    diag_clear(&d);
}

static void test_utf8_forms(void)
{
    struct vb_diags d = {0};
    enum vb_status st;
    const char *text = HEADER "\nST-KS,Huyện Kế Sách,2023," COUNTS ",\n";

    struct dataset *ds = read_one(write_text("plain.csv", text), NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0, "UTF-8 without BOM");
    expect_ks(ds, "UTF-8 without BOM");
    ds_free(ds);
    diag_clear(&d);

    char *bom = malloc(strlen(text) + 4);
    sprintf(bom, "\xEF\xBB\xBF%s", text);
    ds = read_one(write_text("bom.csv", bom), NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0, "UTF-8 with BOM");
    expect_ks(ds, "UTF-8 with BOM");
    ds_free(ds);
    diag_clear(&d);
    free(bom);

    /* Excel on a Vietnamese locale: BOM, "sep=;", ';' and 1.234.567 */
    char *semi = replace_char(HEADER "\nST-KS;Huyện Kế Sách;2023;640;512;450;400;260;12;3;3;"
                              ";;5;2;1.500.000;4;6;320;15;Ghi chú, có dấu phẩy\r\n", ',', ';');
    /* the remark keeps its comma: put it back */
    char *comma = strstr(semi, "chú; có");
    comma[3 + 1] = ',';
    char *sep = malloc(strlen(semi) + 16);
    sprintf(sep, "\xEF\xBB\xBFsep=;\r\n%s", semi);
    ds = read_one(write_text("sep.csv", sep), NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0, "BOM + sep=; line");
    expect_ks(ds, "BOM + sep=; line");
    const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
    CHECK(r && r->line == 3, "sep=; line counts as line 1: record at line %ld", r ? r->line : 0);
    CHECK(r && r->ghi_chu && strcmp(r->ghi_chu, "Ghi chú, có dấu phẩy") == 0,
          "remark with a comma in a ';' file: '%s'", r && r->ghi_chu ? r->ghi_chu : "");
    ds_free(ds);
    diag_clear(&d);
    ds = read_one(write_text("sep2.csv", sep + 3), NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0, "sep=; line without BOM");
    expect_ks(ds, "sep=; without BOM");
    ds_free(ds);
    diag_clear(&d);
    ds = read_one(write_text("semi.csv", semi), NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0, "';' detected without sep= line");
    expect_ks(ds, "';' detected");
    ds_free(ds);
    diag_clear(&d);
    free(sep);
    free(semi);

    /* NFD input (e.g. from a macOS keyboard) comes out NFC */
    const char *nfd = HEADER "\nST-KS,Huye\xcc\x82\xcc\xa3n Ke\xcc\x82\xcc\x81 Sa\xcc\x81" "ch,"
                             "2023," COUNTS ",Ngu\xcc\x9bo\xcc\x9b\xcc\x80i\n";
    ds = read_one(write_text("nfd.csv", nfd), NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0, "NFD input");
    expect_ks(ds, "NFD input");
    r = ds_find(ds, unit(ds, "ST-KS"), 2023);
    CHECK(r && r->ghi_chu && strcmp(r->ghi_chu, "Người") == 0, "NFD remark made NFC");
    ds_free(ds);
    diag_clear(&d);
}

/* ds_file_at: each file's detected format and rows, in reading order; an empty row of
 * delimiters is not a row, a file that cannot be read has no encoding. */
static void test_file_info(void)
{
    struct vb_diags d = {0};
    struct dataset *ds = open_units(&d);
    char *semi = replace_char("\xEF\xBB\xBFsep=;\n" HEADER "\n"
                              "ST-KS,Huyện Kế Sách,2023," COUNTS ",\n" EMPTY15 EMPTY4 ",\n"
                              "ST-VC,Thị xã Vĩnh Châu,2023," COUNTS ",\n", ',', ';');
    const char *a = write_text("info-a.csv", semi);
    free(semi);
    char *tab = replace_char(HEADER "\nST-CT,Huyện Châu Thành,2023," COUNTS ",\n", ',', '\t');
    const char *b = write_text("info-b.csv", tab);
    free(tab);
    ds_read_export(ds, a, NULL, &d);
    ds_read_export(ds, b, NULL, &d);
    ds_read_export(ds, "/nonexistent/info-c.csv", NULL, &d);
    CHECK(ds_file_count(ds) == 3, "three files read: %zu", ds_file_count(ds));
    if (ds_file_count(ds) == 3) {
        const struct ds_file_info *fa = ds_file_at(ds, 0), *fb = ds_file_at(ds, 1),
                                  *fc = ds_file_at(ds, 2);
        CHECK(strcmp(fa->path, a) == 0 && fa->encoding && strcmp(fa->encoding, "UTF-8") == 0 &&
              fa->delimiter == ';' && fa->had_bom && fa->had_sep_line && fa->rows == 2,
              "BOM, sep=; file: %s %c bom %d sep %d rows %ld", fa->encoding, fa->delimiter,
              fa->had_bom, fa->had_sep_line, fa->rows);
        CHECK(strcmp(fb->path, b) == 0 && fb->delimiter == '\t' && fb->rows == 1 &&
              !fb->had_bom, "tab file: %c rows %ld", fb->delimiter, fb->rows);
        CHECK(fc->encoding == NULL && fc->rows == 0, "unreadable file: no encoding");
    }
    ds_free(ds);
    diag_clear(&d);
}

static void test_legacy_encodings(void)
{
    struct vb_diags d = {0};
    enum vb_status st;
    static const char cp1258[] = HEADER "\nST-KS,Huy\xea\xf2n K\xea\xec S\xe1" "ch,2023,"
        COUNTS ",Ng\xfd\xf5\xcci lao \xf0\xf4\xf2ng \xf0\xfd\xf5\xf2" "c ba\xd2o v\xea\xf2 "
        "quy\xea\xccn l\xf5\xf2i h\xf5\xf2p ph\xe1p\n"
        "ST-VC,Thi\xf2 xa\xde Vi\xdenh Ch\xe2u,2023,10,-1" EMPTY15 ",\n";
    static const char tcvn[] = HEADER "\nST-KS,Huy\xd6n K\xd5 S\xb8" "ch,2023," COUNTS
        ",Ng\xad\xeai lao \xae\xe9ng \xae\xad\xee" "c b\xb6o v\xd6 quy\xd2n l\xeei h\xeep "
        "ph\xb8p\nST-VC,Th\xde x\xb7 V\xdcnh Ch\xa9u,2023,10,-1" EMPTY15 ",\n";
    static const struct { const char *name, *data, *want; size_t len; } files[] = {
        {"cp1258.csv", cp1258, "CP1258", sizeof cp1258 - 1},
        {"tcvn3.csv", tcvn, "TCVN5712-1", sizeof tcvn - 1},
    };
    for (size_t i = 0; i < 2; i++) {
        const char *p = write_file(files[i].name, files[i].data, files[i].len);
        CHECK(strcmp(ingest_guess_encoding((const unsigned char *)files[i].data, files[i].len),
                     files[i].want) == 0, "%s detected as %s", files[i].name, files[i].want);
        struct dataset *ds = read_one(p, NULL, &d, &st);
        CHECK(st == VB_EINPUT, "%s: the negative count is an error", files[i].name);
        /* the column counts characters of the decoded text: "ST-VC,Thị xã Vĩnh Châu,2023,10," */
        expect_one_error(&d, 3, 32, "so_dn_co_cdcs (-1) is negative", files[i].name);
        expect_ks(ds, files[i].name);
        const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
        CHECK(r && r->ghi_chu &&
              strcmp(r->ghi_chu, "Người lao động được bảo vệ quyền lợi hợp pháp") == 0,
              "%s: remark '%s'", files[i].name, r && r->ghi_chu ? r->ghi_chu : "");
        CHECK(ds_find(ds, unit(ds, "ST-VC"), 2023) == NULL, "%s: a row with errors is not "
              "recorded", files[i].name);
        /* what the web page shows of the file: its encoding, delimiter and rows */
        CHECK(ds_file_count(ds) == 1, "%s: one file read", files[i].name);
        const struct ds_file_info *fi = ds_file_count(ds) ? ds_file_at(ds, 0) : NULL;
        CHECK(fi && strcmp(fi->path, p) == 0 && fi->encoding &&
              strcmp(fi->encoding, files[i].want) == 0 && fi->delimiter == ',' &&
              fi->rows == 2 && !fi->had_bom && !fi->had_sep_line,
              "%s: file info %s %c %ld", files[i].name, fi && fi->encoding ? fi->encoding : "-",
              fi ? fi->delimiter : '-', fi ? fi->rows : -1L);
        ds_free(ds);
        diag_clear(&d);
    }
    /* the option overrides detection: TCVN3 bytes read as Windows-1258 give other text */
    struct ds_read_options opt = {.encoding = "CP1258"};
    struct dataset *ds = read_one(write_file("forced.csv", tcvn, sizeof tcvn - 1), &opt, &d,
                                  &st);
    const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
    CHECK(r && strcmp(r->ten_don_vi, "Huyện Kế Sách") != 0, "forced encoding is used");
    ds_free(ds);
    diag_clear(&d);
    opt.encoding = "TCVN3";
    ds = read_one(write_file("forced2.csv", tcvn, sizeof tcvn - 1), &opt, &d, &st);
    expect_ks(ds, "forced TCVN3");
    ds_free(ds);
    diag_clear(&d);
    /* Excel's "Unicode Text": UTF-16LE with BOM, tab-delimited */
    char *tab = replace_char(HEADER "\nST-KS,Huyện Kế Sách,2023," COUNTS ",\n", ',', '\t');
    iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
    char buf[4096] = "\xFF\xFE", *in = tab, *out = buf + 2;
    size_t inleft = strlen(tab), outleft = sizeof buf - 2;
    iconv(cd, &in, &inleft, &out, &outleft);
    iconv_close(cd);
    ds = read_one(write_file("utf16.csv", buf, (size_t)(out - buf)), NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0, "UTF-16LE with BOM");
    expect_ks(ds, "UTF-16LE");
    ds_free(ds);
    diag_clear(&d);
    free(tab);
}

/* Writes a file far larger than one 64 KiB read, in an encoding through glibc, so that
 * Windows-1258's held-back letters cross chunk boundaries; checks every record. */
static void test_streaming(const char *encoding)
{
    const char *remark = "Người lao động được bảo vệ quyền lợi hợp pháp; Thị xã Vĩnh Châu";
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap);
    len += (size_t)sprintf(text, "%s\r\n", HEADER);
    static const char *const codes[] = {"ST-TP", "ST-VC", "ST-NN", "ST-CT", "ST-KS", "ST-MT",
                                        "ST-CLD", "ST-LP", "ST-MX", "ST-TT", "ST-TD"};
    size_t rows = 0;
    for (int year = 1950; year < 2050; year++)
        for (size_t u = 0; u < 11; u++, rows++)
            len += (size_t)sprintf(text + len, "%s,Đơn vị số %zu,%d,%zu,1" EMPTY10
                                   ",%zu" EMPTY4 ",\"%s\"\r\n", codes[u], u, year, rows + 1, rows * 1000,
                                   remark);
    char *encoded = malloc(cap * 2);
    iconv_t cd = iconv_open(encoding, "UTF-8");
    char *in = text, *out = encoded;
    size_t inleft = len, outleft = cap * 2;
    size_t rc = iconv(cd, &in, &inleft, &out, &outleft);
    iconv(cd, NULL, NULL, &out, &outleft);
    iconv_close(cd);
    CHECK(rc != (size_t)-1, "%s: test data encodes", encoding);
    char name[64];
    snprintf(name, sizeof name, "big-%s.csv", encoding);
    const char *p = write_file(name, encoded, (size_t)(out - encoded));
    struct vb_diags d = {0};
    enum vb_status st;
    struct dataset *ds = read_one(p, NULL, &d, &st);
    CHECK(st == VB_OK && d.count == 0 && ds->record_count == rows,
          "%s: %zu of %zu rows recorded, %zu diagnostics", encoding, ds->record_count, rows,
          d.count);
    diag_print(&d, stdout);
    size_t good = 0;
    for (size_t i = 0; i < ds->record_count; i++) {
        const struct ds_record *r = &ds->records[i];
        good += r->ghi_chu && strcmp(r->ghi_chu, remark) == 0 && r->line == (long)i + 2 &&
                r->value[DS_SO_DOANH_NGHIEP] == (int64_t)i + 1 &&
                r->value[DS_TIEN_PHAT] == (int64_t)i * 1000;
    }
    CHECK(good == rows, "%s: %zu of %zu records exact", encoding, good, rows);
    ds_free(ds);
    diag_clear(&d);
    free(text);
    free(encoded);
}

static void test_numbers(void)
{
    struct vb_diags d = {0};
    enum vb_status st;
    static const struct {
        const char *name, *text;
        long long want;          /* so_doanh_nghiep, or -1 for an error */
        const char *error;
    } cases[] = {
        {"plain", HEADER "\nST-KS,K,2023, 1234567 ,," REST ",", 1234567, NULL},
        {"comma-grouped", HEADER "\nST-KS,K,2023,\"1,234,567\",," REST ",", 1234567, NULL},
        {"comma-dot", HEADER "\nST-KS,K,2023,1.234,," REST ",", -1, "has a decimal part"},
        {"comma-bad-group", HEADER "\nST-KS,K,2023,\"12,34\",," REST ",", -1,
         "grouped wrongly"},
        {"semi-dots", "sep=;\n" HEADER "\nST-KS,K,2023,1.234.567,," REST ",", 1234567, NULL},
        {"semi-fraction", "sep=;\n" HEADER "\nST-KS,K,2023,\"12,5\",," REST ",", -1,
         "has a decimal part"},
        {"semi-zero-fraction", "sep=;\n" HEADER "\nST-KS,K,2023,\"640,00\",," REST ",", -1,
         "a count must be a whole number"},
        {"too-large", HEADER "\nST-KS,K,2023,99999999999999999999,," REST ",", -1,
         "'99999999999999999999' is larger than any real count: vanban accepts at most "
         "999.999.999.999.999 (15 digits)"},
        {"nineteen-digits", HEADER "\nST-KS,K,2023,9999999999999999999,," REST ",", -1,
         "'9999999999999999999' is larger than any real count"},
        {"at-the-limit", HEADER "\nST-KS,K,2023,999999999999999,," REST ",",
         999999999999999, NULL},
        {"past-the-limit", HEADER "\nST-KS,K,2023,1000000000000000,," REST ",", -1,
         "'1000000000000000' is larger than any real count"},
        {"semi-past-the-limit", "sep=;\n" HEADER "\nST-KS,K,2023,1.000.000.000.000.000,," REST
         ",", -1, "'1.000.000.000.000.000' is larger than any real count"},
        {"text", HEADER "\nST-KS,K,2023,nhiều,," REST ",", -1, "not a whole number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        /* cases marked sep=; are written with ';' between the cells */
        char *text = strncmp(cases[i].text, "sep=;", 5) == 0
                     ? replace_char(cases[i].text, ',', ';') : strdup(cases[i].text);
        if (strncmp(text, "sep=;", 5) == 0) {   /* keep the decimal commas inside quotes */
            for (char *q = strchr(text, '"'); q && strchr(q + 1, '"'); q = strchr(q + 1, '"')) {
                char *e = strchr(q + 1, '"');
                for (char *c = q + 1; c < e; c++)
                    if (*c == ';')
                        *c = ',';
                q = e;
            }
        }
        char name[64];
        snprintf(name, sizeof name, "num-%s.csv", cases[i].name);
        size_t n = strlen(text);
        text = realloc(text, n + 2);
        strcpy(text + n, "\n");
        struct dataset *ds = read_one(write_text(name, text), NULL, &d, &st);
        const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
        if (cases[i].want >= 0) {
            CHECK(st == VB_OK && r && r->value[DS_SO_DOANH_NGHIEP] == cases[i].want,
                  "%s: got %lld, want %lld", cases[i].name,
                  r ? (long long)r->value[DS_SO_DOANH_NGHIEP] : -1, cases[i].want);
            if (d.count)
                diag_print(&d, stdout);
        } else {
            CHECK(st == VB_EINPUT && !r, "%s: must be an error", cases[i].name);
            expect_one_error(&d, strncmp(text, "sep", 3) ? 2 : 3, 14, cases[i].error,
                             cases[i].name);
        }
        ds_free(ds);
        diag_clear(&d);
        free(text);
    }

    /* tab: the decimal mark comes from the file's own values */
    static const struct { const char *name, *extra, *value; long long want; } tabs[] = {
        {"tab-evidence-comma", "12,5", "1.234", 1234},
        {"tab-evidence-comma2", "1.234,5", "1.234.567", 1234567},
        {"tab-evidence-dot", "1,234.5", "1,234", 1234},
        {"tab-self-evidence", "7", "1.234.567", 1234567},
        {"tab-no-evidence", "7", "1.234", -1},
        {"tab-conflict", "12,5\t1,234.5", "1.234", -1},
        {"tab-plain", "", "640", 640},
    };
    for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++) {
        char text[2048];
        int two = strchr(tabs[i].extra, '\t') != NULL;
        char *header = replace_char(HEADER, ',', '\t'), *rest = replace_char(REST, ',', '\t');
        snprintf(text, sizeof text, "%s\tty_le%s\nST-KS\tHuyện Kế Sách\t2023\t%s\t\t%s\t\t%s\n",
                 header, two ? "\tty_le2" : "", tabs[i].value, rest, tabs[i].extra);
        free(header);
        free(rest);
        char *t = strdup(text);
        char name[64];
        snprintf(name, sizeof name, "%s.csv", tabs[i].name);
        struct dataset *ds = read_one(write_text(name, t), NULL, &d, &st);
        const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
        if (tabs[i].want >= 0) {
            CHECK(st == VB_OK && r && r->value[DS_SO_DOANH_NGHIEP] == tabs[i].want,
                  "%s: got %lld, want %lld", tabs[i].name,
                  r ? (long long)r->value[DS_SO_DOANH_NGHIEP] : -1, tabs[i].want);
            CHECK(r && r->extra_count == 1u + two && strcmp(r->extra[0].name, "ty_le") == 0,
                  "%s: extra column kept", tabs[i].name);
            if (d.count)
                diag_print(&d, stdout);
        } else {
            CHECK(st == VB_EINPUT && !r, "%s: must be an error", tabs[i].name);
            expect_one_error(&d, 2, 26, "is ambiguous", tabs[i].name);
        }
        ds_free(ds);
        diag_clear(&d);
        free(t);
    }
}

static void test_cells(void)
{
    struct vb_diags d = {0};
    enum vb_status st;
    /* a quoted remark with commas, doubled quotes and a line break; CRLF line ends;
     * extra columns before and after; the next row's line number is right */
    const char *text = "dot_bao_cao," HEADER ",nguoi_lap\r\n"
        "Đợt 1,ST-KS,Huyện Kế Sách,2023," COUNTS ",\"Số liệu \"\"tạm\"\", có dấu phẩy,\r\n"
        "dòng hai\",Nguyễn Văn A\r\n"
        ",ST-MT,Huyện Mỹ Tú,2023,," EMPTY15 ",,\r\n"
        ",ST-CT,Huyện Châu Thành,2023,10,11" EMPTY15 ",,\r\n";
    struct dataset *ds = read_one(write_text("cells.csv", text), NULL, &d, &st);
    CHECK(st == VB_EINPUT, "cells: the part larger than its whole is an error");
    expect_one_error(&d, 5, 33, "so_dn_co_cdcs (11) is larger than so_doanh_nghiep (10): a "
                     "part cannot exceed its whole", "cells: part/whole after a multi-line cell");
    expect_ks(ds, "cells");
    const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
    CHECK(r && r->ghi_chu && strcmp(r->ghi_chu, "Số liệu \"tạm\", có dấu phẩy,\r\ndòng hai") == 0,
          "quoted remark: '%s'", r && r->ghi_chu ? r->ghi_chu : "");
    CHECK(r && r->extra_count == 2 && strcmp(r->extra[0].name, "dot_bao_cao") == 0 &&
          strcmp(r->extra[0].value, "Đợt 1") == 0 && strcmp(r->extra[1].name, "nguoi_lap") == 0 &&
          strcmp(r->extra[1].value, "Nguyễn Văn A") == 0, "extra columns kept");
    r = ds_find(ds, unit(ds, "ST-MT"), 2023);
    CHECK(r && r->line == 4 && r->ghi_chu == NULL && r->extra[0].value == NULL,
          "row after a multi-line cell is at line 4; empty cells are NULL");
    for (int f = 0; r && f < DS_FIELD_COUNT; f++)
        CHECK(!r->present[f], "all-empty row: %s not applicable", ds_field_name(f));
    CHECK(ds_find(ds, unit(ds, "ST-TP"), 2023) == NULL, "a unit that sent nothing");
    CHECK(ds_find(ds, unit(ds, "ST-KS"), 2022) == NULL, "another year");
    ds_free(ds);
    diag_clear(&d);
}

static void test_across_files(void)
{
    struct vb_diags d = {0};
    struct dataset *ds = open_units(&d);
    const char *a = write_text("a.csv", HEADER "\nST-KS,Huyện Kế Sách,2023," COUNTS ",\n");
    /* ST-KS 2023 again with other figures (a count one more): an error */
    char *semi = replace_char(HEADER "\nST-MT,Huyện Mỹ Tú,2022," COUNTS ",\n"
                              "ST-KS,Huyện Kế Sách,2023,2" COUNTS ",\n"
                              "ST-KS,Huyện Kế Sách,2022," COUNTS ",\n", ',', ';');
    const char *b = write_text("b.csv", semi);
    CHECK(ds_read_export(ds, a, NULL, &d) == VB_OK, "first file");
    CHECK(ds_read_export(ds, b, NULL, &d) == VB_EINPUT, "second file has a duplicate");
    char want[1024];
    snprintf(want, sizeof want, "unit ST-KS already reported for 2023 at %s:2: a unit sends "
             "one row per year (this one has other figures", a);
    expect_one_error(&d, 3, 1, want, "duplicate across files");
    CHECK(ds->record_count == 3, "three records: %zu", ds->record_count);
    const struct ds_record *r = ds_find(ds, unit(ds, "ST-KS"), 2023);
    CHECK(r && strcmp(r->file, a) == 0 && r->line == 2, "the first report is kept");
    /* the same row sent again, figures unchanged (a resubmitted file): a warning, once */
    diag_clear(&d);
    const char *c = write_text("c.csv", HEADER "\nST-KS,Kế Sách,2023," COUNTS ",ghi lại\n");
    CHECK(ds_read_export(ds, c, NULL, &d) == VB_OK, "a resubmitted copy is not an error");
    CHECK(d.count == 1 && d.items[0].severity == VB_WARNING && d.items[0].line == 2 &&
          strstr(d.items[0].message, "sent again, with the same figures as at") &&
          strstr(d.items[0].message, "counted once"), "a resubmitted copy is warned about");
    CHECK(ds->record_count == 3, "and counted once: %zu records", ds->record_count);
    ds_free(ds);
    diag_clear(&d);
    free(semi);
}

static void test_structure(void)
{
    struct vb_diags d = {0};
    enum vb_status st;
    /* one problem per row; the good rows between them are still recorded */
    const char *text = HEADER "\n"
        "ST-TP,Thành phố,2023," COUNTS ",x,y\n"                 /* 2: too many cells */
        "ST-VC,Thị xã \"Vĩnh\" Châu,2023," COUNTS ",\n"         /* 3: stray quote */
        "ST-NN,Thị xã Ngã Năm,2023," COUNTS ",\n"               /* 4: good */
        "ST-CT,Huyện \xff,2023," COUNTS ",\n"                   /* 5: invalid byte */
        "ST-KS,Huyện Kế Sách,2023," COUNTS ",\"chưa đóng\n";   /* 6: unterminated */
    struct dataset *ds = read_one(write_text("structure.csv", text), NULL, &d, &st);
    CHECK(st == VB_EINPUT && d.count == 4, "structure: %zu diagnostics, want 4", d.count);
    static const struct { long line, col; const char *text; } want[] = {
        {2, 76, "row has 22 cells but the header has 21"},
        {3, 14, "stray quote"},
        {5, 13, "invalid UTF-8 byte 0xFF"},
        {6, 78, "unterminated quoted cell"},
    };
    for (size_t i = 0; i < 4 && i < d.count; i++)
        CHECK(d.items[i].line == want[i].line && d.items[i].col == want[i].col &&
              strstr(d.items[i].message, want[i].text), "structure %zu: %ld:%ld %s", i,
              d.items[i].line, d.items[i].col, d.items[i].message);
    CHECK(ds->record_count == 1 && ds_find(ds, unit(ds, "ST-NN"), 2023), "only the good row");
    ds_free(ds);
    diag_clear(&d);

    ds = read_one(tmpdir, NULL, &d, &st);   /* a folder, not a file */
    CHECK(st != VB_OK && d.count >= 1, "unreadable export refused");
    ds_free(ds);
    diag_clear(&d);
}

/* Workbooks as units send them: Excel's (title rows, a date, a count typed as text, rich
 * text), LibreOffice's (a two-row merged header, a numbering row), a streaming writer's
 * (inline strings): every figure, text and place as the sheet has it. */
static void test_workbooks(void)
{
    struct vb_diags d = {0};
    const char *srcdir = getenv("top_srcdir");
    char units[1024], path[1024];
    snprintf(units, sizeof units, "%s/samples/units-dak-lak.csv", srcdir ? srcdir : ".");
    struct dataset *ds = NULL;
    CHECK(ds_open(units, NULL, &ds, &d) == VB_OK, "Đắk Lắk's units directory");
    if (!ds)
        return;
    static const char *const books[] = {"dl-bmt", "dl-bh", "dl-kp"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/samples/exports-dak-lak/2024/%s.xlsx",
                 srcdir ? srcdir : ".", books[i]);
        CHECK(ds_read_export(ds, path, NULL, &d) == VB_OK, "%s reads", books[i]);
    }
    CHECK(d.count == 0, "no message: %zu", d.count);
    if (d.count)
        diag_print(&d, stdout);
    const struct ds_record *r = ds_find(ds, ds_unit_find(ds, "DL-BMT"), 2024);
    CHECK(r && r->line == 5 && r->col[DS_SO_DOANH_NGHIEP] == 4, "Excel's: the row under two "
          "title rows and the header, at row 5, column D");
    CHECK(r && strstr(r->file, "dl-bmt.xlsx:'Báo cáo 2024'!") != NULL,
          "Excel's: placed in its sheet, its name quoted: %s", r ? r->file : "");
    int date_ok = 0, text_count_ok = r && r->present[DS_SO_LUOT_NGUOI_TAP_HUAN] &&
                                    r->value[DS_SO_LUOT_NGUOI_TAP_HUAN] == 630;
    for (size_t x = 0; r && x < r->extra_count; x++)
        date_ok |= strcmp(r->extra[x].name, "ngay_bao_cao") == 0 && r->extra[x].value &&
                   strcmp(r->extra[x].value, "2024-10-30") == 0;
    CHECK(date_ok, "Excel's: a date cell (serial 45595, dd/mm/yyyy) reads 2024-10-30");
    CHECK(text_count_ok, "Excel's: a count typed as text is read");
    CHECK(r && r->ghi_chu && strcmp(r->ghi_chu, "Số liệu doanh nghiệp theo Cục Thống kê tỉnh "
                                    "đến 30/9/2024") == 0, "Excel's: rich text runs joined");
    r = ds_find(ds, ds_unit_find(ds, "DL-BH"), 2024);
    CHECK(r && r->line == 4 && r->present[DS_SO_DOANH_NGHIEP],
          "LibreOffice's: the row under the merged group titles, the names and the "
          "numbering row, at row 4");
    r = ds_find(ds, ds_unit_find(ds, "DL-KP"), 2024);
    CHECK(r && r->line == 2 && r->ten_don_vi && strcmp(r->ten_don_vi, "Huyện Krông Pắc") == 0,
          "inline strings: names read");
    ds_free(ds);
    diag_clear(&d);
}

int main(void)
{
    const char *srcdir = getenv("top_srcdir");
    snprintf(units_path, sizeof units_path, "%s/samples/units.csv", srcdir ? srcdir : ".");
    snprintf(tmpdir, sizeof tmpdir, "%s/vanban-dataset.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_units();
    test_utf8_forms();
    test_legacy_encodings();
    test_file_info();
    test_streaming("CP1258");
    test_streaming("TCVN5712-1");
    test_streaming("UTF-8");
    test_numbers();
    test_cells();
    test_across_files();
    test_structure();
    test_workbooks();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", tmpdir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
