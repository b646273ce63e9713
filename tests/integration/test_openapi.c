/* GET /api/v1/_openapi through nginx: the document lists the routes this
 * server answers (paths with typed parameters, methods, security), every
 * path it lists is one the reference's own document has, and the access
 * rules of FAB's OpenApi view (401 anonymous, 404 unknown version). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "tests/integration/harness.h"
#include "tests/integration/rest_client.h"

TestSuite(openapi, .timeout = 60);

/* "/api/v1/chart/{pk}" -> "/api/v1/chart/{}": parameter names differ between the
   reference's spec and the routes ({pk} vs {id_or_slug}); compare shapes. */
static void path_shape(const char *path, char *out, size_t size) {
    size_t n = 0;
    for (const char *p = path; *p && n + 2 < size; p++) {
        if (*p == '{') {
            out[n++] = '{';
            out[n++] = '}';
            p = strchr(p, '}');
            if (!p) break;
        } else
            out[n++] = *p;
    }
    out[n] = '\0';
}

Test(openapi, generated_from_the_routes) {
    rest_session_t s;
    rest_open(&s, "admin", "admin");
    int st;
    json_t *doc = rest_call(&s, "GET", "/api/v1/_openapi", NULL, &st);
    cr_assert_eq(st, 200);
    cr_expect_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.0.2");
    json_t *paths = json_object_get(doc, "paths");
    json_t *item = json_object_get(paths, "/api/v1/css_template/{pk}");
    cr_assert_not_null(item);
    cr_expect_not_null(json_object_get(item, "get"));
    cr_expect_not_null(json_object_get(item, "put"));
    cr_expect_not_null(json_object_get(item, "delete"));
    json_t *param = json_array_get(json_object_get(json_object_get(item, "get"), "parameters"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(param, "name")), "pk");
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(param, "schema"), "type")), "integer");
    cr_expect_not_null(json_object_get(json_object_get(paths, "/api/v1/security/login"), "post"));
    json_t *self = json_object_get(json_object_get(paths, "/api/{version}/_openapi"), "get");
    cr_assert_not_null(self, "the OpenApi view lists itself, as the reference's document does");
    cr_expect_str_eq(json_string_value(json_array_get(json_object_get(self, "tags"), 0)), "OpenApi");

    /* every path listed is one of the reference's */
    char ref_path[512];
    snprintf(ref_path, sizeof ref_path, "%s/reference/superset-6.0.0-openapi.json", harness_env("LITESET_SHARED"));
    json_t *ref = json_load_file(ref_path, 0, NULL);
    cr_assert_not_null(ref);
    json_t *ref_paths = json_object_get(ref, "paths");
    const char *path;
    json_t *ops;
    size_t ours = 0, known = 0;
    json_object_foreach(paths, path, ops) {
        ours++;
        char shape[512];
        path_shape(path, shape, sizeof shape);
        const char *rp;
        json_t *rops;
        bool found = false;
        json_object_foreach(ref_paths, rp, rops) {
            char rshape[512];
            path_shape(rp, rshape, sizeof rshape);
            /* trailing slashes differ between FAB rules and the spec for a few routes */
            size_t a = strlen(shape), b = strlen(rshape);
            if (a && shape[a - 1] == '/') a--;
            if (b && rshape[b - 1] == '/') b--;
            if (a == b && !strncmp(shape, rshape, a)) found = true;
        }
        if (found) known++;
    }
    cr_expect_gt(ours, 150, "only %zu paths", ours);
    cr_expect_geq(known * 100, ours * 95, "%zu of %zu paths are the reference's", known, ours);
    json_decref(ref);
    json_decref(doc);

    json_t *j = rest_call(&s, "GET", "/api/v2/_openapi", NULL, &st);
    cr_expect_eq(st, 404);
    json_decref(j);
    http_response_t *r = http_get("/api/v1/_openapi");
    cr_expect_eq(r->status, 401);
    http_free(r);
}
