/*
 * unit.c: unit tests for the formatting rules and the line breaker: the decree's date zero
 * rule, document number padding, grouped numbers, Roman numerals, điểm letters, Vietnamese
 * upper case, NFC, greedy breaking and justification widths (with the real font metrics),
 * XML escaping, the sidecar's name, the ND30 record (signer's chức vụ, "Như trên") and the
 * signature fields' geometry.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "fontset.h"
#include "layout.h"
#include "linebreak.h"
#include "meta.h"
#include "metrics.h"
#include "paths.h"
#include "pdfsign.h"
#include "text.h"
#include "vnformat.h"
#include "xmlout.h"

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

static void expect_str(const char *got, const char *want, const char *what)
{
    CHECK(strcmp(got, want) == 0, "%s: got '%s', want '%s'", what, got, want);
}

static void test_dates(void)
{
    static const struct { const char *iso, *words; } cases[] = {
        {"2020-11-02", "ngày 02 tháng 11 năm 2020"}, {"2020-01-05", "ngày 05 tháng 01 năm 2020"},
        {"2020-02-17", "ngày 17 tháng 02 năm 2020"}, {"2019-06-29", "ngày 29 tháng 6 năm 2019"},
        {"2026-03-09", "ngày 09 tháng 3 năm 2026"},  {"2026-09-10", "ngày 10 tháng 9 năm 2026"},
        {"2026-10-01", "ngày 01 tháng 10 năm 2026"}, {"2026-12-31", "ngày 31 tháng 12 năm 2026"},
        {"2024-02-29", "ngày 29 tháng 02 năm 2024"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct vn_date d;
        char buf[64];
        CHECK(vn_date_parse(cases[i].iso, &d) == 0, "parse %s", cases[i].iso);
        expect_str(vn_date_words(&d, buf, sizeof buf), cases[i].words, cases[i].iso);
    }
    static const char *bad[] = {"2023-02-29", "2020-13-01", "2020-00-10", "2020-1-05",
                                "20-01-2020", "2020-04-31", "", "2020-01-05T00:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct vn_date d;
        CHECK(vn_date_parse(bad[i], &d) != 0, "date '%s' should be rejected", bad[i]);
    }
}

static void test_numbers(void)
{
    char buf[64];
    expect_str(vn_doc_number("5", buf, sizeof buf), "05", "doc number 5");
    expect_str(vn_doc_number("05", buf, sizeof buf), "05", "doc number 05");
    expect_str(vn_doc_number("10", buf, sizeof buf), "10", "doc number 10");
    expect_str(vn_doc_number("1182", buf, sizeof buf), "1182", "doc number 1182 (never grouped)");
    expect_str(vn_group_int(1234567, buf, sizeof buf), "1.234.567", "group 1234567");
    expect_str(vn_group_int(999, buf, sizeof buf), "999", "group 999");
    expect_str(vn_group_int(1000, buf, sizeof buf), "1.000", "group 1000");
    expect_str(vn_group_int(-1234, buf, sizeof buf), "-1.234", "group -1234");
    expect_str(vn_decimal(89.54, 1, buf, sizeof buf), "89,5", "decimal 89.54");
    expect_str(vn_decimal(1977.66, 1, buf, sizeof buf), "1.977,7", "decimal 1977.66");
    expect_str(vn_decimal(100, 1, buf, sizeof buf), "100,0", "decimal 100");
    expect_str(vn_roman(1, buf, sizeof buf), "I", "roman 1");
    expect_str(vn_roman(4, buf, sizeof buf), "IV", "roman 4");
    expect_str(vn_roman(14, buf, sizeof buf), "XIV", "roman 14");
    expect_str(vn_point_letter(4), "d", "point 4");
    expect_str(vn_point_letter(5), "đ", "point 5");
    expect_str(vn_point_letter(6), "e", "point 6");
    expect_str(vn_point_letter(7), "g", "point 7 (no f)");
}

/* Phụ lục III: every type's name and form; the ký hiệu of a named type, a công văn and a
 * văn bản liên tịch. */
