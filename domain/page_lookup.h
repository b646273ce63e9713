/* What Superset's server-rendered page routes look up in the metadata
 * database before rendering the SPA shell: dashboards by id, UUID or slug
 * and whether the current user may see one (raise_for_access), a user's
 * welcome dashboard, whether a chart exists, embedded dashboard
 * configurations, and the blank dashboard /dashboard/new/ creates.
 *
 * All functions run on a fiber; results live on the caller's arena. */
#ifndef LITESET_DOMAIN_PAGE_LOOKUP_H
#define LITESET_DOMAIN_PAGE_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "domain/security.h"
#include "domain/user.h"
#include "persistence/pg.h"

typedef enum {
    LOOKUP_FOUND,
    LOOKUP_MISSING,
    LOOKUP_ERROR, /* database error (logged) */
} lookup_t;

typedef struct page_dashboard {
    int64_t id;
    const char *title; /* NULL when the column is NULL */
    bool published;
} page_dashboard_t;

/* Dashboard.get: an integer is an id, else a UUID, else a slug. */
lookup_t page_dashboard_find(pg_pool_t *pg, arena_t *a, const char *id_or_slug, page_dashboard_t *out);

/* security_manager.raise_for_access(dashboard=...) for user (NULL =
 * anonymous): admins and owners; with DASHBOARD_RBAC and dashboard roles,
 * published and sharing a role; otherwise no datasets or access to one of
 * them. LOOKUP_FOUND = allowed, LOOKUP_MISSING = denied. */
lookup_t page_dashboard_access(pg_pool_t *pg, security_t *sec, const config_t *cfg, arena_t *a,
                               const sec_user_t *user, const page_dashboard_t *d);

/* security_manager.is_owner(dashboard): admins, or a listed owner. */
lookup_t page_dashboard_is_owner(pg_pool_t *pg, const config_t *cfg, arena_t *a, const sec_user_t *user,
                                 int64_t dashboard_id);

/* user_attribute.welcome_dashboard_id of the user (LOOKUP_MISSING: none). */
lookup_t page_welcome_dashboard(pg_pool_t *pg, arena_t *a, int64_t user_id, int64_t *dashboard_id);

lookup_t page_chart_exists(pg_pool_t *pg, arena_t *a, int64_t chart_id);

/* embedded_dashboards row by UUID text: its dashboard and allowed domains
 * (the raw allow_domain_list text, may be NULL). */
lookup_t page_embedded_find(pg_pool_t *pg, arena_t *a, const char *uuid, int64_t *dashboard_id,
                            const char **allow_domain_list);

/* Inserts "[ untitled dashboard ]" owned by user; its id, or 0 on error. */
int64_t page_dashboard_create_blank(pg_pool_t *pg, arena_t *a, const sec_user_t *user);

/* Python's uuid.UUID(text) acceptance; canonical lower-case form or NULL. */
const char *page_parse_uuid(arena_t *a, const char *text);

#endif
