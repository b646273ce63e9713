/* GET /api/<version>/_openapi (Flask-AppBuilder's OpenApi view, can_get on
 * OpenApi): an OpenAPI 3.0.2 document of the API this server answers,
 * generated from the live route table, so it lists exactly the routes
 * Liteset serves: their paths (Werkzeug converters as {name} parameters
 * typed integer or string), methods, the JWT security scheme and FAB's
 * shared error responses. Superset builds its document from marshmallow
 * schemas and docstrings; request and response bodies are not described
 * here (docs/compatibility.md). */
#include <string.h>

#include "fcgi/api/api.h"
#include "fcgi/app.h"
#include "fcgi/errors.h"
#include "lib/strbuf.h"

static const char *const method_names[] = {"get", "post", "put", "delete", "patch"};
static const char *const method_upper[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};

typedef struct shared_response {
    const char *code;
    const char *description;
} shared_response_t;

static const shared_response_t shared_responses[] = {
    {"400", "Bad request"}, {"401", "Unauthorized"}, {"403", "Forbidden"},
    {"404", "Not found"},   {"422", "Could not process entity"}, {"500", "Fatal error"},
};

/* "/api/v1/chart/<int:pk>" -> "/api/v1/chart/{pk}" plus its path parameters. */
static const char *openapi_path(request_t *req, const char *pattern, json_t *params) {
    strbuf_t sb;
    strbuf_init_arena(&sb, req->arena, 64);
    for (const char *p = pattern; *p;) {
        if (*p != '<') {
            strbuf_putc(&sb, *p++);
            continue;
        }
        const char *end = strchr(p, '>');
        if (!end) break;
        const char *colon = memchr(p, ':', (size_t)(end - p));
        const char *name = colon ? colon + 1 : p + 1;
        size_t len = (size_t)(end - name);
        bool integer = colon && !strncmp(p + 1, "int:", 4);
        strbuf_printf(&sb, "{%.*s}", (int)len, name);
        json_array_append_new(params, json_pack("{s:s,s:s%,s:b,s:{s:s}}", "in", "path", "name", name, len, "required",
                                                1, "schema", "type", integer ? "integer" : "string"));
        p = end + 1;
    }
    strbuf_putc(&sb, '\0');
    return sb.data;
}

static json_t *operation(const route_def_t *r, json_t *params, const char *tag) {
    json_t *responses = json_pack("{s:{s:s}}", "200", "description", "Success");
    for (size_t i = 0; i < sizeof shared_responses / sizeof shared_responses[0]; i++)
        json_object_set_new(responses, shared_responses[i].code,
                            json_pack("{s:s+}", "$ref", "#/components/responses/", shared_responses[i].code));
    json_t *op = json_pack("{s:O,s:o,s:[s]}", "parameters", params, "responses", responses, "tags", tag);
    if (strcmp(r->guard.permission, GUARD_PUBLIC_NAME)) json_object_set_new(op, "security", json_pack("[{s:[]}]", "jwt"));
    return op;
}

/* The resource segment after /api/<version>/ names the tag ("chart"). */
static const char *tag_of(request_t *req, const char *pattern) {
    const char *p = strchr(pattern + strlen("/api/"), '/');
    if (!p) return "api";
    p++;
    size_t n = strcspn(p, "/<");
    return n ? arena_sprintf(req->arena, "%.*s", (int)n, p) : "api";
}

static json_t *components(void) {
    json_t *responses = json_object();
    for (size_t i = 0; i < sizeof shared_responses / sizeof shared_responses[0]; i++)
        json_object_set_new(responses, shared_responses[i].code,
                            json_pack("{s:{s:{s:{s:{s:{s:s}},s:s}}},s:s}", "content", "application/json", "schema",
                                      "properties", "message", "type", "string", "type", "object", "description",
                                      shared_responses[i].description));
    json_t *bearer = json_pack("{s:s,s:s,s:s}", "bearerFormat", "JWT", "scheme", "bearer", "type", "http");
    return json_pack("{s:o,s:{s:O,s:o}}", "responses", responses, "securitySchemes", "jwt", bearer, "jwt_refresh",
                     bearer);
}

static void get_openapi(request_t *req) {
    const char *version = req_path_param(req, "version");
    if (strcmp(version, "v1")) { /* FAB builds documents only for the versions its APIs declare */
        error_fab(req, 404, "Not found");
        return;
    }
    const router_t *router = app_router(req->app);
    json_t *paths = json_object();
    for (size_t i = 0; i < router_count(router); i++) {
        const route_def_t *r = router_get(router, i);
        bool versioned = !strncmp(r->pattern, "/api/<version>/", 15); /* the OpenApi view itself */
        if ((strncmp(r->pattern, "/api/v1/", 8) && !versioned) || strstr(r->pattern, "/_liteset/")) continue;
        for (size_t m = 0; m < sizeof method_names / sizeof method_names[0]; m++) {
            if (!strstr(r->methods, method_upper[m])) continue;
            json_t *params = json_array();
            const char *path = openapi_path(req, r->pattern, params);
            json_t *item = json_object_get(paths, path);
            if (!item) json_object_set_new(paths, path, item = json_object());
            json_object_set_new(item, method_names[m],
                                operation(r, params, versioned ? "OpenApi" : tag_of(req, r->pattern)));
            json_decref(params);
        }
    }
    /* request.host_url */
    json_t *servers = json_pack("[{s:s}]", "url",
                                arena_sprintf(req->arena, "%s://%s%s/", req->scheme ? req->scheme : "http",
                                              req->host ? req->host : "", req->script_root ? req->script_root : ""));
    resp_json(req, 200,
              json_pack("{s:o,s:{s:s,s:s,s:s},s:s,s:o,s:o}", "components", components(), "info", "description",
                        "Superset", "title", "Superset", "version", "v1", "openapi", "3.0.2", "paths", paths,
                        "servers", servers),
              JSON_FLASK);
}

static const route_def_t routes[] = {
    {"GET", "/api/<version>/_openapi", get_openapi, GUARD("can_get", "OpenApi"), ROUTE_CSRF_EXEMPT, NULL},
};

/* Flask-AppBuilder registers the document with the Swagger UI only. */
const route_table_t openapi_routes = {routes, sizeof routes / sizeof routes[0],
                                      "FAB_ADD_OPENAPI_VIEWS FAB_API_SWAGGER_UI"};
