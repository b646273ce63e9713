/* Opening users' analytical databases; see target_db.h. */
#include "domain/target_db.h"

#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include "lib/encrypted_type.h"
#include "lib/offload.h"
#include "lib/sqla_url.h"
#include "lib/strbuf.h"
#include "persistence/target_pool.h"

const char *target_backend(arena_t *a, const char *uri) {
    if (!uri) return "";
    size_t n = strcspn(uri, "+:");
    return arena_strndup(a, uri, n);
}

static bool is_postgres(const char *backend) {
    return !strcmp(backend, "postgresql") || !strcmp(backend, "postgres");
}

const char *target_unsupported_message(arena_t *a, const char *backend) {
    return arena_sprintf(a, "Liteset cannot connect to %s databases yet; only PostgreSQL is supported",
                         backend && *backend ? backend : "this kind of");
}

double target_query_timeout(const config_t *cfg) { return config_real(cfg, "LITESET_TARGET_QUERY_TIMEOUT", 60.0); }

/* Percent-encodes a userinfo part for a URI. */
static void put_quoted(strbuf_t *sb, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
            strbuf_putc(sb, (char)c);
        else strbuf_printf(sb, "%%%02X", c);
    }
}

typedef struct resolve_job {
    const char *host;
    char addr[64]; /* the address, or the resolver's error */
    bool ok;
} resolve_job_t;

static void resolve(void *arg) {
    resolve_job_t *j = arg;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    j->ok = false;
    int rc = getaddrinfo(j->host, NULL, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(j->addr, sizeof j->addr, "%s", rc ? gai_strerror(rc) : "no address");
        return;
    }
    const void *in = res->ai_family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr
                                                : (const void *)&((struct sockaddr_in *)res->ai_addr)->sin_addr;
    j->ok = inet_ntop(res->ai_family, in, j->addr, sizeof j->addr) != NULL;
    freeaddrinfo(res);
}

/* libpq resolves host names synchronously while connecting, which would
 * block the loop: a named host is resolved on the offload threads first
 * and its address passed as hostaddr (the name stays for TLS checks). */
static char *with_hostaddr(arena_t *a, char *conninfo, const char *uri, const char **msg) {
    sqla_url_t u;
    if (!sqla_url_parse(a, uri, &u) || !u.host || !*u.host || u.host[0] == '/' || json_object_get(u.query, "hostaddr") ||
        json_object_get(u.query, "host") || strchr(u.host, ','))
        return conninfo;
    unsigned char buf[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, u.host, buf) == 1 || inet_pton(AF_INET6, u.host, buf) == 1) return conninfo;
    resolve_job_t job = {.host = u.host};
    offload_run(resolve, &job);
    if (!job.ok) { /* worded as libpq words it, for the connection error patterns */
        *msg = arena_sprintf(a, "could not translate host name \"%s\" to address: %s", u.host, job.addr);
        return NULL;
    }
    return arena_sprintf(a, "%s%chostaddr=%s", conninfo, strchr(conninfo, '?') ? '&' : '?', job.addr);
}

char *target_conninfo(arena_t *a, const char *uri, const char *password, const char **msg) {
    const char *backend = target_backend(a, uri);
    if (!is_postgres(backend)) {
        *msg = target_unsupported_message(a, backend);
        return NULL;
    }
    const char *with_pw = uri;
    if (password) {
        /* replace the URI's password (or add one) in its userinfo */
        const char *sep = strstr(uri, "://");
        const char *rest = sep + 3;
        size_t qpos = strcspn(rest, "?");
        const char *at = NULL;
        for (const char *c = rest; c < rest + qpos; c++)
            if (*c == '@') at = c;
        if (at) {
            const char *colon = memchr(rest, ':', (size_t)(at - rest));
            size_t ulen = colon ? (size_t)(colon - rest) : (size_t)(at - rest);
            strbuf_t sb;
            strbuf_init_arena(&sb, a, strlen(uri) + strlen(password) * 3 + 8);
            strbuf_append(&sb, uri, (size_t)(rest - uri) + ulen);
            strbuf_putc(&sb, ':');
            put_quoted(&sb, password);
            strbuf_puts(&sb, at);
            with_pw = sb.data;
        }
    }
    /* the dialect name libpq knows, driver dropped */
    const char *sep = strstr(with_pw, "://");
    if (!sep) {
        *msg = "Invalid connection string";
        return NULL;
    }
    char *err = NULL;
    char *ci = config_pg_conninfo_from_uri(arena_sprintf(a, "postgresql%s", sep), &err);
    if (!ci) {
        *msg = arena_strdup(a, err ? err : "Invalid connection string");
        free(err);
        return NULL;
    }
    char *out = arena_strdup(a, ci);
    free(ci);
    return with_hostaddr(a, out, with_pw, msg);
}

