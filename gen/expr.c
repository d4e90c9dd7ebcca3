/* expr.c: the template expression language, see expr.h. */
#include "expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "exact.h"
#include "i18n.h"
#include "text.h"
#include "vnformat.h"

/* ---------------------------------------------------------------------------------------
 * Shared helpers
 * ------------------------------------------------------------------------------------- */

/* Cuts a possibly truncated UTF-8 string back to its last complete character. */
static void utf8_trim_tail(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < need)
        s[i - 1] = 0;
}

/* Formats a message into buf (truncated at a character boundary). */
static void vformat_message(char *buf, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(buf, size, gettext(fmt), ap);
    if (n < 0)
        snprintf(buf, size, "(unprintable message)");
    else if ((size_t)n >= size)
        utf8_trim_tail(buf);
}

/* Decodes up to max code points of s into cps; returns the count, or -1 when s is longer
 * or not valid UTF-8. */
static int code_points(const char *s, int32_t *cps, int max)
{
    int n = 0;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
    while (len > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, len, &cp);
        if (k <= 0 || n == max)
            return -1;
        cps[n++] = cp;
        s += k;
        len -= k;
    }
    return n;
}

/* Optimal string alignment distance of a and b in characters, or 3 when it is certainly
 * above 2. */
static int edit_distance(const char *a, const char *b)
{
    int32_t ca[64], cb[64];
    int la = code_points(a, ca, 64), lb = code_points(b, cb, 64);
    if (la < 0 || lb < 0 || abs(la - lb) > 2)
        return 3;
    int d[65][65];
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int cost = ca[i - 1] != cb[j - 1];
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca[i - 1] == cb[j - 2] && ca[i - 2] == cb[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* Keeps candidate as the suggestion for wrong when it is closer than the best so far. */
static void consider_hint(const char *wrong, const char *candidate, const char **best,
                          int *best_distance)
{
    if (!candidate || strcmp(wrong, candidate) == 0)
        return;
    int dist = edit_distance(wrong, candidate);
    int32_t cps[64];
    int length = code_points(wrong, cps, 64);
    if (dist <= 2 && dist < length && dist < *best_distance) {
        *best = candidate;
        *best_distance = dist;
    }
}

/* Writes "; did you mean 'x'?" (or "") into buf. */
static void hint_text(const char *best, char *buf, size_t size)
{
    if (best)
        snprintf(buf, size, _("; did you mean '%s'?"), best);
    else if (size)
        buf[0] = 0;
}

/* The type name with an article, for "'u.name' is text, not a record". */
static const char *type_with_article(enum td_type t)
{
    switch (t) {
    case TD_NULL: return _("null");
    case TD_BOOL: return _("a condition");
    case TD_INT: return _("a whole number");
    case TD_NUM: return _("a number");
    case TD_STR: return _("text");
    case TD_LIST: return _("a list");
    case TD_OBJ: return _("a record");
    }
    return _("a value");
}

static int is_number(const struct td_value *v) { return v->type == TD_INT || v->type == TD_NUM; }

static double as_double(const struct td_value *v)
{
    return v->type == TD_INT ? (double)v->u.i : v->u.n;
}

/* ---------------------------------------------------------------------------------------
 * Functions known to the language
 * ------------------------------------------------------------------------------------- */

enum fn_id { FN_PCT, FN_CHANGE, FN_PRESENT, FN_COUNT, FN_SUM, FN_ROUND, FN_MIN, FN_MAX, FN_LEN,
             FN_UPPER };

static const struct {
    const char *name;
    int arity;
} functions[] = {
    [FN_PCT] = {"pct", 2},     [FN_CHANGE] = {"change", 2}, [FN_PRESENT] = {"present", 1},
    [FN_COUNT] = {"count", 1}, [FN_SUM] = {"sum", 2},       [FN_ROUND] = {"round", 2},
    [FN_MIN] = {"min", 2},     [FN_MAX] = {"max", 2},       [FN_LEN] = {"len", 1},
    [FN_UPPER] = {"upper", 1},
};
#define FUNCTION_COUNT ((int)(sizeof functions / sizeof functions[0]))

/* ---------------------------------------------------------------------------------------
 * Syntax tree
 * ------------------------------------------------------------------------------------- */

enum tok_kind {
    T_END, T_INT, T_DEC, T_STR, T_NAME, T_LPAREN, T_RPAREN, T_COMMA, T_DOT,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE,
    T_AND, T_OR, T_NOT, T_TRUE, T_FALSE, T_NULL
};

enum node_kind { N_LIT, N_NAME, N_FIELD, N_NEG, N_NOT, N_AND, N_OR, N_ARITH, N_CMP, N_CALL };

struct node {
    enum node_kind kind;
    int op;                 /* N_ARITH, N_CMP: the operator token; N_CALL: enum fn_id */
    long col;               /* column reported for errors at this node (its operator) */
    long start;             /* column where the node's source text begins */
    int height;             /* 1 + the height of the deepest child */
    struct td_value lit;    /* N_LIT (a string points into text) */
    char *text;             /* N_NAME: the name; N_FIELD: the field; N_LIT: string storage */
    char *path;             /* N_NAME, N_FIELD: dotted source text ("u.prev") when short,
                             * else NULL ("the value" in messages) */
    struct node *a, *b;     /* operands; N_FIELD, N_NEG, N_NOT: a only */
    struct node **args;     /* N_CALL */
    size_t argc;
};

struct expr {
    char *file;
    long line;
    char *src;
    struct node *root;
};

static void node_free(struct node *n)
{
    if (!n)
        return;
    node_free(n->a);
    node_free(n->b);
    for (size_t i = 0; i < n->argc; i++)
        node_free(n->args[i]);
    free(n->args);
    free(n->text);
    free(n->path);
    free(n);
}

void expr_free(struct expr *e)
{
    if (!e)
        return;
    node_free(e->root);
    free(e->file);
    free(e->src);
    free(e);
}

const char *expr_source(const struct expr *e) { return e ? e->src : ""; }

/* ---------------------------------------------------------------------------------------
 * Lexer and parser
 * ------------------------------------------------------------------------------------- */

struct token {
    enum tok_kind kind;
    size_t start, len;      /* bytes of src */
    int64_t i;              /* T_INT */
    double n;               /* T_DEC */
};

struct parser {
    const char *src;
    size_t pos;             /* next byte to lex */
    struct token tok;       /* current token */
    const char *file;
    long line, col_base;
    struct vb_diags *d;
    int failed;             /* an error was reported: unwind */
    int depth;              /* current recursion depth */
    size_t col_cache_off;   /* column_at: last offset asked and its character count */
    long col_cache_chars;
};

/* Absolute column of byte offset off of the source (offsets mostly grow: the last answer
 * is kept so that a long expression is counted once). */
static long column_at(struct parser *p, size_t off)
{
    if (off < p->col_cache_off) {
        p->col_cache_off = 0;
        p->col_cache_chars = 0;
    }
    for (size_t i = p->col_cache_off; i < off && p->src[i]; i++)
        p->col_cache_chars += ((unsigned char)p->src[i] & 0xC0) != 0x80;
    p->col_cache_off = off;
    return p->col_cache_chars + p->col_base;
}

__attribute__((format(printf, 3, 4)))
static void syntax_error(struct parser *p, size_t off, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vformat_message(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(p->d, VB_EINPUT, p->file, p->line, column_at(p, off), "%s", msg);
}

static void out_of_memory(struct parser *p)
{
    if (!p->failed)
        diag_error(p->d, VB_EINTERNAL, p->file, p->line, p->col_base, "out of memory");
    p->failed = 1;
}

/* Decodes the code point at s (at most len bytes); returns its length, or -1 if invalid. */
static int decode_at(const char *s, size_t len, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    if (n <= 0)
        return -1;
    *cp = c;
    return (int)n;
}

/* Returns the length of the name character at s, or 0 when none starts there. */
static int name_char(const char *s, size_t len, int first)
{
    unsigned char c = (unsigned char)*s;
    if (c < 0x80)
        return (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (!first && c >= '0' && c <= '9'))
                   ? 1 : 0;
    int32_t cp;
    int n = decode_at(s, len, &cp);
    if (n < 0)
        return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    int letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    int mark = cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
    int digit = cat == UTF8PROC_CATEGORY_ND;
    return (letter || (!first && (mark || digit))) ? n : 0;
}

/* Reports the character at off as unexpected, with a hint for common mistakes. */
static void unexpected_char(struct parser *p, size_t off)
{
    const char *s = p->src + off;
    size_t rest = strnlen(s, 4);
    unsigned char c = (unsigned char)*s;
    if (c == '=')
        syntax_error(p, off, "'=' is not an operator; write '==' to compare");
    else if (c == '&')
        syntax_error(p, off, "write 'and' instead of '&&'");
    else if (c == '|')
        syntax_error(p, off, "write 'or' instead of '||'");
    else if (c == '!')
        syntax_error(p, off, "write 'not' instead of '!'");
    else if (c > 0x20 && c < 0x7F)
        syntax_error(p, off, "unexpected character '%c'", c);
    else if (c < 0x80)
        syntax_error(p, off, "unexpected control character U+%04X", c);
    else {
        int32_t cp;
        int n = decode_at(s, rest, &cp);
        if (n < 0)
            syntax_error(p, off, "invalid UTF-8 byte 0x%02X", c);
        else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D)
            syntax_error(p, off, "typographic quote '%.*s': quote text with ' or \"", n, s);
        else if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS || cp == 0xA0)
            syntax_error(p, off, "unexpected space character U+%04X", (unsigned)cp);
        else if (utf8proc_category(cp) >= UTF8PROC_CATEGORY_ZS)  /* separators, controls… */
            syntax_error(p, off, "unexpected character U+%04X", (unsigned)cp);
        else
            syntax_error(p, off, "unexpected character '%.*s' (U+%04X)", n, s, (unsigned)cp);
    }
}

static const double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static double ten_to(long k)
{
    return k >= 0 && k <= 22 ? powers_of_ten[k] : pow(10.0, (double)k);
}

/* Lexes a number starting at p->pos into p->tok (locale-independent). */
static void lex_number(struct parser *p)
{
    const char *s = p->src;
    size_t start = p->pos, i = start;
    uint64_t mantissa = 0;
    int significant = 0;       /* digits kept in mantissa */
    long exponent = 0;         /* value = mantissa * 10^exponent */
    int64_t whole = 0;
    int whole_overflow = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        int digit = s[i] - '0';
        if (!whole_overflow && (__builtin_mul_overflow(whole, 10, &whole) ||
                                __builtin_add_overflow(whole, digit, &whole)))
            whole_overflow = 1;
        if (significant < 19) {
            mantissa = mantissa * 10 + (uint64_t)digit;
            significant += mantissa != 0;
        } else
            exponent++;
    }
    int decimal = 0;
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        decimal = 1;
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            if (significant < 19) {
                mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
                significant += mantissa != 0;
                exponent--;
            }
    } else if (s[i] == '.' && !name_char(s + i + 1, strnlen(s + i + 1, 4), 1)) {
        syntax_error(p, i + 1, "expected a digit after the decimal point");
        return;
    }
    if (name_char(s + i, strnlen(s + i, 4), 0)) {
        syntax_error(p, i, "a number cannot be followed by a letter");
        return;
    }
    p->tok.start = start;
    p->tok.len = i - start;
    p->pos = i;
    if (!decimal) {
        if (whole_overflow) {
            syntax_error(p, start, "whole number too large (at most 9223372036854775807)");
            return;
        }
        p->tok.kind = T_INT;
        p->tok.i = whole;
        return;
    }
    double value = exponent >= 0 ? (double)mantissa * ten_to(exponent)
                                 : (double)mantissa / ten_to(-exponent);
    if (!isfinite(value)) {
        syntax_error(p, start, "number too large");
        return;
    }
    p->tok.kind = T_DEC;
    p->tok.n = value;
}

