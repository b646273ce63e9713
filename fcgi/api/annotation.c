/* /api/v1/annotation_layer: Superset's AnnotationLayerRestApi and
 * AnnotationRestApi. Layer reads (list, item, related) run on the generic
 * engine; layer writes (Superset commands: unique name, no delete while
 * annotations exist), the shared _info (answered by the annotation API, as in
 * the reference) and the annotations of a layer under
 * /api/v1/annotation_layer/<pk>/annotation/ are custom routes built on
 * persistence/model_query.h and bound-parameter SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/related_users.h"
#include "domain/security.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/model_rest.h"
#include "lib/rison.h"
#include "persistence/models.h"

/* ---- schema validation shared by both resources ---- */

typedef enum { F_STRING, F_DATETIME, F_JSON } field_kind_t;
typedef struct field_spec {
    const char *name;
    field_kind_t kind;
    bool required;  /* on POST */
    bool nullable;
    int max_len;    /* Length(1, max_len), 0 = none */
} field_spec_t;

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

/* marshmallow's ISO datetime: YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][zone] */
static bool is_datetime(const char *s) {
    int y, mo, d, h, mi, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || !n) return false;
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60;
}

static json_t *validate_fields(const field_spec_t *spec, json_t *body, bool is_post) {
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const field_spec_t *f = spec;
        while (f->name && strcmp(f->name, key)) f++;
        if (!f->name) {
            add_msg(errors, key, "Unknown field.");
            continue;
        }
        if (json_is_null(v)) {
            if (!f->nullable) add_msg(errors, key, "Field may not be null.");
            continue;
        }
        if (!json_is_string(v)) {
            add_msg(errors, key, f->kind == F_DATETIME ? "Not a valid datetime." : "Not a valid string.");
            continue;
        }
        const char *s = json_string_value(v);
        if (f->kind == F_DATETIME && !is_datetime(s)) add_msg(errors, key, "Not a valid datetime.");
        if (f->max_len && (strlen(s) < 1 || strlen(s) > (size_t)f->max_len)) {
            char msg[64];
            snprintf(msg, sizeof msg, "Length must be between 1 and %d.", f->max_len);
            add_msg(errors, key, msg);
        }
        if (f->kind == F_JSON && *s) {
            json_t *parsed = json_loads(s, JSON_DECODE_ANY, NULL);
            if (!parsed) add_msg(errors, key, "JSON not valid");
            json_decref(parsed);
        }
    }
    for (const field_spec_t *f = spec; is_post && f->name; f++)
        if (f->required && !json_object_get(body, f->name)) add_msg(errors, f->name, "Missing data for required field.");
    if (!json_object_size(errors)) {
        json_decref(errors);
        return NULL;
    }
    return errors;
}

/* ---- annotation layers (generic engine) ---- */

static const field_spec_t layer_fields[] = {
    {"name", F_STRING, true, false, 250},
    {"descr", F_STRING, false, true, 0},
    {NULL, F_STRING, false, false, 0},
};

static mq_filter_result_t layer_all_text(request_t *req, model_query_t *q, const json_t *value) {
    (void)req;
    if (!json_is_string(value) || !*json_string_value(value)) return MQ_FILTER_SKIPPED;
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", json_string_value(value)));
    mq_where(q, arena_sprintf(q->arena, "t.name ILIKE %s OR t.descr ILIKE %s", p, p));
    return MQ_FILTER_OK;
}

static const char *const layer_list_columns[] = {"id", "name", "descr", "created_by.first_name",
                                                 "created_by.last_name", "changed_by.first_name",
                                                 "changed_by.last_name", "changed_on", "changed_on_delta_humanized",
                                                 "created_on", NULL};
static const char *const layer_show_columns[] = {"id", "name", "descr", NULL};
static const char *const layer_write_columns[] = {"name", "descr", NULL};
static const char *const layer_search_columns[] = {"name", "descr", "created_on", "changed_on", "created_by",
                                                   "changed_by", NULL};
