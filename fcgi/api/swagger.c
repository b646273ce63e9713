/* GET /swagger/<version>: Flask-AppBuilder's SwaggerView.show, the Swagger
 * UI page for the OpenAPI document at /api/<version>/_openapi (any version
 * string; the document itself answers 404 for versions no API declares).
 *
 * @has_access with can_show on SwaggerView: anonymous users and users
 * without the permission get the flash and the 302 to the login page. The
 * route exists only while FAB_ADD_OPENAPI_VIEWS and FAB_API_SWAGGER_UI are
 * true (otherwise 404, as an unknown path). The page's assets are
 * Flask-AppBuilder's package static files, which the web server serves at
 * /static/appbuilder/ from LITESET_FAB_STATIC_DIR (see README). */
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/auth.h"
#include "fcgi/has_access.h"
#include "fcgi/spa/bootstrap.h"
#include "fcgi/spa/conf.h"
#include "fcgi/spa/i18n.h"
#include "fcgi/spa/locale.h"
#include "fcgi/spa/menu.h"
#include "fcgi/spa/swagger_page.h"

static const char *nonce_of(request_t *req) {
    return config_bool(req->cfg, "TALISMAN_ENABLED", true) && req->csp_nonce ? req->csp_nonce : "";
}

static const char *full_name(request_t *req, const sec_user_t *u) {
    if (!u) return NULL;
    return arena_sprintf(req->arena, "%s %s", u->first_name ? u->first_name : "", u->last_name ? u->last_name : "");
}

static void show(request_t *req) {
    if (!has_access(req, "can_show", "SwaggerView")) return;
    const sec_user_t *u = auth_current_user(req);
    const char *locale = spa_locale(req);
    json_t *menu = spa_menu_items(req, u);
    json_t *languages = spa_languages(req->cfg);
    json_t *flashes = spa_flash_consume(req);
    swagger_page_t page = {
        .app_name = spa_conf_str(req->cfg, "APP_NAME", "Superset"),
        .app_icon = spa_conf_str(req->cfg, "APP_ICON", NULL),
        .app_theme = spa_conf_str(req->cfg, "APP_THEME", NULL),
        .fab_static = arena_sprintf(req->arena, "%s/static/appbuilder", req->script_root),
        .index_url = arena_sprintf(req->arena, "%s/", req->script_root),
        .openapi_url = arena_sprintf(req->arena, "/api/%s/_openapi", req_path_param(req, "version")),
        .nonce = nonce_of(req),
        .menu = menu,
        .languages = languages,
        .locale = locale,
        .script_root = req->script_root,
        .user_name = full_name(req, u),
        .flashes = flashes,
        .text_login = spa_gettext(req, "Login"),
        .text_profile = spa_gettext(req, "Profile"),
        .text_logout = spa_gettext(req, "Logout"),
        .text_confirm = spa_gettext(req, "User confirmation needed"),
    };
    strbuf_clear(&req->resp_body);
    swagger_page_write(&req->resp_body, &page);
    resp_set_header(req, "Content-Type", "text/html; charset=utf-8");
    req->status = 200;
    json_decref(menu);
    json_decref(languages);
    json_decref(flashes);
}

static const route_def_t routes[] = {
    {"GET", "/swagger/<version>", show, GUARD_PUBLIC, 0, NULL},
};

const route_table_t swagger_routes = {routes, sizeof routes / sizeof routes[0], "FAB_ADD_OPENAPI_VIEWS FAB_API_SWAGGER_UI"};
