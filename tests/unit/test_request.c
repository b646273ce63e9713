/* Unit tests for fcgi/request and server_render_response: url_decode
 * (Python unquote semantics), req_query_arg (Werkzeug args semantics),
 * req_header CGI mapping, req_accepts (Werkzeug MIMEAccept containment),
 * response header helpers, status reason phrases, and the CGI response
 * rendering (status line, header order, Content-Length, CR/LF stripping,
 * HEAD). Expected values were checked with Python's urllib.parse and
 * Werkzeug 3.1.8. */
#include <criterion/criterion.h>
#include <string.h>
#include <strings.h>

#include "fcgi/request.h"
#include "fcgi/server.h"

static arena_t *A;
static request_t *R;

static request_t *mkreq(const char *method, const char *path, const char *query) {
    request_t *req = arena_calloc(A, 1, sizeof *req);
    req->arena = A;
    req->method = method;
    req->path = path;
    req->query = query ? query : "";
    strbuf_init_arena(&req->resp_body, A, 0);
    return req;
}

/* Appends a FastCGI param (order of arrival is kept). */
static void param(request_t *req, const char *name, const char *value) {
    kv_t *kv = arena_calloc(A, 1, sizeof *kv);
    kv->name = name;
    kv->value = value;
    kv->value_len = strlen(value);
    kv_t **pp = &req->params;
    while (*pp) pp = &(*pp)->next;
    *pp = kv;
}

static void setup(void) {
    A = arena_new(0);
    R = mkreq("GET", "/", "");
}
static void teardown(void) { arena_free(A); }

TestSuite(request, .init = setup, .fini = teardown);

/* ---- url_decode ---- */

static const char *dec(const char *s, bool plus) { return url_decode(A, s, strlen(s), plus); }

Test(request, url_decode_escapes) {
    cr_assert_str_eq(dec("%41", false), "A");
    cr_assert_str_eq(dec("%41%42c", false), "ABc");
    cr_assert_str_eq(dec("%e2%82%ac", false), "\xe2\x82\xac");
    cr_assert_str_eq(dec("%E2%82%AC", false), "\xe2\x82\xac");
    cr_assert_str_eq(dec("%2B", true), "+");
    cr_assert_str_eq(dec("%2f", false), "/");
    cr_assert_str_eq(dec("", false), "");
    cr_assert_str_eq(dec("plain", true), "plain");
}

Test(request, url_decode_invalid_kept_literally) {
    cr_assert_str_eq(dec("%zz", false), "%zz");
    cr_assert_str_eq(dec("%G1", false), "%G1");
    cr_assert_str_eq(dec("%1G", false), "%1G");
    cr_assert_str_eq(dec("abc%", false), "abc%");
    cr_assert_str_eq(dec("100%", true), "100%");
    cr_assert_str_eq(dec("%4", false), "%4");
    cr_assert_str_eq(dec("a%4", false), "a%4");
    cr_assert_str_eq(dec("%", false), "%");
    cr_assert_str_eq(dec("%%41", false), "%A");
}

Test(request, url_decode_plus_space) {
    cr_assert_str_eq(dec("a+b", true), "a b");
    cr_assert_str_eq(dec("a+b", false), "a+b");
    cr_assert_str_eq(dec("+%2B+", true), " + ");
}

Test(request, url_decode_respects_length_and_nul) {
    cr_assert_str_eq(url_decode(A, "%41%42", 3, false), "A");
    cr_assert_str_eq(url_decode(A, "%41%42", 2, false), "%4", "an escape cut by n is literal");
    char *s = url_decode(A, "%00x", 4, false);
    cr_assert_eq(s[0], '\0');
    cr_assert_eq(s[1], 'x');
    cr_assert_eq(s[2], '\0');
}

/* ---- query args ---- */

Test(request, query_arg_first_occurrence_and_missing) {
    R->query = "a=1&b=2&a=3";
    cr_assert_str_eq(req_query_arg(R, "a"), "1");
    cr_assert_str_eq(req_query_arg(R, "b"), "2");
    cr_assert_null(req_query_arg(R, "c"));
    cr_assert_null(req_query_arg(R, "A"), "keys are case-sensitive");
    cr_assert_null(req_query_arg(R, ""));
}

