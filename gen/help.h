/*
 * help.h: the command line's help pages: the overview (`vanban --help`, `vanban help`) and
 * one page per command (`vanban help COMMAND`, `vanban COMMAND --help`), each with the
 * command's usage, what it does, its options and examples. The pages are the only place
 * the options are described for the terminal; doc/vanban.1 says the same at length, and
 * tests/manual.test checks that every option shown here is in the manual.
 */
#ifndef VANBAN_HELP_H
#define VANBAN_HELP_H

#include <stdio.h>

/* Returns whether name is one of vanban's commands (render, check, report, batch, serve,
 * help). */
int help_is_command(const char *name);

/* Prints the help page of command, or the overview when command is NULL, to out. Returns
 * 0, or -1 (printing nothing) when there is no such command. */
int help_print(const char *command, FILE *out);

#endif
