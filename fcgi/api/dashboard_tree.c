/* Read views of one dashboard's content: GET /api/v1/dashboard/<id_or_slug>/charts
 * (ChartEntityResponseSchema per chart, form_data as Slice.form_data builds
 * it) and GET /<id_or_slug>/tabs (Dashboard.tabs: the tab tree walked
 * breadth-first from ROOT_ID in position_json, dumped with TabsPayloadSchema). */
#include <string.h>

#include "fcgi/api/dashboard_extra.h"
#include "fcgi/api/dashboard.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/json.h"
#include "persistence/pg.h"

/* ---- /charts ---- */

/* Plain-text rendering of a chart description: paragraphs (split on blank
 * lines) wrapped in <p>, with & < > escaped; "" for no description.
 * Markdown inline syntax is not interpreted (docs/compatibility.md). */
static const char *markeddown(request_t *req, const char *text) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    const char *p = text ? text : "";
    while (*p) {
        while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t') p++;
        if (!*p) break;
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && (p[n - 1] == '\n' || p[n - 1] == ' ' || p[n - 1] == '\r')) n--;
        strbuf_puts(&sb, sb.len ? "\n<p>" : "<p>");
        for (size_t i = 0; i < n; i++) {
            const char *esc = p[i] == '&' ? "&amp;" : p[i] == '<' ? "&lt;" : p[i] == '>' ? "&gt;" : NULL;
            if (esc) strbuf_puts(&sb, esc);
            else strbuf_putc(&sb, p[i]);
        }
        strbuf_puts(&sb, "</p>");
        p += end ? (size_t)(end - p) : strlen(p);
    }
    return sb.len ? sb.data : "";
}

/* str() of a since/until value as the f-string shows it ("" when falsy). */
static const char *py_text(request_t *req, json_t *v) {
    if (!v || json_is_null(v) || json_is_false(v)) return "";
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_true(v)) return "True";
    if (json_is_integer(v))
        return json_integer_value(v) ? arena_sprintf(req->arena, "%lld", (long long)json_integer_value(v)) : "";
    return json_dump_arena(req->arena, v, JSON_ENCODE_ANY | JSON_COMPACT, NULL);
}

/* legacy.update_time_range: since/until become time_range; an unfiltered
 * granularity_sqla column means "No filter". */
static void update_time_range(request_t *req, json_t *fd) {
    json_t *since = json_object_get(fd, "since"), *until = json_object_get(fd, "until");
    if (since || until) {
        const char *range = arena_sprintf(req->arena, "%s : %s", py_text(req, since), py_text(req, until));
        json_object_del(fd, "since");
        json_object_del(fd, "until");
        json_object_set_new(fd, "time_range", json_string(range));
    }
    json_t *col = json_object_get(fd, "granularity_sqla");
    if (!col || json_is_null(col) || json_is_false(col) || (json_is_string(col) && !*json_string_value(col))) return;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(fd, "adhoc_filters"), i, f) {
        const json_t *cmp = json_object_get(f, "comparator");
        bool no_filter = json_is_string(cmp) && !strcmp(json_string_value(cmp), "No filter");
        if (json_equal(json_object_get(f, "subject"), col) && no_filter) {
            if (!json_object_get(fd, "time_range")) json_object_set_new(fd, "time_range", json_string("No filter"));
            return;
        }
    }
}

/* Slice.form_data, or NULL when params hold JSON that is not an object. */
static json_t *form_data(request_t *req, pg_result_t *r, int row) {
    const char *params = pg_get(r, row, 5);
    json_t *fd = params ? json_loads(params, JSON_DECODE_ANY, NULL) : NULL;
    if (!fd) fd = json_object();
    if (!json_is_object(fd)) return json_decref(fd), NULL;
    json_object_set_new(fd, "slice_id", json_integer(pg_get_int(r, row, 0, 0)));
    json_object_set_new(fd, "viz_type", pg_isnull(r, row, 6) ? json_null() : json_string(pg_get(r, row, 6)));
    const char *ds_id = pg_isnull(r, row, 7) ? "None" : pg_get(r, row, 7);
    const char *ds_type = pg_isnull(r, row, 8) ? "None" : pg_get(r, row, 8);
    json_object_set_new(fd, "datasource", json_string(arena_sprintf(req->arena, "%s__%s", ds_id, ds_type)));
    if (pg_get_int(r, row, 2, 0)) json_object_set_new(fd, "cache_timeout", json_integer(pg_get_int(r, row, 2, 0)));
    update_time_range(req, fd);
    return fd;
}

static json_t *nullable_str(pg_result_t *r, int row, int col) {
    return pg_isnull(r, row, col) ? json_null() : json_string(pg_get(r, row, col));
}

