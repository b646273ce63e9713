/* Menu construction; see menu.h. The registration table below is the order
 * in which Flask-AppBuilder (security views first) and Superset's
 * init_views add menu entries; a category is created by the first entry
 * that names it, with that entry's category icon and label. Labels are
 * lazy_gettext strings: translated into the request's locale. */
#include "fcgi/spa/menu.h"

#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "fcgi/app.h"
#include "fcgi/session.h"
#include "fcgi/spa/conf.h"
#include "fcgi/spa/i18n.h"
#include "fcgi/spa/locale.h"
#include "fcgi/spa/manifest.h"

typedef enum {
    URL_FOR,      /* a Flask endpoint: script root + path */
    URL_APP_ROOT, /* href built from APPLICATION_ROOT (trailing slash removed) + path */
    URL_LITERAL,  /* href used as written */
} url_kind_t;

typedef enum {
    WHEN_ALWAYS,
    WHEN_FLAG,        /* feature flag `key` */
    WHEN_SETTING,     /* setting `key` is truthy */
    WHEN_ACTION_LOG,  /* FAB_ADD_SECURITY_VIEWS and SUPERSET_LOG_VIEW */
} when_t;

typedef struct menu_def {
    const char *category;       /* NULL: top level */
    const char *category_icon;  /* used when this entry creates the category */
    const char *category_label;
    const char *name;           /* "-" is a separator */
    const char *label;
    const char *icon;
    const char *path;
    url_kind_t url;
    when_t registered;          /* registration-time condition (WHEN_SETTING only) */
    const char *registered_key;
    when_t shown;               /* render-time condition (menu_cond) */
    const char *shown_key;
} menu_def_t;

