/* Flask-AppBuilder's SecurityApi (JWT login and refresh) and Superset's
 * SecurityRestApi csrf_token, under /api/v1/security. Login and refresh are
 * CSRF-exempt (FAB blueprint); csrf_token needs can_read on SecurityRestApi. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "domain/user.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "lib/jwt.h"
#include "lib/uuid.h"

static const char *jwt_secret(const request_t *req, size_t *len) {
    const char *k = config_str(req->cfg, "JWT_SECRET_KEY", NULL);
    if (!k || !*k) k = config_str(req->cfg, "SECRET_KEY", "");
    *len = strlen(k);
    return k;
}

/* flask-jwt-extended's claim order: fresh, iat, jti, type, sub, nbf, csrf, exp. */
static char *make_token(request_t *req, int64_t user_id, const char *type, bool fresh, const char *expires_key,
                        double default_expiry) {
    int64_t now = (int64_t)time(NULL);
    int64_t exp = now + (int64_t)config_real(req->cfg, expires_key, default_expiry);
    char *payload = arena_sprintf(req->arena,
                                  "{\"fresh\":%s,\"iat\":%lld,\"jti\":\"%s\",\"type\":\"%s\",\"sub\":\"%lld\","
                                  "\"nbf\":%lld,\"csrf\":\"%s\",\"exp\":%lld}",
                                  fresh ? "true" : "false", (long long)now, uuid4_text(req->arena), type,
                                  (long long)user_id, (long long)now, uuid4_text(req->arena), (long long)exp);
    size_t klen;
    const char *key = jwt_secret(req, &klen);
    return jwt_encode(req->arena, config_str(req->cfg, "JWT_ALGORITHM", "HS256"), key, klen, payload);
}

static void add_error(json_t *errors, const char *field, const char *msg) {
    json_t *list = json_object_get(errors, field);
    if (!list) {
        list = json_array();
        json_object_set_new(errors, field, list);
    }
    json_array_append_new(list, json_string(msg));
}

/* marshmallow String(required, Length(min=1)) */
static const char *string_field(const json_t *body, json_t *errors, const char *name, bool required) {
    const json_t *v = json_object_get(body, name);
    if (!v) {
        if (required) add_error(errors, name, "Missing data for required field.");
        return NULL;
    }
    if (json_is_null(v)) {
        add_error(errors, name, "Field may not be null.");
        return NULL;
    }
    if (!json_is_string(v)) {
        add_error(errors, name, "Not a valid string.");
        return NULL;
    }
    return json_string_value(v);
}

static const char *provider_name(const config_t *cfg) {
    switch (config_int(cfg, "AUTH_TYPE", 1)) {
    case 1: return "db";
    case 2: return "ldap";
    default: return NULL; /* OAuth / remote user: either provider accepted */
    }
}

/* Validates LoginPost; NULL errors object when valid. */
static json_t *validate_login(const request_t *req, const json_t *body) {
    json_t *errors = json_object();
    if (!json_is_object(body)) {
        add_error(errors, "_schema", "Invalid input type.");
        return errors;
    }
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        if (strcmp(key, "username") && strcmp(key, "password") && strcmp(key, "provider") && strcmp(key, "refresh"))
            add_error(errors, key, "Unknown field.");
    }
    const char *username = string_field(body, errors, "username", true);
    if (username && !*username) add_error(errors, "username", "Shorter than minimum length 1.");
    const json_t *pw = json_object_get(body, "password");
    const char *password = string_field(body, errors, "password", true);
    if (password && json_string_length(pw) == 0) add_error(errors, "password", "Shorter than minimum length 1.");
    if (password && json_string_length(pw) > 0) {
        bool all_nul = true;
        for (size_t i = 0; i < json_string_length(pw); i++) all_nul = all_nul && password[i] == '\0';
        if (all_nul) add_error(errors, "password", "Password null is not allowed");
    }
    const char *provider = string_field(body, errors, "provider", false);
    if (provider) {
        if (strcmp(provider, "db") && strcmp(provider, "ldap")) add_error(errors, "provider", "Must be one of: db, ldap.");
        const char *mine = provider_name(req->cfg);
        if (!config_bool(req->cfg, "AUTH_API_LOGIN_ALLOW_MULTIPLE_PROVIDERS", false) && mine && strcmp(mine, provider))
            add_error(errors, "provider", "Alternative authentication provider is not allowed");
    }
    const json_t *refresh = json_object_get(body, "refresh");
    if (refresh && !json_is_boolean(refresh) && !json_is_null(refresh)) {
        bool ok = json_is_integer(refresh) && (json_integer_value(refresh) == 0 || json_integer_value(refresh) == 1);
        if (!ok) add_error(errors, "refresh", "Not a valid boolean.");
    } else if (json_is_null(refresh)) {
        add_error(errors, "refresh", "Field may not be null.");
    }
    if (json_object_size(errors) == 0) {
        json_decref(errors);
        return NULL;
    }
    return errors;
}