/* Lexes the next token into p->tok; on a lexical error reports it and sets p->failed. */
static void next_token(struct parser *p)
{
    const char *s = p->src;
    if (p->failed) {
        p->tok.kind = T_END;
        return;
    }
    while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' || s[p->pos] == '\r')
        p->pos++;
    size_t start = p->pos;
    p->tok = (struct token){.kind = T_END, .start = start, .len = 0};
    char c = s[start];
    if (!c)
        return;
    if (c >= '0' && c <= '9') {
        lex_number(p);
        return;
    }
    if (c == '\'' || c == '"') {
        size_t i = start + 1;
        while (s[i] && s[i] != c) {
            if ((unsigned char)s[i] < 0x20 && s[i] != '\t') {
                syntax_error(p, i, "control character U+%04X inside quoted text",
                             (unsigned char)s[i]);
                return;
            }
            if ((unsigned char)s[i] >= 0x80) {
                int32_t cp;
                int n = decode_at(s + i, strnlen(s + i, 4), &cp);
                if (n < 0) {
                    syntax_error(p, i, "invalid UTF-8 byte 0x%02X inside quoted text",
                                 (unsigned char)s[i]);
                    return;
                }
                i += (size_t)n;
            } else
                i++;
        }
        if (!s[i]) {
            syntax_error(p, start, "quoted text is not closed: %c expected", c);
            return;
        }
        p->tok.kind = T_STR;
        p->tok.len = i + 1 - start;
        p->pos = i + 1;
        return;
    }
    int n = name_char(s + start, strnlen(s + start, 4), 1);
    if (n > 0) {
        size_t i = start + (size_t)n;
        while ((n = name_char(s + i, strnlen(s + i, 4), 0)) > 0)
            i += (size_t)n;
        p->tok.len = i - start;
        p->pos = i;
        static const struct { const char *word; enum tok_kind kind; } keywords[] = {
            {"and", T_AND}, {"or", T_OR}, {"not", T_NOT},
            {"true", T_TRUE}, {"false", T_FALSE}, {"null", T_NULL}};
        p->tok.kind = T_NAME;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k].word) == p->tok.len &&
                memcmp(keywords[k].word, s + start, p->tok.len) == 0)
                p->tok.kind = keywords[k].kind;
        return;
    }
    char c2 = s[start + 1];
    enum tok_kind kind;
    size_t len = 1;
    switch (c) {
    case '(': kind = T_LPAREN; break;
    case ')': kind = T_RPAREN; break;
    case ',': kind = T_COMMA; break;
    case '.': kind = T_DOT; break;
    case '+': kind = T_PLUS; break;
    case '-': kind = T_MINUS; break;
    case '*': kind = T_STAR; break;
    case '/': kind = T_SLASH; break;
    case '<': kind = c2 == '=' ? T_LE : T_LT; len += c2 == '='; break;
    case '>': kind = c2 == '=' ? T_GE : T_GT; len += c2 == '='; break;
    case '=':
        if (c2 != '=') {
            unexpected_char(p, start);
            return;
        }
        kind = T_EQ;
        len = 2;
        break;
    case '!':
        if (c2 != '=') {
            unexpected_char(p, start);
            return;
        }
        kind = T_NE;
        len = 2;
        break;
    default:
        unexpected_char(p, start);
        return;
    }
    p->tok.kind = kind;
    p->tok.len = len;
    p->pos = start + len;
}

