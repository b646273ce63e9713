/* Integration tests of `liteset init` and `liteset fab ...` against a real
 * PostgreSQL: after `db upgrade`, `init` and `fab create-admin` the ab_* tables
 * must hold, by name, exactly what Superset 6.0.0 wrote in the reference dump
 * (superset-6.0.0-security-init.sql); init must be idempotent, must replace the
 * stock roles' grants, apply PUBLIC_ROLE_LIKE, create data-access permissions
 * and clean stale and faulty pairs; the fab commands must behave like FAB's.
 *
 * Environment: see scripts/run-tests.sh (LITESET_TEST_PGHOST, _PGPORT, _PGUSER,
 * _BIN, LITESET_SHARED). Each test uses its own database. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stddef.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/password.h"
#include "tests/integration/harness.h"

typedef struct init_fixture {
    const char *host, *port, *user, *bin_dir, *shared;
    PGconn *admin; /* maintenance database "postgres" */
    PGconn *db;    /* this test's database */
    char dbname[64];
    char dir[64];  /* temp dir: config and captured output */
    char cfg[128];
} init_fixture_t;

static init_fixture_t fx;

/* ---- files -------------------------------------------------------------------- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

/* superset_config.py for this test's database, plus `extra` lines. */
static void write_config(const char *extra) {
    char text[2048];
    snprintf(text, sizeof text,
             "SQLALCHEMY_DATABASE_URI = 'postgresql://%s@/%s?host=%s&port=%s'\n"
             "SECRET_KEY = 'test-not-default'\n%s",
             fx.user, fx.dbname, fx.host, fx.port, extra ? extra : "");
    write_file(fx.cfg, text);
}

/* ---- database ------------------------------------------------------------------ */

static void quiet_notice(void *arg, const char *message) {
    (void)arg, (void)message;
}

static PGconn *connect_db(const char *dbname) {
    const char *keys[] = {"host", "port", "user", "dbname", NULL};
    const char *vals[] = {fx.host, fx.port, fx.user, dbname, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 0);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "connect %s: %s", dbname, PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet_notice, NULL);
    return c;
}

static void exec_sql(PGconn *c, const char *sql) {
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    cr_assert(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s", sql,
              PQresultErrorMessage(r));
    PQclear(r);
}

