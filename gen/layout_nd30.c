/*
 * layout_nd30.c: the blocks of a văn bản as Decree 30/2020/NĐ-CP lays them out, over the
 * typesetting engine (layout_engine.h), for every form of Phụ lục III: the header of page
 * 1 (the agencies, stacked for a liên tịch, and the Số line left; Quốc hiệu, Tiêu ngữ and
 * the place and date right), a công văn's V/v, the marks (độ mật, độ khẩn, phạm vi lưu
 * hành), the type name and trích yếu, the thẩm quyền, a công điện's recipients, Kính gửi,
 * the căn cứ, "QUYẾT ĐỊNH:", the body's headings (mục, khoản, điểm; chương, mục, điều) and
 * paragraphs, the closing block (Nơi nhận, ô 12, one to three signature blocks), ô 13 at
 * the foot of page 1, each Phụ lục and attached document, and the page numbers. See
 * layout.h.
 */
#include "layout_engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "i18n.h"
#include "layout_chart.h"
#include "text.h"
#include "vnformat.h"

/* The portrait text area and the header's two columns. */
#define TEXT_X0 LAY_MARGIN_LEFT
#define TEXT_X1 (LAY_PAGE_W - LAY_MARGIN_RIGHT)
#define TEXT_W (TEXT_X1 - TEXT_X0)
#define TEXT_TOP (LAY_PAGE_H - LAY_MARGIN_TOP)
#define TEXT_BOTTOM LAY_MARGIN_BOTTOM
#define LEFT_COL_W (TEXT_W * LAY_LEFT_COLUMN)
#define LEFT_COL_CX (TEXT_X0 + LEFT_COL_W / 2)
#define RIGHT_COL_CX (TEXT_X0 + LEFT_COL_W + (TEXT_W - LEFT_COL_W) / 2)
#define HEADER_SIZE 13.0
/* six no-break spaces: room left blank for a number or date the e-office system stamps */
#define NBSP6 " \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0 "

/* ---- header (page 1) ------------------------------------------------------------------ */

/* Lays out a one-style text block on page; returns its last baseline. */
static double page_text(struct lay_pages *e, size_t page, const struct font_metrics *m,
                        const struct doc_text *t, const char *plain, double size, int bold,
                        int italic, int upper, double x0, double width, enum lay_align align,
                        double y, double pitch, double *widest)
{
    struct lay_para *p = lay_para_new(m, size);
    int rc = !p || (t ? lay_para_add_text(p, t, bold, italic, upper)
                      : lay_para_add(p, plain, metrics_face(bold, italic), upper));
    double last = y;
    if (rc) {
        e->failed = 1;
    } else {
        lay_para_finish(p);
        last = lay_emit_block(e, page, p, x0, width, align, y, pitch, widest);
    }
    lay_para_free(p);
    return last;
}

/* page_text on page 1. */
static double header_text(struct lay_pages *e, const struct font_metrics *m,
                          const struct doc_text *t, const char *plain, double size, int bold,
                          int italic, int upper, double x0, double width, enum lay_align align,
                          double y, double pitch, double *widest)
{
    return page_text(e, 0, m, t, plain, size, bold, italic, upper, x0, width, align, y, pitch,
                     widest);
}

/* ---- the agency lines (ô 2): the lines given, a line too wide broken balanced ---------- */

/* Words of two syllables that agency names are made of: a line break between their
 * syllables ("THƯƠNG / BINH") reads as a broken word. */
static const char *const compounds[] = {
    "ỦY BAN", "NHÂN DÂN", "HỘI ĐỒNG", "LAO ĐỘNG", "THƯƠNG BINH", "XÃ HỘI", "XÂY DỰNG",
    "QUAN HỆ", "HÀI HÒA", "CHỈ ĐẠO", "QUẢN LÝ", "CÔNG NGHIỆP", "KẾ HOẠCH", "ĐẦU TƯ",
    "TÀI CHÍNH", "NỘI VỤ", "TƯ PHÁP", "GIÁO DỤC", "ĐÀO TẠO", "Y TẾ", "VĂN HÓA", "THỂ THAO",
    "DU LỊCH", "NÔNG NGHIỆP", "PHÁT TRIỂN", "NÔNG THÔN", "TÀI NGUYÊN", "MÔI TRƯỜNG",
    "GIAO THÔNG", "VẬN TẢI", "THÔNG TIN", "TRUYỀN THÔNG", "KHOA HỌC", "CÔNG NGHỆ",
    "CÔNG THƯƠNG", "THANH TRA", "VĂN PHÒNG", "CÔNG AN", "QUÂN SỰ", "LIÊN ĐOÀN", "CÔNG ĐOÀN",
    "MẶT TRẬN", "TỔ QUỐC", "VIỆT NAM", "THANH NIÊN", "PHỤ NỮ", "NÔNG DÂN", "CHIẾN BINH",
    "DÂN TỘC", "TÔN GIÁO", "NGÂN HÀNG", "BẢO HIỂM", "KHO BẠC", "HẢI QUAN", "THỐNG KÊ",
    "ĐẠI HỌC", "BỆNH VIỆN", "TRUNG TÂM", "DỊCH VỤ", "VIỆC LÀM", "CHÍNH SÁCH", "CHÍNH TRỊ",
    "KIỂM TRA", "TỔ CHỨC", "THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "TRUNG ƯƠNG", "CHÍNH PHỦ",
    "QUỐC HỘI", "THƯỜNG VỤ", "THƯỜNG TRỰC", "CHẤP HÀNH", "ĐẢNG BỘ", "KINH TẾ", "HẠ TẦNG",
    "KỸ THUẬT", "NGHIÊN CỨU", "PHÁP LUẬT", "PHÒNG CHỐNG", "THIÊN TAI", "CỨU NẠN", "CỨU HỘ",
    "BIÊN PHÒNG", "TIẾN BỘ", "ỔN ĐỊNH", "HÀNH CHÍNH", "DÂN SỐ", "GIA ĐÌNH", "TRẺ EM",
    "XUẤT KHẨU", "NHẬP KHẨU", "THƯƠNG MẠI", "BẢO VỆ", "THỰC VẬT", "CHĂN NUÔI", "THÚ Y",
    "THỦY SẢN", "THỦY LỢI", "LÂM NGHIỆP", "KIỂM LÂM", "ĐÔ THỊ", "NHÀ Ở", "ĐẤT ĐAI",
    "BƯU CHÍNH", "VIỄN THÔNG", "PHÁT THANH", "TRUYỀN HÌNH", "BÁO CHÍ", "XUẤT BẢN", NULL};

/* The cost of starting a line of an agency's name with word k (lay_break_cost): none before
 * a word that starts a part of the name ("VÀ", "TỈNH", "SỞ" …), a little after a hyphen,
 * a lot inside a word of two syllables of the list ("THƯƠNG BINH"), some anywhere else (the
 * break may split a word the list does not know). */
static double name_break_cost(const struct lay_para *p, size_t k, void *ctx)
{
    (void)ctx;
    static const char *const starts[] = {"VÀ", "CỦA", "VỀ", "TẠI", "TRỰC", "TỈNH", "HUYỆN",
                                         "QUẬN", "PHƯỜNG", "SỞ", "PHÒNG", "BAN", "CỤC", "VIỆN",
                                         "BỘ", "KHU", "CHI", "TỔNG", NULL};
    char w[64], prev[64], pair[130];
    lay_para_word(p, k, w, sizeof w);
    lay_para_word(p, k - 1, prev, sizeof prev);
    if (strcmp(prev, "-") == 0 || strcmp(prev, "–") == 0)
        return 0.02;
    snprintf(pair, sizeof pair, "%s %s", prev, w);
    for (size_t i = 0; compounds[i]; i++)
        if (strcmp(pair, compounds[i]) == 0)
            return 0.6;
    for (size_t i = 0; starts[i]; i++)
        if (strcmp(w, starts[i]) == 0)
            return 0;
    /* a word that starts a compound of the list starts a part of the name */
    size_t n = strlen(w);
    for (size_t i = 0; compounds[i]; i++)
        if (strncmp(compounds[i], w, n) == 0 && compounds[i][n] == ' ')
            return 0.01;
    return 0.08;
}

