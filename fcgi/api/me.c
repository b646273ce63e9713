/* Superset's CurrentUserRestApi: GET /api/v1/me/ and /api/v1/me/roles/.
 * No permission check; only the session user counts (a bearer token alone
 * gets 401, as in the reference). */
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/spa/bootstrap.h"
#include "domain/user.h"

static sec_user_t *session_user(request_t *req) {
    sec_user_t *u = auth_current_user(req);
    if (!u || u->is_guest) {
        error_fab(req, 401, "Not authorized");
        return NULL;
    }
    return u;
}

static json_t *login_count(const sec_user_t *u) {
    return u->login_count < 0 ? json_null() : json_integer(u->login_count);
}

static void get_me(request_t *req) {
    sec_user_t *u = session_user(req);
    if (!u) return;
    json_t *r = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:o}", "id", (json_int_t)u->id, "username", u->username,
                          "email", u->email, "first_name", u->first_name, "last_name", u->last_name, "is_active",
                          u->active, "is_anonymous", 0, "login_count", login_count(u));
    resp_json(req, 200, json_pack("{s:o}", "result", r), JSON_FLASK);
}

/* bootstrap_user_data(user, include_perms=True), shared with the SPA bootstrap. */
static void get_my_roles(request_t *req) {
    sec_user_t *u = session_user(req);
    if (!u) return;
    resp_json(req, 200, json_pack("{s:o}", "result", spa_bootstrap_user(req, u)), JSON_FLASK);
}

/* CurrentUserPutSchema: first_name / last_name Length(1, 64), password. */
static json_t *validate_me(request_t *req, json_t *body) {
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        bool known = !strcmp(key, "first_name") || !strcmp(key, "last_name") || !strcmp(key, "password");
        const char *problem = NULL;
        if (!known) problem = "Unknown field.";
        else if (json_is_null(v)) problem = "Field may not be null.";
        else if (!json_is_string(v)) problem = "Not a valid string.";
        else if (strcmp(key, "password") && (json_string_length(v) < 1 || json_string_length(v) > 64))
            problem = "Length must be between 1 and 64.";
        if (problem) json_object_set_new(errors, key, json_pack("[s]", arena_strdup(req->arena, problem)));
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

static void put_me(request_t *req) {
    sec_user_t *u = session_user(req);
    if (!u) return;
    json_t *body = json_loadb(req->body.data, req->body.len, 0, NULL);
    if (!body || !req_is_json(req)) { /* @requires_json inside @safe */
        json_decref(body);
        error_fab(req, 500, "Fatal error");
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    json_t *errors = json_is_object(body) ? validate_me(req, body) : json_pack("{s:[s]}", "_schema", "Invalid input type.");
    if (errors) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    if (json_object_size(body) == 0) {
        error_fab(req, 400, "At least one field must be provided.");
        return;
    }
    const char *id = arena_sprintf(req->arena, "%lld", (long long)u->id);
    const char *first = json_string_value(json_object_get(body, "first_name"));
    const char *last = json_string_value(json_object_get(body, "last_name"));
    const char *pw = json_string_value(json_object_get(body, "password"));
    /* an empty password leaves the hash alone, as Superset does */
    char *hash = pw && *pw ? user_password_hash(pw) : NULL;
    const char *p[] = {id, first, last, hash};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "UPDATE ab_user SET first_name = coalesce($2, first_name), last_name = coalesce($3, last_name),"
                              " password = coalesce($4, password), changed_on = localtimestamp, changed_by_fk = $1::int"
                              " WHERE id = $1::int",
                              4, p);
    free(hash);
    if (!r || (pw && *pw && !hash)) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    if (first) u->first_name = first;
    if (last) u->last_name = last;
    get_me(req);
}

/* UserRestApi.avatar: the stored avatar URL (301), or 204. Slack avatars
 * (SLACK_ENABLE_AVATARS) are not fetched by Liteset. */
static void avatar(request_t *req) {
    const char *id = req_path_param(req, "user_id");
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT (SELECT a.avatar_url FROM user_attribute a WHERE a.user_id = u.id"
                              " AND a.avatar_url IS NOT NULL AND a.avatar_url <> '' ORDER BY a.id LIMIT 1)"
                              " FROM ab_user u WHERE u.id = $1::int",
                              1, &id);
    if (!r) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    if (pg_nrows(r) == 0) {
        error_fab(req, 404, "Not found");
        return;
    }
    const char *url = pg_get(r, 0, 0);
    if (url) {
        resp_redirect(req, 301, url);
        return;
    }
    resp_body(req, 204, NULL, "", 0);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/me/", get_me, GUARD_PUBLIC, 0, NULL},
    {"PUT", "/api/v1/me/", put_me, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/user/<int:user_id>/avatar.png", avatar, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/me/roles/", get_my_roles, GUARD_PUBLIC, 0, NULL},
};

const route_table_t me_routes = {routes, sizeof routes / sizeof routes[0], NULL};
