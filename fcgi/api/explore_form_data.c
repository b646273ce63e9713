/* ExploreFormDataRestApi: POST /api/v1/explore/form_data and GET, PUT,
 * DELETE /api/v1/explore/form_data/<key>. Bodies follow FormDataPostSchema
 * / FormDataPutSchema (marshmallow messages, unknown fields rejected);
 * command outcomes map to the reference's statuses: 404 "Resource was not
 * found.", 403 "You don't have permission to modify the value.", 400 with
 * the validation messages, and 500 "Fatal error" for what escapes to
 * @safe (non-JSON requests, invalid stored datasource types on reads,
 * database errors). */
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/api/explore_form_data.h"
#include "fcgi/api/permalink_state.h"
#include "fcgi/errors.h"

#define N(a) (sizeof a / sizeof a[0])

static const pf_field_t fields[] = {
    {"datasource_id", PF_INT, true, false},
    {"datasource_type", PF_STR, true, false},
    {"chart_id", PF_INT, false, false},
    {"form_data", PF_STR, true, false},
};
static const pf_schema_t schema = {fields, N(fields)};

static const char *const DATASOURCE_TYPES[] = {"table", "dataset", "query", "saved_query", "view"};
#define TYPES_TEXT "table, dataset, query, saved_query, view"

static bool known_type(const char *t) {
    for (size_t i = 0; i < N(DATASOURCE_TYPES); i++)
        if (!strcmp(t, DATASOURCE_TYPES[i])) return true;
    return false;
}

static void fatal(request_t *req) { error_fab(req, 500, "Fatal error"); }

/* request.json on a body that does not decode: Flask's plain BadRequest,
 * answered by @safe as 400 with str(exception). */
static void bad_json(request_t *req) {
    error_fab(req, 400, arena_sprintf(req->arena, "400 Bad Request: %s", http_description(400)));
}

static void answer_messages(request_t *req, json_t *messages) {
    resp_json(req, 400, json_pack("{s:o}", "message", messages), JSON_FLASK);
}

/* The validate.OneOf error of datasource_type, placed in field order. */
static json_t *with_choice_error(json_t *errors) {
    json_t *out = json_object();
    for (size_t i = 0; i < N(fields); i++) {
        json_t *e = json_object_get(errors, fields[i].name);
        if (!strcmp(fields[i].name, "datasource_type") && !e)
            e = json_pack("[s]", "Must be one of: " TYPES_TEXT ".");
        else if (e) json_incref(e);
        if (e) json_object_set_new(out, fields[i].name, e);
    }
    const char *k;
    json_t *v;
    json_object_foreach(errors, k, v) if (!json_object_get(out, k)) json_object_set(out, k, v);
    json_decref(errors);
    return out;
}

/* Loads the request body into p; false when answered (400 / 500). */
static bool load_params(request_t *req, fd_params_t *p) {
    if (!req_is_json(req)) {
        fatal(req); /* @requires_json raises inside @safe */
        return false;
    }
    json_t *body = json_loadb(req->body.data, req->body.len, JSON_DECODE_ANY, NULL);
    if (!body) {
        bad_json(req);
        return false;
    }
    json_arena_own(req->arena, body);
    json_t *errors = NULL, *item = pf_load(&schema, body, &errors);
    const json_t *type = json_object_get(body, "datasource_type");
    bool bad_choice = json_is_string(type) && !known_type(json_string_value(type));
    if (bad_choice) {
        if (!errors) errors = json_object();
        errors = with_choice_error(errors);
    }
    if (errors) {
        json_decref(item);
        answer_messages(req, errors);
        return false;
    }
    json_arena_own(req->arena, item);
    const json_t *chart = json_object_get(item, "chart_id");
    *p = (fd_params_t){
        .datasource_id = json_integer_value(json_object_get(item, "datasource_id")),
        .datasource_type = json_string_value(json_object_get(item, "datasource_type")),
        .chart_id = json_integer_value(chart),
        .has_chart = chart != NULL,
        .tab_id = req_query_arg(req, "tab_id"),
        .form_data = json_string_value(json_object_get(item, "form_data")),
    };
    return true;
}

