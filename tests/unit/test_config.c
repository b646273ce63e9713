/* Tests for config/: defaults, superset_config.py, environment precedence,
 * the SECRET_KEY rule and the derived connection settings. Criterion runs each
 * test in its own process, so setenv() does not leak between tests. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/defaults.h"
#include "config/pyliteral.h"

/* ---- fixtures ---------------------------------------------------------------- */

static char fixture_path[256];

/* Removes every SUPERSET_* variable and the others config reads. */
static void clean_env(void) {
    extern char **environ;
    char names[64][128];
    int n = 0;
    for (char **e = environ; *e && n < 64; e++) {
        if (strncmp(*e, "SUPERSET_", 9) != 0) continue;
        size_t len = strcspn(*e, "=");
        if (len >= sizeof names[0]) continue;
        memcpy(names[n], *e, len);
        names[n++][len] = '\0';
    }
    for (int i = 0; i < n; i++) unsetenv(names[i]);
    unsetenv("FLASK_DEBUG");
    unsetenv("TALISMAN_ENABLED");
    fixture_path[0] = '\0';
}

static void remove_fixture(void) {
    if (fixture_path[0]) unlink(fixture_path);
}

/* Writes a superset_config.py into a temp file; returns its path. */
static const char *write_fixture(const char *text, size_t len) {
    const char *tmp = getenv("TMPDIR");
    snprintf(fixture_path, sizeof fixture_path, "%s/liteset_cfg_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(fixture_path);
    cr_assert(fd >= 0, "mkstemp failed");
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    return fixture_path;
}

static config_t *load_text(const char *text, bool allow_default, char **err) {
    config_load_opts_t opts = {.path = write_fixture(text, strlen(text)),
                               .allow_default_secret = allow_default};
    return config_load(&opts, err);
}

static config_t *load_ok(const char *text) {
    char *err = NULL;
    config_t *cfg = load_text(text, false, &err);
    cr_assert_not_null(cfg, "config_load failed: %s", err ? err : "?");
    return cfg;
}

TestSuite(config, .init = clean_env, .fini = remove_fixture);

/* ---- defaults -------------------------------------------------------------------- */

static int default_warnings;
static void count_warn(void *ud, const char *key, const char *why) {
    (void)ud;
    (void)why;
    (void)key;
    default_warnings++;
}

Test(config, builtin_defaults_parse_cleanly) {
    const char *err = NULL;
    json_t *d = pyliteral_parse_file(config_defaults_source, strlen(config_defaults_source),
                                     count_warn, NULL, &err);
    cr_assert_not_null(d, "%s", err);
    cr_expect_eq(default_warnings, 0);
    cr_expect_gt(json_object_size(d), 100);
    json_decref(d);
}

Test(config, superset_defaults) {
    config_load_opts_t opts = {.allow_default_secret = true};
    char *err = NULL;
    config_t *cfg = config_load(&opts, &err);
    cr_assert_not_null(cfg, "%s", err);
    cr_expect_null(cfg->source_path);
    cr_expect_str_eq(config_str(cfg, "SECRET_KEY", ""), SUPERSET_DEFAULT_SECRET_KEY);
    cr_expect_eq(config_int(cfg, "ROW_LIMIT", 0), 50000);
    cr_expect_eq(config_int(cfg, "SQL_MAX_ROW", 0), 100000);
    cr_expect_eq(config_int(cfg, "SQLLAB_TIMEOUT", 0), 30);
    cr_expect_eq(config_int(cfg, "SUPERSET_WEBSERVER_TIMEOUT", 0), 60);
    cr_expect_eq(config_int(cfg, "WTF_CSRF_TIME_LIMIT", 0), 604800);
    cr_expect_float_eq(config_real(cfg, "PERMANENT_SESSION_LIFETIME", 0), 2678400.0, 1e-9);
    cr_expect_float_eq(config_real(cfg, "JWT_ACCESS_TOKEN_EXPIRES", 0), 900.0, 1e-9);
    cr_expect_str_eq(config_str(cfg, "SESSION_COOKIE_SAMESITE", ""), "Lax");
    cr_expect_str_eq(config_str(cfg, "AUTH_ROLE_PUBLIC", ""), "Public");
    cr_expect_eq(config_int(cfg, "AUTH_TYPE", 0), 1);
    cr_expect(json_is_null(config_get(cfg, "RESULTS_BACKEND")));
    cr_expect(json_is_null(config_get(cfg, "PUBLIC_ROLE_LIKE")));
    cr_expect(config_bool(cfg, "TALISMAN_ENABLED", false));
    cr_expect_not(config_bool(cfg, "DEBUG", true));
    cr_expect_not(config_bool(cfg, "LITESET_DEV_ROUTES", true));
    cr_expect_eq(config_int(cfg, "LITESET_MAX_REQUEST_BODY", 0), 100 * 1024 * 1024);
    cr_expect_eq(config_int(cfg, "LITESET_PG_POOL_SIZE", 0), 8);
    cr_expect_float_eq(config_real(cfg, "LITESET_PG_QUERY_TIMEOUT", 0), 60.0, 1e-9);
    const json_t *csp = json_object_get(config_get(cfg, "TALISMAN_CONFIG"), "content_security_policy");
    cr_expect_str_eq(json_string_value(json_object_get(csp, "object-src")), "'none'");
    cr_expect_eq(json_array_size(config_get(cfg, "WTF_CSRF_EXEMPT_LIST")), 5);
    cr_expect(config_feature(cfg, "DASHBOARD_VIRTUALIZATION"));
    cr_expect_not(config_feature(cfg, "ALERT_REPORTS"));
    cr_expect_not(config_feature(cfg, "NO_SUCH_FLAG"));
    cr_expect_eq(strncmp(config_str(cfg, "SQLALCHEMY_DATABASE_URI", ""), "sqlite:///", 10), 0);
    /* the sqlite default is not an error until a database is needed */
    cr_expect_null(cfg->pg_conninfo);
    cr_assert_not_null(cfg->pg_error);
    cr_expect_not_null(strstr(cfg->pg_error, "PostgreSQL"));
    cr_expect_not_null(strstr(cfg->pg_error, "sqlite"));
    /* GLOBAL_ASYNC_QUERIES_CACHE_BACKEND's default server */
    cr_expect_str_eq(cfg->redis.host, "localhost");
    cr_expect_eq(cfg->redis.port, 6379);
    cr_expect_eq(cfg->redis.db, 0);
    config_free(cfg);
}

Test(config, accessors_respect_types) {
    config_t *cfg = load_ok("SECRET_KEY = 'k'\nS = 'x'\nI = 7\nR = 2.5\nB = True\n");
    cr_expect_str_eq(config_str(cfg, "I", "def"), "def");
    cr_expect_eq(config_int(cfg, "S", -1), -1);
    cr_expect_eq(config_int(cfg, "R", -1), -1);
    cr_expect_float_eq(config_real(cfg, "I", 0), 7.0, 1e-12);
    cr_expect_float_eq(config_real(cfg, "R", 0), 2.5, 1e-12);
    cr_expect(config_bool(cfg, "B", false));
    cr_expect(config_bool(cfg, "I", true)); /* not a bool: default */
    cr_expect_null(config_get(cfg, "MISSING"));
    config_free(cfg);
}

/* ---- the file -------------------------------------------------------------------------- */

Test(config, file_overrides_defaults) {
    config_t *cfg = load_ok(
        "import os\n"
        "SECRET_KEY = 'file-secret'\n"
        "ROW_LIMIT = 10\n"
        "DATA_CACHE_CONFIG = {'CACHE_KEY_PREFIX': 'x'}\n"
        "FEATURE_FLAGS = {'ALERT_REPORTS': True, 'DASHBOARD_VIRTUALIZATION': False}\n"
        "FEATURE_FLAGS['THUMBNAILS'] = True\n"
        "lower_case_helper = 1\n"
        "APP_NAME = os.getenv('APP_NAME', 'x')\n"
        "SQLALCHEMY_DATABASE_URI = 'postgresql+psycopg2://u:p%40ss@h:5433/db?sslmode=require'\n");
    cr_expect_str_eq(cfg->source_path, fixture_path);
    cr_expect_str_eq(config_str(cfg, "SECRET_KEY", ""), "file-secret");
    cr_expect_eq(config_int(cfg, "ROW_LIMIT", 0), 10);
    /* dicts are replaced wholesale */
    cr_expect_null(json_object_get(config_get(cfg, "DATA_CACHE_CONFIG"), "CACHE_TYPE"));
    /* FEATURE_FLAGS merge over DEFAULT_FEATURE_FLAGS */
    cr_expect(config_feature(cfg, "ALERT_REPORTS"));
    cr_expect(config_feature(cfg, "THUMBNAILS"));
    cr_expect_not(config_feature(cfg, "DASHBOARD_VIRTUALIZATION"));
    cr_expect(config_feature(cfg, "DRILL_BY"));
    /* lower-case names are not settings; skipped assignments keep the default */
    cr_expect_null(config_get(cfg, "lower_case_helper"));
    cr_expect_str_eq(config_str(cfg, "APP_NAME", ""), "Superset");
    cr_expect_str_eq(cfg->pg_conninfo, "postgresql://u:p%40ss@h:5433/db?sslmode=require");
    cr_expect_null(cfg->pg_error);
    config_free(cfg);
}

Test(config, skipped_key_is_logged) {
    char logpath[] = "/tmp/liteset_cfglog_XXXXXX";
    int fd = mkstemp(logpath);
    cr_assert(fd >= 0);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    config_t *cfg = load_ok("SECRET_KEY = 'k'\nMY_SKIPPED_KEY = compute()\n");
    dup2(saved, STDERR_FILENO);
    close(saved);
    char buf[8192] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    unlink(logpath);
    cr_assert_gt(n, 0);
    cr_expect_not_null(strstr(buf, "MY_SKIPPED_KEY"), "log was: %s", buf);
    config_free(cfg);
}

Test(config, missing_or_bad_file_is_an_error) {
    char *err = NULL;
    config_load_opts_t opts = {.path = "/nonexistent/superset_config.py", .allow_default_secret = true};
    cr_expect_null(config_load(&opts, &err));
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, "/nonexistent/superset_config.py"));
    free(err);

    err = NULL;
    setenv("SUPERSET_CONFIG_PATH", "/nonexistent/via_env.py", 1);
    config_load_opts_t env_opts = {.allow_default_secret = true};
    cr_expect_null(config_load(&env_opts, &err));
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, "via_env.py"));
    free(err);

    err = NULL;
    static const char nul[] = "SECRET_KEY = 'k'\0";
    config_load_opts_t nul_opts = {.path = write_fixture(nul, sizeof nul - 1)};
    cr_expect_null(config_load(&nul_opts, &err));
    cr_expect_not_null(err);
    free(err);
}