/* Writes a short description of the current token for messages. */
static void describe_token(struct parser *p, char *buf, size_t size)
{
    if (p->tok.kind == T_END) {
        snprintf(buf, size, "%s", _("the end of the expression"));
        return;
    }
    size_t len = p->tok.len;
    if (len > 24) {
        len = 24;
        while (len > 0 && ((unsigned char)p->src[p->tok.start + len] & 0xC0) == 0x80)
            len--;
    }
    snprintf(buf, size, "'%.*s%s'", (int)len, p->src + p->tok.start,
             len < p->tok.len ? "…" : "");
}

static struct node *new_node(struct parser *p, enum node_kind kind, size_t off)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n) {
        out_of_memory(p);
        return NULL;
    }
    n->kind = kind;
    n->col = n->start = column_at(p, off);
    n->height = 1;
    return n;
}

/* Attaches children to n and checks the height limit; frees everything on failure. */
static struct node *finish_node(struct parser *p, struct node *n, struct node *a,
                                struct node *b)
{
    if (!n || !a || (n->kind != N_NEG && n->kind != N_NOT && n->kind != N_FIELD && !b)) {
        node_free(n);
        node_free(a);
        node_free(b);
        return NULL;
    }
    n->a = a;
    n->b = b;
    if (n->kind != N_NEG && n->kind != N_NOT)
        n->start = a->start;        /* binary operators and fields begin with operand a */
    int h = a->height;
    if (b && b->height > h)
        h = b->height;
    n->height = h + 1;
    if (n->height > EXPR_MAX_DEPTH) {
        if (!p->failed) {
            p->failed = 1;
            diag_error(p->d, VB_EINPUT, p->file, p->line, n->col,
                       "expression nested too deeply or too long (more than %d levels)",
                       EXPR_MAX_DEPTH);
        }
        node_free(n);
        return NULL;
    }
    return n;
}

/* Enters one level of recursion; returns 0, or -1 (reported) when too deep. */
static int enter(struct parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        syntax_error(p, p->tok.start, "expression nested too deeply (more than %d levels)",
                     EXPR_MAX_DEPTH);
        return -1;
    }
    return 0;
}

static struct node *parse_or(struct parser *p);

static struct node *parse_expression(struct parser *p)
{
    if (enter(p) < 0)
        return NULL;
    struct node *n = parse_or(p);
    p->depth--;
    return n;
}

static char *copy_bytes(struct parser *p, const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (!c) {
        out_of_memory(p);
        return NULL;
    }
    memcpy(c, s, len);
    c[len] = 0;
    return c;
}

static int find_function(const char *name, size_t len)
{
    for (int i = 0; i < FUNCTION_COUNT; i++)
        if (strlen(functions[i].name) == len && memcmp(functions[i].name, name, len) == 0)
            return i;
    return -1;
}

static struct node *parse_call(struct parser *p, struct token name)
{
    char *fname = copy_bytes(p, p->src + name.start, name.len);
    if (!fname)
        return NULL;
    int fn = find_function(fname, name.len);
    if (fn < 0) {
        const char *best = NULL;
        int best_distance = 3;
        for (int i = 0; i < FUNCTION_COUNT; i++)
            consider_hint(fname, functions[i].name, &best, &best_distance);
        char hint[128];
        hint_text(best, hint, sizeof hint);
        syntax_error(p, name.start, "unknown function '%s'%s", fname, hint);
        free(fname);
        return NULL;
    }
    free(fname);
    struct node *n = new_node(p, N_CALL, name.start);
    if (!n)
        return NULL;
    n->op = fn;
    size_t open = p->tok.start;
    next_token(p); /* ( */
    if (p->tok.kind != T_RPAREN) {
        for (;;) {
            struct node *arg = parse_expression(p);
            if (!arg)
                break;
            struct node **args = realloc(n->args, (n->argc + 1) * sizeof *args);
            if (!args) {
                node_free(arg);
                out_of_memory(p);
                break;
            }
            n->args = args;
            n->args[n->argc++] = arg;
            if (arg->height + 1 > n->height)
                n->height = arg->height + 1;
            if (p->tok.kind != T_COMMA)
                break;
            if ((int)n->argc == functions[fn].arity) {
                syntax_error(p, name.start,
                             P_("%s() takes %d argument, not more",
                                "%s() takes %d arguments, not more", functions[fn].arity),
                             functions[fn].name, functions[fn].arity);
                break;
            }
            next_token(p);
        }
    }
    if (!p->failed && p->tok.kind != T_RPAREN) {
        char found[64];
        describe_token(p, found, sizeof found);
        syntax_error(p, p->tok.start, "expected ',' or ')' in the call of %s() opened at column %ld, found %s",
                     functions[fn].name, column_at(p, open), found);
    }
    if (p->failed) {
        node_free(n);
        return NULL;
    }
    next_token(p); /* ) */
    if ((int)n->argc != functions[fn].arity) {
        syntax_error(p, name.start,
                     P_("%s() takes %d argument, not %zu", "%s() takes %d arguments, not %zu",
                        functions[fn].arity), functions[fn].name, functions[fn].arity, n->argc);
        node_free(n);
        return NULL;
    }
    if (n->height > EXPR_MAX_DEPTH) {
        syntax_error(p, name.start, "expression nested too deeply or too long (more than %d levels)",
                     EXPR_MAX_DEPTH);
        node_free(n);
        return NULL;
    }
    return n;
}

static struct node *parse_primary(struct parser *p)
{
    if (p->failed)
        return NULL;
    struct token t = p->tok;
    struct node *n;
    switch (t.kind) {
    case T_INT:
    case T_DEC:
    case T_TRUE:
    case T_FALSE:
    case T_NULL:
        n = new_node(p, N_LIT, t.start);
        if (!n)
            return NULL;
        n->lit = t.kind == T_INT ? td_int(t.i) : t.kind == T_DEC ? td_num(t.n)
               : t.kind == T_NULL ? td_null() : td_bool(t.kind == T_TRUE);
        next_token(p);
        return n;
    case T_STR:
        n = new_node(p, N_LIT, t.start);
        if (!n)
            return NULL;
        n->text = copy_bytes(p, p->src + t.start + 1, t.len - 2);
        if (!n->text) {
            node_free(n);
            return NULL;
        }
        n->lit = td_str(n->text);
        next_token(p);
        return n;
    case T_NAME:
        next_token(p);
        if (p->tok.kind == T_LPAREN)
            return parse_call(p, t);
        n = new_node(p, N_NAME, t.start);
        if (!n)
            return NULL;
        n->text = copy_bytes(p, p->src + t.start, t.len);
        n->path = n->text ? copy_bytes(p, n->text, t.len) : NULL;
        if (!n->path) {
            node_free(n);
            return NULL;
        }
        return n;
    case T_LPAREN: {
        next_token(p);
        n = parse_expression(p);
        if (!n)
            return NULL;
        if (p->tok.kind != T_RPAREN) {
            char found[64];
            describe_token(p, found, sizeof found);
            syntax_error(p, p->tok.start, "expected ')' to close '(' at column %ld, found %s",
                         column_at(p, t.start), found);
            node_free(n);
            return NULL;
        }
        next_token(p);
        return n;
    }
    default: {
        char found[64];
        describe_token(p, found, sizeof found);
        syntax_error(p, t.start, "expected a value, a name or '(', found %s", found);
        return NULL;
    }
    }
}

