/* ExploreRestApi: GET /api/v1/explore/ answers what the explore page needs
 * to open: {"result": {"dataset", "form_data", "slice", "message",
 * "metadata"}}. The form data comes from an explore permalink, a cached
 * form_data_key, a saved chart or a bare datasource, merged like
 * GetExploreCommand does (chart params under the request's form data,
 * legacy filters turned adhoc, extra filters and URL parameters merged).
 * Datasets ("table") and SQL Lab queries ("query") can be explored; other
 * datasource kinds fail with 500 as they do in the reference. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/chart_payload.h"
#include "domain/dataset_payload.h"
#include "domain/form_data_merge.h"
#include "fcgi/api/api.h"
#include "fcgi/api/explore_access.h"
#include "fcgi/api/explore_form.h"
#include "fcgi/api/explore_form_data.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "fcgi/formdata.h"
#include "lib/hashids.h"
#include "lib/json.h"
#include "lib/strbuf.h"
#include "persistence/key_value.h"

#define PERMALINK_MIN_LENGTH 11

static void fatal(request_t *req) { error_fab(req, 500, "Fatal error"); }

/* request.args.get(name, type=int): NULL-safe int() of the argument. */
static bool int_arg(request_t *req, const char *name, int64_t *out) {
    const char *s = req_query_arg(req, name);
    if (!s) return false;
    while (isspace((unsigned char)*s)) s++;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno) return false;
    while (isspace((unsigned char)*end)) end++;
    if (*end) return false;
    *out = v;
    return true;
}

/* Python repr() of a str, as int()'s error message shows it. */
static char *py_repr(arena_t *a, const char *s) {
    bool dq = strchr(s, '\'') && !strchr(s, '"');
    char q = dq ? '"' : '\'';
    strbuf_t sb;
    strbuf_init_arena(&sb, a, strlen(s) + 3);
    strbuf_putc(&sb, q);
    for (; *s; s++) {
        if (*s == '\\' || *s == q) strbuf_putc(&sb, '\\');
        strbuf_putc(&sb, *s);
    }
    strbuf_putc(&sb, q);
    return sb.data;
}

/* ---- sources of the initial form data ---- */

/* GetExplorePermalinkCommand: the stored state's formData with its
 * urlParams as url_params. NULL when answered. */
static json_t *permalink_form_data(request_t *req, const char *key) {
    pg_error_t err;
    const char *salt = kv_permalink_salt(app_pg(req->app), req->arena, "explore_permalink_salt", &err);
    hashids_t h;
    if (!salt || !hashids_init(&h, salt, PERMALINK_MIN_LENGTH, NULL)) {
        fatal(req);
        return NULL;
    }
    uint64_t id[2];
    if (hashids_decode(&h, req->arena, key, id, 2) != 1 || id[0] > INT32_MAX) {
        error_fab(req, 404, "Invalid permalink key");
        return NULL;
    }
    bool found;
    const char *text = kv_get_by_id(app_pg(req->app), req->arena, "explore_permalink", (int64_t)id[0], &found, &err);
    json_t *v = found && text ? json_parse_arena(req->arena, text, strlen(text), 0, NULL) : NULL;
    if (found && !text) {
        fatal(req);
        return NULL;
    }
    if (!json_is_object(v) || !json_object_size(v)) {
        error_fab(req, 404, "An error occurred while accessing the value.");
        return NULL;
    }
    json_t *chart = json_object_get(v, "chartId"), *ds = json_object_get(v, "datasourceId");
    if (!ds || json_is_null(ds) || (json_is_integer(ds) && !json_integer_value(ds))) ds = json_object_get(v, "datasetId");
    const char *type = json_get_str(v, "datasourceType", "table");
    explore_access_t r = explore_check_access(req, json_is_integer(ds) ? json_integer_value(ds) : 0, type,
                                              json_is_integer(chart) ? json_integer_value(chart) : 0);
    if (r == EXPLORE_DATASET_NOT_FOUND) error_fab(req, 404, "Dataset does not exist");
    else if (r == EXPLORE_CHART_NOT_FOUND) error_fab(req, 404, "Chart not found.");
    else if (r != EXPLORE_OK) fatal(req); /* includes DatasetAccessDeniedError, which the API fails to render */
    if (r != EXPLORE_OK) return NULL;
    json_t *state = json_object_get(v, "state");
    json_t *fd = json_object_get(state, "formData");
    if (!json_is_object(fd)) {
        fatal(req);
        return NULL;
    }
    fd = json_deep_copy(fd);
    json_t *params = json_object_get(state, "urlParams");
    if (json_is_array(params) && json_array_size(params)) {
        json_t *dict = json_object();
        size_t i;
        json_t *pair;
        json_array_foreach(params, i, pair) {
            const char *k = json_string_value(json_array_get(pair, 0));
            if (k) json_object_set(dict, k, json_array_get(pair, 1));
        }
        json_object_set_new(fd, "url_params", dict);
    }
    return fd;
}