Test(config, file_from_env_path) {
    const char *path = write_fixture("SECRET_KEY = 'from-env-path'\n", 29);
    setenv("SUPERSET_CONFIG_PATH", path, 1);
    char *err = NULL;
    config_t *cfg = config_load(NULL, &err);
    cr_assert_not_null(cfg, "%s", err);
    cr_expect_str_eq(config_str(cfg, "SECRET_KEY", ""), "from-env-path");
    cr_expect_str_eq(cfg->source_path, path);
    config_free(cfg);
}

/* ---- environment -------------------------------------------------------------------------- */

Test(config, env_overrides_file) {
    setenv("SUPERSET_ROW_LIMIT", "20", 1);
    setenv("SUPERSET_APP_NAME", "123", 1);            /* stays a string */
    setenv("SUPERSET_ENABLE_PROXY_FIX", "True", 1);
    setenv("SUPERSET_CORS_OPTIONS", "{'origins': ['https://x.example']}", 1);
    setenv("SUPERSET_LOGO_TARGET_PATH", "/dashboards/list", 1);
    setenv("SUPERSET_LITESET_PG_QUERY_TIMEOUT", "timedelta(minutes=2)", 1);
    setenv("SUPERSET_FEATURE_ALERT_REPORTS", "true", 1);
    setenv("SUPERSET_FEATURE_DRILL_BY", "0", 1);
    setenv("SUPERSET_PORT", "8088", 1);
    config_t *cfg = load_ok("SECRET_KEY = 'k'\nROW_LIMIT = 10\nAPP_NAME = 'File'\n");
    cr_expect_eq(config_int(cfg, "ROW_LIMIT", 0), 20);
    cr_expect_str_eq(config_str(cfg, "APP_NAME", ""), "123");
    cr_expect(config_bool(cfg, "ENABLE_PROXY_FIX", false));
    const json_t *origins = json_object_get(config_get(cfg, "CORS_OPTIONS"), "origins");
    cr_expect_str_eq(json_string_value(json_array_get(origins, 0)), "https://x.example");
    cr_expect_str_eq(config_str(cfg, "LOGO_TARGET_PATH", ""), "/dashboards/list");
    cr_expect_float_eq(config_real(cfg, "LITESET_PG_QUERY_TIMEOUT", 0), 120.0, 1e-9);
    cr_expect(config_feature(cfg, "ALERT_REPORTS"));
    cr_expect_not(config_feature(cfg, "DRILL_BY"));
    cr_expect_null(config_get(cfg, "FEATURE_ALERT_REPORTS"));
    cr_expect_null(config_get(cfg, "PORT"));
    config_free(cfg);
}

