/* DatabaseFilter / DatasourceFilter as SQL conditions; see the header. */
#include "fcgi/api/data_access_filter.h"

#include "domain/access.h"
#include "domain/security.h"
#include "fcgi/app.h"
#include "lib/strbuf.h"

const char *data_access_role_ids(request_t *req) {
    strbuf_t b;
    strbuf_init_arena(&b, req->arena, 32);
    strbuf_printf(&b, "{");
    if (req->user) {
        for (int i = 0; i < req->user->nroles; i++)
            strbuf_printf(&b, "%s%lld", i ? "," : "", (long long)req->user->roles[i].id);
    } else {
        int64_t pub = security_role_id(app_security(req->app),
                                       config_str(app_config(req->app), "AUTH_ROLE_PUBLIC", "Public"));
        if (pub) strbuf_printf(&b, "%lld", (long long)pub);
    }
    strbuf_printf(&b, "}");
    return b.data;
}

const char *data_access_grants_sql(arena_t *a, const char *permission, const char *roles_param) {
    return arena_sprintf(a,
                         "(SELECT vm.name FROM ab_view_menu vm"
                         " JOIN ab_permission_view pv ON pv.view_menu_id = vm.id"
                         " JOIN ab_permission p ON p.id = pv.permission_id"
                         " JOIN ab_permission_view_role pvr ON pvr.permission_view_id = pv.id"
                         " WHERE p.name = '%s' AND pvr.role_id = ANY(%s::int[]))",
                         permission, roles_param);
}

static const char *grants_sql(model_query_t *q, const char *roles_param, const char *permission) {
    return data_access_grants_sql(q->arena, permission, roles_param);
}

void data_access_database_filter(request_t *req, model_query_t *q) {
    security_t *s = app_security(req->app);
    const config_t *cfg = app_config(req->app);
    if (s && security_can(s, cfg, req->user, "all_database_access", "all_database_access")) return;
    const char *roles = mq_param(q, data_access_role_ids(req));
    /* database names heading "[db].…" grants: split(".")[0][1:-1] */
    static const char *const named_by[] = {"catalog_access", "schema_access", "datasource_access"};
    strbuf_t names;
    strbuf_init_arena(&names, q->arena, 256);
    for (size_t i = 0; i < sizeof named_by / sizeof *named_by; i++)
        strbuf_printf(&names, "%s SELECT substr(split_part(g.name, '.', 1), 2, length(split_part(g.name, '.', 1)) - 2)"
                              " FROM %s g",
                      i ? " UNION" : "", grants_sql(q, roles, named_by[i]));
    mq_where(q, arena_sprintf(q->arena,
                              "('[' || t.database_name || '].(id:' || t.id || ')') IN %s OR t.database_name IN (%s)",
                              grants_sql(q, roles, "database_access"), names.data));
}

void data_access_datasource_filter(request_t *req, model_query_t *q) {
    security_t *s = app_security(req->app);
    const config_t *cfg = app_config(req->app);
    if (s && access_all_datasources(s, cfg, req->user)) return;
    const char *roles = mq_param(q, data_access_role_ids(req));
    mq_where(q, arena_sprintf(q->arena,
                              "t.database_id IN (SELECT substring(g.name FROM '^\\[.+\\]\\.\\(id:(\\d+)\\)$')::int"
                              " FROM %s g WHERE g.name ~ '^\\[.+\\]\\.\\(id:\\d+\\)$')"
                              " OR t.perm IN %s OR t.catalog_perm IN %s OR t.schema_perm IN %s",
                              grants_sql(q, roles, "database_access"), grants_sql(q, roles, "datasource_access"),
                              grants_sql(q, roles, "catalog_access"), grants_sql(q, roles, "schema_access")));
}
