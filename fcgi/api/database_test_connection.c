/* POST /api/v1/database/test_connection/: DatabaseTestConnectionSchema
 * (400 with marshmallow messages; dynamic_form parameters build the URI),
 * then a SELECT 1 on a private connection with the connect timeout of
 * TEST_DATABASE_CONNECTION_TIMEOUT. A masked password of a known database
 * name is replaced by the stored one. Failures answer 400 with the
 * PostgreSQL engine spec's classified errors (SIP-40). */
#include <string.h>

#include "domain/target_db.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "lib/encrypted_type.h"
#include "lib/json.h"
#include "lib/sqla_url.h"
#include "lib/strbuf.h"
#include "persistence/target_pool.h"

typedef enum { T_STR, T_BOOL, T_OBJ } ftype_t;
static const struct {
    const char *name;
    ftype_t type;
    bool nullable;
} fields[] = {
    {"engine", T_STR, false}, {"driver", T_STR, true}, {"parameters", T_OBJ, false},
    {"configuration_method", T_STR, false}, {"database_name", T_STR, true}, {"impersonate_user", T_BOOL, false},
    {"extra", T_STR, false}, {"masked_encrypted_extra", T_STR, true}, {"server_cert", T_STR, true},
    {"sqlalchemy_uri", T_STR, false}, {"ssh_tunnel", T_OBJ, true}, {NULL, 0, false},
};

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!json_is_array(l)) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

/* A URI from dynamic_form parameters (BasicParametersMixin.build_sqlalchemy_uri). */
static const char *uri_from_parameters(arena_t *a, json_t *params, json_t *errors) {
    static const char *const required[] = {"database", "host", "port", "username", NULL};
    for (size_t i = 0; required[i]; i++)
        if (!json_object_get(params, required[i])) add_msg(errors, "parameters", "Missing data for required field.");
    if (json_object_size(errors)) return NULL;
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 128);
    strbuf_puts(&sb, "postgresql+psycopg2://");
    const char *user = json_string_value(json_object_get(params, "username"));
    const char *pw = json_string_value(json_object_get(params, "password"));
    if (user) strbuf_puts(&sb, user);
    if (pw && *pw) strbuf_printf(&sb, ":%s", pw);
    strbuf_printf(&sb, "@%s:%lld/%s", json_string_value(json_object_get(params, "host")) ?: "",
                  (long long)json_integer_value(json_object_get(params, "port")),
                  json_string_value(json_object_get(params, "database")) ?: "");
    bool first = true;
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(params, "query"), k, v) if (json_is_string(v)) {
        strbuf_printf(&sb, "%c%s=%s", first ? '?' : '&', k, json_string_value(v));
        first = false;
    }
    if (json_is_true(json_object_get(params, "encryption"))) strbuf_printf(&sb, "%csslmode=require", first ? '?' : '&');
    return sb.data;
}

json_t *database_connect_error(request_t *req, const char *raw) {
    static const struct {
        const char *needle, *quote_after; /* value = text between the quotes after needle (or NULL) */
        const char *type, *fmt, *invalid1, *invalid2;
        int code1, code2;
    } rules[] = {
        {"role \"", "role \"", "CONNECTION_INVALID_USERNAME_ERROR", "The username \"%s\" does not exist.", "username",
         NULL, 1012, 0},
        {"password authentication failed for user \"", "user \"", "CONNECTION_INVALID_PASSWORD_ERROR",
         "The password provided for username \"%s\" is incorrect.", "username", "password", 1013, 0},
        {"no password supplied", NULL, "CONNECTION_ACCESS_DENIED_ERROR", "Please re-enter the password.", "password",
         NULL, 1014, 1015},
        {"database \"", "database \"", "CONNECTION_UNKNOWN_DATABASE_ERROR", "Unable to connect to database \"%s\".",
         "database", NULL, 1015, 0},
    };
    static const char *const issue_text[] = {
        [12] = "The username provided when connecting to a database is not valid.",
        [13] = "The password provided when connecting to a database is not valid.",
        [14] = "Either the username or the password is wrong.",
        [15] = "Either the database is spelled incorrectly or does not exist.",
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const char *at = strstr(raw, rules[i].needle);
        if (!at) continue;
        if (i == 0 && !strstr(at, "\" does not exist")) continue;
        if (i == 3 && !strstr(at, "\" does not exist")) continue;
        const char *val = "";
        if (rules[i].quote_after) {
            const char *s = strstr(at, rules[i].quote_after) + strlen(rules[i].quote_after);
            val = arena_strndup(req->arena, s, strcspn(s, "\""));
        }
        json_t *codes = json_array();
        for (int c = 0; c < 2; c++) {
            int code = c ? rules[i].code2 : rules[i].code1;
            if (code) json_array_append_new(codes, json_pack("{s:i,s:s}", "code", code, "message",
                                                             arena_sprintf(req->arena, "Issue %d - %s", code,
                                                                           issue_text[code - 1000])));
        }
        json_t *invalid = json_pack("[s]", rules[i].invalid1);
        if (rules[i].invalid2) json_array_append_new(invalid, json_string(rules[i].invalid2));
        return json_pack("{s:s,s:s,s:s,s:{s:o,s:s,s:o}}", "message", arena_sprintf(req->arena, rules[i].fmt, val),
                         "error_type", rules[i].type, "level", "error", "extra", "invalid", invalid, "engine_name",
                         "PostgreSQL", "issue_codes", codes);
    }
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:[{s:i,s:s}]}}", "message", raw, "error_type", "GENERIC_DB_ENGINE_ERROR",
                     "level", "error", "extra", "engine_name", "PostgreSQL", "issue_codes", "code", 1002, "message",
                     "Issue 1002 - The database returned an unexpected error.");
}

