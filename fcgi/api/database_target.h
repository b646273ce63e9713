/* /api/v1/database endpoints that talk to the target database itself
 * (database_target.c): schemas, catalogs, tables, table_metadata,
 * select_star and test_connection. PostgreSQL databases only; others are
 * answered with an error naming their engine. */
#ifndef LITESET_FCGI_API_DATABASE_TARGET_H
#define LITESET_FCGI_API_DATABASE_TARGET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "fcgi/request.h"
#include "lib/arena.h"

/* DatabaseFilter visibility of database pk: 1, 0, or -1 (database error). */
int database_visible(request_t *req, int64_t pk);

/* Superset's select_star text: SELECT * FROM [catalog.][schema.]table
 * LIMIT 100, formatted as sqlglot prints it, names quoted when needed. */
const char *database_select_star_sql(arena_t *a, const char *catalog, const char *schema, const char *table);

struct target_db;
/* can_access_table as Superset's security manager answers it: database or
 * schema access, or datasource_access on that dataset (table NULL: any
 * dataset of the schema). */
bool database_table_granted(request_t *req, const struct target_db *db, const char *schema, const char *table);

/* 200 with TableMetadataResponseSchema for an accessible table (500 SIP-40
 * when it does not exist). */
void database_table_metadata_answer(request_t *req, const struct target_db *db, const char *schema,
                                    const char *table);

void database_schemas(request_t *req);
void database_sync_permissions(request_t *req); /* database_sync_permissions.c */
void database_catalogs(request_t *req);
void database_tables(request_t *req);
void database_table_metadata(request_t *req);
void database_select_star(request_t *req);
void database_test_connection(request_t *req);
void database_validate_parameters(request_t *req);

/* The PostgreSQL spec's extract_errors for a connection failure text: one
 * SIP-40 error object (new reference). */
json_t *database_connect_error(request_t *req, const char *raw);
/* SELECT 1 on a private connection: 200 {"message": "OK"}, or 400 with the
 * classified connection error (connect_error when conninfo is NULL). */
void database_ping_answer(request_t *req, const char *conninfo, const char *connect_error);

#endif
