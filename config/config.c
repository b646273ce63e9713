/* Loads the settings (see config.h). Precedence, lowest first:
 *
 *  1. Superset 6.0.0's defaults and Liteset's own keys (config/defaults.c),
 *     including what Superset reads from the environment at import time:
 *     SUPERSET_SECRET_KEY (the default SECRET_KEY), SUPERSET_HOME (where the
 *     default sqlite URI points), FLASK_DEBUG (DEBUG), TALISMAN_ENABLED,
 *     SUPERSET_ENV, MAPBOX_API_KEY and SUPERSET_FEATURE_<FLAG> (updates
 *     DEFAULT_FEATURE_FLAGS).
 *  2. superset_config.py: opts->path, else $SUPERSET_CONFIG_PATH (absent: no
 *     file; set but unreadable: error). Its upper-case top-level literal
 *     assignments replace the defaults, dicts wholesale, as Python's module
 *     import does; lower-case names are ignored, as Superset ignores them.
 *     FEATURE_FLAGS is merged over DEFAULT_FEATURE_FLAGS at lookup time.
 *     Then SUPERSET_APP_ROOT sets APPLICATION_ROOT and STATIC_ASSETS_PREFIX
 *     when those are still at their defaults (Superset's create_app rule).
 *  3. Environment: SUPERSET_<KEY>=value sets KEY, except the variables that
 *     mean something else to Superset (SUPERSET_CONFIG_PATH, SUPERSET_CONFIG,
 *     SUPERSET_HOME, SUPERSET_ENV, SUPERSET_PORT, SUPERSET_TESTENV,
 *     SUPERSET_APP_ROOT, SUPERSET_FEATURE_*) and SUPERSET_SECRET_KEY, which
 *     stays a default under a SECRET_KEY set in the file, as in Superset.
 *     The value is read as a Python literal when it is one (True, 42,
 *     ['a'], {'k': 1}); otherwise, or when the key currently holds a string
 *     and the literal is not one, the raw text is used as a string.
 *
 * Then SECRET_KEY is checked and the derived fields are computed. */
#include "config/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/defaults.h"
#include "config/pyliteral.h"
#include "lib/arena.h"
#include "lib/log.h"
#include "lib/strbuf.h"

#define CONFIG_MAX_FILE (4u * 1024 * 1024)


/* Python's str.isupper() for ASCII names: some upper-case letter, no lower-case. */
static bool py_isupper(const char *s) {
    bool upper = false;
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z') return false;
        if (*s >= 'A' && *s <= 'Z') upper = true;
    }
    return upper;
}

/* ---- the file -------------------------------------------------------------- */

static void warn_skipped(void *ud, const char *key, const char *why) {
    if (py_isupper(key))
        log_warn("config: %s: %s skipped: %s", (const char *)ud, key, why);
    else
        log_debug("config: %s: %s skipped: %s", (const char *)ud, key, why);
}

/* Reads at most CONFIG_MAX_FILE + 1 bytes (the parser rejects the excess). */
static bool read_file(const char *path, strbuf_t *out, char **err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = xasprintf("cannot read configuration file %s: %s", path, strerror(errno));
        return false;
    }
    char buf[65536];
    size_t n;
    while (out->len <= CONFIG_MAX_FILE && (n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_append(out, buf, n);
    bool failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        *err = xasprintf("cannot read configuration file %s: %s", path, strerror(saved));
        return false;
    }
    return true;
}

static bool load_file(config_t *cfg, const config_load_opts_t *opts, char **err) {
    const char *path = opts->path ? opts->path : getenv("SUPERSET_CONFIG_PATH");
    if (!path) return true;
    strbuf_t src;
    strbuf_init(&src, 4096);
    bool ok = read_file(path, &src, err);
    json_t *file = NULL;
    if (ok) {
        const char *perr = NULL;
        file = pyliteral_parse_file(src.data, src.len, warn_skipped, (void *)path, &perr);
        if (!file) {
            *err = xasprintf("configuration file %s: %s", path, perr);
            ok = false;
        }
    }
    strbuf_free(&src);
    if (!ok) return false;
    const char *key;
    json_t *v;
    json_object_foreach(file, key, v) {
        if (py_isupper(key)) json_object_set(cfg->values, key, v);
    }
    json_decref(file);
    cfg->source_path = xstrdup(path);
    log_info("config: loaded %s", path);
    return true;
}

/* SUPERSET_APP_ROOT, as Superset's create_app applies it after the config. */
static void apply_app_root(json_t *values) {
    const char *root = getenv("SUPERSET_APP_ROOT");
    if (!root || strcmp(root, "/") == 0) return;
    const char *prefix = json_string_value(json_object_get(values, "STATIC_ASSETS_PREFIX"));
    if (!prefix || !*prefix) json_object_set_new(values, "STATIC_ASSETS_PREFIX", json_string(root));
    const char *app = json_string_value(json_object_get(values, "APPLICATION_ROOT"));
    if (app && strcmp(app, "/") == 0)
        json_object_set_new(values, "APPLICATION_ROOT", json_string(root));
}

