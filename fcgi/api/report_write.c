/* POST /api/v1/report/ and PUT /api/v1/report/<pk>: Superset's
 * CreateReportScheduleCommand / UpdateReportScheduleCommand after the
 * schema load (report_schema.c): unique name per type, the database of
 * alerts, one chart or one dashboard visible to the caller, one report per
 * chart/dashboard and user unless made in the alerts UI (409), owners, the
 * ownership rule on updates (403), then the row, its owners and recipients
 * in one transaction. Command errors answer 422 {"message": {field: [..]}},
 * including schedules firing more often than ALERT_MINIMUM_INTERVAL /
 * REPORT_MINIMUM_INTERVAL allow (the checks live in report_checks.c). */
#include <string.h>

#include "domain/access.h"
#include "domain/security.h"
#include "fcgi/api/data_access_filter.h"
#include "fcgi/api/report.h"
#include "fcgi/api/report_checks.h"
#include "fcgi/api/report_schema.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "persistence/models.h"

#define JSON_UTF8 "application/json; charset=utf-8"

static const char *num(request_t *req, long long v) { return arena_sprintf(req->arena, "%lld", v); }
static long long uid(const request_t *req) { return req->user ? (long long)req->user->id : 0; }

/* A SIP-40 error body as Superset's app-level handlers write it. */
static void sip40(request_t *req, int status, const char *message, const char *type, const char *level, int code,
                  const char *issue) {
    json_t *body = json_pack("{s:[{s:s,s:s,s:s,s:{s:[{s:i,s:s}]}}]}", "errors", "message", message, "error_type", type,
                             "level", level, "extra", "issue_codes", "code", code, "message", issue);
    resp_json(req, status, body, JSON_ENSURE_ASCII);
    resp_set_header(req, "Content-Type", JSON_UTF8);
}

/* The body for POST (no @safe: errors reach the app handlers) or PUT (@safe). */
static json_t *body_of(request_t *req, bool is_post) {
    if (!req_is_json(req)) {
        if (is_post)
            sip40(req, 400, "Request is not JSON", "INVALID_PAYLOAD_FORMAT_ERROR", "error", 1019,
                  "Issue 1019 - The submitted payload has the incorrect format.");
        else error_fab(req, 500, "Fatal error");
        return NULL;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        if (is_post) error_http(req, 400);
        else error_fab(req, 400, "400 Bad Request: The browser (or proxy) sent a request that this server could not understand.");
        return NULL;
    }
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, body);
    return body;
}

/* Uncaught command failures: PUT's @safe answers {"message": "Fatal error"},
 * POST falls through to the app's 500 handler. */
static void fatal(request_t *req, bool is_post) {
    if (is_post) error_http(req, 500);
    else error_fab(req, 500, "Fatal error");
}

/* Column values to write, in SQL text form (NULL = SQL NULL). */
typedef struct column_value {
    const char *col;
    const char *value;
} column_value_t;

static const char *text_of(request_t *req, const json_t *v) {
    if (!v || json_is_null(v)) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_true(v)) return "true";
    if (json_is_false(v)) return "false";
    if (json_is_integer(v)) return num(req, json_integer_value(v));
    return json_dump_arena(req->arena, v, JSON_PY_DEFAULT, NULL);
}

/* The plain columns the item sets (keys present in props). */
static size_t columns_of(request_t *req, json_t *props, column_value_t *out) {
    static const struct {
        const char *key, *col;
    } map[] = {
        {"type", "type"}, {"name", "name"}, {"description", "description"}, {"context_markdown", "context_markdown"},
        {"active", "active"}, {"crontab", "crontab"}, {"creation_method", "creation_method"}, {"timezone", "timezone"},
        {"report_format", "report_format"}, {"sql", "sql"}, {"chart", "chart_id"}, {"dashboard", "dashboard_id"},
        {"database", "database_id"}, {"validator_type", "validator_type"},
        {"validator_config_json", "validator_config_json"}, {"log_retention", "log_retention"},
        {"grace_period", "grace_period"}, {"working_timeout", "working_timeout"},
        {"force_screenshot", "force_screenshot"}, {"custom_width", "custom_width"}, {"email_subject", "email_subject"},
        {"extra", "extra_json"}, {"last_state", "last_state"},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        json_t *v = json_object_get(props, map[i].key);
        if (!v) continue;
        out[n].col = map[i].col;
        out[n].value = text_of(req, v);
        n++;
    }
    return n;
}

