/* The logs rows the REST API writes (event_logger.log_this_with_context):
 * the model engine's list, get, post, put, delete and bulk delete, a custom
 * endpoint, an error answer of a logged view; none for requests rejected
 * before the view (401, 403, rison errors) nor for FAB's own APIs. Rows are
 * written after the response, so each check waits for them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

static long long max_log_id(void) { return atoll(rest_sql("SELECT coalesce(max(id), 0) FROM logs")); }

/* The id of the first row after `after` with this action, waiting up to 5 s; 0: none. */
static long long wait_row(long long after, const char *action) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT coalesce(min(id), 0) FROM logs WHERE id > %lld AND action = '%s'", after, action);
    for (int i = 0; i < 100; i++) {
        long long id = atoll(rest_sql(sql));
        if (id) return id;
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    return 0;
}

static const char *row_field(long long id, const char *expr) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM logs WHERE id = %lld", expr, id);
    return rest_sql(sql);
}

/* The row of the next `action` after `after`: its json text equals want,
 * its user is user_id, its duration is set. Returns its id. */
static long long expect_row(long long after, const char *action, const char *user_id, const char *want) {
    long long id = wait_row(after, action);
    cr_assert(id, "no logs row for %s", action);
    cr_assert_str_eq(row_field(id, "json"), want, "%s", action);
    cr_assert_str_eq(row_field(id, "user_id"), user_id, "%s", action);
    cr_assert_str_eq(row_field(id, "duration_ms IS NOT NULL AND duration_ms >= 0"), "t", "%s", action);
    return id;
}

/* A marker request whose row is waited for: rows of earlier requests are in by then. */
static long long settle(rest_session_t *s) {
    long long before = max_log_id();
    json_decref(rest_expect(s, "GET", "/api/v1/advanced_data_type/types", NULL, 200));
    long long id = wait_row(before, "AdvancedDataTypeRestApi.get");
    cr_assert(id, "the marker request is logged");
    return id;
}

/* Sends one request, asserting its status, and expects its logs row; the row's id. */
static long long call_logged(rest_session_t *s, const char *method, const char *path, const char *body, int status,
                             const char *action, const char *user_id, const char *want) {
    long long mark = max_log_id();
    json_decref(rest_expect(s, method, path, body, status));
    return expect_row(mark, action, user_id, want);
}

static long long rows_between(long long from, long long to, const char *like) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM logs WHERE id > %lld AND id < %lld AND json LIKE '%s'", from, to,
             like);
    return atoll(rest_sql(sql));
}

Test(event_log, model_engine_rows) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    rest_sql("DELETE FROM css_templates WHERE template_name = 'evlog_t'");
    char want[1024], path[128];

    call_logged(&s, "GET", "/api/v1/css_template/?q=(page_size:5)", NULL, 200, "CssTemplateRestApi.get_list", admin_id,
                "{\"path\": \"/api/v1/css_template/\", \"q\": \"(page_size:5)\", \"object_ref\": "
                "\"BaseSupersetModelRestApi.get_list_headless\", \"rison\": {\"page_size\": 5}}");

    long long mark = max_log_id();
    json_t *j = rest_expect(&s, "POST", "/api/v1/css_template/", "{\"template_name\": \"evlog_t\", \"css\": \"a{}\"}", 201);
    long long id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    expect_row(mark, "CssTemplateRestApi.post", admin_id,
               "{\"path\": \"/api/v1/css_template/\", \"template_name\": \"evlog_t\", \"css\": \"a{}\", "
               "\"object_ref\": \"BaseSupersetModelRestApi.post_headless\"}");

    /* the base get/put/delete get the pk positionally: not in the payload */
    snprintf(path, sizeof path, "/api/v1/css_template/%lld", id);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/css_template/%lld\", \"url_rule\": \"/api/v1/css_template/<int:pk>\", "
             "\"object_ref\": \"BaseSupersetModelRestApi.get_headless\", \"rison\": {}}",
             id);
    call_logged(&s, "GET", path, NULL, 200, "CssTemplateRestApi.get", admin_id, want);

    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/css_template/%lld\", \"css\": \"b{}\", \"url_rule\": \"/api/v1/css_template/<pk>\", "
             "\"object_ref\": \"BaseSupersetModelRestApi.put_headless\"}",
             id);
    call_logged(&s, "PUT", path, "{\"css\": \"b{}\"}", 200, "CssTemplateRestApi.put", admin_id, want);

    /* an error answer of the view is logged */
    call_logged(&s, "GET", "/api/v1/css_template/99999999", NULL, 404, "CssTemplateRestApi.get", admin_id,
                "{\"path\": \"/api/v1/css_template/99999999\", \"url_rule\": \"/api/v1/css_template/<int:pk>\", "
                "\"object_ref\": \"BaseSupersetModelRestApi.get_headless\", \"rison\": {}}");

    /* the class's own bulk delete: its qualified name, the parsed ids as rison */
    snprintf(path, sizeof path, "/api/v1/css_template/?q=!(%lld)", id);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/css_template/\", \"q\": \"!(%lld)\", \"object_ref\": "
             "\"CssTemplateRestApi.bulk_delete\", \"rison\": [%lld]}",
             id, id);
    call_logged(&s, "DELETE", path, NULL, 200, "CssTemplateRestApi.bulk_delete", admin_id, want);
}