/* First column of the first row (heap string; "" when no row, NULL for NULL). */
static char *query_value(const char *sql) {
    PGresult *r = PQexec(fx.db, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
    char *v = NULL;
    if (!PQntuples(r))
        v = strdup("");
    else if (!PQgetisnull(r, 0, 0))
        v = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static long query_long(const char *sql) {
    char *v = query_value(sql);
    cr_assert(v, "%s returned NULL", sql);
    long n = strtol(v, NULL, 10);
    free(v);
    return n;
}

/* The names of the user's roles, comma-separated (heap string). */
static char *user_roles(const char *username) {
    PGresult *r = PQexecParams(fx.db,
                               "SELECT string_agg(r.name, ',' ORDER BY r.name) FROM ab_user_role ur"
                               " JOIN ab_role r ON r.id = ur.role_id"
                               " JOIN ab_user u ON u.id = ur.user_id WHERE u.username = $1",
                               1, NULL, (const char *const[]){username}, NULL, NULL, 0);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s", PQresultErrorMessage(r));
    char *v = strdup(PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

/* ---- sorted name lists ------------------------------------------------------------ */

typedef struct names {
    char **v;
    size_t n, cap;
} names_t;

static void names_add(names_t *l, const char *s, size_t len) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        cr_assert(l->v);
    }
    l->v[l->n++] = strndup(s, len);
}

static int str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_sort(names_t *l) {
    if (l->n) qsort(l->v, l->n, sizeof *l->v, str_cmp);
}

static void names_free(names_t *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Column 0 of every row of a query, sorted. */
static names_t query_names(const char *sql) {
    PGresult *r = PQexec(fx.db, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
    names_t l = {0};
    for (int i = 0; i < PQntuples(r); i++)
        names_add(&l, PQgetvalue(r, i, 0), strlen(PQgetvalue(r, i, 0)));
    PQclear(r);
    names_sort(&l);
    return l;
}

/* Both sorted; every difference is logged. Duplicates count. */
static void expect_same(const names_t *want, const names_t *got, const char *what) {
    size_t i = 0, j = 0;
    int diffs = 0;
    while (i < want->n || j < got->n) {
        int c = i == want->n ? 1 : j == got->n ? -1 : strcmp(want->v[i], got->v[j]);
        if (c == 0) {
            i++, j++;
            continue;
        }
        if (c < 0)
            cr_log_error("%s: missing %s", what, want->v[i++]);
        else
            cr_log_error("%s: unexpected %s", what, got->v[j++]);
        diffs++;
    }
    cr_expect_eq(diffs, 0, "%s: %d differences (listed above)", what, diffs);
}

/* Name-level content of the security tables. */
#define SQL_PERMISSIONS "SELECT name FROM ab_permission"
#define SQL_VIEW_MENUS "SELECT name FROM ab_view_menu"
#define JOIN_NAMES                                                                         \
    " JOIN ab_permission p ON p.id = pv.permission_id"                                     \
    " JOIN ab_view_menu v ON v.id = pv.view_menu_id"
#define JOIN_GRANTS                                                                        \
    " JOIN ab_role r ON r.id = g.role_id"                                                  \
    " JOIN ab_permission_view pv ON pv.id = g.permission_view_id" JOIN_NAMES
#define SQL_PAIRS "SELECT p.name || '|' || v.name FROM ab_permission_view pv" JOIN_NAMES
#define SQL_ROLES "SELECT name FROM ab_role"
#define SQL_GRANTS                                                                         \
    "SELECT r.name || '|' || p.name || '|' || v.name FROM ab_permission_view_role g"       \
    JOIN_GRANTS
#define SQL_ROLE_PAIRS(role)                                                               \
    "SELECT p.name || '|' || v.name FROM ab_permission_view_role g" JOIN_GRANTS            \
    " WHERE r.name = '" role "'"
#define SQL_ROLE_GRANT_COUNT(role)                                                         \
    "SELECT count(*) FROM ab_permission_view_role g JOIN ab_role r ON r.id = g.role_id"    \
    " WHERE r.name = '" role "'"

/* Every row of the ab_* security tables with ids, as one string. */
static char *security_snapshot(void) {
    static const char *const sql[] = {
        "SELECT id || ' ' || name FROM ab_permission",
        "SELECT id || ' ' || name FROM ab_view_menu",
        "SELECT id || ' ' || permission_id || ' ' || view_menu_id FROM ab_permission_view",
        "SELECT id || ' ' || name FROM ab_role",
        "SELECT id || ' ' || permission_view_id || ' ' || role_id FROM ab_permission_view_role",
        "SELECT id || ' ' || user_id || ' ' || role_id FROM ab_user_role",
        "SELECT id || ' ' || username || ' ' || password FROM ab_user",
    };
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    cr_assert(out);
    for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
        names_t l = query_names(sql[q]);
        for (size_t i = 0; i < l.n; i++) {
            size_t need = strlen(l.v[i]) + 2;
            if (len + need + 1 > cap) out = realloc(out, cap *= 2);
            cr_assert(out);
            len += (size_t)sprintf(out + len, "%s\n", l.v[i]);
        }
        out[len] = '\0';
        names_free(&l);
    }
    return out;
}

/* ---- the reference dump --------------------------------------------------------- */

typedef struct reference {
    names_t permissions, view_menus, pairs, roles, grants;
} reference_t;

/* The quoted name in "INSERT INTO public.<table> VALUES (<id>, '<name>');". */
static void add_quoted(names_t *out, const char *line, size_t len) {
    const char *q = memchr(line, '\'', len);
    cr_assert(q, "unexpected line %.*s", (int)len, line);
    char buf[512];
    size_t w = 0;
    for (const char *p = q + 1; p < line + len && w < sizeof buf - 1; p++) {
        if (*p == '\'' && p + 1 < line + len && p[1] == '\'') {
            buf[w++] = *p++;
            continue;
        }
        if (*p == '\'') break;
        buf[w++] = *p;
    }
    names_add(out, buf, w);
}

static reference_t load_reference(void) {
    char path[512];
    snprintf(path, sizeof path, "%s/reference/superset-6.0.0-security-init.sql", fx.shared);
    char *text = read_file(path);
    if (!text) cr_skip_test("reference file %s not found", path);
    reference_t ref = {0};
    static const struct {
        const char *prefix;
        bool quoted;
        size_t field; /* offsetof in reference_t */
    } kinds[] = {
        {"INSERT INTO public.ab_permission VALUES (", true, offsetof(reference_t, permissions)},
        {"INSERT INTO public.ab_view_menu VALUES (", true, offsetof(reference_t, view_menus)},
        {"INSERT INTO public.ab_role VALUES (", true, offsetof(reference_t, roles)},
        {"-- PV ", false, offsetof(reference_t, pairs)},
        {"-- GRANT ", false, offsetof(reference_t, grants)},
    };
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            size_t plen = strlen(kinds[k].prefix);
            if (strncmp(line, kinds[k].prefix, plen)) continue;
            names_t *dst = (names_t *)((char *)&ref + kinds[k].field);
            if (kinds[k].quoted)
                add_quoted(dst, line, len);
            else
                names_add(dst, line + plen, len - plen);
        }
        line += len + (nl ? 1 : 0);
    }
    free(text);
    names_sort(&ref.permissions), names_sort(&ref.view_menus), names_sort(&ref.roles);
    names_sort(&ref.pairs), names_sort(&ref.grants);
    cr_assert_eq(ref.pairs.n, 215, "reference: canonical pair listing not found");
    return ref;
}

static void free_reference(reference_t *r) {
    names_free(&r->permissions), names_free(&r->view_menus), names_free(&r->roles);
    names_free(&r->pairs), names_free(&r->grants);
}

/* The reference grants of one role, as "perm|view". */
static names_t reference_role_pairs(const reference_t *ref, const char *role) {
    names_t l = {0};
    size_t n = strlen(role);
    for (size_t i = 0; i < ref->grants.n; i++)
        if (!strncmp(ref->grants.v[i], role, n) && ref->grants.v[i][n] == '|')
            names_add(&l, ref->grants.v[i] + n + 1, strlen(ref->grants.v[i] + n + 1));
    names_sort(&l);
    return l;
}

/* ---- running liteset ------------------------------------------------------------- */

typedef struct run_result {
    int rc;
    char *out, *err;
} run_result_t;

static void run_free(run_result_t *r) {
    free(r->out), free(r->err);
}

/* Runs `liteset args...` (NULL-terminated) with stdin from /dev/null and this
 * test's config; captures stdout and stderr. */
static run_result_t liteset_v(const char *const *args) {
    static int seq;
    char bin[512], out[192], err[192];
    snprintf(bin, sizeof bin, "%s/liteset", fx.bin_dir);
    snprintf(out, sizeof out, "%s/run%d.out", fx.dir, seq);
    snprintf(err, sizeof err, "%s/run%d.err", fx.dir, seq++);
    char *argv[32] = {bin};
    int argc = 1;
    for (; args[argc - 1] && argc < 31; argc++) argv[argc] = (char *)args[argc - 1];
    argv[argc] = NULL;
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fi = open("/dev/null", O_RDONLY);
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fi < 0 || fo < 0 || fe < 0) _exit(126);
        dup2(fi, 0), dup2(fo, 1), dup2(fe, 2);
        setenv("SUPERSET_CONFIG_PATH", fx.cfg, 1);
        execv(bin, argv);
        _exit(127);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status), "liteset %s did not exit normally", args[0]);
    run_result_t r = {WEXITSTATUS(status), read_file(out), read_file(err)};
    cr_assert(r.out && r.err);
    return r;
}

