/* favstar rows; see favorites.h. */
#include "domain/favorites.h"

bool favorite_set(pg_pool_t *pg, arena_t *a, const char *class_name, int64_t obj_id, int64_t user_id, bool add,
                  pg_error_t *err) {
    const char *p[] = {class_name, arena_sprintf(a, "%lld", (long long)obj_id), arena_sprintf(a, "%lld", (long long)user_id)};
    const char *sql = add ? "INSERT INTO favstar (class_name, obj_id, user_id, dttm, uuid)"
                            " SELECT $1::varchar, $2::int, $3::int, localtimestamp, gen_random_uuid() WHERE NOT EXISTS"
                            " (SELECT 1 FROM favstar WHERE class_name = $1::varchar AND obj_id = $2::int AND user_id = $3::int)"
                          : "DELETE FROM favstar WHERE class_name = $1::varchar AND obj_id = $2::int AND user_id = $3::int";
    return pg_query(pg, a, err, sql, 3, p) != NULL;
}
