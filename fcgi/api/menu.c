/* Flask-AppBuilder's MenuApi: GET /api/v1/menu/ answers {"result": <menu>}
 * with the same items as the bootstrap's menu_data.menu, for the session or
 * bearer user (protect(), permission can_get on MenuApi). Registered unless
 * FAB_ADD_MENU_API is false. */
#include "fcgi/api/api.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/spa/conf.h"
#include "fcgi/spa/menu.h"

static void get_menu(request_t *req) {
    if (!spa_conf_truthy(req->cfg, "FAB_ADD_MENU_API")) {
        error_http(req, 404);
        return;
    }
    json_t *items = spa_menu_items(req, auth_current_user(req));
    resp_json(req, 200, json_pack("{s:o}", "result", items), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/menu/", get_menu, GUARD("can_get", "MenuApi"), ROUTE_CSRF_EXEMPT, NULL},
};

const route_table_t menu_routes = {routes, sizeof routes / sizeof routes[0], NULL};
