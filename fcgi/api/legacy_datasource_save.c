/* POST /datasource/save/: the legacy dataset editor's save (form field
 * `data`, the whole dataset as JSON). As the reference: the ownership
 * check, the owner list (the caller kept unless admin), the duplicate
 * column check (409), every editable dataset field set from the object,
 * columns and metrics matched by name (matched rows take the object's
 * values, others are added, missing ones removed), and the saved dataset's
 * payload as the answer. One deliberate difference: an object without a
 * "metrics" key keeps the metrics instead of deleting them all. */
#include <ev.h>
#include <string.h>

#include "domain/access.h"
#include "domain/dataset_payload.h"
#include "domain/security.h"
#include "fcgi/api/api.h"
#include "fcgi/api/dataset_children.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/api/legacy_datasource.h"
#include "fcgi/api/legacy_datasource_rules.h"
#include "fcgi/app.h"
#include "fcgi/event_logger.h"
#include "fcgi/formdata.h"
#include "fcgi/has_access.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/strbuf.h"

static const char *num(arena_t *a, int64_t v) { return arena_sprintf(a, "%lld", (long long)v); }

/* SqlaTable.update_from_object_fields with their SQL types. */
static const struct {
    const char *name, *cast;
} table_fields[] = {
    {"table_name", "text"},          {"main_dttm_col", "text"},       {"description", "text"},
    {"default_endpoint", "text"},    {"offset", "int"},               {"cache_timeout", "int"},
    {"catalog", "text"},             {"schema", "text"},              {"sql", "text"},
    {"params", "text"},              {"template_params", "text"},     {"filter_select_enabled", "boolean"},
    {"fetch_values_predicate", "text"}, {"extra", "text"},            {"normalize_columns", "boolean"},
    {"always_filter_main_dttm", "boolean"}, {"folders", "json"},
};
#define N_TABLE_FIELDS (sizeof table_fields / sizeof table_fields[0])

/* TableColumn / SqlMetric update_from_object_fields. */
static const char *const column_fields[] = {"column_name", "verbose_name", "is_dttm", "is_active", "type",
                                            "advanced_data_type", "groupby", "filterable", "expression",
                                            "description", "python_date_format", "extra", NULL};
static const char *const metric_fields[] = {"metric_name", "verbose_name", "metric_type", "expression",
                                            "description", "d3format", "currency", "extra", "warning_text", NULL};

/* A JSON value as the text of a bound parameter (NULL for null). */
static const char *param_text(arena_t *a, const json_t *v, bool json_column) {
    if (!v || json_is_null(v)) return NULL;
    if (json_column) return json_dump_arena(a, v, JSON_PY_DEFAULT, NULL);
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
    if (json_is_integer(v)) return num(a, json_integer_value(v));
    return json_dump_arena(a, v, JSON_PY_DEFAULT, NULL);
}

/* The dataset row: every editable field from the object (NULL when
 * absent), the database id, changed_on / changed_by. */
static bool write_table(request_t *req, pg_conn_t *c, int64_t pk, const json_t *obj, const json_t *db_id,
                        pg_error_t *err) {
    arena_t *a = req->arena;
    strbuf_t sql;
    strbuf_init_arena(&sql, a, 1024);
    const char *p[N_TABLE_FIELDS + 3];
    strbuf_puts(&sql, "UPDATE tables SET ");
    for (size_t i = 0; i < N_TABLE_FIELDS; i++) {
        bool is_json = !strcmp(table_fields[i].cast, "json");
        p[i] = param_text(a, json_object_get(obj, table_fields[i].name), is_json);
        strbuf_printf(&sql, "\"%s\" = $%zu::%s, ", table_fields[i].name, i + 1, table_fields[i].cast);
    }
    size_t n = N_TABLE_FIELDS;
    p[n] = param_text(a, db_id, false);
    p[n + 1] = num(a, req->user ? req->user->id : 0);
    p[n + 2] = num(a, pk);
    strbuf_printf(&sql, "database_id = $%zu::int, changed_on = localtimestamp, changed_by_fk = $%zu::int"
                        " WHERE id = $%zu::int", n + 1, n + 2, n + 3);
    return pg_conn_query(c, a, err, sql.data, (int)n + 3, p) != NULL;
}

static json_t *pick(const json_t *item, const char *const *fields, bool with_nulls) {
    json_t *out = json_object();
    for (const char *const *f = fields; *f; f++) {
        json_t *v = json_object_get(item, *f);
        if (v) json_object_set(out, *f, v);
        else if (with_nulls) json_object_set_new(out, *f, json_null());
    }
    return out;
}

