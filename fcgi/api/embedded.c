/* GET /api/v1/embedded_dashboard/<uuid> (EmbeddedDashboardRestApi: 404 for
 * everyone while EMBEDDED_SUPERSET is off, then can_read on
 * EmbeddedDashboard) and GET /api/v1/available_domains/
 * (SUPERSET_WEBSERVER_DOMAINS, can_read on AvailableDomains). */
#include <ctype.h>
#include <string.h>

#include "config/config.h"
#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "persistence/pg.h"

/* uuid.UUID() input forms (hyphens optional, braces, urn:uuid:) → canonical
 * text, or NULL when it is not one (the lookup then finds nothing). */
static const char *canonical_uuid(request_t *req, const char *s) {
    if (!strncasecmp(s, "urn:uuid:", 9)) s += 9;
    char hex[33];
    size_t n = 0, len = strlen(s);
    if (len >= 2 && s[0] == '{' && s[len - 1] == '}') s++, len -= 2;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '-') continue;
        if (!isxdigit((unsigned char)s[i]) || n == 32) return NULL;
        hex[n++] = (char)tolower((unsigned char)s[i]);
    }
    if (n != 32) return NULL;
    hex[32] = '\0';
    return arena_sprintf(req->arena, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static const route_def_t embedded_guard = {"GET", NULL, NULL, GUARD("can_read", "EmbeddedDashboard"), 0, NULL};

static void get_embedded(request_t *req) {
    if (!config_feature(req->cfg, "EMBEDDED_SUPERSET")) return error_fab(req, 404, "Not found");
    if (!auth_check_guard(req, &embedded_guard)) return;
    const char *uuid = canonical_uuid(req, req_path_param(req, "uuid"));
    if (!uuid) return error_fab(req, 404, "Not found");
    const char *p[] = {uuid};
    pg_error_t err;
    pg_result_t *r = pg_query(
        app_pg(req->app), req->arena, &err,
        "SELECT json_build_object('uuid', e.uuid::text,"
        " 'allowed_domains', coalesce(to_json(string_to_array(nullif(e.allow_domain_list, ''), ',')), '[]'::json),"
        " 'dashboard_id', e.dashboard_id::text,"
        " 'changed_on', to_char(e.changed_on, 'YYYY-MM-DD\"T\"HH24:MI:SS') ||"
        "   CASE WHEN extract(microseconds FROM e.changed_on)::int % 1000000 <> 0"
        "   THEN to_char(e.changed_on, '.US') ELSE '' END,"
        " 'changed_by', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('first_name', u.first_name,"
        "   'id', u.id, 'last_name', u.last_name, 'username', u.username) END)::text"
        " FROM embedded_dashboards e LEFT JOIN ab_user u ON u.id = e.changed_by_fk WHERE e.uuid = $1::uuid",
        1, p);
    if (!r) return error_fab(req, 500, "Fatal error");
    if (!pg_nrows(r)) return error_fab(req, 404, "Not found");
    json_t *result = json_loads(pg_get(r, 0, 0), 0, NULL);
    if (!result) return error_fab(req, 500, "Fatal error");
    resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
}

static void get_available_domains(request_t *req) {
    const json_t *domains = config_get(req->cfg, "SUPERSET_WEBSERVER_DOMAINS");
    json_t *d = domains ? json_deep_copy(domains) : json_null();
    resp_json(req, 200, json_pack("{s:{s:o}}", "result", "domains", d), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/embedded_dashboard/<uuid>", get_embedded, GUARD_PUBLIC, 0, NULL},
    {"GET", "/api/v1/available_domains/", get_available_domains, GUARD("can_read", "AvailableDomains"), 0, NULL},
};
const route_table_t embedded_routes = {routes, sizeof routes / sizeof routes[0], NULL};