static const menu_def_t menu_defs[] = {
    /* Flask-AppBuilder's security views: Superset removes their items but
     * the category and the separator FAB added stay. */
    {"Security", "fa-cogs", "Security", "-", "", "", NULL, URL_LITERAL, WHEN_SETTING, "FAB_ADD_SECURITY_VIEWS",
     WHEN_ALWAYS, NULL},
    /* Superset's init_views */
    {NULL, "", "", "Home", "Home", "", "/superset/welcome/", URL_LITERAL, WHEN_ALWAYS, NULL, WHEN_SETTING,
     "LOGO_TARGET_PATH"},
    {"Data", "", "Data", "Databases", "Database Connections", "fa-database", "/databaseview/list/", URL_FOR,
     WHEN_ALWAYS, NULL, WHEN_ALWAYS, NULL},
    {NULL, "", "", "Dashboards", "Dashboards", "fa-dashboard", "/dashboard/list/", URL_FOR, WHEN_ALWAYS, NULL,
     WHEN_ALWAYS, NULL},
    {NULL, "", "", "Charts", "Charts", "fa-bar-chart", "/chart/list/", URL_FOR, WHEN_ALWAYS, NULL, WHEN_ALWAYS,
     NULL},
    {NULL, "", "", "Datasets", "Datasets", "fa-table", "/tablemodelview/list/", URL_APP_ROOT, WHEN_ALWAYS, NULL,
     WHEN_ALWAYS, NULL},
    {"Security", "", "Security", "List Roles", "List Roles", "", "/roles/", URL_FOR, WHEN_ALWAYS, NULL,
     WHEN_SETTING, "SUPERSET_SECURITY_VIEW_MENU"},
    {"Security", "", "Security", "User Registrations", "User Registrations", "", "/registrations/", URL_FOR,
     WHEN_ALWAYS, NULL, WHEN_SETTING, "AUTH_USER_REGISTRATION"},
    {"Security", "", "Security", "List Users", "List Users", "", "/users/", URL_FOR, WHEN_ALWAYS, NULL,
     WHEN_SETTING, "SUPERSET_SECURITY_VIEW_MENU"},
    {"Security", "", "Security", "List Groups", "List Groups", "", "/list_groups/", URL_FOR, WHEN_ALWAYS, NULL,
     WHEN_SETTING, "SUPERSET_SECURITY_VIEW_MENU"},
    {"Manage", "", "Manage", "Plugins", "Plugins", "fa-puzzle-piece", "/dynamic-plugins/list/", URL_FOR,
     WHEN_ALWAYS, NULL, WHEN_FLAG, "DYNAMIC_PLUGINS"},
    {"Manage", "", "Manage", "CSS Templates", "CSS Templates", "fa-css3", "/csstemplatemodelview/list/", URL_FOR,
     WHEN_ALWAYS, NULL, WHEN_FLAG, "CSS_TEMPLATES"},
    {"Manage", "", "Manage", "Themes", "Themes", "fa-palette", "/theme/list/", URL_LITERAL, WHEN_ALWAYS, NULL,
     WHEN_ALWAYS, NULL},
    {"SQL Lab", "fa-flask", "SQL", "SQL Editor", "SQL Lab", "fa-flask", "/sqllab/", URL_APP_ROOT, WHEN_ALWAYS,
     NULL, WHEN_ALWAYS, NULL},
    {"SQL Lab", "", "SQL", "Saved Queries", "Saved Queries", "fa-save", "/savedqueryview/list/", URL_APP_ROOT,
     WHEN_ALWAYS, NULL, WHEN_ALWAYS, NULL},
    {"SQL Lab", "fa-flask", "SQL Lab", "Query Search", "Query History", "fa-search", "/sqllab/history/",
     URL_APP_ROOT, WHEN_ALWAYS, NULL, WHEN_ALWAYS, NULL},
    {"Manage", "", "Manage", "Tags", "Tags", "", "/superset/tags/", URL_FOR, WHEN_ALWAYS, NULL, WHEN_FLAG,
     "TAGGING_SYSTEM"},
    {"Security", "", "Security", "Action Log", "Action Log", "fa-list-ol", "/actionlog/list", URL_FOR,
     WHEN_ALWAYS, NULL, WHEN_ACTION_LOG, NULL},
    {"Manage", "", "Manage", "Alerts & Report", "Alerts & Reports", "fa-exclamation-triangle", "/alert/list/",
     URL_FOR, WHEN_ALWAYS, NULL, WHEN_FLAG, "ALERT_REPORTS"},
    {"Manage", "", "Manage", "Annotation Layers", "Annotation Layers", "fa-comment", "/annotationlayer/list/",
     URL_FOR, WHEN_ALWAYS, NULL, WHEN_ALWAYS, NULL},
    {"Security", "", "Security", "Row Level Security", "Row Level Security", "fa-lock", "/rowlevelsecurity/list/",
     URL_FOR, WHEN_ALWAYS, NULL, WHEN_ALWAYS, NULL},
};
#define N_DEFS (sizeof menu_defs / sizeof menu_defs[0])

static bool holds(request_t *req, when_t when, const char *key) {
    switch (when) {
    case WHEN_ALWAYS: return true;
    case WHEN_FLAG: return config_feature(req->cfg, key);
    case WHEN_SETTING: return spa_conf_truthy(req->cfg, key);
    case WHEN_ACTION_LOG:
        return spa_conf_truthy(req->cfg, "FAB_ADD_SECURITY_VIEWS") && spa_conf_truthy(req->cfg, "SUPERSET_LOG_VIEW");
    }
    return false;
}

/* The registered tree: top-level nodes, each either a leaf (def) or a
 * category with children (defs). */
typedef struct node {
    const char *name, *label, *icon;
    const menu_def_t *leaf;          /* NULL for a category */
    const menu_def_t *childs[N_DEFS];
    size_t nchilds;
} node_t;