/* Words of two syllables that trích yếu are made of, besides the agencies' (compounds). */
static const char *const title_compounds[] = {
    "CHỈ THỊ", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "NGHỊ ĐỊNH", "THÔNG TƯ", "THÔNG BÁO", "CHƯƠNG TRÌNH",
    "HƯỚNG DẪN", "BÁO CÁO", "TỜ TRÌNH", "TRIỂN KHAI", "THỰC HIỆN", "KIỆN TOÀN", "TỔNG KẾT",
    "SƠ KẾT", "ĐÁNH GIÁ", "PHỐI HỢP", "TĂNG CƯỜNG", "HỌC SINH", "SINH VIÊN", "SỨC KHỎE",
    "DOANH NGHIỆP", "NGƯỜI LAO", "ĐỐI THOẠI", "THƯƠNG LƯỢNG", "TẬP THỂ", "TRANH CHẤP",
    "HỘI NGHỊ", "TẬP HUẤN", "KINH PHÍ", "NGÂN SÁCH", "ĐẦU TƯ", "CÔNG TÁC", "NHIỆM VỤ",
    "GIẢI PHÁP", "CHUYỂN ĐỔI", "HỆ THỐNG", "NĂNG LỰC", "CHẤT LƯỢNG", "AN TOÀN", "PHÒNG CHÁY",
    "CHỮA CHÁY", "ĐUỐI NƯỚC", "TRƯỜNG HỌC", "NĂM HỌC", "QUY CHẾ", "QUY ĐỊNH", "BAN HÀNH",
    "SỬA ĐỔI", "BỔ SUNG", "THÀNH LẬP", "GIẢI THỂ", "BỔ NHIỆM", "KHEN THƯỞNG", "KỶ LUẬT",
    "DỰ TOÁN", "NHÀ NƯỚC", "TÌNH HÌNH", "ĐẦU NĂM", "CUỐI NĂM", "CẢ NĂM", "HẰNG NĂM",
    "HÀNG NĂM", "ĐỊA BÀN", "ĐỊA PHƯƠNG", "NGƯỜI DÂN", "CÁN BỘ", "CÔNG CHỨC", "VIÊN CHỨC",
    "THỦ TỤC", "DỊCH BỆNH", "TUYÊN TRUYỀN", "PHỔ BIẾN", "GIÁO DỤC", "NÔNG THÔN", "VĂN THƯ",
    "LƯU TRỮ", "VĂN BẢN", "ĐIỆN TỬ", "NGHIỆP VỤ", "HỘ NGHÈO", "CẬN NGHÈO", "XÉT DUYỆT",
    "DANH SÁCH", "PHÁT SINH", "SỐ LIỆU", "THÔNG TIN", "CUNG CẤP", "TỔ CHỨC", NULL};

/* The cost of starting a line of a trích yếu, a V/v or a thẩm quyền line with word k
 * (lay_break_cost): none after a comma and before a word that opens a phrase ("về", "và",
 * "của", "năm" …); much inside a word of two syllables (the lists above, in any case) and
 * between a number and what it counts or dates ("năm / 2025", "2025 - / 2026"); a little
 * anywhere else (less than the balance of the widths weighs). */
static double title_break_cost(const struct lay_para *p, size_t k, void *ctx)
{
    (void)ctx;
    static const char *const opens[] = {"VỀ", "VÀ", "CỦA", "CHO", "TRONG", "TẠI", "THEO",
                                        "TRÊN", "ĐỐI", "VỚI", "NĂM", "GIAI", "GIỮA", "THUỘC",
                                        "NHẰM", "ĐỂ", "ĐẾN", "TỪ", "GIAO", "PHÊ", "BAN",
                                        "THỰC", "TRIỂN", "TỔ", "KẾ", "PHỐI", NULL};
    static const char *const counts[] = {"NĂM", "SỐ", "NGÀY", "THÁNG", "QUÝ", "GIAI",
                                         "ĐỢT", "LẦN", "KHÓA", "NHIỆM", "KỲ", NULL};
    char w[64], prev[64], pair[130];
    lay_para_word(p, k, w, sizeof w);
    lay_para_word(p, k - 1, prev, sizeof prev);
    /* the words without the punctuation after them ("văn thư," is "VĂN THƯ") */
    size_t wn = strlen(w), pn = strlen(prev);
    while (wn > 1 && strchr(",;:.)", w[wn - 1]))
        w[--wn] = '\0';
    int after_comma = pn > 1 && strchr(",;:", prev[pn - 1]) != NULL;
    snprintf(pair, sizeof pair, "%s %s", prev, w);
    char *uw = text_upper(w), *uprev = text_upper(prev), *upair = text_upper(pair);
    double cost = 0.01;
    if (!uw || !uprev || !upair) {
        /* no memory to compare: the plain cost */
    } else if (after_comma) {
        cost = 0;               /* a clause ends there */
    } else if (strcmp(prev, "-") == 0 || strcmp(prev, "–") == 0) {
        cost = 0.5;
    } else if (*w >= '0' && *w <= '9') {
        for (size_t i = 0; counts[i] && cost < 0.5; i++)
            if (strcmp(uprev, counts[i]) == 0)
                cost = 0.5;
    } else {
        for (size_t i = 0; compounds[i] && cost < 0.5; i++)
            if (strcmp(upair, compounds[i]) == 0)
                cost = 0.5;
        for (size_t i = 0; title_compounds[i] && cost < 0.5; i++)
            if (strcmp(upair, title_compounds[i]) == 0)
                cost = 0.5;
        for (size_t i = 0; opens[i] && cost < 0.5; i++)
            if (strcmp(uw, opens[i]) == 0)
                cost = 0;
    }
    free(uw);
    free(uprev);
    free(upair);
    return cost;
}

/* Emits the finished paragraph p on page, centred in the column (x0, width) from baseline
 * y: as one line when it fits, else in the fewest balanced lines of at least 3 syllables
 * (2, 1 when there is no such breaking), breaks chosen by cost_of; greedily as a last
 * resort. Returns its last baseline; *widest (when not NULL) gets its widest line. */
static double emit_balanced(struct lay_pages *e, size_t page, struct lay_para *p, double x0,
                            double width, double y, double pitch, lay_break_cost *cost_of,
                            double *widest)
{
    struct lb_line lines[LAY_BALANCE_MAX_LINES];
    size_t count = 0;
    if (lay_para_width(p) > width + 1e-6)
        for (int min_syl = 3; min_syl > 0 && !count; min_syl--)
            count = lay_para_break_balanced(p, width, min_syl, cost_of, NULL, lines);
    if (!count)
        return lay_emit_block(e, page, p, x0, width, LAY_ALIGN_CENTER, y, pitch, widest);
    double wmax = 0, last = y;
    for (size_t i = 0; i < count; i++) {
        last = y - pitch * (double)i;
        lay_emit_line(e, page, p, &lines[i], x0 + (width - lines[i].natural) / 2, last);
        wmax = fmax(wmax, lines[i].natural);
    }
    if (widest)
        *widest = wmax;
    return last;
}

/* Lays out t (or plain) on page, one style, centred in the column (x0, width) from
 * baseline y, broken balanced (emit_balanced) with title_break_cost; returns its last
 * baseline. */
static double balanced_text(struct lay_pages *e, size_t page, const struct font_metrics *m,
                            const struct doc_text *t, const char *plain, double size, int bold,
                            int upper, double x0, double width, double y, double pitch,
                            double *widest)
{
    struct lay_para *p = lay_para_new(m, size);
    int rc = !p || (t ? lay_para_add_text(p, t, bold, 0, upper)
                      : lay_para_add(p, plain, metrics_face(bold, 0), upper));
    double last = y;
    if (rc) {
        e->failed = 1;
    } else {
        lay_para_finish(p);
        last = emit_balanced(e, page, p, x0, width, y, pitch, title_break_cost, widest);
    }
    lay_para_free(p);
    return last;
}

/* Lays out one agency line t on page, centred in the column (x0, width) from baseline y,
 * broken balanced (emit_balanced) with name_break_cost. Returns its last baseline; *widest
 * gets its widest line. */
static double agency_line(struct lay_pages *e, size_t page, const struct font_metrics *m,
                          const struct doc_text *t, double size, int bold, double x0,
                          double width, double y, double pitch, double *widest)
{
    struct lay_para *p = lay_para_new(m, size);
    double last = y;
    if (!p || lay_para_add_text(p, t, bold, 0, 1)) {
        e->failed = 1;
    } else {
        lay_para_finish(p);
        last = emit_balanced(e, page, p, x0, width, y, pitch, name_break_cost, widest);
    }
    lay_para_free(p);
    return last;
}

/* The size of an agency's lines (its cơ quan chủ quản's, regular, or its own, bold): 13 pt,
 * or the decree's 12 pt when that keeps every one of the lines given on one line of the
 * column (and 13 pt does not). */
static double lines_size(const struct doc_text *lines, size_t n, int bold,
                         const struct font_metrics *m, double width)
{
    int fits13 = 1, fits12 = 1;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 2; k++) {
            struct lay_para *p = lay_para_new(m, k ? 12.0 : HEADER_SIZE);
            if (p && lay_para_add_text(p, &lines[i], bold, 0, 1) == 0) {
                lay_para_finish(p);
                if (lay_para_width(p) > width + 1e-6)
                    *(k ? &fits12 : &fits13) = 0;
            }
            lay_para_free(p);
        }
    }
    return fits13 || !fits12 ? HEADER_SIZE : 12.0;
}