Test(config, feature_env_loses_to_file_flags) {
    setenv("SUPERSET_FEATURE_THUMBNAILS", "yes", 1);
    config_t *cfg = load_ok("SECRET_KEY = 'k'\nFEATURE_FLAGS = {'THUMBNAILS': False}\n");
    cr_expect_not(config_feature(cfg, "THUMBNAILS"));
    config_free(cfg);
}

Test(config, secret_key_env_is_a_default) {
    setenv("SUPERSET_SECRET_KEY", "env-secret", 1);
    config_t *cfg = load_ok("ROW_LIMIT = 1\n");
    cr_expect_str_eq(config_str(cfg, "SECRET_KEY", ""), "env-secret");
    config_free(cfg);
    /* as in Superset, a SECRET_KEY in the file wins over the variable */
    cfg = load_ok("SECRET_KEY = 'file-secret'\n");
    cr_expect_str_eq(config_str(cfg, "SECRET_KEY", ""), "file-secret");
    config_free(cfg);
    /* a non-literal value stays a string too */
    setenv("SUPERSET_SECRET_KEY", "12345", 1);
    cfg = load_ok("import os\nSECRET_KEY = os.environ['SUPERSET_SECRET_KEY']\n");
    cr_expect_str_eq(config_str(cfg, "SECRET_KEY", ""), "12345");
    config_free(cfg);
}

