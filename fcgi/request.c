/* Request accessors, response builders and HTTP status tables; see request.h. */
#include "fcgi/request.h"

#include "lib/json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    int code;
    const char *upper;       /* werkzeug status line text */
    const char *name;        /* HTTPException name */
    const char *description; /* werkzeug's default description */
} http_status_t;

static const http_status_t statuses[] = {
    {200, "OK", "OK", ""},
    {201, "CREATED", "Created", ""},
    {202, "ACCEPTED", "Accepted", ""},
    {204, "NO CONTENT", "No Content", ""},
    {301, "MOVED PERMANENTLY", "Moved Permanently", ""},
    {302, "FOUND", "Found", ""},
    {304, "NOT MODIFIED", "Not Modified", ""},
    {308, "PERMANENT REDIRECT", "Permanent Redirect", ""},
    {400, "BAD REQUEST", "Bad Request",
     "The browser (or proxy) sent a request that this server could not understand."},
    {401, "UNAUTHORIZED", "Unauthorized",
     "The server could not verify that you are authorized to access the URL requested. You either "
     "supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to "
     "supply the credentials required."},
    {403, "FORBIDDEN", "Forbidden",
     "You don't have the permission to access the requested resource. It is either read-protected or "
     "not readable by the server."},
    {404, "NOT FOUND", "Not Found",
     "The requested URL was not found on the server. If you entered the URL manually please check your "
     "spelling and try again."},
    {405, "METHOD NOT ALLOWED", "Method Not Allowed", "The method is not allowed for the requested URL."},
    {408, "REQUEST TIMEOUT", "Request Timeout",
     "The server closed the network connection because the browser didn't finish the request within "
     "the specified time."},
    {409, "CONFLICT", "Conflict",
     "A conflict happened while processing the request. The resource might have been modified while "
     "the request was being processed."},
    {413, "REQUEST ENTITY TOO LARGE", "Request Entity Too Large",
     "The data value transmitted exceeds the capacity limit."},
    {422, "UNPROCESSABLE ENTITY", "Unprocessable Entity",
     "The request was well-formed but was unable to be followed due to semantic errors."},
    {429, "TOO MANY REQUESTS", "Too Many Requests",
     "This user has exceeded an allotted request count. Try again later."},
    {431, "REQUEST HEADER FIELDS TOO LARGE", "Request Header Fields Too Large",
     "One or more header fields exceeds the maximum size."},
    {500, "INTERNAL SERVER ERROR", "Internal Server Error",
     "The server encountered an internal error and was unable to complete your request. Either the "
     "server is overloaded or there is an error in the application."},
    {503, "SERVICE UNAVAILABLE", "Service Unavailable",
     "The server is temporarily unable to service your request due to maintenance downtime or capacity "
     "problems. Please try again later."},
    {504, "GATEWAY TIMEOUT", "Gateway Timeout", "The connection to an upstream server timed out."},
};

static const http_status_t *status_find(int code) {
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].code == code) return &statuses[i];
    return NULL;
}

const char *http_reason_upper(int status) {
    const http_status_t *s = status_find(status);
    return s ? s->upper : "UNKNOWN";
}

const char *http_reason(int status) {
    const http_status_t *s = status_find(status);
    return s ? s->name : "Unknown Error";
}

const char *http_description(int status) {
    const http_status_t *s = status_find(status);
    return s ? s->description : "";
}

const char *req_param(const request_t *req, const char *name) {
    for (const kv_t *p = req->params; p; p = p->next)
        if (!strcmp(p->name, name)) return p->value;
    return NULL;
}

/* HTTP headers arrive as HTTP_<NAME> params (upper case, '-' → '_'), except
 * Content-Type and Content-Length which CGI passes without the prefix. */
