/* Chart writes: the field checks of Superset's ChartPostSchema /
 * ChartPutSchema (marshmallow messages), the existence checks of the
 * create/update commands (dataset, owners, dashboards), the ownership rule
 * (auth-and-security.md §6.6) and what the create/update commands set after
 * the row is written: dataset-derived permission columns, last saved
 * at/by and the owner list. */
#include <stdlib.h>
#include <string.h>

#include "domain/security.h"
#include "fcgi/api/chart.h"
#include "fcgi/app.h"

typedef enum { F_STR, F_INT, F_BOOL, F_INT_LIST, F_UUID } field_kind_t;

typedef struct chart_field {
    const char *name;
    field_kind_t kind;
    int min_len, max_len;  /* F_STR Length(min, max); max 0 = none */
    bool post_required, post_nullable, put_nullable, post, put;
    bool json_post, json_put; /* validate_json */
} chart_field_t;

/* name, kind, min, max, required(post), nullable(post), nullable(put), in post, in put, json(post), json(put) */
static const chart_field_t fields[] = {
    {"slice_name", F_STR, 1, 250, true, false, true, true, true, false, false},
    {"description", F_STR, 0, 0, false, true, true, true, true, false, false},
    {"viz_type", F_STR, 0, 250, false, false, true, true, true, false, false},
    {"owners", F_INT_LIST, 0, 0, false, false, false, true, true, false, false},
    {"params", F_STR, 0, 0, false, true, true, true, true, true, true},
    {"query_context", F_STR, 0, 0, false, true, true, true, true, true, false},
    {"query_context_generation", F_BOOL, 0, 0, false, true, true, true, true, false, false},
    {"cache_timeout", F_INT, 0, 0, false, true, true, true, true, false, false},
    {"datasource_id", F_INT, 0, 0, true, false, true, true, true, false, false},
    {"datasource_type", F_STR, 0, 0, true, false, true, true, true, false, false},
    {"datasource_name", F_STR, 0, 0, false, true, false, true, false, false, false},
    {"dashboards", F_INT_LIST, 0, 0, false, false, false, true, true, false, false},
    {"certified_by", F_STR, 0, 0, false, true, true, true, true, false, false},
    {"certification_details", F_STR, 0, 0, false, true, true, true, true, false, false},
    {"is_managed_externally", F_BOOL, 0, 0, false, true, true, true, true, false, false},
    {"external_url", F_STR, 0, 0, false, true, true, true, true, false, false},
    {"tags", F_INT_LIST, 0, 0, false, false, false, false, true, false, false},
    {"uuid", F_UUID, 0, 0, false, true, true, true, true, false, false},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* json.loads accepts it (jansson: no NaN/Infinity literals). */
static bool json_text_valid(const char *s) {
    json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
    json_decref(j);
    return j != NULL;
}

/* Code points, as Python's len(). */
static size_t utf8_length(const char *s) {
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* uuid.UUID(text): 32 hex digits, hyphens anywhere, optional braces and urn:uuid: prefix. */
static bool uuid_text_valid(const char *s) {
    if (!strncmp(s, "urn:", 4)) s += 4;
    if (!strncmp(s, "uuid:", 5)) s += 5;
    size_t len = strlen(s), hex = 0;
    size_t b = 0, e = len;
    while (b < e && (s[b] == '{')) b++;
    while (e > b && (s[e - 1] == '}')) e--;
    for (size_t i = b; i < e; i++) {
        if (s[i] == '-') continue;
        if (!strchr("0123456789abcdefABCDEF", s[i])) return false;
        hex++;
    }
    return hex == 32;
}

static const char *const DATASOURCE_TYPES[] = {"table", "dataset", "query", "saved_query", "view", NULL};

static const chart_field_t *field_of(const char *name) {
    for (size_t i = 0; i < NFIELDS; i++)
        if (!strcmp(fields[i].name, name)) return &fields[i];
    return NULL;
}

static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_t *l = json_object_get(errors, field);
    if (!l) json_object_set_new(errors, field, l = json_array());
    json_array_append_new(l, json_string(msg));
}

/* marshmallow Integer (not strict): integers, integral floats, numeric strings. */
static bool is_int_like(const json_t *v) {
    if (json_is_integer(v)) return true;
    if (json_is_real(v)) return json_real_value(v) == (double)(long long)json_real_value(v);
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    if (*s == '-' || *s == '+') s++;
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static bool is_bool_like(const json_t *v) {
    static const char *const words[] = {"true", "false", "t", "f", "1", "0", "y", "n", "yes", "no", "on", "off",
                                        "True", "False", "TRUE", "FALSE", NULL};
    if (json_is_boolean(v)) return true;
    if (json_is_integer(v)) return json_integer_value(v) == 0 || json_integer_value(v) == 1;
    if (!json_is_string(v)) return false;
    for (const char *const *w = words; *w; w++)
        if (!strcmp(*w, json_string_value(v))) return true;
    return false;
}

static void check_field(request_t *req, const chart_field_t *f, json_t *v, bool is_post, json_t *errors) {
    if (json_is_null(v)) {
        if (!(is_post ? f->post_nullable : f->put_nullable)) add_msg(errors, f->name, "Field may not be null.");
        return;
    }
    switch (f->kind) {
    case F_STR: {
        if (!json_is_string(v)) {
            add_msg(errors, f->name, "Not a valid string.");
            return;
        }
        int len = (int)utf8_length(json_string_value(v));
        int min = is_post ? f->min_len : 0;
        if (f->max_len && (len < min || len > f->max_len))
            add_msg(errors, f->name, arena_sprintf(req->arena, "Length must be between %d and %d.", min, f->max_len));
        if (!strcmp(f->name, "datasource_type")) {
            bool ok = false;
            for (const char *const *t = DATASOURCE_TYPES; *t; t++) ok = ok || !strcmp(*t, json_string_value(v));
            if (!ok) add_msg(errors, f->name, "Must be one of: table, dataset, query, saved_query, view.");
        }
        if ((is_post ? f->json_post : f->json_put) && !json_text_valid(json_string_value(v)))
            add_msg(errors, f->name, "JSON not valid");
        return;
    }
    case F_INT:
        if (!is_int_like(v)) add_msg(errors, f->name, "Not a valid integer.");
        return;
    case F_BOOL:
        if (!is_bool_like(v)) add_msg(errors, f->name, "Not a valid boolean.");
        return;
    case F_UUID:
        if (!json_is_string(v) || !uuid_text_valid(json_string_value(v))) add_msg(errors, f->name, "Not a valid UUID.");
        return;
    case F_INT_LIST: {
        if (!json_is_array(v)) {
            add_msg(errors, f->name, "Not a valid list.");
            return;
        }
        json_t *items = NULL;
        size_t i;
        json_t *id;
        json_array_foreach(v, i, id) {
            if (json_is_integer(id)) continue;
            if (!items) json_object_set_new(errors, f->name, items = json_object());
            json_object_set_new(items, arena_sprintf(req->arena, "%zu", i), json_pack("[s]", "Not a valid integer."));
        }
        return;
    }
    }
}

/* Ids of a JSON int list that do not exist in table (declared name). */
static bool all_exist(request_t *req, const char *table, json_t *ids) {
    if (!json_is_array(ids) || !json_array_size(ids)) return true;
    char *text = json_dumps(ids, JSON_COMPACT);
    const char *p[] = {arena_strdup(req->arena, text)};
    free(text);
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              arena_sprintf(req->arena,
                                            "SELECT count(DISTINCT x) = count(DISTINCT o.id) FROM jsonb_array_elements_text($1::jsonb) e(x)"
                                            " LEFT JOIN %s o ON o.id = x::bigint",
                                            table),
                              1, p);
    return r && pg_get(r, 0, 0) && !strcmp(pg_get(r, 0, 0), "t");
}

json_t *chart_validate(request_t *req, const resource_t *res, json_t *body, bool is_post) {
    (void)res;
    json_t *errors = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const chart_field_t *f = field_of(key);
        if (!f || !(is_post ? f->post : f->put)) add_msg(errors, key, "Unknown field.");
        else check_field(req, f, v, is_post, errors);
    }
    for (size_t i = 0; is_post && i < NFIELDS; i++)
        if (fields[i].post_required && !json_object_get(body, fields[i].name))
            add_msg(errors, fields[i].name, "Missing data for required field.");
    if (json_object_size(errors)) return errors;
    /* the create command's existence checks (the reference answers them with 422) */
    json_t *ds = json_object_get(body, "datasource_id");
    if (is_post && json_is_integer(ds)) {
        json_t *one = json_pack("[I]", json_integer_value(ds));
        if (!all_exist(req, "tables", one)) add_msg(errors, "datasource_id", "Datasource does not exist");
        json_decref(one);
    }
    if (is_post && !all_exist(req, "ab_user", json_object_get(body, "owners")))
        add_msg(errors, "owners", "Owners are invalid");
    if (is_post && !all_exist(req, "dashboards", json_object_get(body, "dashboards")))
        add_msg(errors, "dashboards", "Dashboards do not exist");
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

bool chart_owned(request_t *req, pg_conn_t *c, int64_t chart_id, bool *db_error) {
    *db_error = false;
    if (!req->user || req->user->is_guest) return false;
    if (security_is_admin(req->cfg, req->user)) return true;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)chart_id),
                       arena_sprintf(req->arena, "%lld", (long long)req->user->id)};
    pg_error_t err;
    const char *sql = "SELECT 1 FROM slice_user WHERE slice_id = $1::int AND user_id = $2::int";
    pg_result_t *r = c ? pg_conn_query(c, req->arena, &err, sql, 2, p) : pg_query(app_pg(req->app), req->arena, &err, sql, 2, p);
    if (!r) {
        *db_error = true;
        return false;
    }
    return pg_nrows(r) > 0;
}

