/* Request event logging; see event_logger.h. */
#include "fcgi/event_logger.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/event_log.h"
#include "fcgi/app.h"
#include "fcgi/auth.h"
#include "fcgi/formdata.h"
#include "fcgi/router.h"
#include "lib/json.h"

/* superset.utils.core.to_int: int(value) or None. Accepts integers, and
 * strings holding an integer (surrounding spaces allowed). */
static bool to_int(const json_t *v, int64_t *out) {
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    if (json_is_true(v) || json_is_false(v)) {
        *out = json_is_true(v);
        return true;
    }
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (end == s || errno) return false;
    while (*end == ' ' || *end == '\t' || *end == '\n') end++;
    if (*end) return false;
    *out = (int64_t)n;
    return true;
}

static bool is_json_body(request_t *req) {
    const char *ct = req_header(req, "Content-Type");
    return ct && !strncasecmp(ct, "application/json", 16);
}

/* collect_request_payload() plus object_ref and the overrides. */
static json_t *collect_payload(request_t *req, const event_log_call_t *call) {
    json_t *p = json_object();
    json_object_set_new(p, "path", json_string(req->path));
    json_t *form = form_dict(req);
    json_object_update(p, form);
    json_decref(form);
    json_t *args = query_dict(req);
    json_object_update(p, args);
    json_decref(args);
    if (is_json_body(req) && req->body.len) {
        json_t *body = json_loadb(req->body.data, req->body.len, 0, NULL);
        if (json_is_object(body)) json_object_update(p, body);
        json_decref(body);
    }
    if (call->url_rule && strcmp(call->url_rule, req->path)) json_object_set_new(p, "url_rule", json_string(call->url_rule));
    if (json_object_get(p, "rison") && json_object_get(p, "q")) json_object_del(p, "q");
    const json_t *rison = json_object_get(p, "rison");
    if (rison && (json_is_null(rison) || json_is_false(rison) || (json_is_string(rison) && !json_string_length(rison)) ||
                  (json_is_object(rison) && !json_object_size(rison))))
        json_object_del(p, "rison");
    if (call->object_ref) json_object_set_new(p, "object_ref", json_string(call->object_ref));
    if (call->overrides) json_object_update(p, call->overrides);
    return p;
}

/* Python's request.referrer[:1000]: at most 1000 characters (code points). */
static const char *referrer(request_t *req) {
    const char *r = req_header(req, "Referer");
    if (!r || !*r) return NULL;
    size_t chars = 0, i = 0;
    for (; r[i]; i++) {
        if (((unsigned char)r[i] & 0xC0) != 0x80) {
            if (chars == 1000) break;
            chars++;
        }
    }
    return arena_strndup(req->arena, r, i);
}

void event_log_request(request_t *req, const event_log_call_t *call) {
    pg_pool_t *pg = req->app ? app_pg(req->app) : NULL;
    if (!pg) return;
    json_t *payload = collect_payload(req, call);
    int64_t dashboard_id = 0, slice_id = 0;
    bool has_dashboard = to_int(json_object_get(payload, "dashboard_id"), &dashboard_id);
    json_t *form_data = json_object_get(payload, "form_data");
    bool has_slice;
    if (form_data) {
        json_t *fd = json_is_string(form_data) ? json_loads(json_string_value(form_data), 0, NULL) : NULL;
        if (!json_is_object(fd)) {
            json_decref(fd);
            fd = json_object();
        }
        has_slice = to_int(json_object_get(fd, "slice_id"), &slice_id);
        json_object_set_new(payload, "form_data", fd);
    } else {
        has_slice = to_int(json_object_get(payload, "slice_id"), &slice_id);
    }
    /* records: the JSON list in the field named by `explode`, else the payload */
    json_t *records = NULL;
    const char *explode = json_string_value(json_object_get(payload, "explode"));
    const char *text = explode ? json_string_value(json_object_get(payload, explode)) : NULL;
    if (text) records = json_loads(text, JSON_DECODE_ANY, NULL);
    if (!json_is_array(records)) {
        json_decref(records);
        records = json_pack("[O]", payload);
    }
    sec_user_t *user = auth_current_user(req);
    double ms = ((call->ended_at > 0 ? call->ended_at : ev_time()) - call->started_at) * 1000.0;
    size_t n = json_array_size(records);
    event_log_row_t *rows = arena_calloc(req->arena, n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        const json_t *rec = json_array_get(records, i);
        event_log_row_t *r = &rows[i];
        r->action = call->action;
        r->has_user = user && !user->is_guest && user->id > 0;
        r->user_id = r->has_user ? user->id : 0;
        r->json = json_dump_arena(req->arena, rec, JSON_PY_DEFAULT, NULL);
        r->has_dashboard = has_dashboard && dashboard_id;
        r->dashboard_id = dashboard_id;
        if (!r->has_dashboard) r->has_dashboard = to_int(json_object_get(rec, "dashboard_id"), &r->dashboard_id);
        r->has_slice = has_slice && slice_id;
        r->slice_id = slice_id;
        if (!r->has_slice) r->has_slice = to_int(json_object_get(rec, "slice_id"), &r->slice_id);
        r->has_duration = true;
        r->duration_ms = ms > 0 ? (int64_t)ms : 0;
        r->referrer = referrer(req);
    }
    event_log_write(pg, req->arena, rows, n);
    json_decref(records);
    json_decref(payload);
}

void event_log_skip(request_t *req) { req->log_skip = true; }

void event_log_kwarg(request_t *req, const char *name, json_t *v) {
    if (!req->log_kwargs) {
        req->log_kwargs = json_object();
        arena_on_free(req->arena, (arena_cleanup_fn)json_decref, req->log_kwargs);
    }
    json_object_set(req->log_kwargs, name, v);
}

/* Werkzeug's view_args: <int:x> gives an int, the other converters text. */
static bool is_int_param(const char *pattern, const char *name) {
    for (const char *p = strstr(pattern, "<int:"); p; p = strstr(p + 5, "<int:")) {
        size_t n = strlen(name);
        if (!strncmp(p + 5, name, n) && p[5 + n] == '>') return true;
    }
    return false;
}

void event_log_route(request_t *req) {
    const route_def_t *route = req->log_route;
    if (!route || req->log_skip) return;
    json_t *kw = json_object();
    if (!(route->flags & ROUTE_LOG_POSITIONAL)) {
        for (int i = 0; i < req->n_path_params; i++) {
            const path_param_t *pp = &req->path_params[i];
            json_object_set_new(kw, pp->name, is_int_param(route->pattern, pp->name) ? json_integer(pp->int_value)
                                                                                     : json_string(pp->value));
        }
    }
    if (req->log_kwargs) json_object_update(kw, req->log_kwargs);
    event_log_call_t call = {route->log_action, route->log_ref ? route->log_ref : route->log_action, route->pattern,
                             kw, req->log_started, req->log_ended};
    event_log_request(req, &call);
    json_decref(kw);
}
