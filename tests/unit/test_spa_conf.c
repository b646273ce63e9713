/* Unit tests for the bootstrap's settings (fcgi/spa/conf) and theme rules:
 * common.conf has Superset 6.0.0's FRONTEND_CONF_KEYS in order with their
 * defaults plus the computed keys; superset_config.py values win; feature
 * flags are DEFAULT_FEATURE_FLAGS updated by FEATURE_FLAGS; is_valid_theme. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fcgi/spa/bootstrap.h"
#include "fcgi/spa/conf.h"
#include "lib/json.h"

static char path[256];
static arena_t *A;

static void setup(void) { A = arena_new(0); }
static void teardown(void) {
    arena_free(A);
    if (path[0]) unlink(path);
}

TestSuite(spa_conf, .init = setup, .fini = teardown);

static config_t *load(const char *text) {
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/liteset_spacfg_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    config_load_opts_t o = {.path = path, .allow_default_secret = true};
    char *err = NULL;
    config_t *cfg = config_load(&o, &err);
    cr_assert_not_null(cfg, "%s", err ? err : "");
    return cfg;
}

static const char *dump(json_t *j) {
    const char *s = json_dump_arena(A, j, JSON_PY_DEFAULT, NULL);
    json_decref(j);
    return s;
}

/* The reference's common.conf with default settings (golden 19), key order included. */
static const char *REFERENCE_CONF =
    "{\"SUPERSET_WEBSERVER_TIMEOUT\": 60, \"SUPERSET_DASHBOARD_POSITION_DATA_LIMIT\": 65535, "
    "\"SUPERSET_DASHBOARD_PERIODICAL_REFRESH_LIMIT\": 0, \"SUPERSET_DASHBOARD_PERIODICAL_REFRESH_WARNING_MESSAGE\": "
    "null, \"ENABLE_JAVASCRIPT_CONTROLS\": null, \"DEFAULT_SQLLAB_LIMIT\": 1000, \"DEFAULT_VIZ_TYPE\": \"table\", "
    "\"SQL_MAX_ROW\": 100000, \"SUPERSET_WEBSERVER_DOMAINS\": null, \"SQLLAB_SAVE_WARNING_MESSAGE\": null, "
    "\"SQLLAB_DEFAULT_DBID\": null, \"DISPLAY_MAX_ROW\": 10000, \"GLOBAL_ASYNC_QUERIES_TRANSPORT\": \"polling\", "
    "\"GLOBAL_ASYNC_QUERIES_POLLING_DELAY\": 500, \"SQL_VALIDATORS_BY_ENGINE\": {\"presto\": "
    "\"PrestoDBSQLValidator\", \"postgresql\": \"PostgreSQLValidator\"}, \"SQLALCHEMY_DOCS_URL\": null, "
    "\"SQLALCHEMY_DISPLAY_TEXT\": null, \"GLOBAL_ASYNC_QUERIES_WEBSOCKET_URL\": \"ws://127.0.0.1:8080/\", "
    "\"DASHBOARD_AUTO_REFRESH_MODE\": \"force\", \"DASHBOARD_AUTO_REFRESH_INTERVALS\": [[0, \"Don't refresh\"], "
    "[10, \"10 seconds\"], [30, \"30 seconds\"], [60, \"1 minute\"], [300, \"5 minutes\"], [1800, \"30 minutes\"], "
    "[3600, \"1 hour\"], [21600, \"6 hours\"], [43200, \"12 hours\"], [86400, \"24 hours\"]], "
    "\"DASHBOARD_VIRTUALIZATION\": null, \"SCHEDULED_QUERIES\": {}, \"EXCEL_EXTENSIONS\": [\"xlsx\", \"xls\"], "
    "\"CSV_EXTENSIONS\": [\"csv\", \"tsv\", \"txt\"], \"COLUMNAR_EXTENSIONS\": [\"zip\", \"parquet\"], "
    "\"ALLOWED_EXTENSIONS\": [\"zip\", \"xls\", \"parquet\", \"txt\", \"csv\", \"xlsx\", \"tsv\"], "
    "\"SAMPLES_ROW_LIMIT\": 1000, \"DEFAULT_TIME_FILTER\": \"No filter\", \"HTML_SANITIZATION\": true, "
    "\"HTML_SANITIZATION_SCHEMA_EXTENSIONS\": {}, \"WELCOME_PAGE_LAST_TAB\": \"all\", \"VIZ_TYPE_DENYLIST\": [], "
    "\"ALERT_REPORTS_DEFAULT_CRON_VALUE\": \"0 0 * * *\", \"ALERT_REPORTS_DEFAULT_RETENTION\": 90, "
    "\"ALERT_REPORTS_DEFAULT_WORKING_TIMEOUT\": 3600, \"NATIVE_FILTER_DEFAULT_ROW_LIMIT\": 1000, "
    "\"SUPERSET_CLIENT_RETRY_ATTEMPTS\": 3, \"SUPERSET_CLIENT_RETRY_DELAY\": 1000, "
    "\"SUPERSET_CLIENT_RETRY_BACKOFF_MULTIPLIER\": 2, \"SUPERSET_CLIENT_RETRY_MAX_DELAY\": 10000, "
    "\"SUPERSET_CLIENT_RETRY_JITTER_MAX\": 1000, \"SUPERSET_CLIENT_RETRY_STATUS_CODES\": [502, 503, 504], "
    "\"PREVENT_UNSAFE_DEFAULT_URLS_ON_DATASET\": true, \"JWT_ACCESS_CSRF_COOKIE_NAME\": \"csrf_access_token\", "
    "\"SQLLAB_QUERY_RESULT_TIMEOUT\": 0, \"SYNC_DB_PERMISSIONS_IN_ASYNC_MODE\": false, "
    "\"TABLE_VIZ_MAX_ROW_SERVER\": 500000, \"ALERT_REPORTS_NOTIFICATION_METHODS\": [\"Email\"], "
    "\"HAS_GSHEETS_INSTALLED\": false, \"AUTH_USER_REGISTRATION\": false, \"AUTH_TYPE\": 1}";

