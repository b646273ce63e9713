/* Connection URIs from settings: SQLALCHEMY_DATABASE_URI -> libpq conninfo,
 * and Redis URLs (redis://, rediss://, unix://) -> config_redis_t. */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "lib/arena.h"
#include "lib/log.h"
#include "lib/strbuf.h"


static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* %-decodes [s, s+n) into a new heap string; NULL on a bad escape or %00. */
static char *pct_decode(const char *s, size_t n) {
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
        int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return out;
}

/* ---- PostgreSQL ---------------------------------------------------------- */

/* Schemes SQLAlchemy uses for PostgreSQL; the driver part means nothing to libpq. */
static const char *const pg_schemes[] = {
    "postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg",
    "postgresql+pg8000", NULL,
};

/* Characters that may stay as they are in the user/password part of a URI. */
static bool userinfo_safe(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("-._~!$&'()*+,;=", c) != NULL;
}

/* Re-encodes user or password: SQLAlchemy accepts raw '@', ':' or '/' there
 * (it splits at the last '@'), libpq does not. Valid %XX escapes are kept. */
static void put_userinfo(strbuf_t *out, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
            hexval(s[i + 2]) >= 0) {
            strbuf_append(out, s + i, 3);
            i += 2;
        } else if (c != '\0' && userinfo_safe(c)) {
            strbuf_putc(out, c);
        } else {
            strbuf_printf(out, "%%%02X", (unsigned char)c);
        }
    }
}

static bool libpq_knows(const char *key) {
    PQconninfoOption *opts = PQconndefaults();
    bool known = false;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, key) == 0) known = true;
    PQconninfoFree(opts);
    return known;
}

/* Appends the query args libpq understands; drops the others (SQLAlchemy
 * and driver options libpq would refuse) with a warning. */
static void put_query(strbuf_t *out, const char *q) {
    bool first = true;
    while (*q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        size_t klen = eq ? (size_t)(eq - q) : n;
        char *key = pct_decode(q, klen);
        if (n && key && libpq_knows(key)) {
            strbuf_putc(out, first ? '?' : '&');
            strbuf_append(out, q, n);
            first = false;
        } else if (n) {
            log_warn("config: SQLALCHEMY_DATABASE_URI query argument '%.*s' is not a libpq "
                     "option; ignored",
                     (int)klen, q);
        }
        free(key);
        q += n;
        if (*q == '&') q++;
    }
}

char *config_pg_conninfo_from_uri(const char *uri, char **err) {
    char *ignored = NULL;
    if (!err) err = &ignored;
    *err = NULL;
    if (!uri) {
        *err = xasprintf("SQLALCHEMY_DATABASE_URI is not set");
        return NULL;
    }
    const char *sep = strstr(uri, "://");
    size_t slen = sep ? (size_t)(sep - uri) : 0;
    bool ok = false;
    for (int i = 0; sep && pg_schemes[i]; i++)
        if (strlen(pg_schemes[i]) == slen && strncasecmp(pg_schemes[i], uri, slen) == 0) ok = true;
    if (!ok) {
        *err = xasprintf("Liteset needs a PostgreSQL metadata database; SQLALCHEMY_DATABASE_URI "
                      "uses the unsupported scheme '%.*s' (expected postgresql://...)",
                      (int)(sep ? slen : strcspn(uri, ":")), uri);
        free(ignored);
        return NULL;
    }
    const char *rest = sep + 3;
    size_t qpos = strcspn(rest, "?");
    strbuf_t out;
    strbuf_init(&out, strlen(uri) + 16);
    strbuf_puts(&out, "postgresql://");
    /* userinfo ends at the last '@' before the query (SQLAlchemy's rule) */
    const char *at = NULL;
    for (const char *c = rest; c < rest + qpos; c++)
        if (*c == '@') at = c;
    const char *hostpart = rest;
    if (at) {
        size_t ulen = (size_t)(at - rest);
        const char *colon = memchr(rest, ':', ulen);
        size_t user_len = colon ? (size_t)(colon - rest) : ulen;
        put_userinfo(&out, rest, user_len);
        if (colon) {
            strbuf_putc(&out, ':');
            put_userinfo(&out, colon + 1, ulen - user_len - 1);
        }
        strbuf_putc(&out, '@');
        hostpart = at + 1;
    }
    strbuf_append(&out, hostpart, (size_t)(rest + qpos - hostpart));
    if (rest[qpos] == '?') put_query(&out, rest + qpos + 1);
    return out.data;
}

