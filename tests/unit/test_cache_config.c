/* Unit tests for the Flask-Caching dict helpers of config/config: which
 * dicts are RedisCache, and the server such a dict names. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

Test(cache_config, redis_types) {
    json_t *d = json_pack("{s:s}", "CACHE_TYPE", "RedisCache");
    cr_assert(config_cache_is_redis(d));
    json_object_set_new(d, "CACHE_TYPE", json_string("flask_caching.backends.rediscache.RedisCache"));
    cr_assert(config_cache_is_redis(d));
    json_object_set_new(d, "CACHE_TYPE", json_string("NullCache"));
    cr_assert_not(config_cache_is_redis(d));
    json_object_del(d, "CACHE_TYPE");
    cr_assert_not(config_cache_is_redis(d));
    json_decref(d);
    cr_assert_not(config_cache_is_redis(NULL));
}

Test(cache_config, server_from_dict) {
    config_redis_t r;
    char *err = NULL;
    json_t *d = json_pack("{s:s,s:s}", "CACHE_TYPE", "RedisCache", "CACHE_REDIS_URL", "redis://:pw@cache.local:6390/4");
    cr_assert(config_redis_from_cache_dict(d, "DATA_CACHE_CONFIG", &r, &err));
    cr_assert_str_eq(r.host, "cache.local");
    cr_assert_eq(r.port, 6390);
    cr_assert_eq(r.db, 4);
    cr_assert_str_eq(r.password, "pw");
    config_redis_clear(&r);
    json_decref(d);

    d = json_pack("{s:s,s:i}", "CACHE_REDIS_HOST", "h", "CACHE_REDIS_DB", 2);
    cr_assert(config_redis_from_cache_dict(d, "DATA_CACHE_CONFIG", &r, &err));
    cr_assert_str_eq(r.host, "h");
    cr_assert_eq(r.port, 6379);
    cr_assert_eq(r.db, 2);
    config_redis_clear(&r);
    json_decref(d);

    d = json_pack("{s:i}", "CACHE_REDIS_PORT", 70000);
    cr_assert_not(config_redis_from_cache_dict(d, "DATA_CACHE_CONFIG", &r, &err));
    cr_assert(err && strstr(err, "DATA_CACHE_CONFIG"), "%s", err ? err : "");
    free(err);
    json_decref(d);
}