/* Lays out the issuing agencies (ô 2), one under the other, in the column (x0, width) of
 * page from baseline y, and the rule under them; returns the rule's y. */
static double header_agencies(struct lay_pages *e, size_t page, const struct document *doc,
                              const struct font_metrics *m, double x0, double width, double y)
{
    double widest = 0, w = 0, last = y;
    /* one size for every agency's lines (and one for every cơ quan chủ quản) */
    double ps = HEADER_SIZE, as = HEADER_SIZE;
    for (size_t a = 0; a < doc->agency_count; a++) {
        const struct doc_agency *ag = &doc->agencies[a];
        ps = fmin(ps, lines_size(ag->parent, ag->parent_count, 0, m, width));
        as = fmin(as, lines_size(ag->lines, ag->line_count, 1, m, width));
    }
    for (size_t a = 0; a < doc->agency_count; a++) {
        const struct doc_agency *ag = &doc->agencies[a];
        if (a > 0)
            y -= LAY_AGENCY_GAP;     /* a liên tịch's agencies, one under the other */
        for (size_t i = 0; i < ag->parent_count; i++) {
            last = agency_line(e, page, m, &ag->parent[i], ps, 0, x0, width, y, ps * LAY_SINGLE,
                               NULL);
            y = last - ps * LAY_SINGLE;
        }
        for (size_t i = 0; i < ag->line_count; i++) {
            last = agency_line(e, page, m, &ag->lines[i], as, 1, x0, width, y, as * LAY_SINGLE,
                               &w);
            y = last - as * LAY_SINGLE;
            widest = fmax(widest, w);
        }
    }
    double rule = last - 5.0;
    double len = widest * LAY_RULE_RATIO, cx = x0 + width / 2;
    lay_draw_rule(e, page, cx - len / 2, rule, cx + len / 2, rule);
    return rule;
}

/* Lays out the Quốc hiệu, the Tiêu ngữ and its rule in the right column of page; returns
 * the rule's y. */
static double header_national(struct lay_pages *e, size_t page, const struct font_metrics *m,
                              double first)
{
    const double hp = HEADER_SIZE * LAY_SINGLE;
    double w = 0;
    double ry = page_text(e, page, m, NULL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER_SIZE,
                          1, 0, 0, TEXT_X0 + LEFT_COL_W, TEXT_W - LEFT_COL_W, LAY_ALIGN_CENTER,
                          first, hp, NULL);
    double tn_pitch = 14.0 * LAY_SINGLE;
    double tn_y = ry - tn_pitch;
    page_text(e, page, m, NULL, "Độc lập - Tự do - Hạnh phúc", 14.0, 1, 0, 0,
              TEXT_X0 + LEFT_COL_W, TEXT_W - LEFT_COL_W, LAY_ALIGN_CENTER, tn_y, tn_pitch, &w);
    double right_rule = tn_y - 5.0;
    lay_draw_rule(e, page, RIGHT_COL_CX - w / 2, right_rule, RIGHT_COL_CX + w / 2, right_rule);
    return right_rule;
}

/* Writes the Số line (13 pt) with its baseline at y: centred in the left column; when too
 * wide for it (a long liên tịch ký hiệu), from the left margin if it stays clear of the
 * date line (date_line, centred on the right column; empty for none), else broken after a
 * hyphen of the ký hiệu into two centred lines. Returns the last baseline. */
static double so_line(struct lay_pages *e, const struct font_metrics *m, const char *line,
                      const char *date_line, double y)
{
    const double hp = HEADER_SIZE * LAY_SINGLE;
    double w = metrics_width(m, FACE_REGULAR, 13.0, line, strlen(line));
    if (w <= LEFT_COL_W)
        return header_text(e, m, NULL, line, 13.0, 0, 0, 0, TEXT_X0, LEFT_COL_W,
                           LAY_ALIGN_CENTER, y, hp, NULL);
    double date_x0 = TEXT_X1;
    if (*date_line)
        date_x0 = RIGHT_COL_CX -
                  metrics_width(m, FACE_ITALIC, 14.0, date_line, strlen(date_line)) / 2;
    if (TEXT_X0 + w <= date_x0 - 6.0) {
        lay_text(e, 0, TEXT_X0, y, FACE_REGULAR, 13.0, line);
        return y;
    }
    /* the longest head ending with "-" that fits the column */
    size_t cut = 0;
    for (size_t i = 0; line[i]; i++)
        if (line[i] == '-' && metrics_width(m, FACE_REGULAR, 13.0, line, i + 1) <= LEFT_COL_W)
            cut = i + 1;
    if (!cut)
        return header_text(e, m, NULL, line, 13.0, 0, 0, 0, TEXT_X0, LEFT_COL_W,
                           LAY_ALIGN_CENTER, y, hp, NULL);
    char head[256];
    snprintf(head, sizeof head, "%.*s", (int)cut, line);
    double w1 = metrics_width(m, FACE_REGULAR, 13.0, head, strlen(head));
    double w2 = metrics_width(m, FACE_REGULAR, 13.0, line + cut, strlen(line + cut));
    lay_text(e, 0, LEFT_COL_CX - w1 / 2, y, FACE_REGULAR, 13.0, head);
    lay_text(e, 0, LEFT_COL_CX - w2 / 2, y - hp, FACE_REGULAR, 13.0, line + cut);
    return y - hp;
}

/* ---- marks (ô 10a, 10b, 11) ------------------------------------------------------------ */

/* Draws one mark: its words bold upper case, centred in a frame of width w (0: the words
 * and LAY_MARK_PAD on each side) whose top is at top, centred at cx; returns the frame's
 * bottom. */
static double mark_box(struct lay_pages *e, const struct font_metrics *m, const char *words,
                       double w, uint32_t color, double cx, double top)
{
    double tw = metrics_width(m, FACE_BOLD, LAY_MARK_SIZE, words, strlen(words));
    if (w < tw + 4.0)
        w = tw + 2 * LAY_MARK_PAD;
    double bottom = top - LAY_MARK_H;
    lay_draw_frame(e, 0, cx - w / 2, bottom, w, LAY_MARK_H, color);
    /* the capitals centred on the frame's middle (cap height about 0.66 em) */
    double base = bottom + (LAY_MARK_H - 0.66 * LAY_MARK_SIZE) / 2;
    e->color = color;
    lay_text(e, 0, cx - tw / 2, base, FACE_BOLD, LAY_MARK_SIZE, words);
    e->color = 0;
    return bottom;
}

/* Draws the marks the document carries under y in the left column (độ mật, độ khẩn, then
 * the chỉ dẫn of ô 11); returns the bottom of the last one. */
static double header_marks(struct lay_pages *e, const struct document *doc,
                           const struct font_metrics *m, double y)
{
    /* the decree's frames for độ khẩn: KHẨN 20, THƯỢNG KHẨN 40, HỎA TỐC 30 mm; độ mật takes
     * the same three widths (MẬT 20, TỐI MẬT 30, TUYỆT MẬT 40 mm) */
    static const double urgency_w[] = {0, 20, 40, 30}, secrecy_w[] = {0, 20, 30, 40};
    if (doc->secrecy != DOC_SECRECY_NONE)
        y = mark_box(e, m, doc_secrecy_words(doc->secrecy), secrecy_w[doc->secrecy] * LAY_MM,
                     LAY_RED, LEFT_COL_CX, y - LAY_MARK_GAP);
    if (doc->urgency != DOC_URGENCY_NONE)
        y = mark_box(e, m, doc_urgency_words(doc->urgency), urgency_w[doc->urgency] * LAY_MM,
                     LAY_RED, LEFT_COL_CX, y - LAY_MARK_GAP);
    if (doc->scope != DOC_SCOPE_NONE)
        y = mark_box(e, m, doc_scope_words(doc->scope), 0, 0, LEFT_COL_CX, y - LAY_MARK_GAP);
    if (doc->draft) {
        char words[48] = "DỰ THẢO";
        if (doc->draft_round > 0)
            snprintf(words, sizeof words, "DỰ THẢO LẦN %d", doc->draft_round);
        y = mark_box(e, m, words, 0, 0, LEFT_COL_CX, y - LAY_MARK_GAP);
    }
    return y;
}

/* ---- page 1: the title block, the thẩm quyền, a công điện's recipients ------------------ */

/* Lays out centred bold upper-case lines (the thẩm quyền ban hành), each broken balanced,
 * from baseline y; returns the last baseline. */
