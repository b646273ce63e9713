/* The key_value table (Superset's KeyValueEntry / KeyValueDAO): entries of
 * a resource ("app", "explore_permalink", ...) holding a JSON-encoded bytea
 * value, addressed by id or uuid, with optional expiry. Values are the
 * exact bytes Superset's JSON codecs write (json.dumps, ", "/": "). Also the
 * permalink salts kept as shared "app" entries. */
#ifndef LITESET_PERSISTENCE_KEY_VALUE_H
#define LITESET_PERSISTENCE_KEY_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "persistence/pg.h"

/* Stores value (bytes of JSON) for resource; user_id 0 = no creator.
 * Returns the new id, 0 on a database error. */
int64_t kv_create(pg_pool_t *pg, arena_t *a, const char *resource, const char *value, const char *uuid,
                  int64_t user_id, pg_error_t *err);

/* Updates the entry (resource, uuid) or creates it; returns its id, 0 on error. */
int64_t kv_upsert_uuid(pg_pool_t *pg, arena_t *a, const char *resource, const char *value, const char *uuid,
                       int64_t user_id, pg_error_t *err);

/* Updates the entry (resource, uuid) (expired or not) or creates it, with
 * expires_on now + timeout seconds (no expiry when timeout <= 0), the way
 * KeyValueDAO.upsert_entry does for the metastore cache. False on error. */
bool kv_upsert_uuid_expiring(pg_pool_t *pg, arena_t *a, const char *resource, const char *value, const char *uuid,
                             int64_t user_id, int64_t timeout, pg_error_t *err);

/* The value of (resource, uuid) unless missing or expired; as kv_get_by_id. */
const char *kv_get_by_uuid(pg_pool_t *pg, arena_t *a, const char *resource, const char *uuid, bool *found,
                           pg_error_t *err);

/* Deletes the first entry (resource, uuid), expired or not: 1 when one was
 * deleted, 0 when there was none, -1 on a database error. */
int kv_delete_uuid(pg_pool_t *pg, arena_t *a, const char *resource, const char *uuid, pg_error_t *err);

/* The value of (resource, id) unless missing or expired: *found says which;
 * NULL with *found true only on a database error. */
const char *kv_get_by_id(pg_pool_t *pg, arena_t *a, const char *resource, int64_t id, bool *found, pg_error_t *err);

/* The salt of a shared key ("explore_permalink_salt", ...), created (48
 * random bytes, URL-safe base64) on first use. NULL on a database error. */
const char *kv_permalink_salt(pg_pool_t *pg, arena_t *a, const char *shared_key, pg_error_t *err);

#endif
