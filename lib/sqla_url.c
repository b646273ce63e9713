/* SQLAlchemy URL parsing; see sqla_url.h. */
#include "lib/sqla_url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static char *unquote(arena_t *a, const char *s, size_t n, bool plus) {
    char *out = arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
            (l = hexval(s[i + 2])) >= 0) {
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else *o++ = plus && s[i] == '+' ? ' ' : s[i];
    }
    *o = 0;
    return out;
}

static void add_query(arena_t *a, json_t *q, const char *s, size_t n) {
    const char *eq = memchr(s, '=', n);
    size_t klen = eq ? (size_t)(eq - s) : n;
    char *k = unquote(a, s, klen, true);
    char *v = eq ? unquote(a, eq + 1, n - klen - 1, true) : arena_strdup(a, "");
    json_t *old = json_object_get(q, k);
    if (!old) json_object_set_new(q, k, json_string(v));
    else if (json_is_array(old)) json_array_append_new(old, json_string(v));
    else json_object_set_new(q, k, json_pack("[O,s]", old, v));
}

bool sqla_url_parse(arena_t *a, const char *s, sqla_url_t *out) {
    memset(out, 0, sizeof *out);
    out->port = -1;
    const char *sep = s ? strstr(s, "://") : NULL;
    if (!sep || sep == s) return false;
    out->drivername = arena_strndup(a, s, (size_t)(sep - s));
    const char *plus = strchr(out->drivername, '+');
    out->backend = plus ? arena_strndup(a, out->drivername, (size_t)(plus - out->drivername)) : out->drivername;
    out->driver = plus ? plus + 1 : NULL;
    out->query = json_object();
    arena_on_free(a, (arena_cleanup_fn)json_decref, out->query);
    const char *rest = sep + 3;
    size_t qpos = strcspn(rest, "?");
    /* userinfo ends at the last '@' before the query */
    const char *at = NULL;
    for (const char *c = rest; c < rest + qpos; c++)
        if (*c == '@') at = c;
    const char *hostpart = rest;
    if (at) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        size_t ulen = colon ? (size_t)(colon - rest) : (size_t)(at - rest);
        out->username = unquote(a, rest, ulen, false);
        if (colon) out->password = unquote(a, colon + 1, (size_t)(at - colon - 1), false);
        hostpart = at + 1;
    }
    const char *end = rest + qpos;
    const char *slash = memchr(hostpart, '/', (size_t)(end - hostpart));
    const char *hend = slash ? slash : end;
    const char *portp = NULL;
    if (*hostpart == '[') {
        const char *rb = memchr(hostpart, ']', (size_t)(hend - hostpart));
        if (!rb) return false;
        if (rb > hostpart + 1) out->host = arena_strndup(a, hostpart + 1, (size_t)(rb - hostpart - 1));
        if (rb + 1 < hend && rb[1] == ':') portp = rb + 2;
    } else {
        const char *colon = memchr(hostpart, ':', (size_t)(hend - hostpart));
        const char *hstop = colon ? colon : hend;
        if (hstop > hostpart) out->host = unquote(a, hostpart, (size_t)(hstop - hostpart), false);
        if (colon) portp = colon + 1;
    }
    if (portp && portp < hend) {
        int port = 0;
        for (const char *c = portp; c < hend; c++) {
            if (!isdigit((unsigned char)*c) || port > 1000000) return false;
            port = port * 10 + (*c - '0');
        }
        out->port = port;
    }
    if (slash && slash + 1 < end) out->database = unquote(a, slash + 1, (size_t)(end - slash - 1), false);
    if (*end == '?') {
        const char *q = end + 1;
        while (*q) {
            size_t n = strcspn(q, "&");
            if (n) add_query(a, out->query, q, n);
            q += n;
            if (*q == '&') q++;
        }
    }
    return true;
}

char *sqla_url_split_password(arena_t *a, const char *uri, const char *mask, const char **masked) {
    *masked = uri;
    const char *sep = strstr(uri, "://");
    if (!sep) return NULL;
    const char *user = sep + 3;
    size_t ulen = strcspn(user, ":/@");
    if (user[ulen] != ':') return NULL;
    const char *pw = user + ulen + 1;
    const char *at = strchr(pw, '@');
    if (!at) return NULL;
    *masked = arena_sprintf(a, "%.*s%s%s", (int)(pw - uri), uri, mask, at);
    return unquote(a, pw, (size_t)(at - pw), false);
}