static size_t build_tree(request_t *req, node_t *nodes) {
    size_t n = 0;
    for (size_t i = 0; i < N_DEFS; i++) {
        const menu_def_t *d = &menu_defs[i];
        if (!holds(req, d->registered, d->registered_key)) continue;
        if (!d->category) {
            nodes[n++] = (node_t){.name = d->name, .label = d->label, .icon = d->icon, .leaf = d};
            continue;
        }
        node_t *cat = NULL;
        for (size_t k = 0; k < n && !cat; k++)
            if (!nodes[k].leaf && !strcmp(nodes[k].name, d->category)) cat = &nodes[k];
        if (!cat) {
            cat = &nodes[n++];
            *cat = (node_t){.name = d->category, .label = d->category_label, .icon = d->category_icon};
        }
        cat->childs[cat->nchilds++] = d;
    }
    return n;
}

static const char *item_url(request_t *req, const menu_def_t *d) {
    switch (d->url) {
    case URL_FOR: return arena_sprintf(req->arena, "%s%s", req->script_root, d->path);
    case URL_APP_ROOT: {
        const char *root = config_str(req->cfg, "APPLICATION_ROOT", "/");
        size_t n = strlen(root);
        while (n && root[n - 1] == '/') n--;
        return arena_sprintf(req->arena, "%.*s%s", (int)n, root, d->path);
    }
    case URL_LITERAL: return d->path;
    }
    return d->path;
}

static bool allowed(request_t *req, const sec_user_t *user, const char *name) {
    security_t *sec = req->app ? app_security(req->app) : NULL;
    return sec && security_can(sec, req->cfg, user, "menu_access", name);
}

static json_t *leaf_json(request_t *req, const menu_def_t *d) {
    return json_pack("{s:s,s:s,s:s,s:s}", "name", d->name, "icon", d->icon, "label", spa_gettext(req, d->label),
                     "url", item_url(req, d));
}

/* Menu.get_data over one list: separators unless last, conditions, then
 * the menu_access filter. */
static json_t *children_json(request_t *req, const sec_user_t *user, const node_t *cat) {
    json_t *out = json_array();
    for (size_t i = 0; i < cat->nchilds; i++) {
        const menu_def_t *d = cat->childs[i];
        if (!holds(req, d->shown, d->shown_key)) continue;
        if (!strcmp(d->name, "-")) {
            if (i != cat->nchilds - 1) json_array_append_new(out, json_string("-"));
            continue;
        }
        if (!allowed(req, user, d->name)) continue;
        json_array_append_new(out, leaf_json(req, d));
    }
    return out;
}

json_t *spa_menu_items(request_t *req, const sec_user_t *user) {
    node_t *nodes = arena_calloc(req->arena, N_DEFS, sizeof *nodes);
    size_t n = build_tree(req, nodes);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        const node_t *nd = &nodes[i];
        if (nd->leaf) {
            if (!holds(req, nd->leaf->shown, nd->leaf->shown_key) || !allowed(req, user, nd->name)) continue;
            json_array_append_new(out, leaf_json(req, nd->leaf));
            continue;
        }
        if (!allowed(req, user, nd->name)) continue;
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:o}", "name", nd->name, "icon", nd->icon, "label",
                                             spa_gettext(req, nd->label), "childs", children_json(req, user, nd)));
    }
    return out;
}

/* get_environment_tag: the env var named by ENVIRONMENT_TAG_CONFIG.variable
 * picks a template; unknown or unset means "debug" in debug mode, else none. */
static json_t *environment_tag(request_t *req) {
    json_t *conf = spa_conf_value(req->cfg, "ENVIRONMENT_TAG_CONFIG");
    const json_t *values = json_object_get(conf, "values");
    const char *var = json_string_value(json_object_get(conf, "variable"));
    const char *env = var ? getenv(var) : NULL;
    if (!env || !*env || !json_object_get(values, env)) env = config_bool(req->cfg, "DEBUG", false) ? "debug" : NULL;
    json_t *tag = env ? json_object_get(values, env) : NULL;
    json_t *out = json_is_object(tag) && json_object_size(tag) ? json_deep_copy(tag) : json_object();
    json_decref(conf);
    return out;
}

