/* Form and query-string field parsing; see formdata.h. */
#include "fcgi/formdata.h"

#include <string.h>
#include <strings.h>

/* Splits an application/x-www-form-urlencoded text on '&'. */
static void urlencoded_foreach(request_t *req, const char *p, size_t n, form_field_fn fn, void *ud) {
    const char *end = p + n;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            char *key = url_decode(req->arena, p, klen, true);
            char *val = eq ? url_decode(req->arena, eq + 1, len - klen - 1, true) : arena_strdup(req->arena, "");
            fn(ud, key, val, strlen(val));
        }
        p += len + 1;
    }
}

/* The value of parameter `param` in a header value such as
 * `form-data; name="x"; filename="y"` (quotes removed), NULL when absent. */
static char *header_param(arena_t *a, const char *h, size_t hlen, const char *param) {
    size_t plen = strlen(param);
    const char *p = h, *end = h + hlen;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (!semi) break;
        p = semi + 1;
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        if ((size_t)(end - p) > plen && !strncasecmp(p, param, plen) && p[plen] == '=') {
            const char *v = p + plen + 1;
            if (v < end && *v == '"') {
                const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
                return arena_strndup(a, v + 1, q ? (size_t)(q - v - 1) : (size_t)(end - v - 1));
            }
            size_t vlen = strcspn(v, ";");
            if (v + vlen > end) vlen = (size_t)(end - v);
            while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\r')) vlen--;
            return arena_strndup(a, v, vlen);
        }
    }
    return NULL;
}

static const char *find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen) {
    if (nlen == 0 || hlen < nlen) return NULL;
    return memmem(hay, hlen, needle, nlen);
}

/* Walks the parts of a multipart/form-data body. */
static void multipart_foreach(request_t *req, const char *boundary, bool files, form_field_fn fn, void *ud,
                              const char **filename) {
    const char *body = req->body.data;
    size_t blen = req->body.len;
    char *delim = arena_sprintf(req->arena, "--%s", boundary);
    size_t dlen = strlen(delim);
    const char *p = find_bytes(body, blen, delim, dlen);
    while (p) {
        p += dlen;
        const char *end = body + blen;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return; /* closing delimiter */
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') p += 2;
        const char *hdr_end = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hdr_end) return;
        const char *content = hdr_end + 4;
        char *next_delim = arena_sprintf(req->arena, "\r\n%s", delim);
        const char *next = find_bytes(content, (size_t)(end - content), next_delim, dlen + 2);
        if (!next) return;
        /* headers: find Content-Disposition */
        char *name = NULL, *fname = NULL;
        bool is_file = false;
        const char *h = p;
        while (h < hdr_end) {
            const char *eol = find_bytes(h, (size_t)(hdr_end + 2 - h), "\r\n", 2);
            size_t hl = eol ? (size_t)(eol - h) : (size_t)(hdr_end - h);
            if (hl > 20 && !strncasecmp(h, "Content-Disposition:", 20)) {
                name = header_param(req->arena, h, hl, "name");
                fname = header_param(req->arena, h, hl, "filename");
                is_file = fname != NULL;
            }
            if (!eol) break;
            h = eol + 2;
        }
        if (name && is_file == files) {
            if (filename) *filename = fname;
            size_t vlen = (size_t)(next - content);
            fn(ud, name, arena_strndup(req->arena, content, vlen), vlen);
        }
        p = next + 2;
    }
}

void form_foreach(request_t *req, form_field_fn fn, void *ud) {
    const char *ct = req_header(req, "Content-Type");
    if (!ct || !req->body.len) return;
    if (!strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
        urlencoded_foreach(req, req->body.data, req->body.len, fn, ud);
    } else if (!strncasecmp(ct, "multipart/form-data", 19)) {
        char *boundary = header_param(req->arena, ct, strlen(ct), "boundary");
        if (boundary && *boundary) multipart_foreach(req, boundary, false, fn, ud, NULL);
    }
}

typedef struct file_ctx {
    const char *name;
    const char *data;
    size_t len;
    bool found;
    const char *current_filename; /* of the part being offered */
    const char *filename;         /* of the part found */
} file_ctx_t;

static void find_file(void *ud, const char *name, const char *value, size_t len) {
    file_ctx_t *c = ud;
    if (c->found || strcmp(name, c->name)) return;
    c->found = true;
    c->filename = c->current_filename;
    c->data = value;
    c->len = len;
}

const char *form_file(request_t *req, const char *name, size_t *len) { return form_file_named(req, name, len, NULL); }

const char *form_file_named(request_t *req, const char *name, size_t *len, const char **filename) {
    file_ctx_t c = {name, NULL, 0, false, NULL, NULL};
    const char *ct = req_header(req, "Content-Type");
    *len = 0;
    if (!ct || !req->body.len || strncasecmp(ct, "multipart/form-data", 19)) return NULL;
    char *boundary = header_param(req->arena, ct, strlen(ct), "boundary");
    if (boundary && *boundary) multipart_foreach(req, boundary, true, find_file, &c, &c.current_filename);
    *len = c.len;
    if (filename) *filename = c.filename;
    return c.data;
}

typedef struct find_ctx {
    const char *name;
    const char *found;
} find_ctx_t;

static void find_first(void *ud, const char *name, const char *value, size_t len) {
    (void)len;
    find_ctx_t *c = ud;
    if (!c->found && !strcmp(name, c->name)) c->found = value;
}

const char *form_value(request_t *req, const char *name) {
    find_ctx_t c = {name, NULL};
    form_foreach(req, find_first, &c);
    return c.found;
}

static void add_first(void *ud, const char *name, const char *value, size_t len) {
    json_t *d = ud;
    if (json_object_get(d, name)) return;
    json_t *s = json_stringn(value, len);
    if (!s) s = json_string(""); /* not UTF-8: kept as an empty value */
    json_object_set_new(d, name, s);
}

json_t *form_dict(request_t *req) {
    json_t *d = json_object();
    form_foreach(req, add_first, d);
    return d;
}

json_t *query_dict(request_t *req) {
    json_t *d = json_object();
    if (req->query && *req->query) urlencoded_foreach(req, req->query, strlen(req->query), add_first, d);
    return d;
}
