/* Frontend settings and their Superset defaults; see conf.h. */
#include "fcgi/spa/conf.h"

#include <string.h>

typedef struct conf_default {
    const char *key;
    const char *json; /* Superset 6.0.0's default, as JSON text */
} conf_default_t;

const char *const spa_frontend_conf_keys[] = {
    "SUPERSET_WEBSERVER_TIMEOUT",
    "SUPERSET_DASHBOARD_POSITION_DATA_LIMIT",
    "SUPERSET_DASHBOARD_PERIODICAL_REFRESH_LIMIT",
    "SUPERSET_DASHBOARD_PERIODICAL_REFRESH_WARNING_MESSAGE",
    "ENABLE_JAVASCRIPT_CONTROLS",
    "DEFAULT_SQLLAB_LIMIT",
    "DEFAULT_VIZ_TYPE",
    "SQL_MAX_ROW",
    "SUPERSET_WEBSERVER_DOMAINS",
    "SQLLAB_SAVE_WARNING_MESSAGE",
    "SQLLAB_DEFAULT_DBID",
    "DISPLAY_MAX_ROW",
    "GLOBAL_ASYNC_QUERIES_TRANSPORT",
    "GLOBAL_ASYNC_QUERIES_POLLING_DELAY",
    "SQL_VALIDATORS_BY_ENGINE",
    "SQLALCHEMY_DOCS_URL",
    "SQLALCHEMY_DISPLAY_TEXT",
    "GLOBAL_ASYNC_QUERIES_WEBSOCKET_URL",
    "DASHBOARD_AUTO_REFRESH_MODE",
    "DASHBOARD_AUTO_REFRESH_INTERVALS",
    "DASHBOARD_VIRTUALIZATION",
    "SCHEDULED_QUERIES",
    "EXCEL_EXTENSIONS",
    "CSV_EXTENSIONS",
    "COLUMNAR_EXTENSIONS",
    "ALLOWED_EXTENSIONS",
    "SAMPLES_ROW_LIMIT",
    "DEFAULT_TIME_FILTER",
    "HTML_SANITIZATION",
    "HTML_SANITIZATION_SCHEMA_EXTENSIONS",
    "WELCOME_PAGE_LAST_TAB",
    "VIZ_TYPE_DENYLIST",
    "ALERT_REPORTS_DEFAULT_CRON_VALUE",
    "ALERT_REPORTS_DEFAULT_RETENTION",
    "ALERT_REPORTS_DEFAULT_WORKING_TIMEOUT",
    "NATIVE_FILTER_DEFAULT_ROW_LIMIT",
    "SUPERSET_CLIENT_RETRY_ATTEMPTS",
    "SUPERSET_CLIENT_RETRY_DELAY",
    "SUPERSET_CLIENT_RETRY_BACKOFF_MULTIPLIER",
    "SUPERSET_CLIENT_RETRY_MAX_DELAY",
    "SUPERSET_CLIENT_RETRY_JITTER_MAX",
    "SUPERSET_CLIENT_RETRY_STATUS_CODES",
    "PREVENT_UNSAFE_DEFAULT_URLS_ON_DATASET",
    "JWT_ACCESS_CSRF_COOKIE_NAME",
    "SQLLAB_QUERY_RESULT_TIMEOUT",
    "SYNC_DB_PERMISSIONS_IN_ASYNC_MODE",
    "TABLE_VIZ_MAX_ROW_SERVER",
};
const size_t spa_frontend_conf_nkeys = sizeof spa_frontend_conf_keys / sizeof spa_frontend_conf_keys[0];

/* Defaults of keys config/defaults.c leaves out. Python sets are written in
 * the order the reference happened to emit them (the order is arbitrary). */