void database_test_connection(request_t *req) {
    if (!req_is_json(req))
        return dataset_sip40(req, 400, "INVALID_PAYLOAD_FORMAT_ERROR", "Request is not JSON", NULL, 1019,
                             "The submitted payload has the incorrect format.");
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) return error_http(req, 400);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    json_t *errors = json_object();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, errors);
    if (!json_is_object(body)) add_msg(errors, "_schema", "Invalid input type.");
    /* pre_load: encrypted_extra is accepted under its old name */
    json_t *old = json_object_get(body, "encrypted_extra");
    if (old) {
        json_object_set(body, "masked_encrypted_extra", old);
        json_object_del(body, "encrypted_extra");
    }
    const char *key;
    json_t *v;
    json_object_foreach(json_is_object(body) ? body : NULL, key, v) {
        size_t i = 0;
        while (fields[i].name && strcmp(fields[i].name, key)) i++;
        if (!fields[i].name) add_msg(errors, key, "Unknown field.");
        else if (json_is_null(v)) {
            if (!fields[i].nullable) add_msg(errors, key, "Field may not be null.");
        } else if (fields[i].type == T_STR && !json_is_string(v)) add_msg(errors, key, "Not a valid string.");
        else if (fields[i].type == T_BOOL && !json_is_boolean(v)) add_msg(errors, key, "Not a valid boolean.");
        else if (fields[i].type == T_OBJ && !json_is_object(v)) add_msg(errors, key, "Not a valid mapping type.");
    }
    const char *uri = json_string_value(json_object_get(body, "sqlalchemy_uri"));
    json_t *params = json_object_get(body, "parameters");
    const char *method = json_string_value(json_object_get(body, "configuration_method"));
    if (!json_object_size(errors) && !uri && json_is_object(params) && method && !strcmp(method, "dynamic_form"))
        uri = uri_from_parameters(req->arena, params, errors);
    sqla_url_t u;
    if (!json_object_size(errors) && !uri) add_msg(errors, "sqlalchemy_uri", "Missing data for required field.");
    else if (!json_object_size(errors) && !sqla_url_parse(req->arena, uri, &u))
        add_msg(errors, "sqlalchemy_uri", "Invalid connection string, a valid string usually follows: "
                                          "backend+driver://user:password@database-host/database-name");
    if (json_object_size(errors)) return resp_json(req, 400, json_pack("{s:O}", "message", errors), JSON_FLASK);
    if (strcmp(u.backend, "postgresql") && strcmp(u.backend, "postgres"))
        return dataset_sip40(req, 422, "GENERIC_COMMAND_ERROR", target_unsupported_message(req->arena, u.backend),
                             NULL, 1010, "Superset encountered an error while running a command.");
    /* the masked URI of a known database stands for its stored password */
    const char *password = NULL;
    const char *name = json_string_value(json_object_get(body, "database_name"));
    if (name) {
        pg_error_t err;
        const char *p[] = {name};
        pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                                  "SELECT sqlalchemy_uri, convert_from(password, 'UTF8') FROM dbs WHERE database_name = $1",
                                  1, p);
        if (r && pg_nrows(r) && !strcmp(pg_get(r, 0, 0), uri) && pg_get(r, 0, 1))
            password = encrypted_type_decrypt(req->arena, config_str(req->cfg, "SECRET_KEY", ""), pg_get(r, 0, 1));
    }
    const char *msg = NULL;
    const char *ci = target_conninfo(req->arena, uri, password, &msg);
    if (!ci && strncmp(msg, "could not translate host name", 29))
        return dataset_sip40(req, 422, "GENERIC_COMMAND_ERROR", msg, NULL, 1010,
                             "Superset encountered an error while running a command.");
    database_ping_answer(req, ci, msg);
}

void database_ping_answer(request_t *req, const char *conninfo, const char *connect_error) {
    pg_error_t err = {.message = connect_error};
    pg_result_t *r = NULL;
    if (conninfo) {
        pg_pool_t *pool = target_pool_temporary(conninfo, target_query_timeout(req->cfg));
        if (!pool) return error_fab(req, 500, "Fatal error");
        r = pg_query(pool, req->arena, &err, "SELECT 1", 0, NULL);
        pg_pool_free(pool);
    }
    if (r) return error_fab(req, 200, "OK");
    const char *raw = arena_sprintf(req->arena,
                                    "(builtins.NoneType) None\n[SQL: (psycopg2.OperationalError) %s\n(Background on this"
                                    " error at: https://sqlalche.me/e/14/e3q8)]\n(Background on this error at:"
                                    " https://sqlalche.me/e/14/dbapi)",
                                    err.message ? err.message : "");
    json_t *e = database_connect_error(req, raw);
    resp_json(req, 400, json_pack("{s:[o]}", "errors", e), JSON_ENSURE_ASCII);
}
