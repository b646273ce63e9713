/* `superset init` on a blocking libpq connection; see security_init.h.
 *
 * Every insert takes its id from the table's sequence (the ab_* tables have no
 * column defaults). Set-based statements take their input as one JSON array
 * of {"p": permission or null, "v": view menu} rows (or an int[] of ids), and
 * create rows in input order, so a fresh database gets the ids in the order of
 * the catalog. Grant replacement is a difference (delete the extra grants,
 * insert the missing ones), so unchanged grants keep their rows. */
#include "domain/security_init.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/security_catalog.h"
#include "lib/strbuf.h"

/* Lock id shared by every Liteset process: the bytes of "LSsecini". */
#define INIT_LOCK_KEY "5499866449246252649"

typedef struct init_ctx {
    PGconn *conn;
    const security_init_opts_t *opts;
    security_init_report_t *rep;
    char *err; /* first error, heap */
} init_ctx_t;

/* ---- small helpers ------------------------------------------------------------ */


static bool has_text(const char *s) {
    return s && *s;
}

/* The server's error without libpq's trailing newline, with a hint when the
 * schema is missing. */
static char *pg_error(PGconn *conn, const PGresult *res) {
    const char *e = res ? PQresultErrorMessage(res) : NULL;
    if (!e || !*e) e = PQerrorMessage(conn);
    size_t n = strlen(e);
    while (n && (e[n - 1] == '\n' || e[n - 1] == ' ')) n--;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *hint = state && !strcmp(state, "42P01")
                           ? " (is the metadata schema there? run `liteset db upgrade` first)"
                           : "";
    return xasprintf("%.*s%s", (int)n, e, hint);
}

/* Runs a statement with text parameters. Returns its result when it succeeded
 * (caller PQclears), else NULL with *err set. */
static PGresult *run(PGconn *conn, char **err, const char *sql, int n, const char *const *params) {
    PGresult *res = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
    *err = pg_error(conn, res);
    PQclear(res);
    return NULL;
}

/* Same for a command; *affected (may be NULL) is increased by the row count. */
static bool run_cmd(PGconn *conn, char **err, const char *sql, int n, const char *const *params,
                    long *affected) {
    PGresult *res = run(conn, err, sql, n, params);
    if (!res) return false;
    if (affected) *affected += strtol(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return true;
}

/* Growable list of row ids. */
typedef struct id_list {
    long *v;
    size_t n, cap;
} id_list_t;

static void ids_push(id_list_t *l, long id) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v) abort();
    }
    l->v[l->n++] = id;
}

