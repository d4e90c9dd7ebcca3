/*
 * expr.h: the expression language of vanban's XML templates, the values of attributes such
 * as of="pct(total.so_dn_cdcs_qhld_hai_hoa, total.so_dn_co_cdcs)", test="ratio.hai_hoa >= 85
 * and u.reported" and in="units", evaluated against template data (tdata.h), and the
 * Vietnamese formats a computed value is printed in.
 *
 * Grammar (a hand-written recursive-descent parser; lowest precedence first):
 *
 *     expr       = or
 *     or         = and { "or" and }
 *     and        = not { "and" not }
 *     not        = "not" not | comparison
 *     comparison = sum [ ("<" | "<=" | ">" | ">=" | "==" | "!=") sum ]   (not chained)
 *     sum        = product { ("+" | "-") product }
 *     product    = unary { ("*" | "/") unary }
 *     unary      = "-" unary | postfix
 *     postfix    = primary { "." NAME }
 *     primary    = INTEGER | DECIMAL | STRING | "true" | "false" | "null"
 *                | NAME "(" [ expr { "," expr } ] ")"       a function call
 *                | NAME                                      looked up in the scope chain
 *                | "(" expr ")"
 *
 * INTEGER is digits (an exact 64-bit whole number), DECIMAL is digits "." digits (a number);
 * STRING is quoted with ' or " (no escapes; the other quote may appear inside); NAME is a
 * letter or "_" followed by letters, digits and "_" (Unicode letters allowed). The keywords
 * and, or, not, true, false, null are reserved, except as field names after ".". Nesting is
 * limited to EXPR_MAX_DEPTH levels (parentheses, operators and operands all count), so a
 * hostile template cannot exhaust the stack.
 *
 * Values and "not applicable": null stands for a figure a unit did not report. It
 * propagates through arithmetic (null + 1 is null), through unary minus, min, max, round,
 * pct and change, and through a field of null (u.prev.x is null when u.prev is null); it
 * prints as "-". Every comparison with null is false, even null == null and x != null:
 * present(x) is the test for a reported value (comparing with the literal null is refused
 * at parse time for that reason). In a condition null counts as false.
 *
 * Arithmetic: whole number op whole number stays exact for + - * (overflow is an error);
 * "/" always gives a number and dividing by zero is an error, whereas pct(a, b) and
 * change(a, b) give null when b is 0: a unit with nothing to measure is "not applicable",
 * not a mistake in the template. text + text concatenates; other mixes are type errors.
 * and, or, not take conditions (true, false or null) and short-circuit.
 *
 * Functions (unknown names and wrong argument counts are syntax errors): pct(a, b) =
 * a*100/b; change(a, b) = (a-b)*100/b (of whole numbers: exact.h's percentages, exact in
 * comparisons with targets and when printed); present(x) (x is not null); count(list) (a whole
 * number); sum(list, 'field') (null items and null fields skipped; a whole number while
 * every field is one, else a number; null when nothing is left, also for an empty list);
 * round(x, n) (n in 0..9, half away from zero; whole numbers unchanged); min(a, b);
 * max(a, b); len(text) (in characters); upper(text) (Vietnamese upper case: "tỉnh Đắk
 * Lắk" → "TỈNH ĐẮK LẮK"). count, sum, len and upper of null are null.
 *
 * Messages name the template file and line, and a column: the operator, the field or the
 * argument at fault, counted in characters from col_base (approximate when the attribute
 * holds character references such as &lt;, which XML requires for "<"). Text values from
 * quoted literals and from "+" are copied into the arena given to expr_eval, so a result
 * never points into a freed expression; values read from the scope are the scope's own.
 */
#ifndef VANBAN_EXPR_H
#define VANBAN_EXPR_H

#include <stddef.h>

#include "diag.h"
#include "tdata.h"

/* Deepest nesting an expression may have. */
#define EXPR_MAX_DEPTH 200

struct expr;                       /* a parsed expression */
struct expr_scope {                /* name lookup: innermost first */
    const struct expr_scope *parent;
    const char *name;              /* a loop variable, or NULL for the root object */
    struct td_value value;         /* its value, or (name NULL) the root object whose fields are names */
};

/* Parses src; on a syntax error appends "file:line:col: error: …" (col = 1-based character
 * column of the error inside the attribute value, plus col_base-1, so the caller can pass
 * the attribute's column) and returns NULL. */
struct expr *expr_parse(const char *src, const char *file, long line, long col_base, struct vb_diags *d);

/* Evaluates e in scope; values it creates live in arena; on an evaluation error (undefined
 * name, type mismatch, division by zero, field of a non-record) appends a located error
 * (the expression's file and line) and returns -1. */
int expr_eval(const struct expr *e, const struct expr_scope *scope, struct td_arena *arena,
              struct td_value *out, struct vb_diags *d);

/* Frees a parsed expression. */
void expr_free(struct expr *e);

/* Formats v for print as Vietnamese text into buf (see formats below); returns 0, or -1 and
 * an error when the value cannot be shown in that format.
 *
 * Formats (NULL means "text"); null prints "-" in every format, a condition (bool), a list
 * or a record is an error; rounding is half away from zero on the decimal value, with a
 * guard of 2^-44 (relative, at most 1/64) so that 89.45 computed in binary still gives
 * "89,5"; pct and change of whole numbers round as their exact ratio does (exact.h):
 *   "int"    whole number grouped with "." from 4 digits up: 1.234.567 (a number is rounded)
 *   "plain"  whole number without grouping, for years and numbers: 2023
 *   "pct"    one decimal, "," and a no-break space U+00A0 before "%": 89,5 %
 *   "dec1"   one decimal, grouped: 1.977,7
 *   "dong"   grouped whole number + " đồng": 45.500.000 đồng
 *   "change" a percentage change: "tăng 12,3 %", "giảm 4,0 %", "không thay đổi" (0,0)
 *   "text"   text as it is, whole numbers grouped, numbers as dec1
 *   "number" for a machine to read back (a chart's percentage): 87.341773, no grouping, a
 *            point, no exponent, the fewest digits that read back as the same number
 * A result that does not fit in size bytes is an error (buf is then ""). */
int expr_format(struct td_value v, const char *format, char *buf, size_t size,
                const char *file, long line, struct vb_diags *d);

/* Returns whether v counts as true in a condition (bool; null is false; other types are an
 * error reported like expr_eval). */
int expr_truth(struct td_value v, int *out, const char *file, long line, struct vb_diags *d);

/* Returns the source text the expression was parsed from (for messages). */
const char *expr_source(const struct expr *e);

#endif