static void login(request_t *req) {
    if (!req_is_json(req)) {
        error_fab(req, 400, "Request payload is not JSON");
        return;
    }
    json_error_t jerr;
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, &jerr);
    if (!body) {
        error_fab(req, 400, "400 Bad Request: The browser (or proxy) sent a request that this server could not "
                            "understand.");
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    json_t *errors = validate_login(req, body);
    if (errors) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    const char *provider = json_string_value(json_object_get(body, "provider"));
    if (!provider) { /* FAB indexes the payload without a default: the handler fails */
        error_fab(req, 500, "Fatal error");
        return;
    }
    if (strcmp(provider, "db")) {
        /* A clear failure, never a silent "wrong password": see docs/compatibility.md */
        error_fab(req, 500, "LDAP authentication is not supported by Liteset");
        return;
    }
    sec_user_t *u = NULL;
    login_result_t r = user_auth_db(app_pg(req->app), req->arena, json_string_value(json_object_get(body, "username")),
                                    json_string_value(json_object_get(body, "password")), &u);
    if (r == LOGIN_ERROR) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    if (r != LOGIN_OK) {
        error_fab(req, 401, "Not authorized");
        return;
    }
    req->user_name = u->username;
    json_t *out = json_object();
    json_object_set_new(out, "access_token",
                        json_string(make_token(req, u->id, "access", true, "JWT_ACCESS_TOKEN_EXPIRES", 900)));
    if (json_is_true(json_object_get(body, "refresh")) || json_integer_value(json_object_get(body, "refresh")) == 1)
        json_object_set_new(out, "refresh_token",
                            json_string(make_token(req, u->id, "refresh", false, "JWT_REFRESH_TOKEN_EXPIRES", 2592000)));
    resp_json(req, 200, out, JSON_FLASK);
}

static void refresh(request_t *req) {
    int64_t id = 0;
    sec_user_t *u = auth_bearer_user(req, true, &id);
    if (!u) return;
    req->user_name = u->username;
    json_t *out = json_pack("{s:s}", "access_token",
                            make_token(req, u->id, "access", false, "JWT_ACCESS_TOKEN_EXPIRES", 900));
    resp_json(req, 200, out, JSON_FLASK);
}

static void csrf_token(request_t *req) {
    resp_json(req, 200, json_pack("{s:s}", "result", auth_csrf_token(req)), JSON_FLASK);
}

/* ---- guest tokens (embedded dashboards) ---- */

static bool is_string_field(json_t *obj, const char *key, json_t *errs, bool required) {
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required) add_error(errs, key, "Missing data for required field.");
        return false;
    }
    if (json_is_null(v)) {
        add_error(errs, key, "Field may not be null.");
        return false;
    }
    if (!json_is_string(v)) {
        add_error(errs, key, "Not a valid string.");
        return false;
    }
    return true;
}

static void set_nested(json_t *errors, const char *field, size_t index, json_t *item_errors) {
    if (!json_object_size(item_errors)) {
        json_decref(item_errors);
        return;
    }
    json_t *f = json_object_get(errors, field);
    if (!f) {
        f = json_object();
        json_object_set_new(errors, field, f);
    }
    char k[24];
    snprintf(k, sizeof k, "%zu", index);
    json_object_set_new(f, k, item_errors);
}

/* GuestTokenCreateSchema (unknown keys ignored at every level). Builds the
 * claim values into *user, *resources, *rls on success. */
static json_t *validate_guest(json_t *body, json_t **user, json_t **resources, json_t **rls) {
    json_t *errors = json_object();
    if (!json_is_object(body)) {
        add_error(errors, "_schema", "Invalid input type.");
        return errors;
    }
    json_t *u = json_object_get(body, "user");
    *user = json_object();
    if (json_is_object(u)) {
        json_t *ue = json_object();
        static const char *const keys[] = {"username", "first_name", "last_name"};
        for (size_t i = 0; i < 3; i++)
            if (is_string_field(u, keys[i], ue, false))
                json_object_set(*user, keys[i], json_object_get(u, keys[i]));
        if (json_object_size(ue)) json_object_set_new(errors, "user", ue);
        else json_decref(ue);
    } else if (u) {
        add_error(errors, "user", json_is_null(u) ? "Field may not be null." : "Invalid input type.");
    }
    json_t *res = json_object_get(body, "resources");
    *resources = json_array();
    if (!res) add_error(errors, "resources", "Missing data for required field.");
    else if (!json_is_array(res)) add_error(errors, "resources", "Not a valid list.");
    size_t i;
    json_t *item;
    json_array_foreach(json_is_array(res) ? res : NULL, i, item) {
        json_t *ie = json_object();
        if (!json_is_object(item)) {
            add_error(ie, "_schema", "Invalid input type.");
        } else {
            json_t *type = json_object_get(item, "type");
            if (!type) add_error(ie, "type", "Missing data for required field.");
            else if (!json_is_string(type) || strcmp(json_string_value(type), "dashboard"))
                add_error(ie, "type", "Must be one of: dashboard.");
            if (is_string_field(item, "id", ie, true) && json_object_size(ie) == 0)
                json_array_append_new(*resources, json_pack("{s:s,s:O}", "type", "dashboard", "id",
                                                            json_object_get(item, "id")));
        }
        set_nested(errors, "resources", i, ie);
    }
    json_t *rl = json_object_get(body, "rls");
    *rls = json_array();
    if (!rl) add_error(errors, "rls", "Missing data for required field.");
    else if (!json_is_array(rl)) add_error(errors, "rls", "Not a valid list.");
    json_array_foreach(json_is_array(rl) ? rl : NULL, i, item) {
        json_t *ie = json_object();
        json_t *rule = json_object();
        if (!json_is_object(item)) {
            add_error(ie, "_schema", "Invalid input type.");
        } else {
            json_t *ds = json_object_get(item, "dataset");
            if (json_is_integer(ds)) {
                json_object_set(rule, "dataset", ds);
            } else if (json_is_string(ds) && *json_string_value(ds) &&
                       strspn(json_string_value(ds), "0123456789") == strlen(json_string_value(ds))) {
                json_object_set_new(rule, "dataset", json_integer(strtoll(json_string_value(ds), NULL, 10)));
            } else if (ds) {
                add_error(ie, "dataset", json_is_null(ds) ? "Field may not be null." : "Not a valid integer.");
            }
            if (is_string_field(item, "clause", ie, true)) json_object_set(rule, "clause", json_object_get(item, "clause"));
        }
        if (json_object_size(ie) == 0) json_array_append(*rls, rule);
        json_decref(rule);
        set_nested(errors, "rls", i, ie);
    }
    if (json_object_size(errors) == 0) {
        json_decref(errors);
        return NULL;
    }
    json_decref(*user);
    json_decref(*resources);
    json_decref(*rls);
    *user = *resources = *rls = NULL;
    return errors;
}