static int long_cmp(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Sorts and removes duplicates. */
static void ids_sort_unique(id_list_t *l) {
    if (!l->n) return;
    qsort(l->v, l->n, sizeof *l->v, long_cmp);
    size_t w = 1;
    for (size_t i = 1; i < l->n; i++)
        if (l->v[i] != l->v[w - 1]) l->v[w++] = l->v[i];
    l->n = w;
}

/* PostgreSQL int[] literal "{1,2,3}" (heap string). */
static char *ids_literal(const id_list_t *l) {
    strbuf_t sb;
    strbuf_init(&sb, 16 + l->n * 8);
    strbuf_putc(&sb, '{');
    for (size_t i = 0; i < l->n; i++) strbuf_printf(&sb, "%s%ld", i ? "," : "", l->v[i]);
    strbuf_putc(&sb, '}');
    return sb.data;
}

static long cell_long(const PGresult *res, int row, int col) {
    return strtol(PQgetvalue(res, row, col), NULL, 10);
}

/* ---- (permission, view menu) rows as JSON ------------------------------------- */

/* Appends {"p": perm or null, "v": view}. */
static void rows_add(json_t *rows, const char *perm, const char *view) {
    json_t *row = json_object();
    json_object_set_new(row, "p", perm ? json_string(perm) : json_null());
    json_object_set_new(row, "v", json_string(view));
    json_array_append_new(rows, row);
}

/* Catalog rows: views (a row without permission for a view without base
 * permissions), then menus, then (when `with_custom`) the custom pairs. */
static json_t *catalog_rows(bool with_custom) {
    json_t *rows = json_array();
    size_t n;
    const seccat_view_t *views = seccat_views(&n);
    for (size_t i = 0; i < n; i++) {
        if (!views[i].perms[0]) rows_add(rows, NULL, views[i].name);
        for (const char *const *p = views[i].perms; *p; p++) rows_add(rows, *p, views[i].name);
    }
    const char *const *menus = seccat_menus(&n);
    for (size_t i = 0; i < n; i++) rows_add(rows, SECCAT_MENU_ACCESS, menus[i]);
    if (!with_custom) return rows;
    const seccat_pair_t *custom = seccat_custom_pairs(&n);
    for (size_t i = 0; i < n; i++) rows_add(rows, custom[i].perm, custom[i].view);
    return rows;
}

#define WANTED_ROWS                                                                  \
    "WITH wanted AS (SELECT e.j->>'p' AS pname, e.j->>'v' AS vname, e.ord"           \
    " FROM json_array_elements($1::json) WITH ORDINALITY AS e(j, ord)) "

static const char sql_add_view_menus[] =
    WANTED_ROWS
    "INSERT INTO ab_view_menu (id, name)"
    " SELECT nextval('ab_view_menu_id_seq'), s.vname FROM ("
    "  SELECT w.vname, min(w.ord) AS first FROM wanted w"
    "  WHERE w.vname IS NOT NULL AND w.vname <> ''"
    "   AND NOT EXISTS (SELECT 1 FROM ab_view_menu v WHERE v.name = w.vname)"
    "  GROUP BY w.vname ORDER BY first) s";

static const char sql_add_permissions[] =
    WANTED_ROWS
    "INSERT INTO ab_permission (id, name)"
    " SELECT nextval('ab_permission_id_seq'), s.pname FROM ("
    "  SELECT w.pname, min(w.ord) AS first FROM wanted w"
    "  WHERE w.pname IS NOT NULL AND w.pname <> '' AND w.vname IS NOT NULL AND w.vname <> ''"
    "   AND NOT EXISTS (SELECT 1 FROM ab_permission p WHERE p.name = w.pname)"
    "  GROUP BY w.pname ORDER BY first) s";

static const char sql_add_pvms[] =
    WANTED_ROWS
    "INSERT INTO ab_permission_view (id, permission_id, view_menu_id)"
    " SELECT nextval('ab_permission_view_id_seq'), s.pid, s.vid FROM ("
    "  SELECT p.id AS pid, v.id AS vid, min(w.ord) AS first FROM wanted w"
    "  JOIN ab_permission p ON p.name = w.pname JOIN ab_view_menu v ON v.name = w.vname"
    "  WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view pv"
    "                    WHERE pv.permission_id = p.id AND pv.view_menu_id = v.id)"
    "  GROUP BY p.id, v.id ORDER BY first) s";

/* Grants role $2 every pair of the rows that it lacks. */
static const char sql_grant_rows[] =
    WANTED_ROWS
    "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
    " SELECT nextval('ab_permission_view_role_id_seq'), s.pvid, $2::int FROM ("
    "  SELECT pv.id AS pvid, min(w.ord) AS first FROM wanted w"
    "  JOIN ab_permission p ON p.name = w.pname JOIN ab_view_menu v ON v.name = w.vname"
    "  JOIN ab_permission_view pv ON pv.permission_id = p.id AND pv.view_menu_id = v.id"
    "  WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role r"
    "                    WHERE r.role_id = $2::int AND r.permission_view_id = pv.id)"
    "  GROUP BY pv.id ORDER BY first) s";

/* Creates the missing view menus, permissions and pairs of `rows` (FAB
 * add_view_menu / add_permission_view_menu); *pvms += pairs created. */
static bool ensure_rows(init_ctx_t *cx, json_t *rows, long *pvms) {
    char *text = json_dumps(rows, JSON_COMPACT);
    if (!text) {
        cx->err = xasprintf("cannot encode names (invalid UTF-8?)");
        return false;
    }
    const char *params[] = {text};
    security_init_report_t *rep = cx->rep;
    bool ok =
        run_cmd(cx->conn, &cx->err, sql_add_view_menus, 1, params, &rep->view_menus_created) &&
        run_cmd(cx->conn, &cx->err, sql_add_permissions, 1, params, &rep->permissions_created) &&
        run_cmd(cx->conn, &cx->err, sql_add_pvms, 1, params, pvms);
    free(text);
    return ok;
}

/* ---- roles ---------------------------------------------------------------------- */

/* FAB add_role: creates the role when missing. */
static bool ensure_role(PGconn *conn, const char *name, long *created, char **err) {
    const char *params[] = {name};
    return run_cmd(conn, err,
                   "INSERT INTO ab_role (id, name) SELECT nextval('ab_role_id_seq'), $1::text"
                   " WHERE NOT EXISTS (SELECT 1 FROM ab_role WHERE name = $1::text)",
                   1, params, created);
}

/* The id of the role, 0 when there is none; -1 on error. */
static long role_id(PGconn *conn, const char *name, char **err) {
    const char *params[] = {name};
    PGresult *res = run(conn, err, "SELECT id FROM ab_role WHERE name = $1::text", 1, params);
    if (!res) return -1;
    long id = PQntuples(res) ? cell_long(res, 0, 0) : 0;
    PQclear(res);
    return id;
}

bool security_ensure_base_roles(PGconn *conn, const char *admin_role, const char *public_role,
                                long *created, char **err) {
    long n = 0;
    bool ok = ensure_role(conn, admin_role, &n, err) &&
              (!has_text(public_role) || ensure_role(conn, public_role, &n, err));
    if (created) *created += n;
    return ok;
}

/* Makes the grants of role `id` exactly the pairs in `ids` (SQLAlchemy's
 * `role.permissions = [...]`: only the difference is written). */
static bool replace_grants(init_ctx_t *cx, long id, const id_list_t *ids) {
    char role[24];
    snprintf(role, sizeof role, "%ld", id);
    char *list = ids_literal(ids);
    const char *params[] = {role, list};
    bool ok =
        run_cmd(cx->conn, &cx->err,
                "DELETE FROM ab_permission_view_role WHERE role_id = $1::int"
                " AND permission_view_id <> ALL($2::int[])",
                2, params, &cx->rep->grants_removed) &&
        run_cmd(cx->conn, &cx->err,
                "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
                " SELECT nextval('ab_permission_view_role_id_seq'), s.pvid, $1::int FROM ("
                "  SELECT x.pvid FROM unnest($2::int[]) WITH ORDINALITY AS x(pvid, ord)"
                "  WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role r"
                "                    WHERE r.role_id = $1::int AND r.permission_view_id = x.pvid)"
                "  ORDER BY x.ord) s",
                2, params, &cx->rep->grants_added);
    free(list);
    return ok;
}

/* ---- the steps of init ---------------------------------------------------------- */

static bool step_lock(init_ctx_t *cx) {
    return run_cmd(cx->conn, &cx->err, "SELECT pg_advisory_xact_lock(" INIT_LOCK_KEY ")", 0, NULL,
                   NULL);
}

static bool step_base_roles(init_ctx_t *cx) {
    return security_ensure_base_roles(cx->conn, cx->opts->admin_role, cx->opts->public_role,
                                      &cx->rep->roles_created, &cx->err);
}

/* Steps (1) and (2) of superset init: views, menus, custom pairs. */
static bool step_catalog(init_ctx_t *cx) {
    json_t *rows = catalog_rows(true);
    bool ok = ensure_rows(cx, rows, &cx->rep->pvms_created);
    json_decref(rows);
    return ok;
}

/* FAB add_permissions_view / add_permissions_menu: the AUTH_ROLE_ADMIN role
 * receives every view and menu pair it lacks (never removes any). When that
 * role is "Admin", step (3) then sets its exact grants anyway. */
static bool step_admin_role_grants(init_ctx_t *cx) {
    long id = role_id(cx->conn, cx->opts->admin_role, &cx->err);
    if (id <= 0) return id == 0;
    json_t *rows = catalog_rows(false);
    char *text = json_dumps(rows, JSON_COMPACT);
    json_decref(rows);
    if (!text) {
        cx->err = xasprintf("cannot encode names (invalid UTF-8?)");
        return false;
    }
    char role[24];
    snprintf(role, sizeof role, "%ld", id);
    const char *params[] = {text, role};
    bool ok = run_cmd(cx->conn, &cx->err, sql_grant_rows, 2, params, &cx->rep->grants_added);
    free(text);
    return ok;
}

/* FAB add_permissions_view: a pair on a catalog view that the catalog does not
 * create is deleted unless a role holds it; its permission row goes too when
 * no other pair uses it. */
static bool step_stale_pairs(init_ctx_t *cx) {
    json_t *names = json_array();
    size_t n;
    const seccat_view_t *views = seccat_views(&n);
    for (size_t i = 0; i < n; i++) json_array_append_new(names, json_string(views[i].name));
    char *text = json_dumps(names, JSON_COMPACT);
    json_decref(names);
    const char *params[] = {text};
    PGresult *res = run(cx->conn, &cx->err,
                        "SELECT pv.id, p.id, p.name, v.name FROM ab_permission_view pv"
                        " JOIN ab_permission p ON p.id = pv.permission_id"
                        " JOIN ab_view_menu v ON v.id = pv.view_menu_id"
                        " WHERE v.name IN (SELECT json_array_elements_text($1::json))"
                        " AND NOT EXISTS (SELECT 1 FROM ab_permission_view_role r"
                        "                 WHERE r.permission_view_id = pv.id)"
                        " ORDER BY pv.id",
                        1, params);
    free(text);
    if (!res) return false;
    id_list_t pvms = {0}, perms = {0};
    for (int i = 0; i < PQntuples(res); i++) {
        if (seccat_is_catalog_pair(PQgetvalue(res, i, 2), PQgetvalue(res, i, 3))) continue;
        ids_push(&pvms, cell_long(res, i, 0));
        ids_push(&perms, cell_long(res, i, 1));
    }
    PQclear(res);
    bool ok = true;
    if (pvms.n) {
        ids_sort_unique(&perms);
        char *pvm_list = ids_literal(&pvms), *perm_list = ids_literal(&perms);
        const char *p1[] = {pvm_list}, *p2[] = {perm_list};
        ok = run_cmd(cx->conn, &cx->err, "DELETE FROM ab_permission_view WHERE id = ANY($1::int[])",
                     1, p1, &cx->rep->pvms_deleted) &&
             run_cmd(cx->conn, &cx->err,
                     "DELETE FROM ab_permission p WHERE p.id = ANY($1::int[])"
                     " AND NOT EXISTS (SELECT 1 FROM ab_permission_view pv"
                     "                 WHERE pv.permission_id = p.id)",
                     1, p2, NULL);
        free(pvm_list);
        free(perm_list);
    }
    free(pvms.v);
    free(perms.v);
    return ok;
}

/* Step (3): replace the grants of the stock roles by their rule sets over
 * every pair with a permission and a view menu. */
static bool step_stock_roles(init_ctx_t *cx) {
    PGresult *all = run(cx->conn, &cx->err,
                        "SELECT pv.id, p.name, v.name FROM ab_permission_view pv"
                        " JOIN ab_permission p ON p.id = pv.permission_id"
                        " JOIN ab_view_menu v ON v.id = pv.view_menu_id ORDER BY pv.id",
                        0, NULL);
    if (!all) return false;
    size_t n;
    const seccat_stock_role_t *roles = seccat_stock_roles(&n);
    bool ok = true;
    for (size_t r = 0; ok && r < n; r++) {
        long id = -1;
        ok = ensure_role(cx->conn, roles[r].name, &cx->rep->roles_created, &cx->err) &&
             (id = role_id(cx->conn, roles[r].name, &cx->err)) > 0;
        if (!ok) break;
        id_list_t ids = {0};
        for (int i = 0; i < PQntuples(all); i++)
            if (roles[r].gets(PQgetvalue(all, i, 1), PQgetvalue(all, i, 2)))
                ids_push(&ids, cell_long(all, i, 0));
        ok = replace_grants(cx, id, &ids);
        free(ids.v);
    }
    PQclear(all);
    return ok;
}

/* Step (4): PUBLIC_ROLE_LIKE (copy_role(merge=True)). */
static bool step_public_role_like(init_ctx_t *cx) {
    const char *like = cx->opts->public_role_like, *pub = cx->opts->public_role;
    if (!has_text(like)) return true;
    if (!has_text(pub)) {
        cx->err = xasprintf("PUBLIC_ROLE_LIKE is '%s' but AUTH_ROLE_PUBLIC names no role", like);
        return false;
    }
    long from = role_id(cx->conn, like, &cx->err);
    if (from < 0) return false;
    if (from == 0) {
        cx->err = xasprintf("PUBLIC_ROLE_LIKE names the role '%s', which does not exist", like);
        return false;
    }
    long to = -1;
    if (!ensure_role(cx->conn, pub, &cx->rep->roles_created, &cx->err) ||
        (to = role_id(cx->conn, pub, &cx->err)) <= 0)
        return false;

    char from_s[24], to_s[24];
    snprintf(from_s, sizeof from_s, "%ld", from);
    snprintf(to_s, sizeof to_s, "%ld", to);
    const char *pf[] = {from_s}, *pt[] = {to_s};
    PGresult *src = run(cx->conn, &cx->err,
                        "SELECT permission_view_id FROM ab_permission_view_role"
                        " WHERE role_id = $1::int AND permission_view_id IS NOT NULL",
                        1, pf);
    if (!src) return false;
    PGresult *kept = run(cx->conn, &cx->err,
                         "SELECT pv.id, p.name FROM ab_permission_view_role g"
                         " JOIN ab_permission_view pv ON pv.id = g.permission_view_id"
                         " JOIN ab_permission p ON p.id = pv.permission_id"
                         " WHERE g.role_id = $1::int",
                         1, pt);
    if (!kept) {
        PQclear(src);
        return false;
    }
    id_list_t ids = {0};
    for (int i = 0; i < PQntuples(src); i++) ids_push(&ids, cell_long(src, i, 0));
    for (int i = 0; i < PQntuples(kept); i++)
        if (seccat_is_data_access_perm(PQgetvalue(kept, i, 1)))
            ids_push(&ids, cell_long(kept, i, 0));
    PQclear(src);
    PQclear(kept);
    ids_sort_unique(&ids);
    bool ok = replace_grants(cx, to, &ids);
    free(ids.v);
    return ok;
}

/* Appends a row whose view-menu name is built printf-style. */
static void rows_add_fmt(json_t *rows, const char *perm, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void rows_add_fmt(json_t *rows, const char *perm, const char *fmt, ...) {
    strbuf_t sb;
    strbuf_init(&sb, 64);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    rows_add(rows, perm, sb.data);
    strbuf_free(&sb);
}

/* Dataset pairs (SqlaTable.get_perm / get_schema_perm / get_catalog_perm). */
static bool add_dataset_rows(init_ctx_t *cx, json_t *rows) {
    PGresult *res = run(cx->conn, &cx->err,
                        "SELECT t.id, coalesce(nullif(d.verbose_name, ''), d.database_name),"
                        " d.database_name, t.table_name, t.schema, t.catalog"
                        " FROM tables t JOIN dbs d ON d.id = t.database_id"
                        " WHERE t.is_sqllab_view = false ORDER BY t.id",
                        0, NULL);
    if (!res) return false;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *id = PQgetvalue(res, i, 0), *display = PQgetvalue(res, i, 1),
                   *db = PQgetvalue(res, i, 2), *table = PQgetvalue(res, i, 3),
                   *schema = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4),
                   *catalog = PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5);
        rows_add_fmt(rows, "datasource_access", "[%s].[%s](id:%s)", display, table, id);
        if (has_text(schema) && has_text(catalog))
            rows_add_fmt(rows, "schema_access", "[%s].[%s].[%s]", db, catalog, schema);
        else if (has_text(schema))
            rows_add_fmt(rows, "schema_access", "[%s].[%s]", db, schema);
        if (catalog) rows_add_fmt(rows, "catalog_access", "[%s].[%s]", db, catalog);
    }
    PQclear(res);
    return true;
}

