/* POST /api/v1/database/validate_parameters/: the progressive check the
 * "connect a database" form runs while the user types. Schema errors and
 * parameter problems answer 422 {"errors": [...]} (missing parameters, a
 * host that does not resolve, a bad or closed port); then a connection is
 * tried (400 with the classified error on failure). Name resolution and the
 * port probe are blocking calls and run on the offload threads. */
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>

#include "domain/target_db.h"
#include "fcgi/api/database_target.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "lib/json.h"
#include "lib/offload.h"
#include "lib/strbuf.h"

#define PORT_TIMEOUT_MS 5000

typedef struct net_job {
    const char *host;
    int port;       /* < 0: resolve only */
    bool ok;
} net_job_t;

/* Resolves host, and with a port, tries a TCP connect to each address. */
static void net_probe(void *arg) {
    net_job_t *j = arg;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    char port[16];
    snprintf(port, sizeof port, "%d", j->port < 0 ? 0 : j->port);
    j->ok = false;
    if (getaddrinfo(j->host, j->port < 0 ? NULL : port, &hints, &res) != 0) return;
    if (j->port < 0) {
        j->ok = true;
        freeaddrinfo(res);
        return;
    }
    for (struct addrinfo *a = res; a && !j->ok; a = a->ai_next) {
        int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        int rc = connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc < 0 && errno == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int err = 0;
            socklen_t len = sizeof err;
            rc = poll(&p, 1, PORT_TIMEOUT_MS) == 1 && !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) && !err ? 0 : -1;
        }
        j->ok = rc == 0;
        close(fd);
    }
    freeaddrinfo(res);
}

static json_t *error_obj(request_t *req, const char *message, const char *type, const char *level, json_t *extra,
                         int code, const char *issue) {
    json_object_set_new(extra, "issue_codes", json_pack("[{s:i,s:s}]", "code", code, "message",
                                                        arena_sprintf(req->arena, "Issue %d - %s", code, issue)));
    return json_pack("{s:s,s:s,s:s,s:o}", "message", message, "error_type", type, "level", level, "extra", extra);
}

typedef enum { V_STR, V_INT, V_BOOL, V_DICT } vtype_t;
static const struct {
    const char *name;
    vtype_t type;
    bool nullable, required;
} fields[] = {
    {"id", V_INT, true, false}, {"engine", V_STR, false, true}, {"driver", V_STR, true, false},
    {"parameters", V_DICT, false, false}, {"catalog", V_DICT, false, false}, {"database_name", V_STR, true, false},
    {"impersonate_user", V_BOOL, false, false}, {"extra", V_STR, false, false},
    {"masked_encrypted_extra", V_STR, true, false}, {"server_cert", V_STR, true, false},
    {"configuration_method", V_STR, false, true}, {NULL, 0, false, false},
};

/* The schema's messages per field (unknown fields are excluded). */
static json_t *schema_errors(json_t *body) {
    static const char *const type_msgs[] = {"Not a valid string.", "Not a valid integer.", "Not a valid boolean.",
                                            "Not a valid mapping type."};
    json_t *errors = json_object();
    for (size_t i = 0; fields[i].name; i++) {
        json_t *v = json_object_get(body, fields[i].name);
        const char *msg = NULL;
        if (!v) msg = fields[i].required ? "Missing data for required field." : NULL;
        else if (json_is_null(v)) msg = fields[i].nullable ? NULL : "Field may not be null.";
        else if ((fields[i].type == V_STR && !json_is_string(v)) || (fields[i].type == V_INT && !json_is_integer(v)) ||
                 (fields[i].type == V_BOOL && !json_is_boolean(v)) || (fields[i].type == V_DICT && !json_is_object(v)))
            msg = type_msgs[fields[i].type];
        else if (!strcmp(fields[i].name, "configuration_method") && strcmp(json_string_value(v), "sqlalchemy_form") &&
                 strcmp(json_string_value(v), "dynamic_form"))
            msg = "Must be one of: sqlalchemy_form, dynamic_form.";
        else if (!strcmp(fields[i].name, "database_name") &&
                 (json_string_length(v) < 1 || json_string_length(v) > 250))
            msg = "Length must be between 1 and 250.";
        if (msg) json_object_set_new(errors, fields[i].name, json_pack("[s]", msg));
    }
    return errors;
}

static bool truthy(const json_t *v) {
    return v && !json_is_null(v) && !json_is_false(v) && !(json_is_string(v) && !json_string_length(v)) &&
           !(json_is_integer(v) && !json_integer_value(v)) && !(json_is_array(v) && !json_array_size(v)) &&
           !(json_is_object(v) && !json_object_size(v));
}

