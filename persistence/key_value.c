/* key_value entries and shared permalink salts; see key_value.h. */
#include "persistence/key_value.h"

#include <string.h>

#include "lib/crypto.h"
#include "lib/json.h"
#include "lib/uuid3.h"

static const char *user_param(arena_t *a, int64_t user_id) {
    return user_id ? arena_sprintf(a, "%lld", (long long)user_id) : NULL;
}

int64_t kv_create(pg_pool_t *pg, arena_t *a, const char *resource, const char *value, const char *uuid,
                  int64_t user_id, pg_error_t *err) {
    const char *p[] = {resource, value, uuid, user_param(a, user_id)};
    pg_result_t *r = pg_query(pg, a, err,
                              "INSERT INTO key_value (resource, value, uuid, created_on, created_by_fk, expires_on)"
                              " VALUES ($1, convert_to($2, 'UTF8'), $3::uuid, LOCALTIMESTAMP, $4::int, NULL)"
                              " RETURNING id",
                              4, p);
    return r && pg_nrows(r) ? pg_get_int(r, 0, 0, 0) : 0;
}

int64_t kv_upsert_uuid(pg_pool_t *pg, arena_t *a, const char *resource, const char *value, const char *uuid,
                       int64_t user_id, pg_error_t *err) {
    const char *p[] = {resource, value, uuid, user_param(a, user_id)};
    pg_result_t *r = pg_query(pg, a, err,
                              "UPDATE key_value SET value = convert_to($2, 'UTF8'), expires_on = NULL,"
                              " changed_on = LOCALTIMESTAMP, changed_by_fk = $4::int"
                              " WHERE id = (SELECT id FROM key_value WHERE resource = $1 AND uuid = $3::uuid"
                              " ORDER BY id LIMIT 1) RETURNING id",
                              4, p);
    if (!r) return 0;
    if (pg_nrows(r)) return pg_get_int(r, 0, 0, 0);
    return kv_create(pg, a, resource, value, uuid, user_id, err);
}

const char *kv_get_by_id(pg_pool_t *pg, arena_t *a, const char *resource, int64_t id, bool *found, pg_error_t *err) {
    const char *p[] = {resource, arena_sprintf(a, "%lld", (long long)id)};
    *found = true;
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT convert_from(value, 'UTF8'), expires_on IS NOT NULL AND expires_on <= LOCALTIMESTAMP"
                              " FROM key_value WHERE resource = $1 AND id = $2::int LIMIT 1",
                              2, p);
    if (!r) return NULL;
    if (!pg_nrows(r) || pg_get_bool(r, 0, 1, false)) {
        *found = false;
        return NULL;
    }
    return pg_get(r, 0, 0);
}

static const char *timeout_param(arena_t *a, int64_t timeout) {
    return timeout > 0 ? arena_sprintf(a, "%lld", (long long)timeout) : NULL;
}

bool kv_upsert_uuid_expiring(pg_pool_t *pg, arena_t *a, const char *resource, const char *value, const char *uuid,
                             int64_t user_id, int64_t timeout, pg_error_t *err) {
    const char *p[] = {resource, value, uuid, user_param(a, user_id), timeout_param(a, timeout)};
    pg_result_t *r = pg_query(pg, a, err,
                              "UPDATE key_value SET value = convert_to($2, 'UTF8'),"
                              " expires_on = LOCALTIMESTAMP + make_interval(secs => $5::bigint),"
                              " changed_on = LOCALTIMESTAMP, changed_by_fk = $4::int"
                              " WHERE id = (SELECT id FROM key_value WHERE resource = $1 AND uuid = $3::uuid"
                              " ORDER BY id LIMIT 1) RETURNING id",
                              5, p);
    if (!r) return false;
    if (pg_nrows(r)) return true;
    r = pg_query(pg, a, err,
                 "INSERT INTO key_value (resource, value, uuid, created_on, created_by_fk, expires_on)"
                 " VALUES ($1, convert_to($2, 'UTF8'), $3::uuid, LOCALTIMESTAMP, $4::int,"
                 " LOCALTIMESTAMP + make_interval(secs => $5::bigint))",
                 5, p);
    return r != NULL;
}

const char *kv_get_by_uuid(pg_pool_t *pg, arena_t *a, const char *resource, const char *uuid, bool *found,
                           pg_error_t *err) {
    const char *p[] = {resource, uuid};
    *found = true;
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT convert_from(value, 'UTF8'), expires_on IS NOT NULL AND expires_on <= LOCALTIMESTAMP"
                              " FROM key_value WHERE resource = $1 AND uuid = $2::uuid ORDER BY id LIMIT 1",
                              2, p);
    if (!r) return NULL;
    if (!pg_nrows(r) || pg_get_bool(r, 0, 1, false)) {
        *found = false;
        return NULL;
    }
    return pg_get(r, 0, 0);
}

int kv_delete_uuid(pg_pool_t *pg, arena_t *a, const char *resource, const char *uuid, pg_error_t *err) {
    const char *p[] = {resource, uuid};
    pg_result_t *r = pg_query(pg, a, err,
                              "DELETE FROM key_value WHERE id = (SELECT id FROM key_value WHERE resource = $1"
                              " AND uuid = $2::uuid ORDER BY id LIMIT 1) RETURNING id",
                              2, p);
    if (!r) return -1;
    return pg_nrows(r) ? 1 : 0;
}

/* The "app" entry's uuid: uuid3(UUID(md5("")), shared_key). */
static const char *shared_uuid(arena_t *a, const char *shared_key) {
    unsigned char ns[16], u[16];
    uuid3_namespace_from_seed("", ns);
    uuid3_bytes(ns, shared_key, strlen(shared_key), u);
    return uuid3_text(a, u);
}

static const char *read_salt(pg_pool_t *pg, arena_t *a, const char *uuid, bool *db_err, pg_error_t *err) {
    const char *p[] = {uuid};
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT convert_from(value, 'UTF8') FROM key_value WHERE resource = 'app'"
                              " AND uuid = $1::uuid ORDER BY id LIMIT 1",
                              1, p);
    *db_err = !r;
    if (!r || !pg_nrows(r)) return NULL;
    json_t *v = json_parse_arena(a, pg_get(r, 0, 0), strlen(pg_get(r, 0, 0)), JSON_DECODE_ANY, NULL);
    return v && json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

const char *kv_permalink_salt(pg_pool_t *pg, arena_t *a, const char *shared_key, pg_error_t *err) {
    const char *uuid = shared_uuid(a, shared_key);
    bool db_err = false;
    const char *salt = read_salt(pg, a, uuid, &db_err, err);
    if (salt || db_err) return salt;
    json_t *j = json_string(crypto_token_urlsafe(a, 48));
    char *value = json_dump_arena(a, j, JSON_PY_DEFAULT, NULL);
    json_decref(j);
    if (!kv_create(pg, a, "app", value, uuid, 0, err)) return NULL;
    /* the first stored one wins should two requests race */
    return read_salt(pg, a, uuid, &db_err, err);
}