Test(event_log, rejected_before_the_view) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    long long from = settle(&s);
    /* @protect: 401 without credentials */
    http_response_t *r = http_get("/api/v1/css_template/?q=(page_size:3)");
    cr_assert_eq(r->status, 401);
    http_free(r);
    /* @rison: a schema error */
    json_decref(rest_expect(&s, "GET", "/api/v1/css_template/?q=(page_size:'x')", NULL, 400));
    json_decref(rest_expect(&s, "GET", "/api/v1/css_template/?q=(a:b", NULL, 400));
    /* a FAB class (SupersetRoleApi) is not logged */
    json_decref(rest_expect(&s, "GET", "/api/v1/security/roles/", NULL, 200));
    /* related is not decorated */
    json_decref(rest_expect(&s, "GET", "/api/v1/css_template/related/created_by", NULL, 200));
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%/api/v1/css_template/%"), 0);
    cr_assert_eq(rows_between(from, to, "%/api/v1/security/roles/%"), 0);
}

Test(event_log, gamma_rows_and_403) {
    rest_create_user("Gamma", "evlog_gamma");
    char uid[32];
    snprintf(uid, sizeof uid, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'evlog_gamma'"));
    rest_session_t g;
    rest_open(&g, "evlog_gamma", "evlog_gamma");
    long long mark = max_log_id();
    json_decref(rest_expect(&g, "GET", "/api/v1/chart/?q=(page_size:1)", NULL, 200));
    expect_row(mark, "ChartRestApi.get_list", uid,
               "{\"path\": \"/api/v1/chart/\", \"q\": \"(page_size:1)\", \"object_ref\": "
               "\"BaseSupersetModelRestApi.get_list_headless\", \"rison\": {\"page_size\": 1}}");
    /* Gamma may not write css templates: @protect answers 403 before the view */
    long long from = settle(&g);
    json_decref(rest_expect(&g, "POST", "/api/v1/css_template/", "{\"template_name\": \"evlog_g\"}", 403));
    long long to = settle(&g);
    cr_assert_eq(rows_between(from, to, "%/api/v1/css_template/%"), 0);
}

Test(event_log, custom_endpoint_row) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    call_logged(&s, "GET", "/api/v1/advanced_data_type/types", NULL, 200, "AdvancedDataTypeRestApi.get", admin_id,
                "{\"path\": \"/api/v1/advanced_data_type/types\", \"object_ref\": "
                "\"AdvancedDataTypeRestApi.get_types\"}");
    /* the view's 400 for a bad body is logged; a body that is not JSON is not */
    call_logged(&s, "POST", "/api/v1/cachekey/invalidate", "{\"datasource_uids\": 5}", 400, "invalidate", admin_id,
                "{\"path\": \"/api/v1/cachekey/invalidate\", \"datasource_uids\": 5, \"object_ref\": "
                "\"CacheRestApi.invalidate\"}");
}