static json_t *brand(request_t *req) {
    json_t *path = spa_conf_value(req->cfg, "LOGO_TARGET_PATH");
    if (!spa_conf_truthy(req->cfg, "LOGO_TARGET_PATH")) {
        json_decref(path);
        path = json_string(arena_sprintf(req->arena, "%s/superset/welcome/", req->script_root));
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "path", path, "icon", spa_conf_value(req->cfg, "APP_ICON"), "alt",
                     spa_conf_value(req->cfg, "APP_NAME"), "tooltip", spa_conf_value(req->cfg, "LOGO_TOOLTIP"),
                     "text", spa_conf_value(req->cfg, "LOGO_RIGHT_TEXT"));
}

/* VERSION_STRING / VERSION_SHA: the setting when given, else what the
 * Superset installation's static folder says. */
static json_t *version_value(request_t *req, const char *key, const char *from_static) {
    if (config_get(req->cfg, key)) return spa_conf_value(req->cfg, key);
    return from_static ? json_string(from_static) : json_null();
}

static json_t *navbar_right(request_t *req, const sec_user_t *user) {
    const spa_manifest_t *m = spa_manifest(req);
    const char *icon = spa_conf_str(req->cfg, "APP_ICON", "");
    json_t *langs = spa_languages(req->cfg);
    const char *code;
    json_t *lang;
    json_object_foreach(langs, code, lang) {
        if (json_is_object(lang))
            json_object_set_new(lang, "url", json_string(arena_sprintf(req->arena, "%s/lang/%s", req->script_root, code)));
    }
    size_t nlangs = json_object_size(langs);
    const json_t *session_locale = session_get(req, "locale");
    json_t *r = json_object();
    json_object_set_new(r, "show_watermark", json_boolean(strstr(icon, "superset-logo-horiz") == NULL));
    json_object_set_new(r, "bug_report_url", spa_conf_value(req->cfg, "BUG_REPORT_URL"));
    json_object_set_new(r, "bug_report_icon", spa_conf_value(req->cfg, "BUG_REPORT_ICON"));
    json_object_set_new(r, "bug_report_text", spa_conf_value(req->cfg, "BUG_REPORT_TEXT"));
    json_object_set_new(r, "documentation_url", spa_conf_value(req->cfg, "DOCUMENTATION_URL"));
    json_object_set_new(r, "documentation_icon", spa_conf_value(req->cfg, "DOCUMENTATION_ICON"));
    json_object_set_new(r, "documentation_text", spa_conf_value(req->cfg, "DOCUMENTATION_TEXT"));
    json_object_set_new(r, "version_string", version_value(req, "VERSION_STRING", m->version_string));
    json_object_set_new(r, "version_sha", version_value(req, "VERSION_SHA", m->version_sha));
    json_object_set_new(r, "build_number", spa_conf_value(req->cfg, "BUILD_NUMBER"));
    json_object_set_new(r, "languages", langs);
    json_object_set_new(r, "show_language_picker", json_boolean(nlangs > 1));
    json_object_set_new(r, "user_is_anonymous", json_boolean(user == NULL));
    json_object_set_new(r, "user_info_url",
                        config_feature(req->cfg, "MENU_HIDE_USER_INFO") ? json_null() : json_string("/user_info/"));
    json_object_set_new(r, "user_logout_url", json_string(arena_sprintf(req->arena, "%s/logout/", req->script_root)));
    json_object_set_new(r, "user_login_url", json_string(arena_sprintf(req->arena, "%s/login/", req->script_root)));
    json_object_set_new(r, "locale", session_locale ? json_deep_copy(session_locale) : json_string("en"));
    return r;
}

json_t *spa_menu_data(request_t *req, const sec_user_t *user) {
    return json_pack("{s:o,s:o,s:o,s:o}", "menu", spa_menu_items(req, user), "brand", brand(req), "environment_tag",
                     environment_tag(req), "navbar_right", navbar_right(req, user));
}
