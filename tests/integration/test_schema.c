/* Integration tests of `liteset db upgrade` / `liteset db current` against a
 * real PostgreSQL: the created schema must equal the reference pg_dump of a
 * Superset 6.0.0 database, a second run must change nothing, and a database
 * at another alembic revision must be refused untouched.
 *
 * Environment (set by scripts/run-tests.sh): LITESET_TEST_PGHOST (socket dir),
 * LITESET_TEST_PGPORT, LITESET_TEST_PGUSER (superuser), LITESET_TEST_BIN
 * (directory holding the `liteset` binary), LITESET_SHARED (the shared folder
 * with reference/superset-6.0.0-schema.sql). Each test uses its own database. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEAD "c233f5365c9e"

typedef struct schema_fixture {
    const char *host, *port, *user, *bin_dir, *shared;
    PGconn *admin;    /* connection to the maintenance database "postgres" */
    char db[64];      /* this test's database */
    char dir[64];     /* temp dir: config, captured output, dumps */
    char cfg[128];    /* superset_config.py pointing at db */
} schema_fixture_t;

static schema_fixture_t fx;

/* ---- small file helpers ------------------------------------------------- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
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

static void path_in_dir(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s/%s", fx.dir, name);
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

/* ---- database helpers --------------------------------------------------- */

static void quiet_notice(void *arg, const char *message) {
    (void)arg, (void)message; /* e.g. "database ... does not exist, skipping" */
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
    cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
              "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
}

/* Runs one statement in the test database. */
static void exec_in_test_db(const char *sql) {
    PGconn *c = connect_db(fx.db);
    exec_sql(c, sql);
    PQfinish(c);
}

/* First column of the first row of a query in the test database (heap string). */
static char *query_value(const char *sql) {
    PGconn *c = connect_db(fx.db);
    PGresult *r = PQexec(c, sql);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(r));
    char *v = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return v;
}

/* ---- running programs --------------------------------------------------- */

/* Runs argv with stdout/stderr captured into dir/<tag>.out and dir/<tag>.err,
 * SUPERSET_CONFIG_PATH pointing at this test's config. Returns the exit code. */
static int run_program(const char *tag, char *const argv[]) {
    char out[160], err[160];
    snprintf(out, sizeof out, "%s/%s.out", fx.dir, tag);
    snprintf(err, sizeof err, "%s/%s.err", fx.dir, tag);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0) _exit(126);
        dup2(fo, 1);
        dup2(fe, 2);
        setenv("SUPERSET_CONFIG_PATH", fx.cfg, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status), "%s did not exit normally", argv[0]);
    return WEXITSTATUS(status);
}

/* `liteset db <sub>`; *out and *err receive the captured output (heap). */
static int run_liteset_db(const char *sub, const char *tag, char **out, char **err) {
    char bin[512];
    snprintf(bin, sizeof bin, "%s/liteset", fx.bin_dir);
    char *argv[] = {bin, "db", (char *)sub, NULL};
    int rc = run_program(tag, argv);
    char path[160];
    snprintf(path, sizeof path, "%s/%s.out", fx.dir, tag);
    *out = read_file(path);
    snprintf(path, sizeof path, "%s/%s.err", fx.dir, tag);
    *err = read_file(path);
    return rc;
}

/* Lines of a pg_dump that vary between runs and servers, not schemas. */
static bool schema_line_ignored(const char *line, size_t n) {
    static const char *const prefixes[] = {"--", "SET ", "SELECT pg_catalog.", "\\restrict",
                                           "\\unrestrict"};
    if (n == 0) return true;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(line, prefixes[i], strlen(prefixes[i]))) return true;
    return false;
}

/* The schema-relevant lines of a dump file, as one heap string. */
static char *normalized_schema(const char *path) {
    char *text = read_file(path);
    char *out = malloc(strlen(text) + 1), *w = out;
    cr_assert(out);
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        if (!schema_line_ignored(line, n)) {
            memcpy(w, line, n);
            w += n;
            *w++ = '\n';
        }
        line += n + (nl ? 1 : 0);
    }
    *w = '\0';
    free(text);
    return out;
}