static const char *const layer_order_columns[] = {"name", "descr", "created_by.first_name", "changed_by.first_name",
                                                  "changed_on", "changed_on_delta_humanized", "created_on", NULL};
static const char *const layer_permissions[] = {"can_read", "can_write", NULL};
static const custom_filter_t layer_filters[] = {
    {"annotation_layer_all_text", "All Text", "name", layer_all_text},
    {NULL, NULL, NULL, NULL},
};
static const related_field_t layer_related[] = {
    RELATED_USERS("changed_by", NULL),
    RELATED_USERS("created_by", NULL),
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t annotation_layer_resource = {
    .base = "/api/v1/annotation_layer", .model = &model_annotation_layer, .view_menu = "Annotation",
    .log_class = "AnnotationLayerRestApi", .log_own = LOG_EP_POST | LOG_EP_PUT | LOG_EP_DELETE | LOG_EP_BULK_DELETE,
    /* _info and the writes are custom routes below */
    .perm_list = "can_read", .perm_get = "can_read",
    .info_permissions = layer_permissions, .list_columns = layer_list_columns, .show_columns = layer_show_columns, .add_columns = layer_write_columns,
    .edit_columns = layer_write_columns, .search_columns = layer_search_columns,
    .order_columns = layer_order_columns, .related = layer_related, .custom_filters = layer_filters,
    .superset_errors = true,
};

/* ---- annotations of a layer (custom routes) ---- */

static const field_spec_t annotation_post_fields[] = {
    {"short_descr", F_STRING, true, false, 500}, {"long_descr", F_STRING, false, true, 0},
    {"start_dttm", F_DATETIME, true, false, 0},  {"end_dttm", F_DATETIME, true, false, 0},
    {"json_metadata", F_JSON, false, true, 0},   {NULL, F_STRING, false, false, 0},
};
static const field_spec_t annotation_put_fields[] = {
    {"short_descr", F_STRING, false, false, 500}, {"long_descr", F_STRING, false, true, 0},
    {"start_dttm", F_DATETIME, false, false, 0},  {"end_dttm", F_DATETIME, false, false, 0},
    {"json_metadata", F_JSON, false, true, 0},   {NULL, F_STRING, false, false, 0},
};
static const char *const ann_list_columns[] = {"id", "changed_by.first_name", "changed_by.id",
                                               "changed_on_delta_humanized", "created_by.first_name",
                                               "created_by.id", "end_dttm", "long_descr", "short_descr",
                                               "start_dttm", NULL};
static const char *const ann_show_columns[] = {"id", "short_descr", "long_descr", "start_dttm", "end_dttm",
                                               "json_metadata", "layer.id", "layer.name", NULL};
static const char *const ann_order_columns[] = {"changed_by.first_name", "changed_on_delta_humanized",
                                                "created_by.first_name", "end_dttm", "long_descr", "short_descr",
                                                "start_dttm", NULL};

static size_t count_of(const char *const *l) {
    size_t n = 0;
    while (l[n]) n++;
    return n;
}

static const char *int_text(request_t *req, int64_t v) { return arena_sprintf(req->arena, "%lld", (long long)v); }

static void where_eq(request_t *req, model_query_t *q, const char *col, int64_t v) {
    mq_where(q, arena_sprintf(req->arena, "t.\"%s\" = %s::bigint", col, mq_param(q, int_text(req, v))));
}

/* -1 database error, else the number of rows of model m with pk v (and layer). */
static int64_t count_rows(request_t *req, const model_t *m, int64_t id, int64_t layer) {
    model_query_t q;
    mq_init(&q, req->arena, m);
    where_eq(req, &q, "id", id);
    if (layer) where_eq(req, &q, "layer_id", layer);
    pg_error_t err;
    return mq_count(&q, app_pg(req->app), &err);
}

static json_t *parse_q(request_t *req) {
    const char *qs = req_query_arg(req, "q");
    if (!qs || !*qs) return json_object();
    rison_error_t rerr;
    json_t *q = rison_parse(qs, strlen(qs), &rerr);
    if (!q || !json_is_object(q)) {
        json_decref(q);
        error_fab(req, 400, "Not a valid rison/json argument");
        return NULL;
    }
    return q;
}

static json_t *string_array(const char *const *cols) {
    json_t *a = json_array();
    for (; *cols; cols++) json_array_append_new(a, json_string(*cols));
    return a;
}

static json_t *labels(request_t *req, const char *const *cols) {
    static const resource_t plain; /* no explicit labels: FAB's title-cased names */
    json_t *o = json_object();
    for (; *cols; cols++) json_object_set_new(o, *cols, json_string(model_rest_label(req->arena, &plain, *cols)));
    return o;
}

static bool want_key(json_t *keys, const char *key) {
    if (!json_is_array(keys) || !json_array_size(keys)) return true;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) if (json_is_string(k) && !strcmp(json_string_value(k), key)) return true;
    return false;
}