Test(request, query_arg_blank_and_odd_forms) {
    R->query = "flag&x=1&a=&e=b=c&&last";
    cr_assert_str_eq(req_query_arg(R, "flag"), "");
    cr_assert_str_eq(req_query_arg(R, "x"), "1");
    cr_assert_str_eq(req_query_arg(R, "a"), "");
    cr_assert_str_eq(req_query_arg(R, "e"), "b=c");
    cr_assert_str_eq(req_query_arg(R, "last"), "");
    R->query = "=v&k";
    cr_assert_str_eq(req_query_arg(R, ""), "v");
    cr_assert_str_eq(req_query_arg(R, "k"), "");
    R->query = "";
    cr_assert_null(req_query_arg(R, "a"));
}

Test(request, query_arg_prefix_is_not_a_match) {
    R->query = "ab=1&abc=2&b=3";
    cr_assert_null(req_query_arg(R, "a"));
    cr_assert_str_eq(req_query_arg(R, "abc"), "2");
    cr_assert_str_eq(req_query_arg(R, "b"), "3");
}

Test(request, query_arg_encoded_keys_and_values) {
    R->query = "q%20x=a%2Bb+c&x=%zz&q=%28columns%3A%21%28id%29%29&%71=second";
    cr_assert_str_eq(req_query_arg(R, "q x"), "a+b c");
    cr_assert_str_eq(req_query_arg(R, "x"), "%zz");
    cr_assert_str_eq(req_query_arg(R, "q"), "(columns:!(id))", "rison q as the frontend sends it");
}

Test(request, query_arg_encoded_key_matches_decoded_name) {
    R->query = "%71=first&q=second";
    cr_assert_str_eq(req_query_arg(R, "q"), "first");
}

/* ---- headers ---- */

Test(request, header_mapping) {
    param(R, "CONTENT_TYPE", "application/json");
    param(R, "CONTENT_LENGTH", "17");
    param(R, "HTTP_X_REQUESTED_WITH", "XMLHttpRequest");
    param(R, "HTTP_ACCEPT", "*/*");
    param(R, "HTTP_X_CSRFTOKEN", "tok");
    cr_assert_str_eq(req_header(R, "Content-Type"), "application/json");
    cr_assert_str_eq(req_header(R, "content-type"), "application/json");
    cr_assert_str_eq(req_header(R, "CONTENT-LENGTH"), "17");
    cr_assert_str_eq(req_header(R, "X-Requested-With"), "XMLHttpRequest");
    cr_assert_str_eq(req_header(R, "x-requested-with"), "XMLHttpRequest");
    cr_assert_str_eq(req_header(R, "X-CSRFToken"), "tok");
    cr_assert_str_eq(req_header(R, "accept"), "*/*");
    cr_assert_null(req_header(R, "Cookie"));
    /* CONTENT_TYPE is not an HTTP_ param: no match through the prefix rule. */
    cr_assert_null(req_header(R, "Type"));
    /* Raw params are exact-name lookups. */
    cr_assert_str_eq(req_param(R, "CONTENT_TYPE"), "application/json");
    cr_assert_null(req_param(R, "content_type"));
}

