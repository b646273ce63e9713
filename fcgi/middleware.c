/* Middleware: request id, proxy fix, Talisman security headers and CORS.
 * Header order mirrors what the reference emits (see the golden exchanges):
 *   normal response:  view headers, Talisman, Vary: Accept-Encoding,
 *                     Access-Control-Allow-Origin, Vary: Origin
 *   error handler:    view headers, Access-Control-Allow-Origin,
 *                     Vary: Origin, Accept-Encoding, Talisman
 *   session touched:  Vary: Accept-Encoding, Cookie (one line), no Vary: Origin. */
#include "fcgi/middleware.h"

#include <string.h>
#include <strings.h>

#include "lib/crypto.h"

void mw_request_id(request_t *req) {
    const char *id = req_param(req, "REQUEST_ID"); /* nginx: fastcgi_param REQUEST_ID $request_id */
    if (!id || !*id) id = req_header(req, "X-Request-Id");
    if (!id || !*id || strlen(id) > 128) {
        unsigned char raw[16];
        crypto_random_bytes(raw, sizeof raw);
        id = crypto_hex_arena(req->arena, raw, sizeof raw);
    }
    req->request_id = id;
}

/* The n-th value from the right of a comma-separated header, as werkzeug's
 * ProxyFix trusts exactly n proxies. NULL when there are fewer values. */