static mq_filter_result_t annotation_all_text(model_query_t *q, const json_t *value) {
    if (!json_is_string(value) || !*json_string_value(value)) return MQ_FILTER_SKIPPED;
    const char *p = mq_param(q, arena_sprintf(q->arena, "%%%s%%", json_string_value(value)));
    mq_where(q, arena_sprintf(q->arena, "t.short_descr ILIKE %s OR t.long_descr ILIKE %s", p, p));
    return MQ_FILTER_OK;
}

static void ann_list(request_t *req) {
    int64_t layer = req_path_int(req, "pk");
    json_t *q = parse_q(req);
    if (!q) return;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, q);
    model_query_t mq;
    mq_init(&mq, req->arena, &model_annotation);
    where_eq(req, &mq, "layer_id", layer);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(q, "filters"), i, f) {
        const char *col = json_string_value(json_object_get(f, "col"));
        const char *opr = json_string_value(json_object_get(f, "opr"));
        json_t *value = json_object_get(f, "value");
        if (!col || !opr) {
            error_fab(req, 400, "Filter column not allowed");
            return;
        }
        mq_filter_result_t r = !strcmp(opr, "annotation_all_text") && !strcmp(col, "short_descr")
                                   ? annotation_all_text(&mq, value)
                                   : mq_filter(&mq, col, opr, value);
        if (r == MQ_FILTER_BAD_COLUMN || r == MQ_FILTER_BAD_OPERATOR) {
            error_fab(req, 400, arena_sprintf(req->arena, "Filter operation: %s not allowed on column: %s", opr, col));
            return;
        }
        if (r == MQ_FILTER_BAD_VALUE) {
            error_fab(req, 500, "Fatal error");
            return;
        }
    }
    const char *order = json_string_value(json_object_get(q, "order_column"));
    const char *dir = json_string_value(json_object_get(q, "order_direction"));
    if (order) {
        bool ok = false;
        for (const char *const *c = ann_order_columns; *c; c++) ok = ok || !strcmp(*c, order);
        if (!ok) {
            error_fab(req, 400, arena_sprintf(req->arena, "Invalid order by column: %s", order));
            return;
        }
        mq_order_by(&mq, order, !(dir && !strcmp(dir, "asc")));
    }
    int64_t page = json_integer_value(json_object_get(q, "page"));
    int64_t size = json_integer_value(json_object_get(q, "page_size"));
    if (size <= 0 || size > 100) size = size == 0 ? 20 : 100;
    mq.limit = size;
    mq.offset = page * size;
    pg_error_t err;
    int64_t count = mq.offset < 0 ? -1 : mq_count(&mq, app_pg(req->app), &err);
    json_t *ids = NULL;
    json_t *rows = count < 0 ? NULL
                             : mq_fetch(&mq, app_pg(req->app), ann_list_columns, count_of(ann_list_columns), &ids, &err);
    if (!rows) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    json_t *out = json_pack("{s:I,s:o,s:o}", "count", (json_int_t)count, "ids", ids, "result", rows);
    json_t *keys = json_object_get(q, "keys");
    if (want_key(keys, "list_columns")) json_object_set_new(out, "list_columns", string_array(ann_list_columns));
    if (want_key(keys, "order_columns")) json_object_set_new(out, "order_columns", string_array(ann_order_columns));
    if (want_key(keys, "label_columns")) json_object_set_new(out, "label_columns", labels(req, ann_list_columns));
    if (want_key(keys, "description_columns")) json_object_set_new(out, "description_columns", json_object());
    if (want_key(keys, "list_title")) json_object_set_new(out, "list_title", json_string("List Annotation"));
    resp_json(req, 200, out, JSON_FLASK);
}