static void test_types(void)
{
    static const char *const table[][2] = {
        {"NQ", "NGHỊ QUYẾT"}, {"QĐ", "QUYẾT ĐỊNH"}, {"CT", "CHỈ THỊ"}, {"QC", "QUY CHẾ"},
        {"QyĐ", "QUY ĐỊNH"}, {"TC", "THÔNG CÁO"}, {"TB", "THÔNG BÁO"}, {"HD", "HƯỚNG DẪN"},
        {"CTr", "CHƯƠNG TRÌNH"}, {"KH", "KẾ HOẠCH"}, {"PA", "PHƯƠNG ÁN"}, {"ĐA", "ĐỀ ÁN"},
        {"DA", "DỰ ÁN"}, {"BC", "BÁO CÁO"}, {"BB", "BIÊN BẢN"}, {"TTr", "TỜ TRÌNH"},
        {"HĐ", "HỢP ĐỒNG"}, {"CĐ", "CÔNG ĐIỆN"}, {"BGN", "BẢN GHI NHỚ"},
        {"BTT", "BẢN THỎA THUẬN"}, {"GUQ", "GIẤY ỦY QUYỀN"}, {"GM", "GIẤY MỜI"},
        {"GGT", "GIẤY GIỚI THIỆU"}, {"GNP", "GIẤY NGHỈ PHÉP"}, {"PG", "PHIẾU GỬI"},
        {"PC", "PHIẾU CHUYỂN"}, {"PB", "PHIẾU BÁO"}, {"CV", "CÔNG VĂN"}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const struct doc_type *t = doc_type_find(table[i][0]);
        CHECK(t != NULL, "type %s known", table[i][0]);
        if (t)
            expect_str(t->name, table[i][1], table[i][0]);
    }
    CHECK(doc_type_find("XX") == NULL && doc_type_find("QD") == NULL, "unknown types");
    CHECK(doc_type_find("CV")->form == DOC_FORM_CONG_VAN &&
              doc_type_find("BB")->form == DOC_FORM_BIEN_BAN &&
              doc_type_find("TTr")->form == DOC_FORM_NAMED, "forms");

    struct doc_agency ag[3] = {{.abbr = "UBND", .unit = "KGVX"}, {.abbr = "LĐLĐ"}, {.abbr = "X"}};
    struct document doc = {.type_abbr = "CV", .form = DOC_FORM_CONG_VAN, .number = "6021",
                           .agencies = ag, .agency_count = 1};
    char code[96];
    doc_code(&doc, code, sizeof code);
    expect_str(code, "6021/UBND-KGVX", "công văn ký hiệu");
    doc.number = NULL;
    doc_code(&doc, code, sizeof code);
    expect_str(code, "/UBND-KGVX", "công văn ký hiệu, blank number");
    ag[0].abbr = "SLĐTBXH";
    doc = (struct document){.type_abbr = "KH", .form = DOC_FORM_NAMED, .number = "5",
                            .agencies = ag, .agency_count = 2};
    doc_code(&doc, code, sizeof code);
    expect_str(code, "05/KHLT-SLĐTBXH-LĐLĐ", "liên tịch ký hiệu");
    doc.agency_count = 3;
    doc_code(&doc, code, sizeof code);
    expect_str(code, "05/KHLT-SLĐTBXH-LĐLĐ-X", "three agencies");
    doc.agency_count = 1;
    doc_code(&doc, code, sizeof code);
    expect_str(code, "05/KH-SLĐTBXH", "named type: the unit is not used");
    CHECK(doc_urgency_priority(DOC_KHAN) == 1 && doc_urgency_priority(DOC_THUONG_KHAN) == 2 &&
              doc_urgency_priority(DOC_HOA_TOC) == 3 &&
              doc_urgency_priority(DOC_URGENCY_NONE) == -1, "priority codes");
    expect_str(doc_secrecy_words(DOC_TUYET_MAT), "TUYỆT MẬT", "độ mật words");
    expect_str(doc_urgency_words(DOC_HOA_TOC), "HỎA TỐC", "độ khẩn words");
}