static const char *nth_from_right(arena_t *a, const char *list, int n) {
    if (!list || n <= 0) return NULL;
    const char *vals[64];
    int count = 0;
    const char *p = list;
    while (*p && count < 64) {
        const char *comma = strchr(p, ',');
        vals[count++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    if (count < n) return NULL;
    const char *start = vals[count - n];
    const char *end = strchr(start, ',');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    while (len && (*start == ' ' || *start == '\t')) start++, len--;
    while (len && (start[len - 1] == ' ' || start[len - 1] == '\t')) len--;
    return len ? arena_strndup(a, start, len) : NULL;
}

static int proxy_setting(const request_t *req, const char *key) {
    const json_t *pf = config_get(req->cfg, "PROXY_FIX_CONFIG");
    const json_t *v = pf ? json_object_get(pf, key) : NULL;
    return json_is_integer(v) ? (int)json_integer_value(v) : 0;
}

void mw_proxy_fix(request_t *req) {
    if (!config_bool(req->cfg, "ENABLE_PROXY_FIX", false)) return;
    const char *v;
    if ((v = nth_from_right(req->arena, req_header(req, "X-Forwarded-For"), proxy_setting(req, "x_for"))))
        req->remote_addr = v;
    if ((v = nth_from_right(req->arena, req_header(req, "X-Forwarded-Proto"), proxy_setting(req, "x_proto"))))
        req->scheme = v;
    if ((v = nth_from_right(req->arena, req_header(req, "X-Forwarded-Host"), proxy_setting(req, "x_host"))))
        req->host = v;
    if ((v = nth_from_right(req->arena, req_header(req, "X-Forwarded-Port"), proxy_setting(req, "x_port")))) {
        const char *h = req->host ? req->host : "";
        const char *colon = strrchr(h, ':');
        size_t hlen = colon && !strchr(colon, ']') ? (size_t)(colon - h) : strlen(h);
        req->host = arena_sprintf(req->arena, "%.*s:%s", (int)hlen, h, v);
    }
    if ((v = nth_from_right(req->arena, req_header(req, "X-Forwarded-Prefix"), proxy_setting(req, "x_prefix")))) {
        size_t n = strlen(v);
        while (n && v[n - 1] == '/') n--;
        req->script_root = arena_strndup(req->arena, v, n);
    }
}

static const json_t *talisman_config(const request_t *req) {
    const char *key = config_bool(req->cfg, "DEBUG", false) ? "TALISMAN_DEV_CONFIG" : "TALISMAN_CONFIG";
    return config_get(req->cfg, key);
}

char *mw_csp_header(request_t *req, const char *nonce) {
    const json_t *tc = talisman_config(req);
    const json_t *csp = tc ? json_object_get(tc, "content_security_policy") : NULL;
    if (!json_is_object(csp)) return NULL;
    const json_t *nonce_in = json_object_get(tc, "content_security_policy_nonce_in");
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 512);
    const char *directive;
    const json_t *val;
    json_object_foreach((json_t *)csp, directive, val) {
        if (sb.len) strbuf_append(&sb, "; ", 2);
        strbuf_puts(&sb, directive);
        if (json_is_string(val)) {
            strbuf_putc(&sb, ' ');
            strbuf_puts(&sb, json_string_value(val));
        } else if (json_is_array(val)) {
            size_t i;
            const json_t *item;
            json_array_foreach(val, i, item) {
                if (!json_is_string(item)) continue;
                strbuf_putc(&sb, ' ');
                strbuf_puts(&sb, json_string_value(item));
            }
        }
        size_t i;
        const json_t *d;
        json_array_foreach(nonce_in, i, d) {
            if (json_is_string(d) && !strcmp(json_string_value(d), directive))
                strbuf_printf(&sb, " 'nonce-%s'", nonce);
        }
    }
    return sb.data;
}

static const char *talisman_str(const json_t *tc, const char *key, const char *def) {
    const json_t *v = tc ? json_object_get(tc, key) : NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (v && json_is_false(v)) return NULL;
    return def;
}

static void talisman_headers(request_t *req) {
    if (!config_bool(req->cfg, "TALISMAN_ENABLED", true)) return;
    const json_t *tc = talisman_config(req);
    resp_add_header(req, "Permissions-Policy", "browsing-topics=()");
    const char *fo = talisman_str(tc, "frame_options", "SAMEORIGIN");
    if (fo) resp_add_header(req, "X-Frame-Options", fo);
    resp_add_header(req, "X-Content-Type-Options", "nosniff");
    const char *csp = mw_csp_header(req, req->csp_nonce);
    if (csp) resp_add_header(req, "Content-Security-Policy", csp);
    const char *xfp = req_header(req, "X-Forwarded-Proto");
    if (!strcmp(req->scheme, "https") || (xfp && !strcmp(xfp, "https")))
        resp_add_header(req, "Strict-Transport-Security", "max-age=31556926; includeSubDomains");
    const char *rp = talisman_str(tc, "referrer_policy", "strict-origin-when-cross-origin");
    if (rp) resp_add_header(req, "Referrer-Policy", rp);
}

/* Flask-CORS with Superset's CORS_OPTIONS: the allowed origin for this
 * request, or NULL for no CORS headers. */
static const char *cors_origin(request_t *req) {
    if (!config_bool(req->cfg, "ENABLE_CORS", false)) return NULL;
    const json_t *opts = config_get(req->cfg, "CORS_OPTIONS");
    const json_t *origins = opts ? json_object_get(opts, "origins") : NULL;
    const char *origin = req_header(req, "Origin");
    if (json_is_string(origins) && !strcmp(json_string_value(origins), "*")) return origin ? origin : "*";
    if (!json_is_array(origins)) return origin ? NULL : "*";
    const char *first = NULL;
    size_t i;
    const json_t *o;
    json_array_foreach(origins, i, o) {
        if (!json_is_string(o)) continue;
        const char *s = json_string_value(o);
        if (origin && !strcasecmp(origin, s)) return origin; /* echo the request's spelling */
        if (!first || strcmp(s, first) < 0) first = s;
    }
    return origin ? NULL : first;
}

void mw_response_headers(request_t *req) {
    const char *acao = cors_origin(req);
    bool cors_on = config_bool(req->cfg, "ENABLE_CORS", false);
    if (req->from_error_handler) {
        if (acao) resp_add_header(req, "Access-Control-Allow-Origin", acao);
        resp_add_header(req, "Vary", cors_on ? (req->session_accessed ? "Origin, Accept-Encoding, Cookie"
                                                                      : "Origin, Accept-Encoding")
                                             : (req->session_accessed ? "Accept-Encoding, Cookie"
                                                                      : "Accept-Encoding"));
        talisman_headers(req);
        return;
    }
    talisman_headers(req);
    if (req->session_accessed) {
        /* The session interface merges Vary into one line and drops Origin. */
        resp_add_header(req, "Vary", "Accept-Encoding, Cookie");
        if (acao) resp_add_header(req, "Access-Control-Allow-Origin", acao);
        return;
    }
    resp_add_header(req, "Vary", "Accept-Encoding");
    if (acao) resp_add_header(req, "Access-Control-Allow-Origin", acao);
    if (cors_on) resp_add_header(req, "Vary", "Origin");
}
