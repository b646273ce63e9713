/* PUT /api/v1/dataset/<pk>: Superset's DatasetRestApi.put and
 * UpdateDatasetCommand. Schema errors answer the SIP-40 MARSHMALLOW_ERROR
 * (422); then visibility (404), ownership (403), the command's checks
 * (owners, database, catalog, uniqueness, SQL access, columns, metrics,
 * folders: 422 with every message), and the write: scalar columns, owners,
 * nested columns and metrics, permission names. ?override_columns=true
 * replaces the columns and then syncs them from the source table. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/access.h"
#include "domain/security.h"
#include "fcgi/api/dataset_children.h"
#include "fcgi/api/dataset_refresh.h"
#include "fcgi/api/dataset_schema.h"
#include "fcgi/api/dataset_write.h"
#include "fcgi/app.h"
#include "fcgi/event_logger.h"
#include "lib/json.h"
#include "lib/log.h"
#include "persistence/models.h"

/* One command validation error; a later one on the same field replaces
 * the earlier (the reference merges them with dict.update). */
static void add_msg(json_t *errors, const char *field, const char *msg) {
    json_object_set_new(errors, field, json_pack("[s]", msg));
}

static const char *num(arena_t *a, int64_t v) { return arena_sprintf(a, "%lld", (long long)v); }

/* urllib.parse.quote(part, safe="") with '.' as %2E (Table.__str__). */
static void quote_part(strbuf_t *sb, const char *s) {
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
            ch == '-' || ch == '~')
            strbuf_putc(sb, (char)ch);
        else strbuf_printf(sb, "%%%02X", ch);
    }
}

static const char *table_str(arena_t *a, const char *catalog, const char *schema, const char *table) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    const char *parts[] = {catalog, schema, table};
    for (int i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i]) continue;
        if (sb.len) strbuf_putc(&sb, '.');
        quote_part(&sb, parts[i]);
    }
    return sb.data ? sb.data : "";
}

bool parse_boolean_string(const char *s) {
    static const char *const yes[] = {"y", "yes", "t", "true", "on", "1", NULL};
    for (size_t i = 0; s && yes[i]; i++)
        if (!strcasecmp(s, yes[i])) return true;
    return false;
}

static const char *jstr(const json_t *v) { return json_is_string(v) ? json_string_value(v) : NULL; }