static void test_text(void)
{
    char *s = text_upper("Ủy ban nhân dân tỉnh Đắk Lắk: mục đích, yêu cầu ệ ử ơ đ");
    expect_str(s, "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK: MỤC ĐÍCH, YÊU CẦU Ệ Ử Ơ Đ", "upper case");
    free(s);
    /* "Việt" with a decomposed ệ (e + U+0323 + U+0302) becomes NFC */
    const char nfd[] = "Vi" "e\xCC\xA3\xCC\x82" "t";
    s = text_nfc(nfd, strlen(nfd), NULL);
    expect_str(s, "Việt", "NFC");
    free(s);
    size_t bad = 0;
    const char invalid[] = "B\xE1\xBB" "C";
    CHECK(text_nfc(invalid, strlen(invalid), &bad) == NULL && bad == 1,
          "invalid UTF-8 rejected at byte 1 (got offset %zu)", bad);
}

static void test_breaking(void)
{
    /* widths 10, spaces 2: line width 34 holds 3 words (10+2+10+2+10 = 34) */
    double w[7] = {10, 10, 10, 10, 10, 10, 10}, sp[7] = {2, 2, 2, 2, 2, 2, 0};
    struct lb_line lines[8];
    size_t n = lb_break(w, sp, 7, 34, 34, 1, lines, 8);
    CHECK(n == 3, "7 words into lines of 34: %zu lines", n);
    CHECK(lines[0].count == 3 && lines[1].count == 3 && lines[2].count == 1,
          "3+3+1 words, got %zu+%zu+%zu", lines[0].count, lines[1].count, lines[2].count);
    CHECK(fabs(lines[0].gap) < 1e-9, "a full line needs no gap: %g", lines[0].gap);
    CHECK(lines[2].gap == 0, "the last line is not justified");
    /* first line indented: 22 wide holds 2 words; others 33 hold 2 (10+2+10+2+10 = 34 > 33) */
    n = lb_break(w, sp, 7, 22, 33, 1, lines, 8);
    CHECK(n == 4 && lines[0].count == 2 && lines[1].count == 2, "indent: %zu lines", n);
    CHECK(fabs(lines[1].natural + lines[1].gap * (double)(lines[1].count - 1) - 33) < 1e-9,
          "justified line ends at its width");
    /* an over-long word gets a line of its own */
    double w2[3] = {5, 50, 5}, sp2[3] = {1, 1, 0};
    n = lb_break(w2, sp2, 3, 20, 20, 1, lines, 8);
    CHECK(n == 3 && lines[1].count == 1, "long word alone: %zu lines", n);
}

/* The slow answer to metrics_first_not_everywhere: each face's first missing character
 * (tabs and line breaks set as spaces), the earliest. */
static size_t first_not_everywhere_slowly(const struct font_metrics *m, const char *s)
{
    char spaced[1024];
    snprintf(spaced, sizeof spaced, "%s", s);
    for (char *p = spaced; *p; p++)
        if (*p == '\t' || *p == '\n' || *p == '\r')
            *p = ' ';
    size_t first = strlen(s);
    for (int f = 0; f < FACE_COUNT; f++) {
        size_t off;
        if (metrics_first_missing(m, (enum vb_face)f, spaced, &off) && off < first)
            first = off;
    }
    return first;
}

/* metrics_first_not_everywhere (one table look-up per character, whole blocks skipped)
 * agrees with the four faces asked one by one, on random texts of Vietnamese, ASCII, tabs,
 * line breaks, control characters and characters the fonts lack, at every length. */
static void test_every_face(const struct font_metrics *m)
{
    static const char *const pool[] = {
        "a", "Z", " ", "~", "0", "\t", "\n", "\r", "ệ", "Đ", "ư", "ơ", "à", "Ặ", "ỹ",
        "\xc2\xa0", "«", "\x01", "\x7f", "\xc2\x85", "–", "…", "€", "中", "\xef\xbb\xbf", "😀",
        "\xe1\xbb\x80", "\xe1\xbb\xba", "\xe1\x80\x80", "Ω", "ß", "ı", "ǅ", "\xcd\x81", "√"};
    size_t n = sizeof pool / sizeof *pool;
    unsigned seed = 14;
    int agree = 1;
    for (int round = 0; round < 20000 && agree; round++) {
        char text[512] = "";
        int pieces = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 96;
        for (int k = 0; k < pieces; k++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly text that every face draws (long runs of it: the wide paths), now and
               then something else */
            size_t pick = (seed >> 16) % (k % 23 == 22 ? n : 17);
            strcat(text, pool[pick]);
        }
        size_t fast = metrics_first_not_everywhere(m, text, strlen(text));
        size_t slow = first_not_everywhere_slowly(m, text);
        if (fast != slow) {
            CHECK(0, "first character not in every face of '%s': %zu, one face at a time %zu",
                  text, fast, slow);
            agree = 0;
        }
    }
    CHECK(agree, "every-face check agrees with the faces one by one on 20000 texts");
    CHECK(m->ascii_every_face, "printable ASCII is in every face");
}

