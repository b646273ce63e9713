/* What SQLAlchemy's PostgreSQL inspector tells Superset about a target
 * database, read from the system catalogs over an async pool: schemas,
 * tables and views, a table's columns with their types spelled as
 * SQLAlchemy compiles them ("VARCHAR(255)", "TIMESTAMP WITHOUT TIME ZONE"),
 * comments, primary key, foreign keys and indexes. Results are JSON on
 * the caller's side (caller owns). */
#ifndef LITESET_PERSISTENCE_PG_INTROSPECT_H
#define LITESET_PERSISTENCE_PG_INTROSPECT_H

#include <jansson.h>
#include <stdbool.h>

#include "persistence/pg.h"

/* Type text of format_type() as SQLAlchemy's PostgreSQL dialect compiles
 * the reflected type (upper case; enum types by name). */
char *pg_introspect_type_name(arena_t *a, const char *format_type, bool is_enum);
/* The engine spec's temporal types (GenericDataType.TEMPORAL). */
bool pg_introspect_is_temporal(const char *type_name);
/* GenericDataType of a type name by the spec's type patterns: 0 numeric,
 * 1 string, 2 temporal, 3 boolean, -1 unknown. */
int pg_introspect_generic_type(const char *type_name);

/* Schema names, sorted (pg_ and information_schema included, as the
 * inspector lists them). NULL on error. */
json_t *pg_introspect_schemas(pg_pool_t *p, arena_t *a, pg_error_t *err);
/* Tables (kind "table") and views / materialized views ("view") of schema
 * (NULL: current_schema()) as [{"name", "kind"}], sorted by name. */
json_t *pg_introspect_relations(pg_pool_t *p, arena_t *a, const char *schema, pg_error_t *err);
/* Columns [{"column_name", "type", "is_dttm", "comment", "nullable",
 * "default"}] in table order; *exists false when there is no such table or
 * view. NULL on error. */
json_t *pg_introspect_columns(pg_pool_t *p, arena_t *a, const char *schema, const char *table, bool *exists,
                              pg_error_t *err);
/* {"primaryKey": {...}, "foreignKeys": [...], "indexes": [...], "comment": ...}
 * in the shape of the table_metadata endpoint. NULL on error. */
json_t *pg_introspect_keys(pg_pool_t *p, arena_t *a, const char *schema, const char *table, pg_error_t *err);
/* The default schema of the connection (current_schema()). */
const char *pg_introspect_default_schema(pg_pool_t *p, arena_t *a, pg_error_t *err);

#endif