static double centred_lines(struct lay_pages *e, const struct font_metrics *m,
                            const struct doc_text *lines, size_t n, double y, double pitch)
{
    for (size_t i = 0; i < n; i++)
        y = balanced_text(e, 0, m, &lines[i], NULL, LAY_BODY_SIZE, 1, 1, TEXT_X0, TEXT_W, y,
                          pitch, NULL) - pitch;
    return y + pitch;
}

/* A Công điện's "<thẩm quyền> điện:" line and its recipients ("- …;", the last ending with
 * "."), indented, each wrapping under its own text; returns the last baseline. */
static double cong_dien_lines(struct lay_pages *e, const struct document *doc,
                              const struct font_metrics *m, double y, double pitch)
{
    struct lay_para *p = lay_para_new(m, LAY_BODY_SIZE);
    int rc = !p;
    for (size_t i = 0; i < doc->tham_quyen_count && !rc; i++) {
        rc = lay_para_add_text(p, &doc->tham_quyen[i], 1, 0, 1);
        lay_para_space(p, FACE_BOLD);
    }
    rc = rc || lay_para_add(p, "điện:", FACE_BOLD, 0);
    if (rc) {
        e->failed = 1;
    } else {
        lay_para_finish(p);
        y = lay_emit_block(e, 0, p, TEXT_X0, TEXT_W, LAY_ALIGN_CENTER, y, pitch, NULL);
    }
    lay_para_free(p);
    double x = TEXT_X0 + 2 * LAY_INDENT;
    double dash_w = metrics_width(m, FACE_REGULAR, LAY_BODY_SIZE, "- ", 2);
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        p = lay_para_new(m, LAY_BODY_SIZE);
        rc = !p || lay_para_add(p, "-", FACE_REGULAR, 0);
        if (!rc)
            lay_para_space(p, FACE_REGULAR);
        rc = rc || lay_para_add_text(p, &doc->kinh_gui[i], 0, 0, 0) ||
             lay_para_add(p, i + 1 < doc->kinh_gui_count ? ";" : ".", FACE_REGULAR, 0);
        size_t count = 0;
        struct lb_line *lines = NULL;
        if (!rc) {
            lay_para_finish(p);
            lines = lay_para_break(p, TEXT_X1 - x, TEXT_X1 - x - dash_w, 0, 1, &count);
        }
        if (!lines)
            e->failed = 1;
        for (size_t k = 0; k < count; k++) {
            y -= pitch;
            lay_emit_line(e, 0, p, &lines[k], x + (k ? dash_w : 0), y);
        }
        free(lines);
        lay_para_free(p);
    }
    return y;
}

/* Writes page 1's header: the agencies, the Số line (and a công văn's V/v), the marks, the
 * Quốc hiệu, the place and date (none for a Biên bản), the type name, trích yếu and its rule
 * (neither for a công văn), the thẩm quyền or a công điện's recipients; returns the y below
 * which the body may start. */
static double layout_header(struct lay_pages *e, const struct document *doc,
                            const struct font_metrics *m)
{
    double first = TEXT_TOP - lay_ascent(m, HEADER_SIZE);
    double left_rule = header_agencies(e, 0, doc, m, TEXT_X0, LEFT_COL_W, first);
    double right_rule = header_national(e, 0, m, first);

    /* Số line (13 pt, left) and place/date (14 pt italic, right) share one baseline; a
     * Biên bản has no date line (Phụ lục III, Mẫu 1.9) */
    double base = fmin(left_rule, right_rule) - 20.0;
    char code[96], line[256], date[64], date_line[256] = "";
    doc_code(doc, code, sizeof code);
    if (doc->number)
        snprintf(line, sizeof line, "Số: %s", code);
    else
        /* blank for e-office numbering: no-break spaces keep the number's room */
        snprintf(line, sizeof line, "Số:" NBSP6 "%s", code);
    if (doc->form != DOC_FORM_BIEN_BAN) {
        char *place = doc_text_plain(&doc->place);
        if (!place) {
            e->failed = 1;
            return base;
        }
        if (doc->has_date)
            snprintf(date_line, sizeof date_line, "%s, %s", place,
                     vn_date_words(&doc->date, date, sizeof date));
        else
            snprintf(date_line, sizeof date_line, "%s, ngày" NBSP6 "tháng" NBSP6 "năm %d",
                     place, doc->date.year);
        free(place);
    }
    double so_base = so_line(e, m, line, date_line, base);
    if (*date_line)
        header_text(e, m, NULL, date_line, 14.0, 0, 1, 0, TEXT_X0 + LEFT_COL_W,
                    TEXT_W - LEFT_COL_W, LAY_ALIGN_CENTER, base, 14.0 * LAY_SINGLE, NULL);

    /* the left column under the Số line: a công văn's "V/v …" (ô 5b), 6 pt below it and
     * wrapped in the column, then the marks */
    double left_bottom = so_base, left_base = so_base;
    if (doc->form == DOC_FORM_CONG_VAN && doc->trich_yeu.count) {
        struct lay_para *p = lay_para_new(m, LAY_VV_SIZE);
        int rc = !p || lay_para_add(p, "V/v", FACE_REGULAR, 0);
        if (!rc)
            lay_para_space(p, FACE_REGULAR);
        rc = rc || lay_para_add_text(p, &doc->trich_yeu, 0, 0, 0);
        if (rc) {
            e->failed = 1;
        } else {
            lay_para_finish(p);
            left_base = emit_balanced(e, 0, p, TEXT_X0, LEFT_COL_W,
                                      so_base - (LAY_VV_SIZE * LAY_SINGLE + LAY_VV_BEFORE),
                                      LAY_VV_SIZE * LAY_SINGLE, title_break_cost, NULL);
        }
        lay_para_free(p);
        left_bottom = left_base;
    }
    int has_marks = doc->secrecy || doc->urgency || doc->scope || doc->draft;
    if (has_marks)
        left_bottom = header_marks(e, doc, m,
                                   left_base - 0.25 * (left_base == so_base ? 13.0
                                                                             : LAY_VV_SIZE));

    /* tên loại and trích yếu, centred on the text area, rule under the trích yếu (under the
     * type name when there is none); a công văn has neither */
    const double tp = LAY_BODY_SIZE * LAY_LINE_FACTOR;
    double ty = base - 2.4 * tp, w = 0;
    if (left_bottom < base)
        ty = fmin(ty, left_bottom - (has_marks ? 1.4 : 1.8) * tp);
    if (doc->form == DOC_FORM_CONG_VAN)
        return ty + tp - 10.0;      /* Kính gửi (or the body) follows */
    ty = header_text(e, m, &doc->type_name, NULL, LAY_BODY_SIZE, 1, 0, 1, TEXT_X0, TEXT_W,
                     LAY_ALIGN_CENTER, ty, tp, &w);
    if (doc->trich_yeu.count)
        ty = balanced_text(e, 0, m, &doc->trich_yeu, NULL, LAY_BODY_SIZE, 1, 0, TEXT_X0, TEXT_W,
                           ty - tp, tp, &w);
    double rule = ty - 8.0, len = w * LAY_RULE_RATIO;
    lay_draw_rule(e, 0, TEXT_X0 + TEXT_W / 2 - len / 2, rule, TEXT_X0 + TEXT_W / 2 + len / 2,
                  rule);
    if (doc->form == DOC_FORM_CONG_DIEN) {
        double last = cong_dien_lines(e, doc, m, rule - 10.0 - lay_ascent(m, LAY_BODY_SIZE) - tp,
                                      tp);
        return last - (tp - lay_ascent(m, LAY_BODY_SIZE)) - LAY_PARA_AFTER;
    }
    if (doc->tham_quyen_count) {
        /* thẩm quyền ban hành: a line's space under the rule, centred, bold, upper case */
        double last = centred_lines(e, m, doc->tham_quyen, doc->tham_quyen_count,
                                    rule - 10.0 - lay_ascent(m, LAY_BODY_SIZE) - 6.0, tp);
        return last - (tp - lay_ascent(m, LAY_BODY_SIZE)) - 4.0;
    }
    return rule - 10.0;
}

/* ---- the body: căn cứ, headings, paragraphs, tables ----------------------------------- */

/* The end mark a document's text closes with (Phụ lục III: "…./."), for text whose last
 * characters are these: none after a typed "/.", "/." after a full stop (or "!", "?"),
 * "./." after anything else. */
static const char *end_mark(const char *plain)
{
    size_t n = strlen(plain);
    while (n > 0 && (plain[n - 1] == ' ' || plain[n - 1] == '\n' || plain[n - 1] == '\t'))
        n--;
    if (n >= 2 && plain[n - 2] == '/' && plain[n - 1] == '.')
        return "";
    if (n >= 1 && (plain[n - 1] == '.' || plain[n - 1] == '!' || plain[n - 1] == '?'))
        return "/.";
    return "./.";
}