Test(config, app_root_env) {
    setenv("SUPERSET_APP_ROOT", "/analytics", 1);
    config_t *cfg = load_ok("SECRET_KEY = 'k'\n");
    cr_expect_str_eq(config_str(cfg, "APPLICATION_ROOT", ""), "/analytics");
    cr_expect_str_eq(config_str(cfg, "STATIC_ASSETS_PREFIX", ""), "/analytics");
    cr_expect_null(config_get(cfg, "APP_ROOT"));
    config_free(cfg);
}

/* ---- SECRET_KEY -------------------------------------------------------------------------------- */

Test(config, default_secret_is_refused) {
    char *err = NULL;
    config_t *cfg = load_text("ROW_LIMIT = 1\n", false, &err);
    cr_expect_null(cfg);
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, "SECRET_KEY"));
    cr_expect_not_null(strstr(err, "SUPERSET_SECRET_KEY"));
    free(err);

    err = NULL;
    cfg = load_text("SECRET_KEY = ''\n", false, &err);
    cr_expect_null(cfg);
    cr_expect_not_null(err);
    free(err);

    err = NULL;
    cfg = load_text("SECRET_KEY = 'CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET'\n", false, &err);
    cr_expect_null(cfg);
    free(err);
}

Test(config, default_secret_allowed_in_debug_and_tests) {
    char *err = NULL;
    config_t *cfg = load_text("ROW_LIMIT = 1\n", true, &err);
    cr_expect_not_null(cfg, "allow_default_secret: %s", err);
    config_free(cfg);

    static const char *const files[] = {"TESTING = True\n", "DEBUG = True\n"};
    for (size_t i = 0; i < 2; i++) {
        cfg = load_ok(files[i]);
        cr_expect_str_eq(config_str(cfg, "SECRET_KEY", ""), SUPERSET_DEFAULT_SECRET_KEY);
        config_free(cfg);
        remove_fixture();
    }
    setenv("FLASK_DEBUG", "1", 1);
    cfg = load_ok("ROW_LIMIT = 1\n");
    config_free(cfg);
    unsetenv("FLASK_DEBUG");
    setenv("SUPERSET_TESTENV", "true", 1);
    cfg = load_ok("ROW_LIMIT = 1\n");
    config_free(cfg);
}

/* ---- PostgreSQL URI ----------------------------------------------------------------------------- */