#define LITESET(...) liteset_v((const char *const[]){__VA_ARGS__, NULL})

/* Runs a command that must succeed. */
static void liteset_ok(const char *const *args) {
    run_result_t r = liteset_v(args);
    cr_assert_eq(r.rc, 0, "liteset %s: exit %d\nstdout: %s\nstderr: %s", args[0], r.rc, r.out,
                 r.err);
    run_free(&r);
}

#define LITESET_OK(...) liteset_ok((const char *const[]){__VA_ARGS__, NULL})

#define CREATE_ADMIN                                                                          \
    "fab", "create-admin", "--username", "admin", "--firstname", "admin", "--lastname", "user", \
        "--email", "admin@fab.org", "--password", "admin"

/* ---- fixture ------------------------------------------------------------------- */

static void setup(void) {
    fx.host = harness_env("LITESET_TEST_PGHOST");
    fx.port = harness_env("LITESET_TEST_PGPORT");
    fx.user = harness_env("LITESET_TEST_PGUSER");
    fx.bin_dir = harness_env("LITESET_TEST_BIN");
    fx.shared = harness_env("LITESET_SHARED");

    snprintf(fx.dir, sizeof fx.dir, "/tmp/liteset-init-XXXXXX");
    cr_assert(mkdtemp(fx.dir));
    snprintf(fx.dbname, sizeof fx.dbname, "liteset_init_%ld", (long)getpid());
    snprintf(fx.cfg, sizeof fx.cfg, "%s/superset_config.py", fx.dir);

    fx.admin = connect_db("postgres");
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", fx.dbname);
    exec_sql(fx.admin, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx.dbname);
    exec_sql(fx.admin, sql);
    fx.db = connect_db(fx.dbname);

    write_config(NULL);
    LITESET_OK("db", "upgrade");
}