/* Owners and (when given and not empty) recipients of schedule id. */
static bool write_links(request_t *req, pg_conn_t *c, long long id, json_t *owners, json_t *recipients, pg_error_t *err) {
    const char *p[] = {num(req, id), json_dump_arena(req->arena, owners, JSON_COMPACT, NULL), num(req, uid(req))};
    bool ok = pg_conn_query(c, req->arena, err, "DELETE FROM report_schedule_user WHERE report_schedule_id = $1::int", 1, p) &&
              pg_conn_query(c, req->arena, err,
                            "INSERT INTO report_schedule_user (user_id, report_schedule_id) SELECT DISTINCT x::int, $1::int"
                            " FROM jsonb_array_elements_text($2::jsonb) e(x)", 2, p);
    if (!ok || !json_array_size(recipients)) return ok;
    ok = pg_conn_query(c, req->arena, err, "DELETE FROM report_recipient WHERE report_schedule_id = $1::int", 1, p) != NULL;
    size_t i;
    json_t *r;
    json_array_foreach(recipients, i, r) {
        const char *q[] = {num(req, id), json_string_value(json_object_get(r, "type")),
                           json_dump_arena(req->arena, json_object_get(r, "recipient_config_json"), JSON_PY_DEFAULT, NULL),
                           num(req, uid(req))};
        ok = ok && pg_conn_query(c, req->arena, err,
                                 "INSERT INTO report_recipient (type, recipient_config_json, report_schedule_id, created_on,"
                                 " changed_on, created_by_fk, changed_by_fk) VALUES ($2, $3, $1::int, localtimestamp,"
                                 " localtimestamp, nullif($4::int, 0), nullif($4::int, 0))", 4, q);
    }
    return ok;
}

void report_post(request_t *req) {
    json_t *body = body_of(req, true), *item;
    if (!body) return;
    bool db_error;
    json_t *errors = report_schema_load(req, body, true, &item, &db_error);
    if (db_error) return json_decref(errors), fatal(req, true);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    report_state_t st = {.props = json_deep_copy(item)};
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, st.props);
    json_t *props = st.props;
    st.type = json_string_value(json_object_get(props, "type"));
    st.name = json_string_value(json_object_get(props, "name"));
    errors = json_object();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, errors);
    int taken = report_name_taken(req, st.name, st.type, -1);
    if (taken < 0) return fatal(req, true);
    if (taken) report_name_error(req, errors, st.name, st.type);
    if (!strcmp(st.type, "Alert")) {
        json_t *db = json_object_get(props, "database");
        if (!db) report_set_msg(errors, "database", "Database is required for alerts");
        else {
            int64_t n = report_visible(req, &model_database, data_access_database_filter, json_integer_value(db));
            if (n < 0) return fatal(req, true);
            if (!n) report_set_msg(errors, "database", "Database does not exist");
        }
    }
    report_check_frequency(req, json_string_value(json_object_get(props, "crontab")), st.type, errors);
    if (!report_check_chart_dashboard(req, props, false, errors)) return fatal(req, true);
    if (report_check_extra_tabs(req, props, errors) < 0) return fatal(req, true);
    const char *method = json_string_value(json_object_get(props, "creation_method"));
    if (!method || strcmp(method, "alerts_reports")) { /* validate_unique_creation_method */
        json_t *chart = json_object_get(props, "chart"), *dash = json_object_get(props, "dashboard");
        const char *p[] = {num(req, uid(req)), dash && !json_is_null(dash) ? num(req, json_integer_value(dash)) : NULL,
                           chart && !json_is_null(chart) ? num(req, json_integer_value(chart)) : NULL};
        pg_error_t err;
        pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                                  "SELECT EXISTS (SELECT 1 FROM report_schedule WHERE created_by_fk = $1::int"
                                  " AND ($2::int IS NULL OR dashboard_id = $2::int) AND ($3::int IS NULL OR chart_id = $3::int))",
                                  3, p);
        if (!r) return fatal(req, true);
        if (pg_get_bool(r, 0, 0, false) && req_accepts(req, "text/html") && !config_bool(req->cfg, "DEBUG", false) &&
            app_error_pages(req->app)->html_500)
            return error_http(req, 500); /* the CommandException handler serves the 500 page to browsers */
        if (pg_get_bool(r, 0, 0, false))
            return sip40(req, 409, "Resource already has an attached report.", "GENERIC_COMMAND_ERROR", "warning", 1010,
                         "Issue 1010 - Superset encountered an error while running a command.");
    }
    if (!report_owners_of(req, json_object_get(props, "owners"), true, &st, errors)) return fatal(req, true);
    if (json_object_size(errors)) return resp_json(req, 422, json_pack("{s:O}", "message", errors), JSON_FLASK);
    if (json_object_get(props, "recipients"))
        for (size_t i = 0; i < json_array_size(json_object_get(props, "recipients")); i++)
            if (!json_object_get(json_array_get(json_object_get(props, "recipients"), i), "recipient_config_json"))
                return fatal(req, true); /* the DAO reads recipient["recipient_config_json"] */

    /* defaults of the model's columns for what the item leaves out */
    static const struct {
        const char *key;
        const char *json;
    } defaults[] = {
        {"active", "true"}, {"timezone", "\"UTC\""}, {"report_format", "\"PNG\""}, {"last_state", "\"Not triggered\""},
        {"validator_config_json", "\"{}\""}, {"log_retention", "90"}, {"grace_period", "14400"},
        {"working_timeout", "3600"}, {"force_screenshot", "false"}, {"extra", "\"{}\""},
        {"creation_method", "\"alerts_reports\""},
    };
    json_t *vc = json_object_get(props, "validator_config_json");
    if (vc) json_object_set_new(props, "validator_config_json", json_string(json_dump_arena(req->arena, vc, JSON_PY_DEFAULT, NULL)));
    json_t *extra = json_object_get(props, "extra");
    if (extra) json_object_set_new(props, "extra", json_string(json_dump_arena(req->arena, extra, JSON_PY_DEFAULT, NULL)));
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (!json_object_get(props, defaults[i].key))
            json_object_set_new(props, defaults[i].key, json_loads(defaults[i].json, JSON_DECODE_ANY, NULL));
    column_value_t cols[32];
    size_t n = columns_of(req, props, cols);
    strbuf_t names, values;
    strbuf_init_arena(&names, req->arena, 256);
    strbuf_init_arena(&values, req->arena, 256);
    const char *params[40];
    for (size_t i = 0; i < n; i++) {
        strbuf_printf(&names, "\"%s\", ", cols[i].col);
        const model_col_t *mc = model_col(&model_report_schedule, cols[i].col);
        const char *cast = mc->type == COL_INT ? "::int" : mc->type == COL_BOOL ? "::bool" : "";
        strbuf_printf(&values, "$%zu%s, ", i + 1, cast);
        params[i] = cols[i].value;
    }
    params[n] = num(req, uid(req));
    const char *sql = arena_sprintf(req->arena,
                                    "INSERT INTO report_schedule (%screated_on, changed_on, created_by_fk, changed_by_fk)"
                                    " VALUES (%slocaltimestamp, localtimestamp, nullif($%zu::int, 0), nullif($%zu::int, 0))"
                                    " RETURNING id", names.data, values.data, n + 1, n + 1);
    pg_error_t err;
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    pg_result_t *r = ok ? pg_conn_query(c, req->arena, &err, sql, (int)n + 1, params) : NULL;
    long long id = r ? pg_get_int(r, 0, 0, 0) : 0;
    ok = r && write_links(req, c, id, st.owners, json_object_get(props, "recipients"), &err);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok) return resp_json(req, 422, json_pack("{s:s}", "message", "Report Schedule could not be created."), JSON_FLASK);
    resp_json(req, 201, json_pack("{s:I,s:O}", "id", (json_int_t)id, "result", item), JSON_FLASK);
}

