/* The pure rules of the legacy /datasource/ views, kept apart to be unit
 * tested: the column list get_physical_table_metadata builds from the
 * inspector's columns, the ExternalMetadataSchema validation messages,
 * and the save view's duplicate column names. */
#ifndef LITESET_FCGI_API_LEGACY_DATASOURCE_RULES_H
#define LITESET_FCGI_API_LEGACY_DATASOURCE_RULES_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/arena.h"

/* From pg_introspect_columns' list: [{column_name, name, type, nullable,
 * default, autoincrement, comment, type_generic, is_dttm}] (new reference). */
json_t *legacy_ds_external_columns(const json_t *inspected);

/* ExternalMetadataSchema().load(q): NULL when valid, else the Python repr
 * of the messages dict ("{'table_name': ['Missing data for required
 * field.']}") on the arena. */
const char *legacy_ds_params_error(arena_t *a, const json_t *q);

/* Names seen more than once among the columns' column_name, in first-seen
 * order, comma-joined (NULL when none). *unnamed is set when an item has no
 * column_name key (the reference's KeyError). */
const char *legacy_ds_duplicate_columns(arena_t *a, const json_t *cols, bool *unnamed);

/* A database error as the client sees it: its first line without the
 * severity prefix ("ERROR:  duplicate key ..." -> "duplicate key ..."). */
const char *legacy_ds_db_message(arena_t *a, const char *raw);

#endif
