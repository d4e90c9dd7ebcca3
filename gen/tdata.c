/* tdata.c: template values and their arena, see tdata.h. */
#include "tdata.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* Every allocation is a block on one list, freed together. */
struct td_block {
    struct td_block *next;
    max_align_t data[];
};

struct td_arena {
    struct td_block *blocks;
};

struct td_arena *td_arena_new(void) { return calloc(1, sizeof(struct td_arena)); }

static void *arena_alloc(struct td_arena *a, size_t size)
{
    struct td_block *b = calloc(1, sizeof *b + size);
    if (!b)
        return NULL;
    b->next = a->blocks;
    a->blocks = b;
    return b->data;
}

void td_arena_free(struct td_arena *a)
{
    if (!a)
        return;
    for (struct td_block *b = a->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

const char *td_strdup(struct td_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

struct td_obj *td_obj_new(struct td_arena *a) { return arena_alloc(a, sizeof(struct td_obj)); }

int td_obj_set(struct td_arena *a, struct td_obj *obj, const char *name, struct td_value v)
{
    for (size_t i = 0; i < obj->count; i++)
        if (strcmp(obj->names[i], name) == 0) {
            obj->values[i] = v;
            return 0;
        }
    if (obj->count == obj->cap) {
        size_t cap = obj->cap ? obj->cap * 2 : 8;
        const char **names = arena_alloc(a, cap * sizeof *names);
        struct td_value *values = arena_alloc(a, cap * sizeof *values);
        if (!names || !values)
            return -1;
        if (obj->count) {
            memcpy(names, obj->names, obj->count * sizeof *names);
            memcpy(values, obj->values, obj->count * sizeof *values);
        }
        obj->names = names;
        obj->values = values;
        obj->cap = cap;
    }
    const char *copy = td_strdup(a, name);
    if (!copy)
        return -1;
    obj->names[obj->count] = copy;
    obj->values[obj->count++] = v;
    return 0;
}

const struct td_value *td_obj_get(const struct td_obj *obj, const char *name)
{
    for (size_t i = 0; obj && i < obj->count; i++)
        if (strcmp(obj->names[i], name) == 0)
            return &obj->values[i];
    return NULL;
}

struct td_list *td_list_new(struct td_arena *a, size_t count)
{
    struct td_list *l = arena_alloc(a, sizeof *l);
    if (!l)
        return NULL;
    l->items = arena_alloc(a, (count ? count : 1) * sizeof *l->items);
    if (!l->items)
        return NULL;
    l->count = count; /* calloc'd: every item is TD_NULL */
    return l;
}

struct td_value td_null(void) { return (struct td_value){.type = TD_NULL}; }
struct td_value td_bool(int b) { return (struct td_value){.type = TD_BOOL, .u.b = !!b}; }
struct td_value td_int(int64_t i) { return (struct td_value){.type = TD_INT, .u.i = i}; }
struct td_value td_num(double n) { return (struct td_value){.type = TD_NUM, .u.n = n}; }
struct td_value td_str(const char *s) { return (struct td_value){.type = TD_STR, .u.s = s}; }
struct td_value td_list_value(const struct td_list *l)
{
    return (struct td_value){.type = TD_LIST, .u.list = l};
}
struct td_value td_obj_value(const struct td_obj *o)
{
    return (struct td_value){.type = TD_OBJ, .u.obj = o};
}

const char *td_type_name(enum td_type t)
{
    static const char *const names[] = {N_("null"), N_("condition"), N_("whole number"),
                                        N_("number"), N_("text"), N_("list"), N_("record")};
    return _(names[t]);
}
