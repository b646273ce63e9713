/* Unit tests for fcgi/formdata (Werkzeug request.form / request.args:
 * urlencoded and multipart bodies, first value wins in to_dict, file parts
 * are not fields) and fcgi/urls (FAB's is_safe_redirect_url, url_for's
 * argument encoding, request.url). */
#include <criterion/criterion.h>
#include <string.h>

#include "fcgi/formdata.h"
#include "fcgi/urls.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(spa_formdata, .init = setup, .fini = teardown);

static request_t *mkreq(const char *content_type, const char *body, const char *query) {
    request_t *req = arena_calloc(A, 1, sizeof *req);
    req->arena = A;
    req->method = "POST";
    req->path = "/superset/log/";
    req->query = query ? query : "";
    req->scheme = "http";
    req->host = "example.test:8088";
    req->script_root = "";
    strbuf_init_arena(&req->body, A, 0);
    if (body) strbuf_append(&req->body, body, strlen(body));
    strbuf_init_arena(&req->resp_body, A, 0);
    if (content_type) {
        kv_t *kv = arena_calloc(A, 1, sizeof *kv);
        kv->name = "CONTENT_TYPE";
        kv->value = content_type;
        kv->value_len = strlen(content_type);
        req->params = kv;
    }
    return req;
}

Test(spa_formdata, urlencoded) {
    request_t *r = mkreq("application/x-www-form-urlencoded", "a=1&b=x+y%26z&a=2&empty=&flag", NULL);
    cr_assert_str_eq(form_value(r, "a"), "1");
    cr_assert_str_eq(form_value(r, "b"), "x y&z");
    cr_assert_str_eq(form_value(r, "empty"), "");
    cr_assert_str_eq(form_value(r, "flag"), "");
    cr_assert_null(form_value(r, "missing"));
    json_t *d = form_dict(r);
    cr_assert_eq(json_object_size(d), 4);
    cr_assert_str_eq(json_string_value(json_object_get(d, "a")), "1");
    json_decref(d);
}

Test(spa_formdata, multipart_like_send_beacon) {
    const char *body = "------WebKitFormBoundaryAbC\r\n"
                       "Content-Disposition: form-data; name=\"events\"\r\n\r\n"
                       "[{\"event_name\": \"a\\r\\nb\"}]\r\n"
                       "------WebKitFormBoundaryAbC\r\n"
                       "Content-Disposition: form-data; name=\"upload\"; filename=\"x.csv\"\r\n"
                       "Content-Type: text/csv\r\n\r\n"
                       "1,2\r\n"
                       "------WebKitFormBoundaryAbC\r\n"
                       "Content-Disposition: form-data; name=\"guest_token\"\r\n\r\n"
                       "tok\r\n"
                       "------WebKitFormBoundaryAbC--\r\n";
    request_t *r = mkreq("multipart/form-data; boundary=----WebKitFormBoundaryAbC", body, NULL);
    cr_assert_str_eq(form_value(r, "events"), "[{\"event_name\": \"a\\r\\nb\"}]");
    cr_assert_str_eq(form_value(r, "guest_token"), "tok");
    cr_assert_null(form_value(r, "upload"), "files are not form fields");
    request_t *quoted = mkreq("multipart/form-data; boundary=\"----WebKitFormBoundaryAbC\"", body, NULL);
    cr_assert_str_eq(form_value(quoted, "guest_token"), "tok");
}

Test(spa_formdata, other_types_have_no_fields_and_args_parse) {
    request_t *r = mkreq("application/json", "{\"a\": 1}", "explode=events&x=%2F&x=2");
    cr_assert_null(form_value(r, "a"));
    json_t *args = query_dict(r);
    cr_assert_str_eq(json_string_value(json_object_get(args, "explode")), "events");
    cr_assert_str_eq(json_string_value(json_object_get(args, "x")), "/");
    json_decref(args);
}

Test(spa_formdata, safe_redirects) {
    request_t *r = mkreq(NULL, NULL, NULL);
    cr_assert(url_is_safe_redirect(r, "/superset/welcome/"));
    cr_assert(url_is_safe_redirect(r, "http://example.test:8088/chart/list/"));
    cr_assert(url_is_safe_redirect(r, "https://example.test:8088/x"));
    cr_assert(url_is_safe_redirect(r, "relative/path"));
    cr_assert(!url_is_safe_redirect(r, "http://evil.test/"));
    cr_assert(!url_is_safe_redirect(r, "//evil.test/"));
    cr_assert(!url_is_safe_redirect(r, " //evil.test/"));
    cr_assert(!url_is_safe_redirect(r, "\t//evil.test/"));
    cr_assert(!url_is_safe_redirect(r, "/\t/evil.test/"), "tabs are removed before parsing");
    cr_assert(!url_is_safe_redirect(r, "///evil.test/"));
    cr_assert(!url_is_safe_redirect(r, "javascript:alert(1)"));
    cr_assert(!url_is_safe_redirect(r, "ftp://example.test:8088/"));
    cr_assert(!url_is_safe_redirect(r, "\x01/x"));
    cr_assert(!url_is_safe_redirect(r, ""));
}

Test(spa_formdata, request_url_and_argument_quoting) {
    request_t *r = mkreq(NULL, NULL, "a=%2Fb&c=%41%26");
    r->path = "/dashboard/list/";
    cr_assert_str_eq(url_request(r), "http://example.test:8088/dashboard/list/?a=%2Fb&c=A%26");
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 64);
    url_quote_arg(&sb, "http://h:1/p?q=1&r=a b");
    cr_assert_str_eq(sb.data, "http://h:1/p?q%3D1%26r%3Da+b");
}