/* GetFormDataCommand's value parsed; {} when nothing is cached. NULL when answered. */
static json_t *cached_form_data(request_t *req, const char *key) {
    const char *text = NULL;
    explore_access_t access = EXPLORE_OK;
    fd_status_t st = fd_get(req, key, &text, &access);
    if (st == FD_MISSING) return json_object();
    if (st == FD_ACCESS && (access == EXPLORE_DATASET_NOT_FOUND || access == EXPLORE_CHART_NOT_FOUND))
        error_fab(req, 404, "Resource was not found.");
    else if (st == FD_ACCESS && (access == EXPLORE_DATASET_DENIED || access == EXPLORE_CHART_DENIED))
        error_fab(req, 403, "You don't have permission to modify the value.");
    else if (st != FD_OK)
        fatal(req);
    if (st != FD_OK) return NULL;
    json_t *fd = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!json_is_object(fd)) {
        json_decref(fd);
        fatal(req);
        return NULL;
    }
    return fd;
}

/* ---- get_form_data ---- */

static const char *const JS_KEYS[] = {"js_tooltip", "js_onclick_href", "js_data_mutator"};

/* form_data.update(json.loads(text)); false when answered. */
static bool merge_form_data_text(request_t *req, json_t *fd, const char *text) {
    if (!text || !*text) return true;
    json_t *extra = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!json_is_object(extra)) {
        json_decref(extra);
        error_fab(req, 400, "Expecting value: line 1 column 1 (char 0)");
        return false;
    }
    json_object_update(fd, extra);
    json_decref(extra);
    return true;
}

bool explore_resolve_form_data(request_t *req, json_t **fd, int64_t slice_arg, bool has_slice_arg, bool form_body,
                               chart_payload_t *chart, bool *has_chart) {
    *has_chart = false;
    if (form_body && !merge_form_data_text(req, *fd, form_value(req, "form_data"))) return false;
    if (!merge_form_data_text(req, *fd, req_query_arg(req, "form_data"))) return false;
    if (!config_feature(app_config(req->app), "ENABLE_JAVASCRIPT_CONTROLS"))
        for (size_t i = 0; i < sizeof JS_KEYS / sizeof JS_KEYS[0]; i++) json_object_del(*fd, JS_KEYS[i]);
    const json_t *sid = json_object_get(*fd, "slice_id");
    int64_t slice_id = has_slice_arg ? slice_arg : 0;
    if (json_is_integer(sid) && json_integer_value(sid)) slice_id = json_integer_value(sid);
    else if (json_is_string(sid) && *json_string_value(sid)) slice_id = strtoll(json_string_value(sid), NULL, 10);
    if (slice_id) {
        bool found;
        pg_error_t err;
        if (chart_payload_load(app_pg(req->app), req->arena, slice_id, chart, &found, &err)) {
            json_t *merged = json_deep_copy(chart->form_data);
            json_object_update(merged, *fd);
            json_decref(*fd);
            *fd = merged;
            *has_chart = true;
        } else if (found) {
            fatal(req);
            return false;
        }
    }
    fd_update_time_range(*fd);
    return true;
}