/* A resource id names a dashboard (id, UUID or slug) or an embedded dashboard UUID. */
static bool dashboard_exists(request_t *req, const char *id, bool *db_error) {
    pg_error_t err;
    const char *sql =
        "SELECT 1 FROM dashboards WHERE (CASE WHEN $1 ~ '^[0-9]{1,9}$' THEN id = $1::int ELSE false END)"
        " OR uuid::text = lower($1) OR slug = $1"
        " UNION ALL SELECT 1 FROM embedded_dashboards WHERE uuid::text = lower($1) LIMIT 1";
    pg_result_t *r = pg_query_prepared(app_pg(req->app), req->arena, &err, "guest_resource", sql, 1, &id);
    *db_error = r == NULL;
    return r && pg_nrows(r) > 0;
}

static void guest_token(request_t *req) {
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        error_http_desc(req, 400, "The browser (or proxy) sent a request that this server could not understand.");
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    json_t *user, *resources, *rls;
    json_t *errors = validate_guest(body, &user, &resources, &rls);
    if (errors) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    json_t *claims = json_object();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, claims);
    json_object_set_new(claims, "user", user);
    json_object_set_new(claims, "resources", resources);
    json_object_set_new(claims, "rls_rules", rls);
    size_t i;
    json_t *res;
    json_array_foreach(resources, i, res) {
        bool db_error;
        if (!dashboard_exists(req, json_string_value(json_object_get(res, "id")), &db_error)) {
            if (db_error) error_fab(req, 500, "Fatal error");
            else error_fab(req, 400, "EmbeddedDashboard not found.");
            return;
        }
    }
    double now = ev_time();
    const char *aud = config_str(req->cfg, "GUEST_TOKEN_JWT_AUDIENCE", NULL);
    if (!aud) aud = config_str(req->cfg, "WEBDRIVER_BASEURL", "http://0.0.0.0:8080/");
    json_object_set_new(claims, "iat", json_real(now));
    json_object_set_new(claims, "exp", json_real(now + config_real(req->cfg, "GUEST_TOKEN_JWT_EXP_SECONDS", 300)));
    json_object_set_new(claims, "aud", json_string(aud));
    json_object_set_new(claims, "type", json_string("guest"));
    size_t len;
    const char *payload = json_dump_arena(req->arena, claims, JSON_PY_COMPACT, &len);
    const char *secret = config_str(req->cfg, "GUEST_TOKEN_JWT_SECRET", "");
    char *token = jwt_encode(req->arena, config_str(req->cfg, "GUEST_TOKEN_JWT_ALGO", "HS256"), secret,
                             strlen(secret), payload);
    resp_json(req, 200, json_pack("{s:s}", "token", token), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/security/login", login, GUARD_PUBLIC, ROUTE_CSRF_EXEMPT, NULL},
    {"POST", "/api/v1/security/refresh", refresh, GUARD_PUBLIC, ROUTE_CSRF_EXEMPT, NULL},
    {"GET", "/api/v1/security/csrf_token/", csrf_token, GUARD("can_read", "SecurityRestApi"), 0, NULL},
    {"POST", "/api/v1/security/guest_token/", guest_token, GUARD("can_grant_guest_token", "SecurityRestApi"), 0, NULL},
};

const route_table_t security_routes = {routes, sizeof routes / sizeof routes[0], NULL};