static void teardown(void) {
    if (fx.db) PQfinish(fx.db);
    fx.db = NULL;
    if (fx.admin) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", fx.dbname);
        PQclear(PQexec(fx.admin, sql));
        PQfinish(fx.admin);
        fx.admin = NULL;
    }
    if (fx.dir[0]) nftw(fx.dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(init, .init = setup, .fini = teardown, .timeout = 120);

/* ---- init ------------------------------------------------------------------------ */

Test(init, init_and_create_admin_give_the_reference_content) {
    reference_t ref = load_reference();
    run_result_t r = LITESET("init");
    cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "Admin 215, Alpha 110, Gamma 88, sql_lab 28, Public 0"), "stdout: %s",
              r.out);
    run_free(&r);
    LITESET_OK(CREATE_ADMIN);

    static const struct {
        const char *sql;
        size_t field;
        const char *what;
        long count;
    } tables[] = {
        {SQL_PERMISSIONS, offsetof(reference_t, permissions), "ab_permission", 78},
        {SQL_VIEW_MENUS, offsetof(reference_t, view_menus), "ab_view_menu", 90},
        {SQL_PAIRS, offsetof(reference_t, pairs), "ab_permission_view", 215},
        {SQL_ROLES, offsetof(reference_t, roles), "ab_role", 5},
        {SQL_GRANTS, offsetof(reference_t, grants), "ab_permission_view_role", 441},
    };
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        names_t got = query_names(tables[t].sql);
        const names_t *want = (const names_t *)((const char *)&ref + tables[t].field);
        cr_expect_eq((long)got.n, tables[t].count, "%s: %zu rows", tables[t].what, got.n);
        cr_expect_eq((long)want->n, tables[t].count, "reference %s: %zu rows", tables[t].what,
                     want->n);
        expect_same(want, &got, tables[t].what);
        names_free(&got);
    }
    /* Stock role ids as on a fresh Superset database. */
    char *ids = query_value("SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM ab_role");
    cr_expect_str_eq(ids, "1:Admin,2:Public,3:Alpha,4:Gamma,5:sql_lab");
    free(ids);
    free_reference(&ref);
}

Test(init, second_init_changes_nothing) {
    LITESET_OK("init");
    LITESET_OK(CREATE_ADMIN);
    char *before = security_snapshot();
    run_result_t r = LITESET("init");
    cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "created 0 permissions, 0 view menus, 0 permission-views"),
              "stdout: %s", r.out);
    cr_expect(strstr(r.out, "grants +0 -0"), "stdout: %s", r.out);
    char *after = security_snapshot();
    cr_expect_str_eq(after, before, "a second init changed the security tables");
    free(before), free(after);
    run_free(&r);
}

Test(init, init_before_create_admin_and_after_give_the_same_grants) {
    LITESET_OK(CREATE_ADMIN);
    LITESET_OK("init");
    reference_t ref = load_reference();
    names_t got = query_names(SQL_GRANTS);
    expect_same(&ref.grants, &got, "grants when create-admin ran first");
    names_free(&got);
    free_reference(&ref);
}

Test(init, hand_added_grant_on_gamma_is_wiped) {
    LITESET_OK("init");
    exec_sql(fx.db,
             "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
             " SELECT nextval('ab_permission_view_role_id_seq'), pv.id, r.id"
             " FROM ab_permission_view pv JOIN ab_permission p ON p.id = pv.permission_id"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id, ab_role r"
             " WHERE p.name = 'can_write' AND v.name = 'Database' AND r.name = 'Gamma'");
    cr_assert_eq(query_long(SQL_ROLE_GRANT_COUNT("Gamma")), 89);
    run_result_t r = LITESET("init");
    cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "grants +0 -1"), "stdout: %s", r.out);
    run_free(&r);

    reference_t ref = load_reference();
    names_t want = reference_role_pairs(&ref, "Gamma");
    names_t got = query_names(SQL_ROLE_PAIRS("Gamma"));
    cr_expect_eq(got.n, 88);
    expect_same(&want, &got, "Gamma after init");
    names_free(&want), names_free(&got);
    free_reference(&ref);
}

