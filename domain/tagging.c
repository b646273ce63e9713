/* Tag writes on a caller's transaction; see tagging.h. */
#include "domain/tagging.h"

#include <string.h>

static const char *const object_types[] = {NULL, "query", "chart", "dashboard", "dataset"};
#define N_OBJECT_TYPES (sizeof object_types / sizeof object_types[0])

int tag_object_type_by_name(const char *name) {
    for (size_t i = 1; name && i < N_OBJECT_TYPES; i++)
        if (!strcmp(object_types[i], name)) return (int)i;
    return 0;
}

const char *tag_object_type_name(int type) {
    return type > 0 && (size_t)type < N_OBJECT_TYPES ? object_types[type] : NULL;
}

static const char *num(arena_t *a, int64_t v) { return arena_sprintf(a, "%lld", (long long)v); }

int64_t tag_custom_get_or_create(pg_conn_t *c, arena_t *a, const char *name, int64_t user_id, pg_error_t *err) {
    const char *p[] = {name, num(a, user_id)};
    pg_result_t *r = pg_conn_query(c, a, err, "SELECT id FROM tag WHERE name = $1 AND type = 'custom' ORDER BY id LIMIT 1",
                                   1, p);
    if (!r) return -1;
    if (pg_nrows(r)) return pg_get_int(r, 0, 0, -1);
    r = pg_conn_query(c, a, err,
                      "INSERT INTO tag (name, type, created_on, changed_on, created_by_fk, changed_by_fk)"
                      " VALUES ($1, 'custom', localtimestamp, localtimestamp, nullif($2::int, 0), nullif($2::int, 0))"
                      " RETURNING id",
                      2, p);
    return r ? pg_get_int(r, 0, 0, -1) : -1;
}

bool tag_set_objects(pg_conn_t *c, arena_t *a, int64_t tag_id, const char *refs_json, bool keep_others,
                     int64_t user_id, pg_error_t *err) {
    const char *p[] = {num(a, tag_id), refs_json, num(a, user_id)};
    if (!keep_others &&
        !pg_conn_query(c, a, err,
                       "DELETE FROM tagged_object o WHERE o.tag_id = $1::int AND NOT EXISTS"
                       " (SELECT 1 FROM jsonb_array_elements($2::jsonb) e"
                       "  WHERE e->>0 = o.object_type AND (e->>1)::int = o.object_id)",
                       2, p))
        return false;
    return pg_conn_query(c, a, err,
                         "INSERT INTO tagged_object (tag_id, object_id, object_type, created_on, changed_on,"
                         " created_by_fk, changed_by_fk)"
                         " SELECT DISTINCT $1::int, (e->>1)::int, e->>0, localtimestamp, localtimestamp,"
                         " nullif($3::int, 0), nullif($3::int, 0) FROM jsonb_array_elements($2::jsonb) e"
                         " WHERE NOT EXISTS (SELECT 1 FROM tagged_object o WHERE o.tag_id = $1::int"
                         "  AND o.object_type = e->>0 AND o.object_id = (e->>1)::int)",
                         3, p) != NULL;
}

bool tag_set_description(pg_conn_t *c, arena_t *a, int64_t tag_id, const char *description, int64_t user_id,
                         pg_error_t *err) {
    const char *p[] = {num(a, tag_id), description, num(a, user_id)};
    return pg_conn_query(c, a, err,
                         "UPDATE tag SET description = $2, changed_on = localtimestamp,"
                         " changed_by_fk = nullif($3::int, 0) WHERE id = $1::int AND description IS DISTINCT FROM $2",
                         3, p) != NULL;
}
