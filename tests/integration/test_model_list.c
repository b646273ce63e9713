/* Paging and ordering of the generic engine's lists when rows carry
 * many-to-many arrays: the page is chosen first and decorated after, so
 * every page must hold the right rows in the right order, each with its own
 * owners and dashboards (sorted by id, [] when none), and the pages
 * together must be the whole filtered list exactly once. Charts are the
 * resource under test (owners and dashboards are both many-to-many). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

#define NCHARTS 7

static long long chart_id[NCHARTS + 1]; /* by chart number 1..7 */
static long long admin_id, other_id, dash_a, dash_b;

/* Chart n: owned by admin when odd, by the other user when a multiple of 3;
 * on dashboard A when n <= 4, on dashboard B when even. */
static bool owned_by_admin(int n) { return n % 2 == 1; }
static bool owned_by_other(int n) { return n % 3 == 0; }
static bool on_a(int n) { return n <= 4; }
static bool on_b(int n) { return n % 2 == 0; }

static void fixture(void) {
    rest_create_user("Gamma", "ml_other");
    rest_sql("DELETE FROM dashboard_slices WHERE slice_id IN (SELECT id FROM slices WHERE slice_name LIKE 'ml chart %')");
    rest_sql("DELETE FROM slice_user WHERE slice_id IN (SELECT id FROM slices WHERE slice_name LIKE 'ml chart %')");
    rest_sql("DELETE FROM slices WHERE slice_name LIKE 'ml chart %'");
    rest_sql("DELETE FROM dashboards WHERE dashboard_title LIKE 'ml dash %'");
    rest_sql("DELETE FROM tables WHERE table_name = 'ml_tbl'");
    rest_sql("DELETE FROM dbs WHERE database_name = 'ml_db'");
    rest_sql("INSERT INTO dbs (database_name, sqlalchemy_uri) VALUES ('ml_db', 'sqlite://')");
    rest_sql("INSERT INTO tables (table_name, database_id, perm) SELECT 'ml_tbl', id, '[ml_db].[ml_tbl](id:1)'"
             " FROM dbs WHERE database_name = 'ml_db'");
    admin_id = atoll(rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    other_id = atoll(rest_sql("SELECT id FROM ab_user WHERE username = 'ml_other'"));
    char sql[1024];
    /* changed_on descends with n, so the default order (changed_on desc) is chart 1 first */
    for (int n = 1; n <= NCHARTS; n++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO slices (slice_name, datasource_type, datasource_id, viz_type, params, changed_on, uuid)"
                 " SELECT 'ml chart %d', 'table', id, 'table', '{}', '2024-01-01'::timestamp - interval '%d hours',"
                 " gen_random_uuid() FROM tables WHERE table_name = 'ml_tbl' RETURNING id",
                 n, n);
        chart_id[n] = atoll(rest_sql(sql));
    }
    dash_a = atoll(rest_sql("INSERT INTO dashboards (dashboard_title, uuid) VALUES ('ml dash a', gen_random_uuid())"
                            " RETURNING id"));
    dash_b = atoll(rest_sql("INSERT INTO dashboards (dashboard_title, uuid) VALUES ('ml dash b', gen_random_uuid())"
                            " RETURNING id"));
    /* links inserted in descending id order: the arrays must still come out sorted */
    for (int n = 1; n <= NCHARTS; n++) {
        if (owned_by_other(n)) {
            snprintf(sql, sizeof sql, "INSERT INTO slice_user (user_id, slice_id) VALUES (%lld, %lld)", other_id, chart_id[n]);
            rest_sql(sql);
        }
        if (owned_by_admin(n)) {
            snprintf(sql, sizeof sql, "INSERT INTO slice_user (user_id, slice_id) VALUES (%lld, %lld)", admin_id, chart_id[n]);
            rest_sql(sql);
        }
        if (on_b(n)) {
            snprintf(sql, sizeof sql, "INSERT INTO dashboard_slices (dashboard_id, slice_id) VALUES (%lld, %lld)", dash_b,
                     chart_id[n]);
            rest_sql(sql);
        }
        if (on_a(n)) {
            snprintf(sql, sizeof sql, "INSERT INTO dashboard_slices (dashboard_id, slice_id) VALUES (%lld, %lld)", dash_a,
                     chart_id[n]);
            rest_sql(sql);
        }
    }
}

static int number_of(long long id) {
    for (int n = 1; n <= NCHARTS; n++)
        if (chart_id[n] == id) return n;
    return 0;
}

/* ids as a JSON array of integers, ascending, from up to two candidates */
static json_t *sorted_ids(bool has_x, long long x, bool has_y, long long y) {
    json_t *a = json_array();
    long long lo = x < y ? x : y, hi = x < y ? y : x;
    if (has_x && has_y) {
        json_array_append_new(a, json_integer(lo));
        json_array_append_new(a, json_integer(hi));
    } else if (has_x) {
        json_array_append_new(a, json_integer(x));
    } else if (has_y) {
        json_array_append_new(a, json_integer(y));
    }
    return a;
}

/* the ids found under key (an array of objects) of a row */
static json_t *ids_under(const json_t *row, const char *key) {
    json_t *out = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(row, key), i, o) json_array_append(out, json_object_get(o, "id"));
    return out;
}

