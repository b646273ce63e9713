/* Bootstrap payload; see bootstrap.h. */
#include "fcgi/spa/bootstrap.h"

#include <ev.h>
#include <string.h>

#include "domain/security.h"
#include "domain/theme_system.h"
#include "fcgi/app.h"
#include "fcgi/session.h"
#include "fcgi/spa/conf.h"
#include "fcgi/spa/i18n.h"
#include "fcgi/spa/locale.h"
#include "fcgi/spa/menu.h"

#define COMMON_TTL 60.0
#define COMMON_CACHE_MAX 256

/* ---- user ---- */

typedef struct perms_ctx {
    json_t *pairs;      /* [[perm, view], ...] of one role */
    json_t *datasource; /* objects used as ordered sets */
    json_t *database;
} perms_ctx_t;

static void collect(void *ud, const char *perm, const char *view) {
    perms_ctx_t *c = ud;
    json_array_append_new(c->pairs, json_pack("[s,s]", perm, view));
    if (!strcmp(perm, "datasource_access")) json_object_set_new(c->datasource, view, json_true());
    if (!strcmp(perm, "database_access")) json_object_set_new(c->database, view, json_true());
}

static json_t *keys_of(const json_t *set) {
    json_t *list = json_array();
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)set, k, v) json_array_append_new(list, json_string(k));
    return list;
}

/* get_permissions(): roles with their grants, and the data permissions. */
static void add_permissions(request_t *req, const sec_user_t *user, json_t *payload) {
    security_t *sec = req->app ? app_security(req->app) : NULL;
    json_t *roles = json_object();
    perms_ctx_t c = {.datasource = json_object(), .database = json_object()};
    if (user) {
        for (int i = 0; i < user->nroles; i++) {
            c.pairs = json_array();
            if (sec) security_role_foreach(sec, user->roles[i].id, collect, &c);
            json_object_set_new(roles, user->roles[i].name, c.pairs);
        }
    } else {
        const char *public_role = config_str(req->cfg, "AUTH_ROLE_PUBLIC", "Public");
        if (public_role && *public_role) {
            c.pairs = json_array();
            int64_t id = sec ? security_role_id(sec, public_role) : 0;
            if (id) security_role_foreach(sec, id, collect, &c);
            json_object_set_new(roles, public_role, c.pairs);
        }
    }
    json_t *perms = json_object();
    if (json_object_size(c.datasource)) json_object_set_new(perms, "datasource_access", keys_of(c.datasource));
    if (json_object_size(c.database)) json_object_set_new(perms, "database_access", keys_of(c.database));
    json_decref(c.datasource);
    json_decref(c.database);
    json_object_set_new(payload, "roles", roles);
    json_object_set_new(payload, "permissions", perms);
}

