/*
 * tdata.h: the values templates compute with: null ("not applicable"), booleans, exact
 * integers, numbers, strings, lists and objects (named fields). A tree owned by an arena:
 * everything allocated from one tdata_arena is freed together.
 */
#ifndef VANBAN_TDATA_H
#define VANBAN_TDATA_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of value. */
enum td_type { TD_NULL, TD_BOOL, TD_INT, TD_NUM, TD_STR, TD_LIST, TD_OBJ };

struct td_list;
struct td_obj;

/* One value; strings, lists and objects live in an arena. */
struct td_value {
    enum td_type type;
    union {
        int b;
        int64_t i;
        double n;
        const char *s;
        const struct td_list *list;
        const struct td_obj *obj;
    } u;
};

/* A list of values. */
struct td_list {
    size_t count;
    struct td_value *items;
};

/* An object: fields looked up by name (linear; objects are small). */
struct td_obj {
    size_t count, cap;
    const char **names;
    struct td_value *values;
};

/* An arena owning every string, list and object made through it. */
struct td_arena;

/* Creates an empty arena; NULL on allocation failure. */
struct td_arena *td_arena_new(void);

/* Frees the arena and everything allocated from it. */
void td_arena_free(struct td_arena *a);

/* Returns a copy of s owned by the arena (NULL on allocation failure). */
const char *td_strdup(struct td_arena *a, const char *s);

/* Returns a new empty object owned by the arena. */
struct td_obj *td_obj_new(struct td_arena *a);

/* Sets field name of obj to v (the name is copied); returns 0, or -1 on allocation failure. */
int td_obj_set(struct td_arena *a, struct td_obj *obj, const char *name, struct td_value v);

/* Returns the field of obj called name, or NULL when it has none. */
const struct td_value *td_obj_get(const struct td_obj *obj, const char *name);

/* Returns a new list of count null items owned by the arena. */
struct td_list *td_list_new(struct td_arena *a, size_t count);

/* Value constructors. */
struct td_value td_null(void);
struct td_value td_bool(int b);
struct td_value td_int(int64_t i);
struct td_value td_num(double n);
struct td_value td_str(const char *s);            /* s must outlive the value (arena) */
struct td_value td_list_value(const struct td_list *l);
struct td_value td_obj_value(const struct td_obj *o);

/* Returns the name of a type for messages ("number", "text", …). */
const char *td_type_name(enum td_type t);

#endif