static void ann_get(request_t *req) {
    int64_t layer = req_path_int(req, "pk"), id = req_path_int(req, "annotation_id");
    json_t *q = parse_q(req);
    if (!q) return;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, q);
    json_t *keys = json_object_get(q, "keys");
    model_query_t mq;
    mq_init(&mq, req->arena, &model_annotation);
    where_eq(req, &mq, "layer_id", layer);
    where_eq(req, &mq, "id", id);
    pg_error_t err;
    json_t *ids = NULL;
    json_t *rows = mq_fetch(&mq, app_pg(req->app), ann_show_columns, count_of(ann_show_columns), &ids, &err);
    json_decref(ids);
    if (!rows) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    if (!json_array_size(rows)) {
        json_decref(rows);
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *out = json_pack("{s:I,s:O}", "id", (json_int_t)id, "result", json_array_get(rows, 0));
    json_decref(rows);
    if (want_key(keys, "show_columns")) json_object_set_new(out, "show_columns", string_array(ann_show_columns));
    if (want_key(keys, "label_columns")) json_object_set_new(out, "label_columns", labels(req, ann_show_columns));
    if (want_key(keys, "description_columns")) json_object_set_new(out, "description_columns", json_object());
    if (want_key(keys, "show_title")) json_object_set_new(out, "show_title", json_string("Show Annotation"));
    resp_json(req, 200, out, JSON_FLASK);
}

static json_t *json_body(request_t *req) {
    json_t *body = req_is_json(req) ? json_loadb(req->body.data, req->body.len, 0, NULL) : NULL;
    if (!body) {
        error_fab(req, 400, "Request is not JSON");
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!json_is_object(body)) {
        resp_json(req, 400, json_pack("{s:{s:[s]}}", "message", "_schema", "Invalid input type."), JSON_FLASK);
        return NULL;
    }
    return body;
}

static const char *text_of(request_t *req, json_t *body, const char *key) {
    json_t *v = json_object_get(body, key);
    return json_is_string(v) ? arena_strdup(req->arena, json_string_value(v)) : NULL;
}