Test(event_log, chart_custom_routes) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32], chart[32], want[1024], path[128];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    rest_sql("DELETE FROM slices WHERE slice_name = 'evlog_chart'");
    snprintf(chart, sizeof chart, "%s",
             rest_sql("INSERT INTO slices (slice_name, viz_type, created_on, changed_on, uuid)"
                      " VALUES ('evlog_chart', 'table', now(), now(), gen_random_uuid()) RETURNING id"));

    /* path parameters are view kwargs: id_or_uuid as text */
    snprintf(path, sizeof path, "/api/v1/chart/%s", chart);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/chart/%s\", \"url_rule\": \"/api/v1/chart/<id_or_uuid>\", \"object_ref\": "
             "\"ChartRestApi.get\", \"id_or_uuid\": \"%s\"}",
             chart, chart);
    call_logged(&s, "GET", path, NULL, 200, "ChartRestApi.get", admin_id, want);

    /* @rison outside the logger: the parsed ids are a kwarg */
    snprintf(path, sizeof path, "/api/v1/chart/favorite_status/?q=!(%s)", chart);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/chart/favorite_status/\", \"q\": \"!(%s)\", \"object_ref\": "
             "\"ChartRestApi.favorite_status\", \"rison\": [%s]}",
             chart, chart);
    call_logged(&s, "GET", path, NULL, 200, "ChartRestApi.favorite_status", admin_id, want);

    snprintf(path, sizeof path, "/api/v1/chart/%s/favorites/", chart);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/chart/%s/favorites/\", \"url_rule\": \"/api/v1/chart/<pk>/favorites/\", "
             "\"object_ref\": \"ChartRestApi.add_favorite\", \"pk\": \"%s\"}",
             chart, chart);
    call_logged(&s, "POST", path, NULL, 200, "ChartRestApi.add_favorite", admin_id, want);
    json_decref(rest_expect(&s, "DELETE", path, NULL, 200));

    /* a rison error is answered by @rison: no row */
    long long from = settle(&s);
    json_decref(rest_expect(&s, "GET", "/api/v1/chart/favorite_status/?q=!(x)", NULL, 400));
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%favorite_status%"), 0);
    rest_sql("DELETE FROM slices WHERE slice_name = 'evlog_chart'");
}