/* pg_dump --schema-only of the test database, normalised (heap string). */
static char *dump_schema(const char *tag) {
    char file[160];
    snprintf(file, sizeof file, "%s/%s.sql", fx.dir, tag);
    char *argv[] = {"pg_dump", "--schema-only", "--no-owner", "--no-privileges",
                    "-h", (char *)fx.host, "-p", (char *)fx.port, "-U", (char *)fx.user,
                    "-f", file, fx.db, NULL};
    cr_assert_eq(run_program(tag, argv), 0, "pg_dump failed (see %s/%s.err)", fx.dir, tag);
    return normalized_schema(file);
}

/* Fails with a unified diff when the two normalised schemas differ. */
static void assert_same_schema(const char *want, const char *got, const char *what) {
    if (!strcmp(want, got)) return;
    char a[160], b[160];
    path_in_dir(a, sizeof a, "want.norm");
    path_in_dir(b, sizeof b, "got.norm");
    write_file(a, want);
    write_file(b, got);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(2, 1); /* the diff goes to the test's stderr */
        execlp("diff", "diff", "-u", a, b, (char *)NULL);
        _exit(127);
    }
    if (pid > 0) waitpid(pid, NULL, 0);
    cr_expect_fail("%s differs from the expected schema (diff above)", what);
}

/* ---- fixture ------------------------------------------------------------ */

static const char *need_env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) cr_skip_test("%s is not set (run through scripts/run-tests.sh)", name);
    return v;
}

static void setup(void) {
    fx.host = need_env("LITESET_TEST_PGHOST");
    fx.port = need_env("LITESET_TEST_PGPORT");
    fx.user = need_env("LITESET_TEST_PGUSER");
    fx.bin_dir = need_env("LITESET_TEST_BIN");
    fx.shared = need_env("LITESET_SHARED");

    snprintf(fx.dir, sizeof fx.dir, "/tmp/liteset-schema-XXXXXX");
    cr_assert(mkdtemp(fx.dir));
    snprintf(fx.db, sizeof fx.db, "liteset_schema_%ld", (long)getpid());

    fx.admin = connect_db("postgres");
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", fx.db);
    exec_sql(fx.admin, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx.db);
    exec_sql(fx.admin, sql);

    /* host is a socket directory: it goes in the query string, libpq style. */
    char text[1024];
    snprintf(text, sizeof text,
             "SQLALCHEMY_DATABASE_URI = 'postgresql://%s@/%s?host=%s&port=%s'\n"
             "SECRET_KEY = 'test-not-default'\n",
             fx.user, fx.db, fx.host, fx.port);
    path_in_dir(fx.cfg, sizeof fx.cfg, "superset_config.py");
    write_file(fx.cfg, text);
}

