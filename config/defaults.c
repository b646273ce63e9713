/* Default settings: Superset 6.0.0's values for the keys Liteset uses, then
 * Liteset's own keys. The static part is written as Python literals and read
 * with the same parser as superset_config.py, so a default looks exactly like
 * the line a user would write to override it. Values that Superset computes
 * at import time (from the environment or from paths) are set in C below.
 *
 * Where Superset's value is a Python object with no literal form it is
 * replaced by its nearest literal (noted next to the key); where Superset's
 * value is computed, e.g. int(timedelta(days=1).total_seconds()), the result
 * is written out.
 *
 * Liteset's own keys:
 *   LITESET_MAX_REQUEST_BODY  int   104857600  largest request body accepted, bytes
 *   LITESET_DEV_ROUTES        bool  False      enables development-only routes
 *                                              (e.g. the async proof's sleep route)
 *   LITESET_PG_POOL_SIZE      int   8          metadata-database connections per process
 *   LITESET_PG_QUERY_TIMEOUT  real  60.0       seconds before a metadata query is cancelled
 *   LITESET_FIBER_STACK_KB    int   256        stack size of each request fiber, KiB
 *   LITESET_STATIC_DIR        str   None       directory of Superset's built frontend
 *                                              (superset/static); None: not served
 *   LITESET_REQUEST_TIMEOUT   real  60.0       seconds a request may run before it is
 *                                              answered 504 (SUPERSET_WEBSERVER_TIMEOUT)
 *   LITESET_FAB_STATIC_DIR    str   None       directory of Flask-AppBuilder's package static
 *                                              files (flask_appbuilder/static/appbuilder), for the
 *                                              web server's /static/appbuilder/ (Swagger UI, flags);
 *                                              None: not served */
#include "config/defaults.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/pyliteral.h"
#include "lib/log.h"
#include "lib/strbuf.h"

