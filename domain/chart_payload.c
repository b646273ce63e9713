/* Saved chart payloads for explore; see chart_payload.h. */
#include "domain/chart_payload.h"

#include <string.h>

#include "domain/form_data_merge.h"
#include "lib/html.h"
#include "lib/humanize.h"
#include "lib/json.h"
#include "lib/strbuf.h"

enum {
    S_ID, S_NAME, S_DS_ID, S_DS_TYPE, S_DS_NAME, S_VIZ, S_PARAMS, S_QUERY_CONTEXT, S_DESC, S_CACHE_TIMEOUT,
    S_CHANGED_ISO, S_CHANGED_AGO, S_CREATED_AGO, S_CERTIFIED_BY, S_CERT_DETAILS, S_MANAGED, S_CREATOR, S_EDITOR,
};

static const char *SLICE_SQL =
    "SELECT s.id, s.slice_name, s.datasource_id, s.datasource_type, s.datasource_name, s.viz_type, s.params,"
    " s.query_context, s.description, s.cache_timeout,"
    " to_char(s.changed_on, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN extract(microseconds FROM s.changed_on)::bigint"
    " % 1000000 = 0 THEN '' ELSE to_char(s.changed_on, '.US') END,"
    " extract(epoch FROM (localtimestamp - s.changed_on)), extract(epoch FROM (localtimestamp - s.created_on)),"
    " s.certified_by, s.certification_details, s.is_managed_externally,"
    " (SELECT u.first_name || ' ' || u.last_name FROM ab_user u WHERE u.id = s.created_by_fk),"
    " (SELECT u.first_name || ' ' || u.last_name FROM ab_user u WHERE u.id = s.changed_by_fk)"
    " FROM slices s WHERE s.id = $1::int";

static json_t *text_or_null(const pg_result_t *r, int col) {
    const char *v = pg_get(r, 0, col);
    return v ? json_string(v) : json_null();
}

char *chart_markdown_text(arena_t *a, const char *raw) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 64);
    strbuf_puts(&sb, "");
    const char *p = raw ? raw : "";
    while (*p) {
        while (*p == '\n' || *p == ' ' || *p == '\t' || *p == '\r') p++;
        if (!*p) break;
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == '\t')) n--;
        if (sb.len) strbuf_putc(&sb, '\n');
        strbuf_puts(&sb, "<p>");
        html_escape_sb(&sb, p, n);
        strbuf_puts(&sb, "</p>");
        p = end ? end + 2 : p + strlen(p);
    }
    return sb.data;
}

/* Slice.form_data */
static json_t *slice_form_data(const pg_result_t *r) {
    const char *params = pg_get(r, 0, S_PARAMS);
    json_t *fd = params ? json_loads(params, 0, NULL) : NULL;
    if (!json_is_object(fd)) {
        json_decref(fd);
        fd = json_object();
    }
    const char *ds_id = pg_get(r, 0, S_DS_ID), *ds_type = pg_get(r, 0, S_DS_TYPE);
    json_object_set_new(fd, "slice_id", json_integer(pg_get_int(r, 0, S_ID, 0)));
    json_object_set_new(fd, "viz_type", text_or_null(r, S_VIZ));
    json_object_set_new(fd, "datasource", json_sprintf("%s__%s", ds_id ? ds_id : "None", ds_type ? ds_type : "None"));
    if (pg_get_int(r, 0, S_CACHE_TIMEOUT, 0))
        json_object_set_new(fd, "cache_timeout", json_integer(pg_get_int(r, 0, S_CACHE_TIMEOUT, 0)));
    fd_update_time_range(fd);
    return fd;
}

static json_t *id_list(pg_pool_t *pg, arena_t *a, const char *sql, const char *id, pg_error_t *err) {
    const char *p[] = {id};
    pg_result_t *r = pg_query(pg, a, err, sql, 1, p);
    if (!r) return NULL;
    json_t *out = json_array();
    for (int i = 0; i < pg_nrows(r); i++) json_array_append_new(out, json_integer(pg_get_int(r, i, 0, 0)));
    return out;
}

