/* The save actions of the legacy POST /superset/explore/ view
 * (Superset.explore with ?action=saveas|overwrite, then
 * save_or_overwrite_slice): the chart's form data comes from the request
 * (body form_data, then the query string's), the chart is created or
 * overwritten, optionally added to an existing or a new dashboard, and the
 * answer is json.dumps({can_add, can_download, form_data, slice,
 * dashboard_url, dashboard_id[, dashboard]}). The page rendering of a
 * POST without an action is not served (see pages.c). */
#include <stdlib.h>
#include <string.h>

#include "domain/chart_payload.h"
#include "domain/form_data_merge.h"
#include "domain/security.h"
#include "fcgi/api/chart.h"
#include "fcgi/api/explore_form.h"
#include "fcgi/api/explore_form_data.h"
#include "fcgi/api/explore_legacy.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/formdata.h"
#include "fcgi/spa/bootstrap.h"
#include "lib/json.h"

static void json_error(request_t *req, int status, const char *message) {
    resp_json(req, status, json_pack("{s:s}", "error", message), JSON_PY_DEFAULT);
}

static void fatal(request_t *req) { error_http(req, 500); }

static const char *uid_text(request_t *req) {
    return req->user ? arena_sprintf(req->arena, "%lld", (long long)req->user->id) : NULL;
}

static bool can(request_t *req, const char *perm, const char *view) {
    return security_can(app_security(req->app), app_config(req->app), req->user, perm, view);
}

/* get_form_data() with no initial data and use_slice_data false: the
 * chart's params are used only when the request names nothing but the
 * chart, its extra or adhoc filters and the viz type. */
static json_t *request_form_data(request_t *req) {
    static const char *const valid[] = {"slice_id", "extra_filters", "adhoc_filters", "viz_type"};
    static const char *const js_keys[] = {"js_tooltip", "js_onclick_href", "js_data_mutator"};
    json_t *fd = json_object();
    const char *sources[] = {form_value(req, "form_data"), req_query_arg(req, "form_data")};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = sources[i] && *sources[i] ? json_loads(sources[i], 0, NULL) : NULL;
        if (json_is_object(v)) json_object_update(fd, v);
        json_decref(v);
    }
    if (!config_feature(app_config(req->app), "ENABLE_JAVASCRIPT_CONTROLS"))
        for (size_t i = 0; i < 3; i++) json_object_del(fd, js_keys[i]);
    const json_t *sid = json_object_get(fd, "slice_id");
    bool only_valid = true;
    const char *k;
    json_t *v;
    json_object_foreach(fd, k, v) {
        bool ok = false;
        for (size_t i = 0; i < 4; i++) ok = ok || !strcmp(k, valid[i]);
        only_valid = only_valid && ok;
    }
    if (json_is_integer(sid) && json_integer_value(sid) && only_valid) {
        chart_payload_t chart;
        bool found;
        pg_error_t err;
        if (chart_payload_load(app_pg(req->app), req->arena, json_integer_value(sid), &chart, &found, &err)) {
            json_t *merged = json_deep_copy(chart.form_data);
            json_object_update(merged, fd);
            json_decref(fd);
            fd = merged;
            chart_payload_clear(&chart);
        }
    }
    fd_update_time_range(fd);
    return fd;
}

/* remove_extra_adhoc_filters */
static void remove_extra_adhoc(json_t *fd) {
    const char *k;
    json_t *v;
    json_object_foreach(fd, k, v) {
        if (strncmp(k, "adhoc_filters", 13)) continue;
        json_t *kept = json_array();
        size_t i;
        json_t *f;
        json_array_foreach(v, i, f) if (!json_is_true(json_object_get(f, "isExtra"))) json_array_append(kept, f);
        json_object_set_new(fd, k, kept);
    }
}

typedef struct target {
    int64_t ds_id;
    const char *ds_name;
    json_t *form_data; /* the request's form data to save */
    const char *slice_name, *query_context;
} target_t;

