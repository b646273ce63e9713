/* Report schedule command checks; see report_checks.h. */
#include "fcgi/api/report_checks.h"

#include <string.h>
#include <time.h>

#include "domain/security.h"
#include "fcgi/api/chart.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/app.h"
#include "lib/cron.h"
#include "lib/json.h"
#include "persistence/models.h"

static const char *num(request_t *req, long long v) { return arena_sprintf(req->arena, "%lld", v); }
static long long uid(const request_t *req) { return req->user ? (long long)req->user->id : 0; }

void report_set_msg(json_t *errors, const char *field, const char *msg) {
    json_object_set_new(errors, field, json_pack("[s]", msg)); /* dict.update: the last error of a field wins */
}

/* Counts rows of model with id under the access filter; -1 on error. */
int64_t report_visible(request_t *req, const model_t *m, void (*access)(request_t *, model_query_t *), long long id) {
    model_query_t mq;
    mq_init(&mq, req->arena, m);
    access(req, &mq);
    mq_where(&mq, arena_sprintf(req->arena, "t.id = %s::int", mq_param(&mq, num(req, id))));
    pg_error_t err;
    return mq_count(&mq, app_pg(req->app), &err);
}


/* populate_owner_list. false on a database error; sets the owners error. */
bool report_owners_of(request_t *req, json_t *ids, bool default_to_user, report_state_t *st, json_t *errors) {
    st->owners = json_array();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, st->owners);
    if (!json_array_size(ids) && default_to_user) {
        json_array_append_new(st->owners, json_integer(uid(req)));
        return true;
    }
    bool self_listed = false;
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) self_listed = self_listed || json_integer_value(v) == uid(req);
    if (!(security_is_admin(req->cfg, req->user) || self_listed)) json_array_append_new(st->owners, json_integer(uid(req)));
    const char *p[] = {json_dump_arena(req->arena, ids, JSON_COMPACT, NULL)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT count(*) FILTER (WHERE u.id IS NULL) FROM jsonb_array_elements_text($1::jsonb) e(x)"
                              " LEFT JOIN ab_user u ON u.id = e.x::int", 1, p);
    if (!r) return false;
    if (pg_get_int(r, 0, 0, 0) > 0) report_set_msg(errors, "owners", "Owners are invalid");
    json_array_foreach(ids, i, v) json_array_append(st->owners, v);
    return true;
}

/* validate_chart_dashboard; false on a database error. */
bool report_check_chart_dashboard(request_t *req, json_t *props, bool update, json_t *errors) {
    json_t *chart = json_object_get(props, "chart"), *dash = json_object_get(props, "dashboard");
    const char *method = json_string_value(json_object_get(props, "creation_method"));
    long long chart_id = json_integer_value(chart), dash_id = json_integer_value(dash);
    if (method && !strcmp(method, "charts") && !chart_id)
        return report_set_msg(errors, "chart", "Please save your chart first, then try creating a new email report."), true;
    if (method && !strcmp(method, "dashboards") && !dash_id)
        return report_set_msg(errors, "dashboard", "Please save your dashboard first, then try creating a new email report."), true;
    if (chart_id && dash_id) report_set_msg(errors, "chart", "Choose a chart or dashboard not both");
    if (chart_id) {
        int64_t n = report_visible(req, &model_chart, chart_access_filter, chart_id);
        if (n < 0) return false;
        if (!n) report_set_msg(errors, "chart", "Chart does not exist");
    } else if (dash_id) {
        int64_t n = report_visible(req, &model_dashboard, dashboard_access_filter, dash_id);
        if (n < 0) return false;
        if (!n) report_set_msg(errors, "dashboard", "Dashboard does not exist");
    } else if (!update) {
        report_set_msg(errors, "chart", "Must choose either a chart or a dashboard");
    }
    return true;
}

/* validate_report_frequency: with a minimum interval of 120 s or more, the
 * next 60 (or 24 past an hour) intervals of the schedule must respect it. */
void report_check_frequency(request_t *req, const char *crontab, const char *type, json_t *errors) {
    const json_t *v = config_get(req->cfg, !strcmp(type, "Alert") ? "ALERT_MINIMUM_INTERVAL" : "REPORT_MINIMUM_INTERVAL");
    if (!json_is_integer(v) || json_integer_value(v) < 120) return;
    long long minimum = json_integer_value(v);
    int iterations = minimum <= 3660 ? 60 : 24;
    int64_t times[61];
    if (!cron_next_times(crontab, (int64_t)time(NULL), times, iterations + 1)) return;
    for (int i = 1; i <= iterations; i++) {
        if (times[i] - times[i - 1] >= minimum) continue;
        report_set_msg(errors, "crontab",
                arena_sprintf(req->arena, "%s schedule frequency exceeding limit. Please configure a schedule with a"
                                          " minimum interval of %lld minutes per execution.", type, (minimum + 59) / 60));
        return;
    }
}

