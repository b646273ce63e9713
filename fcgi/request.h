/* A request being served and the response it builds. Everything here is
 * allocated from req->arena and dies with the request. Handlers read the
 * request through the accessors and fill the response with resp_*(). */
#ifndef LITESET_FCGI_REQUEST_H
#define LITESET_FCGI_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "lib/arena.h"
#include "lib/fiber.h"
#include "lib/strbuf.h"

typedef struct kv {
    const char *name;
    const char *value;
    size_t value_len;
    struct kv *next;
} kv_t;

typedef struct path_param {
    const char *name;
    const char *value;
    int64_t int_value; /* set for <int:...> converters */
} path_param_t;

#define REQ_MAX_PATH_PARAMS 8

struct fcgi_conn;
struct app;

typedef struct request {
    arena_t *arena;             /* owns everything below */
    const config_t *cfg;        /* process config at request start (kept alive by refcount) */
    struct app *app;
    fiber_t *fiber;

    /* FastCGI side, owned by the server. */
    struct fcgi_conn *conn;     /* NULL once the connection is gone */
    uint16_t fcgi_id;
    bool keep_conn;
    bool aborted;               /* client or web server went away */
    bool timed_out;             /* LITESET_REQUEST_TIMEOUT expired: the fiber was cancelled */

    /* Incoming. */
    kv_t *params;               /* FastCGI params, in arrival order */
    const char *method;
    const char *path;           /* decoded path, e.g. /api/v1/chart/1 */
    const char *query;          /* raw query string, "" when absent */
    const char *scheme;         /* http/https after proxy fix */
    const char *host;
    const char *remote_addr;
    const char *script_root;    /* X-Forwarded-Prefix after proxy fix, "" otherwise */
    strbuf_t body;
    size_t content_length;
    bool body_too_large;
    bool params_too_large;
    const char *request_id;
    path_param_t path_params[REQ_MAX_PATH_PARAMS];
    int n_path_params;
    double started_at;          /* ev_time() when the request was complete */

    /* Session (fcgi/session.c) and identity (fcgi/auth.c). */
    json_t *session;            /* Flask session dict, loaded lazily; owned via the arena */
    bool session_loaded;
    bool session_modified;
    struct session_server *session_server; /* server-side session state (fcgi/session.c) */
    struct sec_user *user;      /* current user; NULL = anonymous */
    bool user_resolved;
    const char *user_name;      /* for the access log */

    /* Outgoing. */
    int status;
    kv_t *resp_headers, *resp_headers_tail;
    strbuf_t resp_body;
    const char *csp_nonce;      /* per-request nonce (Talisman) */
    bool from_error_handler;    /* produced by an app-level error handler (header order differs) */
    bool session_accessed;      /* the session was read or written (Vary: Cookie) */

    /* Event log of the matched route (fcgi/event_logger.h event_log_route). */
    const struct route_def *log_route; /* set when the view starts; NULL: no row */
    double log_started, log_ended;     /* ev_time() around the view */
    json_t *log_kwargs;                /* view kwargs beyond the path parameters (rison); arena-owned */
    bool log_skip;                     /* rejected before the logged view ran (rison, raised): no row */
} request_t;

/* Incoming accessors. Names are case-insensitive for headers. */
const char *req_param(const request_t *req, const char *name);  /* FastCGI param */
const char *req_header(const request_t *req, const char *name); /* HTTP header */
const char *req_path_param(const request_t *req, const char *name);
int64_t req_path_int(const request_t *req, const char *name);
/* Decoded query-string argument (first occurrence), NULL when absent. */
const char *req_query_arg(request_t *req, const char *name);
/* True when the Accept header accepts mime (werkzeug semantics: a star wildcard matches). */
bool req_accepts(const request_t *req, const char *mime);
/* Flask's request.is_json: the mimetype is application/json or application/<x>+json. */
bool req_is_json(const request_t *req);

/* Response. */
void resp_status(request_t *req, int status);
void resp_add_header(request_t *req, const char *name, const char *value);
void resp_set_header(request_t *req, const char *name, const char *value); /* replaces */
const char *resp_get_header(const request_t *req, const char *name);
void resp_remove_header(request_t *req, const char *name);
void resp_body(request_t *req, int status, const char *content_type, const char *data, size_t len);
/* Serialises j (reference stolen) with the given jansson flags, formatted as
 * Python's json module would. Flask's jsonify (FAB responses) is
 * JSON_FLASK: compact, ASCII-escaped, sorted keys, and a trailing newline. */
#define JSON_FLASK (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS)
void resp_json(request_t *req, int status, json_t *j, size_t flags);

/* Werkzeug's reason phrase in upper case ("404 NOT FOUND"), and its title-case
 * name as used in error descriptions ("Not Found"). */
const char *http_reason_upper(int status);
const char *http_reason(int status);
/* Werkzeug's default description of an HTTP error, "" if none. */
const char *http_description(int status);

/* %-decoding of a URL component; '+' becomes ' ' when plus_space. Invalid
 * escapes are kept literally, as Python's unquote does. Never NULL. */
char *url_decode(arena_t *a, const char *s, size_t n, bool plus_space);

#endif