/* ---- environment ------------------------------------------------------------- */

/* SUPERSET_* variables that are not settings of the same name. */
static const char *const env_reserved[] = {
    "CONFIG_PATH", "CONFIG", "HOME", "ENV", "PORT", "TESTENV", "APP_ROOT", "SECRET_KEY", NULL,
};

static bool env_key_ok(const char *key, size_t n) {
    if (n == 0 || n >= 128 || (key[0] >= '0' && key[0] <= '9')) return false;
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    if (n >= 8 && strncmp(key, "FEATURE_", 8) == 0) return false;
    for (int i = 0; env_reserved[i]; i++)
        if (strlen(env_reserved[i]) == n && strncmp(env_reserved[i], key, n) == 0) return false;
    return true;
}

static void apply_env_value(json_t *values, const char *key, const char *text) {
    json_t *v = pyliteral_parse_value(text, strlen(text));
    const json_t *cur = json_object_get(values, key);
    if (!v || (json_is_string(cur) && !json_is_string(v))) {
        json_decref(v);
        v = json_string(text);
    }
    if (!v) {
        log_warn("config: environment value of SUPERSET_%s is not UTF-8; ignored", key);
        return;
    }
    json_object_set_new(values, key, v);
}

static void apply_env(json_t *values) {
    extern char **environ;
    static const char prefix[] = "SUPERSET_";
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, prefix, sizeof prefix - 1) != 0) continue;
        const char *key = *e + sizeof prefix - 1;
        const char *eq = strchr(key, '=');
        if (!eq || !env_key_ok(key, (size_t)(eq - key))) continue;
        char name[128];
        memcpy(name, key, (size_t)(eq - key));
        name[eq - key] = '\0';
        apply_env_value(values, name, eq + 1);
    }
}

/* ---- checks and derived fields --------------------------------------------------- */

/* Superset refuses its well-known default key unless in debug or test mode. */
static bool check_secret(const config_t *cfg, const config_load_opts_t *opts, char **err) {
    const char *secret = config_str(cfg, "SECRET_KEY", "");
    if (*secret && strcmp(secret, SUPERSET_DEFAULT_SECRET_KEY) != 0) return true;
    bool allowed = opts->allow_default_secret || config_bool(cfg, "DEBUG", false) ||
                   config_bool(cfg, "TESTING", false) ||
                   config_parse_bool_string(getenv("SUPERSET_TESTENV"));
    if (allowed) {
        log_warn("config: SECRET_KEY is Superset's well-known default or empty; "
                 "acceptable for development and tests only");
        return true;
    }
    *err = xasprintf("refusing to start: SECRET_KEY is %s. Set SECRET_KEY in superset_config.py "
                  "or the SUPERSET_SECRET_KEY environment variable to a long random string "
                  "(e.g. the output of `openssl rand -base64 42`); when moving from Superset, "
                  "keep the key it used, or sessions and stored database passwords become "
                  "unreadable",
                  *secret ? "Superset's well-known default" : "empty");
    return false;
}

static const char *const redis_cache_types[] = {
    "RedisCache", "redis", "flask_caching.backends.RedisCache",
    "flask_caching.backends.rediscache.RedisCache", NULL,
};

static bool is_redis_cache(const json_t *cache) {
    const char *type = json_string_value(json_object_get(cache, "CACHE_TYPE"));
    for (int i = 0; type && redis_cache_types[i]; i++)
        if (strcmp(type, redis_cache_types[i]) == 0) return true;
    return false;
}

static char *dict_strdup(const json_t *d, const char *key) {
    const char *s = json_string_value(json_object_get(d, key));
    return s && *s ? xstrdup(s) : NULL;
}

static int dict_int(const json_t *d, const char *key, int def) {
    const json_t *v = json_object_get(d, key);
    if (!json_is_integer(v)) return def;
    json_int_t i = json_integer_value(v);
    return i < 0 || i > 1 << 20 ? -1 : (int)i;
}

/* The Redis server a dict names; keys are the Flask-Caching ones
 * (CACHE_REDIS_*) or, for GLOBAL_ASYNC_QUERIES_REDIS_CONFIG, lower-case. */
typedef struct redis_keys {
    const char *url, *host, *port, *db, *user, *password, *ssl;
} redis_keys_t;

static const redis_keys_t cache_keys = {"CACHE_REDIS_URL",  "CACHE_REDIS_HOST", "CACHE_REDIS_PORT",
                                        "CACHE_REDIS_DB",   "CACHE_REDIS_USER",
                                        "CACHE_REDIS_PASSWORD", "CACHE_REDIS_SSL"};
static const redis_keys_t gaq_keys = {NULL, "host", "port", "db", "username", "password", "ssl"};