/* ---- Redis ----------------------------------------------------------------- */

void config_redis_clear(config_redis_t *r) {
    free(r->host);
    free(r->unix_path);
    free(r->username);
    free(r->password);
    memset(r, 0, sizeof *r);
}

/* Parses a non-negative decimal of at most max; -1 otherwise. */
static long parse_uint(const char *s, size_t n, long max) {
    if (n == 0 || n > 10) return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v <= max ? v : -1;
}

/* Reads db=N from a query string; keeps *db when absent. */
static bool query_db(const char *q, int *db) {
    while (*q) {
        size_t n = strcspn(q, "&");
        if (n > 3 && strncmp(q, "db=", 3) == 0) {
            long v = parse_uint(q + 3, n - 3, 1 << 20);
            if (v < 0) return false;
            *db = (int)v;
        }
        q += n;
        if (*q == '&') q++;
    }
    return true;
}

bool config_redis_from_url(const char *url, config_redis_t *out, char **err) {
    char *ignored = NULL;
    if (!err) err = &ignored;
    *err = NULL;
    memset(out, 0, sizeof *out);
    out->port = 6379;
    static const struct { const char *prefix; bool ssl; bool unix_socket; } schemes[] = {
        {"redis://", false, false}, {"rediss://", true, false}, {"unix://", false, true}};
    const char *rest = NULL;
    bool unix_socket = false;
    for (size_t i = 0; url && i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i].prefix);
        if (strncasecmp(url, schemes[i].prefix, n) == 0) {
            rest = url + n;
            out->ssl = schemes[i].ssl;
            unix_socket = schemes[i].unix_socket;
        }
    }
    if (!rest) {
        *err = xasprintf("unsupported Redis URL scheme '%.*s' (expected redis://, rediss:// or "
                      "unix://)",
                      url ? (int)strcspn(url, ":") : 0, url ? url : "");
        free(ignored);
        return false;
    }
    size_t qpos = strcspn(rest, "?");
    const char *query = rest[qpos] == '?' ? rest + qpos + 1 : "";
    /* userinfo: [user][:password]@ */
    const char *at = NULL;
    for (const char *c = rest; c < rest + qpos; c++)
        if (*c == '@') at = c;
    const char *hp = rest;
    if (at) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        const char *uend = colon ? colon : at;
        if (uend > rest) out->username = pct_decode(rest, (size_t)(uend - rest));
        if (colon) out->password = pct_decode(colon + 1, (size_t)(at - colon - 1));
        if ((uend > rest && !out->username) || (colon && !out->password)) goto bad;
        hp = at + 1;
    }
    size_t hplen = (size_t)(rest + qpos - hp);
    int db = 0;
    if (unix_socket) {
        if (hplen == 0 || hp[0] != '/') goto bad;
        out->unix_path = pct_decode(hp, hplen);
        if (!out->unix_path) goto bad;
    } else {
        /* host[:port][/db]; IPv6 hosts are bracketed */
        size_t slash = strcspn(hp, "/?");
        if (slash > hplen) slash = hplen;
        const char *hend = hp + slash;
        const char *port = NULL;
        const char *host = hp;
        size_t host_len;
        if (*hp == '[') {
            const char *close = memchr(hp, ']', slash);
            if (!close) goto bad;
            host = hp + 1;
            host_len = (size_t)(close - host);
            if (close + 1 < hend) {
                if (close[1] != ':') goto bad;
                port = close + 2;
            }
        } else {
            const char *colon = memchr(hp, ':', slash);
            host_len = colon ? (size_t)(colon - hp) : slash;
            if (colon) port = colon + 1;
        }
        out->host = host_len ? pct_decode(host, host_len) : xstrdup("localhost");
        if (!out->host) goto bad;
        if (port) {
            long p = parse_uint(port, (size_t)(hend - port), 65535);
            if (p <= 0) goto bad;
            out->port = (int)p;
        }
        if (slash < hplen && hend[0] == '/' && hplen - slash > 1) {
            long d = parse_uint(hend + 1, hplen - slash - 1, 1 << 20);
            if (d < 0) goto bad;
            db = (int)d;
        }
    }
    if (!query_db(query, &db)) goto bad;
    out->db = db;
    return true;
bad:
    config_redis_clear(out);
    /* the URL is not repeated: it may carry a password */
    *err = xasprintf("malformed Redis URL (%.*s...)", (int)strcspn(url, ":"), url);
    free(ignored);
    return false;
}