Test(init, public_role_like_gamma_gives_public_the_gamma_set_and_keeps_its_data_access) {
    write_config("PUBLIC_ROLE_LIKE = 'Gamma'\n");
    LITESET_OK("init");
    reference_t ref = load_reference();
    names_t gamma = reference_role_pairs(&ref, "Gamma");
    names_t pub = query_names(SQL_ROLE_PAIRS("Public"));
    cr_expect_eq(pub.n, 88);
    expect_same(&gamma, &pub, "Public with PUBLIC_ROLE_LIKE = 'Gamma'");
    names_free(&pub);

    /* A data-access grant of Public survives the copy; other extras do not. */
    exec_sql(fx.db, "INSERT INTO dbs (id, database_name, sqlalchemy_uri)"
                    " VALUES (7, 'examples', 'sqlite://')");
    LITESET_OK("init");
    exec_sql(fx.db,
             "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
             " SELECT nextval('ab_permission_view_role_id_seq'), pv.id, r.id"
             " FROM ab_permission_view pv JOIN ab_permission p ON p.id = pv.permission_id"
             " JOIN ab_view_menu v ON v.id = pv.view_menu_id, ab_role r WHERE r.name = 'Public'"
             " AND ((p.name = 'database_access' AND v.name = '[examples].(id:7)')"
             "   OR (p.name = 'can_write' AND v.name = 'Database'))");
    LITESET_OK("init");
    pub = query_names(SQL_ROLE_PAIRS("Public"));
    static const char kept[] = "database_access|[examples].(id:7)";
    names_add(&gamma, kept, strlen(kept));
    names_sort(&gamma);
    expect_same(&gamma, &pub, "Public after a second init");
    names_free(&pub), names_free(&gamma);
    free_reference(&ref);
}

Test(init, a_custom_auth_role_admin_receives_the_view_and_menu_permissions) {
    write_config("AUTH_ROLE_ADMIN = 'SuperAdmin'\n");
    LITESET_OK("init");
    LITESET_OK(CREATE_ADMIN);
    /* FAB grants the configured admin role every view and menu pair (179 + 24),
     * not Superset's custom pairs; Superset's own "Admin" role is synced as usual. */
    cr_expect_eq(query_long(SQL_ROLE_GRANT_COUNT("SuperAdmin")), 203);
    cr_expect_eq(query_long(SQL_ROLE_GRANT_COUNT("Admin")), 215);
    char *roles = user_roles("admin");
    cr_expect_str_eq(roles, "SuperAdmin");
    free(roles);
}

Test(init, public_role_like_naming_a_missing_role_fails_and_changes_nothing) {
    write_config("PUBLIC_ROLE_LIKE = 'NoSuchRole'\n");
    run_result_t r = LITESET("init");
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, "NoSuchRole"), "stderr: %s", r.err);
    run_free(&r);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_permission_view"), 0);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_role"), 0);
}