/* Creates the chart (owned by the caller) and returns its id, 0 on error. */
static int64_t create_chart(request_t *req, const target_t *t, const char *params) {
    const char *p[] = {t->slice_name, arena_sprintf(req->arena, "%lld", (long long)t->ds_id), t->ds_name,
                       json_get_str(t->form_data, "viz_type", NULL), params, t->query_context, uid_text(req)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "INSERT INTO slices (slice_name, datasource_id, datasource_type, datasource_name, viz_type,"
                              " params, query_context, created_on, changed_on, created_by_fk, changed_by_fk,"
                              " last_saved_at, last_saved_by_fk, uuid, perm, schema_perm, catalog_perm)"
                              " SELECT $1, $2::int, 'table', $3, $4, $5, $6, localtimestamp, localtimestamp, $7::int,"
                              " $7::int, localtimestamp, $7::int, gen_random_uuid(), d.perm, d.schema_perm, d.catalog_perm"
                              " FROM tables d WHERE d.id = $2::int RETURNING id",
                              7, p);
    if (!r || !pg_nrows(r)) return 0;
    int64_t id = pg_get_int(r, 0, 0, 0);
    if (req->user) {
        const char *o[] = {uid_text(req), arena_sprintf(req->arena, "%lld", (long long)id)};
        if (!pg_query(app_pg(req->app), req->arena, &err,
                      "INSERT INTO slice_user (user_id, slice_id) VALUES ($1::int, $2::int)", 2, o))
            return 0;
    }
    return id;
}

static bool overwrite_chart(request_t *req, int64_t id, const target_t *t, const char *params) {
    const char *p[] = {t->slice_name, arena_sprintf(req->arena, "%lld", (long long)t->ds_id), t->ds_name,
                       json_get_str(t->form_data, "viz_type", NULL), params, t->query_context, uid_text(req),
                       arena_sprintf(req->arena, "%lld", (long long)id)};
    pg_error_t err;
    return pg_query(app_pg(req->app), req->arena, &err,
                    "UPDATE slices s SET slice_name = $1, datasource_id = $2::int, datasource_type = 'table',"
                    " datasource_name = $3, viz_type = $4, params = $5, query_context = $6, changed_on = localtimestamp,"
                    " changed_by_fk = $7::int, last_saved_at = localtimestamp, last_saved_by_fk = $7::int,"
                    " perm = d.perm, schema_perm = d.schema_perm, catalog_perm = d.catalog_perm"
                    " FROM tables d WHERE d.id = $2::int AND s.id = $8::int",
                    8, p) != NULL;
}

typedef struct dash {
    int64_t id;
    const char *url;
} dash_t;

/* The dashboard to add the chart to: 0 none, 1 found/created, -1 answered. */
static int target_dashboard(request_t *req, const char *slice_name, dash_t *d) {
    const char *existing = req_query_arg(req, "save_to_dashboard_id");
    const char *new_name = req_query_arg(req, "new_dashboard_name");
    pg_error_t err;
    if (existing && *existing) {
        char *end;
        long long id = strtoll(existing, &end, 10);
        const char *p[] = {arena_sprintf(req->arena, "%lld", id), uid_text(req)};
        pg_result_t *r = *end ? NULL : pg_query(app_pg(req->app), req->arena, &err,
                                                "SELECT d.id, d.slug, d.dashboard_title, EXISTS (SELECT 1 FROM dashboard_user"
                                                " u WHERE u.dashboard_id = d.id AND u.user_id = $2::int)"
                                                " FROM dashboards d WHERE d.id = $1::int",
                                                2, p);
        if (!r || !pg_nrows(r)) {
            fatal(req); /* int() or .one() fails */
            return -1;
        }
        if (!security_is_admin(app_config(req->app), req->user) && !pg_get_bool(r, 0, 3, false)) {
            json_error(req, 403, "You don't have the rights to alter this dashboard");
            return -1;
        }
        d->id = pg_get_int(r, 0, 0, 0);
        const char *slug = pg_get(r, 0, 1);
        d->url = slug && *slug ? arena_sprintf(req->arena, "/superset/dashboard/%s/", slug)
                               : arena_sprintf(req->arena, "/superset/dashboard/%lld/", (long long)d->id);
        spa_flash(req, "success",
                  arena_sprintf(req->arena, "Chart [%s] was added to dashboard [%s]", slice_name ? slice_name : "None",
                                pg_get(r, 0, 2) ? pg_get(r, 0, 2) : "None"));
        return 1;
    }
    if (!new_name || !*new_name) return 0;
    if (!can(req, "can_write", "Dashboard")) {
        json_error(req, 403, "You don't have the rights to create a dashboard");
        return -1;
    }
    const char *p[] = {new_name, uid_text(req)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "INSERT INTO dashboards (dashboard_title, created_on, changed_on, created_by_fk,"
                              " changed_by_fk, uuid) VALUES ($1, localtimestamp, localtimestamp, $2::int, $2::int,"
                              " gen_random_uuid()) RETURNING id",
                              2, p);
    if (!r || !pg_nrows(r)) {
        fatal(req);
        return -1;
    }
    d->id = pg_get_int(r, 0, 0, 0);
    d->url = arena_sprintf(req->arena, "/superset/dashboard/%lld/", (long long)d->id);
    if (req->user) {
        const char *o[] = {uid_text(req), arena_sprintf(req->arena, "%lld", (long long)d->id)};
        pg_query(app_pg(req->app), req->arena, &err,
                 "INSERT INTO dashboard_user (user_id, dashboard_id) VALUES ($1::int, $2::int)", 2, o);
    }
    spa_flash(req, "success",
              arena_sprintf(req->arena, "Dashboard [%s] just got created and chart [%s] was added to it", new_name,
                            slice_name ? slice_name : "None"));
    return 1;
}