/* get_fk_many_from_list turned into the id-keyed list dataset_children_write
 * takes: a stored row named in the list gets the last item of that name
 * (absent fields null) under its id; other items become new rows. */
static json_t *by_name_to_ids(request_t *req, pg_conn_t *c, ds_child_t which, int64_t pk, const json_t *items,
                              pg_error_t *err) {
    const char *key = which == DS_COLUMNS ? "column_name" : "metric_name";
    const char *const *fields = which == DS_COLUMNS ? column_fields : metric_fields;
    const char *sql = which == DS_COLUMNS ? "SELECT column_name, id FROM table_columns WHERE table_id = $1::int"
                                          : "SELECT metric_name, id FROM sql_metrics WHERE table_id = $1::int";
    const char *p[] = {num(req->arena, pk)};
    pg_result_t *r = pg_conn_query(c, req->arena, err, sql, 1, p);
    if (!r) return NULL;
    json_t *stored = json_object(), *last = json_object(), *out = json_array();
    for (int i = 0; i < pg_nrows(r); i++)
        if (pg_get(r, i, 0)) json_object_set_new(stored, pg_get(r, i, 0), json_integer(pg_get_int(r, i, 1, 0)));
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        const char *name = json_get_str(item, key, NULL);
        if (name) json_object_set(last, name, item);
    }
    json_array_foreach(items, i, item) {
        const char *name = json_get_str(item, key, NULL);
        json_t *id = name ? json_object_get(stored, name) : NULL;
        if (!id) {
            json_array_append_new(out, pick(item, fields, false));
            continue;
        }
        json_t *row = pick(json_object_get(last, name), fields, true);
        json_object_set(row, "id", id);
        json_array_append_new(out, row);
        json_object_del(stored, name); /* one update per stored row */
    }
    json_decref(stored);
    json_decref(last);
    return out;
}

static bool write_children(request_t *req, pg_conn_t *c, ds_child_t which, int64_t pk, const json_t *items,
                           pg_error_t *err) {
    json_t *rows = by_name_to_ids(req, c, which, pk, items, err);
    if (!rows) return false;
    json_arena_own(req->arena, rows);
    return dataset_children_write(req->arena, c, which, pk, req->user ? req->user->id : 0, rows, false, err);
}

static bool write_owners(request_t *req, pg_conn_t *c, int64_t pk, const json_t *owners, pg_error_t *err) {
    const char *p[] = {num(req->arena, pk), json_dump_arena(req->arena, owners, JSON_COMPACT, NULL)};
    return pg_conn_query(c, req->arena, err, "DELETE FROM sqlatable_user WHERE table_id = $1::int", 1, p) &&
           pg_conn_query(c, req->arena, err, "INSERT INTO sqlatable_user (user_id, table_id) SELECT DISTINCT x::int,"
                                             " $1::int FROM jsonb_array_elements_text($2::jsonb) e(x)", 2, p);
}

/* populate_owner_list(ids, default_to_user=False): the ids (the caller
 * first unless admin or listed), each an existing user. NULL with *answered
 * set when refused; NULL alone on a database error. */
static json_t *owner_list(request_t *req, const json_t *ids, bool *answered) {
    int64_t me = req->user ? req->user->id : 0;
    bool listed = false, admin = security_is_admin(req->cfg, req->user);
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) listed = listed || (json_is_integer(v) && json_integer_value(v) == me);
    if (!admin && !listed && me) json_array_append_new(out, json_integer(me));
    json_array_foreach(ids, i, v) {
        if (!json_is_integer(v)) break;
        json_array_append(out, v);
    }
    pg_error_t err;
    const char *p[] = {json_dump_arena(req->arena, out, JSON_COMPACT, NULL)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT count(*) FROM jsonb_array_elements_text($1::jsonb) e(x)"
                              " WHERE NOT EXISTS (SELECT 1 FROM ab_user u WHERE u.id = x::bigint)", 1, p);
    bool ok = r && pg_get_int(r, 0, 0, 1) == 0 && i == json_array_size(ids);
    if (r && !ok) {
        *answered = true;
        legacy_ds_error(req, 500, "{'owners': ['Owners are invalid']}");
    }
    if (!ok) json_decref(out);
    return ok ? out : NULL;
}

/* raise_for_ownership: admins and the dataset's owners. -1 on error. */
static int is_owner(request_t *req, int64_t pk) {
    if (security_is_admin(req->cfg, req->user)) return 1;
    pg_error_t err;
    const char *p[] = {num(req->arena, pk), num(req->arena, req->user ? req->user->id : 0)};
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT 1 FROM sqlatable_user WHERE table_id = $1::int AND user_id = $2::int", 2, p);
    return r ? pg_nrows(r) > 0 : -1;
}