/* Appends body blocks to the flow: "I. TITLE" bold upper case, "1. Title" bold, "a) title"
 * regular, Phần, Chương and Mục (6a) centred, "Điều 1. Title" bold, paragraphs justified
 * with the first line indented (a bold label such as an untitled điều's "Điều 1." before
 * regular text). first_before is the space above the first block. closing: the blocks are
 * a document's whole text, whose last paragraph ends with the end mark "/." (end_mark). */
static int flow_blocks(struct lay_flow *f, const struct doc_block *blocks, size_t n,
                       const struct font_metrics *m, double first_before, int closing)
{
    for (size_t i = 0; i < n; i++) {
        const struct doc_block *b = &blocks[i];
        if (b->kind == DOC_TABLE) {
            if (lay_flow_table(f, b, m))
                return -1;
            continue;
        }
        if (b->kind == DOC_CHART) {
            if (layout_chart(f, b, m, i == 0 ? first_before : LAY_PARA_AFTER))
                return -1;
            continue;
        }
        struct lay_para *p = lay_para_new(m, LAY_BODY_SIZE);
        if (!p)
            return -1;
        int centred = b->kind == DOC_PHAN_LABEL || b->kind == DOC_PHAN_TITLE ||
                      b->kind == DOC_SECTION_LABEL || b->kind == DOC_SECTION_TITLE;
        int bold = b->kind == DOC_MUC || b->kind == DOC_KHOAN_TITLE || b->kind == DOC_DIEU ||
                   centred;
        int upper = b->kind == DOC_MUC || b->kind == DOC_PHAN_TITLE ||
                    b->kind == DOC_SECTION_TITLE;
        int heading = b->kind != DOC_PARA;
        enum lay_align align = centred ? LAY_ALIGN_CENTER : LAY_ALIGN_JUSTIFY;
        int rc = 0;
        if (b->label) {
            /* "Điều 1." is bold before an untitled điều's regular text */
            enum vb_face lf = metrics_face(bold || (b->label_style & DOC_BOLD), 0);
            rc = lay_para_add(p, b->label, lf, 0);
            lay_para_space(p, lf);
        }
        rc = rc || lay_para_add_text(p, &b->text, bold, 0, upper);
        if (!rc && closing && i + 1 == n && b->kind == DOC_PARA) {
            char *plain = doc_text_plain(&b->text);
            const char *mark = plain ? end_mark(plain) : NULL;
            rc = !mark || (*mark && lay_para_add(p, mark, FACE_REGULAR, 0));
            free(plain);
        }
        lay_para_finish(p);
        if (rc) {
            lay_para_free(p);
            return -1;
        }
        if (lay_flow_para(f, p, align, align == LAY_ALIGN_CENTER ? 0 : LAY_INDENT,
                          i == 0 ? first_before : LAY_PARA_AFTER, heading, b))
            return -1;
        /* an untitled điều ("Điều 1." bold before its text) is in the outline by its label */
        if (b->kind == DOC_PARA && b->label && (b->label_style & DOC_BOLD) &&
            strncmp(b->label, "Điều ", strlen("Điều ")) == 0 &&
            lay_flow_anchor(f, 1, b->label))
            return -1;
    }
    return 0;
}

/* Builds the main flow: căn cứ (italic, ";" after each and "." after the last), a Quyết
 * định's "QUYẾT ĐỊNH:" or a Nghị quyết's "QUYẾT NGHỊ:", then the body blocks. */
static int build_flow(struct lay_flow *f, const struct document *doc,
                      const struct font_metrics *m)
{
    for (size_t i = 0; i < doc->can_cu_count; i++) {
        struct lay_para *p = lay_para_new(m, LAY_BODY_SIZE);
        if (!p)
            return -1;
        /* the renderer's punctuation (the loader took out what was typed) */
        int rc = lay_para_add_text(p, &doc->can_cu[i], 0, 1, 0) ||
                 lay_para_add(p, i + 1 < doc->can_cu_count ? ";" : ".", FACE_ITALIC, 0);
        lay_para_finish(p);
        if (rc) {
            lay_para_free(p);
            return -1;
        }
        if (lay_flow_para(f, p, LAY_ALIGN_JUSTIFY, LAY_INDENT, LAY_PARA_AFTER, 0, NULL))
            return -1;
    }
    /* centred, bold, with a line's space around it */
    const char *decision = doc_decision_words(doc);
    double first_before = LAY_PARA_AFTER;
    if (decision) {
        char line[64];
        snprintf(line, sizeof line, "%s:", decision);
        if (lay_flow_line(f, m, line, NULL, FACE_BOLD, 0, LAY_ALIGN_CENTER,
                          doc->can_cu_count ? 2 * LAY_PARA_AFTER : 0))
            return -1;
        first_before = 2 * LAY_PARA_AFTER;
    }
    return flow_blocks(f, doc->blocks, doc->block_count, m, first_before, 1);
}

/* ---- Kính gửi ----------------------------------------------------------------------- */

/* Lays out "Kính gửi:" with its recipients as a centred block; returns the y below it. */
static double layout_kinh_gui(struct lay_pages *e, const struct document *doc,
                              const struct font_metrics *m, double y)
{
    if (!doc->kinh_gui_count)
        return y;
    const double size = LAY_BODY_SIZE, pitch = size * LAY_LINE_FACTOR;
    double label_w = metrics_width(m, FACE_REGULAR, size, "Kính gửi: ", strlen("Kính gửi: "));
    struct lay_para **items = calloc(doc->kinh_gui_count, sizeof *items);
    struct lay_para *label = lay_para_new(m, size);
    if (!items || !label) {
        e->failed = 1;
        free(items);
        lay_para_free(label);
        return y;
    }
    double widest = 0;
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        const char *end = i + 1 < doc->kinh_gui_count ? ";" : ".";
        struct lay_para *p = items[i] = lay_para_new(m, size);
        int rc = !p;
        if (!rc && doc->kinh_gui_count > 1) {  /* several recipients: "- A;" one per line */
            rc = lay_para_add(p, "-", FACE_REGULAR, 0);
            lay_para_space(p, FACE_REGULAR);
        }
        rc = rc || lay_para_add_text(p, &doc->kinh_gui[i], 0, 0, 0) ||
             lay_para_add(p, end, FACE_REGULAR, 0);
        if (rc) {
            e->failed = 1;
            continue;
        }
        lay_para_finish(p);
        widest = fmax(widest, lay_para_width(p));
    }
    double block_w = fmin(label_w + widest, TEXT_W);
    double x = TEXT_X0 + (TEXT_W - block_w) / 2;
    y -= lay_ascent(m, size);
    if (lay_para_add(label, "Kính gửi:", FACE_REGULAR, 0))
        e->failed = 1;
    lay_para_finish(label);
    lay_emit_block(e, 0, label, x, label_w, LAY_ALIGN_LEFT, y, pitch, NULL);
    lay_para_free(label);
    for (size_t i = 0; i < doc->kinh_gui_count; i++) {
        if (items[i] && !e->failed)
            y = lay_emit_block(e, 0, items[i], x + label_w, TEXT_W - (x + label_w - TEXT_X0),
                               LAY_ALIGN_LEFT, y, pitch, NULL) - pitch;
        lay_para_free(items[i]);
    }
    free(items);
    return y + pitch - (pitch - lay_ascent(m, size)) - LAY_PARA_AFTER;
}

/* ---- the closing block: Nơi nhận, ô 12, signature blocks ------------------------------- */

/* One signature block: its quyền hạn and chức vụ lines, and the name. */
struct signer {
    struct lay_para **lines;
    size_t line_count;
    struct lay_para *name;
};

/* The closing block, set as one unbreakable box. */
struct closing {
    const struct font_metrics *m;
    struct lay_para *label;         /* "Nơi nhận:" */
    struct lay_para **items;        /* "- …;", the last "- Lưu: …." */
    size_t item_count;
    struct lay_para *drafter;       /* ô 12: "PL.(300)", or NULL */
    struct signer *signers;         /* the issuing (lead) signer first */
    size_t signer_count;
    int secretary_unsealed;         /* a Biên bản: only the chair's block (the first) takes
                                       the seal (Phụ lục III, Mẫu 1.9) */
};

static void closing_free(struct closing *c)
{
    lay_para_free(c->label);
    lay_para_free(c->drafter);
    for (size_t i = 0; i < c->item_count && c->items; i++)
        lay_para_free(c->items[i]);
    for (size_t s = 0; s < c->signer_count && c->signers; s++) {
        for (size_t i = 0; i < c->signers[s].line_count && c->signers[s].lines; i++)
            lay_para_free(c->signers[s].lines[i]);
        free(c->signers[s].lines);
        lay_para_free(c->signers[s].name);
    }
    free(c->items);
    free(c->signers);
}