const char *req_header(const request_t *req, const char *name) {
    char key[256];
    size_t n = strlen(name);
    if (n + 6 > sizeof key) return NULL;
    if (!strcasecmp(name, "Content-Type")) return req_param(req, "CONTENT_TYPE");
    if (!strcasecmp(name, "Content-Length")) return req_param(req, "CONTENT_LENGTH");
    memcpy(key, "HTTP_", 5);
    for (size_t i = 0; i < n; i++) key[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
    key[5 + n] = '\0';
    return req_param(req, key);
}

const char *req_path_param(const request_t *req, const char *name) {
    for (int i = 0; i < req->n_path_params; i++)
        if (!strcmp(req->path_params[i].name, name)) return req->path_params[i].value;
    return NULL;
}

int64_t req_path_int(const request_t *req, const char *name) {
    for (int i = 0; i < req->n_path_params; i++)
        if (!strcmp(req->path_params[i].name, name)) return req->path_params[i].int_value;
    return 0;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *url_decode(arena_t *a, const char *s, size_t n, bool plus_space) {
    char *out = arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        int h = -1, l = -1;
        if (s[i] == '%' && i + 2 < n) {
            h = hexval((unsigned char)s[i + 1]);
            l = hexval((unsigned char)s[i + 2]);
        }
        if (h >= 0 && l >= 0) {
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else if (plus_space && s[i] == '+') {
            *o++ = ' ';
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

const char *req_query_arg(request_t *req, const char *name) {
    const char *q = req->query;
    size_t nlen = strlen(name);
    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', len);
        size_t klen = eq ? (size_t)(eq - q) : len;
        char *key = url_decode(req->arena, q, klen, true);
        if (key && strlen(key) == nlen && !memcmp(key, name, nlen)) {
            if (!eq) return "";
            return url_decode(req->arena, eq + 1, len - klen - 1, true);
        }
        q = amp ? amp + 1 : NULL;
    }
    return NULL;
}

/* Werkzeug's `mime in request.accept_mimetypes`: an entry matches when it is
 * a full wildcard, the same type/subtype, or the same type with a subtype
 * wildcard; quality values are ignored (even q=0), and an entry carrying
 * other parameters does not match a bare mime type. */
bool req_accepts(const request_t *req, const char *mime) {
    const char *acc = req_header(req, "Accept");
    if (!acc) return false;
    const char *slash = strchr(mime, '/');
    size_t tlen = slash ? (size_t)(slash - mime) : strlen(mime);
    const char *p = acc;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ';') p++;
        size_t len = (size_t)(p - start);
        while (len && start[len - 1] == ' ') len--;
        bool other_params = false;
        while (*p == ';') {
            p++;
            while (*p == ' ') p++;
            if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
                char *end; /* an unparsable quality makes Werkzeug drop the entry */
                strtod(p + 2, &end);
                while (*end == ' ') end++;
                if (end == p + 2 || (*end && *end != ',' && *end != ';')) other_params = true;
            } else {
                other_params = true;
            }
            while (*p && *p != ',' && *p != ';') p++;
        }
        if (len && !other_params) {
            if (len == 3 && !memcmp(start, "*/*", 3)) return true;
            if (len == strlen(mime) && !strncasecmp(start, mime, len)) return true;
            if (len == tlen + 2 && !strncasecmp(start, mime, tlen) && start[tlen] == '/' && start[tlen + 1] == '*')
                return true;
        }
    }
    return false;
}

bool req_is_json(const request_t *req) {
    const char *ct = req_header(req, "Content-Type");
    if (!ct) return false;
    size_t n = strcspn(ct, ";");
    while (n && ct[n - 1] == ' ') n--;
    if (n == 16 && !strncasecmp(ct, "application/json", 16)) return true;
    return n > 17 && !strncasecmp(ct, "application/", 12) && !strncasecmp(ct + n - 5, "+json", 5);
}

void resp_status(request_t *req, int status) { req->status = status; }

void resp_add_header(request_t *req, const char *name, const char *value) {
    kv_t *h = arena_alloc(req->arena, sizeof *h);
    h->name = arena_strdup(req->arena, name);
    h->value = arena_strdup(req->arena, value);
    h->value_len = strlen(value);
    h->next = NULL;
    if (req->resp_headers_tail)
        req->resp_headers_tail->next = h;
    else
        req->resp_headers = h;
    req->resp_headers_tail = h;
}

void resp_remove_header(request_t *req, const char *name) {
    kv_t **pp = &req->resp_headers;
    req->resp_headers_tail = NULL;
    while (*pp) {
        if (!strcasecmp((*pp)->name, name)) {
            *pp = (*pp)->next;
            continue;
        }
        req->resp_headers_tail = *pp;
        pp = &(*pp)->next;
    }
}

void resp_set_header(request_t *req, const char *name, const char *value) {
    for (kv_t *h = req->resp_headers; h; h = h->next) {
        if (!strcasecmp(h->name, name)) {
            h->value = arena_strdup(req->arena, value);
            h->value_len = strlen(value);
            return;
        }
    }
    resp_add_header(req, name, value);
}

const char *resp_get_header(const request_t *req, const char *name) {
    for (const kv_t *h = req->resp_headers; h; h = h->next)
        if (!strcasecmp(h->name, name)) return h->value;
    return NULL;
}

void resp_body(request_t *req, int status, const char *content_type, const char *data, size_t len) {
    req->status = status;
    if (content_type) resp_set_header(req, "Content-Type", content_type);
    strbuf_clear(&req->resp_body);
    strbuf_append(&req->resp_body, data, len);
}

void resp_json(request_t *req, int status, json_t *j, size_t flags) {
    /* lib/json writes what Python's json module writes for the same flags */
    strbuf_t body;
    strbuf_init_arena(&body, req->arena, 256);
    int rc = j ? json_dump_sb(&body, j, flags) : -1;
    json_decref(j);
    if (rc != 0) {
        resp_body(req, 500, "application/json; charset=utf-8", "{\"message\":\"Fatal error\"}\n", 26);
        return;
    }
    /* Flask's jsonify (every FAB and flask-jwt-extended answer) ends its body with a newline */
    if (flags == JSON_FLASK) strbuf_putc(&body, '\n');
    resp_body(req, status, "application/json; charset=utf-8", body.data, body.len);
}
