/* Generic model REST engine; see model_rest.h. */
#include "fcgi/model_rest.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/security.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/errors.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "lib/rison.h"
#include "persistence/model_query.h"
#include "persistence/models.h"

#define DEFAULT_PAGE_SIZE 20
#define DEFAULT_MAX_PAGE_SIZE 100

/* ---- small helpers ---- */

static size_t count_of(const char *const *list) {
    size_t n = 0;
    while (list && list[n]) n++;
    return n;
}

static bool in_list(const char *const *list, const char *s) {
    for (; list && *list; list++)
        if (!strcmp(*list, s)) return true;
    return false;
}

const resource_t *model_rest_find(const char *path) {
    const resource_t *best = NULL;
    size_t best_len = 0;
    for (const resource_t *const *r = model_resources; *r; r++) {
        size_t n = strlen((*r)->base);
        if (!strncmp(path, (*r)->base, n) && (path[n] == '/' || path[n] == '\0') && n > best_len) {
            best = *r;
            best_len = n;
        }
    }
    return best;
}

char *model_rest_label(arena_t *a, const resource_t *res, const char *col) {
    for (const column_label_t *l = res->labels; l && l->col; l++)
        if (!strcmp(l->col, col)) return arena_strdup(a, l->label);
    /* Python str.title() after replacing '.' and '_' with spaces */
    char *out = arena_strdup(a, col);
    bool up = true;
    for (char *p = out; *p; p++) {
        if (*p == '.' || *p == '_') *p = ' ';
        if (isalpha((unsigned char)*p)) {
            *p = (char)(up ? toupper((unsigned char)*p) : tolower((unsigned char)*p));
            up = false;
        } else {
            up = true;
        }
    }
    return out;
}

/* "List " + model name with a space before every inner capital. */
static char *title(arena_t *a, const char *prefix, const char *model_name) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    strbuf_puts(&sb, prefix);
    for (const char *p = model_name; *p; p++) {
        if (p != model_name && isupper((unsigned char)*p)) strbuf_putc(&sb, ' ');
        strbuf_putc(&sb, *p);
    }
    return sb.data;
}

/* Python repr of a JSON scalar, as jsonschema quotes values in its messages. */
static char *py_repr(arena_t *a, const json_t *v) {
    if (json_is_string(v)) return arena_sprintf(a, "'%s'", json_string_value(v));
    if (json_is_true(v)) return "True";
    if (json_is_false(v)) return "False";
    if (json_is_null(v)) return "None";
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_sprintf(a, "%g", json_real_value(v));
    char *s = json_dump_arena(a, v, JSON_PY_DEFAULT, NULL);
    return s ? s : "?";
}

/* Rison and schema errors come from @rison, outside the event logger: no row. */
static void schema_error(request_t *req, const char *msg) {
    event_log_skip(req);
    error_fab(req, 400, arena_sprintf(req->arena, "Not a valid rison schema %s", msg));
}

/* Parses `q` (rison, or JSON as FAB_API_ALLOW_JSON_QS allows). NULL after
 * answering the error. An absent or empty q is {}. */
static json_t *parse_q(request_t *req) {
    const char *q = req_query_arg(req, "q");
    json_t *v = NULL;
    if (!q || !*q) {
        v = json_object();
    } else {
        rison_error_t err;
        v = rison_parse(q, strlen(q), &err);
        if (!v && err.fatal) {
            event_log_skip(req);
            error_fab(req, 500, "Fatal error");
            return NULL;
        }
        if (!v) {
            char *again = url_decode(req->arena, q, strlen(q), true);
            v = json_loads(again, JSON_DECODE_ANY, NULL);
        }
        if (!v) {
            event_log_skip(req);
            error_fab(req, 400, "Not a valid rison/json argument");
            return NULL;
        }
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, v);
    if (!json_is_object(v)) {
        schema_error(req, arena_sprintf(req->arena, "%s is not of type 'object'", py_repr(req->arena, v)));
        return NULL;
    }
    event_log_kwarg(req, "rison", v);
    return v;
}

/* jsonschema checks shared by the list/item schemas. */
static bool check_int(request_t *req, json_t *q, const char *key) {
    json_t *v = json_object_get(q, key);
    if (!v || json_is_integer(v)) return true;
    schema_error(req, arena_sprintf(req->arena, "%s is not of type 'integer'", py_repr(req->arena, v)));
    return false;
}

static bool check_string_array(request_t *req, json_t *q, const char *key, const char *const *allowed) {
    json_t *v = json_object_get(q, key);
    if (!v) return true;
    if (!json_is_array(v)) {
        schema_error(req, arena_sprintf(req->arena, "%s is not of type 'array'", py_repr(req->arena, v)));
        return false;
    }
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item)) {
            schema_error(req, arena_sprintf(req->arena, "%s is not of type 'string'", py_repr(req->arena, item)));
            return false;
        }
        if (allowed && !in_list(allowed, json_string_value(item))) {
            strbuf_t sb;
            strbuf_init_arena(&sb, req->arena, 128);
            strbuf_printf(&sb, "%s is not one of [", py_repr(req->arena, item));
            for (const char *const *a = allowed; *a; a++) strbuf_printf(&sb, "%s'%s'", a == allowed ? "" : ", ", *a);
            strbuf_putc(&sb, ']');
            schema_error(req, sb.data);
            return false;
        }
    }
    return true;
}

/* Effective columns: requested ∩ allowed (request order), else the defaults. */
static const char **prune(request_t *req, const char *const *allowed, json_t *requested, size_t *n) {
    size_t na = count_of(allowed);
    const char **out = arena_calloc(req->arena, na + 1, sizeof *out);
    *n = 0;
    size_t i;
    json_t *c;
    json_array_foreach(requested, i, c) {
        const char *s = json_string_value(c);
        if (s && in_list(allowed, s) && !in_list((const char *const *)out, s) && *n < na) out[(*n)++] = s;
    }
    if (*n) return out;
    for (i = 0; i < na; i++) out[i] = allowed[i];
    *n = na;
    return out;
}

static bool want_key(json_t *keys, const char *key) {
    if (!keys || json_array_size(keys) == 0) return true;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
        if (json_is_string(k) && !strcmp(json_string_value(k), key)) return true;
    return false;
}