const char config_defaults_source[] =
    /* ---- application and branding ---- */
    "APP_NAME = 'Superset'\n"
    "APP_ICON = '/static/assets/images/superset-logo-horiz.png'\n"
    "FAVICONS = [{'href': '/static/assets/images/favicon.png'}]\n"
    "LOGO_TARGET_PATH = None\n"
    "LOGO_TOOLTIP = ''\n"
    "LOGO_RIGHT_TEXT = ''\n"
    "DEFAULT_VIZ_TYPE = 'table'\n"
    "DEFAULT_TIME_FILTER = 'No filter'\n"
    "APPLICATION_ROOT = '/'\n"          /* Flask; SUPERSET_APP_ROOT applied in config.c */
    "STATIC_ASSETS_PREFIX = ''\n"
    "SEND_FILE_MAX_AGE_DEFAULT = 31536000\n"
    "FAB_API_SWAGGER_UI = True\n"
    "FAB_ADD_OPENAPI_VIEWS = True\n"   /* Flask-AppBuilder */
    "SHOW_STACKTRACE = False\n"
    "TESTING = False\n"                 /* Flask */
    "THEME_DEFAULT = {'algorithm': 'default'}\n"
    "THEME_DARK = {'algorithm': 'dark'}\n"
    "ENABLE_UI_THEME_ADMINISTRATION = True\n"
    "CUSTOM_FONT_URLS = []\n"
    "EXTRA_CATEGORICAL_COLOR_SCHEMES = []\n"
    "EXTRA_SEQUENTIAL_COLOR_SCHEMES = []\n"
    /* ---- translations and formats ---- */
    "BABEL_DEFAULT_LOCALE = 'en'\n"
    "BABEL_DEFAULT_FOLDER = 'superset/translations'\n"
    "LANGUAGES = {}\n"
    "D3_FORMAT = {}\n"
    "D3_TIME_FORMAT = {}\n"
    "CURRENCIES = ['USD', 'EUR', 'GBP', 'INR', 'MXN', 'JPY', 'CNY']\n"
    /* ---- row limits and timeouts (seconds) ---- */
    "ROW_LIMIT = 50000\n"
    "SAMPLES_ROW_LIMIT = 1000\n"
    "NATIVE_FILTER_DEFAULT_ROW_LIMIT = 1000\n"
    "FILTER_SELECT_ROW_LIMIT = 10000\n"
    "SQL_MAX_ROW = 100000\n"
    "DISPLAY_MAX_ROW = 10000\n"
    "DEFAULT_SQLLAB_LIMIT = 1000\n"
    "TABLE_VIZ_MAX_ROW_SERVER = 500000\n"
    "QUERY_SEARCH_LIMIT = 1000\n"
    "SQLLAB_TIMEOUT = 30\n"
    "SQLLAB_VALIDATION_TIMEOUT = 10\n"
    "SQLLAB_ASYNC_TIME_LIMIT_SEC = 21600\n"
    "SQLLAB_QUERY_COST_ESTIMATE_TIMEOUT = 10\n"
    "SUPERSET_WEBSERVER_TIMEOUT = 60\n"
    "ZIPPED_FILE_MAX_SIZE = 104857600\n"
    "ZIP_FILE_MAX_COMPRESS_RATIO = 200.0\n"
    /* ---- metadata database (SQLALCHEMY_DATABASE_URI is computed) ---- */
    "SQLALCHEMY_ENGINE_OPTIONS = {}\n"
    "PREVENT_UNSAFE_DB_CONNECTIONS = True\n"
    /* ---- CSRF (WTF_CSRF_CHECK_DEFAULT .. SSL_STRICT are Flask-WTF's own) ---- */
    "WTF_CSRF_ENABLED = True\n"
    "WTF_CSRF_EXEMPT_LIST = [\n"
    "    'superset.charts.data.api.data',\n"
    "    'superset.dashboards.api.cache_dashboard_screenshot',\n"
    "    'superset.views.core.explore_json',\n"
    "    'superset.views.core.log',\n"
    "    'superset.views.datasource.views.samples',\n"
    "]\n"
    "WTF_CSRF_TIME_LIMIT = 604800\n"
    "WTF_CSRF_CHECK_DEFAULT = True\n"
    "WTF_CSRF_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE']\n"
    "WTF_CSRF_FIELD_NAME = 'csrf_token'\n"
    "WTF_CSRF_HEADERS = ['X-CSRFToken', 'X-CSRF-Token']\n"
    "WTF_CSRF_SSL_STRICT = True\n"
    /* ---- proxies and rate limits (RATELIMIT_ENABLED is computed) ---- */
    "ENABLE_PROXY_FIX = False\n"
    "PROXY_FIX_CONFIG = {'x_for': 1, 'x_proto': 1, 'x_host': 1, 'x_port': 1, 'x_prefix': 1}\n"
    "RATELIMIT_APPLICATION = '50 per second'\n"
    "AUTH_RATE_LIMITED = True\n"
    "AUTH_RATE_LIMIT = '5 per second'\n"
    /* ---- authentication (AUTH_ROLE_*, AUTH_USER_REGISTRATION*, AUTH_USERNAME_CI,
     *      AUTH_ROLES_* and the JWT_* keys are Flask-AppBuilder / flask-jwt-extended
     *      defaults; AUTH_TYPE 1 is AUTH_DB) ---- */
    "AUTH_TYPE = 1\n"
    "AUTH_ROLE_ADMIN = 'Admin'\n"
    "AUTH_ROLE_PUBLIC = 'Public'\n"
    "PUBLIC_ROLE_LIKE = None\n"
    "AUTH_USER_REGISTRATION = False\n"
    "AUTH_USER_REGISTRATION_ROLE = 'Public'\n"
    "AUTH_USERNAME_CI = True\n"
    "AUTH_ROLES_MAPPING = {}\n"
    "AUTH_ROLES_SYNC_AT_LOGIN = False\n"
    "FAB_ROLES = {}\n"
    "JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)\n"
    "JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)\n"
    "JWT_ALGORITHM = 'HS256'\n"
    "GUEST_ROLE_NAME = 'Public'\n"
    "GUEST_TOKEN_JWT_SECRET = 'test-guest-secret-change-me'\n"
    "GUEST_TOKEN_JWT_ALGO = 'HS256'\n"
    "GUEST_TOKEN_HEADER_NAME = 'X-GuestToken'\n"
    "GUEST_TOKEN_JWT_EXP_SECONDS = 300\n"
    "GUEST_TOKEN_JWT_AUDIENCE = None\n"
    /* ---- session cookie (NAME, PATH, DOMAIN and the lifetime are Flask's) ---- */
    "SESSION_COOKIE_NAME = 'session'\n"
    "SESSION_COOKIE_PATH = None\n"
    "SESSION_COOKIE_DOMAIN = None\n"
    "SESSION_COOKIE_HTTPONLY = True\n"
    "SESSION_COOKIE_SECURE = False\n"
    "SESSION_COOKIE_SAMESITE = 'Lax'\n"
    "SESSION_SERVER_SIDE = False\n"
    "PERMANENT_SESSION_LIFETIME = timedelta(days=31)\n"
    /* ---- security headers and CORS (TALISMAN_ENABLED is computed) ---- */
    "TALISMAN_CONFIG = {\n"
    "    'content_security_policy': {\n"
    "        'base-uri': [\"'self'\"],\n"
    "        'default-src': [\"'self'\"],\n"
    "        'img-src': [\"'self'\", 'blob:', 'data:', 'https://apachesuperset.gateway.scarf.sh',\n"
    "                    'https://static.scarf.sh/', 'ows.terrestris.de',\n"
    "                    'https://cdn.document360.io'],\n"
    "        'worker-src': [\"'self'\", 'blob:'],\n"
    "        'connect-src': [\"'self'\", 'https://api.mapbox.com', 'https://events.mapbox.com',\n"
    "                        'https://tile.openstreetmap.org', 'https://tile.osm.ch'],\n"
    "        'object-src': \"'none'\",\n"
    "        'style-src': [\"'self'\", \"'unsafe-inline'\"],\n"
    "        'script-src': [\"'self'\", \"'strict-dynamic'\"],\n"
    "    },\n"
    "    'content_security_policy_nonce_in': ['script-src'],\n"
    "    'force_https': False,\n"
    "    'session_cookie_secure': False,\n"
    "}\n"
    "TALISMAN_DEV_CONFIG = {\n"
    "    'content_security_policy': {\n"
    "        'base-uri': [\"'self'\"],\n"
    "        'default-src': [\"'self'\"],\n"
    "        'img-src': [\"'self'\", 'blob:', 'data:', 'https://apachesuperset.gateway.scarf.sh',\n"
    "                    'https://static.scarf.sh/', 'https://cdn.brandfolder.io',\n"
    "                    'ows.terrestris.de', 'https://cdn.document360.io'],\n"
    "        'worker-src': [\"'self'\", 'blob:'],\n"
    "        'connect-src': [\"'self'\", 'https://api.mapbox.com', 'https://events.mapbox.com',\n"
    "                        'https://tile.openstreetmap.org', 'https://tile.osm.ch'],\n"
    "        'object-src': \"'none'\",\n"
    "        'style-src': [\"'self'\", \"'unsafe-inline'\"],\n"
    "        'script-src': [\"'self'\", \"'unsafe-inline'\", \"'unsafe-eval'\"],\n"
    "    },\n"
    "    'content_security_policy_nonce_in': ['script-src'],\n"
    "    'force_https': False,\n"
    "    'session_cookie_secure': False,\n"
    "}\n"
    "CONTENT_SECURITY_POLICY_WARNING = True\n"
    "ENABLE_CORS = True\n"
    "CORS_OPTIONS = {'origins': ['https://tile.openstreetmap.org', 'https://tile.osm.ch']}\n"
    "DEFAULT_HTTP_HEADERS = {}\n"
    "OVERRIDE_HTTP_HEADERS = {}\n"
    "HTTP_HEADERS = {}\n"
    "HTML_SANITIZATION = True\n"
    "HTML_SANITIZATION_SCHEMA_EXTENSIONS = {}\n"
    /* ---- caches (the metastore caches' CODEC object is left out) ---- */
    "CACHE_DEFAULT_TIMEOUT = 86400\n"
    "CACHE_CONFIG = {'CACHE_TYPE': 'NullCache'}\n"
    "DATA_CACHE_CONFIG = {'CACHE_TYPE': 'NullCache'}\n"
    "FILTER_STATE_CACHE_CONFIG = {'CACHE_TYPE': 'SupersetMetastoreCache',\n"
    "                             'CACHE_DEFAULT_TIMEOUT': 7776000,\n"
    "                             'REFRESH_TIMEOUT_ON_RETRIEVAL': True}\n"
    "EXPLORE_FORM_DATA_CACHE_CONFIG = {'CACHE_TYPE': 'SupersetMetastoreCache',\n"
    "                                  'CACHE_DEFAULT_TIMEOUT': 604800,\n"
    "                                  'REFRESH_TIMEOUT_ON_RETRIEVAL': True}\n"
    "THUMBNAIL_CACHE_CONFIG = {'CACHE_TYPE': 'NullCache', 'CACHE_DEFAULT_TIMEOUT': 604800,\n"
    "                          'CACHE_NO_NULL_WARNING': True}\n"
    "RESULTS_BACKEND = None\n"
    "RESULTS_BACKEND_USE_MSGPACK = True\n"
    /* ---- global async queries ---- */
    "GLOBAL_ASYNC_QUERY_MANAGER_CLASS = 'superset.async_events.async_query_manager.AsyncQueryManager'\n"
    "GLOBAL_ASYNC_QUERIES_REDIS_STREAM_PREFIX = 'async-events-'\n"
    "GLOBAL_ASYNC_QUERIES_REDIS_STREAM_LIMIT = 1000\n"
    "GLOBAL_ASYNC_QUERIES_REDIS_STREAM_LIMIT_FIREHOSE = 1000000\n"
    "GLOBAL_ASYNC_QUERIES_REGISTER_REQUEST_HANDLERS = True\n"
    "GLOBAL_ASYNC_QUERIES_JWT_COOKIE_NAME = 'async-token'\n"
    "GLOBAL_ASYNC_QUERIES_JWT_COOKIE_SECURE = False\n"
    "GLOBAL_ASYNC_QUERIES_JWT_COOKIE_SAMESITE = None\n"
    "GLOBAL_ASYNC_QUERIES_JWT_COOKIE_DOMAIN = None\n"
    "GLOBAL_ASYNC_QUERIES_JWT_SECRET = 'test-secret-change-me'\n"
    "GLOBAL_ASYNC_QUERIES_TRANSPORT = 'polling'\n"
    "GLOBAL_ASYNC_QUERIES_POLLING_DELAY = 500\n"
    "GLOBAL_ASYNC_QUERIES_WEBSOCKET_URL = 'ws://127.0.0.1:8080/'\n"
    "GLOBAL_ASYNC_QUERIES_CACHE_BACKEND = {\n"
    "    'CACHE_TYPE': 'RedisCache',\n"
    "    'CACHE_REDIS_HOST': 'localhost',\n"
    "    'CACHE_REDIS_PORT': 6379,\n"
    "    'CACHE_REDIS_USER': '',\n"
    "    'CACHE_REDIS_PASSWORD': '',\n"
    "    'CACHE_REDIS_DB': 0,\n"
    "    'CACHE_DEFAULT_TIMEOUT': 300,\n"
    "    'CACHE_REDIS_SENTINELS': [('localhost', 26379)],\n"
    "    'CACHE_REDIS_SENTINEL_MASTER': 'mymaster',\n"
    "    'CACHE_REDIS_SENTINEL_PASSWORD': None,\n"
    "    'CACHE_REDIS_SSL': False,\n"
    "    'CACHE_REDIS_SSL_CERTFILE': None,\n"
    "    'CACHE_REDIS_SSL_KEYFILE': None,\n"
    "    'CACHE_REDIS_SSL_CERT_REQS': 'required',\n"
    "    'CACHE_REDIS_SSL_CA_CERTS': None,\n"
    "}\n"
    /* ---- feature flags (SUPERSET_FEATURE_<NAME> env vars are applied in C) ---- */
    "DEFAULT_FEATURE_FLAGS = {\n"
    "    'DRUID_JOINS': False,\n"
    "    'DYNAMIC_PLUGINS': False,\n"
    "    'ENABLE_TEMPLATE_PROCESSING': False,\n"
    "    'ENABLE_JAVASCRIPT_CONTROLS': False,\n"
    "    'PRESTO_EXPAND_DATA': False,\n"
    "    'THUMBNAILS': False,\n"
    "    'ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS': False,\n"
    "    'ENABLE_DASHBOARD_DOWNLOAD_WEBDRIVER_SCREENSHOT': False,\n"
    "    'TAGGING_SYSTEM': False,\n"
    "    'SQLLAB_BACKEND_PERSISTENCE': True,\n"
    "    'LISTVIEWS_DEFAULT_CARD_VIEW': False,\n"
    "    'ESCAPE_MARKDOWN_HTML': False,\n"
    "    'DASHBOARD_VIRTUALIZATION': True,\n"
    "    'GLOBAL_ASYNC_QUERIES': False,\n"
    "    'EMBEDDED_SUPERSET': False,\n"
    "    'ALERT_REPORTS': False,\n"
    "    'ALERT_REPORT_TABS': False,\n"
    "    'ALERT_REPORT_SLACK_V2': False,\n"
    "    'DASHBOARD_RBAC': False,\n"
    "    'ENABLE_ADVANCED_DATA_TYPES': False,\n"
    "    'ALERTS_ATTACH_REPORTS': True,\n"
    "    'ALLOW_FULL_CSV_EXPORT': False,\n"
    "    'ALLOW_ADHOC_SUBQUERY': False,\n"
    "    'USE_ANALOGOUS_COLORS': False,\n"
    "    'RLS_IN_SQLLAB': False,\n"
    "    'OPTIMIZE_SQL': False,\n"
    "    'IMPERSONATE_WITH_EMAIL_PREFIX': False,\n"
    "    'CACHE_IMPERSONATION': False,\n"
    "    'CACHE_QUERY_BY_USER': False,\n"
    "    'EMBEDDABLE_CHARTS': True,\n"
    "    'DRILL_TO_DETAIL': True,\n"
    "    'DRILL_BY': True,\n"
    "    'DATAPANEL_CLOSED_BY_DEFAULT': False,\n"
    "    'FILTERBAR_CLOSED_BY_DEFAULT': False,\n"
    "    'ESTIMATE_QUERY_COST': False,\n"
    "    'SSH_TUNNELING': False,\n"
    "    'AVOID_COLORS_COLLISION': True,\n"
    "    'MENU_HIDE_USER_INFO': False,\n"
    "    'ENABLE_SUPERSET_META_DB': False,\n"
    "    'PLAYWRIGHT_REPORTS_AND_THUMBNAILS': False,\n"
    "    'CHART_PLUGINS_EXPERIMENTAL': False,\n"
    "    'SQLLAB_FORCE_RUN_ASYNC': False,\n"
    "    'ENABLE_FACTORY_RESET_COMMAND': False,\n"
    "    'SLACK_ENABLE_AVATARS': False,\n"
    "    'CSS_TEMPLATES': True,\n"
    "    'DATE_FORMAT_IN_EMAIL_SUBJECT': False,\n"
    "    'DATASET_FOLDERS': False,\n"
    "    'AG_GRID_TABLE_ENABLED': False,\n"
    "    'TABLE_V2_TIME_COMPARISON_ENABLED': False,\n"
    "    'DATE_RANGE_TIMESHIFTS_ENABLED': False,\n"
    "}\n"
    "FEATURE_FLAGS = {}\n"
    /* ---- Liteset's own keys (documented at the top of this file) ---- */
    "LITESET_MAX_REQUEST_BODY = 104857600\n"
    "LITESET_DEV_ROUTES = False\n"
    "LITESET_PG_POOL_SIZE = 8\n"
    "LITESET_PG_QUERY_TIMEOUT = 60.0\n"
    "LITESET_FIBER_STACK_KB = 256\n"
    "LITESET_STATIC_DIR = None\n"
    "LITESET_REQUEST_TIMEOUT = 60.0\n"
    "LITESET_FAB_STATIC_DIR = None\n";