/* The URI with its database (PostgreSQL's catalog) replaced, as the spec's
 * adjust_engine_params does for a catalog. */
static const char *uri_for_catalog(arena_t *a, const char *uri, const char *catalog) {
    const char *sep = strstr(uri, "://");
    if (!sep || !catalog || !*catalog) return uri;
    const char *rest = sep + 3;
    size_t qpos = strcspn(rest, "?");
    const char *at = NULL;
    for (const char *c = rest; c < rest + qpos; c++)
        if (*c == '@') at = c;
    const char *host = at ? at + 1 : rest;
    const char *slash = memchr(host, '/', (size_t)(rest + qpos - host));
    const char *path_end = rest + qpos;
    strbuf_t sb;
    strbuf_init_arena(&sb, a, strlen(uri) + strlen(catalog) * 3 + 2);
    strbuf_append(&sb, uri, (size_t)((slash ? slash : path_end) - uri));
    strbuf_putc(&sb, '/');
    for (const char *c = catalog; *c; c++) {
        unsigned char ch = (unsigned char)*c;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-._~", ch))
            strbuf_putc(&sb, (char)ch);
        else strbuf_printf(&sb, "%%%02X", ch);
    }
    strbuf_puts(&sb, path_end);
    return sb.data;
}

target_status_t target_db_open(pg_pool_t *meta, arena_t *a, const config_t *cfg, int64_t id, const char *catalog,
                               target_db_t *out, const char **msg) {
    memset(out, 0, sizeof *out);
    const char *ids = arena_sprintf(a, "%lld", (long long)id);
    pg_error_t err;
    pg_result_t *r = pg_query(meta, a, &err,
                              "SELECT database_name, sqlalchemy_uri, convert_from(password, 'UTF8'), extra,"
                              " EXISTS (SELECT 1 FROM ssh_tunnels s WHERE s.database_id = dbs.id)"
                              " FROM dbs WHERE id = $1::int", 1, &ids);
    if (!r) {
        *msg = err.message;
        return TARGET_META_ERROR;
    }
    if (!pg_nrows(r)) return TARGET_NOT_FOUND;
    out->id = id;
    out->database_name = pg_get(r, 0, 0);
    out->sqlalchemy_uri = pg_get(r, 0, 1);
    out->backend = target_backend(a, out->sqlalchemy_uri);
    const char *stored = pg_get(r, 0, 2);
    out->password = stored ? encrypted_type_decrypt(a, config_str(cfg, "SECRET_KEY", ""), stored) : NULL;
    const char *extra = pg_get(r, 0, 3);
    json_t *ej = extra && *extra ? json_loads(extra, 0, NULL) : NULL;
    if (!json_is_object(ej)) {
        json_decref(ej);
        ej = json_object();
    }
    arena_on_free(a, (arena_cleanup_fn)json_decref, ej);
    out->extra = ej;
    if (!is_postgres(out->backend)) {
        *msg = target_unsupported_message(a, out->backend);
        return TARGET_UNSUPPORTED;
    }
    if (pg_get_bool(r, 0, 4, false)) {
        *msg = "Liteset cannot connect through an SSH tunnel yet";
        return TARGET_UNSUPPORTED;
    }
    const char *ci = target_conninfo(a, uri_for_catalog(a, out->sqlalchemy_uri, catalog), out->password, msg);
    if (!ci) return TARGET_BAD_URI;
    out->pool = target_pool_get(ci, target_query_timeout(cfg));
    if (!out->pool) {
        *msg = "Could not create a connection pool";
        return TARGET_BAD_URI;
    }
    return TARGET_OK;
}
