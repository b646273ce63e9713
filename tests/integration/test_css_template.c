/* /api/v1/css_template, the first Superset resource on the generic engine:
 * CSRF on writes (bearer clients too), audit columns and the humanized
 * delta, the "All Text" custom filter, related users, bulk delete. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tests/integration/harness.h"

typedef struct {
    char bearer[2048];
    char cookie[2048];
    char csrf[512];
} session_t;

static void open_session(session_t *s) {
    const char *body = "{\"username\":\"admin\",\"password\":\"admin\",\"provider\":\"db\"}";
    const char *const ct[] = {"Content-Type: application/json", NULL};
    http_response_t *r = http_request("POST", "/api/v1/security/login", ct, body, strlen(body));
    cr_assert(r && r->status == 200);
    json_t *j = json_loads(r->body, 0, NULL);
    snprintf(s->bearer, sizeof s->bearer, "Authorization: Bearer %s", json_string_value(json_object_get(j, "access_token")));
    json_decref(j);
    http_free(r);
    const char *const h[] = {s->bearer, NULL};
    r = http_request("GET", "/api/v1/security/csrf_token/", h, NULL, 0);
    cr_assert(r && r->status == 200);
    j = json_loads(r->body, 0, NULL);
    snprintf(s->csrf, sizeof s->csrf, "X-CSRFToken: %s", json_string_value(json_object_get(j, "result")));
    json_decref(j);
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, "Set-Cookie"))
            snprintf(s->cookie, sizeof s->cookie, "Cookie: %.*s", (int)strcspn(r->headers[i].value, ";"), r->headers[i].value);
    http_free(r);
}

static json_t *call(session_t *s, const char *method, const char *path, const char *body, int *status) {
    const char *const h[] = {s->bearer, s->cookie, s->csrf, "Content-Type: application/json", NULL};
    http_response_t *r = http_request(method, path, h, body, body ? strlen(body) : 0);
    cr_assert(r);
    *status = r->status;
    json_t *j = json_loads(r->body, JSON_DECODE_ANY, NULL);
    cr_assert(j, "%s %s: %s", method, path, r->body);
    http_free(r);
    return j;
}

Test(css_template, crud_filters_related_bulk_delete) {
    session_t s;
    open_session(&s);
    int st;

    /* bearer alone is not enough for a Superset write: the CSRF token is required */
    const char *const nocsrf[] = {s.bearer, "Content-Type: application/json", NULL};
    http_response_t *r = http_request("POST", "/api/v1/css_template/", nocsrf, "{}", 2);
    cr_assert_eq(r->status, 400);
    cr_assert(strstr(r->body, "400 Bad Request: The CSRF token is missing."), "%s", r->body);
    http_free(r);

    json_t *j = call(&s, "POST", "/api/v1/css_template/", "{\"template_name\":\"liteset tpl\",\"css\":\"body { color: red }\"}", &st);
    cr_assert_eq(st, 201, "%s", json_dumps(j, 0));
    long long id = json_integer_value(json_object_get(j, "id"));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "result"), "template_name")), "liteset tpl");
    json_decref(j);

    char path[256];
    snprintf(path, sizeof path, "/api/v1/css_template/%lld", id);
    j = call(&s, "GET", path, NULL, &st);
    cr_assert_eq(st, 200);
    json_t *res = json_object_get(j, "result");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(res, "created_by"), "id")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(res, "changed_by"), "first_name")), "Admin");
    cr_assert(json_is_string(json_object_get(res, "changed_on_delta_humanized")), "humanized delta");
    cr_assert_str_eq(json_string_value(json_object_get(j, "show_title")), "Show Css Template");
    json_decref(j);

    j = call(&s, "GET", "/api/v1/css_template/?q=(filters:!((col:template_name,opr:css_template_all_text,value:'color:%20red')))",
             NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1, "All Text searches the css too");
    json_decref(j);
    j = call(&s, "GET", "/api/v1/css_template/?q=(filters:!((col:css,opr:css_template_all_text,value:x)))", NULL, &st);
    cr_assert_eq(st, 400, "a custom code on another column");
    json_decref(j);

    j = call(&s, "GET", "/api/v1/css_template/_info?q=(keys:!(filters,permissions))", NULL, &st);
    cr_assert_eq(st, 200);
    json_t *ops = json_object_get(json_object_get(j, "filters"), "template_name");
    bool found = false;
    size_t i;
    json_t *o;
    json_array_foreach(ops, i, o) found = found || !strcmp(json_string_value(json_object_get(o, "operator")), "css_template_all_text");
    cr_assert(found, "_info lists the custom operator");
    cr_assert_eq(json_array_size(json_object_get(j, "permissions")), 2, "can_read and can_write");
    json_decref(j);

    j = call(&s, "GET", "/api/v1/css_template/related/changed_by?q=(filter:adm)", NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_geq(json_integer_value(json_object_get(j, "count")), 1);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(json_object_get(j, "result"), 0), "value")), 1);
    json_decref(j);
    j = call(&s, "GET", "/api/v1/css_template/related/css", NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);

    j = call(&s, "PUT", path, "{\"css\":\"body { color: blue }\"}", &st);
    cr_assert_eq(st, 200);
    json_decref(j);
    j = call(&s, "PUT", path, "{\"template_name\":7}", &st);
    cr_assert_eq(st, 422);
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/css_template/?q=!(%lld)", id);
    j = call(&s, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 200);
    cr_assert_str_eq(json_string_value(json_object_get(j, "message")), "Deleted 1 css template");
    json_decref(j);
    j = call(&s, "DELETE", path, NULL, &st);
    cr_assert_eq(st, 404);
    json_decref(j);
}