static const struct { const char *uri; const char *conninfo; } pg_ok[] = {
    {"postgresql+psycopg2://u:p%40ss@h:5433/db?sslmode=require",
     "postgresql://u:p%40ss@h:5433/db?sslmode=require"},
    {"postgres://h/db", "postgresql://h/db"},
    {"postgresql://superset:superset@db:5432/superset", "postgresql://superset:superset@db:5432/superset"},
    {"postgresql://u@h/db?sslmode=require&client_encoding=utf8&application_name=x&connect_timeout=5",
     "postgresql://u@h/db?sslmode=require&client_encoding=utf8&application_name=x&connect_timeout=5"},
    {"postgresql+pg8000://u:p@h/db?foo=bar&sslmode=disable", "postgresql://u:p@h/db?sslmode=disable"},
    {"postgresql+psycopg://u:a@b/c@h/db", "postgresql://u:a%40b%2Fc@h/db"},
    {"postgresql://u@/db?host=/var/run/postgresql", "postgresql://u@/db?host=/var/run/postgresql"},
    {"postgresql://", "postgresql://"},
};

Test(config, pg_uri_conversion) {
    for (size_t i = 0; i < sizeof pg_ok / sizeof pg_ok[0]; i++) {
        char *err = NULL;
        char *c = config_pg_conninfo_from_uri(pg_ok[i].uri, &err);
        cr_assert_not_null(c, "%s: %s", pg_ok[i].uri, err ? err : "?");
        cr_expect_str_eq(c, pg_ok[i].conninfo);
        char *perr = NULL;
        PQconninfoOption *opts = PQconninfoParse(c, &perr);
        cr_expect_not_null(opts, "libpq rejects %s: %s", c, perr ? perr : "?");
        PQconninfoFree(opts);
        PQfreemem(perr);
        free(c);
    }
}

static const struct { const char *uri; const char *mention; } pg_bad[] = {
    {"sqlite:////tmp/superset.db", "sqlite"},
    {"mysql://u@h/db", "mysql"},
    {"postgresql+asyncpg://u@h/db", "postgresql+asyncpg"},
    {"", "SQLALCHEMY_DATABASE_URI"},
    {"just-text", "SQLALCHEMY_DATABASE_URI"},
};

Test(config, pg_uri_rejects_other_schemes) {
    for (size_t i = 0; i < sizeof pg_bad / sizeof pg_bad[0]; i++) {
        char *err = NULL;
        cr_expect_null(config_pg_conninfo_from_uri(pg_bad[i].uri, &err), "%s", pg_bad[i].uri);
        cr_assert_not_null(err);
        cr_expect_not_null(strstr(err, pg_bad[i].mention), "'%s': %s", pg_bad[i].uri, err);
        free(err);
    }
    char *err = NULL;
    cr_expect_null(config_pg_conninfo_from_uri(NULL, &err));
    cr_expect_not_null(err);
    free(err);
}

/* ---- Redis --------------------------------------------------------------------------------------- */

static const struct {
    const char *url;
    const char *host, *unix_path, *user, *password;
    int port, db;
    bool ssl;
} redis_ok[] = {
    {"redis://localhost", "localhost", NULL, NULL, NULL, 6379, 0, false},
    {"redis://:secret@r:6380/3", "r", NULL, NULL, "secret", 6380, 3, false},
    {"redis://user:p%40ss@r/1", "r", NULL, "user", "p@ss", 6379, 1, false},
    {"rediss://r:6390", "r", NULL, NULL, NULL, 6390, 0, true},
    {"unix:///var/run/redis.sock?db=4", NULL, "/var/run/redis.sock", NULL, NULL, 6379, 4, false},
    {"unix://:pw@/tmp/r.sock", NULL, "/tmp/r.sock", NULL, "pw", 6379, 0, false},
    {"redis://[::1]:7000/0", "::1", NULL, NULL, NULL, 7000, 0, false},
    {"redis://r?db=5", "r", NULL, NULL, NULL, 6379, 5, false},
    {"redis://r/", "r", NULL, NULL, NULL, 6379, 0, false},
};

static void expect_opt_str(const char *got, const char *want, const char *what, const char *url) {
    if (!want) cr_expect_null(got, "%s: %s should be NULL", url, what);
    else cr_expect(got && strcmp(got, want) == 0, "%s: %s = %s, want %s", url, what, got ? got : "NULL", want);
}

