/* The writing half of the bundle import: upserts of databases, saved
 * queries, datasets (columns, metrics), charts and dashboards inside the
 * import transaction, with the reference's permission and ownership rules,
 * object permissions (database_access, datasource_access, schema_access)
 * and owner links. Internal to domain/bundle_import.c. */
#ifndef LITESET_DOMAIN_BUNDLE_WRITE_H
#define LITESET_DOMAIN_BUNDLE_WRITE_H

#include "domain/bundle_import.h"

typedef struct bw_ctx {
    pg_conn_t *c;
    arena_t *a;
    const import_opts_t *o;
    import_counts_t *counts;
    pg_error_t err;
    const char *failure; /* ImportFailedError message, when one was raised */
} bw_ctx_t;

/* Writes the validated configs {file: config}; main_kind honours
 * o->overwrite (-1: assets/examples rules). False on failure (the caller
 * rolls back). */
bool bw_run(bw_ctx_t *w, json_t *configs, int main_kind);

/* Lower-case canonical form of a UUID text (dashes added), on the arena. */
const char *bw_normalize_uuid(arena_t *a, const char *u);

#endif