Test(event_log, dashboard_custom_routes) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32], dash[32], want[1024], path[160];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    rest_sql("DELETE FROM dashboards WHERE slug = 'evlog-dash'");
    snprintf(dash, sizeof dash, "%s",
             rest_sql("INSERT INTO dashboards (dashboard_title, slug, published, created_on, changed_on, uuid)"
                      " VALUES ('evlog_dash', 'evlog-dash', true, now(), now(), gen_random_uuid()) RETURNING id"));

    /* with_dashboard hands the dashboard over positionally; the view adds its id */
    snprintf(path, sizeof path, "/api/v1/dashboard/%s", dash);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/dashboard/%s\", \"url_rule\": \"/api/v1/dashboard/<id_or_slug>\", \"object_ref\": "
             "\"DashboardRestApi.get\", \"dashboard_id\": %s}",
             dash, dash);
    long long id = call_logged(&s, "GET", path, NULL, 200, "DashboardRestApi.get", admin_id, want);
    cr_assert_str_eq(row_field(id, "dashboard_id"), dash);

    /* the other views get id_or_slug / pk as text */
    call_logged(&s, "GET", "/api/v1/dashboard/evlog-dash/charts", NULL, 200, "DashboardRestApi.get_charts", admin_id,
                "{\"path\": \"/api/v1/dashboard/evlog-dash/charts\", \"url_rule\": "
                "\"/api/v1/dashboard/<id_or_slug>/charts\", \"object_ref\": \"DashboardRestApi.get_charts\", "
                "\"id_or_slug\": \"evlog-dash\"}");

    snprintf(path, sizeof path, "/api/v1/dashboard/%s", dash);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/dashboard/%s\", \"dashboard_title\": \"evlog_dash2\", \"url_rule\": "
             "\"/api/v1/dashboard/<pk>\", \"object_ref\": \"DashboardRestApi.put\", \"pk\": \"%s\"}",
             dash, dash);
    call_logged(&s, "PUT", path, "{\"dashboard_title\": \"evlog_dash2\"}", 200, "DashboardRestApi.put", admin_id, want);

    snprintf(path, sizeof path, "/api/v1/dashboard/favorite_status/?q=!(%s)", dash);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/dashboard/favorite_status/\", \"q\": \"!(%s)\", \"object_ref\": "
             "\"DashboardRestApi.favorite_status\", \"rison\": [%s]}",
             dash, dash);
    call_logged(&s, "GET", path, NULL, 200, "DashboardRestApi.favorite_status", admin_id, want);

    /* with_dashboard inside the logger: the embedded view's 404 is logged */
    call_logged(&s, "GET", "/api/v1/dashboard/99999999/embedded", NULL, 404, "DashboardRestApi.get_embedded", admin_id,
                "{\"path\": \"/api/v1/dashboard/99999999/embedded\", \"url_rule\": "
                "\"/api/v1/dashboard/<id_or_slug>/embedded\", \"object_ref\": \"DashboardRestApi.get_embedded\", "
                "\"id_or_slug\": \"99999999\"}");

    /* no row: get's with_dashboard 404, get_datasets' raised 404, a rison
     * error, an unparsable body (raised under @safe), 401, Gamma's 403 */
    rest_create_user("Gamma", "evlog_gamma_d");
    rest_session_t g;
    rest_open(&g, "evlog_gamma_d", "evlog_gamma_d");
    long long from = settle(&s);
    json_decref(rest_expect(&s, "GET", "/api/v1/dashboard/99999999", NULL, 404));
    json_decref(rest_expect(&s, "GET", "/api/v1/dashboard/99999999/datasets", NULL, 404));
    json_decref(rest_expect(&s, "DELETE", "/api/v1/dashboard/?q=!(x)", NULL, 400));
    json_decref(rest_expect(&s, "POST", "/api/v1/dashboard/", "{bad", 500));
    http_response_t *r = http_get("/api/v1/dashboard/evlog-dash/tabs");
    cr_assert_eq(r->status, 401);
    http_free(r);
    snprintf(path, sizeof path, "/api/v1/dashboard/%s/embedded", dash);
    json_decref(rest_expect(&g, "DELETE", path, NULL, 403));
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%/api/v1/dashboard/%"), 0);
    rest_sql("DELETE FROM dashboards WHERE slug = 'evlog-dash'");
}

Test(event_log, dataset_custom_routes) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));

    /* the view's own answers are logged, pk as text */
    call_logged(&s, "PUT", "/api/v1/dataset/99999999", "{\"description\": \"d\"}", 404, "DatasetRestApi.put", admin_id,
                "{\"path\": \"/api/v1/dataset/99999999\", \"description\": \"d\", \"url_rule\": "
                "\"/api/v1/dataset/<pk>\", \"object_ref\": \"DatasetRestApi.put\", \"pk\": \"99999999\"}");

    call_logged(&s, "GET", "/api/v1/dataset/99999999/related_objects", NULL, 404, "DatasetRestApi.related_objects", admin_id,
                "{\"path\": \"/api/v1/dataset/99999999/related_objects\", \"url_rule\": "
                "\"/api/v1/dataset/<pk>/related_objects\", \"object_ref\": \"DatasetRestApi.related_objects\", "
                "\"pk\": \"99999999\"}");

    call_logged(&s, "POST", "/api/v1/dataset/", "{\"table_name\": \"evlog_ds\"}", 400, "DatasetRestApi.post", admin_id,
                "{\"path\": \"/api/v1/dataset/\", \"table_name\": \"evlog_ds\", \"object_ref\": "
                "\"DatasetRestApi.post\"}");

    /* <int:pk> is an int; @rison's empty default is a kwarg too */
    call_logged(&s, "GET", "/api/v1/dataset/99999999/drill_info/", NULL, 404, "DatasetRestApi.get_drill_info", admin_id,
                "{\"path\": \"/api/v1/dataset/99999999/drill_info/\", \"url_rule\": "
                "\"/api/v1/dataset/<int:pk>/drill_info/\", \"object_ref\": \"DatasetRestApi.get_drill_info\", "
                "\"pk\": 99999999, \"rison\": {}}");

    /* no row: a rison error, an unparsable body, Gamma's 403, a column delete (not logged) */
    rest_create_user("Gamma", "evlog_gamma_ds");
    rest_session_t g;
    rest_open(&g, "evlog_gamma_ds", "evlog_gamma_ds");
    long long from = settle(&s);
    json_decref(rest_expect(&s, "GET", "/api/v1/dataset/1/drill_info/?q=(dashboard_id:'x')", NULL, 400));
    json_decref(rest_expect(&s, "POST", "/api/v1/dataset/", "{bad", 400));
    json_decref(rest_expect(&s, "DELETE", "/api/v1/dataset/99999999/column/1", NULL, 404));
    json_decref(rest_expect(&g, "PUT", "/api/v1/dataset/99999999", "{}", 403));
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%/api/v1/dataset/%"), 0);
}

