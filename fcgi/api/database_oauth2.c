/* GET /api/v1/database/oauth2/: Superset's DatabaseRestApi.oauth2, the
 * redirect target of a database OAuth2 provider. No permission check (the
 * provider's redirect carries no session guarantee); the `state` JWT, signed
 * with SECRET_KEY under DATABASE_OAUTH2_JWT_ALGORITHM, says which database
 * and user the code is for. Answers, in the reference's order:
 *
 * - an `error` argument: OAuth2Error, 500 OAUTH2_REDIRECT_ERROR carrying it;
 * - no `state`: the KeyError reaches the app's catch-all handler (500,
 *   message "'state'"; the static 500 page for HTML clients);
 * - a state PyJWT refuses (format, signature, "Signature has expired"), or
 *   whose claims OAuth2StateSchema refuses: the same handler with PyJWT's
 *   text or marshmallow's error dict;
 * - an unknown database: DatabaseNotFoundError through the CommandException
 *   handler (404 GENERIC_COMMAND_ERROR, or the 500 page for HTML clients);
 * - no OAuth2 client configuration (neither `oauth2_client_info` in the
 *   database's encrypted extra nor a DATABASE_OAUTH2_CLIENTS entry for its
 *   engine): OAuth2Error "No configuration found for OAuth2".
 *
 * With a configuration the reference exchanges the code for tokens at the
 * provider, stores them and renders a page that messages its opener and
 * closes. Liteset connects to PostgreSQL only, whose engine does not do
 * OAuth2, and makes no outgoing HTTP requests: it answers an OAuth2Error
 * saying so (docs/compatibility.md). */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/encrypted_type.h"
#include "lib/jwt.h"
#include "lib/py_unicode.h"
#include "lib/sqla_url.h"

#define SQL_DATABASE "SELECT sqlalchemy_uri, encrypted_extra FROM dbs WHERE id = $1::bigint"
#define NOT_SUPPORTED                                                                                                 \
    "Liteset cannot complete OAuth2 for database connections: it makes no token requests to OAuth2 providers"

/* SupersetError list (json.dumps spacing, dataclass key order). */
static void superset_error(request_t *req, int status, const char *message, const char *type, const char *level,
                           json_t *extra) {
    json_t *err = json_pack("{s:s,s:s,s:s,s:o}", "message", message, "error_type", type, "level", level, "extra", extra);
    resp_json(req, status, json_pack("{s:[o]}", "errors", err), JSON_ENSURE_ASCII);
    req->from_error_handler = true;
}

static void oauth2_error(request_t *req, const char *error) {
    superset_error(req, 500, "Something went wrong while doing OAuth2", "OAUTH2_REDIRECT_ERROR", "error",
                   json_pack("{s:s}", "error", error));
}

static bool html_page(request_t *req) {
    const error_pages_t *pages = app_error_pages(req->app);
    if (!pages || !pages->html_500 || config_bool(req->cfg, "DEBUG", false) || !req_accepts(req, "text/html"))
        return false;
    resp_body(req, 500, "text/html; charset=utf-8", pages->html_500, pages->len_500);
    resp_set_header(req, "Cache-Control", "no-cache");
    req->from_error_handler = true;
    return true;
}

/* The app's catch-all handler (show_unexpected_exception). */
static void unexpected(request_t *req, const char *message) {
    if (html_page(req)) return;
    superset_error(req, 500, message, "GENERIC_BACKEND_ERROR", "error",
                   json_pack("{s:[{s:i,s:s}]}", "issue_codes", "code", 1011, "message",
                             "Issue 1011 - Superset encountered an unexpected error."));
}

/* The CommandException handler for DatabaseNotFoundError. */
static void database_not_found(request_t *req) {
    if (html_page(req)) return;
    superset_error(req, 404, "Database not found", "GENERIC_COMMAND_ERROR", "warning",
                   json_pack("{s:[{s:i,s:s}]}", "issue_codes", "code", 1010, "message",
                             "Issue 1010 - Superset encountered an error while running a command."));
}

/* Python int() of a str: surrounding whitespace, a sign, decimal digits
 * (any script) with single underscores between them. */
static bool py_int_text(const char *s, long long *out) {
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    bool neg = i < n && s[i] == '-';
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    long long v = 0;
    bool digit_before = false, overflow = false;
    while (i < n) {
        if (s[i] == '_' && digit_before && i + 1 < n && s[i + 1] != '_') {
            i++;
            digit_before = false;
            continue;
        }
        int d = py_char_decimal(py_utf8_next(s, n, &i));
        if (d < 0) return false;
        if (v > (LLONG_MAX - d) / 10) overflow = true;
        else v = v * 10 + d;
        digit_before = true;
    }
    if (!digit_before) return false;
    *out = overflow ? LLONG_MAX : neg ? -v : v; /* beyond 64 bits no database can match */
    return true;
}