Test(spa_conf, defaults_match_the_reference_bytes) {
    config_t *cfg = load("");
    cr_assert_str_eq(dump(spa_frontend_conf(cfg)), REFERENCE_CONF);
    config_free(cfg);
}

Test(spa_conf, settings_win_and_computed_keys_follow) {
    config_t *cfg = load("SQL_MAX_ROW = 5\nSLACK_API_TOKEN = 'xoxb'\nAUTH_USER_REGISTRATION = True\n"
                         "RECAPTCHA_PUBLIC_KEY = 'pk'\nAUTH_TYPE = 4\n"
                         "OAUTH_PROVIDERS = [{'name': 'google', 'icon': 'fa-google', 'token_key': 'secret'}]\n");
    json_t *conf = spa_frontend_conf(cfg);
    cr_assert_eq(json_integer_value(json_object_get(conf, "SQL_MAX_ROW")), 5);
    cr_assert_str_eq(dump(json_incref(json_object_get(conf, "ALERT_REPORTS_NOTIFICATION_METHODS"))),
                     "[\"Email\", \"Slack\", \"SlackV2\"]");
    cr_assert_str_eq(json_string_value(json_object_get(conf, "AUTH_USER_REGISTRATION_ROLE")), "Public");
    cr_assert_null(json_object_get(conf, "RECAPTCHA_PUBLIC_KEY"), "not shown with OAuth");
    cr_assert_str_eq(dump(json_incref(json_object_get(conf, "AUTH_PROVIDERS"))),
                     "[{\"name\": \"google\", \"icon\": \"fa-google\"}]");
    cr_assert_null(json_object_get(conf, "SLACK_API_TOKEN"), "secrets never reach the page");
    json_decref(conf);
    config_free(cfg);
}

Test(spa_conf, feature_flags_are_defaults_updated_by_settings) {
    config_t *cfg = load("FEATURE_FLAGS = {'TAGGING_SYSTEM': True, 'MY_FLAG': 'x', 'DRILL_BY': False}\n");
    json_t *flags = spa_feature_flags(cfg);
    cr_assert(json_is_true(json_object_get(flags, "TAGGING_SYSTEM")));
    cr_assert(json_is_false(json_object_get(flags, "DRILL_BY")));
    cr_assert(json_is_true(json_object_get(flags, "SQLLAB_BACKEND_PERSISTENCE")));
    cr_assert_str_eq(json_string_value(json_object_get(flags, "MY_FLAG")), "x", "raw values, as the reference");
    const char *first;
    json_t *v;
    json_object_foreach(flags, first, v) break;
    cr_assert_str_eq(first, "DRUID_JOINS", "default order kept");
    json_decref(flags);
    config_free(cfg);
}

static bool valid(const char *text) {
    json_t *t = json_loads(text, JSON_DECODE_ANY, NULL);
    bool ok = spa_theme_valid(t);
    json_decref(t);
    return ok;
}

Test(spa_conf, theme_validation) {
    cr_assert(valid("{}"));
    cr_assert(valid("{\"algorithm\": \"dark\", \"token\": {\"colorPrimary\": \"#000\"}, \"extra\": 1}"));
    cr_assert(valid("{\"algorithm\": [\"dark\", \"compact\"], \"hashed\": false, \"inherit\": true}"));
    cr_assert(valid("{\"algorithm\": \"system\"}"));
    cr_assert(!valid("null"));
    cr_assert(!valid("[]"));
    cr_assert(!valid("{\"algorithm\": \"neon\"}"));
    cr_assert(!valid("{\"algorithm\": [\"dark\", 3]}"));
    cr_assert(!valid("{\"token\": []}"));
    cr_assert(!valid("{\"hashed\": \"yes\"}"));
}