Test(init, data_access_permissions_are_created_for_existing_databases_and_datasets) {
    exec_sql(fx.db,
             "INSERT INTO dbs (id, database_name, verbose_name, sqlalchemy_uri) VALUES"
             " (1, 'examples', 'Examples DB', 'postgresql://x/examples'),"
             " (2, 'other', NULL, 'sqlite://')");
    exec_sql(fx.db,
             "INSERT INTO tables (id, table_name, database_id, schema, catalog, is_sqllab_view)"
             " VALUES"
             " (10, 'birth_names', 1, 'public', 'examples', false),"
             " (11, 'flights', 2, 'main', NULL, false),"
             " (12, 'no_schema', 2, NULL, NULL, false),"
             " (13, 'a_sqllab_view', 2, 'main', NULL, true)");
    LITESET_OK("init");
    names_t got = query_names("SELECT p.name || '|' || v.name FROM ab_permission_view pv"
                              " JOIN ab_permission p ON p.id = pv.permission_id"
                              " JOIN ab_view_menu v ON v.id = pv.view_menu_id"
                              " WHERE p.name IN ('database_access', 'datasource_access',"
                              " 'schema_access', 'catalog_access')");
    names_t want = {0};
    static const char *const expected[] = {
        "catalog_access|[examples].[examples]",
        "database_access|[examples].(id:1)",
        "database_access|[other].(id:2)",
        "datasource_access|[Examples DB].[birth_names](id:10)",
        "datasource_access|[other].[flights](id:11)",
        "datasource_access|[other].[no_schema](id:12)",
        "schema_access|[examples].[examples].[public]",
        "schema_access|[other].[main]",
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        names_add(&want, expected[i], strlen(expected[i]));
    names_sort(&want);
    expect_same(&want, &got, "data-access permissions");
    names_free(&want), names_free(&got);
    /* user-defined: no stock role receives them */
    cr_expect_eq(query_long("SELECT count(*) FROM ab_permission_view_role g"
                            " JOIN ab_permission_view pv ON pv.id = g.permission_view_id"
                            " JOIN ab_permission p ON p.id = pv.permission_id"
                            " WHERE p.name IN ('database_access', 'datasource_access',"
                            " 'schema_access', 'catalog_access')"),
                 0);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_permission_view"), 215 + 8);

    char *before = security_snapshot();
    LITESET_OK("init");
    char *after = security_snapshot();
    cr_expect_str_eq(after, before, "a second init changed the data-access permissions");
    free(before), free(after);
}

Test(init, stale_unheld_pairs_of_catalog_views_are_deleted_held_ones_kept) {
    LITESET_OK("init");
    exec_sql(fx.db,
             "INSERT INTO ab_permission (id, name) VALUES"
             " (nextval('ab_permission_id_seq'), 'can_old_action'),"
             " (nextval('ab_permission_id_seq'), 'can_kept_action');"
             "INSERT INTO ab_permission_view (id, permission_id, view_menu_id)"
             " SELECT nextval('ab_permission_view_id_seq'), p.id, v.id"
             " FROM ab_permission p, ab_view_menu v"
             " WHERE p.name IN ('can_old_action', 'can_kept_action') AND v.name = 'Chart';"
             "INSERT INTO ab_role (id, name) VALUES (nextval('ab_role_id_seq'), 'Custom');"
             "INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
             " SELECT nextval('ab_permission_view_role_id_seq'), pv.id, r.id"
             " FROM ab_permission_view pv"
             " JOIN ab_permission p ON p.id = pv.permission_id, ab_role r"
             " WHERE p.name = 'can_kept_action' AND r.name = 'Custom'");
    run_result_t r = LITESET("init");
    cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "removed 1 permission-views"), "stdout: %s", r.out);
    run_free(&r);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_permission WHERE name = 'can_old_action'"), 0);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_permission_view pv JOIN ab_permission p"
                            " ON p.id = pv.permission_id WHERE p.name = 'can_kept_action'"),
                 1);
    /* the kept pair is an ordinary pair now: Admin receives it */
    cr_expect_eq(query_long(SQL_ROLE_GRANT_COUNT("Admin")), 216);
}

Test(init, faulty_pairs_are_deleted) {
    LITESET_OK("init");
    exec_sql(fx.db,
             "INSERT INTO ab_permission_view (id, permission_id, view_menu_id)"
             " SELECT nextval('ab_permission_view_id_seq'), id, NULL FROM ab_permission"
             " WHERE name = 'can_read'");
    LITESET_OK("init");
    cr_expect_eq(query_long("SELECT count(*) FROM ab_permission_view WHERE view_menu_id IS NULL"),
                 0);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_permission_view"), 215);
}

Test(init, without_schema_fails_with_a_hint) {
    exec_sql(fx.db, "DROP TABLE ab_permission_view_role, ab_permission_view CASCADE");
    run_result_t r = LITESET("init");
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, "db upgrade"), "stderr: %s", r.err);
    run_free(&r);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_role"), 0, "nothing may be committed");
}

/* ---- fab ------------------------------------------------------------------------- */