static const conf_default_t defaults[] = {
    {"SUPERSET_WEBSERVER_TIMEOUT", "60"},
    {"SUPERSET_DASHBOARD_POSITION_DATA_LIMIT", "65535"},
    {"SUPERSET_DASHBOARD_PERIODICAL_REFRESH_LIMIT", "0"},
    {"DEFAULT_SQLLAB_LIMIT", "1000"},
    {"DEFAULT_VIZ_TYPE", "\"table\""},
    {"SQL_MAX_ROW", "100000"},
    {"DISPLAY_MAX_ROW", "10000"},
    {"GLOBAL_ASYNC_QUERIES_TRANSPORT", "\"polling\""},
    {"GLOBAL_ASYNC_QUERIES_POLLING_DELAY", "500"},
    {"SQL_VALIDATORS_BY_ENGINE", "{\"presto\": \"PrestoDBSQLValidator\", \"postgresql\": \"PostgreSQLValidator\"}"},
    {"GLOBAL_ASYNC_QUERIES_WEBSOCKET_URL", "\"ws://127.0.0.1:8080/\""},
    {"DASHBOARD_AUTO_REFRESH_MODE", "\"force\""},
    {"DASHBOARD_AUTO_REFRESH_INTERVALS",
     "[[0, \"Don't refresh\"], [10, \"10 seconds\"], [30, \"30 seconds\"], [60, \"1 minute\"],"
     " [300, \"5 minutes\"], [1800, \"30 minutes\"], [3600, \"1 hour\"], [21600, \"6 hours\"],"
     " [43200, \"12 hours\"], [86400, \"24 hours\"]]"},
    {"SCHEDULED_QUERIES", "{}"},
    {"EXCEL_EXTENSIONS", "[\"xlsx\", \"xls\"]"},
    {"CSV_EXTENSIONS", "[\"csv\", \"tsv\", \"txt\"]"},
    {"COLUMNAR_EXTENSIONS", "[\"zip\", \"parquet\"]"},
    {"ALLOWED_EXTENSIONS", "[\"zip\", \"xls\", \"parquet\", \"txt\", \"csv\", \"xlsx\", \"tsv\"]"},
    {"SAMPLES_ROW_LIMIT", "1000"},
    {"DEFAULT_TIME_FILTER", "\"No filter\""},
    {"HTML_SANITIZATION", "true"},
    {"HTML_SANITIZATION_SCHEMA_EXTENSIONS", "{}"},
    {"WELCOME_PAGE_LAST_TAB", "\"all\""},
    {"VIZ_TYPE_DENYLIST", "[]"},
    {"ALERT_REPORTS_DEFAULT_CRON_VALUE", "\"0 0 * * *\""},
    {"ALERT_REPORTS_DEFAULT_RETENTION", "90"},
    {"ALERT_REPORTS_DEFAULT_WORKING_TIMEOUT", "3600"},
    {"NATIVE_FILTER_DEFAULT_ROW_LIMIT", "1000"},
    {"SUPERSET_CLIENT_RETRY_ATTEMPTS", "3"},
    {"SUPERSET_CLIENT_RETRY_DELAY", "1000"},
    {"SUPERSET_CLIENT_RETRY_BACKOFF_MULTIPLIER", "2"},
    {"SUPERSET_CLIENT_RETRY_MAX_DELAY", "10000"},
    {"SUPERSET_CLIENT_RETRY_JITTER_MAX", "1000"},
    {"SUPERSET_CLIENT_RETRY_STATUS_CODES", "[502, 503, 504]"},
    {"PREVENT_UNSAFE_DEFAULT_URLS_ON_DATASET", "true"},
    {"JWT_ACCESS_CSRF_COOKIE_NAME", "\"csrf_access_token\""},
    {"SQLLAB_QUERY_RESULT_TIMEOUT", "0"},
    {"SYNC_DB_PERMISSIONS_IN_ASYNC_MODE", "false"},
    {"TABLE_VIZ_MAX_ROW_SERVER", "500000"},
    /* bootstrap and navbar */
    {"AUTH_TYPE", "1"},
    {"AUTH_USER_REGISTRATION", "false"},
    {"AUTH_USER_REGISTRATION_ROLE", "\"Public\""},
    {"OAUTH_PROVIDERS", "[]"},
    {"APPLICATION_ROOT", "\"/\""},
    {"STATIC_ASSETS_PREFIX", "\"\""},
    {"D3_FORMAT", "{}"},
    {"D3_TIME_FORMAT", "{}"},
    {"CURRENCIES", "[\"USD\", \"EUR\", \"GBP\", \"INR\", \"MXN\", \"JPY\", \"CNY\"]"},
    {"EXTRA_SEQUENTIAL_COLOR_SCHEMES", "[]"},
    {"EXTRA_CATEGORICAL_COLOR_SCHEMES", "[]"},
    {"APP_NAME", "\"Superset\""},
    {"APP_ICON", "\"/static/assets/images/superset-logo-horiz.png\""},
    {"FAVICONS", "[{\"href\": \"/static/assets/images/favicon.png\"}]"},
    {"LOGO_TOOLTIP", "\"\""},
    {"LOGO_RIGHT_TEXT", "\"\""},
    {"BUG_REPORT_TEXT", "\"Report a bug\""},
    {"DOCUMENTATION_TEXT", "\"Documentation\""},
    {"ENVIRONMENT_TAG_CONFIG",
     "{\"variable\": \"SUPERSET_ENV\", \"values\": {"
     "\"debug\": {\"color\": \"error\", \"text\": \"flask-debug\"},"
     " \"development\": {\"color\": \"error\", \"text\": \"Development\"},"
     " \"production\": {\"color\": \"\", \"text\": \"\"}}}"},
    {"THEME_DEFAULT", "{\"algorithm\": \"default\"}"},
    {"THEME_DARK", "{\"algorithm\": \"dark\"}"},
    {"ENABLE_UI_THEME_ADMINISTRATION", "true"},
    {"SUPERSET_SECURITY_VIEW_MENU", "true"},
    {"SUPERSET_LOG_VIEW", "true"},
    {"FAB_ADD_SECURITY_VIEWS", "true"},
    {"FAB_ADD_MENU_API", "true"},
    {"GUEST_TOKEN_HEADER_NAME", "\"X-GuestToken\""},
};