Test(event_log, export_rows) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32], dash[32], want[1024], path[160];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    rest_sql("DELETE FROM dashboards WHERE slug = 'evlog-exp'");
    snprintf(dash, sizeof dash, "%s",
             rest_sql("INSERT INTO dashboards (dashboard_title, slug, published, created_on, changed_on, uuid)"
                      " VALUES ('evlog_exp', 'evlog-exp', true, now(), now(), gen_random_uuid()) RETURNING id"));

    /* @rison is outside the logger: its ids are a kwarg */
    long long mark = max_log_id();
    snprintf(path, sizeof path, "/api/v1/dashboard/export/?q=!(%s)", dash);
    const char *const h[] = {s.bearer, s.cookie, NULL};
    http_response_t *r = http_request("GET", path, h, NULL, 0);
    cr_assert(r && r->status == 200, "the export answers a zip");
    http_free(r);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/dashboard/export/\", \"q\": \"!(%s)\", \"object_ref\": "
             "\"DashboardRestApi.export\", \"rison\": [%s]}",
             dash, dash);
    expect_row(mark, "DashboardRestApi.export", admin_id, want);

    call_logged(&s, "GET", "/api/v1/dataset/export/?q=!(99999999)", NULL, 404, "DatasetRestApi.export", admin_id,
                "{\"path\": \"/api/v1/dataset/export/\", \"q\": \"!(99999999)\", \"object_ref\": "
                "\"DatasetRestApi.export\", \"rison\": [99999999]}");

    long long from = settle(&s);
    json_decref(rest_expect(&s, "GET", "/api/v1/dashboard/export/?q=!(x)", NULL, 400));
    json_decref(rest_expect(&s, "GET", "/api/v1/dataset/export/?q=(a:1)", NULL, 400));
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%/export/%"), 0);
    rest_sql("DELETE FROM dashboards WHERE slug = 'evlog-exp'");
}

Test(event_log, remaining_export_rows) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));

    /* a 404 from inside the logged view still writes its row, with the @rison ids */
    static const char *const groups[][2] = {
        {"chart", "ChartRestApi.export"}, {"database", "DatabaseRestApi.export"}, {"theme", "ThemeRestApi.export"}};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        char path[160], want[512];
        snprintf(path, sizeof path, "/api/v1/%s/export/?q=!(99999999)", groups[i][0]);
        snprintf(want, sizeof want,
                 "{\"path\": \"/api/v1/%s/export/\", \"q\": \"!(99999999)\", \"object_ref\": \"%s\", "
                 "\"rison\": [99999999]}",
                 groups[i][0], groups[i][1]);
        call_logged(&s, "GET", path, NULL, 404, groups[i][1], admin_id, want);
    }

    /* the asset export has no @rison: only the path */
    long long mark = max_log_id();
    const char *const h[] = {s.bearer, s.cookie, NULL};
    http_response_t *r = http_request("GET", "/api/v1/assets/export/", h, NULL, 0);
    cr_assert(r && r->status == 200, "the asset export answers a zip");
    http_free(r);
    expect_row(mark, "ImportExportRestApi.export", admin_id,
               "{\"path\": \"/api/v1/assets/export/\", \"object_ref\": \"ImportExportRestApi.export\"}");

    /* rison rejections and the saved-query export (no logger in the reference) write none */
    long long from = settle(&s);
    json_decref(rest_expect(&s, "GET", "/api/v1/chart/export/?q=!(x)", NULL, 400));
    json_decref(rest_expect(&s, "GET", "/api/v1/database/export/?q=(a:1)", NULL, 400));
    json_decref(rest_expect(&s, "GET", "/api/v1/theme/export/?q=!(x)", NULL, 400));
    json_decref(rest_expect(&s, "GET", "/api/v1/saved_query/export/?q=!(99999999)", NULL, 404));
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%/export/%"), 0);
}

