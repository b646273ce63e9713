/* Dashboard datasets; see dashboard_datasets.h. The columns a chart uses
 * come from its form data (metrics' columns, WHERE adhoc filters, filter
 * box columns) and from its saved query context's query columns (groupby
 * included), or from the column form-data params when it has none. */
#include "domain/dashboard_datasets.h"

#include <stdlib.h>
#include <string.h>

#include "domain/dataset_payload.h"
#include "lib/json.h"

#define N(a) (sizeof a / sizeof a[0])

static const char *const METRIC_PARAMS[] = {"metric", "metric_2", "metrics", "metrics_b", "percent_metrics",
                                            "secondary_metric", "size", "timeseries_limit_metric", "x", "y"};
static const char *const COLUMN_PARAMS[] = {"all_columns", "all_columns_x", "columns", "entity",
                                            "groupby", "order_by_cols", "series"};

/* Schema fields kept from the payload (DashboardDatasetSchema). */
static const char *const FIELDS[] = {
    "id", "uid", "column_formats", "database", "default_endpoint", "filter_select", "filter_select_enabled",
    "is_sqllab_view", "name", "datasource_name", "table_name", "type", "schema", "offset", "cache_timeout", "params",
    "perm", "edit_url", "sql", "select_star", "main_dttm_col", "health_check_message", "fetch_values_predicate",
    "template_params", "owners", "columns", "column_types", "column_names", "metrics", "order_by_choices",
    "verbose_map", "time_grain_sqla", "granularity_sqla", "normalize_columns", "always_filter_main_dttm"};
static const char *const DATABASE_FIELDS[] = {"id", "name", "backend", "allows_subquery", "allows_cost_estimate",
                                              "allows_virtual_table_explore", "disable_data_preview",
                                              "disable_drill_to_detail", "allow_multi_catalog",
                                              "explore_database_id"};

static bool truthy_str(const json_t *v) { return json_is_string(v) && *json_string_value(v); }

static void add_name(json_t *set, const char *name) {
    if (name) json_object_set_new(set, name, json_true());
}

/* get_metric_name */
static const char *metric_name(const json_t *m, const json_t *verbose, arena_t *a) {
    if (json_is_string(m)) {
        const char *v = json_string_value(json_object_get(verbose, json_string_value(m)));
        return v ? v : json_string_value(m);
    }
    if (!json_is_object(m) || !json_object_get(m, "expressionType")) return NULL;
    if (truthy_str(json_object_get(m, "label"))) return json_string_value(json_object_get(m, "label"));
    const char *type = json_string_value(json_object_get(m, "expressionType"));
    if (type && !strcmp(type, "SQL") && truthy_str(json_object_get(m, "sqlExpression")))
        return json_string_value(json_object_get(m, "sqlExpression"));
    if (type && !strcmp(type, "SIMPLE")) {
        const json_t *col = json_object_get(m, "column");
        const char *name = json_string_value(json_object_get(col, "column_name"));
        const json_t *agg = json_object_get(m, "aggregate");
        if (json_is_object(col) && json_object_size(col) && truthy_str(agg))
            return arena_sprintf(a, "%s(%s)", json_string_value(agg), name ? name : "None");
        return name && *name ? name : NULL;
    }
    return NULL;
}

/* get_column_name (no verbose map) */
static const char *column_name(const json_t *c) {
    if (json_is_object(c)) {
        if (truthy_str(json_object_get(c, "label"))) return json_string_value(json_object_get(c, "label"));
        if (truthy_str(json_object_get(c, "sqlExpression"))) return json_string_value(json_object_get(c, "sqlExpression"));
        return NULL;
    }
    return json_string_value(c);
}

static bool is_adhoc_column(const json_t *c) {
    return json_is_object(c) && json_object_get(c, "label") && json_object_get(c, "sqlExpression");
}