/* Command validation: unique short_descr on the layer, end after start (422). */
static bool command_checks(request_t *req, json_t *body, int64_t layer, int64_t id) {
    json_t *errors = json_object();
    const char *sd = text_of(req, body, "short_descr");
    const char *params[3] = {int_text(req, layer), sd ? sd : "", int_text(req, id)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT count(*) FROM annotation WHERE layer_id = $1::int AND short_descr = $2"
                              " AND id <> $3::int", 3, params);
    if (r && pg_get_int(r, 0, 0, 0) > 0) add_msg(errors, "short_descr", "Short description must be unique for this layer");
    const char *s = text_of(req, body, "start_dttm"), *e = text_of(req, body, "end_dttm");
    if (s && e) {
        const char *dp[2] = {s, e};
        pg_result_t *d = pg_query(app_pg(req->app), req->arena, &err,
                                  "SELECT ($2::timestamp < $1::timestamp)::int", 2, dp);
        if (d && pg_get_int(d, 0, 0, 0)) add_msg(errors, "start_dttm", "End date must be after start date");
    }
    if (json_object_size(errors)) {
        resp_json(req, 422, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return false;
    }
    json_decref(errors);
    return true;
}

static void ann_write(request_t *req, bool is_post) {
    int64_t layer = req_path_int(req, "pk"), id = is_post ? 0 : req_path_int(req, "annotation_id");
    json_t *body = json_body(req);
    if (!body) return;
    json_t *errors = validate_fields(is_post ? annotation_post_fields : annotation_put_fields, body, is_post);
    if (errors) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    if (!is_post && count_rows(req, &model_annotation, id, 0) <= 0) {
        error_fab(req, 404, "Not found");
        return;
    }
    if (count_rows(req, &model_annotation_layer, layer, 0) <= 0) {
        if (is_post) error_fab(req, 400, "Annotation layer not found.");
        else error_fab(req, 404, "Not found");
        return;
    }
    if (!command_checks(req, body, layer, id)) return;
    static const char *const cols[] = {"short_descr", "long_descr", "start_dttm", "end_dttm", "json_metadata"};
    strbuf_t set;
    strbuf_init_arena(&set, req->arena, 256);
    const char *params[8];
    int np = 0;
    params[np++] = int_text(req, layer);
    params[np++] = req->user ? int_text(req, req->user->id) : NULL;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        json_t *v = json_object_get(body, cols[i]);
        if (!v) continue;
        params[np++] = json_is_string(v) ? json_string_value(v) : NULL;
        strbuf_printf(&set, ", \"%s\"", cols[i]);
    }
    const char *sql;
    if (is_post) {
        strbuf_t vals;
        strbuf_init_arena(&vals, req->arena, 64);
        for (int i = 3; i <= np; i++) strbuf_printf(&vals, ", $%d", i);
        sql = arena_sprintf(req->arena,
                            "INSERT INTO annotation (layer_id, created_on, changed_on, created_by_fk, changed_by_fk%s)"
                            " VALUES ($1::int, localtimestamp, localtimestamp, $2::int, $2::int%s) RETURNING id",
                            set.data ? set.data : "", vals.data ? vals.data : "");
    } else {
        strbuf_t upd;
        strbuf_init_arena(&upd, req->arena, 64);
        int k = 3;
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            if (json_object_get(body, cols[i])) strbuf_printf(&upd, ", \"%s\" = $%d", cols[i], k++);
        params[np++] = int_text(req, id);
        sql = arena_sprintf(req->arena,
                            "UPDATE annotation SET layer_id = $1::int, changed_on = localtimestamp,"
                            " changed_by_fk = $2::int%s WHERE id = $%d::int RETURNING id",
                            upd.data ? upd.data : "", np);
    }
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, sql, np, params);
    if (!r || !pg_nrows(r)) {
        error_fab(req, 422, is_post ? "Annotation could not be created." : "Annotation could not be updated.");
        return;
    }
    json_t *result = json_deep_copy(body);
    json_object_set_new(result, "layer", json_integer(layer));
    resp_json(req, is_post ? 201 : 200,
              json_pack("{s:I,s:o}", "id", (json_int_t)pg_get_int(r, 0, 0, 0), "result", result), JSON_FLASK);
}

static void ann_post(request_t *req) { ann_write(req, true); }
static void ann_put(request_t *req) { ann_write(req, false); }

/* What a delete command works on: its table, an integrity check that
 * refuses the delete (or NULL), and the bulk nouns. */
typedef struct delete_target {
    const char *table;
    const char *blocked_sql;  /* SELECT count(*) of dependent rows for $1 (json ids), or NULL */
    const char *blocked_msg;
    const char *failed_msg;
    const char *singular, *plural;
} delete_target_t;

static const delete_target_t annotation_target = {"annotation", NULL, NULL, "Annotations could not be deleted.",
                                                  "annotation", "annotations"};
