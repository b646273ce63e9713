/* Import of v1 asset bundles (Superset's ImportAssetsCommand, the
 * per-resource ImportModelsCommand subclasses and ImportExamplesCommand):
 * validate metadata.yaml and every file against its schema, then upsert
 * databases, saved queries, datasets (with columns and metrics), charts and
 * dashboards in one transaction, rewiring ids through uuids.
 *
 * contents maps bundle-relative file names (root folder removed) to their
 * YAML text, in bundle order. Runs on a fiber (async PostgreSQL pool).
 * Ownership: messages live on the arena; result.extra is a new reference. */
#ifndef LITESET_DOMAIN_BUNDLE_IMPORT_H
#define LITESET_DOMAIN_BUNDLE_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/bundle_schema.h"
#include "lib/arena.h"
#include "persistence/pg.h"

typedef enum {
    IMPORT_ASSETS,        /* /api/v1/assets/import/: everything, always overwritten */
    IMPORT_DASHBOARDS,
    IMPORT_CHARTS,
    IMPORT_DATASETS,
    IMPORT_DATABASES,
    IMPORT_SAVED_QUERIES,
    IMPORT_EXAMPLES,      /* load-examples: no type check, permissions ignored */
    IMPORT_THEMES,        /* /api/v1/theme/import/ */
} import_command_t;

typedef struct import_opts {
    import_command_t command;
    bool overwrite;             /* the endpoint's own type (assets: always) */
    bool sparse;                /* assets: resolve uuids missing from the bundle against existing rows */
    const json_t *passwords;    /* {"databases/x.yaml": "secret"} or NULL */
    const json_t *ssh_passwords, *ssh_private_keys, *ssh_private_key_passwords;
    int64_t user_id;            /* 0: no user (command line) */
    bool is_admin;
    bool can_write[BUNDLE_KIND_COUNT]; /* can_write on the kind's view menu */
    const char *secret_key;     /* SECRET_KEY for the encrypted columns */
    bool ssh_tunneling;         /* feature flag SSH_TUNNELING: new databases may carry an ssh_tunnel */
    int64_t examples_db_id;     /* examples: database of datasets whose database is not in the bundle */
    const char *examples_schema;/* examples: schema of datasets that declare none */
} import_opts_t;

typedef struct import_counts {
    int databases, datasets, charts, dashboards, queries;
} import_counts_t;

typedef struct import_result {
    int status;          /* 200 done; 422 invalid bundle; 500 import failure */
    const char *message; /* the reference's message for the error */
    json_t *extra;       /* 422: messages by file name; else NULL */
    import_counts_t counts;
} import_result_t;

void bundle_import(pg_pool_t *pg, arena_t *a, const json_t *contents, const import_opts_t *o, import_result_t *r);

/* Dashboard config rewiring (update_id_refs): chart ids in position and
 * json_metadata through chart_ids {uuid: id}, native filter dataset uuids to
 * ids through dataset_ids {uuid: id}. Pure; edits config in place. */
void bundle_update_dashboard_refs(json_t *config, const json_t *chart_ids, const json_t *dataset_ids);

/* Chart uuids referenced by a dashboard position, in position order. New reference. */
json_t *bundle_position_chart_uuids(const json_t *position);

#endif