/* BasicParametersMixin.validate_parameters */
static json_t *parameter_errors(request_t *req, json_t *params) {
    static const char *const required[] = {"database", "host", "port", "username", NULL}; /* sorted */
    json_t *errors = json_array(), *missing = json_array();
    strbuf_t names;
    strbuf_init_arena(&names, req->arena, 64);
    for (size_t i = 0; required[i]; i++)
        if (!truthy(json_object_get(params, required[i]))) {
            json_array_append_new(missing, json_string(required[i]));
            strbuf_printf(&names, "%s%s", names.len ? ", " : "", required[i]);
        }
    if (json_array_size(missing))
        json_array_append_new(errors, error_obj(req, arena_sprintf(req->arena, "One or more parameters are missing: %s",
                                                                   names.data),
                                                "CONNECTION_MISSING_PARAMETERS_ERROR", "warning",
                                                json_pack("{s:O}", "missing", missing), 1018,
                                                "One or more parameters needed to configure a database are missing."));
    json_decref(missing);
    json_t *host = json_object_get(params, "host");
    if (!truthy(host) || !json_is_string(host)) return errors;
    net_job_t job = {json_string_value(host), -1, false};
    offload_run(net_probe, &job);
    if (!job.ok) {
        json_array_append_new(errors, error_obj(req, "The hostname provided can't be resolved.",
                                                "CONNECTION_INVALID_HOSTNAME_ERROR", "error",
                                                json_pack("{s:[s]}", "invalid", "host"), 1007,
                                                "The hostname provided can't be resolved."));
        return errors;
    }
    json_t *port = json_object_get(params, "port");
    if (!truthy(port)) return errors;
    long long p = -1;
    bool is_int = json_is_integer(port);
    if (is_int) p = json_integer_value(port);
    else if (json_is_string(port)) {
        char *end;
        p = strtoll(json_string_value(port), &end, 10);
        is_int = *json_string_value(port) && !*end;
    }
    if (!is_int)
        json_array_append_new(errors, error_obj(req, "Port must be a valid integer.", "CONNECTION_INVALID_PORT_ERROR",
                                                "error", json_pack("{s:[s]}", "invalid", "port"), 1034,
                                                "The port number is invalid."));
    if (!is_int || p < 0 || p >= 65536) {
        json_array_append_new(errors, error_obj(req, "The port must be an integer between 0 and 65535 (inclusive).",
                                                "CONNECTION_INVALID_PORT_ERROR", "error",
                                                json_pack("{s:[s]}", "invalid", "port"), 1034,
                                                "The port number is invalid."));
        return errors;
    }
    job = (net_job_t){json_string_value(host), (int)p, false};
    offload_run(net_probe, &job);
    if (!job.ok)
        json_array_append_new(errors, error_obj(req, "The port is closed.", "CONNECTION_PORT_CLOSED_ERROR", "error",
                                                json_pack("{s:[s]}", "invalid", "port"), 1008, "The port is closed."));
    return errors;
}

/* build_sqlalchemy_uri of the PostgreSQL spec. */
static const char *build_uri(arena_t *a, json_t *params) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 128);
    strbuf_puts(&sb, "postgresql+psycopg2://");
    const char *user = json_string_value(json_object_get(params, "username"));
    const char *pw = json_string_value(json_object_get(params, "password"));
    if (user) strbuf_puts(&sb, user);
    if (pw && *pw) strbuf_printf(&sb, ":%s", pw);
    json_t *port = json_object_get(params, "port");
    strbuf_printf(&sb, "@%s", json_string_value(json_object_get(params, "host")) ?: "");
    if (json_is_integer(port)) strbuf_printf(&sb, ":%lld", (long long)json_integer_value(port));
    else if (json_is_string(port)) strbuf_printf(&sb, ":%s", json_string_value(port));
    strbuf_printf(&sb, "/%s", json_string_value(json_object_get(params, "database")) ?: "");
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

void database_validate_parameters(request_t *req) {
    if (!req_is_json(req))
        return dataset_sip40(req, 400, "INVALID_PAYLOAD_FORMAT_ERROR", "Request is not JSON", NULL, 1019,
                             "The submitted payload has the incorrect format.");
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) return error_http(req, 400);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!json_is_object(body))
        return resp_json(req, 422, json_pack("{s:[o]}", "errors", error_obj(req, "Invalid input type.",
                                                                            "INVALID_PAYLOAD_SCHEMA_ERROR", "error",
                                                                            json_pack("{s:[s]}", "invalid", "_schema"),
                                                                            1020, "The submitted payload has the incorrect"
                                                                                  " schema.")),
                         JSON_ENSURE_ASCII);
    json_t *old = json_object_get(body, "encrypted_extra");
    if (old) {
        json_object_set(body, "masked_encrypted_extra", old);
        json_object_del(body, "encrypted_extra");
    }
    json_t *serr = schema_errors(body);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, serr);
    if (json_object_size(serr)) {
        json_t *list = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(serr, k, v) json_array_append_new(
            list, error_obj(req, json_string_value(json_array_get(v, 0)), "INVALID_PAYLOAD_SCHEMA_ERROR", "error",
                            json_pack("{s:[s]}", "invalid", k), 1020, "The submitted payload has the incorrect schema."));
        return resp_json(req, 422, json_pack("{s:o}", "errors", list), JSON_ENSURE_ASCII);
    }
    const char *engine = json_string_value(json_object_get(body, "engine"));
    if (!strcmp(engine, "bigquery") || !strcmp(engine, "snowflake")) return error_fab(req, 200, "OK");
    if (strcmp(engine, "postgresql"))
        return resp_json(req, 422,
                         json_pack("{s:[o]}", "errors",
                                   error_obj(req, target_unsupported_message(req->arena, engine), "GENERIC_DB_ENGINE_ERROR",
                                             "error", json_object(), 1002,
                                             "The database returned an unexpected error.")),
                         JSON_ENSURE_ASCII);
    json_t *params = json_object_get(body, "parameters");
    json_t *perr = parameter_errors(req, json_is_object(params) ? params : NULL);
    if (json_array_size(perr)) return resp_json(req, 422, json_pack("{s:o}", "errors", perr), JSON_ENSURE_ASCII);
    json_decref(perr);
    const char *uri = build_uri(req->arena, params);
    const char *msg = NULL;
    const char *ci = target_conninfo(req->arena, uri, NULL, &msg);
    if (!ci && strncmp(msg, "could not translate host name", 29)) return error_fab(req, 422, msg);
    database_ping_answer(req, ci, msg);
}
