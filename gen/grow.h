/*
 * grow.h: the one growth helper of every growable array and buffer: capacity doubles, so
 * appending n items costs O(n) copies in all, and sizes are checked for overflow.
 */
#ifndef VANBAN_GROW_H
#define VANBAN_GROW_H

#include <stddef.h>

/* Makes the array at *items (a pointer to any object pointer, e.g. &list->items) hold at
 * least need elements of elem_size bytes: its capacity *cap doubles (from 16) until it
 * does. Returns 0, or -1 (array and capacity unchanged) when memory runs out or the size
 * would overflow. */
int grow_array(void *items, size_t *cap, size_t need, size_t elem_size);

#endif