static bool same(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

/* get_extra().get("allow_multi_catalog") of dbs row d, as a boolean. */
#define MULTI_CATALOG_SQL                                                                                           \
    "coalesce((CASE WHEN coalesce(d.extra, '') = '' THEN '{}' ELSE d.extra END)::jsonb->>'allow_multi_catalog',"  \
    " 'false') = 'true'"

/* The stored row the command works on. */
typedef struct current {
    dataset_key_t key;
    const char *sql, *db_name, *db_uri;
    bool multi_catalog;
} current_t;

static bool load_current(arena_t *a, pg_conn_t *c, int64_t pk, current_t *cur, pg_error_t *err) {
    const char *ids = num(a, pk);
    pg_result_t *r = pg_conn_query(c, a, err,
                                   "SELECT t.database_id, t.table_name, t.catalog, t.schema, t.perm, t.sql,"
                                   " d.database_name, d.sqlalchemy_uri, " MULTI_CATALOG_SQL " FROM tables t"
                                   " JOIN dbs d ON d.id = t.database_id WHERE t.id = $1::int FOR UPDATE OF t", 1, &ids);
    if (!r || !pg_nrows(r)) return false;
    cur->key = (dataset_key_t){pg_get_int(r, 0, 0, 0), pg_get(r, 0, 1), pg_get(r, 0, 2), pg_get(r, 0, 3), pg_get(r, 0, 4)};
    cur->sql = pg_get(r, 0, 5);
    cur->db_name = pg_get(r, 0, 6);
    cur->db_uri = pg_get(r, 0, 7);
    cur->multi_catalog = pg_get_bool(r, 0, 8, false);
    return true;
}

/* Another database's name, URI and allow_multi_catalog into *db; false
 * when it does not exist (or on a database error, *db_err set). */
static bool load_database(arena_t *a, pg_conn_t *c, int64_t id, current_t *db, bool *db_err) {
    const char *ids = num(a, id);
    pg_error_t err;
    pg_result_t *r = pg_conn_query(c, a, &err,
                                   "SELECT d.database_name, d.sqlalchemy_uri, " MULTI_CATALOG_SQL " FROM dbs d"
                                   " WHERE d.id = $1::int", 1, &ids);
    if (!r) *db_err = true;
    if (!r || !pg_nrows(r)) return false;
    db->db_name = pg_get(r, 0, 0);
    db->db_uri = pg_get(r, 0, 1);
    db->multi_catalog = pg_get_bool(r, 0, 2, false);
    return true;
}

static int64_t count_sql(arena_t *a, pg_conn_t *c, const char *sql, int n, const char *const *p, bool *db_err) {
    pg_error_t err;
    pg_result_t *r = pg_conn_query(c, a, &err, sql, n, p);
    if (!r) *db_err = true;
    return r ? pg_get_int(r, 0, 0, 0) : 0;
}

/* Names of key in items that appear more than once. */
static bool has_duplicates(const json_t *items, const char *key) {
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(items, i, x) {
        const char *n = jstr(json_object_get(x, key));
        json_array_foreach(items, j, y) if (j > i && n && same(n, jstr(json_object_get(y, key)))) return true;
    }
    return false;
}

/* _validate_columns / _validate_metrics */
static void validate_children(request_t *req, pg_conn_t *c, int64_t pk, const json_t *items, const char *field,
                              const char *table, const char *name_col, bool check_names, json_t *errors,
                              bool *db_err) {
    arena_t *a = req->arena;
    if (has_duplicates(items, name_col)) {
        add_msg(errors, field, arena_sprintf(a, "One or more %s are duplicated", field));
        return;
    }
    const char *p[] = {num(a, pk), json_dump_arena(a, items, JSON_COMPACT, NULL)};
    int64_t given = 0;
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) given += json_object_get(x, "id") != NULL;
    int64_t found = count_sql(a, c, arena_sprintf(a, "SELECT count(*) FROM %s WHERE table_id = $1::int AND id IN"
                                                     " (SELECT (x->>'id')::int FROM jsonb_array_elements($2::jsonb) x"
                                                     " WHERE x ? 'id')", table), 2, p, db_err);
    /* len(ids) == len(rows) (duplicate ids count twice on the left only) */
    if (found != given) add_msg(errors, field, arena_sprintf(a, "One or more %s do not exist", field));
    if (!check_names) return;
    int64_t clash = count_sql(a, c, arena_sprintf(a, "SELECT count(*) FROM %s WHERE table_id = $1::int AND %s IN"
                                                     " (SELECT x->>'%s' FROM jsonb_array_elements($2::jsonb) x"
                                                     " WHERE NOT x ? 'id')", table, name_col, name_col), 2, p, db_err);
    if (clash) add_msg(errors, field, arena_sprintf(a, "One or more %s already exist", field));
}

/* validate_folders: breadth-first over the tree; the first problem is the
 * message. Paths are shared between siblings as the reference's are. */
static const char *validate_folders(request_t *req, const json_t *folders, json_t *existing) {
    arena_t *a = req->arena;
    if (!config_feature(req->cfg, "DATASET_FOLDERS")) return "Dataset folders are not enabled";
    json_t *queue = json_array(), *seen = json_object(), *fqns = json_object();
    const char *msg = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(folders, i, f) json_array_append_new(queue, json_pack("[O,o]", f, json_array()));
    for (size_t head = 0; !msg && head < json_array_size(queue); head++) {
        json_t *obj = json_array_get(json_array_get(queue, head), 0);
        json_t *path = json_array_get(json_array_get(queue, head), 1);
        const char *uuid = jstr(json_object_get(obj, "uuid"));
        const char *name = jstr(json_object_get(obj, "name"));
        json_t *p;
        size_t k;
        json_array_foreach(path, k, p) if (same(jstr(p), uuid)) break;
        if (k < json_array_size(path)) {
            msg = arena_sprintf(a, "Cycle detected: %s appears in its ancestry", uuid);
            break;
        }
        if (json_object_get(seen, uuid)) {
            msg = arena_sprintf(a, "Duplicate UUID in folder structure: %s", uuid);
            break;
        }
        json_object_set_new(seen, uuid, json_true());
        if (name && *name) {
            json_t *fqn = json_copy(path);
            json_array_append_new(fqn, json_string(name));
            const char *key = json_dump_arena(a, fqn, JSON_COMPACT, NULL);
            json_decref(fqn);
            if (json_object_get(fqns, key)) {
                msg = arena_sprintf(a, "Duplicate folder name: %s", name);
                break;
            }
            json_object_set_new(fqns, key, json_true());
            if (!strcasecmp(name, "metrics") || !strcasecmp(name, "columns")) {
                msg = arena_sprintf(a, "Folder cannot have name '%s'", name);
                break;
            }
        } else if (!json_object_get(existing, uuid)) {
            msg = arena_sprintf(a, "Invalid UUID: %s", uuid);
            break;
        }
        json_t *children = json_object_get(obj, "children");
        if (json_array_size(children)) {
            json_array_append_new(path, json_string(uuid));
            json_array_foreach(children, k, p) json_array_append_new(queue, json_pack("[O,O]", p, path));
        }
    }
    json_decref(queue);
    json_decref(seen);
    json_decref(fqns);
    return msg;
}