/* The stored row's type/id checks of DatasourceDAO.get_datasource: true
 * when a dataset row exists; otherwise answered. */
static bool find_table(request_t *req, const json_t *obj, int64_t *pk) {
    static const char *const types[] = {"table", "dataset", "query", "saved_query", "view", NULL};
    const json_t *type = json_object_get(obj, "type");
    const char *t = json_string_value(type);
    const char *const *k = types;
    while (t && *k && strcmp(*k, t)) k++;
    if (!t || !*k) {
        const char *shown = t ? arena_sprintf(req->arena, "'%s'", t)
                              : json_dump_arena(req->arena, type ? type : json_null(), JSON_PY_DEFAULT, NULL);
        if (!type || json_is_null(type)) shown = "None";
        legacy_ds_error(req, 500, arena_sprintf(req->arena, "%s is not a valid DatasourceType", shown));
        return false;
    }
    if (strcmp(t, "table") && strcmp(t, "query") && strcmp(t, "saved_query")) {
        legacy_ds_error(req, 422, "DAO datasource query source type is not supported");
        return false;
    }
    const json_t *id = json_object_get(obj, "id");
    *pk = json_is_integer(id) ? json_integer_value(id) : 0;
    pg_error_t err;
    const char *sql = !strcmp(t, "table") ? "SELECT 1 FROM tables WHERE id = $1::int"
                      : !strcmp(t, "query") ? "SELECT 1 FROM query WHERE id = $1::int"
                                            : "SELECT 1 FROM saved_query WHERE id = $1::int";
    const char *p[] = {num(req->arena, *pk)};
    pg_result_t *r = json_is_integer(id) && *pk > 0 && *pk <= 2147483647 ? pg_query(app_pg(req->app), req->arena,
                                                                                     &err, sql, 1, p)
                                                                          : NULL;
    if (json_is_integer(id) && *pk > 0 && *pk <= 2147483647 && !r) {
        legacy_ds_error(req, 500, "Fatal error");
        return false;
    }
    if (!r || !pg_nrows(r)) {
        legacy_ds_error(req, 404, "Datasource does not exist");
        return false;
    }
    if (strcmp(t, "table")) {
        legacy_ds_error(req, 500, arena_sprintf(req->arena, "'%s' object has no attribute 'owner_class'",
                                                !strcmp(t, "query") ? "Query" : "SavedQuery"));
        return false;
    }
    return true;
}

/* A non-admin who moves the dataset to another database or changes its
 * SQL needs access to the (new) database: 1 yes, 0 no, -1 on error. */
static int database_change_allowed(request_t *req, int64_t pk, const json_t *obj) {
    if (security_is_admin(req->cfg, req->user)) return 1;
    const json_t *db_id = json_object_get(json_object_get(obj, "database"), "id");
    const char *sql = json_get_str(obj, "sql", NULL);
    const char *p[] = {num(req->arena, pk), param_text(req->arena, db_id, false), sql};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT t.database_id IS DISTINCT FROM $2::int OR coalesce(t.sql, '') <>"
                              " coalesce($3, ''), d.database_name, d.id FROM tables t LEFT JOIN dbs d ON d.id = $2::int"
                              " WHERE t.id = $1::int", 3, p);
    if (!r) return err.status == PG_ERR_QUERY ? 1 : -1; /* a bad id fails the write itself */
    if (!pg_nrows(r)) return -1;
    if (!pg_get_bool(r, 0, 0, false)) return 1;
    if (pg_isnull(r, 0, 2)) return 1; /* no such database: the write fails on the foreign key */
    security_t *s = app_security(req->app);
    return access_all_datasources(s, req->cfg, req->user) ||
           access_database(s, req->cfg, req->user, perm_database(req->arena, pg_get(r, 0, 1), pg_get_int(r, 0, 2, 0)));
}

/* The metadata transaction of the save; false with *err on failure. */
static bool save_rows(request_t *req, int64_t pk, const json_t *obj, const json_t *owners, pg_error_t *err) {
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, err);
    if (!c) return false;
    const char *p[] = {num(req->arena, pk)};
    pg_result_t *r = NULL;
    bool ok = pg_begin(c, req->arena, err) &&
              (r = pg_conn_query(c, req->arena, err,
                                 "SELECT database_id, table_name, catalog, schema, perm FROM tables"
                                 " WHERE id = $1::int FOR UPDATE", 1, p)) != NULL && pg_nrows(r) > 0;
    dataset_key_t old = {0};
    if (ok) old = (dataset_key_t){pg_get_int(r, 0, 0, 0), pg_get(r, 0, 1), pg_get(r, 0, 2), pg_get(r, 0, 3),
                                  pg_get(r, 0, 4)};
    const json_t *metrics = json_object_get(obj, "metrics");
    ok = ok && write_table(req, c, pk, obj, json_object_get(json_object_get(obj, "database"), "id"), err) &&
         write_owners(req, c, pk, owners, err) &&
         (!json_is_array(metrics) || write_children(req, c, DS_METRICS, pk, metrics, err)) &&
         write_children(req, c, DS_COLUMNS, pk, json_object_get(obj, "columns"), err) &&
         dataset_perm_after_update(req->arena, c, pk, &old, err) && pg_commit(c, req->arena, err);
    pg_release(c);
    return ok;
}