bool chart_after_write(request_t *req, const resource_t *res, pg_conn_t *c, int64_t id, json_t *body,
                       const char **error) {
    (void)res;
    pg_error_t err;
    const char *ids = arena_sprintf(req->arena, "%lld", (long long)id);
    const char *uid = req->user ? arena_sprintf(req->arena, "%lld", (long long)req->user->id) : NULL;
    bool admin = req->user && security_is_admin(req->cfg, req->user);
    json_t *owners = json_object_get(body, "owners");
    bool only_query_context = json_object_size(body) == 2 && json_object_get(body, "query_context") &&
                              json_is_true(json_object_get(body, "query_context_generation"));
    const char *p2[] = {ids, uid};
    /* set_related_perm: the chart carries its dataset's permission names */
    bool ok = pg_conn_query(c, req->arena, &err,
                            "UPDATE slices s SET perm = d.perm, schema_perm = d.schema_perm, catalog_perm = d.catalog_perm,"
                            " datasource_name = CASE WHEN coalesce(d.schema, '') <> '' THEN d.schema || '.' || d.table_name"
                            " ELSE d.table_name END FROM tables d WHERE d.id = s.datasource_id AND s.id = $1::int",
                            1, p2) != NULL;
    /* last_saved_at / last_saved_by, except for report workers' query_context refreshes */
    json_t *qcg = json_object_get(body, "query_context_generation");
    bool is_post = req->method && !strcmp(req->method, "POST");
    if (ok && (is_post || !qcg || json_is_null(qcg)))
        ok = pg_conn_query(c, req->arena, &err,
                           "UPDATE slices SET last_saved_at = localtimestamp, last_saved_by_fk = $2::int WHERE id = $1::int",
                           2, p2) != NULL;
    /* owners: on create an empty list means the creator; a non-admin is always kept */
    bool empty = !json_is_array(owners) || !json_array_size(owners);
    bool add_me = uid && !only_query_context &&
                  ((is_post && empty) || (!admin && (is_post || json_is_array(owners))));
    if (ok && add_me)
        ok = pg_conn_query(c, req->arena, &err,
                           "INSERT INTO slice_user (user_id, slice_id) SELECT $2::int, $1::int WHERE NOT EXISTS"
                           " (SELECT 1 FROM slice_user WHERE slice_id = $1::int AND user_id = $2::int)",
                           2, p2) != NULL;
    if (!ok) *error = err.message;
    return ok;
}
