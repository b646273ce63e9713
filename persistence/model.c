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

const model_computed_t *model_computed(const model_t *m, const char *name) {
    for (const model_computed_t *c = m->computed; c && c->name; c++)
        if (!strcmp(c->name, name)) return c;
    return NULL;
}

const char *model_link_cond(const model_t *m, const model_rel_t *r) {
    for (const model_link_filter_t *f = m->link_filters; f && f->rel; f++)
        if (!strcmp(f->rel, r->name)) return f->cond;
    return "";
}

/* Superset's AuditMixinNullable properties. */
const model_computed_t model_audit_computed[] = {
    {"changed_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.changed_on))", "changed_on",
     COMPUTED_HUMANIZE_AGO},
    {"created_on_delta_humanized", "extract(epoch FROM (localtimestamp - t.created_on))", "created_on",
     COMPUTED_HUMANIZE_AGO},
    {"changed_on_utc",
     "to_char(t.changed_on AT TIME ZONE current_setting('TimeZone') AT TIME ZONE 'UTC',"
     " 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+0000'",
     "changed_on", COMPUTED_RAW},
    {"changed_on_dttm", "(extract(epoch FROM t.changed_on) * 1000)::float8", "changed_on", COMPUTED_RAW},
    {NULL, NULL, NULL, COMPUTED_RAW},
};