static int is_word_token(enum tok_kind k)
{
    return k == T_NAME || k == T_AND || k == T_OR || k == T_NOT || k == T_TRUE ||
           k == T_FALSE || k == T_NULL;
}

static struct node *parse_postfix(struct parser *p)
{
    struct node *base = parse_primary(p);
    while (base && p->tok.kind == T_DOT) {
        size_t dot = p->tok.start;
        next_token(p);
        if (!is_word_token(p->tok.kind)) {
            char found[64];
            describe_token(p, found, sizeof found);
            syntax_error(p, p->failed ? dot : p->tok.start,
                         "expected a field name after '.', found %s", found);
            node_free(base);
            return NULL;
        }
        struct node *n = new_node(p, N_FIELD, p->tok.start);
        if (n) {
            n->text = copy_bytes(p, p->src + p->tok.start, p->tok.len);
            if (n->text && base->path && strlen(base->path) + p->tok.len < 256) {
                size_t len = strlen(base->path) + 1 + p->tok.len;
                n->path = malloc(len + 1);
                if (n->path)
                    snprintf(n->path, len + 1, "%s.%s", base->path, n->text);
                else
                    out_of_memory(p);
            }
            if (!n->text || p->failed) {
                node_free(n);
                n = NULL;
            }
        }
        next_token(p);
        base = finish_node(p, n, base, NULL);
    }
    return base;
}

static struct node *parse_unary(struct parser *p)
{
    if (p->tok.kind != T_MINUS)
        return parse_postfix(p);
    size_t off = p->tok.start;
    if (enter(p) < 0)
        return NULL;
    next_token(p);
    struct node *operand = parse_unary(p);
    p->depth--;
    if (!operand)
        return NULL;
    return finish_node(p, new_node(p, N_NEG, off), operand, NULL);
}

/* Parses a left-associative chain of the operators in ops over operands of sub. */
static struct node *parse_chain(struct parser *p, struct node *(*sub)(struct parser *),
                                const enum tok_kind *ops, size_t op_count, enum node_kind kind)
{
    struct node *left = sub(p);
    while (left) {
        size_t k = 0;
        while (k < op_count && p->tok.kind != ops[k])
            k++;
        if (k == op_count)
            break;
        struct token op = p->tok;
        next_token(p);
        struct node *right = sub(p);
        struct node *n = right ? new_node(p, kind, op.start) : NULL;
        if (n)
            n->op = (int)op.kind;
        left = finish_node(p, n, left, right);
    }
    return left;
}

static struct node *parse_product(struct parser *p)
{
    static const enum tok_kind ops[] = {T_STAR, T_SLASH};
    return parse_chain(p, parse_unary, ops, 2, N_ARITH);
}

static struct node *parse_sum(struct parser *p)
{
    static const enum tok_kind ops[] = {T_PLUS, T_MINUS};
    return parse_chain(p, parse_product, ops, 2, N_ARITH);
}

static int is_comparison(enum tok_kind k)
{
    return k == T_LT || k == T_LE || k == T_GT || k == T_GE || k == T_EQ || k == T_NE;
}

static int is_null_literal(const struct node *n)
{
    return n->kind == N_LIT && n->lit.type == TD_NULL;
}

static struct node *parse_comparison(struct parser *p)
{
    struct node *left = parse_sum(p);
    if (!left || !is_comparison(p->tok.kind))
        return left;
    struct token op = p->tok;
    next_token(p);
    struct node *right = parse_sum(p);
    if (right && (is_null_literal(left) || is_null_literal(right))) {
        syntax_error(p, op.start, "a comparison with null is always false; "
                                  "use present(x) to test whether x has a value");
        node_free(left);
        node_free(right);
        return NULL;
    }
    struct node *n = right ? new_node(p, N_CMP, op.start) : NULL;
    if (n)
        n->op = (int)op.kind;
    n = finish_node(p, n, left, right);
    if (n && is_comparison(p->tok.kind)) {
        syntax_error(p, p->tok.start, "comparisons cannot be chained; join them with 'and'");
        node_free(n);
        return NULL;
    }
    return n;
}

static struct node *parse_not(struct parser *p)
{
    if (p->tok.kind != T_NOT)
        return parse_comparison(p);
    size_t off = p->tok.start;
    if (enter(p) < 0)
        return NULL;
    next_token(p);
    struct node *operand = parse_not(p);
    p->depth--;
    if (!operand)
        return NULL;
    return finish_node(p, new_node(p, N_NOT, off), operand, NULL);
}

static struct node *parse_and(struct parser *p)
{
    static const enum tok_kind ops[] = {T_AND};
    return parse_chain(p, parse_not, ops, 1, N_AND);
}

static struct node *parse_or(struct parser *p)
{
    static const enum tok_kind ops[] = {T_OR};
    return parse_chain(p, parse_and, ops, 1, N_OR);
}

struct expr *expr_parse(const char *src, const char *file, long line, long col_base,
                        struct vb_diags *d)
{
    struct parser p = {.src = src ? src : "", .file = file, .line = line,
                       .col_base = col_base > 0 ? col_base : 1, .d = d};
    next_token(&p);
    if (!p.failed && p.tok.kind == T_END) {
        syntax_error(&p, 0, "empty expression");
        return NULL;
    }
    struct node *root = parse_expression(&p);
    if (root && p.tok.kind != T_END) {
        char found[64];
        describe_token(&p, found, sizeof found);
        const char *s = p.src + p.tok.start;
        int decimal_comma = p.tok.kind == T_COMMA && p.tok.start > 0 && s[-1] >= '0' &&
                            s[-1] <= '9' && s[1] >= '0' && s[1] <= '9';
        syntax_error(&p, p.tok.start, "unexpected %s after the expression%s", found,
                     decimal_comma ? _("; decimals are written with '.', as in 65.5") : "");
    }
    if (p.failed) {
        node_free(root);
        return NULL;
    }
    struct expr *e = calloc(1, sizeof *e);
    if (e) {
        e->file = file ? strdup(file) : NULL;
        e->src = strdup(p.src);
        e->line = line;
        e->root = root;
    }
    if (!e || !e->src || (file && !e->file)) {
        out_of_memory(&p);
        if (e)
            e->root = NULL;
        expr_free(e);
        node_free(root);
        return NULL;
    }
    return e;
}

/* ---------------------------------------------------------------------------------------
 * Evaluation
 * ------------------------------------------------------------------------------------- */

struct evaluator {
    const struct expr *e;
    const struct expr_scope *scope;
    struct td_arena *arena;
    struct vb_diags *d;
};