static json_t *labels_of(request_t *req, const resource_t *res, const char **cols, size_t n) {
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++) json_object_set_new(o, cols[i], json_string(model_rest_label(req->arena, res, cols[i])));
    return o;
}

static json_t *string_array(const char *const *cols, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(cols[i]));
    return a;
}

static void db_failure(request_t *req) { error_fab(req, 500, "Fatal error"); }

/* ---- filters ---- */

static bool apply_filters(request_t *req, const resource_t *res, model_query_t *mq, json_t *filters) {
    if (!filters) return true;
    if (!json_is_array(filters)) {
        schema_error(req, arena_sprintf(req->arena, "%s is not of type 'array'", py_repr(req->arena, filters)));
        return false;
    }
    if (json_array_size(filters) > 64) {
        error_fab(req, 400, "Too many filters");
        return false;
    }
    size_t i;
    json_t *f;
    json_array_foreach(filters, i, f) {
        static const char *const required[] = {"col", "opr", "value"};
        for (size_t k = 0; k < 3; k++) {
            if (!json_is_object(f) || !json_object_get(f, required[k])) {
                schema_error(req, arena_sprintf(req->arena, "'%s' is a required property", required[k]));
                return false;
            }
        }
        json_t *value = json_object_get(f, "value");
        if (json_is_null(value)) {
            schema_error(req, "None is not valid under any of the given schemas");
            return false;
        }
        const char *col = json_string_value(json_object_get(f, "col"));
        const char *opr = json_string_value(json_object_get(f, "opr"));
        if (!col || !opr) {
            schema_error(req, arena_sprintf(req->arena, "%s is not of type 'string'",
                                            py_repr(req->arena, col ? json_object_get(f, "opr") : json_object_get(f, "col"))));
            return false;
        }
        bool searchable = in_list(res->search_columns, col);
        const custom_filter_t *custom = NULL;
        bool custom_code = false;
        for (const custom_filter_t *cf = res->custom_filters; cf && cf->code; cf++) {
            if (strcmp(cf->code, opr)) continue;
            custom_code = true;
            if (!strcmp(cf->column, col)) custom = cf;
        }
        if (custom) {
            if (custom->apply(req, mq, value) == MQ_FILTER_BAD_VALUE) {
                error_fab(req, 500, "Fatal error");
                return false;
            }
            continue;
        }
        bool known = mq_is_fab_operator(opr) || custom_code;
        if (known && !searchable) {
            error_fab(req, 400, arena_sprintf(req->arena, "Filter column: %s not allowed to filter", col));
            return false;
        }
        if (!known) {
            if (searchable) continue; /* FAB ignores unknown operators on searchable columns */
            error_fab(req, 400, arena_sprintf(req->arena, "Filter operation: %s not allowed on column: %s", opr, col));
            return false;
        }
        if (custom_code) { /* a Superset code offered on another column */
            error_fab(req, 400, arena_sprintf(req->arena, "Filter operation: %s not allowed on column: %s", opr, col));
            return false;
        }
        switch (mq_filter(mq, col, opr, value)) {
        case MQ_FILTER_OK:
        case MQ_FILTER_SKIPPED: break;
        case MQ_FILTER_BAD_VALUE: error_fab(req, 500, "Fatal error"); return false;
        case MQ_FILTER_BAD_COLUMN:
        case MQ_FILTER_BAD_OPERATOR:
            error_fab(req, 400, arena_sprintf(req->arena, "Filter operation: %s not allowed on column: %s", opr, col));
            return false;
        }
    }
    return true;
}

/* ---- GET list ---- */

static void get_list(request_t *req) { model_rest_serve_list(req, model_rest_find(req->path)); }

void model_rest_serve_list(request_t *req, const resource_t *res) {
    json_t *q = parse_q(req);
    if (!q) return;
    static const char *const list_keys[] = {"list_columns", "order_columns", "label_columns", "description_columns",
                                            "list_title", "none", NULL};
    if (!check_int(req, q, "page") || !check_int(req, q, "page_size") ||
        !check_string_array(req, q, "columns", NULL) || !check_string_array(req, q, "select_columns", NULL) ||
        !check_string_array(req, q, "keys", list_keys))
        return;
    json_t *od = json_object_get(q, "order_direction");
    if (od && (!json_is_string(od) || (strcmp(json_string_value(od), "asc") && strcmp(json_string_value(od), "desc")))) {
        schema_error(req, arena_sprintf(req->arena, "%s is not one of ['asc', 'desc']", py_repr(req->arena, od)));
        return;
    }
    if (json_object_get(q, "columns") && json_object_get(q, "select_columns")) {
        error_fab(req, 400, "Cannot use both select and sel columns");
        return;
    }
    json_t *requested = json_object_get(q, "columns");
    if (!requested) requested = json_object_get(q, "select_columns");
    size_t ncols;
    const char **cols = prune(req, res->list_columns, requested, &ncols);

    model_query_t mq;
    mq_init(&mq, req->arena, res->model);
    if (res->base_filter) res->base_filter(req, &mq);
    if (!apply_filters(req, res, &mq, json_object_get(q, "filters"))) return;
    const char *order_col = json_string_value(json_object_get(q, "order_column"));
    bool desc = !(od && !strcmp(json_string_value(od), "asc"));
    if (order_col) {
        if (!in_list(res->order_columns, order_col)) {
            error_fab(req, 400, arena_sprintf(req->arena, "Invalid order by column: %s", order_col));
            return;
        }
        if (strchr(order_col, '.') && !mq_column_sql(&mq, order_col)) order_col = NULL; /* to-many: ignored */
        if (order_col) mq_order_by(&mq, order_col, desc);
    } else if (res->base_order) {
        mq_order_by(&mq, res->base_order, res->base_order_desc);
    }
    int64_t page = json_integer_value(json_object_get(q, "page"));
    int64_t page_size = json_integer_value(json_object_get(q, "page_size"));
    int max = res->max_page_size ? res->max_page_size : DEFAULT_MAX_PAGE_SIZE;
    if (!json_object_get(q, "page_size") || page_size == 0) page_size = res->page_size ? res->page_size : DEFAULT_PAGE_SIZE;
    if (max > 0 && (page_size > max || page_size < 1)) page_size = max;
    if (max < 0 && page_size < 0) {
        mq.limit = -1;
    } else {
        mq.limit = page_size;
        mq.offset = page * page_size;
    }
    if (mq.offset < 0) { /* the reference passes a negative OFFSET to the database, which fails */
        db_failure(req);
        return;
    }
    pg_error_t err;
    int64_t count = mq_count(&mq, app_pg(req->app), &err);
    json_t *ids = NULL;
    json_t *rows = count < 0 ? NULL : mq_fetch(&mq, app_pg(req->app), cols, ncols, &ids, &err);
    if (!rows) {
        db_failure(req);
        return;
    }
    json_t *out = json_object();
    json_object_set_new(out, "count", json_integer(count));
    json_object_set_new(out, "ids", ids);
    json_object_set_new(out, "result", rows);
    json_t *keys = json_object_get(q, "keys");
    if (want_key(keys, "list_columns")) json_object_set_new(out, "list_columns", string_array(cols, ncols));
    if (want_key(keys, "label_columns")) json_object_set_new(out, "label_columns", labels_of(req, res, cols, ncols));
    if (want_key(keys, "description_columns")) json_object_set_new(out, "description_columns", json_object());
    if (want_key(keys, "order_columns")) {
        json_t *oc = json_array();
        bool pruned = requested && json_array_size(requested);
        for (const char *const *c = res->order_columns; c && *c; c++)
            if (!pruned || in_list((const char *const *)cols, *c)) json_array_append_new(oc, json_string(*c));
        json_object_set_new(out, "order_columns", oc);
    }
    if (want_key(keys, "list_title"))
        json_object_set_new(out, "list_title", json_string(res->list_title ? res->list_title
                                                                          : title(req->arena, "List ", res->model->name)));
    resp_json(req, 200, out, JSON_FLASK);
}