/* Answers a failed command; writes validates access errors as 400s. */
static void answer_failure(request_t *req, fd_status_t st, explore_access_t access, bool writes) {
    static const char *const validation[] = {
        [EXPLORE_NO_DATASOURCE] = "Datasource does not exist",
        [EXPLORE_TYPE_INVALID] = "Datasource type is invalid",
        [EXPLORE_QUERY_NOT_FOUND] = "Query does not exist",
    };
    switch (st) {
    case FD_INVALID_JSON:
        answer_messages(req, json_pack("[s]", "JSON not valid"));
        return;
    case FD_NOT_OWNER:
        error_fab(req, 403, "You don't have permission to modify the value.");
        return;
    case FD_MISSING:
        error_fab(req, 404, "Not found");
        return;
    case FD_ACCESS:
        break;
    default:
        fatal(req);
        return;
    }
    if (access == EXPLORE_DATASET_NOT_FOUND || access == EXPLORE_CHART_NOT_FOUND)
        error_fab(req, 404, "Resource was not found.");
    else if (access == EXPLORE_DATASET_DENIED || access == EXPLORE_CHART_DENIED)
        error_fab(req, 403, "You don't have permission to modify the value.");
    else if (writes && access < N(validation) && validation[access])
        answer_messages(req, json_pack("[s]", validation[access]));
    else
        fatal(req);
}

static void form_data_post(request_t *req) {
    fd_params_t p;
    if (!load_params(req, &p)) return;
    const char *key = NULL;
    explore_access_t access = EXPLORE_OK;
    fd_status_t st = fd_create(req, &p, &key, &access);
    if (st != FD_OK) {
        answer_failure(req, st, access, true);
        return;
    }
    resp_json(req, 201, json_pack("{s:s}", "key", key), JSON_FLASK);
}

static void form_data_put(request_t *req) {
    fd_params_t p;
    if (!load_params(req, &p)) return;
    const char *key = NULL;
    explore_access_t access = EXPLORE_OK;
    fd_status_t st = fd_update(req, &p, req_path_param(req, "key"), &key, &access);
    if (st != FD_OK) {
        answer_failure(req, st, access, true);
        return;
    }
    resp_json(req, 200, json_pack("{s:s}", "key", key), JSON_FLASK);
}

static void form_data_get(request_t *req) {
    const char *form_data = NULL;
    explore_access_t access = EXPLORE_OK;
    fd_status_t st = fd_get(req, req_path_param(req, "key"), &form_data, &access);
    if (st != FD_OK) {
        answer_failure(req, st, access, false);
        return;
    }
    resp_json(req, 200, json_pack("{s:s}", "form_data", form_data), JSON_FLASK);
}

static void form_data_delete(request_t *req) {
    explore_access_t access = EXPLORE_OK;
    fd_status_t st = fd_delete(req, req_path_param(req, "key"), NULL, &access);
    if (st != FD_OK) {
        answer_failure(req, st, access, false);
        return;
    }
    resp_json(req, 200, json_pack("{s:s}", "message", "Deleted successfully"), JSON_FLASK);
}

static const route_def_t routes[] = {
    {"POST", "/api/v1/explore/form_data", form_data_post, GUARD("can_write", "ExploreFormDataRestApi"), 0, NULL},
    {"GET", "/api/v1/explore/form_data/<key>", form_data_get, GUARD("can_read", "ExploreFormDataRestApi"), 0, NULL},
    {"PUT", "/api/v1/explore/form_data/<key>", form_data_put, GUARD("can_write", "ExploreFormDataRestApi"), 0, NULL},
    {"DELETE", "/api/v1/explore/form_data/<key>", form_data_delete, GUARD("can_write", "ExploreFormDataRestApi"), 0,
     NULL},
};

const route_table_t explore_form_data_routes = {routes, N(routes), NULL};