__attribute__((format(printf, 3, 4)))
static int eval_error(const struct evaluator *ev, long col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vformat_message(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(ev->d, VB_EINPUT, ev->e->file, ev->e->line, col, "%s", msg);
    return -1;
}

/* Returns truth of v for a condition, or -1 (no message) when v is not a condition. */
static int truth_of(const struct td_value *v)
{
    if (v->type == TD_BOOL)
        return v->u.b;
    if (v->type == TD_NULL)
        return 0;
    return -1;
}

/* The hint added when a number is used as a condition. */
static const char *condition_hint(enum td_type t)
{
    return t == TD_INT || t == TD_NUM ? _("; compare it (as in x > 0)") : "";
}

static int eval_node(struct evaluator *ev, const struct node *n, struct td_value *out);

static int eval_name(struct evaluator *ev, const struct node *n, struct td_value *out)
{
    for (const struct expr_scope *s = ev->scope; s; s = s->parent) {
        if (s->name) {
            if (strcmp(s->name, n->text) == 0) {
                *out = s->value;
                return 0;
            }
        } else if (s->value.type == TD_OBJ) {
            const struct td_value *v = td_obj_get(s->value.u.obj, n->text);
            if (v) {
                *out = *v;
                return 0;
            }
        }
    }
    const char *best = NULL;
    int best_distance = 3;
    for (const struct expr_scope *s = ev->scope; s; s = s->parent) {
        if (s->name)
            consider_hint(n->text, s->name, &best, &best_distance);
        else if (s->value.type == TD_OBJ && s->value.u.obj)
            for (size_t i = 0; i < s->value.u.obj->count; i++)
                consider_hint(n->text, s->value.u.obj->names[i], &best, &best_distance);
    }
    char hint[160];
    hint_text(best, hint, sizeof hint);
    return eval_error(ev, n->col, "undefined name '%s'%s", n->text, hint);
}

/* Looks field up in obj; reports "'base' has no field" (with a hint) when missing. */
static int get_field(struct evaluator *ev, const struct node *n, const struct td_obj *obj,
                     const char *field, const char *base, struct td_value *out)
{
    const struct td_value *v = td_obj_get(obj, field);
    if (v) {
        *out = *v;
        return 0;
    }
    const char *best = NULL;
    int best_distance = 3;
    for (size_t i = 0; obj && i < obj->count; i++)
        consider_hint(field, obj->names[i], &best, &best_distance);
    char hint[160];
    hint_text(best, hint, sizeof hint);
    return eval_error(ev, n->col, "'%s' has no field '%s'%s", base, field, hint);
}

static int eval_field(struct evaluator *ev, const struct node *n, struct td_value *out)
{
    struct td_value base;
    if (eval_node(ev, n->a, &base) < 0)
        return -1;
    if (base.type == TD_NULL) {      /* not applicable: u.prev.x when u.prev is null */
        *out = td_null();
        return 0;
    }
    const char *what = n->a->path ? n->a->path : _("the value");
    if (base.type != TD_OBJ)
        return eval_error(ev, n->col, "%s%s%s is %s, not a record: it has no field '%s'",
                          n->a->path ? "'" : "", what, n->a->path ? "'" : "",
                          type_with_article(base.type), n->text);
    return get_field(ev, n, base.u.obj, n->text, what, out);
}

static int number_result(struct evaluator *ev, const struct node *n, double x,
                         struct td_value *out)
{
    if (!isfinite(x))
        return eval_error(ev, n->col, "result too large");
    *out = td_num(x);
    return 0;
}

static int concatenate(struct evaluator *ev, const struct node *n, const char *a,
                       const char *b, struct td_value *out)
{
    size_t la = strlen(a), lb = strlen(b);
    if (!ev->arena)
        return eval_error(ev, n->col, "internal error: no arena to hold joined text");
    char *joined = malloc(la + lb + 1);
    if (!joined) {
        diag_error(ev->d, VB_EINTERNAL, ev->e->file, ev->e->line, n->col, "out of memory");
        return -1;
    }
    memcpy(joined, a, la);
    memcpy(joined + la, b, lb + 1);
    const char *kept = td_strdup(ev->arena, joined);
    free(joined);
    if (!kept) {
        diag_error(ev->d, VB_EINTERNAL, ev->e->file, ev->e->line, n->col, "out of memory");
        return -1;
    }
    *out = td_str(kept);
    return 0;
}

static int arith_mismatch(struct evaluator *ev, const struct node *n, int op, enum td_type a,
                          enum td_type b)
{
    switch (op) {
    case T_PLUS:
        return eval_error(ev, n->col, "cannot add %s and %s", td_type_name(a), td_type_name(b));
    case T_MINUS:
        return eval_error(ev, n->col, "cannot subtract %s from %s", td_type_name(b),
                          td_type_name(a));
    case T_STAR:
        return eval_error(ev, n->col, "cannot multiply %s by %s", td_type_name(a), td_type_name(b));
    default:
        return eval_error(ev, n->col, "cannot divide %s by %s", td_type_name(a), td_type_name(b));
    }
}

static int arith(struct evaluator *ev, const struct node *n, int op, struct td_value a,
                 struct td_value b, struct td_value *out)
{
    int text_ok = op == T_PLUS;
#define ARITH_OK(v) ((v).type == TD_NULL || is_number(&(v)) || (text_ok && (v).type == TD_STR))
    if (!ARITH_OK(a) || !ARITH_OK(b))
        return arith_mismatch(ev, n, op, a.type, b.type);
#undef ARITH_OK
    if (a.type == TD_NULL || b.type == TD_NULL) {   /* not applicable propagates */
        *out = td_null();
        return 0;
    }
    if (a.type == TD_STR || b.type == TD_STR) {
        if (a.type != b.type)
            return arith_mismatch(ev, n, op, a.type, b.type);
        return concatenate(ev, n, a.u.s, b.u.s, out);
    }
    if (op == T_SLASH) {
        if (as_double(&b) == 0)
            return eval_error(ev, n->col, "division by zero");
        return number_result(ev, n, as_double(&a) / as_double(&b), out);
    }
    if (a.type == TD_INT && b.type == TD_INT) {
        int64_t r;
        int overflow = op == T_PLUS    ? __builtin_add_overflow(a.u.i, b.u.i, &r)
                       : op == T_MINUS ? __builtin_sub_overflow(a.u.i, b.u.i, &r)
                                       : __builtin_mul_overflow(a.u.i, b.u.i, &r);
        if (overflow) {
            char x[40], y[40];
            vn_group_int(a.u.i, x, sizeof x);
            vn_group_int(b.u.i, y, sizeof y);
            return eval_error(ev, n->col, "result too large for a whole number: %s %s %s "
                              "passes ±9.223.372.036.854.775.807", x,
                              op == T_PLUS ? "+" : op == T_MINUS ? "-" : "*", y);
        }
        *out = td_int(r);
        return 0;
    }
    double x = as_double(&a), y = as_double(&b);
    return number_result(ev, n, op == T_PLUS ? x + y : op == T_MINUS ? x - y : x * y, out);
}

static const char *operator_text(int op)
{
    switch (op) {
    case T_LT: return "<";
    case T_LE: return "<=";
    case T_GT: return ">";
    case T_GE: return ">=";
    case T_EQ: return "==";
    case T_NE: return "!=";
    default: return "?";
    }
}

static int compare(struct evaluator *ev, const struct node *n, int op, struct td_value a,
                   struct td_value b, struct td_value *out)
{
    if (a.type == TD_NULL || b.type == TD_NULL) {   /* not applicable: never true */
        *out = td_bool(0);
        return 0;
    }
    int order; /* <0, 0, >0 */
    if (is_number(&a) && is_number(&b)) {
        if (a.type == TD_INT && b.type == TD_INT)
            order = (a.u.i > b.u.i) - (a.u.i < b.u.i);
        else {
            /* long double holds every 64-bit whole number exactly, so a large count is
             * compared with a number as it is, not as its nearest double */
            long double x = a.type == TD_INT ? (long double)a.u.i : (long double)a.u.n,
                        y = b.type == TD_INT ? (long double)b.u.i : (long double)b.u.n;
            if (isnan(x) || isnan(y)) {
                *out = td_bool(op == T_NE);
                return 0;
            }
            order = (x > y) - (x < y);
        }
    } else if (a.type == b.type && (a.type == TD_STR || a.type == TD_BOOL)) {
        if (op != T_EQ && op != T_NE)
            return eval_error(ev, n->col, "%s can only be compared with == and !=, not %s",
                              a.type == TD_STR ? _("text") : _("a condition"), operator_text(op));
        order = a.type == TD_STR ? strcmp(a.u.s, b.u.s) : (a.u.b != b.u.b);
    } else
        return eval_error(ev, n->col, "cannot compare %s with %s", td_type_name(a.type),
                          td_type_name(b.type));
    int r;
    switch (op) {
    case T_LT: r = order < 0; break;
    case T_LE: r = order <= 0; break;
    case T_GT: r = order > 0; break;
    case T_GE: r = order >= 0; break;
    case T_EQ: r = order == 0; break;
    default: r = order != 0; break;
    }
    *out = td_bool(r);
    return 0;
}

/* Checks that argument i of call n is a number or null. */
static int want_number(struct evaluator *ev, const struct node *n, size_t i,
                       const struct td_value *v)
{
    if (v->type == TD_NULL || is_number(v))
        return 0;
    return eval_error(ev, n->args[i]->start, "%s() needs numbers, not %s (argument %zu)",
                      functions[n->op].name, type_with_article(v->type), i + 1);
}

/* Rounds x*10^decimals half away from zero (with a relative guard of 1e-12 so that a
 * binary value just below an exact half, like 89.45*10, counts as the half); returns 0,
 * or -1 when the result does not fit a 64-bit integer. */
static int round_scaled(double x, int decimals, long long *out)
{
    if (!isfinite(x))
        return -1;
    double a = fabs(x) * ten_to(decimals);
    if (!(a < 9.0e18))
        return -1;
    double whole = floor(a);
    /* the guard is a few hundred units in the last place (a value computed in binary is
     * off by a few), and never so large that a value with no fraction left (from 2^52 up)
     * or a coarse one is pushed to the next unit */
    double guard = (a > 1 ? a : 1) * 0x1p-44;
    if (guard > 0x1p-6)
        guard = 0x1p-6;
    if (a - whole >= 0.5 - guard)
        whole += 1;
    long long r = (long long)whole;
    *out = x < 0 ? -r : r;
    return 0;
}

static int eval_sum(struct evaluator *ev, const struct node *n, struct td_value list,
                    struct td_value field, struct td_value *out)
{
    if (field.type != TD_STR)
        return eval_error(ev, n->args[1]->start,
                          "sum() needs the field name as text, as in sum(units, "
                          "'so_doanh_nghiep'), not %s", type_with_article(field.type));
    if (list.type == TD_NULL) {
        *out = td_null();
        return 0;
    }
    if (list.type != TD_LIST)
        return eval_error(ev, n->args[0]->start, "sum() needs a list, not %s",
                          type_with_article(list.type));
    int64_t whole = 0;
    double total = 0;
    int any = 0, exact = 1;
    for (size_t i = 0; list.u.list && i < list.u.list->count; i++) {
        const struct td_value *item = &list.u.list->items[i];
        if (item->type == TD_NULL)
            continue;
        if (item->type != TD_OBJ)
            return eval_error(ev, n->col, "sum(): item %zu of the list is %s, not a record", i + 1,
                              type_with_article(item->type));
        char base[48];
        snprintf(base, sizeof base, "item %zu", i + 1);
        struct td_value v = td_null();
        if (get_field(ev, n, item->u.obj, field.u.s, base, &v) < 0)
            return -1;
        if (v.type == TD_NULL)
            continue;
        if (!is_number(&v))
            return eval_error(ev, n->col, "sum(): field '%s' of item %zu is %s, not a number",
                              field.u.s, i + 1, type_with_article(v.type));
        any = 1;
        if (exact && v.type == TD_INT && !__builtin_add_overflow(whole, v.u.i, &whole))
            continue;
        if (exact && v.type == TD_INT) {
            char x[40], y[40];
            vn_group_int(whole, x, sizeof x);
            vn_group_int(v.u.i, y, sizeof y);
            return eval_error(ev, n->col, "sum(): result too large for a whole number: the "
                              "sum up to item %zu (%s) plus its %s (%s) passes "
                              "±9.223.372.036.854.775.807", i, x, field.u.s, y);
        }
        if (exact) {
            exact = 0;
            total = (double)whole;
        }
        total += as_double(&v);
    }
    if (!any)
        *out = td_null();
    else if (exact)
        *out = td_int(whole);
    else
        return number_result(ev, n, total, out);
    return 0;
}

static int eval_call(struct evaluator *ev, const struct node *n, struct td_value *out)
{
    struct td_value v[2] = {td_null(), td_null()};
    for (size_t i = 0; i < n->argc && i < 2; i++)
        if (eval_node(ev, n->args[i], &v[i]) < 0)
            return -1;
    const char *name = functions[n->op].name;
    switch ((enum fn_id)n->op) {
    case FN_PCT:
    case FN_CHANGE:
        if (want_number(ev, n, 0, &v[0]) < 0 || want_number(ev, n, 1, &v[1]) < 0)
            return -1;
        if (v[0].type == TD_NULL || v[1].type == TD_NULL || as_double(&v[1]) == 0) {
            *out = td_null();   /* nothing to measure: not applicable, not an error */
            return 0;
        }
        if (v[0].type == TD_INT && v[1].type == TD_INT) {
            /* whole figures: exact.h's percentage, so printing and comparing it with a
             * target give the exact ratio's answers */
            *out = td_num(n->op == FN_PCT ? exact_percent(v[0].u.i, v[1].u.i)
                                          : exact_change(v[0].u.i, v[1].u.i));
            return 0;
        }
        if (n->op == FN_PCT)
            return number_result(ev, n, as_double(&v[0]) * 100.0 / as_double(&v[1]), out);
        return number_result(ev, n, (as_double(&v[0]) - as_double(&v[1])) * 100.0 /
                                        as_double(&v[1]), out);
    case FN_PRESENT:
        *out = td_bool(v[0].type != TD_NULL);
        return 0;
    case FN_COUNT:
        if (v[0].type == TD_NULL) {
            *out = td_null();
            return 0;
        }
        if (v[0].type != TD_LIST)
            return eval_error(ev, n->args[0]->start, "count() needs a list, not %s%s",
                              type_with_article(v[0].type),
                              v[0].type == TD_STR ? _("; use len() for text") : "");
        *out = td_int(v[0].u.list ? (int64_t)v[0].u.list->count : 0);
        return 0;
    case FN_SUM:
        return eval_sum(ev, n, v[0], v[1], out);
    case FN_ROUND: {
        if (want_number(ev, n, 0, &v[0]) < 0)
            return -1;
        if (v[1].type != TD_INT || v[1].u.i < 0 || v[1].u.i > 9)
            return eval_error(ev, n->args[1]->start,
                              "round() needs a whole number of decimals from 0 to 9");
        if (v[0].type != TD_NUM) {          /* whole numbers and null stay as they are */
            *out = v[0];
            return 0;
        }
        long long scaled;
        if (round_scaled(v[0].u.n, (int)v[1].u.i, &scaled) < 0 ||
            fabs(v[0].u.n) * ten_to(v[1].u.i) >= 9007199254740992.0) {
            *out = v[0];                    /* beyond double precision: already whole */
            return isfinite(v[0].u.n) ? 0 : eval_error(ev, n->col, "result too large");
        }
        *out = td_num((double)scaled / ten_to(v[1].u.i));
        return 0;
    }
    case FN_MIN:
    case FN_MAX: {
        if (want_number(ev, n, 0, &v[0]) < 0 || want_number(ev, n, 1, &v[1]) < 0)
            return -1;
        if (v[0].type == TD_NULL || v[1].type == TD_NULL) {
            *out = td_null();
            return 0;
        }
        int first;
        if (v[0].type == TD_INT && v[1].type == TD_INT) {
            first = n->op == FN_MIN ? v[0].u.i <= v[1].u.i : v[0].u.i >= v[1].u.i;
            *out = v[first ? 0 : 1];
            return 0;
        }
        double x = as_double(&v[0]), y = as_double(&v[1]);
        *out = td_num(n->op == FN_MIN ? fmin(x, y) : fmax(x, y));
        return 0;
    }
    case FN_LEN:
        if (v[0].type == TD_NULL) {
            *out = td_null();
            return 0;
        }
        if (v[0].type != TD_STR)
            return eval_error(ev, n->args[0]->start, "len() needs text, not %s%s",
                              type_with_article(v[0].type),
                              v[0].type == TD_LIST ? _("; use count() for a list") : "");
        {
            int64_t chars = 0;
            for (const char *s = v[0].u.s; *s; s++)
                chars += ((unsigned char)*s & 0xC0) != 0x80;
            *out = td_int(chars);
        }
        return 0;
    case FN_UPPER:
        if (v[0].type == TD_NULL) {
            *out = td_null();
            return 0;
        }
        if (v[0].type != TD_STR)
            return eval_error(ev, n->args[0]->start, "upper() needs text, not %s",
                              type_with_article(v[0].type));
        {
            char *up = text_upper(v[0].u.s);
            const char *kept = up ? td_strdup(ev->arena, up) : NULL;
            free(up);
            if (!kept)
                return eval_error(ev, n->col, "out of memory");
            *out = td_str(kept);
        }
        return 0;
    }
    return eval_error(ev, n->col, "internal error: unknown function %s()", name);
}

static int eval_node(struct evaluator *ev, const struct node *n, struct td_value *out)
{
    struct td_value a, b;
    switch (n->kind) {
    case N_LIT:
        *out = n->lit;
        if (n->lit.type == TD_STR && ev->arena) {   /* the value must not outlive e */
            out->u.s = td_strdup(ev->arena, n->lit.u.s);
            if (!out->u.s) {
                diag_error(ev->d, VB_EINTERNAL, ev->e->file, ev->e->line, n->col,
                           "out of memory");
                return -1;
            }
        }
        return 0;
    case N_NAME:
        return eval_name(ev, n, out);
    case N_FIELD:
        return eval_field(ev, n, out);
    case N_NEG:
        if (eval_node(ev, n->a, &a) < 0)
            return -1;
        if (a.type == TD_NULL)
            *out = a;
        else if (a.type == TD_INT) {
            if (a.u.i == INT64_MIN)
                return eval_error(ev, n->col, "result too large for a whole number: "
                                  "-(-9.223.372.036.854.775.808)");
            *out = td_int(-a.u.i);
        } else if (a.type == TD_NUM)
            *out = td_num(-a.u.n);
        else
            return eval_error(ev, n->col, "cannot negate %s", type_with_article(a.type));
        return 0;
    case N_NOT:
    case N_AND:
    case N_OR: {
        if (eval_node(ev, n->a, &a) < 0)
            return -1;
        int t = truth_of(&a);
        if (t < 0)
            return eval_error(ev, n->a->start, "a condition must be true or false, not %s%s",
                              type_with_article(a.type), condition_hint(a.type));
        if (n->kind == N_NOT || (n->kind == N_AND && !t) || (n->kind == N_OR && t)) {
            *out = td_bool(n->kind == N_NOT ? !t : t);
            return 0;
        }
        if (eval_node(ev, n->b, &b) < 0)
            return -1;
        t = truth_of(&b);
        if (t < 0)
            return eval_error(ev, n->b->start, "a condition must be true or false, not %s%s",
                              type_with_article(b.type), condition_hint(b.type));
        *out = td_bool(t);
        return 0;
    }
    case N_ARITH:
    case N_CMP:
        if (eval_node(ev, n->a, &a) < 0 || eval_node(ev, n->b, &b) < 0)
            return -1;
        return n->kind == N_ARITH ? arith(ev, n, n->op, a, b, out)
                                  : compare(ev, n, n->op, a, b, out);
    case N_CALL:
        return eval_call(ev, n, out);
    }
    return eval_error(ev, n->col, "internal error: unknown expression node");
}

int expr_eval(const struct expr *e, const struct expr_scope *scope, struct td_arena *arena,
              struct td_value *out, struct vb_diags *d)
{
    *out = td_null();
    if (!e || !e->root) {
        diag_error(d, VB_EINTERNAL, e ? e->file : NULL, e ? e->line : 0, 0,
                   "internal error: no expression to evaluate");
        return -1;
    }
    struct evaluator ev = {.e = e, .scope = scope, .arena = arena, .d = d};
    struct td_value v;
    if (eval_node(&ev, e->root, &v) < 0)
        return -1;
    *out = v;
    return 0;
}

int expr_truth(struct td_value v, int *out, const char *file, long line, struct vb_diags *d)
{
    int t = truth_of(&v);
    if (t < 0) {
        diag_error(d, VB_EINPUT, file, line, 0, "a condition must be true or false, not %s%s",
                   type_with_article(v.type), condition_hint(v.type));
        return -1;
    }
    *out = t;
    return 0;
}

/* ---------------------------------------------------------------------------------------
 * Formats
 * ------------------------------------------------------------------------------------- */

#define NBSP "\xC2\xA0"

/* Writes scaled/10^decimals with "." grouping and "," decimals ("-1.977,7"). */
static void write_fixed(long long scaled, int decimals, char *buf, size_t size)
{
    unsigned long long mag = scaled < 0 ? 0ULL - (unsigned long long)scaled
                                        : (unsigned long long)scaled;
    unsigned long long unit = (unsigned long long)ten_to(decimals);
    char whole[48];
    if (decimals == 0) {        /* also right for LLONG_MIN, whose magnitude has no sign */
        vn_group_int(scaled, buf, size);
        return;
    }
    vn_group_int((long long)(mag / unit), whole, sizeof whole);
    char fraction[24] = "";
    unsigned long long rest = mag % unit;
    if (decimals > 0 && decimals < (int)sizeof fraction - 1) {
        fraction[0] = ',';
        for (int k = decimals; k >= 1; k--, rest /= 10)
            fraction[k] = (char)('0' + rest % 10);
        fraction[decimals + 1] = 0;
    }
    snprintf(buf, size, "%s%s%s", scaled < 0 ? "-" : "", whole, fraction);
}

/* Scales a number by 10^decimals, rounded; returns 0 or -1 when too large. */
static int scale_value(struct td_value v, int decimals, long long *out)
{
    if (v.type == TD_INT) {
        int64_t r;
        if (__builtin_mul_overflow(v.u.i, (int64_t)ten_to(decimals), &r))
            return -1;
        *out = r;
        return 0;
    }
    return round_scaled(v.u.n, decimals, out);
}

/* Writes v for a machine to read back (a chart's percentage): digits with a point, no
 * grouping and no exponent, the fewest that read back as the same double. Returns 0, or -1
 * when the number is too large for out. */
static int write_number(struct td_value v, char *out, size_t size)
{
    if (v.type == TD_INT) {
        snprintf(out, size, "%lld", (long long)v.u.i);
        return 0;
    }
    double x = v.u.n;
    if (fabs(x) >= 1e21)
        return -1;
    for (int p = 1; p <= 17; p++) {
        snprintf(out, size, "%.*g", p, x);
        if (strtod(out, NULL) == x)
            break;
    }
    if (!strchr(out, 'e'))
        return 0;
    /* as fixed decimals instead: as many as it takes (a tiny number may take them all) */
    for (int p = 0; p < (int)size - 24; p++) {
        snprintf(out, size, "%.*f", p, x);
        if (strtod(out, NULL) == x)
            break;
    }
    return 0;
}

int expr_format(struct td_value v, const char *format, char *buf, size_t size,
                const char *file, long line, struct vb_diags *d)
{
    if (!buf || size == 0) {
        diag_error(d, VB_EINTERNAL, file, line, 0, "internal error: no room to format a value");
        return -1;
    }
    buf[0] = 0;
    if (!format)
        format = "text";
    enum { F_INT, F_PLAIN, F_PCT, F_DEC1, F_DONG, F_CHANGE, F_TEXT, F_NUMBER } f;
    if (strcmp(format, "int") == 0)
        f = F_INT;
    else if (strcmp(format, "plain") == 0)
        f = F_PLAIN;
    else if (strcmp(format, "pct") == 0)
        f = F_PCT;
    else if (strcmp(format, "dec1") == 0)
        f = F_DEC1;
    else if (strcmp(format, "dong") == 0)
        f = F_DONG;
    else if (strcmp(format, "change") == 0)
        f = F_CHANGE;
    else if (strcmp(format, "text") == 0)
        f = F_TEXT;
    else if (strcmp(format, "number") == 0)
        f = F_NUMBER;
    else {
        diag_error(d, VB_EINPUT, file, line, 0,
                   "unknown format '%.40s' (int, plain, pct, dec1, dong, change, text or "
                   "number)", format);
        return -1;
    }
    char tmp[128] = "";
    const char *result = tmp;
    switch (v.type) {
    case TD_NULL:
        result = "-";           /* not applicable */
        break;
    case TD_BOOL:
        diag_error(d, VB_EINPUT, file, line, 0,
                   "a condition cannot be printed; use <if> to choose a text");
        return -1;
    case TD_LIST:
    case TD_OBJ:
        diag_error(d, VB_EINPUT, file, line, 0, "%s cannot be printed%s",
                   v.type == TD_LIST ? _("a list") : _("a record"),
                   v.type == TD_LIST ? _("; use <for> or count()") : _("; print one of its fields"));
        return -1;
    case TD_STR:
        if (f != F_TEXT) {
            diag_error(d, VB_EINPUT, file, line, 0, "format '%s' needs a number, not text",
                       format);
            return -1;
        }
        result = v.u.s;
        break;
    case TD_INT:
    case TD_NUM: {
        if (f == F_PLAIN) {
            /* years and document numbers: digits only, never grouped */
            if (v.type != TD_INT) {
                diag_error(d, VB_EINPUT, file, line, 0, "format 'plain' needs a whole number");
                return -1;
            }
            snprintf(tmp, sizeof tmp, "%lld", (long long)v.u.i);
            break;
        }
        if (v.type == TD_NUM && !isfinite(v.u.n)) {
            diag_error(d, VB_EINPUT, file, line, 0, "this number cannot be printed (%s)",
                       isnan(v.u.n) ? _("not a number") : _("infinite"));
            return -1;
        }
        if (f == F_NUMBER) {
            if (write_number(v, tmp, sizeof tmp) < 0) {
                diag_error(d, VB_EINPUT, file, line, 0, "number too large to print");
                return -1;
            }
            break;
        }
        int decimals = (f == F_INT || f == F_DONG || (f == F_TEXT && v.type == TD_INT)) ? 0 : 1;
        if (v.type == TD_NUM && fabs(v.u.n) >= EXACT_PRINT_MAX &&
            !(decimals == 0 && v.u.n == nearbyint(v.u.n) && fabs(v.u.n) < 0x1p53)) {
            /* its tenths (or its units, past 2^53) are no longer exact in a double */
            char limit[32];
            vn_group_int((long long)EXACT_PRINT_MAX, limit, sizeof limit);
            diag_error(d, VB_EINPUT, file, line, 0, "a number of about %s10^%d cannot be "
                       "printed exactly: vanban prints a number with a fraction (a ratio, a "
                       "quotient) only below %s, and no real ratio is that large; check the "
                       "figures it is computed from", v.u.n < 0 ? "-" : "",
                       (int)floor(log10(fabs(v.u.n))), limit);
            return -1;
        }
        long long scaled;
        if (scale_value(v, decimals, &scaled) < 0) {
            diag_error(d, VB_EINPUT, file, line, 0, "number too large to print");
            return -1;
        }
        char number[96];
        write_fixed(f == F_CHANGE && scaled < 0 ? -scaled : scaled, decimals, number,
                    sizeof number);
        if (f == F_PCT)
            snprintf(tmp, sizeof tmp, "%s" NBSP "%%", number);
        else if (f == F_DONG)
            snprintf(tmp, sizeof tmp, "%s đồng", number);
        else if (f == F_CHANGE && scaled == 0)
            snprintf(tmp, sizeof tmp, "không thay đổi");
        else if (f == F_CHANGE)
            snprintf(tmp, sizeof tmp, "%s %s" NBSP "%%", scaled > 0 ? "tăng" : "giảm", number);
        else
            snprintf(tmp, sizeof tmp, "%s", number);
        break;
    }
    }
    size_t len = strlen(result);
    if (len >= size) {
        diag_error(d, VB_EINPUT, file, line, 0, "value too long to print (%zu bytes, at most %zu)",
                   len, size - 1);
        return -1;
    }
    memcpy(buf, result, len + 1);
    return 0;
}
