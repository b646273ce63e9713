/* Metadata schema migration: creates the Superset 6.0.0 schema in an empty
 * database, or confirms that a database is already at Superset 6.0.0's alembic
 * head. Liteset carries no alembic migrations, so any other revision is refused.
 *
 * These functions use a plain *blocking* libpq connection. They are meant for
 * the `liteset` CLI only and must never run on an event-loop thread. */
#ifndef LITESET_PERSISTENCE_MIGRATE_H
#define LITESET_PERSISTENCE_MIGRATE_H

#include <libpq-fe.h>

/* Alembic head revision of Superset 6.0.0. */
#define MIGRATE_HEAD_REVISION "c233f5365c9e"

typedef enum migrate_status {
    MIGRATE_CREATED,  /* database was empty; schema created and stamped */
    MIGRATE_AT_HEAD,  /* alembic_version already holds the head; nothing changed */
    MIGRATE_REFUSED,  /* another revision, several, or Superset tables without a stamp */
    MIGRATE_ERROR,    /* connection or SQL error; nothing changed (rolled back) */
} migrate_status_t;

/* Brings the database at `conn` to the head. `schema_sql` is the full schema
 * script (migrations/superset_6_0_0.sql, stamp included); it runs in the same
 * transaction as the state check, under a transaction-level advisory lock, so
 * two concurrent runs cannot both create the schema.
 * Always sets *msg to a human-readable outcome (heap string; caller frees). */
migrate_status_t migrate_upgrade(PGconn *conn, const char *schema_sql, char **msg);

/* Reads the alembic revision. Returns 0 and sets *revision to a heap string
 * (several rows are joined with ", "), or to NULL when there is no
 * alembic_version table or it is empty. Returns -1 on error with *msg set
 * (heap string). The caller frees whichever string is set. */
int migrate_current(PGconn *conn, char **revision, char **msg);

#endif