json_t *spa_conf_value(const config_t *cfg, const char *key) {
    const json_t *v = cfg ? config_get(cfg, key) : NULL;
    if (v) return json_deep_copy(v);
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        if (strcmp(defaults[i].key, key)) continue;
        json_t *d = json_loads(defaults[i].json, JSON_DECODE_ANY, NULL);
        return d ? d : json_null();
    }
    return json_null();
}

bool spa_conf_truthy(const config_t *cfg, const char *key) {
    json_t *v = spa_conf_value(cfg, key);
    bool t = json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0) ||
             (json_is_real(v) && json_real_value(v) != 0) || (json_is_string(v) && json_string_length(v) > 0) ||
             (json_is_array(v) && json_array_size(v) > 0) || (json_is_object(v) && json_object_size(v) > 0);
    json_decref(v);
    return t;
}

const char *spa_conf_str(const config_t *cfg, const char *key, const char *def) {
    const json_t *v = cfg ? config_get(cfg, key) : NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (v) return def;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        if (strcmp(defaults[i].key, key)) continue;
        /* defaults are static text: only plain quoted strings are returned */
        static json_t *cache[sizeof defaults / sizeof defaults[0]];
        if (!cache[i]) cache[i] = json_loads(defaults[i].json, JSON_DECODE_ANY, NULL);
        return json_is_string(cache[i]) ? json_string_value(cache[i]) : def;
    }
    return def;
}

json_t *spa_frontend_conf(const config_t *cfg) {
    json_t *conf = json_object();
    for (size_t i = 0; i < spa_frontend_conf_nkeys; i++)
        json_object_set_new(conf, spa_frontend_conf_keys[i], spa_conf_value(cfg, spa_frontend_conf_keys[i]));
    bool slack = spa_conf_truthy(cfg, "SLACK_API_TOKEN");
    json_object_set_new(conf, "ALERT_REPORTS_NOTIFICATION_METHODS",
                        slack ? json_pack("[sss]", "Email", "Slack", "SlackV2") : json_pack("[s]", "Email"));
    /* Liteset has no Google Sheets connector. */
    json_object_set_new(conf, "HAS_GSHEETS_INSTALLED", json_false());
    json_t *auth_type = spa_conf_value(cfg, "AUTH_TYPE");
    bool oauth = json_is_integer(auth_type) && json_integer_value(auth_type) == 4;
    bool registration = spa_conf_truthy(cfg, "AUTH_USER_REGISTRATION");
    json_object_set_new(conf, "AUTH_USER_REGISTRATION", spa_conf_value(cfg, "AUTH_USER_REGISTRATION"));
    if (registration) {
        json_object_set_new(conf, "AUTH_USER_REGISTRATION_ROLE", spa_conf_value(cfg, "AUTH_USER_REGISTRATION_ROLE"));
        /* The reference fails when RECAPTCHA_PUBLIC_KEY is not configured;
         * here it is null then. */
        if (!oauth) json_object_set_new(conf, "RECAPTCHA_PUBLIC_KEY", spa_conf_value(cfg, "RECAPTCHA_PUBLIC_KEY"));
    }
    json_object_set_new(conf, "AUTH_TYPE", auth_type);
    if (oauth) {
        json_t *providers = json_array();
        json_t *configured = spa_conf_value(cfg, "OAUTH_PROVIDERS");
        size_t i;
        json_t *p;
        json_array_foreach(configured, i, p) {
            json_t *name = json_object_get(p, "name");
            json_t *icon = json_object_get(p, "icon");
            json_array_append_new(providers, json_pack("{s:O,s:O}", "name", name ? name : json_null(), "icon",
                                                       icon ? icon : json_null()));
        }
        json_decref(configured);
        json_object_set_new(conf, "AUTH_PROVIDERS", providers);
    }
    return conf;
}

json_t *spa_feature_flags(const config_t *cfg) {
    json_t *flags = spa_conf_value(cfg, "DEFAULT_FEATURE_FLAGS");
    if (!json_is_object(flags)) {
        json_decref(flags);
        flags = json_object();
    }
    const json_t *over = cfg ? config_get(cfg, "FEATURE_FLAGS") : NULL;
    if (json_is_object(over)) {
        json_t *copy = json_deep_copy(over);
        json_object_update(flags, copy);
        json_decref(copy);
    }
    return flags;
}