static json_t *slice_data(arena_t *a, const pg_result_t *r, json_t *form_data, json_t *owners) {
    int64_t id = pg_get_int(r, 0, S_ID, 0);
    const char *ago = humanize_naturaltime(a, pg_get_double(r, 0, S_CHANGED_AGO, 0));
    json_t *d = json_object();
    json_object_set_new(d, "cache_timeout",
                        pg_isnull(r, 0, S_CACHE_TIMEOUT) ? json_null() : json_integer(pg_get_int(r, 0, S_CACHE_TIMEOUT, 0)));
    json_object_set_new(d, "changed_on", text_or_null(r, S_CHANGED_ISO));
    json_object_set_new(d, "changed_on_humanized", json_string(ago));
    json_object_set_new(d, "datasource", text_or_null(r, S_DS_NAME));
    json_object_set_new(d, "description", text_or_null(r, S_DESC));
    json_object_set_new(d, "description_markeddown", json_string(chart_markdown_text(a, pg_get(r, 0, S_DESC))));
    json_object_set_new(d, "edit_url", json_sprintf("/chart/edit/%lld", (long long)id));
    json_object_set(d, "form_data", form_data);
    json_object_set_new(d, "query_context", text_or_null(r, S_QUERY_CONTEXT));
    json_object_set_new(d, "modified", json_sprintf("<span class=\"no-wrap\">%s</span>", ago));
    json_object_set_new(d, "owners", owners);
    json_object_set_new(d, "slice_id", json_integer(id));
    json_object_set_new(d, "slice_name", text_or_null(r, S_NAME));
    json_object_set_new(d, "slice_url",
                        json_sprintf("/explore/?slice_id=%lld&form_data=%%7B%%22slice_id%%22%%3A%%20%lld%%7D",
                                     (long long)id, (long long)id));
    json_object_set_new(d, "certified_by", text_or_null(r, S_CERTIFIED_BY));
    json_object_set_new(d, "certification_details", text_or_null(r, S_CERT_DETAILS));
    json_object_set_new(d, "is_managed_externally", json_boolean(pg_get_bool(r, 0, S_MANAGED, false)));
    return d;
}

static json_t *metadata(pg_pool_t *pg, arena_t *a, const pg_result_t *r, const char *id, pg_error_t *err) {
    const char *p[] = {id};
    pg_result_t *o = pg_query(pg, a, err,
                              "SELECT u.first_name || ' ' || u.last_name FROM slice_user su JOIN ab_user u"
                              " ON u.id = su.user_id WHERE su.slice_id = $1::int ORDER BY su.id",
                              1, p);
    pg_result_t *d = o ? pg_query(pg, a, err,
                                  "SELECT d.id, d.dashboard_title FROM dashboard_slices ds JOIN dashboards d"
                                  " ON d.id = ds.dashboard_id WHERE ds.slice_id = $1::int ORDER BY ds.id",
                                  1, p)
                       : NULL;
    if (!d) return NULL;
    json_t *owners = json_array(), *dashboards = json_array();
    for (int i = 0; i < pg_nrows(o); i++) json_array_append_new(owners, json_string(pg_get(o, i, 0) ? pg_get(o, i, 0) : ""));
    for (int i = 0; i < pg_nrows(d); i++) {
        const char *title = pg_get(d, i, 1);
        json_array_append_new(dashboards, json_pack("{s:I,s:o}", "id", (json_int_t)pg_get_int(d, i, 0, 0),
                                                    "dashboard_title", title ? json_string(title) : json_null()));
    }
    json_t *m = json_object();
    json_object_set_new(m, "created_on_humanized", json_string(humanize_naturaltime(a, pg_get_double(r, 0, S_CREATED_AGO, 0))));
    json_object_set_new(m, "changed_on_humanized", json_string(humanize_naturaltime(a, pg_get_double(r, 0, S_CHANGED_AGO, 0))));
    json_object_set_new(m, "owners", owners);
    json_object_set_new(m, "dashboards", dashboards);
    if (pg_get(r, 0, S_CREATOR)) json_object_set_new(m, "created_by", json_string(pg_get(r, 0, S_CREATOR)));
    if (pg_get(r, 0, S_EDITOR)) json_object_set_new(m, "changed_by", json_string(pg_get(r, 0, S_EDITOR)));
    return m;
}

bool chart_payload_load(pg_pool_t *pg, arena_t *a, int64_t id, chart_payload_t *out, bool *found, pg_error_t *err) {
    *out = (chart_payload_t){0};
    *found = true;
    const char *idt = arena_sprintf(a, "%lld", (long long)id);
    const char *p[] = {idt};
    pg_result_t *r = pg_query(pg, a, err, SLICE_SQL, 1, p);
    if (!r) return false;
    if (!pg_nrows(r)) {
        *found = false;
        return false;
    }
    json_t *owners = id_list(pg, a, "SELECT user_id FROM slice_user WHERE slice_id = $1::int ORDER BY id", idt, err);
    json_t *meta = owners ? metadata(pg, a, r, idt, err) : NULL;
    if (!meta) {
        json_decref(owners);
        return false;
    }
    out->form_data = slice_form_data(r);
    out->data = slice_data(a, r, out->form_data, owners);
    out->metadata = meta;
    return true;
}

void chart_payload_clear(chart_payload_t *p) {
    json_decref(p->form_data);
    json_decref(p->data);
    json_decref(p->metadata);
    *p = (chart_payload_t){0};
}