/* Database pairs (Database.perm). */
static bool add_database_rows(init_ctx_t *cx, json_t *rows) {
    PGresult *res =
        run(cx->conn, &cx->err, "SELECT id, database_name FROM dbs ORDER BY id", 0, NULL);
    if (!res) return false;
    for (int i = 0; i < PQntuples(res); i++)
        rows_add_fmt(rows, "database_access", "[%s].(id:%s)", PQgetvalue(res, i, 1),
                     PQgetvalue(res, i, 0));
    PQclear(res);
    return true;
}

/* Step (5): create_missing_perms. */
static bool step_data_access(init_ctx_t *cx) {
    json_t *rows = json_array();
    bool ok = add_dataset_rows(cx, rows) && add_database_rows(cx, rows) &&
              (json_array_size(rows) == 0 || ensure_rows(cx, rows, &cx->rep->data_access_created));
    json_decref(rows);
    return ok;
}

/* Step (6): clean_perms (grants of those pairs go by ON DELETE CASCADE). */
static bool step_faulty_pairs(init_ctx_t *cx) {
    return run_cmd(cx->conn, &cx->err,
                   "DELETE FROM ab_permission_view"
                   " WHERE permission_id IS NULL OR view_menu_id IS NULL",
                   0, NULL, &cx->rep->pvms_deleted);
}