Test(config, redis_url_parsing) {
    for (size_t i = 0; i < sizeof redis_ok / sizeof redis_ok[0]; i++) {
        config_redis_t r;
        char *err = NULL;
        cr_assert(config_redis_from_url(redis_ok[i].url, &r, &err), "%s: %s", redis_ok[i].url, err);
        expect_opt_str(r.host, redis_ok[i].host, "host", redis_ok[i].url);
        expect_opt_str(r.unix_path, redis_ok[i].unix_path, "unix_path", redis_ok[i].url);
        expect_opt_str(r.username, redis_ok[i].user, "username", redis_ok[i].url);
        expect_opt_str(r.password, redis_ok[i].password, "password", redis_ok[i].url);
        cr_expect_eq(r.port, redis_ok[i].port, "%s: port %d", redis_ok[i].url, r.port);
        cr_expect_eq(r.db, redis_ok[i].db, "%s: db %d", redis_ok[i].url, r.db);
        cr_expect_eq(r.ssl, redis_ok[i].ssl, "%s: ssl", redis_ok[i].url);
        config_redis_clear(&r);
    }
}

static const char *const redis_bad[] = {
    "http://x", "redis://r:abc", "redis://r:70000", "redis://r/x", "unix://relative.sock",
    "redis://r:0", "redis://[::1", "redis://r?db=-1", "redis://u:%zz@r", "",
};

Test(config, redis_url_errors_hide_password) {
    for (size_t i = 0; i < sizeof redis_bad / sizeof redis_bad[0]; i++) {
        config_redis_t r;
        char *err = NULL;
        cr_expect_not(config_redis_from_url(redis_bad[i], &r, &err), "'%s' accepted", redis_bad[i]);
        cr_assert_not_null(err);
        free(err);
        cr_expect_null(r.host);
    }
    config_redis_t r;
    char *err = NULL;
    cr_expect_not(config_redis_from_url("redis://u:topsecret@r:99999", &r, &err));
    cr_expect_null(strstr(err, "topsecret"));
    free(err);
}

Test(config, redis_from_cache_config) {
    config_t *cfg = load_ok("SECRET_KEY = 'k'\n"
                            "CACHE_CONFIG = {'CACHE_TYPE': 'RedisCache', 'CACHE_REDIS_URL': 'redis://:pw@c.example:6380/2'}\n");
    cr_expect_str_eq(cfg->redis.host, "c.example");
    cr_expect_eq(cfg->redis.port, 6380);
    cr_expect_eq(cfg->redis.db, 2);
    cr_expect_str_eq(cfg->redis.password, "pw");
    config_free(cfg);
    remove_fixture();

    cfg = load_ok("SECRET_KEY = 'k'\n"
                  "CACHE_CONFIG = {'CACHE_TYPE': 'redis', 'CACHE_REDIS_HOST': 'h2', 'CACHE_REDIS_PORT': 1234,\n"
                  "                'CACHE_REDIS_DB': 3, 'CACHE_REDIS_PASSWORD': 'x'}\n");
    cr_expect_str_eq(cfg->redis.host, "h2");
    cr_expect_eq(cfg->redis.port, 1234);
    cr_expect_eq(cfg->redis.db, 3);
    cr_expect_str_eq(cfg->redis.password, "x");
    config_free(cfg);
}

Test(config, redis_from_async_queries_config) {
    config_t *cfg = load_ok("SECRET_KEY = 'k'\n"
                            "GLOBAL_ASYNC_QUERIES_REDIS_CONFIG = {'host': 'gh', 'port': 6390, 'db': 1,\n"
                            "    'password': 'p', 'username': 'u', 'ssl': True}\n");
    cr_expect_str_eq(cfg->redis.host, "gh");
    cr_expect_eq(cfg->redis.port, 6390);
    cr_expect_eq(cfg->redis.db, 1);
    cr_expect_str_eq(cfg->redis.password, "p");
    cr_expect_str_eq(cfg->redis.username, "u");
    cr_expect(cfg->redis.ssl);
    config_free(cfg);
}

Test(config, redis_fallback_and_bad_url) {
    config_t *cfg = load_ok("SECRET_KEY = 'k'\nGLOBAL_ASYNC_QUERIES_CACHE_BACKEND = {'CACHE_TYPE': 'NullCache'}\n");
    cr_expect_str_eq(cfg->redis.host, "127.0.0.1");
    cr_expect_eq(cfg->redis.port, 6379);
    config_free(cfg);
    remove_fixture();

    char *err = NULL;
    cfg = load_text("SECRET_KEY = 'k'\nCACHE_CONFIG = {'CACHE_TYPE': 'RedisCache', 'CACHE_REDIS_URL': 'redis://h:notaport'}\n",
                    false, &err);
    cr_expect_null(cfg);
    cr_assert_not_null(err);
    cr_expect_not_null(strstr(err, "CACHE_CONFIG"));
    free(err);
}
