/* grow.c: the growth helper, see grow.h. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int grow_array(void *items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (elem_size && n > SIZE_MAX / elem_size)
        return -1;
    void *old;
    memcpy(&old, items, sizeof old);   /* *items is some T *: read and written as bytes */
    void *p = realloc(old, n * elem_size);
    if (!p)
        return -1;
    memcpy(items, &p, sizeof p);
    *cap = n;
    return 0;
}