static const delete_target_t layer_target = {
    "annotation_layer",
    "SELECT count(*) FROM annotation WHERE layer_id IN"
    " (SELECT x::int FROM jsonb_array_elements_text($1::jsonb) e(x))",
    "Annotation layer has associated annotations.", "Annotation layers could not be deleted.", "annotation layer",
    "annotation layers"};

/* Deletes the rows in ids (a JSON array text); all must exist. */
static void delete_ids(request_t *req, const delete_target_t *t, const char *ids, size_t wanted, bool bulk) {
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena, "SELECT count(*) FROM \"%s\" WHERE id IN"
                                            " (SELECT x::bigint FROM jsonb_array_elements_text($1::jsonb) e(x))",
                                            t->table), 1, &ids);
    if (!r) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    if ((size_t)pg_get_int(r, 0, 0, 0) != wanted || !wanted) {
        error_fab(req, 404, "Not found");
        return;
    }
    if (t->blocked_sql) {
        r = pg_query(app_pg(req->app), req->arena, &err, t->blocked_sql, 1, &ids);
        if (!r || pg_get_int(r, 0, 0, 0) > 0) {
            if (r) error_fab(req, 422, t->blocked_msg);
            else error_fab(req, 500, "Fatal error");
            return;
        }
    }
    r = pg_query(app_pg(req->app), req->arena, &err,
                 arena_sprintf(req->arena, "DELETE FROM \"%s\" WHERE id IN"
                               " (SELECT x::bigint FROM jsonb_array_elements_text($1::jsonb) e(x))", t->table),
                 1, &ids);
    if (!r) {
        error_fab(req, 422, t->failed_msg);
        return;
    }
    if (!bulk) error_fab(req, 200, "OK");
    else error_fab(req, 200, arena_sprintf(req->arena, "Deleted %zu %s", wanted, wanted == 1 ? t->singular : t->plural));
}

static void delete_one(request_t *req, const delete_target_t *t, const char *param) {
    delete_ids(req, t, arena_sprintf(req->arena, "[%lld]", (long long)req_path_int(req, param)), 1, false);
}

/* DELETE ...?q=!(1,2,3) */
static void bulk_delete(request_t *req, const delete_target_t *t) {
    const char *qs = req_query_arg(req, "q");
    rison_error_t rerr;
    json_t *ids = qs && *qs ? rison_parse(qs, strlen(qs), &rerr) : NULL;
    if (!ids) {
        error_fab(req, 400, "Not a valid rison/json argument");
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, ids);
    size_t i;
    json_t *id;
    bool ok = json_is_array(ids);
    json_array_foreach(ids, i, id) ok = ok && json_is_integer(id);
    if (!ok) {
        error_fab(req, 400, "Not a valid rison/json argument");
        return;
    }
    json_t *uniq = json_object();
    json_array_foreach(ids, i, id) json_object_set_new(uniq, int_text(req, json_integer_value(id)), json_true());
    size_t wanted = json_object_size(uniq);
    json_decref(uniq);
    char *text = json_dumps(ids, JSON_COMPACT);
    const char *list = arena_strdup(req->arena, text);
    free(text);
    delete_ids(req, t, list, wanted, true);
}

static void ann_delete(request_t *req) { delete_one(req, &annotation_target, "annotation_id"); }
static void ann_bulk_delete(request_t *req) { bulk_delete(req, &annotation_target); }
static void layer_delete(request_t *req) { delete_one(req, &layer_target, "pk"); }
static void layer_bulk_delete(request_t *req) { bulk_delete(req, &layer_target); }