static void test_real_metrics(void)
{
    char conf[4096];
    if (!paths_find_data("fonts/fonts.conf", conf, sizeof conf)) {
        CHECK(0, "fonts/fonts.conf not found");
        return;
    }
    struct vb_diags d = {0};
    struct fontset *fs = NULL;
    if (fontset_open(conf, &fs, &d) != VB_OK) {
        diag_print(&d, stdout);
        diag_clear(&d);
        CHECK(0, "font set did not load");
        return;
    }
    const struct font_metrics *m = &fs->metrics;
    /* Times New Roman metrics: the Quốc hiệu at 13 pt bold fits a 280 pt column */
    const char *qh = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    double wq = metrics_width(m, FACE_BOLD, 13, qh, strlen(qh));
    CHECK(wq > 240 && wq < 280, "Quốc hiệu width %.2f", wq);
    /* NFC and NFD widths agree: combining marks have zero advance */
    CHECK(metrics_width(m, FACE_REGULAR, 14, " ", 1) == 3.5, "space is 1/4 em");
    /* justify a real sentence to 300 pt: words plus gaps end exactly at 300 */
    const char *words[] = {"Tiếp", "tục", "xây", "dựng", "quan", "hệ", "lao", "động", "hài",
                           "hòa", "giữa", "người", "lao", "động", "và", "người", "sử", "dụng"};
    size_t nw = sizeof words / sizeof words[0];
    double w[32], sp[32];
    for (size_t i = 0; i < nw; i++) {
        w[i] = metrics_width(m, FACE_REGULAR, 14, words[i], strlen(words[i]));
        sp[i] = i + 1 < nw ? 3.5 : 0;
    }
    struct lb_line lines[8];
    size_t n = lb_break(w, sp, nw, 300, 300, 1, lines, 8);
    CHECK(n >= 2, "sentence breaks into %zu lines", n);
    double end = lines[0].natural + lines[0].gap * (double)(lines[0].count - 1);
    CHECK(fabs(end - 300) < 1e-6, "first line ends at %.6f", end);
    CHECK(lines[0].gap > 0 && lines[0].gap < 14, "gap %.3f is positive and below 1 em", lines[0].gap);
    /* greedy: the next word would not have fitted */
    size_t k = lines[0].count;
    CHECK(lines[0].natural + sp[k - 1] + w[k] > 300, "first-fit took every word that fits");
    uint32_t miss = metrics_first_missing(m, FACE_REGULAR, "Việt Nam 中文", NULL);
    CHECK(miss == 0x4E2D, "first missing glyph U+%04X", (unsigned)miss);
    test_every_face(m);
    fontset_close(fs);
    diag_clear(&d);
}