Test(event_log, tag_custom_routes) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32], tag[32], want[1024], path[160];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    rest_sql("DELETE FROM tag WHERE name IN ('evlog_tag', 'evlog_tag2')");

    /* the JSON body's keys are in the payload */
    call_logged(&s, "POST", "/api/v1/tag/", "{\"name\": \"evlog_tag\"}", 201, "TagRestApi.post", admin_id,
                "{\"path\": \"/api/v1/tag/\", \"name\": \"evlog_tag\", \"object_ref\": \"TagRestApi.post\"}");
    snprintf(tag, sizeof tag, "%s", rest_sql("SELECT id FROM tag WHERE name = 'evlog_tag'"));

    snprintf(path, sizeof path, "/api/v1/tag/%s", tag);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/tag/%s\", \"name\": \"evlog_tag2\", \"url_rule\": \"/api/v1/tag/<pk>\", "
             "\"object_ref\": \"TagRestApi.put\", \"pk\": \"%s\"}",
             tag, tag);
    call_logged(&s, "PUT", path, "{\"name\": \"evlog_tag2\"}", 200, "TagRestApi.put", admin_id, want);

    snprintf(path, sizeof path, "/api/v1/tag/%s/favorites/", tag);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/tag/%s/favorites/\", \"url_rule\": \"/api/v1/tag/<pk>/favorites/\", "
             "\"object_ref\": \"TagRestApi.add_favorite\", \"pk\": \"%s\"}",
             tag, tag);
    call_logged(&s, "POST", path, NULL, 200, "TagRestApi.add_favorite", admin_id, want);

    snprintf(path, sizeof path, "/api/v1/tag/favorite_status/?q=!(%s)", tag);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/tag/favorite_status/\", \"q\": \"!(%s)\", \"object_ref\": "
             "\"TagRestApi.favorite_status\", \"rison\": [%s]}",
             tag, tag);
    call_logged(&s, "GET", path, NULL, 200, "TagRestApi.favorite_status", admin_id, want);

    /* <int:> path parameters are ints; an error answer of the view is logged */
    call_logged(&s, "DELETE", "/api/v1/tag/1/99999999/nope/", NULL, 422, "TagRestApi.delete_object", admin_id,
                "{\"path\": \"/api/v1/tag/1/99999999/nope/\", \"url_rule\": "
                "\"/api/v1/tag/<int:object_type>/<int:object_id>/<tag>/\", \"object_ref\": "
                "\"TagRestApi.delete_object\", \"object_type\": 1, \"object_id\": 99999999, \"tag\": \"nope\"}");

    call_logged(&s, "GET", "/api/v1/tag/get_objects/?tags=evlog_tag2", NULL, 200, "TagRestApi.get_objects", admin_id,
                "{\"path\": \"/api/v1/tag/get_objects/\", \"tags\": \"evlog_tag2\", \"object_ref\": "
                "\"TagRestApi.get_objects\"}");

    /* the base class's delete gets the pk positionally */
    snprintf(path, sizeof path, "/api/v1/tag/%s", tag);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/tag/%s\", \"url_rule\": \"/api/v1/tag/<pk>\", \"object_ref\": "
             "\"BaseSupersetModelRestApi.delete_headless\"}",
             tag);
    call_logged(&s, "DELETE", path, NULL, 200, "TagRestApi.delete", admin_id, want);

    /* rison rejections, bodies that are not JSON and @safe's 500s write none */
    long long from = settle(&s);
    json_decref(rest_expect(&s, "GET", "/api/v1/tag/favorite_status/?q=!(x)", NULL, 400));
    json_decref(rest_expect(&s, "DELETE", "/api/v1/tag/?q=(a:1)", NULL, 400));
    json_decref(rest_expect(&s, "POST", "/api/v1/tag/", "{bad", 400));
    json_decref(rest_expect(&s, "GET", "/api/v1/tag/get_objects/?types=nope", NULL, 500));
    json_decref(rest_expect(&s, "DELETE", "/api/v1/tag/99999999/favorites/", NULL, 404)); /* logged */
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%/api/v1/tag/%"), 1);
    cr_assert_eq(rows_between(from, to, "%/api/v1/tag/99999999/favorites/%"), 1);
    rest_sql("DELETE FROM tag WHERE name IN ('evlog_tag', 'evlog_tag2')");
}