Test(request, header_first_param_wins_and_long_names) {
    param(R, "HTTP_HOST", "a.example");
    param(R, "HTTP_HOST", "b.example");
    cr_assert_str_eq(req_header(R, "Host"), "a.example");
    char longname[400];
    memset(longname, 'X', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    cr_assert_null(req_header(R, longname));
}

/* ---- Accept ---- */

static bool accepts(const char *accept_header, const char *mime) {
    request_t *req = mkreq("GET", "/", "");
    if (accept_header) param(req, "HTTP_ACCEPT", accept_header);
    return req_accepts(req, mime);
}

Test(request, accepts_matches_werkzeug) {
    cr_assert_not(accepts(NULL, "text/html"));
    cr_assert_not(accepts("", "text/html"));
    cr_assert(accepts("*/*", "text/html"));
    cr_assert(accepts("text/*", "text/html"));
    cr_assert_not(accepts("text/*", "application/json"));
    cr_assert_not(accepts("application/json", "text/html"));
    cr_assert(accepts("application/json, text/html;q=0.9", "text/html"));
    cr_assert(accepts("application/json,text/html", "text/html"));
    cr_assert(accepts("TEXT/HTML", "text/html"));
    cr_assert(accepts("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", "text/html"));
    cr_assert(accepts("application/json, */*;q=0.5", "text/html"));
    cr_assert_not(accepts("text/htmlx", "text/html"));
    cr_assert_not(accepts("text/htm", "text/html"));
    /* An invalid q makes Werkzeug skip the entry. */
    cr_assert_not(accepts("text/html;q=abc", "text/html"));
}

/* Regression test (was a bug): fcgi/request.c req_accepts differs from Werkzeug 3.1.8's
 * `mime in request.accept_mimetypes` (what Superset's error handler uses):
 *  - q=0 entries still match in Werkzeug (Accept.__contains__ ignores the
 *    quality): "text/html;q=0" and "*" + "/" + "*;q=0" contain text/html;
 *    Liteset answers false. NOTE: the task brief expected false for
 *    "text/html;q=0"; that contradicts the reference, so this test follows
 *    Werkzeug and the lead should decide.
 *  - a bare "*" is not a valid media range for MIMEAccept: Werkzeug false,
 *    Liteset true.
 *  - media-type parameters must match: "text/html;level=1" does not contain
 *    "text/html" in Werkzeug; Liteset true.
 * Disabled until decided/fixed. */
Test(request, accepts_edge_cases_like_werkzeug) {
    cr_assert(accepts("text/html;q=0", "text/html"));
    cr_assert(accepts("*/*;q=0", "text/html"));
    cr_assert(accepts("text/plain,text/html;q=0", "text/html"));
    cr_assert_not(accepts("*", "text/html"));
    cr_assert_not(accepts("text/html;level=1", "text/html"));
}

/* ---- response headers ---- */

static int count_headers(const request_t *req, const char *name) {
    int n = 0;
    for (const kv_t *h = req->resp_headers; h; h = h->next)
        if (!strcasecmp(h->name, name)) n++;
    return n;
}

Test(request, set_header_replaces_add_appends) {
    resp_add_header(R, "Set-Cookie", "a=1");
    resp_add_header(R, "Set-Cookie", "b=2");
    cr_assert_eq(count_headers(R, "Set-Cookie"), 2);
    resp_set_header(R, "X-Frame-Options", "SAMEORIGIN");
    resp_set_header(R, "x-frame-options", "DENY");
    cr_assert_eq(count_headers(R, "X-Frame-Options"), 1);
    cr_assert_str_eq(resp_get_header(R, "X-FRAME-OPTIONS"), "DENY");
    /* The replaced header keeps its position and original name. */
    cr_assert_str_eq(R->resp_headers->next->next->name, "X-Frame-Options");
    cr_assert_eq(R->resp_headers->next->next->value_len, 4);
    cr_assert_null(resp_get_header(R, "Vary"));
}

Test(request, remove_header_all_occurrences_and_tail) {
    resp_add_header(R, "A", "1");
    resp_add_header(R, "B", "2");
    resp_add_header(R, "a", "3");
    resp_remove_header(R, "A");
    cr_assert_eq(count_headers(R, "A"), 0);
    cr_assert_str_eq(R->resp_headers->name, "B");
    cr_assert_null(R->resp_headers->next);
    /* The tail is fixed up: appending after removing the last header works. */
    resp_add_header(R, "C", "4");
    cr_assert_str_eq(R->resp_headers->next->name, "C");
    resp_remove_header(R, "C");
    resp_add_header(R, "D", "5");
    cr_assert_str_eq(R->resp_headers->name, "B");
    cr_assert_str_eq(R->resp_headers->next->name, "D");
    cr_assert_null(R->resp_headers->next->next);
    resp_remove_header(R, "B");
    resp_remove_header(R, "D");
    cr_assert_null(R->resp_headers);
    resp_add_header(R, "E", "6");
    cr_assert_str_eq(R->resp_headers->name, "E");
    resp_remove_header(R, "missing");
    cr_assert_str_eq(R->resp_headers->name, "E");
}

Test(request, resp_body_and_json) {
    resp_body(R, 201, "text/plain", "hi\0there", 8);
    cr_assert_eq(R->status, 201);
    cr_assert_eq(R->resp_body.len, 8);
    cr_assert_eq(memcmp(R->resp_body.data, "hi\0there", 8), 0);
    cr_assert_str_eq(resp_get_header(R, "Content-Type"), "text/plain");
    resp_json(R, 200, json_pack("{s:i}", "id", 5), JSON_COMPACT);
    cr_assert_eq(R->status, 200);
    cr_assert_str_eq(R->resp_body.data, "{\"id\":5}");
    cr_assert_str_eq(resp_get_header(R, "Content-Type"), "application/json; charset=utf-8");
    cr_assert_eq(count_headers(R, "Content-Type"), 1);
}

Test(request, reason_phrases) {
    cr_assert_str_eq(http_reason_upper(404), "NOT FOUND");
    cr_assert_str_eq(http_reason_upper(200), "OK");
    cr_assert_str_eq(http_reason_upper(308), "PERMANENT REDIRECT");
    cr_assert_str_eq(http_reason_upper(405), "METHOD NOT ALLOWED");
    cr_assert_str_eq(http_reason_upper(422), "UNPROCESSABLE ENTITY");
    cr_assert_str_eq(http_reason_upper(599), "UNKNOWN");
    cr_assert_str_eq(http_reason(404), "Not Found");
    cr_assert_str_eq(http_reason(413), "Request Entity Too Large");
    cr_assert_str_eq(http_description(405), "The method is not allowed for the requested URL.");
    cr_assert_str_eq(http_description(200), "");
}

/* ---- server_render_response ---- */

static const char *render(const request_t *req, size_t *len) {
    strbuf_t out;
    strbuf_init_arena(&out, A, 0);
    server_render_response(req, &out);
    if (len) *len = out.len;
    return out.data;
}

Test(request, render_status_headers_in_order_and_length) {
    resp_body(R, 404, "application/json; charset=utf-8", "{\"message\":\"Not found\"}", 23);
    resp_add_header(R, "Vary", "Accept-Encoding");
    resp_add_header(R, "Set-Cookie", "a=1");
    resp_add_header(R, "Set-Cookie", "b=2");
    size_t len;
    const char *out = render(R, &len);
    const char *expect = "Status: 404 NOT FOUND\r\n"
                         "Content-Type: application/json; charset=utf-8\r\n"
                         "Vary: Accept-Encoding\r\n"
                         "Set-Cookie: a=1\r\n"
                         "Set-Cookie: b=2\r\n"
                         "Content-Length: 23\r\n"
                         "\r\n"
                         "{\"message\":\"Not found\"}";
    cr_assert_str_eq(out, expect);
    cr_assert_eq(len, strlen(expect));
}

Test(request, render_default_status_and_empty_body) {
    size_t len;
    const char *out = render(R, &len);
    cr_assert_str_eq(out, "Status: 200 OK\r\nContent-Length: 0\r\n\r\n");
}

Test(request, render_keeps_explicit_content_length) {
    R->status = 200;
    resp_add_header(R, "Content-Length", "99");
    strbuf_append(&R->resp_body, "abc", 3);
    cr_assert_str_eq(render(R, NULL), "Status: 200 OK\r\nContent-Length: 99\r\n\r\nabc");
}

Test(request, render_204_and_304_have_no_content_length) {
    R->status = 204;
    cr_assert_str_eq(render(R, NULL), "Status: 204 NO CONTENT\r\n\r\n");
    R->status = 304;
    cr_assert_str_eq(render(R, NULL), "Status: 304 NOT MODIFIED\r\n\r\n");
}

Test(request, render_strips_cr_lf_from_header_values) {
    R->status = 302;
    resp_add_header(R, "Location", "/login/\r\nSet-Cookie: evil=1");
    resp_add_header(R, "X-Test", "a\nb\rc");
    const char *out = render(R, NULL);
    cr_assert_str_eq(out, "Status: 302 FOUND\r\n"
                          "Location: /login/Set-Cookie: evil=1\r\n"
                          "X-Test: abc\r\n"
                          "Content-Length: 0\r\n\r\n");
    /* Exactly one header line break per header plus the blank line. */
    int crlf = 0;
    for (const char *p = out; (p = strstr(p, "\r\n")); p += 2) crlf++;
    cr_assert_eq(crlf, 5);
}

Test(request, render_head_omits_body_keeps_length) {
    request_t *req = mkreq("HEAD", "/health", "");
    resp_body(req, 200, "text/html; charset=utf-8", "OK", 2);
    size_t len;
    const char *out = render(req, &len);
    const char *expect = "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 2\r\n\r\n";
    cr_assert_str_eq(out, expect);
    cr_assert_eq(len, strlen(expect));
}

Test(request, render_binary_body) {
    R->status = 200;
    strbuf_append(&R->resp_body, "\0\1\2\0", 4);
    size_t len;
    const char *out = render(R, &len);
    const char *head = "Status: 200 OK\r\nContent-Length: 4\r\n\r\n";
    cr_assert_eq(len, strlen(head) + 4);
    cr_assert_eq(memcmp(out, head, strlen(head)), 0);
    cr_assert_eq(memcmp(out + strlen(head), "\0\1\2\0", 4), 0);
}
