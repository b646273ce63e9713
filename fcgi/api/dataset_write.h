/* Dataset writes shared by the /api/v1/dataset handlers: the permission
 * bookkeeping Superset's SqlaTable listeners do on insert and update, the
 * visibility/ownership lookup of a dataset, and SIP-40 error bodies. */
#ifndef LITESET_FCGI_API_DATASET_WRITE_H
#define LITESET_FCGI_API_DATASET_WRITE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "fcgi/request.h"
#include "persistence/pg.h"

/* What identifies a dataset's permissions before an update. */
typedef struct dataset_key {
    int64_t database_id;
    const char *table_name, *catalog, *schema, *perm; /* NULL for SQL NULL */
} dataset_key_t;

/* after_insert: datasource_access on "[db].[table](id:N)", schema_access and
 * catalog_access names, and the dataset's perm / schema_perm / catalog_perm. */
bool dataset_perm_after_insert(arena_t *a, pg_conn_t *c, int64_t id, pg_error_t *err);
/* before_update (run after the row changed, old values in *old): renames
 * the datasource permission and moves schema/catalog permissions, on the
 * dataset and its charts. */
bool dataset_perm_after_update(arena_t *a, pg_conn_t *c, int64_t id, const dataset_key_t *old, pg_error_t *err);

/* Visible (DatasourceFilter) dataset: 1 visible and owned (or admin), 0 not
 * visible, 2 visible but not owned, -1 database error. */
int dataset_lookup(request_t *req, int64_t pk);

/* {"errors": [{message, error_type, level, extra}]} with Python json.dumps
 * spacing; extra (stolen, may be NULL) gets the issue code appended, or is
 * left as is (null when NULL) when issue_code is 0. */
void dataset_sip40(request_t *req, int status, const char *error_type, const char *message, json_t *extra,
                   int issue_code, const char *issue_text);

/* 500 "Fatal error" for what the reference raises inside the view: the
 * exception leaves the event logger without a logs row. */
void dataset_fatal(request_t *req);

/* PostgreSQL's default catalog: the database of the URI, NULL when none
 * or another backend (arena). */
const char *dataset_default_catalog(arena_t *a, const char *sqlalchemy_uri);

/* A path id: a positive int4 in decimal; false otherwise (answered 404). */
bool dataset_parse_pk(const char *s, int64_t *pk);

/* Handlers (dataset_put.c, dataset_routes.c). */
void dataset_put(request_t *req);

#endif