void dashboard_get_charts(request_t *req) {
    int64_t id = dashboard_find(req, req_path_param(req, "id_or_slug"));
    if (id <= 0) return;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)id)};
    pg_error_t err;
    pg_result_t *r = pg_query(
        app_pg(req->app), req->arena, &err,
        "SELECT s.id, s.slice_name, s.cache_timeout,"
        " to_char(s.changed_on, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN extract(microseconds FROM s.changed_on)::int"
        " % 1000000 <> 0 THEN to_char(s.changed_on, '.US') ELSE '' END,"
        " s.description, s.params, s.viz_type, s.datasource_id, s.datasource_type, s.certified_by,"
        " s.certification_details FROM dashboard_slices ds JOIN slices s ON s.id = ds.slice_id"
        " WHERE ds.dashboard_id = $1::int ORDER BY ds.id",
        1, p);
    if (!r) return dashboard_fatal(req);
    json_t *result = json_array();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, result);
    for (int i = 0; i < pg_nrows(r); i++) {
        json_t *fd = form_data(req, r, i);
        if (!fd) return dashboard_fatal(req);
        int64_t sid = pg_get_int(r, i, 0, 0);
        json_t *chart = json_object();
        json_object_set_new(chart, "id", json_integer(sid));
        json_object_set_new(chart, "slice_name", nullable_str(r, i, 1));
        json_object_set_new(chart, "cache_timeout", pg_isnull(r, i, 2) ? json_null() : json_integer(pg_get_int(r, i, 2, 0)));
        json_object_set_new(chart, "changed_on", nullable_str(r, i, 3));
        json_object_set_new(chart, "description", nullable_str(r, i, 4));
        json_object_set_new(chart, "description_markeddown", json_string(markeddown(req, pg_get(r, i, 4))));
        json_object_set_new(chart, "form_data", fd);
        json_object_set_new(chart, "slice_url", json_string(arena_sprintf(
            req->arena, "/explore/?slice_id=%lld&form_data=%%7B%%22slice_id%%22%%3A%%20%lld%%7D", (long long)sid, (long long)sid)));
        json_object_set_new(chart, "certified_by", nullable_str(r, i, 9));
        json_object_set_new(chart, "certification_details", nullable_str(r, i, 10));
        json_array_append_new(result, chart);
    }
    resp_json(req, 200, json_pack("{s:O}", "result", result), JSON_FLASK);
}

/* ---- /tabs ---- */

#define TAB_WALK_LIMIT 20000 /* queue entries; a position with a cycle stops here */
#define TAB_DUMP_DEPTH 64

typedef struct tab_item {
    json_t *node, *children;
} tab_item_t;

typedef struct tab_walk {
    request_t *req;
    json_t *position, *all_tabs;
    tab_item_t *queue;
    size_t head, tail, cap;
    const char *error; /* the 400 cause */
    bool fatal;        /* what Python raises as KeyError/AttributeError: 500 */
} tab_walk_t;

static bool push(tab_walk_t *w, json_t *node, json_t *children) {
    if (w->tail == TAB_WALK_LIMIT) {
        w->error = "position is too deep or cyclic";
        return false;
    }
    if (w->tail == w->cap) { /* grows on the arena, doubling */
        size_t cap = w->cap ? w->cap * 2 : 64;
        tab_item_t *q = arena_alloc(w->req->arena, cap * sizeof *q);
        if (w->tail) memcpy(q, w->queue, w->tail * sizeof *q);
        w->queue = q;
        w->cap = cap;
    }
    w->queue[w->tail++] = (tab_item_t){node, children};
    return true;
}

/* Drops a TAB node's rebuilt children at request end, so that a cyclic
 * position leaves no reference cycle behind. */
static void unlink_children(void *node) { json_object_del(node, "children"); }

/* One build_tab_tree step. */
static bool visit(tab_walk_t *w, json_t *node, json_t *children) {
    if (!json_is_object(node)) return w->fatal = true, false;
    const char *type = json_get_str(node, "type", NULL);
    if (!json_object_get(node, "type")) return w->fatal = true, false;
    json_t *kids = json_object_get(node, "children");
    if (kids && !json_is_array(kids)) return w->error = "'children' is not iterable", false;
    json_t *new_children = json_array();
    arena_on_free(w->req->arena, (arena_cleanup_fn)json_decref, new_children);
    bool tabs = type && !strcmp(type, "TABS"), tab = type && !strcmp(type, "TAB");
    bool flat = type && (!strcmp(type, "GRID") || !strcmp(type, "ROOT"));
    size_t i;
    json_t *id;
    json_array_foreach(kids, i, id) {
        if (json_is_array(id) || json_is_object(id)) return w->error = "unhashable child id", false;
        json_t *child = json_is_string(id) ? json_object_get(w->position, json_string_value(id)) : NULL;
        if (!child) return w->fatal = true, false;
        if (tabs) {
            json_array_append(children, child);
            if (!push(w, child, new_children)) return false;
        } else if (flat) {
            if (!push(w, child, children)) return false;
        } else if (tab) {
            if (!push(w, child, new_children)) return false;
        }
    }
    if (!tab) return true;
    json_t *title = json_object_get(json_object_get(node, "meta"), "text");
    json_t *value = json_object_get(node, "id");
    if (!title || !value) return w->fatal = true, false;
    if (!json_is_string(value)) return w->fatal = true, false; /* all_tabs keys are strings */
    json_object_set(node, "children", new_children);
    arena_on_free(w->req->arena, unlink_children, node);
    json_object_set(node, "title", title);
    json_object_set(node, "value", value);
    json_object_set(w->all_tabs, json_string_value(value), title);
    return true;
}