/* POST / PUT of a layer: schema (400), unique name (422), 404 on PUT. */
static void layer_write(request_t *req, bool is_post) {
    int64_t id = is_post ? 0 : req_path_int(req, "pk");
    json_t *body = json_body(req);
    if (!body) return;
    json_t *errors = validate_fields(layer_fields, body, is_post);
    if (errors) {
        resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    if (!is_post && count_rows(req, &model_annotation_layer, id, 0) <= 0) {
        error_fab(req, 404, "Not found");
        return;
    }
    const char *name = text_of(req, body, "name");
    const char *up[2] = {name ? name : "", int_text(req, id)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT count(*) FROM annotation_layer WHERE name = $1 AND id <> $2::int", 2, up);
    if (!r) {
        error_fab(req, 500, "Fatal error");
        return;
    }
    if (pg_get_int(r, 0, 0, 0) > 0) {
        resp_json(req, 422, json_pack("{s:{s:[s]}}", "message", "name", "Name must be unique"), JSON_FLASK);
        return;
    }
    json_t *jd = json_object_get(body, "descr");
    /* PUT changes only the keys the body carries ($5, $6) */
    const char *params[6] = {req->user ? int_text(req, req->user->id) : NULL, name,
                             json_is_string(jd) ? json_string_value(jd) : NULL, int_text(req, id),
                             json_object_get(body, "name") ? "true" : "false", jd ? "true" : "false"};
    const char *sql = is_post
        ? "INSERT INTO annotation_layer (created_on, changed_on, created_by_fk, changed_by_fk, name, descr)"
          " VALUES (localtimestamp, localtimestamp, $1::int, $1::int, $2, $3) RETURNING id"
        : "UPDATE annotation_layer SET changed_on = localtimestamp, changed_by_fk = $1::int,"
          " name = CASE WHEN $5::bool THEN $2 ELSE name END,"
          " descr = CASE WHEN $6::bool THEN $3 ELSE descr END WHERE id = $4::int RETURNING id";
    r = pg_query(app_pg(req->app), req->arena, &err, sql, is_post ? 3 : 6, params);
    if (!r || !pg_nrows(r)) {
        error_fab(req, 422, is_post ? "Annotation layer could not be created." : "Annotation layer could not be updated.");
        return;
    }
    resp_json(req, is_post ? 201 : 200,
              json_pack("{s:I,s:O}", "id", (json_int_t)pg_get_int(r, 0, 0, 0), "result", body), JSON_FLASK);
}

static void layer_post(request_t *req) { layer_write(req, true); }
static void layer_put(request_t *req) { layer_write(req, false); }

/* GET /api/v1/annotation_layer/_info: the annotation API registers this URL
 * first, so it answers with the annotation schemas and filters. */
typedef struct info_field {
    const char *name, *label, *type, *validate;
    bool post_required;
} info_field_t;

static const info_field_t info_fields[] = {
    {"short_descr", "Short Descr", "String", "<Length(min=1, max=500, equal=None, error=None)>", true},
    {"long_descr", "Long Descr", "String", NULL, false},
    {"start_dttm", "Start Dttm", "DateTime", NULL, true},
    {"end_dttm", "End Dttm", "DateTime", NULL, true},
    {"json_metadata", "Json Metadata", "String", "<function validate_json>", false},
};
static const char *const ann_search_columns[] = {"start_dttm", "end_dttm", "short_descr", "long_descr",
                                                 "json_metadata", "created_on", "changed_on", "created_by",
                                                 "changed_by", "layer", NULL};
static const struct {
    const char *code, *label;
} operator_labels[] = {
    {"eq", "Equal to"},        {"neq", "Not Equal to"},     {"gt", "Greater than"},  {"lt", "Smaller than"},
    {"sw", "Starts with"},     {"nsw", "Not Starts with"},  {"ew", "Ends with"},     {"new", "Not Ends with"},
    {"ct", "Contains"},        {"nct", "Not Contains"},     {"in", "In"},            {"not_in", "Not In"},
    {"rel_o_m", "Relation"},   {"nrel_o_m", "No Relation"}, {"rel_m_m", "Relation as Many"},
};

static const char *operator_label(const char *code) {
    for (size_t i = 0; i < sizeof operator_labels / sizeof operator_labels[0]; i++)
        if (!strcmp(operator_labels[i].code, code)) return operator_labels[i].label;
    return code;
}

static json_t *info_columns(bool is_post) {
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof info_fields / sizeof info_fields[0]; i++) {
        const info_field_t *f = &info_fields[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "name", f->name, "label", f->label, "description", "",
                              "type", f->type, "required", is_post && f->post_required, "unique", 0);
        if (f->validate) json_object_set_new(o, "validate", json_pack("[s]", f->validate));
        json_array_append_new(arr, o);
    }
    return arr;
}

static void layer_info(request_t *req) {
    json_t *q = parse_q(req);
    if (!q) return;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, q);
    json_t *keys = json_object_get(q, "keys");
    json_t *out = json_object();
    if (want_key(keys, "add_columns")) json_object_set_new(out, "add_columns", info_columns(true));
    if (want_key(keys, "edit_columns")) json_object_set_new(out, "edit_columns", info_columns(false));
    if (want_key(keys, "filters")) {
        json_t *filters = json_object();
        for (const char *const *c = ann_search_columns; *c; c++) {
            json_t *ops = json_array();
            for (const char *const *o = mq_operators_for(&model_annotation, *c); o && *o; o++)
                json_array_append_new(ops, json_pack("{s:s,s:s}", "name", operator_label(*o), "operator", *o));
            if (!strcmp(*c, "short_descr"))
                json_array_append_new(ops, json_pack("{s:s,s:s}", "name", "All Text", "operator", "annotation_all_text"));
            json_object_set_new(filters, *c, ops);
        }
        json_object_set_new(out, "filters", filters);
    }
    if (want_key(keys, "permissions")) {
        json_t *perms = json_array();
        sec_user_t *u = req->user ? req->user : auth_current_user(req);
        for (const char *const *p = layer_permissions; *p; p++)
            if (security_can(app_security(req->app), req->cfg, u, *p, "Annotation"))
                json_array_append_new(perms, json_string(*p));
        json_object_set_new(out, "permissions", perms);
    }
    if (want_key(keys, "add_title")) json_object_set_new(out, "add_title", json_string("Add Annotation"));
    if (want_key(keys, "edit_title")) json_object_set_new(out, "edit_title", json_string("Edit Annotation"));
    resp_json(req, 200, out, JSON_FLASK);
}