static bool link_chart(request_t *req, int64_t dash, int64_t chart) {
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)dash), arena_sprintf(req->arena, "%lld", (long long)chart)};
    pg_error_t err;
    return pg_query(app_pg(req->app), req->arena, &err,
                    "INSERT INTO dashboard_slices (dashboard_id, slice_id) SELECT $1::int, $2::int WHERE NOT EXISTS"
                    " (SELECT 1 FROM dashboard_slices WHERE dashboard_id = $1::int AND slice_id = $2::int)",
                    2, p) != NULL;
}

/* save_or_overwrite_slice */
static void save(request_t *req, bool saveas, int64_t chart_id, bool add_perm, bool overwrite_perm,
                 bool download_perm, target_t *t) {
    t->form_data = json_arena_own(req->arena, request_form_data(req));
    if (saveas) json_object_del(t->form_data, "slice_id");
    remove_extra_adhoc(t->form_data);
    if (!json_is_string(json_object_get(t->form_data, "viz_type")) || (!saveas && !chart_id)) {
        fatal(req); /* form_data["viz_type"] KeyError, or overwrite without a chart */
        return;
    }
    char *params = json_dump_arena(req->arena, t->form_data, JSON_PY_DEFAULT | JSON_SORT_KEYS | JSON_INDENT(2), NULL);
    int64_t id = chart_id;
    if (saveas && add_perm) {
        if (!(id = create_chart(req, t, params))) {
            fatal(req);
            return;
        }
        spa_flash(req, "success", arena_sprintf(req->arena, "Chart [%s] has been saved", t->slice_name ? t->slice_name : "None"));
    } else if (!saveas && overwrite_perm) {
        if (!overwrite_chart(req, id, t, params)) {
            fatal(req);
            return;
        }
        spa_flash(req, "success", arena_sprintf(req->arena, "Chart [%s] has been overwritten", t->slice_name ? t->slice_name : "None"));
    }
    dash_t dash = {0};
    int has_dash = target_dashboard(req, t->slice_name, &dash);
    if (has_dash < 0) return;
    if (has_dash && id && !link_chart(req, dash.id, id)) {
        fatal(req);
        return;
    }
    chart_payload_t chart;
    bool found;
    pg_error_t err;
    if (!chart_payload_load(app_pg(req->app), req->arena, id, &chart, &found, &err)) {
        fatal(req);
        return;
    }
    json_t *out = json_object();
    json_object_set_new(out, "can_add", json_boolean(add_perm));
    json_object_set_new(out, "can_download", json_boolean(download_perm));
    json_object_set(out, "form_data", chart.form_data);
    json_object_set(out, "slice", chart.data);
    json_object_set_new(out, "dashboard_url", has_dash ? json_string(dash.url) : json_null());
    json_object_set_new(out, "dashboard_id", has_dash ? json_integer(dash.id) : json_null());
    const char *go = req_query_arg(req, "goto_dash");
    if (has_dash && go && !strcmp(go, "true")) json_object_set_new(out, "dashboard", json_string(dash.url));
    chart_payload_clear(&chart);
    resp_json(req, 200, out, JSON_PY_DEFAULT);
}