/* fields.String dump: strings as they are, other values as str() shows them. */
static json_t *dump_str(request_t *req, json_t *v) {
    if (json_is_null(v)) return json_null();
    if (json_is_string(v)) return json_incref(v);
    return json_string(py_text(req, v));
}

/* TabSchema dump: only the keys the node has. NULL past the depth limit. */
static json_t *dump_tab(request_t *req, json_t *node, int depth) {
    if (depth > TAB_DUMP_DEPTH) return NULL;
    json_t *out = json_object();
    if (!json_is_object(node)) return out;
    json_t *kids = json_object_get(node, "children");
    if (kids) {
        json_t *list = json_array();
        size_t i;
        json_t *k;
        json_array_foreach(kids, i, k) {
            json_t *d = dump_tab(req, k, depth + 1);
            if (!d) return json_decref(list), json_decref(out), NULL;
            json_array_append_new(list, d);
        }
        json_object_set_new(out, "children", json_is_array(kids) ? list : (json_decref(list), json_null()));
    }
    static const char *const scalars[] = {"value", "title"};
    for (size_t s = 0; s < 2; s++) {
        json_t *v = json_object_get(node, scalars[s]);
        if (v) json_object_set_new(out, scalars[s], dump_str(req, v));
    }
    json_t *parents = json_object_get(node, "parents");
    if (parents && json_is_array(parents)) {
        json_t *list = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(parents, i, x) json_array_append_new(list, dump_str(req, x));
        json_object_set_new(out, "parents", list);
    } else if (parents) json_object_set_new(out, "parents", json_null());
    return out;
}

static void tabs_invalid(request_t *req, const char *cause) {
    error_fab(req, 400, arena_sprintf(req->arena, "Tab schema is invalid, caused by: %s", cause));
}

void dashboard_get_tabs(request_t *req) {
    int64_t id = dashboard_find(req, req_path_param(req, "id_or_slug"));
    if (id <= 0) return;
    const char *p[] = {arena_sprintf(req->arena, "%lld", (long long)id)};
    pg_error_t err;
    pg_result_t *r = pg_query(app_pg(req->app), req->arena, &err, "SELECT position_json FROM dashboards WHERE id = $1::int", 1, p);
    if (!r || !pg_nrows(r)) return dashboard_fatal(req);
    const char *text = pg_get(r, 0, 0);
    if (!text || !*text) return resp_json(req, 200, json_pack("{s:{}}", "result"), JSON_FLASK);
    const char *perr = NULL;
    json_t *position = json_parse_arena(req->arena, text, strlen(text), JSON_DECODE_ANY, &perr);
    if (!position) return tabs_invalid(req, perr ? perr : "invalid JSON");
    if (json_is_object(position) && !json_object_size(position)) return resp_json(req, 200, json_pack("{s:{}}", "result"), JSON_FLASK);
    if (!json_is_object(position)) return tabs_invalid(req, "position is not subscriptable");
    json_t *root = json_object_get(position, "ROOT_ID");
    if (!root) return dashboard_fatal(req);
    tab_walk_t w = {.req = req, .position = position, .all_tabs = json_object()};
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, w.all_tabs);
    json_t *tree = json_array();
    arena_on_free(req->arena, (arena_cleanup_fn)json_decref, tree);
    bool ok = push(&w, root, tree);
    while (ok && w.head < w.tail) {
        tab_item_t it = w.queue[w.head++];
        ok = visit(&w, it.node, it.children);
    }
    if (!ok) {
        if (w.fatal) return dashboard_fatal(req);
        return tabs_invalid(req, w.error);
    }
    json_t *tab_tree = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(tree, i, n) {
        json_t *d = dump_tab(req, n, 0);
        if (!d) {
            json_decref(tab_tree);
            return dashboard_fatal(req);
        }
        json_array_append_new(tab_tree, d);
    }
    json_t *all = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(w.all_tabs, key, v) json_object_set_new(all, key, dump_str(req, v));
    resp_json(req, 200, json_pack("{s:{s:o,s:o}}", "result", "all_tabs", all, "tab_tree", tab_tree), JSON_FLASK);
}