static bool redis_from_dict(const json_t *d, const redis_keys_t *k, const char *what,
                            config_redis_t *r, char **err) {
    const char *url = k->url ? json_string_value(json_object_get(d, k->url)) : NULL;
    if (url && *url) {
        char *uerr = NULL;
        if (config_redis_from_url(url, r, &uerr)) return true;
        *err = xasprintf("%s: %s", what, uerr);
        free(uerr);
        return false;
    }
    r->host = dict_strdup(d, k->host);
    if (!r->host) r->host = xstrdup("localhost");
    r->port = dict_int(d, k->port, 6379);
    r->db = dict_int(d, k->db, 0);
    r->username = dict_strdup(d, k->user);
    r->password = dict_strdup(d, k->password);
    r->ssl = json_is_true(json_object_get(d, k->ssl));
    if (r->port <= 0 || r->port > 65535 || r->db < 0) {
        config_redis_clear(r);
        *err = xasprintf("%s: invalid Redis port or db", what);
        return false;
    }
    return true;
}

bool config_cache_is_redis(const json_t *dict) { return is_redis_cache(dict); }

bool config_redis_from_cache_dict(const json_t *dict, const char *what, config_redis_t *out, char **err) {
    memset(out, 0, sizeof *out);
    return redis_from_dict(dict, &cache_keys, what, out, err);
}

static bool derive_redis(config_t *cfg, char **err) {
    const json_t *cache = config_get(cfg, "CACHE_CONFIG");
    if (is_redis_cache(cache)) return redis_from_dict(cache, &cache_keys, "CACHE_CONFIG", &cfg->redis, err);
    const json_t *gaq = config_get(cfg, "GLOBAL_ASYNC_QUERIES_REDIS_CONFIG"); /* pre-4.1 key */
    if (json_is_object(gaq))
        return redis_from_dict(gaq, &gaq_keys, "GLOBAL_ASYNC_QUERIES_REDIS_CONFIG", &cfg->redis, err);
    const json_t *backend = config_get(cfg, "GLOBAL_ASYNC_QUERIES_CACHE_BACKEND");
    if (is_redis_cache(backend))
        return redis_from_dict(backend, &cache_keys, "GLOBAL_ASYNC_QUERIES_CACHE_BACKEND",
                               &cfg->redis, err);
    cfg->redis.host = xstrdup("127.0.0.1");
    cfg->redis.port = 6379;
    return true;
}

static void derive_pg(config_t *cfg) {
    const char *uri = config_str(cfg, "SQLALCHEMY_DATABASE_URI", NULL);
    cfg->pg_conninfo = config_pg_conninfo_from_uri(uri, &cfg->pg_error);
}

/* ---- public API -------------------------------------------------------------------- */

config_t *config_load(const config_load_opts_t *opts, char **err) {
    static const config_load_opts_t no_opts = {0};
    char *ignored = NULL;
    if (!opts) opts = &no_opts;
    if (!err) err = &ignored;
    *err = NULL;
    config_t *cfg = xcalloc(1, sizeof *cfg);
    cfg->values = json_object();
    if (!config_defaults_apply(cfg->values)) {
        *err = xasprintf("built-in defaults failed to load");
        goto fail;
    }
    if (!load_file(cfg, opts, err)) goto fail;
    apply_app_root(cfg->values);
    apply_env(cfg->values);
    if (!check_secret(cfg, opts, err)) goto fail;
    derive_pg(cfg);
    if (!derive_redis(cfg, err)) goto fail;
    return cfg;
fail:
    config_free(cfg);
    free(ignored);
    return NULL;
}

void config_free(config_t *cfg) {
    if (!cfg) return;
    json_decref(cfg->values);
    free(cfg->source_path);
    free(cfg->pg_conninfo);
    free(cfg->pg_error);
    config_redis_clear(&cfg->redis);
    free(cfg);
}

const json_t *config_get(const config_t *cfg, const char *key) {
    return cfg ? json_object_get(cfg->values, key) : NULL;
}

const char *config_str(const config_t *cfg, const char *key, const char *def) {
    const json_t *v = config_get(cfg, key);
    return json_is_string(v) ? json_string_value(v) : def;
}

int64_t config_int(const config_t *cfg, const char *key, int64_t def) {
    const json_t *v = config_get(cfg, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

double config_real(const config_t *cfg, const char *key, double def) {
    const json_t *v = config_get(cfg, key);
    return json_is_number(v) ? json_number_value(v) : def;
}

bool config_bool(const config_t *cfg, const char *key, bool def) {
    const json_t *v = config_get(cfg, key);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

/* Python truthiness of a flag value. */
static bool truthy(const json_t *v) {
    if (json_is_boolean(v)) return json_is_true(v);
    if (json_is_number(v)) return json_number_value(v) != 0;
    if (json_is_string(v)) return json_string_length(v) > 0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    if (json_is_object(v)) return json_object_size(v) > 0;
    return false;
}

bool config_feature(const config_t *cfg, const char *flag) {
    const json_t *v = json_object_get(config_get(cfg, "FEATURE_FLAGS"), flag);
    if (!v) v = json_object_get(config_get(cfg, "DEFAULT_FEATURE_FLAGS"), flag);
    return truthy(v);
}