/* Calls back on every item of form_data[key] taken as a list (as_list). */
static void each_item(const json_t *fd, const char *key, void (*fn)(const json_t *, void *), void *ud) {
    const json_t *v = json_object_get(fd, key);
    if (!v || json_is_null(v) || json_is_false(v) || (json_is_string(v) && !*json_string_value(v))) return;
    if (!json_is_array(v)) {
        fn(v, ud);
        return;
    }
    size_t i;
    const json_t *x;
    json_array_foreach(v, i, x) fn(x, ud);
}

typedef struct used {
    json_t *metrics, *columns;
    const json_t *verbose;
    arena_t *a;
} used_t;

static void use_metric(const json_t *m, void *ud) {
    used_t *u = ud;
    add_name(u->metrics, metric_name(m, u->verbose, u->a));
    if (json_is_object(m) && json_object_get(m, "expressionType")) {
        const char *col = json_string_value(json_object_get(json_object_get(m, "column"), "column_name"));
        if (col && *col) add_name(u->columns, col);
    }
}

static void use_column(const json_t *c, void *ud) {
    used_t *u = ud;
    add_name(u->columns, is_adhoc_column(c) ? column_name(c) : json_string_value(c));
}

static void use_query_columns(const json_t *qc, used_t *u) {
    size_t i, k;
    const json_t *q, *c;
    json_array_foreach(json_object_get(qc, "queries"), i, q) {
        json_array_foreach(json_object_get(q, "columns"), k, c) add_name(u->columns, column_name(c));
        json_array_foreach(json_object_get(q, "groupby"), k, c) add_name(u->columns, column_name(c));
    }
}

static void use_chart(const json_t *fd, const char *query_context, used_t *u) {
    for (size_t i = 0; i < N(METRIC_PARAMS); i++) each_item(fd, METRIC_PARAMS[i], use_metric, u);
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(fd, "adhoc_filters"), i, f) {
        const json_t *clause = json_object_get(f, "clause");
        if (json_is_string(clause) && !strcmp(json_string_value(clause), "WHERE") && truthy_str(json_object_get(f, "subject")))
            add_name(u->columns, json_string_value(json_object_get(f, "subject")));
    }
    json_array_foreach(json_object_get(fd, "filter_configs"), i, f) add_name(u->columns, json_string_value(json_object_get(f, "column")));
    json_t *qc = query_context ? json_loads(query_context, 0, NULL) : NULL;
    if (json_is_object(qc)) use_query_columns(qc, u);
    else
        for (size_t k = 0; k < N(COLUMN_PARAMS); k++) each_item(fd, COLUMN_PARAMS[k], use_column, u);
    json_decref(qc);
}