bool explore_datasource_info(request_t *req, const json_t *fd, bool has_param_id, int64_t param_id,
                             const char *param_type, bool *has_id, int64_t *id, const char **type) {
    const json_t *ds = json_object_get(fd, "datasource");
    const char *text = json_is_string(ds) ? json_string_value(ds) : "";
    if (ds && !json_is_string(ds)) {
        fatal(req);
        return false;
    }
    const char *id_text = NULL;
    *type = param_type;
    const char *sep = strstr(text, "__");
    if (sep) {
        if (strstr(sep + 2, "__")) {
            error_fab(req, 400, "too many values to unpack (expected 2)");
            return false;
        }
        id_text = arena_strndup(req->arena, text, (size_t)(sep - text));
        *type = arena_strdup(req->arena, sep + 2);
        if (!strcmp(id_text, "None")) id_text = NULL;
    }
    *has_id = false;
    if (sep ? !id_text || !*id_text : !has_param_id || !param_id) {
        *type = "table"; /* the unknown datasource falls back to the table type */
        return true;
    }
    if (!sep) {
        *has_id = true;
        *id = param_id;
        return true;
    }
    const char *s = id_text;
    while (isspace((unsigned char)*s)) s++;
    char *end;
    long long v = strtoll(s, &end, 10);
    while (isspace((unsigned char)*end)) end++;
    if (end == s || *end) {
        error_fab(req, 400,
                  arena_sprintf(req->arena, "invalid literal for int() with base 10: %s", py_repr(req->arena, id_text)));
        return false;
    }
    *has_id = true;
    *id = v;
    return true;
}

/* raise_for_access(datasource=...) failure: the SupersetSecurityException. */
static void datasource_denied(request_t *req, int64_t id, const char *name) {
    const char *link = config_str(app_config(req->app), "PERMISSION_INSTRUCTIONS_LINK", "");
    json_t *body = json_pack("{s:s,s:s,s:{s:I,s:s,s:s}}", "message",
                             arena_sprintf(req->arena,
                                           "This endpoint requires the datasource %lld, database or"
                                           " `all_datasource_access` permission",
                                           (long long)id),
                             "error_type", "DATASOURCE_SECURITY_ACCESS_ERROR", "extra", "datasource", (json_int_t)id,
                             "datasource_name", name, "link", link ? link : "");
    resp_json(req, 403, body, JSON_FLASK);
}

static void merge_args(request_t *req, json_t *fd) {
    json_t *args = query_dict(req);
    const char *k;
    json_t *v;
    json_object_foreach(args, k, v) if (json_is_string(v)) fd_merge_request_param(fd, k, json_string_value(v));
    json_decref(args);
}

static json_t *placeholder_dataset(const char *type) {
    return json_pack("{s:o,s:s,s:[],s:[],s:{s:i,s:s}}", "type", type ? json_string(type) : json_null(), "name",
                     "[Missing Dataset]", "columns", "metrics", "database", "id", 0, "backend", "");
}

/* Query.name: "sqllab_<tab name as a word>_<local time, compact ISO>". */
static const char *query_name(request_t *req, const char *tab) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    strbuf_puts(&sb, "sqllab_");
    if (!tab || !*tab) strbuf_puts(&sb, "notab");
    for (const char *p = tab ? tab : ""; *p; p++) {
        unsigned char ch = (unsigned char)(*p == ' ' ? '_' : tolower((unsigned char)*p));
        if (isalnum(ch) || ch == '_' || ch >= 0x80) strbuf_putc(&sb, (char)ch);
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "_%Y%m%dT%H%M%S", &tm);
    strbuf_puts(&sb, ts);
    return sb.data;
}

/* DatasourceDAO.get_datasource then .data: datasets and SQL Lab queries;
 * a missing one (or a "dataset" one, whose table Liteset does not fill)
 * leaves *payload NULL. False when answered (unsupported type: the
 * reference fails with 500). */
static bool load_datasource(request_t *req, int64_t id, const char *type, json_t **payload) {
    *payload = NULL;
    bool is_table = type && !strcmp(type, "table"), is_query = type && !strcmp(type, "query");
    if (type && !strcmp(type, "dataset")) return true;
    if (!is_table && !is_query) {
        fatal(req);
        return false;
    }
    bool found;
    pg_error_t err;
    pg_pool_t *pg = app_pg(req->app);
    *payload = is_table ? dataset_payload(pg, req->arena, app_config(req->app), id, &found, &err)
                        : query_datasource_payload(pg, req->arena, app_config(req->app), id, &found, &err);
    if (!*payload && found) {
        fatal(req);
        return false;
    }
    return true;
}