/* Grant counts of the stock roles and the public role, for the report. */
static bool step_report(init_ctx_t *cx) {
    size_t n;
    const seccat_stock_role_t *stock = seccat_stock_roles(&n);
    const char *names[SECURITY_INIT_MAX_ROLES];
    int count = 0;
    for (size_t i = 0; i < n && count < SECURITY_INIT_MAX_ROLES; i++)
        names[count++] = stock[i].name;
    if (has_text(cx->opts->public_role) && count < SECURITY_INIT_MAX_ROLES)
        names[count++] = cx->opts->public_role;
    cx->rep->nroles = 0;
    for (int i = 0; i < count; i++) {
        const char *params[] = {names[i]};
        PGresult *res = run(cx->conn, &cx->err,
                            "SELECT count(g.id) FROM ab_role r LEFT JOIN ab_permission_view_role g"
                            " ON g.role_id = r.id WHERE r.name = $1::text GROUP BY r.id",
                            1, params);
        if (!res) return false;
        if (PQntuples(res)) {
            int k = cx->rep->nroles++;
            snprintf(cx->rep->roles[k].name, sizeof cx->rep->roles[k].name, "%s", names[i]);
            cx->rep->roles[k].grants = cell_long(res, 0, 0);
        }
        PQclear(res);
    }
    return true;
}