/* ---- GET item ---- */

static bool pk_of(request_t *req, int64_t *pk) {
    const char *s = req_path_param(req, "pk");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end) return false;
    *pk = v;
    return true;
}

static json_t *fetch_one(request_t *req, const resource_t *res, int64_t pk, const char **cols, size_t n,
                         bool *db_error) {
    model_query_t mq;
    mq_init(&mq, req->arena, res->model);
    if (res->base_filter) res->base_filter(req, &mq);
    mq_where(&mq, arena_sprintf(req->arena, "t.\"%s\" = %s::bigint", res->model->pk,
                                mq_param(&mq, arena_sprintf(req->arena, "%lld", (long long)pk))));
    pg_error_t err;
    json_t *ids = NULL;
    json_t *rows = mq_fetch(&mq, app_pg(req->app), cols, n, &ids, &err);
    *db_error = rows == NULL;
    json_decref(ids);
    if (!rows) return NULL;
    json_t *row = json_array_size(rows) ? json_incref(json_array_get(rows, 0)) : NULL;
    json_decref(rows);
    return row;
}

static void get_item(request_t *req) { model_rest_serve_item(req, model_rest_find(req->path), req_path_int(req, "pk")); }

void model_rest_serve_item(request_t *req, const resource_t *res, int64_t pk) {
    json_t *q = parse_q(req);
    if (!q) return;
    static const char *const item_keys[] = {"show_columns", "description_columns", "label_columns", "show_title",
                                            "none", NULL};
    if (!check_string_array(req, q, "columns", NULL) || !check_string_array(req, q, "keys", item_keys)) return;
    size_t ncols;
    const char **cols = prune(req, res->show_columns, json_object_get(q, "columns"), &ncols);
    bool db_error;
    json_t *row = fetch_one(req, res, pk, cols, ncols, &db_error);
    if (!row) {
        if (db_error) db_failure(req);
        else error_fab(req, 404, "Not found");
        return;
    }
    json_t *out = json_object();
    json_object_set_new(out, "id", json_integer(pk));
    json_object_set_new(out, "result", row);
    json_t *keys = json_object_get(q, "keys");
    if (want_key(keys, "show_columns")) json_object_set_new(out, "show_columns", string_array(cols, ncols));
    if (want_key(keys, "label_columns")) json_object_set_new(out, "label_columns", labels_of(req, res, cols, ncols));
    if (want_key(keys, "description_columns")) json_object_set_new(out, "description_columns", json_object());
    if (want_key(keys, "show_title"))
        json_object_set_new(out, "show_title", json_string(title(req->arena, "Show ", res->model->name)));
    resp_json(req, 200, out, JSON_FLASK);
}

/* ---- _info ---- */

static const struct {
    const char *code;
    const char *label;
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

static const char *field_type(const resource_t *res, const char *col) {
    const model_rel_t *r = model_rel(res->model, col);
    if (r) return r->kind == REL_MANY_TO_ONE ? "Related" : "RelatedList";
    const model_col_t *c = model_col(res->model, col);
    if (!c) return "String";
    static const char *const names[] = {[COL_INT] = "Integer", [COL_FLOAT] = "Float", [COL_STRING] = "String",
                                        [COL_TEXT] = "String", [COL_BOOL] = "Boolean", [COL_DATETIME] = "DateTime",
                                        [COL_DATE] = "Date", [COL_UUID] = "UUID", [COL_ENUM] = "Enum"};
    return names[c->type];
}

static json_t *column_info(request_t *req, const resource_t *res, const char *const *cols) {
    json_t *arr = json_array();
    for (; cols && *cols; cols++) {
        const model_col_t *c = model_col(res->model, *cols);
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "name", *cols, "label",
                              model_rest_label(req->arena, res, *cols), "description", "", "type",
                              field_type(res, *cols), "required", c ? !c->nullable : 0, "unique", c ? c->unique : 0);
        if (c && c->type == COL_STRING && c->max_len)
            json_object_set_new(o, "validate", json_pack("[s]", arena_sprintf(req->arena,
                                "<Length(min=None, max=%d, equal=None, error=None)>", c->max_len)));
        json_array_append_new(arr, o);
    }
    return arr;
}