/* Python repr of a str (quotes chosen as Python does). */
static void repr_str(strbuf_t *sb, const char *s) {
    char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
    strbuf_putc(sb, q);
    for (; *s; s++) {
        if (*s == '\\' || *s == q) strbuf_putc(sb, '\\');
        strbuf_putc(sb, *s);
    }
    strbuf_putc(sb, q);
}

/* _validate_report_extra: the tab ids of extra.dashboard (activeTabs, and
 * anchor as a JSON list or a single id) must be keys of the dashboard's
 * position_json. 0 valid, 1 invalid (error set), -1 uncaught failure. */
int report_check_extra_tabs(request_t *req, json_t *props, json_t *errors) {
    json_t *extra = json_object_get(props, "extra"), *dash = json_object_get(props, "dashboard");
    json_t *chart = json_object_get(props, "chart");
    if (!extra || !json_integer_value(dash) || json_integer_value(chart)) return 0; /* no Dashboard model resolved */
    int64_t n = report_visible(req, &model_dashboard, dashboard_access_filter, json_integer_value(dash));
    if (n <= 0) return n < 0 ? -1 : 0;
    json_t *state = json_object_get(extra, "dashboard");
    if (!state || json_is_false(state) || json_is_null(state) || (json_is_object(state) && !json_object_size(state)))
        return 0;
    if (!json_is_object(state)) return -1; /* .get on a non-dict */
    const char *p[] = {num(req, json_integer_value(dash))};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT position_json FROM dashboards WHERE id = $1::int", 1, p);
    if (!r) return -1;
    json_t *pos = json_loads(pg_get(r, 0, 0) && *pg_get(r, 0, 0) ? pg_get(r, 0, 0) : "{}", JSON_DECODE_ANY, NULL);
    if (!json_is_object(pos)) return json_decref(pos), -1;
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, pos);
    json_t *bad = json_array(); /* insertion-ordered set */
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, bad);
    json_t *candidates = json_array();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, candidates);
    json_t *tabs = json_object_get(state, "activeTabs");
    if (json_is_array(tabs)) json_array_extend(candidates, tabs);
    json_t *anchor = json_object_get(state, "anchor");
    if (json_is_string(anchor) && json_string_length(anchor)) {
        json_t *list = json_loads(json_string_value(anchor), JSON_DECODE_ANY, NULL);
        if (list && !json_is_array(list)) return json_decref(list), -1;
        if (list) json_array_extend(candidates, list);
        else json_array_append(candidates, anchor);
        json_decref(list);
    }
    size_t i, k;
    json_t *v, *seen;
    json_array_foreach(candidates, i, v) {
        if (!json_is_string(v) || json_object_get(pos, json_string_value(v))) continue;
        bool dup = false;
        json_array_foreach(bad, k, seen) dup = dup || json_equal(seen, v);
        if (!dup) json_array_append(bad, v);
    }
    if (!json_array_size(bad)) return 0;
    /* gettext("Invalid tab ids: %s(tab_ids)") % {"tab_ids": str(set)}: the dict itself fills %s */
    strbuf_t set;
    strbuf_init_arena(&set, req->arena, 64);
    strbuf_putc(&set, '{');
    json_array_foreach(bad, i, v) {
        if (i) strbuf_puts(&set, ", ");
        repr_str(&set, json_string_value(v));
    }
    strbuf_putc(&set, '}');
    strbuf_putc(&set, '\0');
    strbuf_t msg;
    strbuf_init_arena(&msg, req->arena, 64);
    strbuf_puts(&msg, "Invalid tab ids: {'tab_ids': ");
    repr_str(&msg, set.data);
    strbuf_puts(&msg, "}(tab_ids)");
    strbuf_putc(&msg, '\0');
    report_set_msg(errors, "extra", msg.data);
    return 1;
}

/* Another schedule with this name and type (other than except_id)? -1 on error. */
int report_name_taken(request_t *req, const char *name, const char *type, long long except_id) {
    const char *p[] = {name, type, num(req, except_id)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err,
                              "SELECT id FROM report_schedule WHERE name = $1 AND type = $2 LIMIT 1", 2, p);
    if (!r) return -1;
    return pg_nrows(r) && pg_get_int(r, 0, 0, 0) != except_id;
}

void report_name_error(request_t *req, json_t *errors, const char *name, const char *type) {
    report_set_msg(errors, "name", arena_sprintf(req->arena, !strcmp(type, "Alert") ? "An alert named \"%s\" already exists"
                                                                             : "A report named \"%s\" already exists", name));
}