bool config_parse_bool_string(const char *s) {
    static const char *const truthy[] = {"y", "yes", "t", "true", "on", "1", NULL};
    if (!s) return false;
    for (int i = 0; truthy[i]; i++)
        if (strcasecmp(s, truthy[i]) == 0) return true;
    return false;
}

static void set_string(json_t *values, const char *key, const char *s) {
    json_object_set_new(values, key, json_string(s));
}

/* Superset reads these at import time; mirror each rule. */
static void apply_computed(json_t *values) {
    const char *secret = getenv("SUPERSET_SECRET_KEY");
    set_string(values, "SECRET_KEY",
               secret && *secret ? secret : SUPERSET_DEFAULT_SECRET_KEY);

    /* DATA_DIR: $SUPERSET_HOME, else ~/.superset */
    strbuf_t dir;
    strbuf_init(&dir, 128);
    const char *home = getenv("SUPERSET_HOME");
    if (home) {
        strbuf_puts(&dir, home);
    } else {
        const char *user_home = getenv("HOME");
        strbuf_puts(&dir, user_home && *user_home ? user_home : "~");
        strbuf_puts(&dir, "/.superset");
    }
    strbuf_t uri;
    strbuf_init(&uri, 160);
    strbuf_printf(&uri, "sqlite:///%s/superset.db?check_same_thread=false", dir.data);
    set_string(values, "SQLALCHEMY_DATABASE_URI", uri.data);
    strbuf_clear(&uri);
    strbuf_printf(&uri, "sqlite:///%s/examples.db?check_same_thread=false", dir.data);
    set_string(values, "SQLALCHEMY_EXAMPLES_URI", uri.data);
    set_string(values, "DATA_DIR", dir.data);
    strbuf_free(&uri);
    strbuf_free(&dir);

    json_object_set_new(values, "DEBUG", json_boolean(config_parse_bool_string(getenv("FLASK_DEBUG"))));

    /* TALISMAN_ENABLED: env value "true" (any case, trimmed) when set, else True */
    const char *tal = getenv("TALISMAN_ENABLED");
    bool tal_on = true;
    if (tal) {
        while (isspace((unsigned char)*tal)) tal++;
        size_t n = strlen(tal);
        while (n && isspace((unsigned char)tal[n - 1])) n--;
        tal_on = n == 4 && strncasecmp(tal, "true", 4) == 0;
    }
    json_object_set_new(values, "TALISMAN_ENABLED", json_boolean(tal_on));

    const char *env = getenv("SUPERSET_ENV");
    json_object_set_new(values, "RATELIMIT_ENABLED",
                        json_boolean(env && strcmp(env, "production") == 0));
    const char *mapbox = getenv("MAPBOX_API_KEY");
    set_string(values, "MAPBOX_API_KEY", mapbox ? mapbox : "");
}