static void info(request_t *req) {
    const resource_t *res = model_rest_find(req->path);
    json_t *q = parse_q(req);
    if (!q) return;
    static const char *const info_keys[] = {"add_columns", "edit_columns", "filters", "permissions", "add_title",
                                            "edit_title", "none", NULL};
    if (!check_string_array(req, q, "keys", info_keys)) return;
    json_t *keys = json_object_get(q, "keys");
    json_t *out = json_object();
    if (want_key(keys, "permissions")) {
        json_t *perms = json_array();
        const char *const generic[] = {res->perm_list, res->perm_get, res->perm_info, res->perm_post, res->perm_put,
                                       res->perm_delete, NULL};
        const char *const *all = res->info_permissions ? res->info_permissions : generic;
        size_t n = res->info_permissions ? count_of(all) : sizeof generic / sizeof generic[0] - 1;
        security_t *sec = app_security(req->app);
        sec_user_t *u = req->user ? req->user : auth_current_user(req);
        for (size_t i = 0; i < n; i++) {
            if (!all[i]) continue;
            bool dup = false;
            for (size_t j = 0; j < i; j++) dup = dup || (all[j] && !strcmp(all[j], all[i]));
            if (!dup && security_can(sec, req->cfg, u, all[i], res->view_menu))
                json_array_append_new(perms, json_string(all[i]));
        }
        json_object_set_new(out, "permissions", perms);
    }
    if (want_key(keys, "add_columns") && res->add_columns)
        json_object_set_new(out, "add_columns", column_info(req, res, res->add_columns));
    if (want_key(keys, "edit_columns") && res->edit_columns)
        json_object_set_new(out, "edit_columns", column_info(req, res, res->edit_columns));
    if (want_key(keys, "filters")) {
        json_t *filters = json_object();
        for (const char *const *c = res->search_columns; c && *c; c++) {
            json_t *ops = json_array();
            for (const char *const *o = mq_operators_for(res->model, *c); o && *o; o++)
                json_array_append_new(ops, json_pack("{s:s,s:s}", "name", operator_label(*o), "operator", *o));
            for (const custom_filter_t *cf = res->custom_filters; cf && cf->code; cf++)
                if (!strcmp(cf->column, *c))
                    json_array_append_new(ops, json_pack("{s:s,s:s}", "name", cf->name, "operator", cf->code));
            json_object_set_new(filters, *c, ops);
        }
        json_object_set_new(out, "filters", filters);
    }
    if (want_key(keys, "add_title")) json_object_set_new(out, "add_title", json_string(title(req->arena, "Add ", res->model->name)));
    if (want_key(keys, "edit_title")) json_object_set_new(out, "edit_title", json_string(title(req->arena, "Edit ", res->model->name)));
    resp_json(req, 200, out, JSON_FLASK);
}

/* ---- writes ---- */

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

/* Type checks of marshmallow's auto-generated schema for the allowed columns. */
static json_t *generic_validate(request_t *req, const resource_t *res, json_t *body, bool is_post) {
    const char *const *allowed = is_post ? res->add_columns : res->edit_columns;
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (!in_list(allowed, key)) {
            add_msg(errors, key, "Unknown field.");
            continue;
        }
        const model_rel_t *r = model_rel(res->model, key);
        const model_col_t *c = model_col(res->model, key);
        if (json_is_null(v)) {
            if ((c && !c->nullable) || (r && r->kind == REL_MANY_TO_MANY)) add_msg(errors, key, "Field may not be null.");
            continue;
        }
        if (r && r->kind == REL_MANY_TO_MANY) {
            size_t i;
            json_t *id;
            if (!json_is_array(v)) add_msg(errors, key, "Not a valid list.");
            else json_array_foreach(v, i, id) if (!json_is_integer(id)) add_msg(errors, key, "Not a valid integer.");
            continue;
        }
        if (r) {
            if (!json_is_integer(v)) add_msg(errors, key, "Not a valid integer.");
            continue;
        }
        if (!c) continue;
        switch (c->type) {
        case COL_INT:
            if (!json_is_integer(v)) add_msg(errors, key, "Not a valid integer.");
            break;
        case COL_BOOL:
            if (!json_is_boolean(v)) add_msg(errors, key, "Not a valid boolean.");
            break;
        case COL_FLOAT:
            if (!json_is_number(v)) add_msg(errors, key, "Not a valid number.");
            break;
        default:
            if (!json_is_string(v)) add_msg(errors, key, "Not a valid string.");
            else if (c->max_len && (int)json_string_length(v) > c->max_len)
                add_msg(errors, key, arena_sprintf(req->arena, "Longer than maximum length %d.", c->max_len));
        }
    }
    if (is_post) {
        for (const char *const *col = allowed; col && *col; col++) {
            const model_col_t *c = model_col(res->model, *col);
            if (c && !c->nullable && !json_object_get(body, *col)) add_msg(errors, *col, "Missing data for required field.");
        }
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

static const char *value_text(arena_t *a, const json_t *v) {
    if (json_is_null(v)) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_sprintf(a, "%.17g", json_real_value(v));
    if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
    return json_dump_arena(a, v, JSON_COMPACT, NULL);
}

/* Replaces the link rows of every many-to-many relation present in body. */
static bool write_links(request_t *req, const resource_t *res, pg_conn_t *c, int64_t id, json_t *body, pg_error_t *err) {
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)id);
    for (const model_rel_t *r = res->model->rels; r && r->name; r++) {
        json_t *v = json_object_get(body, r->name);
        if (r->kind != REL_MANY_TO_MANY || !json_is_array(v)) continue;
        if (*model_link_cond(res->model, r)) continue; /* typed links (tagged_object) are not written here */
        const char *del = arena_sprintf(req->arena, "DELETE FROM \"%s\" l WHERE l.\"%s\" = $1::bigint%s", r->link_table,
                                        r->link_self, model_link_cond(res->model, r));
        if (!pg_conn_query(c, req->arena, err, del, 1, &ids)) return false;
        size_t i;
        json_t *other;
        json_array_foreach(v, i, other) {
            const char *p[] = {ids, value_text(req->arena, other)};
            const char *ins = r->link_seq
                ? arena_sprintf(req->arena, "INSERT INTO \"%s\" (id, \"%s\", \"%s\") VALUES (nextval('%s'), $1::bigint, $2::bigint)",
                                r->link_table, r->link_self, r->link_other, r->link_seq)
                : arena_sprintf(req->arena, "INSERT INTO \"%s\" (\"%s\", \"%s\") VALUES ($1::bigint, $2::bigint)",
                                r->link_table, r->link_self, r->link_other);
            if (!pg_conn_query(c, req->arena, err, ins, 2, p)) return false;
        }
    }
    return true;
}

