/* expr_test.c: unit tests of the template expression language (gen/expr.c). */
#include "expr.h"
#include "vnformat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (cond)                                                                              \
            passed++;                                                                          \
        else {                                                                                 \
            failed++;                                                                          \
            fprintf(stderr, "%s:%d: FAILED: ", __FILE__, __LINE__);                            \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

static struct td_arena *arena;
static struct expr_scope root_scope, loop_scope;
static const struct expr_scope *scope = &loop_scope;

/* Builds the test data: a root object and a loop variable u (the first unit). */
static void build_data(void)
{
    arena = td_arena_new();
    struct td_obj *root = td_obj_new(arena);
    struct td_obj *total = td_obj_new(arena);
    td_obj_set(arena, total, "so_doanh_nghiep", td_int(1234567));
    td_obj_set(arena, total, "so_dn_co_cdcs", td_int(2000));
    td_obj_set(arena, total, "so_dn_cdcs_qhld_hai_hoa", td_int(1789));
    td_obj_set(arena, total, "zero", td_int(0));
    td_obj_set(arena, total, "missing", td_null());
    td_obj_set(arena, total, "tien_phat", td_int(45500000));
    td_obj_set(arena, root, "total", td_obj_value(total));
    struct td_obj *ratio = td_obj_new(arena);
    td_obj_set(arena, ratio, "hai_hoa", td_num(89.45));
    td_obj_set(arena, root, "ratio", td_obj_value(ratio));
    td_obj_set(arena, root, "big", td_int(INT64_MAX));
    td_obj_set(arena, root, "title", td_str("Báo cáo"));

    struct td_list *units = td_list_new(arena, 4);
    const char *names[] = {"Huyện Kế Sách", "Thị xã Vĩnh Châu", "Thành phố Sóc Trăng"};
    for (int i = 0; i < 3; i++) {
        struct td_obj *u = td_obj_new(arena);
        td_obj_set(arena, u, "name", td_str(names[i]));
        td_obj_set(arena, u, "so_doanh_nghiep", i == 1 ? td_null() : td_int(100 * (i + 1)));
        td_obj_set(arena, u, "reported", td_bool(i != 2));
        if (i == 0) {
            struct td_obj *prev = td_obj_new(arena);
            td_obj_set(arena, prev, "so_doanh_nghiep", td_int(80));
            td_obj_set(arena, u, "prev", td_obj_value(prev));
        } else
            td_obj_set(arena, u, "prev", td_null());
        units->items[i] = td_obj_value(u);
    }
    /* items[3] stays null: a unit that sent nothing */
    td_obj_set(arena, root, "units", td_list_value(units));
    struct td_list *empty = td_list_new(arena, 0);
    td_obj_set(arena, root, "empty", td_list_value(empty));
    struct td_list *mixed = td_list_new(arena, 2);
    struct td_obj *m1 = td_obj_new(arena), *m2 = td_obj_new(arena);
    td_obj_set(arena, m1, "x", td_num(1.5));
    td_obj_set(arena, m2, "x", td_int(2));
    mixed->items[0] = td_obj_value(m1);
    mixed->items[1] = td_obj_value(m2);
    td_obj_set(arena, root, "mixed", td_list_value(mixed));

    root_scope = (struct expr_scope){.parent = NULL, .name = NULL, .value = td_obj_value(root)};
    loop_scope = (struct expr_scope){.parent = &root_scope, .name = "u", .value = units->items[0]};
}

/* Parses and evaluates src; returns 0 and *out, or -1 with the first message in msg. */
static int run(const char *src, struct td_value *out, char *msg, size_t size, long *col)
{
    struct vb_diags d = {0};
    struct expr *e = expr_parse(src, "t.xml", 7, 1, &d);
    int rc = -1;
    if (e)
        rc = expr_eval(e, scope, arena, out, &d);
    msg[0] = 0;
    if (d.count) {
        snprintf(msg, size, "%s", d.items[0].message);
        if (col)
            *col = d.items[0].col;
        if (d.items[0].line != 7 || strcmp(d.items[0].file, "t.xml") != 0)
            snprintf(msg, size, "wrong location %s:%ld", d.items[0].file, d.items[0].line);
    }
    if ((rc == 0) != (d.count == 0))
        snprintf(msg, size, "status %d disagrees with %zu diagnostics", rc, d.count);
    diag_clear(&d);
    expr_free(e);
    return rc;
}

static void expect_int(int line, const char *src, int64_t want)
{
    struct td_value v;
    char msg[512];
    int rc = run(src, &v, msg, sizeof msg, NULL);
    CHECK(rc == 0 && v.type == TD_INT && v.u.i == want, "line %d: %s: want %lld, got rc %d type %d (%s)",
          line, src, (long long)want, rc, rc == 0 ? (int)v.type : -1, msg);
}

static void expect_num(int line, const char *src, double want)
{
    struct td_value v;
    char msg[512];
    int rc = run(src, &v, msg, sizeof msg, NULL);
    CHECK(rc == 0 && v.type == TD_NUM && fabs(v.u.n - want) <= 1e-12 * fmax(1, fabs(want)),
          "line %d: %s: want %g, got rc %d type %d %g (%s)", line, src, want, rc,
          rc == 0 ? (int)v.type : -1, rc == 0 && v.type == TD_NUM ? v.u.n : 0, msg);
}

static void expect_bool(int line, const char *src, int want)
{
    struct td_value v;
    char msg[512];
    int rc = run(src, &v, msg, sizeof msg, NULL);
    CHECK(rc == 0 && v.type == TD_BOOL && v.u.b == want, "line %d: %s: want %s (%s)", line, src,
          want ? "true" : "false", msg);
}

static void expect_null(int line, const char *src)
{
    struct td_value v;
    char msg[512];
    int rc = run(src, &v, msg, sizeof msg, NULL);
    CHECK(rc == 0 && v.type == TD_NULL, "line %d: %s: want null, got rc %d type %d (%s)", line,
          src, rc, rc == 0 ? (int)v.type : -1, msg);
}

static void expect_str(int line, const char *src, const char *want)
{
    struct td_value v;
    char msg[512];
    int rc = run(src, &v, msg, sizeof msg, NULL);
    CHECK(rc == 0 && v.type == TD_STR && strcmp(v.u.s, want) == 0, "line %d: %s: want '%s' (%s)",
          line, src, want, msg);
}

/* Expects an error (syntax or evaluation) whose message contains part, at column col
 * (0: any column). */
static void expect_error(int line, const char *src, const char *part, long col)
{
    struct td_value v;
    char msg[512];
    long got_col = -1;
    int rc = run(src, &v, msg, sizeof msg, &got_col);
    CHECK(rc < 0 && strstr(msg, part) && (col == 0 || got_col == col),
          "line %d: %s: want error '%s' at col %ld, got rc %d '%s' at col %ld", line, src, part,
          col, rc, msg, got_col);
}

#define INT(src, want) expect_int(__LINE__, src, want)
#define NUM(src, want) expect_num(__LINE__, src, want)
#define BOOL(src, want) expect_bool(__LINE__, src, want)
#define NUL(src) expect_null(__LINE__, src)
#define STR(src, want) expect_str(__LINE__, src, want)
#define ERR(src, part, col) expect_error(__LINE__, src, part, col)

/* Formats v in format; returns the text, or "ERROR: message". */
static const char *fmt(struct td_value v, const char *format)
{
    static char buf[256];
    struct vb_diags d = {0};
    if (expr_format(v, format, buf, sizeof buf, "t.xml", 3, &d) < 0)
        snprintf(buf, sizeof buf, "ERROR: %s", d.count ? d.items[0].message : "(none)");
    else if (d.count)
        snprintf(buf, sizeof buf, "ERROR: success with a diagnostic");
    diag_clear(&d);
    return buf;
}

#define FMT(v, format, want)                                                                   \
    do {                                                                                       \
        const char *got_ = fmt(v, format);                                                     \
        CHECK(strcmp(got_, want) == 0, "format %s: want '%s', got '%s'", #format, want, got_);  \
    } while (0)
#define FMT_ERR(v, format, part)                                                               \
    do {                                                                                       \
        const char *got_ = fmt(v, format);                                                     \
        CHECK(strncmp(got_, "ERROR: ", 7) == 0 && strstr(got_, part),                          \
              "format %s: want error '%s', got '%s'", #format, part, got_);                    \
    } while (0)

static void test_literals(void)
{
    INT("85", 85);
    INT("  85  ", 85);
    INT("9223372036854775807", INT64_MAX);
    NUM("65.5", 65.5);
    NUM("0.1", 0.1);
    NUM("007.250", 7.25);
    NUM("123456789012345678901234.5", 123456789012345678901234.5);
    STR("'abc'", "abc");
    STR("\"it's\"", "it's");
    STR("'say \"hi\"'", "say \"hi\"");
    STR("''", "");
    STR("'Sở Lao động – Thương binh'", "Sở Lao động – Thương binh");
    BOOL("true", 1);
    BOOL("false", 0);
    NUL("null");
}

static void test_syntax_errors(void)
{
    ERR("", "empty expression", 1);
    ERR("   ", "empty expression", 1);
    ERR("1 +", "expected a value", 4);
    ERR("(1 + 2", "expected ')' to close '(' at column 1", 7);
    ERR("1 + 2)", "unexpected ')' after the expression", 6);
    ERR("'abc", "quoted text is not closed", 1);
    ERR("a = 1", "write '==' to compare", 3);
    ERR("a && b", "write 'and'", 3);
    ERR("a || b", "write 'or'", 3);
    ERR("!a", "write 'not'", 1);
    ERR("1 # 2", "unexpected character '#'", 3);
    ERR("5.", "expected a digit after the decimal point", 3);
    ERR("5abc", "a number cannot be followed by a letter", 2);
    ERR("99999999999999999999", "whole number too large", 1);
    ERR("u.", "expected a field name after '.'", 3);
    ERR("u.(x)", "expected a field name after '.'", 3);
    ERR("foo(1)", "unknown function 'foo'", 1);
    ERR("pcr(1, 2)", "unknown function 'pcr'; did you mean 'pct'?", 1);
    ERR("pct(1)", "pct() takes 2 arguments, not 1", 1);
    ERR("pct(1, 2, 3)", "pct() takes 2 arguments, not more", 1);
    ERR("present()", "present() takes 1 argument, not 0", 1);
    ERR("pct(1 2)", "expected ',' or ')' in the call of pct() opened at column 4, found '2'", 7);
    ERR("pct(1,)", "expected a value", 7);
    ERR("1 < 2 < 3", "comparisons cannot be chained", 7);
    ERR("u.so_doanh_nghiep == null", "use present(x)", 19);
    ERR("null != x", "use present(x)", 6);
    ERR("x >= 65,5", "decimals are written with '.'", 8);
    ERR("and", "expected a value", 1);
    ERR("not", "expected a value", 4);
    ERR("1 2", "unexpected '2' after the expression", 3);
    ERR("“abc”", "typographic quote", 1);
    ERR("a\xC2\xA0" "b", "unexpected space character U+00A0", 2);
    ERR("'\xFF'", "invalid UTF-8", 2);
    ERR("\xFF", "invalid UTF-8", 1);
    ERR("a \x01", "control character", 3);
    /* columns count characters, not bytes */
    ERR("'đồng' + ", "expected a value", 10);
    ERR("u.tên_đơn_vị #", "unexpected character '#'", 14);
    /* long tokens are shortened in messages */
    ERR("1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "'aaaaaaaaaaaaaaaaaaaaaaaa…'", 3);

    /* col_base shifts the column to the attribute's place in the file */
    struct vb_diags d = {0};
    struct expr *e = expr_parse("1 + + ", "t.xml", 12, 40, &d);
    CHECK(!e && d.count == 1 && d.items[0].line == 12 && d.items[0].col == 44 &&
              strcmp(d.items[0].file, "t.xml") == 0,
          "col_base: got %zu diagnostics, col %ld", d.count, d.count ? d.items[0].col : -1);
    diag_clear(&d);
    e = expr_parse(NULL, "t.xml", 1, 1, &d);
    CHECK(!e && d.count == 1, "NULL source is an empty expression");
    diag_clear(&d);
    e = expr_parse("u . name", "t.xml", 1, 1, &d);
    CHECK(e && d.count == 0 && strcmp(expr_source(e), "u . name") == 0, "spaces around '.'");
    expr_free(e);
    diag_clear(&d);
}

static void test_arithmetic(void)
{
    INT("1 + 2", 3);
    INT("10 - 12", -2);
    INT("6 * 7", 42);
    NUM("7 / 2", 3.5);
    NUM("6 / 3", 2.0);
    NUM("1.5 + 1", 2.5);
    NUM("1 - 0.25", 0.75);
    NUM("2 * 0.5", 1.0);
    INT("-5", -5);
    INT("--5", 5);
    INT("- -5", 5);
    NUM("-2.5", -2.5);
    INT("2 - -3", 5);
    STR("'Huyện ' + 'Kế Sách'", "Huyện Kế Sách");
    STR("u.name + ' (2024)'", "Huyện Kế Sách (2024)");
    ERR("'a' + 1", "cannot add text and whole number", 5);
    ERR("1.5 + 'a'", "cannot add number and text", 5);
    ERR("'a' - 'b'", "cannot subtract text from text", 5);
    ERR("'a' * 2", "cannot multiply text by whole number", 5);
    ERR("true + 1", "cannot add condition and whole number", 6);
    ERR("u + 1", "cannot add record and whole number", 3);
    ERR("units * 2", "cannot multiply list by whole number", 7);
    ERR("-'a'", "cannot negate text", 1);
    ERR("-true", "cannot negate a condition", 1);
    /* overflow */
    ERR("big + 1", "result too large for a whole number", 5);
    ERR("-big - 2", "result too large for a whole number", 6);
    ERR("big * 2", "result too large for a whole number", 5);
    ERR("-(-big - 1)", "result too large for a whole number", 1);
    INT("-big - 1", INT64_MIN);
    NUM("big * 2.0", (double)INT64_MAX * 2.0);
    ERR("100000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000.0 * 10",
        "number too large", 1);
    NUM("123456789012345678901234567890.0 / 1000000000000000000000.0", 123456789.01234567890);
    ERR("1e5", "a number cannot be followed by a letter", 2);
    /* division */
    ERR("1 / 0", "division by zero", 3);
    ERR("total.so_doanh_nghiep / total.zero", "division by zero", 23);
    ERR("1 / 0.0", "division by zero", 3);
    NUL("total.missing / 0");  /* not applicable wins: nothing to divide */
    ERR("'a' / 0", "cannot divide text by whole number", 5);
    /* null propagates */
    NUL("null + 1");
    NUL("1 - null");
    NUL("total.missing * 3");
    NUL("-total.missing");
    NUL("u.prev.so_doanh_nghiep - total.missing");
    NUL("'a' + null");
    ERR("true + null", "cannot add condition and null", 6);
}

static void test_precedence(void)
{
    INT("1 + 2 * 3", 7);
    INT("(1 + 2) * 3", 9);
    INT("10 - 4 - 3", 3);          /* left associative */
    NUM("12 / 3 / 2", 2.0);
    INT("2 * -3", -6);
    INT("-2 * 3", -6);
    INT("-(2 + 3)", -5);
    BOOL("1 + 1 == 2", 1);
    BOOL("2 * 3 > 5 and 1 < 2", 1);
    BOOL("true or false and false", 1);    /* and binds tighter than or */
    BOOL("(true or false) and false", 0);
    BOOL("not true or true", 1);          /* not binds tighter than or */
    BOOL("not (true or true)", 0);
    BOOL("not 1 > 2", 1);                 /* not binds looser than comparisons */
    BOOL("not not true", 1);
    BOOL("((((1)))) == 1", 1);
}

static void test_comparisons(void)
{
    BOOL("1 < 2", 1);
    BOOL("2 < 2", 0);
    BOOL("2 <= 2", 1);
    BOOL("3 > 2", 1);
    BOOL("2 >= 3", 0);
    BOOL("2 == 2", 1);
    BOOL("2 != 2", 0);
    BOOL("2 == 2.0", 1);
    BOOL("1.5 < 2", 1);
    BOOL("ratio.hai_hoa >= 85", 1);
    BOOL("ratio.hai_hoa >= 85 and u.reported", 1);
    BOOL("'a' == 'a'", 1);
    BOOL("'a' != 'b'", 1);
    BOOL("u.name == 'Huyện Kế Sách'", 1);
    BOOL("true == true", 1);
    BOOL("true != false", 1);
    BOOL("big == 9223372036854775807", 1);
    BOOL("big > 9223372036854775806", 1);
    ERR("'a' < 'b'", "text can only be compared with == and !=, not <", 5);
    ERR("true > false", "a condition can only be compared with == and !=", 6);
    ERR("'1' == 1", "cannot compare text with whole number", 5);
    ERR("u == u", "cannot compare record with record", 3);
    /* every comparison with null is false */
    BOOL("total.missing > 0", 0);
    BOOL("total.missing <= 0", 0);
    BOOL("total.missing == total.missing", 0);
    BOOL("total.missing != 1", 0);
    BOOL("'x' != total.missing", 0);
}

static void test_logic(void)
{
    BOOL("true and true", 1);
    BOOL("true and false", 0);
    BOOL("false or true", 1);
    BOOL("false or false", 0);
    BOOL("not false", 1);
    BOOL("total.missing or true", 1);     /* null counts as false */
    BOOL("not total.missing", 1);
    BOOL("false and undefined_name", 0);  /* short-circuit */
    BOOL("true or 1 / 0 > 1", 1);
    ERR("true and 1", "a condition must be true or false, not a whole number; compare it", 10);
    ERR("'yes' or false", "a condition must be true or false, not text", 1);
    ERR("not u", "a condition must be true or false, not a record", 5);

    int t = -1;
    struct vb_diags d = {0};
    CHECK(expr_truth(td_bool(1), &t, "t.xml", 2, &d) == 0 && t == 1, "truth of true");
    CHECK(expr_truth(td_bool(0), &t, "t.xml", 2, &d) == 0 && t == 0, "truth of false");
    CHECK(expr_truth(td_null(), &t, "t.xml", 2, &d) == 0 && t == 0, "truth of null");
    CHECK(d.count == 0, "truth: no diagnostics");
    CHECK(expr_truth(td_int(1), &t, "t.xml", 2, &d) < 0 && d.count == 1 &&
              d.items[0].line == 2 && strstr(d.items[0].message, "not a whole number"),
          "truth of 1 is an error");
    CHECK(expr_truth(td_str("x"), &t, "t.xml", 2, &d) < 0 && d.count == 2, "truth of text");
    diag_clear(&d);
}

static void test_names(void)
{
    INT("total.so_doanh_nghiep", 1234567);
    STR("u.name", "Huyện Kế Sách");
    INT("u.prev.so_doanh_nghiep", 80);
    STR("title", "Báo cáo");
    ERR("x", "undefined name 'x'", 1);
    ERR("1 + totl.zero", "undefined name 'totl'; did you mean 'total'?", 5);
    ERR("v.name", "undefined name 'v'", 1);  /* one letter: no far-fetched hint */
    ERR("u.nme", "'u' has no field 'nme'; did you mean 'name'?", 3);
    ERR("u.prev.so_doanh_ngiep", "'u.prev' has no field 'so_doanh_ngiep'; did you mean 'so_doanh_nghiep'?", 8);
    ERR("u.name.first", "'u.name' is text, not a record: it has no field 'first'", 8);
    ERR("(1 + 2).x", "the value is a whole number, not a record", 9);
    ERR("units.name", "'units' is a list, not a record", 7);
    ERR("total.xyz_abc", "'total' has no field 'xyz_abc'", 7);
    /* keywords are fine as field names */
    ERR("u.null", "'u' has no field 'null'", 3);

    /* field of null is null: a unit without last year's figures */
    struct expr_scope second = {.parent = &root_scope, .name = "u", .value = td_null()};
    struct td_value units;
    char msg[256];
    scope = &root_scope;
    CHECK(run("units", &units, msg, sizeof msg, NULL) == 0 && units.type == TD_LIST, "units");
    second.value = units.u.list->items[1];
    scope = &second;
    NUL("u.prev.so_doanh_nghiep");
    NUL("u.so_doanh_nghiep");
    STR("u.name", "Thị xã Vĩnh Châu");
    /* a loop variable shadows a root field of the same name */
    struct expr_scope shadow = {.parent = &second, .name = "total", .value = td_int(5)};
    scope = &shadow;
    INT("total", 5);
    STR("u.name", "Thị xã Vĩnh Châu");
    /* a Unicode loop variable */
    struct expr_scope vn = {.parent = &root_scope, .name = "đơn_vị", .value = td_int(9)};
    scope = &vn;
    INT("đơn_vị + 1", 10);
    ERR("đơn_vi", "undefined name 'đơn_vi'; did you mean 'đơn_vị'?", 1);
    scope = &loop_scope;
}

static void test_functions(void)
{
    NUM("pct(total.so_dn_cdcs_qhld_hai_hoa, total.so_dn_co_cdcs)", 89.45);
    NUM("pct(1, 4)", 25.0);
    NUM("pct(1.5, 3)", 50.0);
    NUL("pct(5, 0)");                 /* nothing to measure: not applicable, no error */
    NUL("pct(5, total.zero)");
    NUL("pct(total.missing, 5)");
    NUL("pct(5, null)");
    ERR("pct('a', 5)", "pct() needs numbers, not text (argument 1)", 5);
    ERR("pct(1, u)", "pct() needs numbers, not a record (argument 2)", 8);
    NUM("change(112, 100)", 12.0);
    NUM("change(96, 100)", -4.0);
    NUM("change(u.so_doanh_nghiep, u.prev.so_doanh_nghiep)", 25.0);
    NUL("change(5, 0)");
    NUL("change(null, 5)");
    BOOL("present(u.name)", 1);
    BOOL("present(total.missing)", 0);
    BOOL("present(null)", 0);
    BOOL("present(0)", 1);
    BOOL("not present(u.prev)", 0);
    INT("count(units)", 4);
    INT("count(empty)", 0);
    NUL("count(total.missing)");
    ERR("count(u.name)", "count() needs a list, not text; use len() for text", 7);
    INT("sum(units, 'so_doanh_nghiep')", 400);  /* 100 + null + 300, null unit skipped */
    NUM("sum(mixed, 'x')", 3.5);
    NUL("sum(empty, 'x')");
    NUL("sum(total.missing, 'x')");
    ERR("sum(units, 'so_doanh_ngiep')", "has no field 'so_doanh_ngiep'; did you mean 'so_doanh_nghiep'?", 1);
    ERR("sum(units, 'name')", "sum(): field 'name' of item 1 is text, not a number", 1);
    ERR("sum(units, 1)", "sum() needs the field name as text", 12);
    ERR("sum(u, 'x')", "sum() needs a list, not a record", 5);
    NUM("round(89.45, 1)", 89.5);
    NUM("round(2.5, 0)", 3.0);
    NUM("round(-2.5, 0)", -3.0);
    NUM("round(1.005, 2)", 1.01);
    NUM("round(1234.5678, 2)", 1234.57);
    INT("round(7, 2)", 7);
    NUL("round(null, 1)");
    ERR("round(1.5, 10)", "round() needs a whole number of decimals from 0 to 9", 12);
    ERR("round(1.5, 0.5)", "round() needs a whole number of decimals", 12);
    INT("min(3, 5)", 3);
    INT("max(3, 5)", 5);
    NUM("min(3, 2.5)", 2.5);
    NUM("max(3.5, 2)", 3.5);
    NUL("min(null, 2)");
    ERR("max('a', 2)", "max() needs numbers, not text (argument 1)", 5);
    INT("len('Sóc Trăng')", 9);       /* characters, not bytes */
    INT("len('')", 0);
    NUL("len(null)");
    ERR("len(units)", "len() needs text, not a list; use count() for a list", 5);
    BOOL("pct(1, 2) == 50 and present(u)", 1);
}

static void test_formats(void)
{
    /* int */
    FMT(td_int(0), "int", "0");
    FMT(td_int(999), "int", "999");
    FMT(td_int(1234), "int", "1.234");
    FMT(td_int(1234567), "int", "1.234.567");
    FMT(td_int(-1234), "int", "-1.234");
    FMT(td_int(INT64_MAX), "int", "9.223.372.036.854.775.807");
    FMT(td_int(INT64_MIN), "int", "-9.223.372.036.854.775.808");
    FMT(td_num(1234.5), "int", "1.235");
    FMT(td_num(-1234.5), "int", "-1.235");
    FMT(td_num(2.4999), "int", "2");
    FMT(td_num(-0.4), "int", "0");
    FMT_ERR(td_num(1e20), "int", "cannot be printed exactly");
    FMT(td_num(1e11), "int", "100.000.000.000");       /* whole and exact in a double */
    FMT(td_num(999999999.94), "dec1", "999.999.999,9");
    FMT_ERR(td_num(1e9), "dec1", "a number of about 10^9 cannot be printed exactly");
    FMT_ERR(td_num(1e11 + 0.5), "int", "cannot be printed exactly");
    FMT_ERR(td_num(INFINITY), "int", "cannot be printed (infinite)");
    FMT_ERR(td_num(NAN), "pct", "not a number");
    /* pct */
    FMT(td_num(89.5), "pct", "89,5\xC2\xA0%");
    FMT(td_num(89.45), "pct", "89,5\xC2\xA0%");        /* 89.45 is 89.4499… in binary */
    FMT(td_num(1789 * 100.0 / 2000), "pct", "89,5\xC2\xA0%");
    FMT(td_num(89.44), "pct", "89,4\xC2\xA0%");
    FMT(td_num(100), "pct", "100,0\xC2\xA0%");
    FMT(td_int(85), "pct", "85,0\xC2\xA0%");
    FMT(td_num(0.04), "pct", "0,0\xC2\xA0%");
    FMT(td_num(-4.05), "pct", "-4,1\xC2\xA0%");
    FMT(td_num(-0.04), "pct", "0,0\xC2\xA0%");        /* no "-0,0" */
    FMT(td_num(1000.0 / 3.0), "pct", "333,3\xC2\xA0%");
    FMT(td_num(12345.67), "pct", "12.345,7\xC2\xA0%");
    /* dec1 */
    FMT(td_num(1977.66), "dec1", "1.977,7");
    FMT(td_num(1977.7), "dec1", "1.977,7");
    FMT(td_num(0.05), "dec1", "0,1");
    FMT(td_num(0.95), "dec1", "1,0");
    FMT(td_num(9999.96), "dec1", "10.000,0");
    FMT(td_int(12), "dec1", "12,0");
    FMT(td_num(-1977.66), "dec1", "-1.977,7");
    /* dong */
    FMT(td_int(45500000), "dong", "45.500.000 đồng");
    FMT(td_int(0), "dong", "0 đồng");
    FMT(td_num(999.5), "dong", "1.000 đồng");
    /* change */
    FMT(td_num(12.34), "change", "tăng 12,3\xC2\xA0%");
    FMT(td_num(-4.0), "change", "giảm 4,0\xC2\xA0%");
    FMT(td_num(-3.96), "change", "giảm 4,0\xC2\xA0%");
    FMT(td_num(0.04), "change", "không thay đổi");
    FMT(td_num(-0.04), "change", "không thay đổi");
    FMT(td_num(0.05), "change", "tăng 0,1\xC2\xA0%");
    FMT(td_int(0), "change", "không thay đổi");
    FMT(td_num(1234.5), "change", "tăng 1.234,5\xC2\xA0%");
    /* text */
    FMT(td_str("Sóc Trăng"), "text", "Sóc Trăng");
    FMT(td_str("Sóc Trăng"), NULL, "Sóc Trăng");
    FMT(td_int(1234567), NULL, "1.234.567");
    FMT(td_num(1977.66), "text", "1.977,7");
    /* null in every format */
    const char *formats[] = {"int", "pct", "dec1", "dong", "change", "text", NULL};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        FMT(td_null(), formats[i], "-");
        FMT_ERR(td_bool(1), formats[i], "a condition cannot be printed");
        FMT_ERR(td_obj_value(NULL), formats[i], "a record cannot be printed");
        FMT_ERR(td_list_value(NULL), formats[i], "a list cannot be printed");
    }
    FMT_ERR(td_str("abc"), "int", "format 'int' needs a number, not text");
    FMT_ERR(td_str("abc"), "pct", "format 'pct' needs a number, not text");
    FMT_ERR(td_int(1), "percent", "unknown format 'percent'");

    /* a buffer too small is an error, never a truncated string */
    char small[6];
    struct vb_diags d = {0};
    CHECK(expr_format(td_int(1234567), "int", small, sizeof small, "t.xml", 4, &d) < 0 &&
              small[0] == 0 && d.count == 1 && d.items[0].line == 4,
          "small buffer");
    CHECK(expr_format(td_int(12345), "int", small, sizeof small, "t.xml", 4, &d) < 0 &&
              d.count == 2 && strstr(d.items[1].message, "too long"),
          "small buffer: 12.345 needs 7 bytes");
    CHECK(expr_format(td_int(1234), "int", small, sizeof small, "t.xml", 4, &d) == 0 &&
              strcmp(small, "1.234") == 0,
          "exact fit");
    diag_clear(&d);
}

/* Evaluates and formats in one go, the way a template uses <value of=… format=…/>. */
static void test_pipeline(void)
{
    struct {
        const char *src, *format, *want;
    } cases[] = {
        {"pct(total.so_dn_cdcs_qhld_hai_hoa, total.so_dn_co_cdcs)", "pct", "89,5\xC2\xA0%"},
        {"pct(1, 0)", "pct", "-"},
        {"total.tien_phat", "dong", "45.500.000 đồng"},
        {"change(u.so_doanh_nghiep, u.prev.so_doanh_nghiep)", "change", "tăng 25,0\xC2\xA0%"},
        {"total.so_doanh_nghiep", "int", "1.234.567"},
        {"u.name", NULL, "Huyện Kế Sách"},
        {"total.missing", "int", "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct td_value v;
        char msg[256];
        int rc = run(cases[i].src, &v, msg, sizeof msg, NULL);
        const char *got = rc == 0 ? fmt(v, cases[i].format) : msg;
        CHECK(rc == 0 && strcmp(got, cases[i].want) == 0, "%s as %s: want '%s', got '%s'",
              cases[i].src, cases[i].format ? cases[i].format : "text", cases[i].want, got);
    }
}

/* Returns a malloc'd string: prefix repeated n times, then middle, then suffix n times. */
static char *repeat(const char *prefix, const char *middle, const char *suffix, size_t n)
{
    size_t lp = strlen(prefix), lm = strlen(middle), ls = strlen(suffix);
    char *s = malloc(n * (lp + ls) + lm + 1), *o = s;
    for (size_t i = 0; i < n; i++, o += lp)
        memcpy(o, prefix, lp);
    memcpy(o, middle, lm);
    o += lm;
    for (size_t i = 0; i < n; i++, o += ls)
        memcpy(o, suffix, ls);
    *o = 0;
    return s;
}

static void test_depth(void)
{
    struct {
        const char *prefix, *middle, *suffix;
        size_t n;
        int ok;
    } cases[] = {
        {"(", "1", ")", 150, 1},
        {"(", "1", ")", 100000, 0},
        {"-", "1", "", 150, 1},
        {"-", "1", "", 100000, 0},
        {"not ", "true", "", 150, 1},
        {"not ", "true", "", 100000, 0},
        {"", "1", "+1", 150, 1},
        {"", "1", "+1", 100000, 0},
        {"", "1", " and true", 100000, 0},
        {"", "u", ".prev", 100000, 0},
        {"pct(", "1", ", 1)", 100000, 0},
        {"pct(1, ", "1", ")", 100000, 0},
        {"", "pct(1, 1", ", 1", 100000, 0},
        {"present(", "1", ")", 100000, 0},
        {"(-", "1", ")", 100000, 0},
        {"'", "", "", 1, 0},
        {"", "1", " < 1", 100000, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *src = repeat(cases[i].prefix, cases[i].middle, cases[i].suffix, cases[i].n);
        struct vb_diags d = {0};
        struct expr *e = expr_parse(src, "t.xml", 1, 1, &d);
        struct td_value v;
        int ok = e && expr_eval(e, scope, arena, &v, &d) == 0;
        CHECK(ok == cases[i].ok && (ok || d.count == 1),
              "depth case %zu (%s…%s × %zu): want %s, got %s (%zu diagnostics: %s)", i,
              cases[i].prefix, cases[i].suffix, cases[i].n, cases[i].ok ? "ok" : "an error",
              ok ? "ok" : "an error", d.count, d.count ? d.items[0].message : "");
        if (!cases[i].ok && cases[i].n == 100000 && d.count && i < 11)
            CHECK(strstr(d.items[0].message, "nested too deeply") != NULL,
                  "depth case %zu message: %s", i, d.items[0].message);
        expr_free(e);
        diag_clear(&d);
        free(src);
    }
    /* a long but flat expression is fine */
    char *list = repeat("", "", "a", 100000);
    size_t len = strlen(list);
    char *quoted = malloc(len + 3);
    quoted[0] = '\'';
    memcpy(quoted + 1, list, len);
    quoted[len + 1] = '\'';
    quoted[len + 2] = 0;
    struct td_value v;
    char msg[256];
    int rc = run(quoted, &v, msg, sizeof msg, NULL);
    CHECK(rc == 0 && v.type == TD_STR && strlen(v.u.s) == len, "100000-character text");
    free(quoted);
    free(list);
    /* long non-ASCII text and names must stay linear */
    char *body = repeat("", "", "đ", 100000);
    size_t blen = strlen(body);
    char *text = malloc(blen + 3);
    text[0] = '\'';
    memcpy(text + 1, body, blen);
    strcpy(text + 1 + blen, "'");
    rc = run(text, &v, msg, sizeof msg, NULL);
    CHECK(rc == 0 && v.type == TD_STR && strlen(v.u.s) == blen, "100000 × đ");
    rc = run(body, &v, msg, sizeof msg, NULL);
    CHECK(rc < 0 && strstr(msg, "undefined name"), "a 100000-letter name: %s", msg);
    char *chain = repeat("", "u", ".đđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđđ", 150);
    rc = run(chain, &v, msg, sizeof msg, NULL);
    CHECK(rc < 0 && strstr(msg, "'u' has no field"), "long field chain: %s", msg);
    free(chain);
    free(text);
    free(body);
}

static unsigned long long gen_state = 12345;

static unsigned gen_next(unsigned n)
{
    gen_state = gen_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((gen_state >> 33) % n);
}

/* Appends a random well-formed expression of at most depth levels to buf. */
static void generate(char *buf, size_t size, int depth)
{
    static const char *const atoms[] = {
        "0", "1", "-1", "85", "0.5", "65.5", "9223372036854775807", "big", "total.zero",
        "total.missing", "total.so_doanh_nghiep", "ratio.hai_hoa", "u.name", "u.prev",
        "u.prev.so_doanh_nghiep", "u.reported", "units", "empty", "mixed", "'a'", "''",
        "true", "false", "null", "title", "u"};
    static const char *const binary[] = {" + ", " - ", " * ", " / ", " < ", " <= ", " > ",
                                         " >= ", " == ", " != ", " and ", " or "};
    static const char *const calls[] = {"pct", "change", "present", "count", "sum", "round",
                                        "min", "max", "len"};
    static const int arity[] = {2, 2, 1, 1, 2, 2, 2, 2, 1};
    size_t used = strlen(buf);
    if (used + 64 >= size || depth == 0 || gen_next(3) == 0) {
        if (used + 32 < size)
            strcat(buf, atoms[gen_next(sizeof atoms / sizeof atoms[0])]);
        return;
    }
    switch (gen_next(4)) {
    case 0:
        generate(buf, size, depth - 1);
        if (strlen(buf) + 8 < size)
            strcat(buf, binary[gen_next(sizeof binary / sizeof binary[0])]);
        generate(buf, size, depth - 1);
        break;
    case 1:
        if (gen_next(2)) {
            strcat(buf, "-");
            generate(buf, size, depth - 1);
        } else {            /* not binds looser than the other operators: parenthesise */
            strcat(buf, "(not ");
            generate(buf, size, depth - 1);
            if (strlen(buf) + 2 < size)
                strcat(buf, ")");
        }
        break;
    case 2:
        strcat(buf, "(");
        generate(buf, size, depth - 1);
        if (strlen(buf) + 2 < size)
            strcat(buf, ")");
        break;
    default: {
        unsigned f = gen_next(sizeof calls / sizeof calls[0]);
        strcat(buf, calls[f]);
        strcat(buf, "(");
        for (int i = 0; i < arity[f]; i++) {
            if (i && strlen(buf) + 3 < size)
                strcat(buf, ", ");
            if (f == 4 && i == 1 && strlen(buf) + 20 < size)
                strcat(buf, gen_next(2) ? "'so_doanh_nghiep'" : "'x'");
            else
                generate(buf, size, depth - 1);
        }
        if (strlen(buf) + 2 < size)
            strcat(buf, ")");
    }
    }
}

/* Evaluates random well-formed expressions: every one must parse (or hit a size limit),
 * and evaluation either succeeds or reports exactly one located error. */
static void test_generated(void)
{
    const char *formats[] = {"int", "pct", "dec1", "dong", "change", "text"};
    size_t ok = 0, errors = 0;
    for (int iter = 0; iter < 30000; iter++) {
        char src[1024] = "";
        generate(src, sizeof src, 6);
        struct vb_diags d = {0};
        struct expr *e = expr_parse(src, "gen.xml", 1, 1, &d);
        if (!e) {
            /* the generator may write a chained comparison or "x == null" */
            if (!(d.count == 1 && (strstr(d.items[0].message, "chained") ||
                                   strstr(d.items[0].message, "present(x)"))))
                CHECK(0, "generated expression rejected: %s: %s", src,
                      d.count ? d.items[0].message : "");
            diag_clear(&d);
            continue;
        }
        struct td_value v;
        int rc = expr_eval(e, scope, arena, &v, &d);
        if (rc == 0) {
            ok++;
            char buf[128];
            int truth;
            for (size_t f = 0; f < 6; f++)
                expr_format(v, formats[f], buf, sizeof buf, "gen.xml", 1, &d);
            expr_truth(v, &truth, "gen.xml", 1, &d);
        } else {
            errors++;
            if (!(d.count == 1 && d.items[0].col >= 1 && d.items[0].col <= (long)strlen(src)))
                CHECK(0, "generated: %s: %zu diagnostics", src, d.count);
        }
        expr_free(e);
        diag_clear(&d);
    }
    CHECK(ok > 3000 && errors > 3000, "generated: %zu evaluated, %zu errors", ok, errors);
    printf("generated: 30000 expressions, %zu evaluated, %zu evaluation errors\n", ok, errors);
}

/* Feeds random short strings to the parser and evaluator: nothing may crash or leak. */
static void test_fuzz(void)
{
    static const char *const pieces[] = {
        "u", "u.", ".", "name", "prev", "total", "units", "ratio", "hai_hoa", "so_doanh_nghiep",
        "(", ")", ",", "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "=", "!", " ",
        " and ", " or ", "not ", "true", "false", "null", "0", "1", "85", "65.5", "9223372036854775807",
        "'", "\"", "'a'", "pct(", "change(", "present(", "count(", "sum(", "round(", "min(",
        "max(", "len(", "đ", "ồ", "\xC2\xA0", "\xFF", "\xC3", "\t", "“", "big", "empty", "mixed",
        "missing", "zero", "x", ".5", "5.", "&", "|", "#", "\x01"};
    const size_t piece_count = sizeof pieces / sizeof pieces[0];
    const char *formats[] = {"int", "pct", "dec1", "dong", "change", "text"};
    unsigned long long state = 0x9E3779B97F4A7C15ULL;
    size_t parsed = 0, evaluated = 0, diag_total = 0;
    for (int iter = 0; iter < 100000; iter++) {
        char src[256];
        size_t o = 0;
        int pieces_here = 1 + (int)((state >> 33) % 10);
        for (int k = 0; k < pieces_here; k++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            const char *piece = pieces[(state >> 33) % piece_count];
            size_t l = strlen(piece);
            if (o + l >= sizeof src)
                break;
            memcpy(src + o, piece, l);
            o += l;
        }
        src[o] = 0;
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        struct vb_diags d = {0};
        struct expr *e = expr_parse(src, "fuzz.xml", 1, 1 + (long)(state >> 60), &d);
        size_t located = d.count;
        if (e) {
            parsed++;
            struct td_value v;
            int rc = expr_eval(e, scope, arena, &v, &d);
            if ((rc == 0) != (d.count == 0))
                CHECK(0, "fuzz: status %d with %zu diagnostics: %s", rc, d.count, src);
            located = d.count;
            if (rc == 0) {
                evaluated++;
                char buf[64];
                int truth;
                expr_format(v, formats[(state >> 40) % 6], buf, sizeof buf, "fuzz.xml", 1, &d);
                expr_truth(v, &truth, "fuzz.xml", 1, &d);
            }
        } else if (d.count != 1)
            CHECK(0, "fuzz: a failed parse must report exactly one error: %s", src);
        for (size_t i = 0; i < d.count; i++)   /* format and truth have no column */
            if (!d.items[i].message || d.items[i].line != 1 ||
                (i < located && d.items[i].col < 1))
                CHECK(0, "fuzz: bad diagnostic for %s", src);
        diag_total += d.count;
        expr_free(e);
        diag_clear(&d);
    }
    CHECK(parsed > 1000 && evaluated > 100, "fuzz: %zu parsed, %zu evaluated", parsed, evaluated);
    printf("fuzz: 100000 inputs, %zu parsed, %zu evaluated, %zu diagnostics\n", parsed,
           evaluated, diag_total);

    /* fully random bytes too */
    for (int iter = 0; iter < 20000; iter++) {
        unsigned char src[24];
        size_t len = (size_t)(iter % 23);
        for (size_t i = 0; i < len; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            src[i] = (unsigned char)(1 + (state >> 33) % 255);
        }
        src[len] = 0;
        struct vb_diags d = {0};
        struct expr *e = expr_parse((const char *)src, "fuzz.xml", 1, 1, &d);
        struct td_value v;
        if (e)
            expr_eval(e, scope, arena, &v, &d);
        expr_free(e);
        diag_clear(&d);
    }
}

/* pct() and change() of whole figures print and compare as their exact ratio does: the
 * tenth rounded half away from zero, computed here in 128-bit integers, and comparisons with
 * targets decided on 100*a against target*b; halves, a hair below and above them, and
 * figures up to the documented limit. */
__extension__ typedef __int128 wide;

/* 1000*num/den rounded half away from zero (den > 0). */
static long long exact_tenths(wide num, wide den)
{
    int negative = num < 0;
    wide n = negative ? -num : num;
    wide t = (2000 * n + den) / (2 * den);
    return (long long)(negative ? -t : t);
}

/* What format "pct" or "change" must print for t tenths of a percent: the exact figure,
 * grouped, or (from 10^9 % on) the refusal. */
static void expected_text(long long t, int change, char *buf, size_t size)
{
    long long m = t < 0 ? -t : t;
    char whole[40];
    vn_group_int(m / 10, whole, sizeof whole);
    if (m >= 10000000000LL)
        snprintf(buf, size, "refused");
    else if (!change)
        snprintf(buf, size, "%s%s,%lld\xc2\xa0%%", t < 0 ? "-" : "", whole, m % 10);
    else if (t == 0)
        snprintf(buf, size, "không thay đổi");
    else
        snprintf(buf, size, "%s %s,%lld\xc2\xa0%%", t > 0 ? "tăng" : "giảm", whole, m % 10);
}

static void check_printed(const char *src, const char *format, long long t)
{
    char want[96], got_text[300], msg[256];
    struct td_value got;
    long col;
    expected_text(t, strcmp(format, "change") == 0, want, sizeof want);
    if (run(src, &got, msg, sizeof msg, &col) != 0) {
        CHECK(0, "%s: %s", src, msg);
        return;
    }
    struct vb_diags d = {0};
    char buf[128];
    int rc = expr_format(got, format, buf, sizeof buf, "t.xml", 1, &d);
    snprintf(got_text, sizeof got_text, "%s", rc == 0 ? buf : "refused");
    if (rc != 0)
        CHECK(d.count == 1 && strstr(d.items[0].message, "cannot be printed exactly"),
              "%s: unexpected message", src);
    diag_clear(&d);
    CHECK(strcmp(got_text, want) == 0, "%s printed '%s', want '%s'", src, got_text, want);
}

static void check_ratio(long long a, long long b)
{
    char src[128], msg[256];
    struct td_value got;
    long col;
    snprintf(src, sizeof src, "pct(%lld, %lld)", a, b);
    check_printed(src, "pct", exact_tenths(a, b));
    /* the three targets, strictly above and at least */
    static const long long targets[] = {85, 100, 65};
    for (int k = 0; k < 3; k++) {
        for (int strict = 0; strict < 2; strict++) {
            snprintf(src, sizeof src, "pct(%lld, %lld) %s %lld", a, b, strict ? ">" : ">=",
                     targets[k]);
            wide l = (wide)a * 100, r = (wide)targets[k] * b;
            int want_b = strict ? l > r : l >= r;
            int ok = run(src, &got, msg, sizeof msg, &col) == 0 && got.type == TD_BOOL;
            CHECK(ok && got.u.b == want_b, "%s gave %s, want %s", src,
                  ok ? (got.u.b ? "true" : "false") : msg, want_b ? "true" : "false");
        }
    }
    /* change from b to a, and from a to b */
    snprintf(src, sizeof src, "change(%lld, %lld)", a, b);
    check_printed(src, "change", exact_tenths((wide)a - b, b));
    if (a != 0) {
        snprintf(src, sizeof src, "change(%lld, %lld)", b, a);
        check_printed(src, "change", exact_tenths((wide)b - a, a));
    }
}

static void test_exact_ratios(void)
{
    static const long long limit = 999999999999999LL;    /* exact.h's EXACT_FIGURE_MAX */
    static const long long pairs[][2] = {
        {1789, 2000}, {17, 20}, {170, 200}, {1, 8}, {1, 16}, {1, 3}, {2, 3}, {85, 100},
        {850000000000000LL, limit}, {849999999999999LL, limit + 1 - 1},
        {limit, limit}, {limit - 1, limit}, {1, limit}, {0, limit},
        /* 1000a/b a hair below and above a half: 85.05 % and its neighbours */
        {8505, 10000}, {85049999999999LL, 1000000000000000LL - 1},
        {850499999999999LL, limit}, {850500000000001LL, limit}, {850500000000000LL, limit},
        {65, 100}, {649999999999999LL, limit}, {650000000000000LL, limit},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        check_ratio(pairs[i][0], pairs[i][1]);
    /* random pairs: parts of wholes of every size, and changes both ways */
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        long long b = (long long)(x % (unsigned long long)limit) + 1;
        if (i % 3 == 0)
            b = b % 100000 + 1;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        long long a = (long long)(x % (unsigned long long)b + (i % 2 ? 0 : 1));
        if (i % 5 == 0) {       /* a ratio at exactly k + 1/2 tenths when b allows */
            b = (b % 50000 + 1) * 2;
            a = (long long)((x % 1000) * (unsigned long long)b / 1000) + b / 2000;
            if (a > b)
                a = b;
        }
        check_ratio(a, b);
    }
}

int main(void)
{
    build_data();
    test_literals();
    test_syntax_errors();
    test_arithmetic();
    test_precedence();
    test_comparisons();
    test_logic();
    test_names();
    test_functions();
    test_formats();
    test_pipeline();
    test_depth();
    test_generated();
    test_fuzz();
    test_exact_ratios();
    td_arena_free(arena);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
