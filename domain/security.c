/* Permission cache and checks; see security.h. */
#include "domain/security.h"

#include <stdlib.h>
#include <string.h>

#include "lib/fiber.h"
#include "lib/log.h"

typedef struct grant {
    int64_t role_id;
    char *perm; /* heap, owned by the cache */
    char *view;
} grant_t;

typedef struct role_name {
    int64_t id;
    char *name;
} role_name_t;

typedef struct cache {
    grant_t *grants; /* sorted by (role_id, perm, view) */
    size_t ngrants;
    role_name_t *roles;
    size_t nroles;
} cache_t;

struct security {
    pg_pool_t *pg;
    double ttl;
    cache_t *cache;     /* NULL until first load */
    double loaded_at;
    bool loading;
};

static void cache_free(cache_t *c) {
    if (!c) return;
    for (size_t i = 0; i < c->ngrants; i++) {
        free(c->grants[i].perm);
        free(c->grants[i].view);
    }
    for (size_t i = 0; i < c->nroles; i++) free(c->roles[i].name);
    free(c->grants);
    free(c->roles);
    free(c);
}

static int grant_cmp(const void *pa, const void *pb) {
    const grant_t *a = pa, *b = pb;
    if (a->role_id != b->role_id) return a->role_id < b->role_id ? -1 : 1;
    int c = strcmp(a->perm, b->perm);
    return c ? c : strcmp(a->view, b->view);
}

static cache_t *cache_load(pg_pool_t *pg) {
    arena_t *a = arena_new(65536);
    pg_error_t err;
    cache_t *c = NULL;
    pg_result_t *g = pg_query(pg, a, &err,
                              "SELECT pvr.role_id, p.name, v.name FROM ab_permission_view_role pvr"
                              " JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id"
                              " JOIN ab_permission p ON p.id = pv.permission_id"
                              " JOIN ab_view_menu v ON v.id = pv.view_menu_id",
                              0, NULL);
    pg_result_t *r = g ? pg_query(pg, a, &err, "SELECT id, name FROM ab_role", 0, NULL) : NULL;
    if (!r) {
        log_error("loading permissions failed: %s", err.message ? err.message : "");
        arena_free(a);
        return NULL;
    }
    c = xcalloc(1, sizeof *c);
    c->ngrants = (size_t)pg_nrows(g);
    c->grants = xcalloc(c->ngrants ? c->ngrants : 1, sizeof *c->grants);
    for (size_t i = 0; i < c->ngrants; i++) {
        c->grants[i].role_id = pg_get_int(g, (int)i, 0, 0);
        c->grants[i].perm = xstrdup(pg_get(g, (int)i, 1) ? pg_get(g, (int)i, 1) : "");
        c->grants[i].view = xstrdup(pg_get(g, (int)i, 2) ? pg_get(g, (int)i, 2) : "");
    }
    qsort(c->grants, c->ngrants, sizeof *c->grants, grant_cmp);
    c->nroles = (size_t)pg_nrows(r);
    c->roles = xcalloc(c->nroles ? c->nroles : 1, sizeof *c->roles);
    for (size_t i = 0; i < c->nroles; i++) {
        c->roles[i].id = pg_get_int(r, (int)i, 0, 0);
        c->roles[i].name = xstrdup(pg_get(r, (int)i, 1) ? pg_get(r, (int)i, 1) : "");
    }
    arena_free(a);
    return c;
}

/* Returns a current cache, reloading when stale. While one fiber reloads,
 * others keep using the previous cache (or wait when there is none yet). */
static cache_t *current(security_t *s) {
    double now = ev_time();
    while (!s->cache || now - s->loaded_at > s->ttl) {
        if (s->loading) {
            if (s->cache) return s->cache;
            if (fiber_sleep(0.005) != FIBER_OK) return NULL;
            continue;
        }
        s->loading = true;
        cache_t *fresh = cache_load(s->pg);
        s->loading = false;
        if (!fresh) return s->cache; /* keep serving the old grants on a DB error */
        cache_free(s->cache);
        s->cache = fresh;
        s->loaded_at = ev_time();
    }
    return s->cache;
}

security_t *security_new(pg_pool_t *pg, double ttl) {
    security_t *s = xcalloc(1, sizeof *s);
    s->pg = pg;
    s->ttl = ttl > 0 ? ttl : 10;
    return s;
}

void security_free(security_t *s) {
    if (!s) return;
    cache_free(s->cache);
    free(s);
}

void security_invalidate(security_t *s) { s->loaded_at = -1e18; }

bool security_role_can(security_t *s, int64_t role_id, const char *perm, const char *view) {
    cache_t *c = current(s);
    if (!c || !perm || !view) return false;
    grant_t key = {.role_id = role_id, .perm = (char *)perm, .view = (char *)view};
    return bsearch(&key, c->grants, c->ngrants, sizeof *c->grants, grant_cmp) != NULL;
}

int64_t security_role_id(security_t *s, const char *name) {
    cache_t *c = current(s);
    if (!c || !name) return 0;
    for (size_t i = 0; i < c->nroles; i++)
        if (!strcmp(c->roles[i].name, name)) return c->roles[i].id;
    return 0;
}

bool security_public_can(security_t *s, const config_t *cfg, const char *perm, const char *view) {
    const char *public_role = config_str(cfg, "AUTH_ROLE_PUBLIC", "Public");
    if (!public_role || !*public_role) return false;
    int64_t id = security_role_id(s, public_role);
    return id && security_role_can(s, id, perm, view);
}

bool security_can(security_t *s, const config_t *cfg, const sec_user_t *u, const char *perm, const char *view) {
    if (!u) return security_public_can(s, cfg, perm, view);
    for (int i = 0; i < u->nroles; i++)
        if (security_role_can(s, u->roles[i].id, perm, view)) return true;
    return false;
}

bool security_is_admin(const config_t *cfg, const sec_user_t *u) {
    return user_has_role(u, config_str(cfg, "AUTH_ROLE_ADMIN", "Admin"));
}

void security_role_foreach(security_t *s, int64_t role_id, void (*fn)(void *, const char *, const char *),
                           void *ud) {
    cache_t *c = current(s);
    if (!c) return;
    for (size_t i = 0; i < c->ngrants; i++)
        if (c->grants[i].role_id == role_id) fn(ud, c->grants[i].perm, c->grants[i].view);
}