static void teardown(void) {
    if (fx.admin) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", fx.db);
        PQclear(PQexec(fx.admin, sql));
        PQfinish(fx.admin);
        fx.admin = NULL;
    }
    if (fx.dir[0]) nftw(fx.dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(schema, .init = setup, .fini = teardown, .timeout = 120);

/* ---- tests -------------------------------------------------------------- */

Test(schema, upgrade_on_empty_database_creates_the_reference_schema) {
    char *out, *err;
    int rc = run_liteset_db("upgrade", "upgrade", &out, &err);
    cr_assert_eq(rc, 0, "exit %d; stdout: %s; stderr: %s", rc, out, err);
    cr_expect(strstr(out, HEAD), "stdout: %s", out);

    char ref[512];
    snprintf(ref, sizeof ref, "%s/reference/superset-6.0.0-schema.sql", fx.shared);
    char *want = normalized_schema(ref);
    char *got = dump_schema("dump");
    assert_same_schema(want, got, "schema created by `liteset db upgrade`");
    free(want), free(got), free(out), free(err);
}

Test(schema, second_upgrade_is_a_no_op) {
    char *out, *err;
    cr_assert_eq(run_liteset_db("upgrade", "first", &out, &err), 0, "stderr: %s", err);
    free(out), free(err);
    char *before = dump_schema("before");

    int rc = run_liteset_db("upgrade", "second", &out, &err);
    cr_assert_eq(rc, 0, "exit %d; stderr: %s", rc, err);
    cr_expect(strstr(out, "already at head"), "stdout: %s", out);
    char *after = dump_schema("after");
    assert_same_schema(before, after, "schema after a second upgrade");
    free(before), free(after), free(out), free(err);
}

Test(schema, other_revision_is_refused_and_nothing_is_created) {
    exec_in_test_db("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);"
                    "INSERT INTO alembic_version VALUES ('abc123')");
    char *out, *err;
    int rc = run_liteset_db("upgrade", "upgrade", &out, &err);
    cr_assert_eq(rc, 1, "exit %d; stdout: %s", rc, out);
    cr_expect(strstr(err, "abc123"), "stderr: %s", err);
    cr_expect(strstr(err, HEAD), "stderr: %s", err);

    char *tables = query_value("SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                               " ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                               " AND c.relkind IN ('r', 'S')");
    cr_expect_str_eq(tables, "1", "only alembic_version may exist");
    char *types = query_value("SELECT count(*) FROM pg_type t JOIN pg_namespace n"
                              " ON n.oid = t.typnamespace WHERE n.nspname = 'public'"
                              " AND t.typtype = 'e'");
    cr_expect_str_eq(types, "0", "no enum type may be created");
    char *rev = query_value("SELECT string_agg(version_num, ',') FROM alembic_version");
    cr_expect_str_eq(rev, "abc123");
    free(tables), free(types), free(rev), free(out), free(err);
}

Test(schema, superset_tables_without_stamp_are_refused) {
    exec_in_test_db("CREATE TABLE ab_user (id integer)");
    char *out, *err;
    int rc = run_liteset_db("upgrade", "upgrade", &out, &err);
    cr_assert_eq(rc, 1, "exit %d; stdout: %s", rc, out);
    cr_expect(strstr(err, "ab_user") && strstr(err, HEAD), "stderr: %s", err);
    free(out), free(err);
}

Test(schema, current_prints_the_revision) {
    char *out, *err;
    cr_assert_eq(run_liteset_db("current", "none", &out, &err), 0, "stderr: %s", err);
    cr_expect_str_eq(out, "none\n");
    free(out), free(err);

    cr_assert_eq(run_liteset_db("upgrade", "upgrade", &out, &err), 0, "stderr: %s", err);
    free(out), free(err);
    cr_assert_eq(run_liteset_db("current", "head", &out, &err), 0, "stderr: %s", err);
    cr_expect(!strncmp(out, HEAD, strlen(HEAD)), "stdout: %s", out);
    free(out), free(err);

    exec_in_test_db("UPDATE alembic_version SET version_num = 'abc123'");
    cr_assert_eq(run_liteset_db("current", "other", &out, &err), 0, "stderr: %s", err);
    cr_expect_str_eq(out, "abc123\n");
    free(out), free(err);
}

Test(schema, concurrent_upgrades_create_the_schema_once) {
    enum { N = 3 };
    char bin[512];
    snprintf(bin, sizeof bin, "%s/liteset", fx.bin_dir);
    pid_t pids[N];
    for (int i = 0; i < N; i++) {
        char tag[16];
        snprintf(tag, sizeof tag, "run%d", i);
        pids[i] = fork();
        cr_assert(pids[i] >= 0);
        if (pids[i] == 0) {
            char *argv[] = {bin, "db", "upgrade", NULL};
            _exit(run_program(tag, argv));
        }
    }
    int created = 0;
    for (int i = 0; i < N; i++) {
        int status = 0;
        cr_assert_eq(waitpid(pids[i], &status, 0), pids[i]);
        cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run %d failed", i);
        char path[160];
        snprintf(path, sizeof path, "%s/run%d.out", fx.dir, i);
        char *out = read_file(path);
        created += strstr(out, "created") != NULL;
        free(out);
    }
    cr_expect_eq(created, 1, "exactly one run creates the schema");
}

Test(schema, unknown_subcommand_prints_usage) {
    char *out, *err;
    cr_expect_eq(run_liteset_db("frobnicate", "unknown", &out, &err), 2);
    cr_expect(strstr(err, "usage"), "stderr: %s", err);
    free(out), free(err);
}