static int cmp_str(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

/* data_for_slices over the full payload d (edited in place). */
static void trim(json_t *d, const used_t *u, arena_t *a) {
    json_t *metrics = json_array(), *columns = json_array(), *verbose = json_pack("{s:s}", "__timestamp", "Time");
    bool types[4] = {false};
    size_t i;
    json_t *m, *c;
    json_array_foreach(json_object_get(d, "metrics"), i, m) {
        const char *name = json_string_value(json_object_get(m, "metric_name"));
        const char *vn = json_string_value(json_object_get(m, "verbose_name"));
        if ((name && json_object_get(u->metrics, name)) || (vn && json_object_get(u->metrics, vn))) {
            json_array_append(metrics, m);
            if (name) json_object_set_new(verbose, name, json_string(vn && *vn ? vn : name));
        }
    }
    json_t *names = json_object();
    json_array_foreach(json_object_get(d, "columns"), i, c) {
        json_t *g = json_object_get(c, "type_generic");
        if (json_is_integer(g) && json_integer_value(g) >= 0 && json_integer_value(g) < 4) types[json_integer_value(g)] = true;
        const char *name = json_string_value(json_object_get(c, "column_name"));
        if (name) json_object_set_new(names, name, json_true());
        if (!name || !json_object_get(u->columns, name)) continue;
        const char *vn = json_string_value(json_object_get(c, "verbose_name"));
        json_array_append(columns, c);
        json_object_set_new(verbose, name, json_string(vn && *vn ? vn : name));
        json_object_set_new(names, vn && *vn ? vn : name, json_true());
    }
    json_t *type_list = json_array();
    for (int t = 0; t < 4; t++)
        if (types[t]) json_array_append_new(type_list, json_integer(t));
    /* a set in the reference (unordered); sorted here */
    size_t n = json_object_size(names), k = 0;
    const char **sorted = arena_alloc(a, (n ? n : 1) * sizeof *sorted);
    const char *key;
    json_t *v;
    json_object_foreach(names, key, v) sorted[k++] = arena_strdup(a, key);
    qsort(sorted, n, sizeof *sorted, cmp_str);
    json_t *name_list = json_array();
    for (k = 0; k < n; k++) json_array_append_new(name_list, json_string(sorted[k]));
    json_decref(names);
    json_object_set_new(d, "column_types", type_list);
    json_object_set_new(d, "metrics", metrics);
    json_object_set_new(d, "columns", columns);
    json_object_set_new(d, "verbose_map", verbose);
    json_object_set_new(d, "column_names", name_list);
}

static json_t *pick(const json_t *src, const char *const *fields, size_t n) {
    json_t *out = json_object();
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_object_get(src, fields[i]);
        if (v) json_object_set(out, fields[i], v);
    }
    return out;
}

static json_t *schema_dump(const json_t *d, bool guest) {
    json_t *out = pick(d, FIELDS, N(FIELDS));
    json_t *db = json_object_get(d, "database");
    if (json_is_object(db)) json_object_set_new(out, "database", pick(db, DATABASE_FIELDS, N(DATABASE_FIELDS)));
    if (guest) {
        json_object_del(out, "owners");
        json_object_del(out, "database");
    }
    return out;
}

json_t *dashboard_datasets(pg_pool_t *pg, arena_t *a, const config_t *cfg, int64_t dashboard_id, bool guest,
                           pg_error_t *err) {
    const char *p[] = {arena_sprintf(a, "%lld", (long long)dashboard_id)};
    pg_result_t *r = pg_query(pg, a, err,
                              "SELECT s.datasource_id, s.params, s.query_context, s.id, s.viz_type"
                              " FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id"
                              " WHERE ds.dashboard_id = $1::int AND s.datasource_type = 'table'"
                              " AND s.datasource_id IS NOT NULL ORDER BY ds.id",
                              1, p);
    if (!r) return NULL;
    json_t *result = json_array();
    json_t *done = json_object();
    for (int i = 0; i < pg_nrows(r); i++) {
        const char *ds = pg_get(r, i, 0);
        if (json_object_get(done, ds)) continue;
        json_object_set_new(done, ds, json_true());
        bool found;
        json_t *d = dataset_payload(pg, a, cfg, pg_get_int(r, i, 0, 0), &found, err);
        if (!d && found) {
            json_decref(result);
            json_decref(done);
            return NULL;
        }
        if (!d) continue;
        used_t u = {json_object(), json_object(), json_object_get(d, "verbose_map"), a};
        for (int k = i; k < pg_nrows(r); k++) {
            if (strcmp(pg_get(r, k, 0), ds)) continue;
            json_t *fd = pg_get(r, k, 1) ? json_loads(pg_get(r, k, 1), 0, NULL) : NULL;
            if (!json_is_object(fd)) {
                json_decref(fd);
                fd = json_object();
            }
            json_object_set_new(fd, "viz_type", pg_get(r, k, 4) ? json_string(pg_get(r, k, 4)) : json_null());
            use_chart(fd, pg_get(r, k, 2), &u);
            json_decref(fd);
        }
        trim(d, &u, a);
        json_decref(u.metrics);
        json_decref(u.columns);
        json_array_append_new(result, schema_dump(d, guest));
        json_decref(d);
    }
    json_decref(done);
    return result;
}