/* Sets the closing block's texts into paragraphs; returns 0, or -1 without memory. */
static int closing_build(struct closing *c, const struct document *doc,
                         const struct font_metrics *m)
{
    memset(c, 0, sizeof *c);
    c->m = m;
    c->item_count = doc->has_noi_nhan ? doc->noi_nhan_count + 1 : 0;
    c->items = calloc(c->item_count ? c->item_count : 1, sizeof *c->items);
    c->signer_count = doc->signature_count;
    c->secretary_unsealed = doc->form == DOC_FORM_BIEN_BAN;
    c->signers = calloc(c->signer_count ? c->signer_count : 1, sizeof *c->signers);
    c->label = doc->has_noi_nhan ? lay_para_new(m, 12.0) : NULL;
    if (!c->items || !c->signers || (doc->has_noi_nhan && !c->label))
        return -1;
    int rc = 0;
    if (c->label) {
        rc = lay_para_add(c->label, "Nơi nhận:", FACE_BOLD_ITALIC, 0);
        lay_para_finish(c->label);
    }
    for (size_t i = 0; i < c->item_count && !rc; i++) {
        struct lay_para *p = c->items[i] = lay_para_new(m, 11.0);
        if (!p)
            return -1;
        rc |= lay_para_add(p, "-", FACE_REGULAR, 0);
        lay_para_space(p, FACE_REGULAR);
        if (i < doc->noi_nhan_count) {
            rc |= lay_para_add_text(p, &doc->noi_nhan[i], 0, 0, 0);
            rc |= lay_para_add(p, ";", FACE_REGULAR, 0);
        } else {
            rc |= lay_para_add(p, "Lưu:", FACE_REGULAR, 0);
            lay_para_space(p, FACE_REGULAR);
            rc |= lay_para_add_text(p, &doc->luu, 0, 0, 0);
            rc |= lay_para_add(p, ".", FACE_REGULAR, 0);
        }
        lay_para_finish(p);
    }
    if (doc->drafter && !rc) {
        /* Phụ lục I §III.3 and its example "PL.(300)" */
        char text[64];
        if (doc->drafter_copies > 0)
            snprintf(text, sizeof text, "%s.(%d)", doc->drafter, doc->drafter_copies);
        else
            snprintf(text, sizeof text, "%s.", doc->drafter);
        if (!(c->drafter = lay_para_new(m, LAY_DRAFTER_SIZE)))
            return -1;
        rc |= lay_para_add(c->drafter, text, FACE_REGULAR, 1);
        lay_para_finish(c->drafter);
    }
    for (size_t s = 0; s < c->signer_count && !rc; s++) {
        const struct doc_signature *sig = &doc->signatures[s];
        struct signer *sg = &c->signers[s];
        sg->lines = calloc(sig->line_count ? sig->line_count : 1, sizeof *sg->lines);
        sg->name = lay_para_new(m, LAY_BODY_SIZE);
        if (!sg->lines || !sg->name)
            return -1;
        sg->line_count = sig->line_count;
        for (size_t i = 0; i < sg->line_count && !rc; i++) {
            if (!(sg->lines[i] = lay_para_new(m, LAY_BODY_SIZE)))
                return -1;
            rc |= lay_para_add_text(sg->lines[i], &sig->lines[i], 1, 0, 1);
            lay_para_finish(sg->lines[i]);
        }
        rc |= lay_para_add_text(sg->name, &sig->name, 1, 0, 0);
        lay_para_finish(sg->name);
    }
    return rc ? -1 : 0;
}

/* Sets (or, e NULL, only measures) the Nơi nhận column with the label's baseline at y: the
 * label, one item per line (an item too long for the column wraps under its own text), then
 * ô 12. Returns the bottom of its last line. */
static double noi_nhan_set(struct lay_pages *e, const struct closing *c, size_t page, double y)
{
    const struct font_metrics *m = c->m;
    const double ip = 11.0 * LAY_SINGLE;
    if (!c->label)
        return y;               /* a document without its Nơi nhận */
    if (e)
        lay_emit_block(e, page, c->label, TEXT_X0, LEFT_COL_W, LAY_ALIGN_LEFT, y, ip, NULL);
    double iy = y - 12.0 * LAY_SINGLE;
    double dash_w = metrics_width(m, FACE_REGULAR, 11.0, "- ", 2);
    for (size_t i = 0; i < c->item_count; i++) {
        size_t count;
        struct lb_line *lines = lay_para_break(c->items[i], LEFT_COL_W, LEFT_COL_W - dash_w, 0,
                                               0, &count);
        if (!lines) {
            if (e)
                e->failed = 1;
            return iy;
        }
        for (size_t k = 0; k < count; k++) {
            if (e)
                lay_emit_line(e, page, c->items[i], &lines[k], TEXT_X0 + (k ? dash_w : 0), iy);
            iy -= ip;
        }
        free(lines);
    }
    if (c->drafter) {
        if (e)
            lay_emit_block(e, page, c->drafter, TEXT_X0, LEFT_COL_W, LAY_ALIGN_LEFT, iy, ip,
                           NULL);
        iy -= ip;
    }
    return iy + ip - 3.0;
}

/* The number of lines p takes in a column this wide (1 at least); *failed set without
 * memory. */
static size_t lines_in(struct lay_para *p, double width, int *failed)
{
    size_t count = 0;
    struct lb_line *lines = lay_para_break(p, width, width, 0, 0, &count);
    if (!lines)
        *failed = 1;
    free(lines);
    return count ? count : 1;
}

/* Sets the closing block with its top at top on page (or, e NULL, only measures it);
 * returns its height, and (when not NULL) the heights of the Nơi nhận column and of the
 * signature blocks. One signer: the Nơi nhận on the left, level with the first signature
 * line, the signature block in the right column (ô 7). Two or three (a liên tịch, a Biên
 * bản): the blocks side by side, the lead signer's on the right, their names level, and the
 * Nơi nhận under them at the left margin. */
static double closing_set(struct lay_pages *e, const struct closing *c, size_t page, double top,
                          double *list_h, double *sign_h)
{
    const struct font_metrics *m = c->m;
    const double sp = LAY_BODY_SIZE * LAY_LINE_FACTOR;
    double first = top - lay_ascent(m, LAY_BODY_SIZE);
    size_t n = c->signer_count > 3 ? 3 : c->signer_count ? c->signer_count : 1;
    double col_x[3], col_w[3];
    col_x[0] = TEXT_X0 + LEFT_COL_W;
    col_w[0] = TEXT_W - LEFT_COL_W;
    if (n == 2) {
        col_x[1] = TEXT_X0;
        col_w[1] = LEFT_COL_W;
    } else if (n == 3) {
        for (size_t s = 0; s < 3; s++) {
            col_w[s] = TEXT_W / 3;
            col_x[s] = TEXT_X0 + TEXT_W / 3 * (double)(2 - s);
        }
    }
    /* the names level, LAY_SIGN_LINES steps under the longest block's last line */
    int failed = 0;
    size_t steps = 1;
    for (size_t s = 0; s < c->signer_count && s < n; s++) {
        size_t k = 0;
        for (size_t i = 0; i < c->signers[s].line_count; i++)
            k += lines_in(c->signers[s].lines[i], col_w[s], &failed);
        if (k > steps)
            steps = k;
    }
    double name_y = first - sp * (double)(steps - 1) - sp * LAY_SIGN_LINES;
    double left_bottom = noi_nhan_set(e, c, page, n == 1 ? first : name_y - 2 * sp);
    for (size_t s = 0; s < c->signer_count && s < n && e; s++) {
        const struct signer *sg = &c->signers[s];
        double y = first;
        for (size_t i = 0; i < sg->line_count; i++)
            y = lay_emit_block(e, page, sg->lines[i], col_x[s], col_w[s], LAY_ALIGN_CENTER, y,
                               sp, NULL) - sp;
        lay_emit_block(e, page, sg->name, col_x[s], col_w[s], LAY_ALIGN_CENTER, name_y, sp,
                       NULL);
        e->doc->signs[s] = (struct lay_sign){
            .page = page, .col_x0 = col_x[s], .col_x1 = col_x[s] + col_w[s], .top_y = y + sp,
            .name_y = name_y, .sealed = s == 0 || !c->secretary_unsealed};
        e->doc->sign_count = s + 1;
    }
    if (failed && e)
        e->failed = 1;
    double right_bottom = name_y - (sp - lay_ascent(m, LAY_BODY_SIZE));
    if (list_h)
        *list_h = top - left_bottom;
    if (sign_h)
        *sign_h = top - right_bottom;
    return top - fmin(left_bottom, right_bottom);
}

