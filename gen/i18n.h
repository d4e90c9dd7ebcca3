/*
 * i18n.h: the program's messages in the reader's language (GNU gettext, domain "vanban").
 * Messages are written in English in the source, marked _("...") where they are used and
 * N_("...") where they sit in a table; po/vi.po holds their Vietnamese.
 */
#ifndef VANBAN_I18N_H
#define VANBAN_I18N_H

#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)
/* ngettext under a short name: the message for n things (one form in Vietnamese). */
#define P_(one, many, n) ngettext(one, many, (unsigned long)(n))

/* Chooses the language from the environment as gettext does (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG), also when the system lacks the locale named (a vi_VN.UTF-8 that was
 * never generated still gives Vietnamese), and finds the catalog: $VANBAN_LOCALEDIR, the
 * installed one, else the build tree's. */
void i18n_init(void);

/* Uses the catalog of language lang (e.g. "vi") from now on, whatever the environment said
 * (the web page's workers: the page is Vietnamese). */
void i18n_use_language(const char *lang);

#endif
