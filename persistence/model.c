/* Lookups in model declarations; see model.h. */
#include "persistence/model.h"

#include <string.h>

const model_col_t *model_col(const model_t *m, const char *name) {
    for (const model_col_t *c = m->cols; c && c->name; c++)
        if (!strcmp(c->name, name)) return c;
    return NULL;
}

const model_rel_t *model_rel(const model_t *m, const char *name) {
    for (const model_rel_t *r = m->rels; r && r->name; r++)
        if (!strcmp(r->name, name)) return r;
    return NULL;
}