#define READ GUARD("can_read", "Annotation")
#define WRITE GUARD("can_write", "Annotation")
static const route_def_t routes[] = {
    {"GET", "/api/v1/annotation_layer/_info", layer_info, READ, 0, NULL},
    {"POST", "/api/v1/annotation_layer/", layer_post, WRITE, 0, NULL},
    {"DELETE", "/api/v1/annotation_layer/", layer_bulk_delete, WRITE, 0, NULL},
    {"PUT", "/api/v1/annotation_layer/<int:pk>", layer_put, WRITE, 0, NULL},
    {"DELETE", "/api/v1/annotation_layer/<int:pk>", layer_delete, WRITE, 0, NULL},
    {"GET", "/api/v1/annotation_layer/<int:pk>/annotation/", ann_list, READ, 0, NULL},
    {"POST", "/api/v1/annotation_layer/<int:pk>/annotation/", ann_post, WRITE, 0, NULL},
    {"DELETE", "/api/v1/annotation_layer/<int:pk>/annotation/", ann_bulk_delete, WRITE, 0, NULL},
    {"GET", "/api/v1/annotation_layer/<int:pk>/annotation/<int:annotation_id>", ann_get, READ, 0, NULL},
    {"PUT", "/api/v1/annotation_layer/<int:pk>/annotation/<int:annotation_id>", ann_put, WRITE, 0, NULL},
    {"DELETE", "/api/v1/annotation_layer/<int:pk>/annotation/<int:annotation_id>", ann_delete, WRITE, 0, NULL},
};
const route_table_t annotation_routes = {routes, sizeof routes / sizeof routes[0], NULL};