/* fields.Int(): the error text, or NULL with *out set. */
static const char *int_field(const json_t *v, long long *out) {
    if (json_is_null(v)) return "['Field may not be null.']";
    if (json_is_integer(v)) return *out = json_integer_value(v), NULL;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        *out = d >= 9.2e18 ? LLONG_MAX : d <= -9.2e18 ? LLONG_MIN : (long long)d;
        return NULL;
    }
    if (json_is_string(v) && py_int_text(json_string_value(v), out)) return NULL;
    return "['Not a valid integer.']";
}

static const char *str_field(const json_t *v) {
    if (json_is_null(v)) return "['Field may not be null.']";
    return json_is_string(v) ? NULL : "['Not a valid string.']";
}

/* OAuth2StateSchema().load(claims) (unknown keys excluded): NULL with the
 * database id, or the repr of marshmallow's error dict. */
static const char *state_error(request_t *req, const json_t *claims, long long *database_id) {
    static const struct {
        const char *name;
        bool is_int;
    } fields[] = {{"database_id", true}, {"user_id", true}, {"default_redirect_uri", false}, {"tab_id", false}};
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    long long user_id = 0;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        const json_t *v = json_object_get(claims, fields[f].name);
        const char *e = !v                ? "['Missing data for required field.']"
                        : fields[f].is_int ? int_field(v, f == 0 ? database_id : &user_id)
                                           : str_field(v);
        if (!e) continue;
        strbuf_printf(&sb, "%s'%s': %s", sb.len ? ", " : "{", fields[f].name, e);
    }
    if (!sb.len) return NULL;
    strbuf_putc(&sb, '}');
    return sb.data;
}

/* Whether the database has an OAuth2 client configuration. For engines
 * other than PostgreSQL (whose DATABASE_OAUTH2_CLIENTS key would be their
 * engine spec's name) any configured client counts. */
static bool has_oauth2_config(request_t *req, const char *uri, const char *encrypted_extra) {
    const char *extra = encrypted_extra ? encrypted_type_decrypt(req->arena, config_str(req->cfg, "SECRET_KEY", ""),
                                                                 encrypted_extra)
                                        : NULL;
    json_t *parsed = extra ? json_loads(extra, JSON_DECODE_ANY, NULL) : NULL;
    const json_t *info = json_object_get(parsed, "oauth2_client_info");
    bool configured = info && !json_is_null(info) && !json_is_false(info) &&
                      !(json_is_object(info) && json_object_size(info) == 0) &&
                      !(json_is_array(info) && json_array_size(info) == 0) &&
                      !(json_is_string(info) && json_string_length(info) == 0) &&
                      !(json_is_integer(info) && json_integer_value(info) == 0);
    json_decref(parsed);
    if (configured) return true;
    const json_t *clients = config_get(req->cfg, "DATABASE_OAUTH2_CLIENTS");
    if (!json_is_object(clients) || json_object_size(clients) == 0) return false;
    sqla_url_t url;
    bool postgres = sqla_url_parse(req->arena, uri ? uri : "", &url) && url.backend &&
                    (!strcmp(url.backend, "postgresql") || !strcmp(url.backend, "postgres"));
    return !postgres || json_object_get(clients, "PostgreSQL");
}

static void oauth2(request_t *req) {
    const char *error = req_query_arg(req, "error");
    if (error && *error) return oauth2_error(req, error);
    const char *state = req_query_arg(req, "state");
    if (!state) return unexpected(req, "'state'");
    strbuf_t token;
    strbuf_init_arena(&token, req->arena, strlen(state) + 1);
    for (const char *p = state; *p;) { /* the "%2E" Google needs for periods */
        if (!strncmp(p, "%2E", 3)) strbuf_putc(&token, '.'), p += 3;
        else strbuf_putc(&token, *p++);
    }
    const char *secret = config_str(req->cfg, "SECRET_KEY", "");
    jwt_verify_opts_t opts = {
        .alg = config_str(req->cfg, "DATABASE_OAUTH2_JWT_ALGORITHM", "HS256"),
        .key = secret,
        .key_len = strlen(secret),
        .now = (int64_t)time(NULL),
    };
    json_t *claims = NULL;
    const char *msg = NULL;
    if (jwt_decode(req->arena, token.data, &opts, &claims, &msg) != JWT_OK) return unexpected(req, msg);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, claims);
    long long database_id = 0;
    const char *bad = state_error(req, claims, &database_id);
    if (bad) return unexpected(req, bad);
    const char *id = arena_sprintf(req->arena, "%lld", database_id);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, SQL_DATABASE, 1, &id);
    if (!r) return unexpected(req, err.message ? err.message : "database error");
    if (pg_nrows(r) == 0) return database_not_found(req);
    if (!has_oauth2_config(req, pg_get(r, 0, 0), pg_get(r, 0, 1)))
        return oauth2_error(req, "No configuration found for OAuth2");
    oauth2_error(req, NOT_SUPPORTED);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/database/oauth2/", oauth2, GUARD_PUBLIC, 0, NULL},
};

const route_table_t database_oauth2_routes = {routes, sizeof routes / sizeof routes[0], NULL};