/* SUPERSET_FEATURE_<NAME>=<bool string> updates DEFAULT_FEATURE_FLAGS. */
static void apply_feature_env(json_t *values) {
    extern char **environ;
    static const char prefix[] = "SUPERSET_FEATURE_";
    json_t *flags = json_object_get(values, "DEFAULT_FEATURE_FLAGS");
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, prefix, sizeof prefix - 1) != 0) continue;
        const char *name = *e + sizeof prefix - 1;
        const char *eq = strchr(name, '=');
        if (!eq || eq == name) continue;
        char *key = strndup(name, (size_t)(eq - name));
        if (!key) continue;
        json_object_set_new(flags, key, json_boolean(config_parse_bool_string(eq + 1)));
        free(key);
    }
}

static void warn_default(void *ud, const char *key, const char *why) {
    (void)ud;
    log_error("config: built-in default %s did not parse: %s", key, why);
}

bool config_defaults_apply(json_t *values) {
    const char *err = NULL;
    json_t *defaults = pyliteral_parse_file(config_defaults_source, strlen(config_defaults_source),
                                            warn_default, NULL, &err);
    if (!defaults) {
        log_error("config: built-in defaults did not parse: %s", err);
        return false;
    }
    json_object_update(values, defaults);
    json_decref(defaults);
    apply_computed(values);
    apply_feature_env(values);
    return true;
}