static void save(request_t *req) {
    if (!has_access_api(req, "can_save", "Datasource")) return;
    log_warn("POST /datasource/save/ is deprecated: PUT /api/v1/dataset/<pk> replaces it");
    const char *data = form_value(req, "data");
    if (!data) return legacy_ds_error(req, 500, "Request missing data field.");
    const char *perr = NULL;
    json_t *obj = json_parse_arena(req->arena, data, strlen(data), JSON_DECODE_ANY, &perr);
    if (!obj) return legacy_ds_error(req, 500, arena_sprintf(req->arena, "Invalid JSON in data field: %s", perr));
    if (!json_is_object(obj))
        return legacy_ds_error(req, 500, "The data field must hold a JSON object (the dataset).");
    if (!json_object_get(obj, "normalize_columns")) json_object_set_new(obj, "normalize_columns", json_false());
    if (!json_object_get(obj, "always_filter_main_dttm"))
        json_object_set_new(obj, "always_filter_main_dttm", json_false());
    json_t *database = json_object_get(obj, "database");
    if (!database) return legacy_ds_error(req, 500, "'database'");
    if (!json_is_object(database)) return legacy_ds_error(req, 500, "The database field must be an object.");
    int64_t pk = 0;
    if (!find_table(req, obj, &pk)) return;
    if (json_object_get(obj, "owners")) {
        int own = is_owner(req, pk);
        if (own < 0) return legacy_ds_error(req, 500, "Fatal error");
        if (!own) return legacy_ds_error(req, 403, "Changing this dataset is forbidden");
    }
    json_t *owner_ids = json_object_get(obj, "owners");
    if (!owner_ids) return legacy_ds_error(req, 500, "'owners'");
    if (!json_is_array(owner_ids) && !json_is_null(owner_ids))
        return legacy_ds_error(req, 500, "{'owners': ['Owners are invalid']}");
    bool answered = false;
    json_t *owners = owner_list(req, json_is_array(owner_ids) ? owner_ids : NULL, &answered);
    if (!owners) return answered ? (void)0 : legacy_ds_error(req, 500, "Fatal error");
    json_arena_own(req->arena, owners);
    json_t *cols = json_object_get(obj, "columns");
    if (!cols) return legacy_ds_error(req, 500, "'columns'");
    if (!json_is_array(cols)) return legacy_ds_error(req, 500, "The columns field must be a list.");
    bool unnamed = false;
    const char *dups = legacy_ds_duplicate_columns(req->arena, cols, &unnamed);
    if (unnamed) return legacy_ds_error(req, 500, "'column_name'");
    if (dups) return legacy_ds_error(req, 409, arena_sprintf(req->arena, "Duplicate column name(s): %s", dups));
    int allowed = database_change_allowed(req, pk, obj);
    if (allowed < 0) return legacy_ds_error(req, 500, "Fatal error");
    if (!allowed)
        return legacy_ds_error(req, 403, "Changing the database or the SQL of this dataset needs access to the database");
    pg_error_t err = {0};
    if (!save_rows(req, pk, obj, owners, &err)) {
        log_warn("legacy datasource save of %lld failed: %s", (long long)pk, err.message ? err.message : "");
        return legacy_ds_error(req, err.status == PG_ERR_QUERY ? 422 : 500,
                               err.status == PG_ERR_QUERY ? legacy_ds_db_message(req->arena, err.message) : "Fatal error");
    }
    security_invalidate(app_security(req->app));
    bool found = false;
    json_t *payload = dataset_payload(app_pg(req->app), req->arena, app_config(req->app), pk, &found, &err);
    if (!payload) return legacy_ds_error(req, 500, "Fatal error");
    legacy_ds_json(req, payload);
}

/* event_logger.log_this_with_context wraps the whole view, refusals too. */
void legacy_datasource_save(request_t *req) {
    event_log_call_t call = {"Datasource.save", "Datasource.save", "/datasource/save/", NULL, ev_time()};
    save(req);
    event_log_request(req, &call);
}
