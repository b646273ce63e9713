/* /api/v1/rowlevelsecurity: Superset's RLSRestApi on the generic engine
 * (read/write on "Row Level Security", tables and roles as many-to-many id
 * lists, bulk delete of "rules"). Writes are checked against the
 * RLSPostSchema / RLSPutSchema rules, declared as a field table below. */
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/related_users.h"
#include "fcgi/model_rest.h"
#include "persistence/models.h"

typedef enum { F_STRING, F_INT_LIST } field_kind_t;

typedef struct rls_field {
    const char *name;
    field_kind_t kind;
    bool post_required;
    bool allow_none;
    int min_len, max_len;        /* Length(min, max); 0 = unbounded */
    const char *const *one_of;   /* OneOf choices, or NULL */
} rls_field_t;

static const char *const filter_types[] = {"Regular", "Base", NULL};

static const rls_field_t rls_fields[] = {
    {"name", F_STRING, true, false, 1, 255, NULL},
    {"description", F_STRING, false, true, 0, 0, NULL},
    {"filter_type", F_STRING, true, false, 0, 0, filter_types},
    {"tables", F_INT_LIST, true, false, 1, 0, NULL},
    {"roles", F_INT_LIST, true, false, 0, 0, NULL},
    {"group_key", F_STRING, false, true, 0, 0, NULL},
    {"clause", F_STRING, true, false, 0, 0, NULL},
    {NULL, 0, false, false, 0, 0, NULL},
};

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

static const char *length_msg(request_t *req, const rls_field_t *f) {
    if (f->max_len) return arena_sprintf(req->arena, "Length must be between %d and %d.", f->min_len, f->max_len);
    return arena_sprintf(req->arena, "Shorter than minimum length %d.", f->min_len);
}

static void check_string(request_t *req, json_t *errors, const rls_field_t *f, json_t *v) {
    if (!json_is_string(v)) {
        add_msg(errors, f->name, "Not a valid string.");
        return;
    }
    const char *s = json_string_value(v);
    long n = 0; /* marshmallow counts characters, not bytes */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) n += (*p & 0xC0) != 0x80;
    if ((f->min_len && n < f->min_len) || (f->max_len && n > f->max_len)) add_msg(errors, f->name, length_msg(req, f));
    if (f->one_of) {
        bool ok = false;
        for (const char *const *c = f->one_of; *c; c++) ok = ok || !strcmp(*c, s);
        if (!ok) add_msg(errors, f->name, "Must be one of: Regular, Base.");
    }
}

static void check_int_list(request_t *req, json_t *errors, const rls_field_t *f, json_t *v) {
    if (!json_is_array(v)) {
        add_msg(errors, f->name, "Not a valid list.");
        return;
    }
    json_t *items = NULL; /* marshmallow keys element errors by index */
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        if (json_is_integer(e)) continue;
        if (!items) items = json_object();
        json_object_set_new(items, arena_sprintf(req->arena, "%zu", i), json_pack("[s]", "Not a valid integer."));
    }
    if (items) {
        json_object_set_new(errors, f->name, items);
        return;
    }
    if (f->min_len && (int)json_array_size(v) < f->min_len) add_msg(errors, f->name, length_msg(req, f));
}

static json_t *validate(request_t *req, const resource_t *res, json_t *body, bool is_post) {
    (void)res;
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const rls_field_t *f = rls_fields;
        while (f->name && strcmp(f->name, key)) f++;
        if (!f->name) add_msg(errors, key, "Unknown field.");
        else if (json_is_null(v)) {
            if (!f->allow_none) add_msg(errors, key, "Field may not be null.");
        } else if (f->kind == F_STRING) check_string(req, errors, f, v);
        else check_int_list(req, errors, f, v);
    }
    /* Superset's PUT schema requires nothing, but a PUT without tables or
     * roles keeps the current links (the engine only rewrites present ones). */
    for (const rls_field_t *f = rls_fields; is_post && f->name; f++)
        if (f->post_required && !json_object_get(body, f->name)) add_msg(errors, f->name, "Missing data for required field.");
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

static const char *const list_columns[] = {"id", "name", "filter_type", "tables.id", "tables.table_name", "roles.id",
                                           "roles.name", "clause", "changed_on_delta_humanized",
                                           "changed_by.first_name", "changed_by.last_name", "changed_by.id",
                                           "group_key", NULL};
static const char *const show_columns[] = {"name", "description", "filter_type", "tables.id", "tables.schema",
                                           "tables.table_name", "roles.id", "roles.name", "group_key", "clause",
                                           NULL};
static const char *const write_columns[] = {"name", "description", "filter_type", "tables", "roles", "group_key",
                                            "clause", NULL};
static const char *const search_columns[] = {"name", "description", "filter_type", "tables", "roles", "group_key",
                                             "clause", "created_by", "changed_by", NULL};
static const char *const order_columns[] = {"name", "filter_type", "clause", "changed_on_delta_humanized",
                                            "group_key", NULL};

static const related_field_t related[] = {
    RELATED_USERS("changed_by", NULL),
    {"created_by", NULL, NULL, NULL, NULL},
    {"roles", NULL, NULL, NULL, NULL},
    {"tables", "t.table_name ILIKE '%%' || %1$s || '%%'", NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

const resource_t rowlevelsecurity_resource = {
    .base = "/api/v1/rowlevelsecurity", .model = &model_rls_filter, .view_menu = "Row Level Security",
    .log_class = "RLSRestApi", .log_own = LOG_EP_POST | LOG_EP_PUT | LOG_EP_BULK_DELETE,
    .perm_list = "can_read", .perm_get = "can_read", .perm_info = "can_read", .perm_post = "can_write",
    .perm_put = "can_write", .perm_delete = "can_write",
    .list_columns = list_columns, .show_columns = show_columns, .add_columns = write_columns,
    .edit_columns = write_columns, .search_columns = search_columns, .order_columns = order_columns,
    .validate = validate, .related = related, .noun_singular = "rules", .noun_plural = "rules",
    .superset_errors = true, .validation_status = 400, .put_returns_id = true,
};