/* INSERT or UPDATE of the scalar / many-to-one values in body; returns the pk. */
static int64_t write_row(request_t *req, const resource_t *res, pg_conn_t *c, int64_t pk, json_t *body,
                         pg_error_t *err) {
    const model_t *m = res->model;
    strbuf_t cols, vals;
    strbuf_init_arena(&cols, req->arena, 128);
    strbuf_init_arena(&vals, req->arena, 128);
    const char *params[128];
    int np = 0;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const model_col_t *col = model_col(m, key);
        const model_rel_t *r = model_rel(m, key);
        const char *name = col ? col->name : (r && r->kind == REL_MANY_TO_ONE ? r->fk : NULL);
        if (!name || np == 127) continue;
        params[np++] = value_text(req->arena, v);
        if (pk) {
            strbuf_printf(&cols, "%s\"%s\" = $%d", cols.len ? ", " : "", name, np);
        } else {
            strbuf_printf(&cols, "%s\"%s\"", cols.len ? ", " : "", name);
            strbuf_printf(&vals, "%s$%d", vals.len ? ", " : "", np);
        }
    }
    if (!pk && model_col(m, "uuid") && !json_object_get(body, "uuid")) { /* UUIDMixin default */
        strbuf_printf(&cols, "%s\"uuid\"", cols.len ? ", " : "");
        strbuf_printf(&vals, "%sgen_random_uuid()", vals.len ? ", " : "");
    }
    if (m->audit) { /* AuditMixin: who and when, set by the server */
        const char *uid = req->user ? arena_sprintf(req->arena, "%lld", (long long)req->user->id) : NULL;
        params[np++] = uid;
        if (pk) {
            strbuf_printf(&cols, "%s\"changed_on\" = localtimestamp, \"changed_by_fk\" = $%d::int", cols.len ? ", " : "", np);
        } else {
            strbuf_printf(&cols, "%s\"created_on\", \"changed_on\", \"created_by_fk\", \"changed_by_fk\"", cols.len ? ", " : "");
            strbuf_printf(&vals, "%slocaltimestamp, localtimestamp, $%d::int, $%d::int", vals.len ? ", " : "", np, np);
        }
    }
    const char *sql;
    if (pk) {
        params[np++] = arena_sprintf(req->arena, "%lld", (long long)pk);
        sql = cols.len ? arena_sprintf(req->arena, "UPDATE \"%s\" SET %s WHERE \"%s\" = $%d::bigint RETURNING \"%s\"", m->table,
                                       cols.data, m->pk, np, m->pk)
                       : arena_sprintf(req->arena, "SELECT \"%s\" FROM \"%s\" WHERE \"%s\" = $%d::bigint", m->pk, m->table,
                                       m->pk, np);
    } else if (m->id_seq) {
        sql = arena_sprintf(req->arena, "INSERT INTO \"%s\" (\"%s\"%s%s) VALUES (nextval('%s')%s%s) RETURNING \"%s\"",
                            m->table, m->pk, cols.len ? ", " : "", cols.data, m->id_seq, vals.len ? ", " : "",
                            vals.data, m->pk);
    } else {
        sql = cols.len ? arena_sprintf(req->arena, "INSERT INTO \"%s\" (%s) VALUES (%s) RETURNING \"%s\"", m->table,
                                       cols.data, vals.data, m->pk)
                       : arena_sprintf(req->arena, "INSERT INTO \"%s\" DEFAULT VALUES RETURNING \"%s\"", m->table, m->pk);
    }
    pg_result_t *r = pg_conn_query(c, req->arena, err, sql, np, params);
    if (!r) return -1;
    return pg_nrows(r) ? pg_get_int(r, 0, 0, 0) : 0;
}

/* Whether row pk exists and passes the resource's access filter: writes on
 * rows the user may not see answer 404, as the reference's lookups do. */
static bool visible(request_t *req, const resource_t *res, int64_t pk, bool *db_error) {
    model_query_t mq;
    mq_init(&mq, req->arena, res->model);
    if (res->base_filter) res->base_filter(req, &mq);
    mq_where(&mq, arena_sprintf(req->arena, "t.\"%s\" = %s::bigint", res->model->pk,
                                mq_param(&mq, arena_sprintf(req->arena, "%lld", (long long)pk))));
    pg_error_t err;
    int64_t n = mq_count(&mq, app_pg(req->app), &err);
    *db_error = n < 0;
    return n > 0;
}

static void write_item(request_t *req, bool is_post) {
    const resource_t *res = model_rest_find(req->path);
    int64_t pk = 0;
    if (!is_post && !pk_of(req, &pk)) {
        error_fab(req, 404, "Not found");
        return;
    }
    if (!req_is_json(req)) {
        error_fab(req, 400, "Request is not JSON");
        return;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, 0, NULL);
    if (!body) {
        error_fab(req, 400, "Request is not JSON");
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    if (!json_is_object(body)) {
        resp_json(req, 422, json_pack("{s:{s:[s]}}", "message", "_schema", "Invalid input type."), JSON_FLASK);
        return;
    }
    json_t *errors = res->validate ? res->validate(req, res, body, is_post) : generic_validate(req, res, body, is_post);
    if (errors) {
        resp_json(req, res->validation_status ? res->validation_status : 422, json_pack("{s:o}", "message", errors),
                  JSON_FLASK);
        return;
    }
    if (!is_post) {
        bool db_error;
        if (!visible(req, res, pk, &db_error)) {
            if (db_error) db_failure(req);
            else error_fab(req, 404, "Not found");
            return;
        }
    }
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) {
        db_failure(req);
        return;
    }
    const char *hook_error = NULL;
    int64_t id = -1;
    if (pg_begin(c, req->arena, &err)) {
        id = write_row(req, res, c, pk, body, &err);
        if (id > 0 && !write_links(req, res, c, id, body, &err)) id = -1;
        if (id > 0 && res->after_write && !res->after_write(req, res, c, id, body, &hook_error)) id = -1;
        if (id > 0 && !pg_commit(c, req->arena, &err)) id = -1;
    }
    pg_release(c); /* rolls back what did not commit */
    if (id == 0) {
        error_fab(req, 404, "Not found");
        return;
    }
    if (id < 0) {
        if (hook_error) error_fab(req, 422, hook_error);
        else if (err.status == PG_ERR_QUERY && res->superset_errors)
            resp_json(req, 422, json_pack("{s:s}", "error", err.message), JSON_FLASK);
        else if (err.status == PG_ERR_QUERY && err.sqlstate[0] == '2' && err.sqlstate[1] == '3')
            /* integrity errors (unique, foreign key) */
            resp_json(req, 422, json_pack("{s:s}", "message", is_post ? err.message : arena_sprintf(req->arena,
                      "Database exception occurred: %s", err.message)), JSON_FLASK);
        else db_failure(req);
        return;
    }
    security_invalidate(app_security(req->app)); /* roles and permissions may have changed */
    json_t *result = json_deep_copy(body);
    json_object_del(result, "password");
    if (is_post && res->post_returns_id_only) {
        json_decref(result);
        resp_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id), JSON_FLASK);
    } else if (is_post) {
        resp_json(req, 201, json_pack("{s:I,s:o}", "id", (json_int_t)id, "result", result), JSON_FLASK);
    } else if (res->put_returns_id) {
        resp_json(req, 200, json_pack("{s:I,s:o}", "id", (json_int_t)id, "result", result), JSON_FLASK);
    } else {
        resp_json(req, 200, json_pack("{s:o}", "result", result), JSON_FLASK);
    }
}

