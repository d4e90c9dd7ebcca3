/*
 * webpage.h: the pages of the web page (vanban serve) other than a result's body: the
 * frame of every page (skip link, the two tasks, footer), the home page, the forms of
 * Soạn văn bản and Tổng hợp báo cáo (filled again with what was sent), the answers that
 * are not results (403, 404, 413, 503, …), and the style sheet and the small script. Plain
 * HTML forms that work without the script; every control has a label; focus is visible.
 */
#ifndef VANBAN_WEBPAGE_H
#define VANBAN_WEBPAGE_H

#include <stddef.h>

#include "xmlout.h"

/* Which task a page belongs to (the one the navigation marks as current). */
enum webpage_task { WEBPAGE_HOME, WEBPAGE_SOAN, WEBPAGE_TONG_HOP };

/* A profile the Tổng hợp form offers: its id in the form and its title. */
struct webpage_profile {
    const char *id;
    const char *title;
};

/* What the Tổng hợp form shows filled in. */
struct webpage_report_form {
    const struct webpage_profile *profiles;
    size_t profile_count;
    const char *chosen;        /* the chosen profile's id, "" for none, NULL: the first */
    int year;
    const char *number, *date, *signer;   /* may be NULL */
};

/* Opens a page: doctype, head (title), skip link, header with the tasks' navigation, and
 * <main>. */
void webpage_begin(struct xmlout *h, const char *title, enum webpage_task task);

/* Closes <main> and the page, with the footer (results kept keep_minutes). */
void webpage_end(struct xmlout *h, unsigned keep_minutes);

/* Writes the home page's content. */
void webpage_home(struct xmlout *h);

/* Writes the Soạn văn bản heading and introduction (before a result). */
void webpage_soan_intro(struct xmlout *h);

/* Writes the Soạn văn bản form, its text area holding text (NULL: empty). */
void webpage_soan_form(struct xmlout *h, const char *text);

/* Writes the Tổng hợp báo cáo heading and introduction (before a result). */
void webpage_tong_hop_intro(struct xmlout *h);

/* Writes the Tổng hợp báo cáo form, filled as f says. */
void webpage_tong_hop_form(struct xmlout *h, const struct webpage_report_form *f);

/* Writes a whole page that says one thing: a heading and a paragraph (raw HTML from
 * webtext.h, values already escaped) and a link back. */
void webpage_notice(struct xmlout *h, const char *title, const char *text, unsigned keep_minutes);

/* The style sheet, served as /tai-nguyen/trang.css. */
extern const char webpage_css[];

/* The script, served as /tai-nguyen/trang.js: it only adds to forms that work without it. */
extern const char webpage_js[];

#endif