typedef struct init_step {
    const char *name;
    bool (*run)(init_ctx_t *cx);
} init_step_t;

static const init_step_t steps[] = {
    {"lock", step_lock},
    {"admin and public roles", step_base_roles},
    {"views, menus and custom permissions", step_catalog},
    {"admin role grants", step_admin_role_grants},
    {"stale permissions", step_stale_pairs},
    {"stock roles", step_stock_roles},
    {"PUBLIC_ROLE_LIKE", step_public_role_like},
    {"data access permissions", step_data_access},
    {"faulty permissions", step_faulty_pairs},
    {"report", step_report},
};

bool security_init_run(PGconn *conn, const security_init_opts_t *opts,
                       security_init_report_t *rep, char **err) {
    memset(rep, 0, sizeof *rep);
    *err = NULL;
    if (!has_text(opts->admin_role)) {
        *err = xasprintf("AUTH_ROLE_ADMIN names no role");
        return false;
    }
    init_ctx_t cx = {.conn = conn, .opts = opts, .rep = rep};
    if (!run_cmd(conn, &cx.err, "BEGIN", 0, NULL, NULL)) {
        *err = cx.err;
        return false;
    }
    const char *failed = NULL;
    for (size_t i = 0; !failed && i < sizeof steps / sizeof steps[0]; i++)
        if (!steps[i].run(&cx)) failed = steps[i].name;
    if (!failed && !run_cmd(conn, &cx.err, "COMMIT", 0, NULL, NULL)) failed = "commit";
    if (!failed) return true;

    PQclear(PQexec(conn, "ROLLBACK"));
    *err = xasprintf("%s: %s", failed, cx.err ? cx.err : "failed");
    free(cx.err);
    memset(rep, 0, sizeof *rep);
    return false;
}