/* The closing block as the flow's box (lay_draw_box). */
static void closing_draw(struct lay_pages *e, size_t page, double top, void *ctx)
{
    closing_set(e, ctx, page, top, NULL, NULL);
}

/* ---- Phụ lục and attached documents ------------------------------------------------- */

/* Writes "(Kèm theo Báo cáo số 05/BC-UBND ngày 20 tháng 11 năm 2023)" into buf, with
 * " của <issuer>" before the ")" when an issuer is given; a blank number or date keeps its
 * room, as in the header. */
static void appendix_reference(const struct document *doc, const struct doc_text *issuer,
                               char *buf, size_t size)
{
    char *type = doc_text_plain(&doc->type_name);
    char *sentence = type ? text_sentence_case(type) : NULL;
    char *by = issuer && issuer->count ? doc_text_plain(issuer) : NULL;
    char code[96], date[96];
    doc_code(doc, code, sizeof code);
    if (doc->has_date)
        vn_date_words(&doc->date, date, sizeof date);
    else
        snprintf(date, sizeof date, "ngày" NBSP6 "tháng" NBSP6 "năm %d", doc->date.year);
    snprintf(buf, size, "(Kèm theo %s số%s%s %s%s%s)", sentence ? sentence : "văn bản",
             doc->number ? " " : NBSP6, code, date, by ? " của " : "", by ? by : "");
    free(type);
    free(sentence);
    free(by);
}

/* Lays out Phụ lục index (the number-th) on new pages (landscape when it says so), numbered
 * from 1: its label (an outline entry), title and reference line, then its blocks. */
static enum lay_failure layout_appendix(struct lay_pages *e, const struct document *doc,
                                        size_t index, int number, size_t max_pages)
{
    const struct doc_appendix *app = &doc->appendices[index];
    const struct font_metrics *m = e->metrics;
    const struct lay_frame *frame = app->landscape ? &lay_landscape : &lay_portrait;
    struct lay_flow *f = lay_flow_new(frame);
    if (!f)
        return LAY_NO_MEMORY;
    lay_flow_balance_centred(f, title_break_cost);
    char label[64], roman[16], ref[512];
    snprintf(label, sizeof label, "Phụ lục %s", vn_roman(number, roman, sizeof roman));
    appendix_reference(doc, &app->issuer, ref, sizeof ref);
    /* its outline entry: "Phụ lục I. <TITLE>", the title in upper case as drawn */
    char *title = doc_text_plain(&app->title);
    char *upper = title ? text_upper(title) : NULL;
    char *entry = upper ? malloc(strlen(label) + strlen(upper) + 3) : NULL;
    if (entry)
        sprintf(entry, *upper ? "%s. %s" : "%s%s", label, upper);
    free(title);
    free(upper);
    int rc = !entry || lay_flow_line(f, m, label, NULL, FACE_BOLD, 0, LAY_ALIGN_CENTER, 0) ||
             lay_flow_anchor(f, 1, entry) ||
             lay_flow_line(f, m, NULL, &app->title, FACE_BOLD, 1, LAY_ALIGN_CENTER, 0) ||
             lay_flow_line(f, m, ref, NULL, FACE_ITALIC, 0, LAY_ALIGN_CENTER, 0) ||
             flow_blocks(f, app->blocks, app->block_count, m, LAY_PARA_AFTER, 0);
    free(entry);
    enum lay_failure failure = rc ? LAY_NO_MEMORY : LAY_DONE;
    size_t first = e->doc->page_count, last = 0;
    if (!failure && max_pages && first >= max_pages)
        failure = LAY_TOO_MANY_PAGES;   /* the appendix's own first page is one too many */
    if (!failure)
        failure = lay_flow_place(e, f, first, frame->top, max_pages, &last);
    for (size_t p = first; !failure && p <= last; p++)
        e->doc->pages[p].number = (int)(p - first + 1);
    lay_flow_free(f);
    return failure;
}

/* Adds an outline anchor that opens a part of its own (an attached document). */
static void add_part_anchor(struct lay_pages *e, size_t page, double y, const char *title)
{
    struct lay_doc *d = e->doc;
    char *copy = strdup(title);
    if (!copy ||
        grow_array(&d->anchors, &d->anchor_cap, d->anchor_count + 1, sizeof *d->anchors)) {
        free(copy);
        e->failed = 1;
        return;
    }
    d->anchors[d->anchor_count++] =
        (struct lay_anchor){.page = page, .y = y, .level = 1, .title = copy, .part = 1};
}

/* Lays out a document the main one issues (a Quy chế attached to a Quyết định; Phụ lục
 * III, "Mẫu văn bản được ban hành, phê duyệt kèm theo quyết định") on new pages numbered
 * from 1: the agencies and the Quốc hiệu as in the header, no Số and date line; its type
 * name, trích yếu and "(Kèm theo Quyết định số … của …)" centred, a rule, then its text. */
static enum lay_failure layout_attachment(struct lay_pages *e, const struct document *doc,
                                          size_t index, size_t max_pages)
{
    const struct doc_appendix *app = &doc->appendices[index];
    const struct font_metrics *m = e->metrics;
    size_t first_page = e->doc->page_count, last = 0;
    if (max_pages && first_page >= max_pages)
        return LAY_TOO_MANY_PAGES;
    if (!lay_page_at(e, first_page))
        return LAY_NO_MEMORY;
    double first = TEXT_TOP - lay_ascent(m, HEADER_SIZE);
    double left_rule = header_agencies(e, first_page, doc, m, TEXT_X0, LEFT_COL_W, first);
    double right_rule = header_national(e, first_page, m, first);
    const double tp = LAY_BODY_SIZE * LAY_LINE_FACTOR;
    double ty = fmin(left_rule, right_rule) - 20.0 - 1.4 * tp, w = 0;
    char ref[512], *type = doc_text_plain(&app->type_name), *tyeu = doc_text_plain(&app->trich_yeu);
    char *title = type && tyeu ? malloc(strlen(type) + strlen(tyeu) + 2) : NULL;
    if (title)
        sprintf(title, "%s %s", type, tyeu);
    add_part_anchor(e, first_page, ty + lay_ascent(m, LAY_BODY_SIZE), title ? title : "");
    free(type);
    free(tyeu);
    free(title);
    ty = page_text(e, first_page, m, &app->type_name, NULL, LAY_BODY_SIZE, 1, 0, 1, TEXT_X0,
                   TEXT_W, LAY_ALIGN_CENTER, ty, tp, NULL);
    ty = balanced_text(e, first_page, m, &app->trich_yeu, NULL, LAY_BODY_SIZE, 1, 0, TEXT_X0,
                       TEXT_W, ty - tp, tp, &w);
    appendix_reference(doc, &app->issuer, ref, sizeof ref);
    /* the reference line broken balanced too ("… của Giám / đốc Sở" is what greedy does) */
    struct lay_para *rp = lay_para_new(m, LAY_BODY_SIZE);
    if (!rp || lay_para_add(rp, ref, FACE_ITALIC, 0)) {
        e->failed = 1;
    } else {
        lay_para_finish(rp);
        ty = emit_balanced(e, first_page, rp, TEXT_X0, TEXT_W, ty - tp, tp, title_break_cost,
                           NULL);
    }
    lay_para_free(rp);
    double rule = ty - 8.0, len = w * LAY_RULE_RATIO;
    lay_draw_rule(e, first_page, TEXT_X0 + TEXT_W / 2 - len / 2, rule,
                  TEXT_X0 + TEXT_W / 2 + len / 2, rule);
    struct lay_flow *f = lay_flow_new(&lay_portrait);
    if (f)
        lay_flow_balance_centred(f, title_break_cost);
    enum lay_failure failure = !f || flow_blocks(f, app->blocks, app->block_count, m,
                                                 LAY_PARA_AFTER, 1)
                                   ? LAY_NO_MEMORY
                                   : LAY_DONE;
    if (!failure)
        failure = lay_flow_place(e, f, first_page, rule - 10.0, max_pages, &last);
    for (size_t p = first_page; !failure && p <= last; p++)
        e->doc->pages[p].number = (int)(p - first_page + 1);
    lay_flow_free(f);
    return failure;
}

/* ---- ô 13, page numbers, the document --------------------------------------------------- */

/* Lays out ô 13 (the agency's address, phone, fax, e-mail, website) at the foot of page 1,
 * 11 pt, centred, under a rule across the text area; returns the y above which the body
 * must stay, or 0 when the document gives none. */