Test(event_log, theme_custom_routes) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    char admin_id[32], theme[32], want[1024], path[160];
    snprintf(admin_id, sizeof admin_id, "%s", rest_sql("SELECT id FROM ab_user WHERE username = 'admin'"));
    rest_sql("DELETE FROM themes WHERE theme_name LIKE 'evlog_theme%'");

    call_logged(&s, "POST", "/api/v1/theme/", "{\"theme_name\": \"evlog_theme\", \"json_data\": \"{}\"}", 201,
                "ThemeRestApi.post", admin_id,
                "{\"path\": \"/api/v1/theme/\", \"theme_name\": \"evlog_theme\", \"json_data\": \"{}\", "
                "\"object_ref\": \"ThemeRestApi.post\"}");
    snprintf(theme, sizeof theme, "%s", rest_sql("SELECT id FROM themes WHERE theme_name = 'evlog_theme'"));

    /* <int:pk>: the pk is an int */
    snprintf(path, sizeof path, "/api/v1/theme/%s", theme);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/theme/%s\", \"theme_name\": \"evlog_theme2\", \"json_data\": \"{}\", "
             "\"url_rule\": \"/api/v1/theme/<int:pk>\", \"object_ref\": \"ThemeRestApi.put\", \"pk\": %s}",
             theme, theme);
    call_logged(&s, "PUT", path, "{\"theme_name\": \"evlog_theme2\", \"json_data\": \"{}\"}", 200, "ThemeRestApi.put",
                admin_id, want);

    /* the view's own 404 is logged */
    call_logged(&s, "PUT", "/api/v1/theme/99999999/set_system_dark", NULL, 404, "ThemeRestApi.set_system_dark", admin_id,
                "{\"path\": \"/api/v1/theme/99999999/set_system_dark\", \"url_rule\": "
                "\"/api/v1/theme/<int:pk>/set_system_dark\", \"object_ref\": \"ThemeRestApi.set_system_dark\", "
                "\"pk\": 99999999}");

    /* the logger is outside @rison: a rejection is logged, and no ids are a kwarg */
    call_logged(&s, "DELETE", "/api/v1/theme/?q=!(x)", NULL, 400, "ThemeRestApi.bulk_delete", admin_id,
                "{\"path\": \"/api/v1/theme/\", \"q\": \"!(x)\", \"object_ref\": \"ThemeRestApi.bulk_delete\"}");

    snprintf(path, sizeof path, "/api/v1/theme/%s", theme);
    snprintf(want, sizeof want,
             "{\"path\": \"/api/v1/theme/%s\", \"url_rule\": \"/api/v1/theme/<int:pk>\", \"object_ref\": "
             "\"ThemeRestApi.delete\", \"pk\": %s}",
             theme, theme);
    call_logged(&s, "DELETE", path, NULL, 200, "ThemeRestApi.delete", admin_id, want);

    /* a body that is not JSON raises through the logger; a non-integer pk matches no route */
    long long from = settle(&s);
    json_decref(rest_expect(&s, "POST", "/api/v1/theme/", "{bad", 400));
    json_decref(rest_expect(&s, "PUT", "/api/v1/theme/abc", "{\"theme_name\": \"x\", \"json_data\": \"{}\"}", 404));
    long long to = settle(&s);
    cr_assert_eq(rows_between(from, to, "%/api/v1/theme/%"), 0);
    rest_sql("DELETE FROM themes WHERE theme_name LIKE 'evlog_theme%'");
}