/* Everything after the initial form data is known; fd is consumed. */
static void answer(request_t *req, json_t *fd, const char *message, int64_t slice_arg, bool has_slice_arg,
                   bool has_ds_param, int64_t ds_param, const char *type_param) {
    chart_payload_t chart = {0};
    bool has_chart = false;
    json_arena_own(req->arena, fd);
    json_t *form = fd;
    json_incref(form);
    if (!explore_resolve_form_data(req, &form, slice_arg, has_slice_arg, false, &chart, &has_chart)) {
        json_decref(form);
        return;
    }
    json_arena_own(req->arena, form);
    bool has_id;
    int64_t ds_id = 0;
    const char *ds_type;
    if (!explore_datasource_info(req, form, has_ds_param, ds_param, type_param, &has_id, &ds_id, &ds_type)) {
        chart_payload_clear(&chart);
        return;
    }
    json_t *dataset = NULL;
    if (has_id && !load_datasource(req, ds_id, ds_type, &dataset)) {
        chart_payload_clear(&chart);
        return;
    }
    if (dataset) {
        json_arena_own(req->arena, dataset);
        bool is_query = !strcmp(ds_type, "query");
        explore_access_t r = explore_check_access(req, ds_id, is_query ? "query" : "table", 0);
        if (r != EXPLORE_OK) {
            chart_payload_clear(&chart);
            if (r == EXPLORE_DATASET_DENIED || r == EXPLORE_QUERY_DENIED)
                datasource_denied(req, ds_id, is_query ? query_name(req, json_get_str(dataset, "name", NULL))
                                                       : json_get_str(dataset, "name", ""));
            else fatal(req);
            return;
        }
        const char *endpoint = json_get_str(dataset, "default_endpoint", NULL);
        const json_t *viz = json_object_get(form, "viz_type");
        bool has_viz = json_is_string(viz) ? *json_string_value(viz) != '\0' : viz && !json_is_null(viz) && !json_is_false(viz);
        if (!has_viz && endpoint && *endpoint) {
            chart_payload_clear(&chart);
            resp_json(req, 302, json_pack("{s:s}", "redirect", endpoint), JSON_FLASK);
            return;
        }
    }
    json_object_set_new(form, "datasource", has_id ? json_sprintf("%lld__%s", (long long)ds_id, ds_type)
                                                   : json_sprintf("None__%s", ds_type ? ds_type : "None"));
    if (!fd_convert_legacy_filters(form) || !fd_merge_extra_filters(form)) {
        chart_payload_clear(&chart);
        fatal(req);
        return;
    }
    merge_args(req, form);
    json_t *ds = dataset ? json_incref(dataset) : placeholder_dataset(ds_type);
    json_t *db = json_object_get(ds, "database");
    if (json_is_object(db) && json_object_size(db)) json_object_set_new(db, "parameters", json_object());
    json_t *result = json_object();
    json_object_set_new(result, "dataset", ds);
    json_object_set(result, "form_data", form);
    json_object_set_new(result, "slice", has_chart ? json_incref(chart.data) : json_null());
    json_object_set_new(result, "message", message ? json_string(message) : json_null());
    json_object_set_new(result, "metadata", has_chart ? json_incref(chart.metadata) : json_null());
    chart_payload_clear(&chart);
    resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
}

static void explore_get(request_t *req) {
    const char *permalink = req_query_arg(req, "permalink_key");
    const char *form_key = req_query_arg(req, "form_data_key");
    const char *type_param = req_query_arg(req, "datasource_type");
    int64_t ds_param = 0, slice_arg = 0;
    bool has_ds = int_arg(req, "datasource_id", &ds_param);
    bool has_slice = int_arg(req, "slice_id", &slice_arg);
    json_t *fd = NULL;
    if (permalink) fd = permalink_form_data(req, permalink);
    else if (form_key && *form_key) fd = cached_form_data(req, form_key);
    else fd = json_object();
    if (!fd) return;
    const char *message = NULL;
    if (!json_object_size(fd)) {
        if (has_slice && slice_arg) {
            json_object_set_new(fd, "slice_id", json_integer(slice_arg));
            if (form_key && *form_key) message = "Form data not found in cache, reverting to chart metadata.";
        } else if (has_ds && ds_param) {
            json_object_set_new(fd, "datasource",
                                json_sprintf("%lld__%s", (long long)ds_param, type_param ? type_param : "None"));
            if (form_key && *form_key) message = "Form data not found in cache, reverting to dataset metadata.";
        }
    }
    answer(req, fd, message, slice_arg, has_slice, has_ds, ds_param, type_param);
}

static const route_def_t routes[] = {
    {"GET", "/api/v1/explore/", explore_get, GUARD("can_read", "Explore"), 0, NULL},
};

const route_table_t explore_routes = {routes, sizeof routes / sizeof routes[0], NULL};