static json_t *str_or_null(const char *s) {
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* datetime.isoformat(): microseconds only when non-zero. */
static json_t *isoformat(request_t *req, const char *ts) {
    if (!ts) return json_null();
    size_t n = strlen(ts);
    if (n > 7 && !strcmp(ts + n - 7, ".000000")) return json_string(arena_strndup(req->arena, ts, n - 7));
    return json_string(ts);
}

json_t *spa_bootstrap_user(request_t *req, const sec_user_t *user) {
    json_t *p = json_object();
    if (user && user->is_guest) {
        json_object_set_new(p, "username", str_or_null(user->username));
        json_object_set_new(p, "firstName", str_or_null(user->first_name));
        json_object_set_new(p, "lastName", str_or_null(user->last_name));
        json_object_set_new(p, "isActive", json_boolean(user->active));
        json_object_set_new(p, "isAnonymous", json_false());
    } else if (user) {
        json_object_set_new(p, "username", str_or_null(user->username));
        json_object_set_new(p, "firstName", str_or_null(user->first_name));
        json_object_set_new(p, "lastName", str_or_null(user->last_name));
        json_object_set_new(p, "userId", json_integer((json_int_t)user->id));
        json_object_set_new(p, "isActive", json_boolean(user->active));
        json_object_set_new(p, "isAnonymous", json_false());
        json_object_set_new(p, "createdOn", isoformat(req, user->created_on));
        json_object_set_new(p, "email", str_or_null(user->email));
        json_object_set_new(p, "loginCount",
                            user->login_count < 0 ? json_null() : json_integer((json_int_t)user->login_count));
    }
    add_permissions(req, user, p);
    return p;
}

/* ---- theme ---- */

static bool valid_mode(const json_t *m) {
    static const char *const modes[] = {"default", "dark", "system", "compact"};
    const char *s = json_string_value(m);
    for (size_t i = 0; s && i < sizeof modes / sizeof modes[0]; i++)
        if (!strcmp(s, modes[i])) return true;
    return false;
}

bool spa_theme_valid(const json_t *theme) {
    if (!json_is_object(theme)) return false;
    const json_t *v;
    if ((v = json_object_get(theme, "token")) && !json_is_object(v)) return false;
    if ((v = json_object_get(theme, "components")) && !json_is_object(v)) return false;
    if ((v = json_object_get(theme, "hashed")) && !json_is_boolean(v)) return false;
    if ((v = json_object_get(theme, "inherit")) && !json_is_boolean(v)) return false;
    if ((v = json_object_get(theme, "algorithm"))) {
        if (json_is_array(v)) {
            size_t i;
            const json_t *m;
            json_array_foreach(v, i, m) if (!valid_mode(m)) return false;
        } else if (!valid_mode(v)) {
            return false;
        }
    }
    return true;
}

/* One side of get_theme_bootstrap_data: the database row's JSON when found
 * and parsable, else the setting; an invalid theme becomes {}. */
static json_t *pick_theme(const config_t *cfg, bool found, const char *db_json, const char *key) {
    json_t *t = NULL;
    if (found && db_json) t = json_loads(db_json, JSON_DECODE_ANY, NULL);
    if (!t) t = spa_conf_value(cfg, key);
    if (!spa_theme_valid(t)) {
        json_decref(t);
        t = json_object();
    }
    return t;
}

static json_t *theme_payload(request_t *req) {
    bool admin_ui = spa_conf_truthy(req->cfg, "ENABLE_UI_THEME_ADMINISTRATION");
    theme_system_t ts = {0};
    pg_pool_t *pg = req->app ? app_pg(req->app) : NULL;
    if (admin_ui && pg) theme_system_load(pg, req->arena, &ts);
    return json_pack("{s:o,s:o,s:b}", "default", pick_theme(req->cfg, ts.default_found, ts.default_json, "THEME_DEFAULT"),
                     "dark", pick_theme(req->cfg, ts.dark_found, ts.dark_json, "THEME_DARK"),
                     "enableUiThemeAdministration", admin_ui);
}

/* ---- common ---- */

static json_t *build_common(request_t *req, const sec_user_t *user, const char *locale) {
    json_t *c = json_object();
    json_object_set_new(c, "application_root", spa_conf_value(req->cfg, "APPLICATION_ROOT"));
    json_object_set_new(c, "static_assets_prefix", spa_conf_value(req->cfg, "STATIC_ASSETS_PREFIX"));
    json_object_set_new(c, "conf", spa_frontend_conf(req->cfg));
    json_object_set_new(c, "locale", json_string(spa_locale_language(req->arena, locale)));
    json_object_set_new(c, "d3_format", spa_conf_value(req->cfg, "D3_FORMAT"));
    json_object_set_new(c, "d3_time_format", spa_conf_value(req->cfg, "D3_TIME_FORMAT"));
    json_object_set_new(c, "currencies", spa_conf_value(req->cfg, "CURRENCIES"));
    json_object_set_new(c, "deckgl_tiles", spa_conf_value(req->cfg, "DECKGL_BASE_MAP"));
    json_object_set_new(c, "feature_flags", spa_feature_flags(req->cfg));
    json_object_set_new(c, "extra_sequential_color_schemes", spa_conf_value(req->cfg, "EXTRA_SEQUENTIAL_COLOR_SCHEMES"));
    json_object_set_new(c, "extra_categorical_color_schemes",
                        spa_conf_value(req->cfg, "EXTRA_CATEGORICAL_COLOR_SCHEMES"));
    json_object_set_new(c, "menu_data", spa_menu_data(req, user));
    json_object_set_new(c, "theme", theme_payload(req));
    return c;
}

typedef struct common_entry {
    int64_t user_id;  /* 0: anonymous */
    char *locale;
    json_t *common;
    double expires;
} common_entry_t;

static struct {
    const config_t *cfg;
    common_entry_t entries[COMMON_CACHE_MAX];
    size_t n;
} g_common;

static void entry_clear(common_entry_t *e) {
    free(e->locale);
    json_decref(e->common);
    memset(e, 0, sizeof *e);
}

static bool cache_enabled(const config_t *cfg) {
    const json_t *cc = config_get(cfg, "CACHE_CONFIG");
    const char *type = json_string_value(json_object_get(cc, "CACHE_TYPE"));
    return type && *type && strcmp(type, "NullCache") && strcmp(type, "null");
}

static json_t *cache_get(const config_t *cfg, int64_t uid, const char *locale, double now) {
    if (g_common.cfg != cfg) {
        for (size_t i = 0; i < g_common.n; i++) entry_clear(&g_common.entries[i]);
        g_common.n = 0;
        g_common.cfg = cfg;
    }
    for (size_t i = 0; i < g_common.n; i++) {
        common_entry_t *e = &g_common.entries[i];
        if (e->user_id == uid && !strcmp(e->locale, locale) && e->expires > now) return json_incref(e->common);
    }
    return NULL;
}

static void cache_put(int64_t uid, const char *locale, json_t *common, double now) {
    size_t slot = g_common.n;
    for (size_t i = 0; i < g_common.n; i++) {
        common_entry_t *e = &g_common.entries[i];
        if (e->expires <= now || (e->user_id == uid && !strcmp(e->locale, locale))) {
            slot = i;
            break;
        }
    }
    if (slot == COMMON_CACHE_MAX) { /* full: drop the entry closest to expiry */
        slot = 0;
        for (size_t i = 1; i < g_common.n; i++)
            if (g_common.entries[i].expires < g_common.entries[slot].expires) slot = i;
    }
    if (slot < g_common.n) entry_clear(&g_common.entries[slot]);
    else g_common.n++;
    g_common.entries[slot] = (common_entry_t){uid, xstrdup(locale), json_incref(common), now + COMMON_TTL};
}

json_t *spa_flash_consume(request_t *req) {
    json_t *out = json_array();
    if (!session_has(req, "_flashes")) return out;
    json_t *queue = json_incref(session_get(req, "_flashes"));
    session_del(req, "_flashes");
    size_t i;
    json_t *f;
    json_array_foreach(queue, i, f) {
        const json_t *pair = json_is_object(f) ? json_object_get(f, " t") : f; /* Flask's tagged tuple */
        if (json_is_array(pair) && json_array_size(pair) == 2) json_array_append(out, (json_t *)pair);
    }
    json_decref(queue);
    return out;
}

void spa_flash(request_t *req, const char *category, const char *message) {
    message = spa_gettext(req, message); /* flash(as_unicode(lazy_gettext(...))) */
    json_t *flashes = session_get(req, "_flashes");
    json_t *list = json_is_array(flashes) ? json_deep_copy(flashes) : json_array();
    json_array_append_new(list, json_pack("{s:[s,s]}", " t", category, message));
    session_set(req, "_flashes", list);
}

json_t *spa_bootstrap_common(request_t *req, const sec_user_t *user) {
    const char *locale = spa_locale(req);
    int64_t uid = user && !user->is_guest ? user->id : 0;
    double now = ev_time();
    bool cached = cache_enabled(req->cfg);
    json_t *common = cached ? cache_get(req->cfg, uid, locale, now) : NULL;
    if (!common) {
        common = build_common(req, user, locale);
        if (cached) cache_put(uid, locale, common, now);
    }
    json_t *out = json_copy(common); /* shallow: the cached members stay shared and unmodified */
    json_decref(common);
    json_object_set_new(out, "flash_messages", spa_flash_consume(req));
    return out;
}

json_t *spa_bootstrap(request_t *req, const sec_user_t *user, json_t *extra) {
    json_t *p = json_object();
    json_object_set_new(p, "user", spa_bootstrap_user(req, user));
    json_object_set_new(p, "common", spa_bootstrap_common(req, user));
    if (extra) {
        json_object_update(p, extra);
        json_decref(extra);
    }
    return p;
}