static void test_metadata(void)
{
    struct xmlout x = {0};
    xo_text(&x, "Bổ nhiệm & \"điều động\" <nhân sự> 'A' ]]>");
    xo_elem(&x, "", "Empty", "");
    char *s = xo_take(&x, NULL);
    expect_str(s ? s : "", "Bổ nhiệm &amp; &quot;điều động&quot; &lt;nhân sự&gt; &apos;A&apos; ]]&gt;"
                           "<Empty/>\n", "XML escaping");
    free(s);
    char *side = paths_sidecar("out/kh-125.pdf");
    expect_str(side, "out/kh-125.nd30.xml", "sidecar of .pdf");
    free(side);
    side = paths_sidecar("out/KH.PDF");
    expect_str(side, "out/KH.nd30.xml", "sidecar of .PDF");
    free(side);
    side = paths_sidecar("out/plan");
    expect_str(side, "out/plan.nd30.xml", "sidecar without extension");
    free(side);

    /* a document with Kính gửi, "Như trên" and a KT. signature, built by hand */
    struct document doc = {0};
    doc.source = "unit.xml";
    doc.type_abbr = "BC";
    doc.number = "5";
    doc.priority = -1;
    struct doc_text agency[2] = {{0}}, kg[1] = {{0}}, nn[2] = {{0}}, sign[3] = {{0}};
    char *kg_id[1] = {"000.00.00.H58"}, *nn_id[2] = {NULL, "000.00.00.G17"};
    doc_text_set(&agency[0], "ỦY BAN NHÂN DÂN", (struct doc_loc){1, 0});
    doc_text_set(&agency[1], "TỈNH SÓC TRĂNG", (struct doc_loc){1, 0});
    doc_text_set(&doc.type_name, "BÁO CÁO", (struct doc_loc){1, 0});
    doc_text_set(&doc.trich_yeu, "Kết quả năm 2023", (struct doc_loc){1, 0});
    doc_text_set(&kg[0], "Ban Thường vụ Tỉnh ủy", (struct doc_loc){1, 0});
    doc_text_set(&nn[0], "Như trên", (struct doc_loc){1, 0});
    doc_text_set(&nn[1], "Bộ LĐTBXH", (struct doc_loc){1, 0});
    doc_text_set(&sign[0], "TM. ỦY BAN NHÂN DÂN", (struct doc_loc){1, 0});
    doc_text_set(&sign[1], "KT. CHỦ TỊCH", (struct doc_loc){1, 0});
    doc_text_set(&sign[2], "PHÓ CHỦ TỊCH", (struct doc_loc){1, 0});
    struct doc_signature signature = {0};
    doc_text_set(&signature.name, "Nguyễn Văn A", (struct doc_loc){1, 0});
    struct doc_agency ag = {.lines = agency, .line_count = 2, .abbr = "UBND"};
    doc.agencies = &ag;
    doc.agency_count = 1;
    doc.signatures = &signature;
    doc.signature_count = 1;
    doc.kinh_gui = kg;
    doc.kinh_gui_id = kg_id;
    doc.kinh_gui_count = 1;
    doc.noi_nhan = nn;
    doc.noi_nhan_id = nn_id;
    doc.noi_nhan_count = 2;
    signature.lines = sign;
    signature.line_count = 3;
    struct meta_record rec;
    CHECK(meta_build(&doc, 4, &rec) == 0, "meta_build");
    expect_str(rec.type_name, "Báo cáo", "TypeName");
    expect_str(rec.code_number, "05", "CodeNumber padded as printed");
    expect_str(rec.code_notation, "BC-UBND", "CodeNotation");
    expect_str(rec.issued_date, "", "blank IssuedDate");
    expect_str(rec.organ_name, "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG", "OrganName");
    expect_str(rec.position, "PHÓ CHỦ TỊCH", "Position");
    CHECK(rec.to_count == 2, "Như trên → the Kính gửi recipient: %zu recipients", rec.to_count);
    if (rec.to_count == 2) {
        expect_str(rec.to[0].organ_name, "Ban Thường vụ Tỉnh ủy", "first To");
        expect_str(rec.to[0].organ_id, "000.00.00.H58", "first To's id");
        expect_str(rec.to[1].organ_id, "000.00.00.G17", "second To's id");
    }
    char *xml = meta_sidecar(&rec, NULL);
    CHECK(xml && strstr(xml, "<CodeNumber>05</CodeNumber>") && strstr(xml, "<IssuedDate/>") &&
              strstr(xml, "<Priority/>"), "sidecar: %s", xml ? xml : "(null)");
    free(xml);
    char *xmp = meta_xmp(&rec);
    CHECK(xmp && strstr(xmp, "<nd30:PageAmount>4</nd30:PageAmount>") && !strstr(xmp, "nd30:Priority>"),
          "XMP: PageAmount 4, no empty Integer Priority");
    free(xmp);
    meta_free(&rec);
    /* a single "KT. CHỦ TỊCH" line: the prefix is not part of the chức vụ */
    signature.line_count = 2;
    CHECK(meta_build(&doc, 1, &rec) == 0, "meta_build");
    expect_str(rec.position, "CHỦ TỊCH", "Position without its KT. prefix");
    meta_free(&rec);
    for (int i = 0; i < 3; i++)
        doc_text_free(&sign[i]);
    for (int i = 0; i < 2; i++) {
        doc_text_free(&agency[i]);
        doc_text_free(&nn[i]);
    }
    doc_text_free(&kg[0]);
    doc_text_free(&doc.type_name);
    doc_text_free(&doc.trich_yeu);
    doc_text_free(&signature.name);

    /* fields: the signer's 50 mm, between the lines; the seal 37 mm over its left third */
    struct font_metrics m = {0};
    m.ascent[FACE_BOLD] = 900;
    m.descent[FACE_BOLD] = -200;
    struct lay_sign sg = {.col_x0 = 400 - 140, .col_x1 = 400 + 140, .top_y = 400,
                          .name_y = 300, .sealed = 1};
    struct pdfsign_rect a, b;
    CHECK(pdfsign_place(&sg, &m, &a, &b) == 0, "pdfsign_place");
    CHECK(fabs(a.x1 - a.x0 - 50 * LAY_MM) < 1e-9 && fabs((a.x0 + a.x1) / 2 - 400) < 1e-9,
          "signer 50 mm centred: %.3f..%.3f", a.x0, a.x1);
    CHECK(fabs(a.y1 - (400 - 2.8)) < 1e-9 && fabs(a.y0 - (300 + 12.6)) < 1e-9,
          "signer between descender and ascender: %.3f..%.3f", a.y0, a.y1);
    CHECK(fabs(b.x1 - b.x0 - 37 * LAY_MM) < 1e-9 && fabs(b.y1 - b.y0 - 37 * LAY_MM) < 1e-9,
          "seal 37 mm square");
    CHECK(fabs(b.x1 - (a.x0 + (a.x1 - a.x0) / 3)) < 1e-9 && fabs((b.y0 + b.y1) - (a.y0 + a.y1)) < 1e-9,
          "seal over the left third, level");
    /* a liên tịch's column of 55 mm: the signer narrows, the seal keeps its size, both inside */
    sg.col_x0 = 100;
    sg.col_x1 = 100 + 55 * LAY_MM;
    CHECK(pdfsign_place(&sg, &m, &a, &b) == 0, "pdfsign_place, narrow column");
    CHECK(b.x0 >= sg.col_x0 + LAY_MM - 1e-9 && a.x1 <= sg.col_x1 - LAY_MM + 1e-9 &&
          fabs(b.x1 - b.x0 - 37 * LAY_MM) < 1e-9 && fabs(b.x1 - (a.x0 + (a.x1 - a.x0) / 3)) < 1e-9,
          "narrow column: seal %.3f..%.3f, signer %.3f..%.3f inside %.3f..%.3f", b.x0, b.x1,
          a.x0, a.x1, sg.col_x0, sg.col_x1);
    /* a 66 mm column: the signer keeps more width, moved right of the centre */
    sg.col_x1 = 100 + 66 * LAY_MM;
    CHECK(pdfsign_place(&sg, &m, &a, &b) == 0 && b.x0 >= sg.col_x0 + LAY_MM - 1e-9 &&
          a.x1 <= sg.col_x1 - LAY_MM + 1e-9 && a.x1 - a.x0 > 40 * LAY_MM,
          "66 mm column: signer %.3f mm wide", (a.x1 - a.x0) / LAY_MM);
    /* without the seal (a Biên bản's thư ký): 50 mm centred, no seal */
    sg.sealed = 0;
    CHECK(pdfsign_place(&sg, &m, &a, &b) == 0 && fabs(a.x1 - a.x0 - 50 * LAY_MM) < 1e-9 &&
          fabs((a.x0 + a.x1) / 2 - (sg.col_x0 + sg.col_x1) / 2) < 1e-9 && b.x1 == b.x0,
          "unsealed block: signer centred, no seal");
    sg.name_y = 0;
    CHECK(pdfsign_place(&sg, &m, &a, &b) != 0, "no signature block, no fields");
}

int main(void)
{
    test_dates();
    test_numbers();
    test_types();
    test_text();
    test_breaking();
    test_real_metrics();
    test_metadata();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
