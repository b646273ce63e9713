/* Writing an upload's frame into a table of the target PostgreSQL database,
 * as DataFrame.to_sql does there (CREATE TABLE with the frame's types, an
 * index "ix_<schema>_<table>_<label>" on the written index column), with
 * the reference's if_exists strategies, and the rows loaded with COPY. One
 * transaction on one pooled connection: a failure leaves nothing behind. */
#ifndef LITESET_DOMAIN_UPLOAD_TABLE_H
#define LITESET_DOMAIN_UPLOAD_TABLE_H

#include "domain/upload_frame.h"
#include "lib/arena.h"
#include "persistence/pg.h"

typedef enum { UPLOAD_IF_FAIL, UPLOAD_IF_REPLACE, UPLOAD_IF_APPEND } upload_if_exists_t;

/* "fail" / "replace" / "append"; false for anything else. */
bool upload_if_exists_parse(const char *s, upload_if_exists_t *out);

/* The name SQLAlchemy gives the index of column `label` (truncated with an
 * md5 suffix past PostgreSQL's 63 bytes), on arena a. */
const char *upload_index_name(arena_t *a, const char *schema, const char *table, const char *label);

/* Writes f (its rows already rendered as COPY text in copy/copy_len) into
 * schema.table (schema NULL: the search path). 0, or -1 with *msg (arena)
 * the DatabaseUploadFailed message. */
int upload_table_write(pg_pool_t *pool, arena_t *a, const char *schema, const char *table, const upload_frame_t *f,
                       const char *copy, size_t copy_len, upload_if_exists_t mode, const char **msg);

#endif