Test(init, create_admin_inserts_an_active_admin_with_a_scrypt_hash) {
    run_result_t r = LITESET(CREATE_ADMIN);
    cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "Recognized Database Authentications."), "stdout: %s", r.out);
    cr_expect(strstr(r.out, "Admin User admin created."), "stdout: %s", r.out);
    run_free(&r);
    char *row = query_value("SELECT concat_ws(' ', first_name, last_name, email, active,"
                            " created_on IS NOT NULL, created_on = changed_on,"
                            " coalesce(login_count::text, 'null'),"
                            " coalesce(created_by_fk::text, 'null'))"
                            " FROM ab_user WHERE username = 'admin'");
    cr_expect_str_eq(row, "admin user admin@fab.org t t t null null");
    free(row);
    char *roles = user_roles("admin");
    cr_expect_str_eq(roles, "Admin");
    free(roles);
    char *hash = query_value("SELECT password FROM ab_user WHERE username = 'admin'");
    cr_expect(!strncmp(hash, "scrypt:32768:8:1$", 17), "hash: %s", hash);
    cr_expect_eq(password_check(hash, "admin"), PW_MATCH);
    free(hash);
}

Test(init, create_admin_twice_reports_that_the_user_exists) {
    LITESET_OK(CREATE_ADMIN);
    run_result_t r = LITESET(CREATE_ADMIN);
    cr_expect_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "Error! User already exists admin"), "stdout: %s", r.out);
    run_free(&r);
    /* same e-mail under another name, and the name in other case: also exists */
    r = LITESET("fab", "create-admin", "--username", "other", "--firstname", "o", "--lastname", "o",
                "--email", "admin@fab.org", "--password", "x");
    cr_expect_eq(r.rc, 0);
    cr_expect(strstr(r.out, "Error! User already exists other"), "stdout: %s", r.out);
    run_free(&r);
    r = LITESET("fab", "create-admin", "--username", "ADMIN", "--firstname", "o", "--lastname", "o",
                "--email", "new@fab.org", "--password", "x");
    cr_expect_eq(r.rc, 0);
    cr_expect(strstr(r.out, "already exists"), "stdout: %s", r.out);
    run_free(&r);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_user"), 1);
}

Test(init, reset_password_changes_the_hash) {
    LITESET_OK(CREATE_ADMIN);
    char *before = query_value("SELECT password FROM ab_user WHERE username = 'admin'");
    run_result_t r =
        LITESET("fab", "reset-password", "--username", "admin", "--password", "s3cret");
    cr_assert_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "User admin reseted."), "stdout: %s", r.out);
    run_free(&r);
    char *after = query_value("SELECT password FROM ab_user WHERE username = 'admin'");
    cr_expect_str_neq(after, before);
    cr_expect(!strncmp(after, "scrypt:32768:8:1$", 17), "hash: %s", after);
    cr_expect_eq(password_check(after, "s3cret"), PW_MATCH);
    cr_expect_eq(password_check(after, "admin"), PW_MISMATCH);
    free(before), free(after);

    r = LITESET("fab", "reset-password", "--username", "nobody", "--password", "x");
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, "User nobody not found."), "stderr: %s", r.err);
    run_free(&r);
}

Test(init, create_user_needs_an_existing_role) {
    LITESET_OK("init");
    run_result_t r = LITESET("fab", "create-user", "--role", "NoSuchRole", "--username", "bob",
                             "--firstname", "Bob", "--lastname", "B", "--email", "bob@x.org",
                             "--password", "pw");
    cr_expect_eq(r.rc, 1);
    cr_expect(strstr(r.err, "Error! Role not found NoSuchRole"), "stderr: %s", r.err);
    run_free(&r);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_user"), 0);

    r = LITESET("fab", "create-user", "--role", "Gamma", "--username", "bob", "--firstname", "Bob",
                "--lastname", "B", "--email", "bob@x.org", "--password", "pw");
    cr_expect_eq(r.rc, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.out, "User bob created."), "stdout: %s", r.out);
    run_free(&r);
    char *roles = user_roles("bob");
    cr_expect_str_eq(roles, "Gamma");
    free(roles);
}

Test(init, missing_flags_without_a_terminal_are_a_usage_error) {
    run_result_t r = LITESET("fab", "create-admin", "--username", "admin");
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "--firstname") && strstr(r.err, "--lastname") &&
                  strstr(r.err, "--email") && strstr(r.err, "--password"),
              "stderr: %s", r.err);
    cr_expect_not(strstr(r.err, "missing --username"), "stderr: %s", r.err);
    run_free(&r);
    r = LITESET("fab", "create-admin", "--bogus", "x");
    cr_expect_eq(r.rc, 2);
    cr_expect(strstr(r.err, "--bogus"), "stderr: %s", r.err);
    run_free(&r);
    cr_expect_eq(query_long("SELECT count(*) FROM ab_user"), 0);
}