/* Uuids of the dataset's metrics and columns, as object keys. */
static json_t *child_uuids(request_t *req, pg_conn_t *c, int64_t pk, bool *db_err) {
    const char *p[] = {num(req->arena, pk)};
    pg_error_t err;
    pg_result_t *r = pg_conn_query(c, req->arena, &err,
                                   "SELECT uuid::text FROM sql_metrics WHERE table_id = $1::int AND uuid IS NOT NULL"
                                   " UNION ALL SELECT uuid::text FROM table_columns WHERE table_id = $1::int"
                                   " AND uuid IS NOT NULL", 1, p);
    json_t *out = json_object();
    if (!r) *db_err = true;
    for (int i = 0; r && i < pg_nrows(r); i++) json_object_set_new(out, pg_get(r, i, 0), json_true());
    return out;
}

/* The command's validation: NULL or the 422 messages (caller owns).
 * props gets what is written to the tables row. */
static json_t *command_validate(request_t *req, pg_conn_t *c, int64_t pk, const current_t *cur, json_t *body,
                                json_t *props, bool override, json_t **owners, bool *db_err) {
    arena_t *a = req->arena;
    json_t *errors = json_object();
    bool admin = security_is_admin(req->cfg, req->user);
    int64_t me = req->user ? req->user->id : 0;
    /* owners */
    json_t *given = json_object_get(body, "owners");
    if (given) {
        json_t *list = json_array();
        bool mine = false;
        size_t i;
        json_t *x;
        json_array_foreach(given, i, x) mine = mine || json_integer_value(x) == me;
        if (!admin && !mine) json_array_append_new(list, json_integer(me));
        json_array_foreach(given, i, x) json_array_append(list, x);
        const char *p[] = {json_dump_arena(a, given, JSON_COMPACT, NULL)};
        if (count_sql(a, c, "SELECT count(*) FROM jsonb_array_elements_text($1::jsonb) e(x) WHERE NOT EXISTS"
                            " (SELECT 1 FROM ab_user u WHERE u.id = x::int)", 1, p, db_err))
            add_msg(errors, "owners", "Owners are invalid");
        *owners = list;
    }
    /* database */
    current_t db = *cur;
    json_t *dbid = json_object_get(body, "database_id");
    if (dbid && json_integer_value(dbid) && json_integer_value(dbid) != cur->key.database_id) {
        if (load_database(a, c, json_integer_value(dbid), &db, db_err))
            json_object_set_new(props, "database_id", json_integer(json_integer_value(dbid)));
        else add_msg(errors, "database", "Database does not exist");
    }
    /* catalog */
    const char *dflt = dataset_default_catalog(a, db.db_uri);
    json_t *cat = json_object_get(body, "catalog");
    const char *catalog;
    if (cat && !same(jstr(cat), dflt) && !db.multi_catalog) {
        add_msg(errors, "catalog", "Only the default catalog is supported for this connection");
        catalog = jstr(cat);
    } else if (!db.multi_catalog) {
        catalog = dflt;
        json_object_set_new(props, "catalog", dflt ? json_string(dflt) : json_null());
    } else catalog = cat ? jstr(cat) : cur->key.catalog;
    /* uniqueness */
    json_t *sch = json_object_get(body, "schema");
    const char *schema = sch ? jstr(sch) : cur->key.schema;
    json_t *tn = json_object_get(body, "table_name");
    const char *table = tn ? jstr(tn) : cur->key.table_name;
    const char *check_catalog = catalog && *catalog ? catalog : dflt;
    const char *p[] = {table, json_is_integer(json_object_get(props, "database_id"))
                                  ? num(a, json_integer_value(json_object_get(props, "database_id")))
                                  : num(a, cur->key.database_id),
                       schema, check_catalog, num(a, pk)};
    if (count_sql(a, c, "SELECT count(*) FROM tables WHERE table_name = $1 AND database_id = $2::int AND"
                        " schema IS NOT DISTINCT FROM $3 AND catalog IS NOT DISTINCT FROM $4 AND id <> $5::int",
                  5, p, db_err))
        add_msg(errors, "table", arena_sprintf(a, "Dataset %s already exists", table_str(a, catalog, schema, table)));
    /* SQL access */
    const char *sql = jstr(json_object_get(body, "sql"));
    int64_t db_id = json_is_integer(json_object_get(props, "database_id"))
                        ? json_integer_value(json_object_get(props, "database_id"))
                        : cur->key.database_id;
    if (sql && *sql && !same(sql, cur->sql) && !admin &&
        !access_database(app_security(req->app), req->cfg, req->user, perm_database(a, db.db_name, db_id)))
        add_msg(errors, "sql", "You need access to the dataset's database, `all_database_access` or"
                               " `all_datasource_access` permission to change its SQL");
    /* columns, metrics, folders */
    json_t *cols = json_object_get(body, "columns");
    if (json_array_size(cols))
        validate_children(req, c, pk, cols, "columns", "table_columns", "column_name", !override, errors, db_err);
    json_t *mets = json_object_get(body, "metrics");
    if (json_array_size(mets))
        validate_children(req, c, pk, mets, "metrics", "sql_metrics", "metric_name", true, errors, db_err);
    json_t *folders = json_object_get(body, "folders");
    if (json_array_size(folders)) {
        json_t *existing = child_uuids(req, c, pk, db_err);
        const char *msg = validate_folders(req, folders, existing);
        json_decref(existing);
        if (msg) add_msg(errors, "_schema", msg);
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

/* UPDATE tables from props; changed_on / changed_by move only when a value
 * differs (or children were written), as the ORM flushes only dirty rows. */
static bool write_row(request_t *req, pg_conn_t *c, int64_t pk, json_t *props, bool force, pg_error_t *err) {
    arena_t *a = req->arena;
    strbuf_t set, changed;
    strbuf_init_arena(&set, a, 512);
    strbuf_init_arena(&changed, a, 512);
    strbuf_puts(&changed, force ? "true" : "false");
    const char *p[40];
    int n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(props, key, v) {
        const model_col_t *mc = model_col(&model_dataset, key);
        bool folders = !strcmp(key, "folders");
        if ((!mc && !folders) || n >= 36) continue;
        const char *name = folders ? "folders" : mc->name; /* identifiers from the static declaration */
        const char *cast = folders ? "::json" : mc->type == COL_BOOL ? "::boolean" : mc->type == COL_INT ? "::int"
                                   : mc->type == COL_UUID ? "::uuid" : "::text";
        p[n++] = json_is_null(v) ? NULL : json_is_string(v) ? json_string_value(v)
                 : json_is_boolean(v) ? (json_is_true(v) ? "true" : "false")
                 : json_is_integer(v) ? num(a, json_integer_value(v)) : json_dump_arena(a, v, JSON_PY_DEFAULT, NULL);
        strbuf_printf(&set, "%s\"%s\" = $%d%s", set.len ? ", " : "", name, n, cast);
        if (folders) strbuf_printf(&changed, " OR t.folders::text IS DISTINCT FROM $%d::text", n);
        else strbuf_printf(&changed, " OR t.\"%s\" IS DISTINCT FROM $%d%s", name, n, cast);
    }
    p[n++] = num(a, req->user ? req->user->id : 0);
    p[n++] = num(a, pk);
    const char *sql = arena_sprintf(a, "UPDATE tables t SET %s%schanged_on = CASE WHEN %s THEN localtimestamp ELSE"
                                       " t.changed_on END, changed_by_fk = CASE WHEN %s THEN $%d::int ELSE"
                                       " t.changed_by_fk END WHERE t.id = $%d::int",
                                    set.data ? set.data : "", set.len ? ", " : "", changed.data, changed.data, n - 1, n);
    return pg_conn_query(c, a, err, sql, n, p) != NULL;
}

static bool write_owners(request_t *req, pg_conn_t *c, int64_t pk, json_t *owners, pg_error_t *err) {
    const char *p[] = {num(req->arena, pk), json_dump_arena(req->arena, owners, JSON_COMPACT, NULL)};
    return pg_conn_query(c, req->arena, err, "DELETE FROM sqlatable_user WHERE table_id = $1::int", 1, p) &&
           pg_conn_query(c, req->arena, err, "INSERT INTO sqlatable_user (user_id, table_id) SELECT DISTINCT x::int,"
                                             " $1::int FROM jsonb_array_elements_text($2::jsonb) e(x)", 2, p);
}

void dataset_put(request_t *req) {
    int64_t pk = 0;
    bool pk_ok = dataset_parse_pk(req_path_param(req, "pk"), &pk);
    if (!req_is_json(req)) { /* raised by @requires_json inside the event logger: no row */
        event_log_skip(req);
        dataset_sip40(req, 400, "INVALID_PAYLOAD_FORMAT_ERROR", "Request is not JSON", NULL, 1019,
                      "The submitted payload has the incorrect format.");
        return;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        event_log_skip(req);
        error_http(req, 400);
        return;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    bool override = parse_boolean_string(req_query_arg(req, "override_columns"));
    json_t *payload = json_deep_copy(body);
    json_t *errors = json_is_object(body) ? dataset_schema_load(req->arena, DS_SCHEMA_PUT, body)
                                          : json_pack("{s:[s]}", "_schema", "Invalid input type.");
    if (errors) {
        dataset_sip40(req, 422, "MARSHMALLOW_ERROR", "The schema of the submitted payload is invalid.",
                      json_pack("{s:o,s:o}", "messages", errors, "payload", payload), 1040,
                      "The submitted payload failed validation.");
        return;
    }
    json_decref(payload);
    int found = pk_ok ? dataset_lookup(req, pk) : 0;
    if (found <= 0) return found < 0 ? dataset_fatal(req) : error_fab(req, 404, "Not found");
    if (found == 2) return error_fab(req, 403, "Forbidden");

    pg_error_t err = {0};
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    if (!c) return dataset_fatal(req);
    bool db_err = false, ok = false;
    json_t *owners = NULL, *props = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) if (strcmp(key, "owners") && strcmp(key, "columns") && strcmp(key, "metrics") &&
                                          strcmp(key, "database_id")) json_object_set(props, key, v);
    current_t cur = {0};
    if (pg_begin(c, req->arena, &err) && load_current(req->arena, c, pk, &cur, &err)) {
        errors = command_validate(req, c, pk, &cur, body, props, override, &owners, &db_err);
        if (!errors && !db_err) {
            json_t *cols = json_object_get(body, "columns"), *mets = json_object_get(body, "metrics");
            int64_t me = req->user ? req->user->id : 0;
            ok = write_row(req, c, pk, props, cols || mets, &err) &&
                 (!owners || write_owners(req, c, pk, owners, &err)) &&
                 (!cols || dataset_children_write(req->arena, c, DS_COLUMNS, pk, me, cols, override, &err)) &&
                 (!mets || dataset_children_write(req->arena, c, DS_METRICS, pk, me, mets, false, &err)) &&
                 dataset_perm_after_update(req->arena, c, pk, &cur.key, &err) && pg_commit(c, req->arena, &err);
        }
    }
    pg_release(c);
    json_decref(owners);
    json_decref(props);
    if (errors) {
        resp_json(req, 422, json_pack("{s:o}", "message", errors), JSON_FLASK);
        return;
    }
    if (!ok) {
        log_warn("dataset %lld update failed: %s", (long long)pk, err.message ? err.message : "");
        if (err.status == PG_ERR_QUERY && !db_err) error_fab(req, 422, "Dataset could not be updated.");
        else dataset_fatal(req);
        return;
    }
    security_invalidate(app_security(req->app));
    if (override && !dataset_refresh_run(req, pk)) return; /* answered */
    resp_json(req, 200, json_pack("{s:I,s:O}", "id", (json_int_t)pk, "result", body), JSON_FLASK);
}