static void post_item(request_t *req) { write_item(req, true); }
static void put_item(request_t *req) { write_item(req, false); }

static void delete_item(request_t *req) {
    const resource_t *res = model_rest_find(req->path);
    int64_t pk;
    if (!pk_of(req, &pk)) {
        error_fab(req, 404, "Not found");
        return;
    }
    bool db_error;
    if (!visible(req, res, pk, &db_error)) {
        if (db_error) db_failure(req);
        else error_fab(req, 404, "Not found");
        return;
    }
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)pk);
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) {
        db_failure(req);
        return;
    }
    int64_t deleted = -1;
    if (pg_begin(c, req->arena, &err)) {
        bool ok = true;
        for (const model_rel_t *r = res->model->rels; ok && r && r->name; r++) {
            if (r->kind != REL_MANY_TO_MANY) continue;
            ok = pg_conn_query(c, req->arena, &err,
                               arena_sprintf(req->arena, "DELETE FROM \"%s\" l WHERE l.\"%s\" = $1::bigint%s", r->link_table,
                                             r->link_self, model_link_cond(res->model, r)), 1, &ids) != NULL;
        }
        pg_result_t *r = ok ? pg_conn_query(c, req->arena, &err,
                                            arena_sprintf(req->arena, "DELETE FROM \"%s\" WHERE \"%s\" = $1::bigint",
                                                          res->model->table, res->model->pk), 1, &ids)
                            : NULL;
        if (r) deleted = pg_affected(r);
        if (deleted > 0 && !pg_commit(c, req->arena, &err)) deleted = -1;
    }
    pg_release(c);
    if (deleted == 0) {
        error_fab(req, 404, "Not found");
        return;
    }
    if (deleted < 0) {
        if (err.status == PG_ERR_QUERY) error_fab(req, 422, err.message);
        else db_failure(req);
        return;
    }
    security_invalidate(app_security(req->app));
    error_fab(req, 200, "OK");
}

/* DELETE <base>/?q=!(1,2,3): every id must exist (under the base filter). */
static void bulk_delete(request_t *req) {
    const resource_t *res = model_rest_find(req->path);
    const char *qs = req_query_arg(req, "q");
    rison_error_t rerr;
    json_t *ids = qs && *qs ? rison_parse(qs, strlen(qs), &rerr) : NULL;
    if (ids) arena_on_free(req->arena, (arena_cleanup_fn)json_decref, ids);
    if (!ids && qs && *qs && rerr.fatal) {
        event_log_skip(req);
        error_fab(req, 500, "Fatal error");
        return;
    }
    if (!ids) {
        event_log_skip(req);
        error_fab(req, 400, "Not a valid rison/json argument");
        return;
    }
    if (!json_is_array(ids)) {
        schema_error(req, arena_sprintf(req->arena, "%s is not of type 'array'", py_repr(req->arena, ids)));
        return;
    }
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        if (!json_is_integer(id)) {
            schema_error(req, arena_sprintf(req->arena, "%s is not of type 'integer'", py_repr(req->arena, id)));
            return;
        }
    }
    event_log_kwarg(req, "rison", ids);
    char *list = json_dumps(ids, JSON_COMPACT);
    model_query_t mq;
    mq_init(&mq, req->arena, res->model);
    if (res->base_filter) res->base_filter(req, &mq);
    const char *p = mq_param(&mq, arena_strdup(req->arena, list));
    free(list);
    mq_where(&mq, arena_sprintf(req->arena, "t.\"%s\" IN (SELECT x::bigint FROM jsonb_array_elements_text(%s::jsonb) e(x))",
                                res->model->pk, p));
    pg_error_t err;
    int64_t found = mq_count(&mq, app_pg(req->app), &err);
    json_t *uniq = json_object();
    json_array_foreach(ids, i, id) json_object_set_new(uniq, arena_sprintf(req->arena, "%lld", (long long)json_integer_value(id)), json_true());
    size_t wanted = json_object_size(uniq);
    json_decref(uniq);
    if (found < 0) {
        db_failure(req);
        return;
    }
    if ((size_t)found != wanted) {
        error_fab(req, 404, "Not found");
        return;
    }
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    for (const model_rel_t *r = res->model->rels; ok && r && r->name; r++) {
        if (r->kind != REL_MANY_TO_MANY) continue;
        ok = pg_conn_query(c, req->arena, &err,
                           arena_sprintf(req->arena, "DELETE FROM \"%s\" l WHERE l.\"%s\" IN (SELECT x::bigint FROM"
                                                     " jsonb_array_elements_text($1::jsonb) e(x))%s",
                                         r->link_table, r->link_self, model_link_cond(res->model, r)),
                           1, &mq.params[mq.nparams - 1]) != NULL;
    }
    ok = ok && pg_conn_query(c, req->arena, &err,
                             arena_sprintf(req->arena, "DELETE FROM \"%s\" WHERE \"%s\" IN (SELECT x::bigint FROM"
                                                       " jsonb_array_elements_text($1::jsonb) e(x))",
                                           res->model->table, res->model->pk),
                             1, &mq.params[mq.nparams - 1]) != NULL;
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok) {
        if (err.status == PG_ERR_QUERY) error_fab(req, 422, err.message);
        else db_failure(req);
        return;
    }
    error_fab(req, 200, arena_sprintf(req->arena, "Deleted %zu %s", wanted, wanted == 1 ? res->noun_singular : res->noun_plural));
}