static void check_row(const json_t *row) {
    int n = number_of(json_integer_value(json_object_get(row, "id")));
    cr_assert(n, "unexpected row %s", json_dumps(row, 0));
    char name[32];
    snprintf(name, sizeof name, "ml chart %d", n);
    cr_assert_str_eq(json_string_value(json_object_get(row, "slice_name")), name);
    cr_assert(json_is_array(json_object_get(row, "owners")) && json_is_array(json_object_get(row, "dashboards")));
    json_t *want_owners = sorted_ids(owned_by_admin(n), admin_id, owned_by_other(n), other_id);
    json_t *want_dash = sorted_ids(on_a(n), dash_a, on_b(n), dash_b);
    json_t *owners = ids_under(row, "owners"), *dash = ids_under(row, "dashboards");
    cr_assert(json_equal(owners, want_owners), "chart %d owners %s", n, json_dumps(json_object_get(row, "owners"), 0));
    cr_assert(json_equal(dash, want_dash), "chart %d dashboards %s", n, json_dumps(json_object_get(row, "dashboards"), 0));
    json_t *o;
    size_t i;
    json_array_foreach(json_object_get(row, "dashboards"), i, o) {
        const char *title = json_string_value(json_object_get(o, "dashboard_title"));
        if (!json_object_get(o, "dashboard_title")) continue; /* not requested */
        cr_assert_str_eq(title, json_integer_value(json_object_get(o, "id")) == dash_a ? "ml dash a" : "ml dash b");
    }
    json_decref(want_owners);
    json_decref(want_dash);
    json_decref(owners);
    json_decref(dash);
}

/* Walks the filtered list page by page; returns chart numbers in order. */
static void walk(rest_session_t *s, const char *order, int page_size, int *numbers) {
    int seen = 0;
    for (int page = 0; page * page_size < NCHARTS + page_size; page++) {
        char path[512];
        snprintf(path, sizeof path,
                 "/api/v1/chart/?q=(columns:!(id,slice_name,owners.id,owners.first_name,dashboards.id,"
                 "dashboards.dashboard_title),filters:!((col:slice_name,opr:sw,value:'ml%%20chart%%20')),%s"
                 "page:%d,page_size:%d)",
                 order, page, page_size);
        int st;
        json_t *j = rest_call(s, "GET", path, NULL, &st);
        cr_assert_eq(st, 200, "%s", path);
        cr_assert_eq(json_integer_value(json_object_get(j, "count")), NCHARTS);
        json_t *result = json_object_get(j, "result"), *ids = json_object_get(j, "ids");
        size_t expect = NCHARTS - seen < page_size ? (size_t)(NCHARTS - seen) : (size_t)page_size;
        cr_assert_eq(json_array_size(result), expect, "%s: %zu rows", path, json_array_size(result));
        size_t i;
        json_t *row;
        json_array_foreach(result, i, row) {
            check_row(row);
            cr_assert(json_equal(json_array_get(ids, i), json_object_get(row, "id")), "ids follow the rows");
            numbers[seen++] = number_of(json_integer_value(json_object_get(row, "id")));
        }
        json_decref(j);
    }
    cr_assert_eq(seen, NCHARTS);
}

Test(model_list, pages_with_to_many_columns) {
    fixture();
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    int got[NCHARTS];

    /* the default order (changed_on desc): chart 1 .. 7 */
    walk(&s, "", 3, got);
    for (int i = 0; i < NCHARTS; i++) cr_assert_eq(got[i], i + 1, "default order, position %d: chart %d", i, got[i]);

    walk(&s, "order_column:slice_name,order_direction:desc,", 2, got);
    for (int i = 0; i < NCHARTS; i++) cr_assert_eq(got[i], NCHARTS - i, "desc, position %d: chart %d", i, got[i]);

    walk(&s, "order_column:slice_name,order_direction:asc,", 4, got);
    for (int i = 0; i < NCHARTS; i++) cr_assert_eq(got[i], i + 1, "asc, position %d: chart %d", i, got[i]);

    /* a many-to-one order with ties (no chart has a changer): the key breaks them, each chart once */
    walk(&s, "order_column:changed_by.first_name,order_direction:asc,", 3, got);
    bool once[NCHARTS + 1] = {false};
    for (int i = 0; i < NCHARTS; i++) {
        cr_assert(got[i] >= 1 && got[i] <= NCHARTS && !once[got[i]], "chart %d twice or unknown", got[i]);
        once[got[i]] = true;
    }

    /* a page past the end is empty, with the full count */
    int st;
    json_t *j = rest_call(&s, "GET",
                          "/api/v1/chart/?q=(columns:!(id,owners.id),filters:!((col:slice_name,opr:sw,value:'ml%20chart%20')),"
                          "page:5,page_size:3)",
                          NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), NCHARTS);
    cr_assert_eq(json_array_size(json_object_get(j, "result")), 0);
    cr_assert_eq(json_array_size(json_object_get(j, "ids")), 0);
    json_decref(j);

    /* a many-to-many filter with its arrays: the other user's charts (3, 6), each with both owners when shared */
    char path[512];
    snprintf(path, sizeof path,
             "/api/v1/chart/?q=(columns:!(id,slice_name,owners.id,dashboards.id),filters:!((col:owners,opr:rel_m_m,"
             "value:%lld),(col:slice_name,opr:sw,value:'ml%%20chart%%20')),order_column:slice_name,order_direction:asc)",
             other_id);
    j = rest_call(&s, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "count")), 2);
    json_t *result = json_object_get(j, "result");
    cr_assert_eq(json_array_size(result), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(result, 0), "id")), chart_id[3]);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(result, 1), "id")), chart_id[6]);
    size_t i;
    json_t *row;
    json_array_foreach(result, i, row) check_row(row);
    json_decref(j);
}
