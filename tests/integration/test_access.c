/* Row-level-security selection and the permission cache, exercised in
 * process on the stack's metadata database through the async pool and a
 * fiber (the way handlers run): Regular filters apply to listed roles, Base
 * filters to everyone except listed roles, only for the linked dataset. */
#include <criterion/criterion.h>
#include <ev.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "lib/fiber.h"
#include "tests/integration/harness.h"

static char g_conninfo[512];

static void exec_sql(PGconn *pg, const char *sql) {
    PGresult *r = PQexec(pg, sql);
    cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql,
              PQerrorMessage(pg));
    PQclear(r);
}

typedef struct {
    int64_t table_id;
    int64_t gamma, alpha;
    json_t *for_gamma, *for_alpha, *for_anonymous, *other_table;
    bool admin_can_read_chart, gamma_can_write_dataset;
} ctx_t;

static void run(void *arg) {
    ctx_t *c = arg;
    config_t cfg = {0};
    cfg.values = json_object();
    pg_pool_opts_t po = {.conninfo = g_conninfo, .size = 2};
    pg_pool_t *pool = pg_pool_new(fiber_loop(), &po);
    security_t *sec = security_new(pool, 10);
    arena_t *a = arena_new(0);
    pg_error_t err;
    sec_role_t gr = {c->gamma, "Gamma"}, ar = {c->alpha, "Alpha"};
    sec_user_t gamma = {.id = 1, .roles = &gr, .nroles = 1}, alpha = {.id = 2, .roles = &ar, .nroles = 1};
    c->for_gamma = rls_filters_for(pool, a, sec, &cfg, &gamma, c->table_id, &err);
    c->for_alpha = rls_filters_for(pool, a, sec, &cfg, &alpha, c->table_id, &err);
    c->for_anonymous = rls_filters_for(pool, a, sec, &cfg, NULL, c->table_id, &err);
    c->other_table = rls_filters_for(pool, a, sec, &cfg, &gamma, c->table_id + 100000, &err);
    sec_role_t adm = {security_role_id(sec, "Admin"), "Admin"};
    sec_user_t admin = {.id = 3, .roles = &adm, .nroles = 1};
    c->admin_can_read_chart = security_can(sec, &cfg, &admin, "can_read", "Chart");
    c->gamma_can_write_dataset = security_can(sec, &cfg, &gamma, "can_write", "Dataset");
    arena_free(a);
    security_free(sec);
    pg_pool_free(pool);
    json_decref(cfg.values);
}

static const char *clauses(json_t *list, char *buf, size_t n) {
    buf[0] = '\0';
    size_t i;
    json_t *f;
    json_array_foreach(list, i, f) {
        strncat(buf, json_string_value(json_object_get(f, "clause")), n - strlen(buf) - 2);
        strncat(buf, ";", n - strlen(buf) - 1);
    }
    return buf;
}

Test(access, rls_selection_and_grants) {
    snprintf(g_conninfo, sizeof g_conninfo, "host=%s port=%s user=%s dbname=%s", harness_env("LITESET_TEST_PGHOST"),
             harness_env("LITESET_TEST_PGPORT"), harness_env("LITESET_TEST_PGUSER"), harness_env("LITESET_TEST_DB"));
    PGconn *pg = PQconnectdb(g_conninfo);
    cr_assert_eq(PQstatus(pg), CONNECTION_OK);
    ctx_t c = {0};
    /* a dataset to attach filters to (tables.id is referenced by rls_filter_tables) */
    PGresult *r = PQexec(pg, "WITH d AS (INSERT INTO dbs (database_name, sqlalchemy_uri)"
                             " VALUES ('rls_db_' || md5(random()::text), 'postgresql://x/y') RETURNING id),"
                             " t AS (INSERT INTO tables (table_name, database_id) SELECT 'rls_table', id FROM d RETURNING id)"
                             " SELECT (SELECT id FROM ab_role WHERE name = 'Gamma'), (SELECT id FROM ab_role WHERE name = 'Alpha'),"
                             " (SELECT id FROM t)");
    c.gamma = atoll(PQgetvalue(r, 0, 0));
    c.alpha = atoll(PQgetvalue(r, 0, 1));
    c.table_id = atoll(PQgetvalue(r, 0, 2));
    PQclear(r);
    char sql[2048];
    snprintf(sql, sizeof sql,
             "WITH f AS (INSERT INTO row_level_security_filters (name, filter_type, clause, group_key) VALUES"
             " ('rls_regular_%lld', 'Regular', 'region = ''emea''', NULL),"
             " ('rls_base_%lld', 'Base', 'tenant = 7', 'g') RETURNING id, filter_type)"
             ", t AS (INSERT INTO rls_filter_tables (table_id, rls_filter_id) SELECT %lld, id FROM f)"
             " INSERT INTO rls_filter_roles (role_id, rls_filter_id)"
             " SELECT CASE WHEN filter_type = 'Regular' THEN %lld ELSE %lld END, id FROM f",
             (long long)c.table_id, (long long)c.table_id, (long long)c.table_id, (long long)c.gamma, (long long)c.alpha);
    exec_sql(pg, sql);

    struct ev_loop *loop = ev_loop_new(0);
    fiber_init(loop, 0);
    fiber_spawn(run, &c, NULL, NULL);
    ev_run(loop, 0);
    ev_loop_destroy(loop);

    char buf[256];
    /* Gamma: its Regular filter, and the Base filter (Gamma is not exempted) */
    cr_assert_str_eq(clauses(c.for_gamma, buf, sizeof buf), "region = 'emea';tenant = 7;");
    /* Alpha: exempted from the Base filter, not listed on the Regular one */
    cr_assert_str_eq(clauses(c.for_alpha, buf, sizeof buf), "");
    /* anonymous (Public role): the Base filter only */
    cr_assert_str_eq(clauses(c.for_anonymous, buf, sizeof buf), "tenant = 7;");
    cr_assert_eq(json_array_size(c.other_table), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(c.for_gamma, 1), "group_key")), "g");
    cr_assert(c.admin_can_read_chart);
    cr_assert(!c.gamma_can_write_dataset, "Gamma has no can_write on Dataset after init");
    json_decref(c.for_gamma);
    json_decref(c.for_alpha);
    json_decref(c.for_anonymous);
    json_decref(c.other_table);
    snprintf(sql, sizeof sql,
             "DELETE FROM rls_filter_roles WHERE rls_filter_id IN (SELECT id FROM row_level_security_filters WHERE name LIKE 'rls_%%_%lld');"
             "DELETE FROM rls_filter_tables WHERE table_id = %lld;"
             "DELETE FROM row_level_security_filters WHERE name LIKE 'rls_%%_%lld';"
             "DELETE FROM tables WHERE id = %lld",
             (long long)c.table_id, (long long)c.table_id, (long long)c.table_id, (long long)c.table_id);
    exec_sql(pg, sql);
    PQfinish(pg);
}
