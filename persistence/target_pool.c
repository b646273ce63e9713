/* Target database pools; see target_pool.h. The registry is a list owned
 * by this module (pools are never freed while the process runs). */
#include "persistence/target_pool.h"

#include <stdlib.h>
#include <string.h>

#include "lib/fiber.h"
#include "lib/strbuf.h"

typedef struct entry {
    char *conninfo;
    pg_pool_t *pool;
    struct entry *next;
} entry_t;

static entry_t *pools;

static pg_pool_t *make(const char *conninfo, double query_timeout) {
    pg_pool_opts_t o = {.conninfo = conninfo, .size = TARGET_POOL_SIZE, .query_timeout = query_timeout,
                        .connect_timeout = TARGET_CONNECT_TIMEOUT, .acquire_timeout = 30};
    return pg_pool_new(fiber_loop(), &o);
}

pg_pool_t *target_pool_get(const char *conninfo, double query_timeout) {
    for (entry_t *e = pools; e; e = e->next)
        if (!strcmp(e->conninfo, conninfo)) {
            pg_pool_configure(e->pool, TARGET_POOL_SIZE, query_timeout);
            return e->pool;
        }
    pg_pool_t *p = make(conninfo, query_timeout);
    if (!p) return NULL;
    entry_t *e = calloc(1, sizeof *e);
    if (!e) return p; /* unreachable in practice; the pool then lives unregistered */
    e->conninfo = strdup(conninfo);
    e->pool = p;
    e->next = pools;
    pools = e;
    return p;
}

pg_pool_t *target_pool_temporary(const char *conninfo, double query_timeout) { return make(conninfo, query_timeout); }