static double layout_contact(struct lay_pages *e, const struct document *doc,
                             const struct font_metrics *m)
{
    const struct doc_contact *c = &doc->contact;
    if (!c->address.count && !c->phone.count && !c->fax.count && !c->email.count &&
        !c->website.count)
        return 0;
    /* the address on its own line, the rest after it, "; " between the parts */
    const struct doc_text *parts[] = {&c->phone, &c->fax, &c->email, &c->website};
    static const char *const labels[] = {"ĐT:", "Fax:", "E-mail:", "Website:"};
    struct lay_para *lines[2] = {lay_para_new(m, LAY_CONTACT_SIZE),
                                 lay_para_new(m, LAY_CONTACT_SIZE)};
    int rc = !lines[0] || !lines[1], any = 0;
    if (!rc && c->address.count) {
        rc = lay_para_add(lines[0], "Địa chỉ:", FACE_REGULAR, 0);
        lay_para_space(lines[0], FACE_REGULAR);
        rc = rc || lay_para_add_text(lines[0], &c->address, 0, 0, 0);
    }
    for (size_t i = 0; i < 4 && !rc; i++) {
        if (!parts[i]->count)
            continue;
        if (any) {
            rc = lay_para_add(lines[1], ";", FACE_REGULAR, 0);
            lay_para_space(lines[1], FACE_REGULAR);
        }
        rc = rc || lay_para_add(lines[1], labels[i], FACE_REGULAR, 0);
        lay_para_space(lines[1], FACE_REGULAR);
        rc = rc || lay_para_add_text(lines[1], parts[i], 0, 0, 0);
        any = 1;
    }
    double rule = 0;
    if (rc) {
        e->failed = 1;
    } else {
        const double pitch = LAY_CONTACT_SIZE * LAY_SINGLE;
        int failed = 0;
        size_t n = 0;
        for (int k = 0; k < 2; k++) {
            lay_para_finish(lines[k]);
            if (lay_para_words(lines[k]))
                n += lines_in(lines[k], TEXT_W, &failed);
        }
        double y = TEXT_BOTTOM + 0.25 * LAY_CONTACT_SIZE + pitch * (double)(n - 1);
        rule = y + lay_ascent(m, LAY_CONTACT_SIZE) + 3.0;
        lay_draw_rule(e, 0, TEXT_X0, rule, TEXT_X1, rule);
        for (int k = 0; k < 2; k++)
            if (lay_para_words(lines[k]))
                y = lay_emit_block(e, 0, lines[k], TEXT_X0, TEXT_W, LAY_ALIGN_CENTER, y,
                                   pitch, NULL) - pitch;
        if (failed)
            e->failed = 1;
    }
    lay_para_free(lines[0]);
    lay_para_free(lines[1]);
    return rule > 0 ? rule + 6.0 : 0;
}

/* Page numbers: 14 pt, centred in the top margin, from the second page of the document and
 * of each appendix and attached document. */
static void number_pages(struct lay_pages *e)
{
    for (size_t p = 0; p < e->doc->page_count; p++) {
        const struct lay_page *pg = &e->doc->pages[p];
        if (pg->number < 2)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", pg->number);
        double w = metrics_width(e->metrics, FACE_REGULAR, 14.0, num, strlen(num));
        double x0 = LAY_MARGIN_LEFT, x1 = pg->width - LAY_MARGIN_RIGHT;
        double base = pg->height - LAY_MARGIN_TOP / 2 - 14.0 * 0.3;
        lay_text(e, p, x0 + (x1 - x0 - w) / 2, base, FACE_REGULAR, 14.0, num);
    }
}

/* Lays the document out: page 1's header (and a công điện's recipients, or Kính gửi), ô 13
 * at its foot, then the căn cứ and body with the closing block, then each Phụ lục and
 * attached document. */
static enum lay_failure layout_pages(struct lay_pages *e, const struct document *doc,
                                     size_t max_pages)
{
    const struct font_metrics *m = e->metrics;
    if (!lay_page_at(e, 0))
        return LAY_NO_MEMORY;
    double y = layout_header(e, doc, m);
    if (doc->form != DOC_FORM_CONG_DIEN)   /* a công điện's recipients are in its header */
        y = layout_kinh_gui(e, doc, m, y);
    double foot = layout_contact(e, doc, m);

    struct lay_flow *f = lay_flow_new(&lay_portrait);
    if (f)
        lay_flow_balance_centred(f, title_break_cost);
    struct closing c;
    memset(&c, 0, sizeof c);
    enum lay_failure failure = !f || build_flow(f, doc, m) || closing_build(&c, doc, m)
                                   ? LAY_NO_MEMORY
                                   : LAY_DONE;
    if (f && foot > 0)
        lay_flow_first_bottom(f, foot);
    /* the closing block joins the flow as one unbreakable box that takes the body's last
     * two lines with it; a document that stops before it has none */
    double list_h = 0, sign_h = 0;
    int closing = doc->signature_count > 0 || doc->has_noi_nhan;
    double close_h = failure || !closing ? 0 : closing_set(NULL, &c, 0, 0, &list_h, &sign_h);
    if (!failure && closing && lay_flow_box(f, close_h, LAY_BODY_SIZE, closing_draw, &c))
        failure = LAY_NO_MEMORY;
    if (!failure && close_h > TEXT_TOP - TEXT_BOTTOM) {
        /* e->tall: the column at fault, the signature blocks when they are too tall alone */
        e->tall = sign_h > TEXT_TOP - TEXT_BOTTOM && doc->signature_count
                      ? doc->signatures[0].loc : doc->noi_nhan_loc;
        failure = LAY_BOX_TOO_TALL;
    }
    if (!failure && y < (foot > 0 ? foot : TEXT_BOTTOM) - 0.01)
        failure = LAY_HEADER_TOO_TALL;
    size_t last = 0;
    if (!failure)
        failure = lay_flow_place(e, f, 0, y, max_pages, &last);
    for (size_t p = 0; !failure && p < e->doc->page_count; p++)
        e->doc->pages[p].number = (int)p + 1;
    for (size_t a = 0, number = 0; !failure && a < doc->appendix_count; a++)
        failure = doc->appendices[a].is_attachment
                      ? layout_attachment(e, doc, a, max_pages)
                      : layout_appendix(e, doc, a, (int)++number, max_pages);
    if (!failure)
        number_pages(e);
    lay_flow_free(f);
    closing_free(&c);
    return !failure && e->failed ? LAY_NO_MEMORY : failure;
}

enum vb_status layout_document(const struct document *doc, const struct font_metrics *m,
                               size_t max_pages, struct lay_doc **out, struct vb_diags *diags)
{
    *out = NULL;
    struct lay_doc *ld = calloc(1, sizeof *ld);
    if (!ld)
        return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory");
    struct lay_pages e = {.doc = ld, .frame = &lay_portrait, .metrics = m};
    enum lay_failure failure = layout_pages(&e, doc, max_pages);
    if (failure != LAY_DONE)
        layout_free(ld);
    switch (failure) {
    case LAY_DONE:
        *out = ld;
        return VB_OK;
    case LAY_BOX_TOO_TALL:
        if (doc->signature_count && e.tall.line == doc->signatures[0].loc.line &&
            e.tall.col == doc->signatures[0].loc.col)
            return diag_error(diags, VB_EINPUT, doc->source, e.tall.line, e.tall.col,
                              "the signature block (%zu lines of authority and position, "
                              "the space to sign, the name) is taller than a page: shorten "
                              "its lines", doc->signatures[0].line_count);
        return diag_error(diags, VB_EINPUT, doc->source, e.tall.line, e.tall.col,
                          "the Nơi nhận list (%zu recipients) is taller than a page beside "
                          "the signature: shorten the recipient list",
                          doc->noi_nhan_count);
    case LAY_ROW_TOO_TALL:
        return diag_error(diags, VB_EINPUT, doc->source, e.tall.line, 0,
                          "a row of this table is taller than a page (with the table's "
                          "header rows): split its text over several rows");
    case LAY_HEADER_TOO_TALL:
        return diag_error(diags, VB_EINPUT, doc->source,
                          doc->agency_count ? doc->agencies[0].loc.line : 0, 0,
                          "the header (agency, title and trích yếu, Kính gửi) is taller than "
                          "the first page: shorten the agency's lines or the Kính gửi list");
    case LAY_TOO_MANY_PAGES:
        return diag_error(diags, VB_EINPUT, doc->source, 0, 0,
                          P_("the document needs more than %zu page (raise --max-pages)",
                             "the document needs more than %zu pages (raise --max-pages)",
                             max_pages), max_pages);
    case LAY_NO_MEMORY:
        break;
    }
    return diag_error(diags, VB_EINTERNAL, NULL, 0, 0, "out of memory during layout");
}
