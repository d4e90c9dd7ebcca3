/* i18n.c: the messages' language and catalog, see i18n.h. */
#include "config.h"

#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* configure and Makefile.am define these; a build without them (tests/fuzz) has defaults */
#ifndef PACKAGE
#define PACKAGE "vanban"
#endif
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef VANBAN_BUILD_LOCALEDIR
#define VANBAN_BUILD_LOCALEDIR LOCALEDIR
#endif

/* The first of the variables that decide LC_MESSAGES that is set and not empty. */
static const char *messages_locale_name(void)
{
    const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *v = getenv(names[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* The catalog folder: $VANBAN_LOCALEDIR, the installed one when it holds vanban's
 * catalog, else the build tree's (a program run where it was built). */
static const char *catalog_dir(void)
{
    const char *env = getenv("VANBAN_LOCALEDIR");
    if (env && *env)
        return env;
    if (access(LOCALEDIR "/vi/LC_MESSAGES/" PACKAGE ".mo", R_OK) == 0)
        return LOCALEDIR;
    if (access(VANBAN_BUILD_LOCALEDIR "/vi/LC_MESSAGES/" PACKAGE ".mo", R_OK) == 0)
        return VANBAN_BUILD_LOCALEDIR;
    return LOCALEDIR;
}

void i18n_init(void)
{
    const char *chosen = setlocale(LC_MESSAGES, "");
    const char *language = getenv("LANGUAGE");
    if (chosen && language && *language && !messages_locale_name() &&
        (strcmp(chosen, "C") == 0 || strcmp(chosen, "POSIX") == 0)) {
        /* LANGUAGE=vi alone, no locale named at all: gettext would ignore LANGUAGE under
         * "C"; an explicit LC_ALL=C (a script asking for English) still wins */
        setlocale(LC_MESSAGES, "C.UTF-8");
    } else if (!chosen) {
        /* the locale named is not installed (vi_VN.UTF-8 is often not generated): its
         * language is still the one the reader asked for */
        const char *name = messages_locale_name();
        if (name && (!language || !*language) && strcmp(name, "C") != 0 &&
            strcmp(name, "POSIX") != 0) {
            char lang[64];
            size_t n = strcspn(name, ".@");
            if (n >= sizeof lang)
                n = sizeof lang - 1;
            memcpy(lang, name, n);
            lang[n] = '\0';
            setenv("LANGUAGE", lang, 1);
        }
        /* gettext ignores LANGUAGE under the "C" locale, not under C.UTF-8 */
        setlocale(LC_MESSAGES, "C.UTF-8");
    }
    bindtextdomain(PACKAGE, catalog_dir());
    bind_textdomain_codeset(PACKAGE, "UTF-8");   /* whatever LC_CTYPE says */
    textdomain(PACKAGE);
}

void i18n_use_language(const char *lang)
{
    setenv("LANGUAGE", lang, 1);
    /* a new LC_MESSAGES also makes gettext forget the translations it looked up before */
    if (!setlocale(LC_MESSAGES, "C.UTF-8"))
        setlocale(LC_MESSAGES, "");
}