/* ---- related and distinct ---- */

/* get_related_schema / distinct: filter, page, page_size, include_ids. */
static bool related_args(request_t *req, json_t *q, const char **filter, int64_t *page, int64_t *page_size,
                         int max) {
    if (!check_int(req, q, "page") || !check_int(req, q, "page_size")) return false;
    json_t *f = json_object_get(q, "filter");
    if (f && !json_is_string(f)) {
        schema_error(req, arena_sprintf(req->arena, "%s is not of type 'string'", py_repr(req->arena, f)));
        return false;
    }
    *filter = f ? json_string_value(f) : NULL;
    *page = json_integer_value(json_object_get(q, "page"));
    *page_size = json_integer_value(json_object_get(q, "page_size"));
    if (!json_object_get(q, "page_size") || *page_size == 0) *page_size = DEFAULT_PAGE_SIZE;
    if (max > 0 && (*page_size > max || *page_size < 1)) *page_size = max;
    return true;
}

static void related(request_t *req) {
    const resource_t *res = model_rest_find(req->path);
    const char *col = req_path_param(req, "column_name");
    const related_field_t *rf = NULL;
    for (const related_field_t *r = res->related; r && r->column; r++)
        if (!strcmp(r->column, col)) rf = r;
    const model_rel_t *rel = rf ? model_rel(res->model, col) : NULL;
    if (!rel) {
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *q = parse_q(req);
    if (!q) return;
    const char *filter;
    int64_t page, page_size;
    if (!related_args(req, q, &filter, &page, &page_size, res->max_page_size ? res->max_page_size : DEFAULT_MAX_PAGE_SIZE))
        return;
    json_t *include = json_object_get(q, "include_ids");
    if (include && page > 0) {
        error_fab(req, 422, "Could not process entity");
        return;
    }
    const model_t *tm = rel->target;
    model_query_t mq;
    mq_init(&mq, req->arena, tm);
    if (rf->base_sql) mq_where(&mq, rf->base_sql);
    if (res->related_scope) res->related_scope(req, col, &mq);
    const json_t *excluded = config_get(req->cfg, "EXCLUDE_USERS_FROM_LISTS");
    if (tm == &model_ab_user && json_is_array(excluded) && json_array_size(excluded)) {
        char *names = json_dumps(excluded, JSON_COMPACT);
        mq_where(&mq, arena_sprintf(req->arena, "t.username NOT IN (SELECT jsonb_array_elements_text(%s::jsonb))",
                                    mq_param(&mq, arena_strdup(req->arena, names))));
        free(names);
    }
    if (filter && rf->filter_sql) mq_where(&mq, arena_sprintf(req->arena, rf->filter_sql, mq_param(&mq, filter)));
    pg_error_t err;
    int64_t count = mq_count(&mq, app_pg(req->app), &err);
    const char *where = mq.where.len ? arena_sprintf(req->arena, " WHERE %s", mq.where.data) : "";
    const char *text_sql = res->related_text ? res->related_text(col) : NULL;
    if (!text_sql) text_sql = tm->str_sql;
    const char *item = arena_sprintf(req->arena, "json_build_object('value', t.\"%s\", 'text', %s, 'extra', %s)::text",
                                     tm->pk, text_sql, rf->extra_sql ? rf->extra_sql : "'{}'::json");
    char *sql = arena_sprintf(req->arena, "SELECT t.\"%s\", %s FROM \"%s\" t%s ORDER BY %s LIMIT %lld OFFSET %lld", tm->pk,
                              item, tm->table, where, rf->order_sql ? rf->order_sql : arena_sprintf(req->arena, "t.\"%s\"", tm->pk),
                              (long long)page_size, (long long)(page * page_size));
    pg_result_t *r = count < 0 ? NULL : pg_query(app_pg(req->app), req->arena, &err, sql, mq.nparams, mq.params);
    if (!r) {
        db_failure(req);
        return;
    }
    json_t *result = json_array();
    json_t *seen = json_object();
    for (int i = 0; i < pg_nrows(r); i++) {
        json_object_set_new(seen, pg_get(r, i, 0), json_true());
        json_t *o = json_loads(pg_get(r, i, 1), 0, NULL);
        json_array_append_new(result, o ? o : json_object());
    }
    if (json_is_array(include) && json_array_size(include)) {
        /* rows named by include_ids and not already on the page are appended */
        char *ids = json_dumps(include, JSON_COMPACT);
        const char *p[] = {ids};
        char *isql = arena_sprintf(req->arena,
                                   "SELECT t.\"%s\", %s FROM \"%s\" t WHERE t.\"%s\"::text IN"
                                   " (SELECT x FROM jsonb_array_elements_text($1::jsonb) e(x)) ORDER BY t.\"%s\"",
                                   tm->pk, item, tm->table, tm->pk, tm->pk);
        pg_result_t *ir = pg_query(app_pg(req->app), req->arena, &err, isql, 1, p);
        free(ids);
        for (int i = 0; ir && i < pg_nrows(ir); i++) {
            if (json_object_get(seen, pg_get(ir, i, 0))) continue;
            json_t *o = json_loads(pg_get(ir, i, 1), 0, NULL);
            if (o) json_array_append_new(result, o);
        }
        count = (int64_t)json_array_size(result);
    }
    json_decref(seen);
    resp_json(req, 200, json_pack("{s:I,s:o}", "count", (json_int_t)count, "result", result), JSON_FLASK);
}

static void distinct(request_t *req) {
    const resource_t *res = model_rest_find(req->path);
    const char *col = req_path_param(req, "column_name");
    const model_col_t *c = in_list(res->distinct_columns, col) ? model_col(res->model, col) : NULL;
    if (!c) {
        error_fab(req, 404, "Not found");
        return;
    }
    json_t *q = parse_q(req);
    if (!q) return;
    const char *filter;
    int64_t page, page_size;
    if (!related_args(req, q, &filter, &page, &page_size, res->max_page_size ? res->max_page_size : DEFAULT_MAX_PAGE_SIZE))
        return;
    model_query_t mq;
    mq_init(&mq, req->arena, res->model);
    if (res->base_filter) res->base_filter(req, &mq); /* distinct values only from visible rows */
    const char *col_sql = arena_sprintf(req->arena, "t.\"%s\"", c->name);
    if (filter) mq_where(&mq, arena_sprintf(req->arena, "%s::text ILIKE %s || '%%'", col_sql, mq_param(&mq, filter)));
    const char *where = mq.where.len ? arena_sprintf(req->arena, " WHERE %s", mq.where.data) : "";
    pg_error_t err;
    pg_result_t *cr = pg_query(app_pg(req->app), req->arena, &err,
                               arena_sprintf(req->arena, "SELECT count(DISTINCT %s) FROM \"%s\" t%s", col_sql,
                                             res->model->table, where),
                               mq.nparams, mq.params);
    if (!cr) {
        db_failure(req);
        return;
    }
    int64_t count = pg_get_int(cr, 0, 0, 0);
    json_t *result = json_array();
    if (count > 0) {
        const char *and_nn = mq.where.len ? " AND" : " WHERE";
        pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                                  arena_sprintf(req->arena,
                                                "SELECT DISTINCT %s::text FROM \"%s\" t%s%s %s IS NOT NULL ORDER BY 1 ASC"
                                                " LIMIT %lld OFFSET %lld",
                                                col_sql, res->model->table, where, and_nn, col_sql,
                                                (long long)page_size, (long long)(page * page_size)),
                                  mq.nparams, mq.params);
        if (!r) {
            json_decref(result);
            db_failure(req);
            return;
        }
        for (int i = 0; i < pg_nrows(r); i++)
            json_array_append_new(result, json_pack("{s:s,s:s}", "text", pg_get(r, i, 0), "value", pg_get(r, i, 0)));
    }
    resp_json(req, 200, json_pack("{s:I,s:o}", "count", (json_int_t)count, "result", result), JSON_FLASK);
}