void report_put(request_t *req) {
    json_t *body = body_of(req, false), *item;
    if (!body) return;
    bool db_error;
    json_t *errors = report_schema_load(req, body, false, &item, &db_error);
    if (db_error) return json_decref(errors), fatal(req, false);
    if (errors) return resp_json(req, 400, json_pack("{s:o}", "message", errors), JSON_FLASK);
    long long id = req_path_int(req, "pk");
    /* find_by_id under ReportScheduleFilter */
    model_query_t mq;
    mq_init(&mq, req->arena, &model_report_schedule);
    if (!access_all_datasources(app_security(req->app), req->cfg, req->user))
        mq_where(&mq, arena_sprintf(req->arena, "t.id IN (SELECT report_schedule_id FROM report_schedule_user"
                                                " WHERE user_id = %s::int)", mq_param(&mq, num(req, uid(req)))));
    mq_where(&mq, arena_sprintf(req->arena, "t.id = %s::int", mq_param(&mq, num(req, id))));
    static const char *const cur_cols[] = {"name", "type", "last_state", "owners", "crontab"};
    json_t *ids = NULL;
    pg_error_t err;
    json_t *rows = mq_fetch(&mq, app_pg(req->app), cur_cols, 5, &ids, &err);
    json_decref(ids);
    if (!rows) return fatal(req, false);
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, rows);
    json_t *cur = json_array_get(rows, 0);
    if (!cur) return error_fab(req, 404, "Not found");
    report_state_t st = {.props = json_deep_copy(item)};
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, st.props);
    json_t *props = st.props;
    const char *old_name = json_string_value(json_object_get(cur, "name"));
    const char *old_type = json_string_value(json_object_get(cur, "type"));
    st.name = json_object_get(props, "name") ? json_string_value(json_object_get(props, "name")) : old_name;
    st.type = json_object_get(props, "type") ? json_string_value(json_object_get(props, "type")) : old_type;
    errors = json_object();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, errors);
    const char *last_state = json_string_value(json_object_get(cur, "last_state"));
    if (last_state && !strcmp(last_state, "Working") && json_is_false(json_object_get(props, "active")))
        json_object_set_new(props, "last_state", json_string("Not triggered"));
    if (strcmp(st.name, old_name) || strcmp(st.type, old_type)) {
        int taken = report_name_taken(req, st.name, st.type, id);
        if (taken < 0) return fatal(req, false);
        if (taken) report_name_error(req, errors, st.name, st.type);
    }
    json_t *db = json_object_get(props, "database");
    if (db) {
        if (strcmp(st.type, "Alert") || !json_integer_value(db)) return fatal(req, false); /* not a Database model */
        int64_t n = report_visible(req, &model_database, data_access_database_filter, json_integer_value(db));
        if (n < 0) return fatal(req, false);
        if (!n) {
            report_set_msg(errors, "database", "Database does not exist");
            json_object_set_new(props, "database", json_null());
        }
    }
    json_t *crontab = json_object_get(props, "crontab");
    report_check_frequency(req, crontab ? json_string_value(crontab) : json_string_value(json_object_get(cur, "crontab")), st.type,
                    errors);
    if (!report_check_chart_dashboard(req, props, true, errors)) return fatal(req, false);
    bool owned = report_owned(req, id, &db_error);
    if (db_error) return fatal(req, false);
    if (!owned) return error_fab(req, 403, "Forbidden");
    json_t *owner_ids = json_object_get(props, "owners");
    if (!owner_ids) {
        owner_ids = json_array();
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(cur, "owners"), i, o) json_array_append(owner_ids, json_object_get(o, "id"));
        arena_on_free(req->arena, (arena_cleanup_fn)json_decref, owner_ids);
    }
    if (!report_owners_of(req, owner_ids, false, &st, errors)) return fatal(req, false);
    if (json_object_size(errors)) return resp_json(req, 422, json_pack("{s:O}", "message", errors), JSON_FLASK);
    json_t *recipients = json_object_get(props, "recipients");
    for (size_t i = 0; i < json_array_size(recipients); i++)
        if (!json_object_get(json_array_get(recipients, i), "recipient_config_json")) return fatal(req, false);
    json_t *vc = json_object_get(props, "validator_config_json");
    if (vc) json_object_set_new(props, "validator_config_json", json_string(json_dump_arena(req->arena, vc, JSON_PY_DEFAULT, NULL)));
    json_t *extra = json_object_get(props, "extra");
    if (extra) json_object_set_new(props, "extra", json_string(json_dump_arena(req->arena, extra, JSON_PY_DEFAULT, NULL)));
    column_value_t cols[32];
    size_t n = columns_of(req, props, cols);
    strbuf_t set;
    strbuf_init_arena(&set, req->arena, 256);
    const char *params[40];
    for (size_t i = 0; i < n; i++) {
        const model_col_t *mc = model_col(&model_report_schedule, cols[i].col);
        const char *cast = mc->type == COL_INT ? "::int" : mc->type == COL_BOOL ? "::bool" : "";
        strbuf_printf(&set, "\"%s\" = $%zu%s, ", cols[i].col, i + 1, cast);
        params[i] = cols[i].value;
    }
    params[n] = num(req, uid(req));
    params[n + 1] = num(req, id);
    const char *sql = arena_sprintf(req->arena,
                                    "UPDATE report_schedule SET %schanged_on = localtimestamp,"
                                    " changed_by_fk = nullif($%zu::int, 0) WHERE id = $%zu::int",
                                    set.data, n + 1, n + 2);
    pg_conn_t *c = pg_acquire(app_pg(req->app), req->arena, &err);
    bool ok = c && pg_begin(c, req->arena, &err);
    ok = ok && pg_conn_query(c, req->arena, &err, sql, (int)n + 2, params);
    ok = ok && write_links(req, c, id, st.owners, recipients, &err);
    ok = ok && pg_commit(c, req->arena, &err);
    if (c) pg_release(c);
    if (!ok) return resp_json(req, 422, json_pack("{s:s}", "message", "Report Schedule could not be updated."), JSON_FLASK);
    resp_json(req, 200, json_pack("{s:I,s:O}", "id", (json_int_t)id, "result", item), JSON_FLASK);
}