bool explore_legacy_post(request_t *req) {
    const char *action = req_query_arg(req, "action");
    bool saveas = action && !strcmp(action, "saveas"), overwrite = action && !strcmp(action, "overwrite");
    if (!saveas && !overwrite) return false;
    /* the initial form data: a cached form_data_key, else slice_id / dataset_id */
    json_t *fd = json_arena_own(req->arena, json_object());
    const char *key = req_query_arg(req, "form_data_key");
    if (key && *key) {
        const char *text = NULL;
        explore_access_t access;
        fd_status_t st = fd_get(req, key, &text, &access);
        if (st != FD_OK && st != FD_MISSING) {
            fatal(req);
            return true;
        }
        json_t *v = text ? json_loads(text, 0, NULL) : NULL;
        if (json_is_object(v)) json_object_update(fd, v);
        json_decref(v);
    }
    const char *slice_arg = req_query_arg(req, "slice_id"), *dataset_arg = req_query_arg(req, "dataset_id");
    if (!json_object_size(fd) && slice_arg && *slice_arg) json_object_set_new(fd, "slice_id", json_string(slice_arg));
    else if (!json_object_size(fd) && dataset_arg && *dataset_arg)
        json_object_set_new(fd, "datasource", json_sprintf("%s__table", dataset_arg));
    chart_payload_t chart;
    bool has_chart;
    json_incref(fd);
    if (!explore_resolve_form_data(req, &fd, 0, false, true, &chart, &has_chart)) {
        json_decref(fd);
        return true;
    }
    json_arena_own(req->arena, fd);
    const char *type_param = req_path_param(req, "datasource_type");
    int64_t id_param = type_param ? req_path_int(req, "datasource_id") : 0;
    bool has_id;
    int64_t ds_id = 0;
    const char *ds_type;
    if (!explore_datasource_info(req, fd, type_param != NULL, id_param, type_param, &has_id, &ds_id, &ds_type)) {
        if (has_chart) chart_payload_clear(&chart);
        return true;
    }
    int64_t chart_id = has_chart ? json_integer_value(json_object_get(chart.data, "slice_id")) : 0;
    if (has_chart) chart_payload_clear(&chart);
    pg_error_t err;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)ds_id)};
    pg_result_t *r = has_id ? pg_query(app_pg(req->app), req->arena, &err,
                                       "SELECT CASE WHEN coalesce(schema, '') <> '' THEN schema || '.' || table_name"
                                       " ELSE table_name END, default_endpoint FROM tables WHERE id = $1::int",
                                       1, p)
                            : NULL;
    if (has_id && !r) {
        fatal(req);
        return true;
    }
    bool has_ds = r && pg_nrows(r);
    const json_t *viz = json_object_get(fd, "viz_type");
    const char *endpoint = has_ds ? pg_get(r, 0, 1) : NULL;
    if (!(json_is_string(viz) && *json_string_value(viz)) && endpoint && *endpoint) {
        resp_redirect(req, 302, endpoint);
        return true;
    }
    bool add_perm = can(req, "can_write", "Chart");
    bool db_error = false;
    bool overwrite_perm = chart_id && chart_owned(req, NULL, chart_id, &db_error);
    bool download_perm = can(req, "can_csv", "Superset");
    if (overwrite && !overwrite_perm) {
        json_error(req, 403, "You don't have the rights to alter this chart");
        return true;
    }
    if (saveas && !add_perm) {
        json_error(req, 403, "You don't have the rights to create a chart");
        return true;
    }
    if (!has_ds) return false; /* falls through to the page */
    target_t t = {.ds_id = ds_id, .ds_name = pg_get(r, 0, 0), .slice_name = req_query_arg(req, "slice_name"),
                  .query_context = form_value(req, "query_context")};
    save(req, saveas, chart_id, add_perm, overwrite_perm, download_perm, &t);
    return true;
}