/* ---- routes ---- */

bool model_rest_gate(request_t *req, const route_def_t *route) {
    const resource_t *res = model_rest_find(req->path);
    if (!res || !res->enabled || res->enabled(req->cfg)) return true;
    static const route_handler_fn engine[] = {get_list, info, get_item, post_item, put_item,
                                              delete_item, related, bulk_delete, distinct};
    bool own = res->gate_custom_routes;
    for (size_t i = 0; !own && i < sizeof engine / sizeof engine[0]; i++) own = route->handler == engine[i];
    if (!own) return true;
    error_fab(req, 404, "Not found");
    return false;
}

/* The event log of an engine endpoint: Superset classes log the base
 * class's *_headless methods (path parameters passed positionally), or their
 * own override of it; FAB classes log nothing. */
static void route_log(route_def_t *r, const resource_t *res, unsigned ep, const char *method, const char *base_ref) {
    if (!res->log_class || (res->log_none & ep)) return;
    bool own = res->log_own & ep;
    if (!own && !base_ref) return;
    size_t len = strlen(res->log_class) + strlen(method) + 2;
    char *action = xmalloc(len);
    snprintf(action, len, "%s.%s", res->log_class, method);
    r->log_action = action; /* freed by model_rest_free_routes */
    r->log_ref = own ? NULL : base_ref;
    if (!own) r->flags |= ROUTE_LOG_POSITIONAL;
}

route_def_t *model_rest_routes(const resource_t *res, size_t *n) {
    struct {
        const char *perm, *method, *suffix;
        route_handler_fn fn;
        unsigned ep;
        const char *log_method, *base_ref; /* base_ref NULL: no base logging */
    } spec[] = {
        {res->perm_list, "GET", "/", get_list, LOG_EP_LIST, "get_list", "BaseSupersetModelRestApi.get_list_headless"},
        {res->perm_info, "GET", "/_info", info, LOG_EP_INFO, "info", "BaseSupersetModelRestApi.info_headless"},
        {res->perm_get, "GET", "/<int:pk>", get_item, LOG_EP_GET, "get", "BaseSupersetModelRestApi.get_headless"},
        {res->perm_post, "POST", "/", post_item, LOG_EP_POST, "post", "BaseSupersetModelRestApi.post_headless"},
        {res->perm_put, "PUT", "/<pk>", put_item, LOG_EP_PUT, "put", "BaseSupersetModelRestApi.put_headless"},
        {res->perm_delete, "DELETE", "/<pk>", delete_item, LOG_EP_DELETE, "delete",
         "BaseSupersetModelRestApi.delete_headless"},
        {res->related ? res->perm_list : NULL, "GET", "/related/<column_name>", related, 0, NULL, NULL},
        {res->noun_singular ? res->perm_delete : NULL, "DELETE", "/", bulk_delete, LOG_EP_BULK_DELETE, "bulk_delete",
         NULL},
        {res->distinct_columns ? res->perm_list : NULL, "GET", "/distinct/<column_name>", distinct, 0, NULL, NULL},
    };
    size_t count = sizeof spec / sizeof spec[0];
    route_def_t *routes = xcalloc(count, sizeof *routes);
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        if (!spec[i].perm) continue;
        route_def_t *r = &routes[(*n)++];
        size_t len = strlen(res->base) + strlen(spec[i].suffix) + 1;
        char *pattern = xmalloc(len);
        snprintf(pattern, len, "%s%s", res->base, spec[i].suffix);
        r->methods = spec[i].method;
        r->pattern = pattern; /* freed by model_rest_free_routes */
        r->handler = spec[i].fn;
        r->guard.permission = spec[i].perm;
        r->guard.view_menu = res->view_menu;
        r->flags = res->route_flags;
        if (spec[i].log_method) route_log(r, res, spec[i].ep, spec[i].log_method, spec[i].base_ref);
    }
    return routes;
}

void model_rest_free_routes(route_def_t *routes, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free((char *)routes[i].pattern);
        free((char *)routes[i].log_action);
    }
    free(routes);
}
