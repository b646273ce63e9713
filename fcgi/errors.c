/* Error bodies; see errors.h. */
#include "fcgi/errors.h"

#include <string.h>

#include "fcgi/app.h"

#define JSON_UTF8 "application/json; charset=utf-8"

void error_fab(request_t *req, int status, const char *message) {
    json_t *j = json_pack("{s:s}", "message", message);
    resp_json(req, status, j, JSON_FLASK);
}

/* SupersetError for GENERIC_BACKEND_ERROR; issue code 1011 is what Superset
 * attaches to that error type. Key order and ", " / ": " separators follow
 * the reference's json.dumps output. */
static void sip40_backend_error(request_t *req, int status, const char *message) {
    json_t *issue = json_pack("{s:i,s:s}", "code", 1011, "message",
                              "Issue 1011 - Superset encountered an unexpected error.");
    json_t *err = json_pack("{s:s,s:s,s:s,s:{s:[o]}}", "message", message, "error_type",
                            "GENERIC_BACKEND_ERROR", "level", "error", "extra", "issue_codes", issue);
    json_t *body = json_pack("{s:[o]}", "errors", err);
    resp_json(req, status, body, JSON_ENSURE_ASCII);
}

void error_jwt(request_t *req, int status, const char *msg) {
    json_t *j = json_pack("{s:s}", "msg", msg);
    resp_json(req, status, j, JSON_FLASK);
    resp_set_header(req, "Content-Type", "application/json");
}

void resp_redirect(request_t *req, int status, const char *location) {
    resp_set_header(req, "Content-Type", "text/html; charset=utf-8");
    resp_set_header(req, "Location", location);
    strbuf_clear(&req->resp_body);
    /* werkzeug escapes the URL for the HTML body */
    strbuf_t esc;
    strbuf_init_arena(&esc, req->arena, strlen(location) + 16);
    for (const char *p = location; *p; p++) {
        switch (*p) {
        case '&': strbuf_puts(&esc, "&amp;"); break;
        case '<': strbuf_puts(&esc, "&lt;"); break;
        case '>': strbuf_puts(&esc, "&gt;"); break;
        case '"': strbuf_puts(&esc, "&#34;"); break;
        case '\'': strbuf_puts(&esc, "&#39;"); break;
        default: strbuf_putc(&esc, *p);
        }
    }
    strbuf_printf(&req->resp_body,
                  "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
                  "<p>You should be redirected automatically to the target URL: <a href=\"%s\">%s</a>. If not, "
                  "click the link.\n",
                  esc.data, esc.data);
    req->status = status;
}

void error_http_desc(request_t *req, int status, const char *description) {
    char *msg = arena_sprintf(req->arena, "%d %s: %s", status, http_reason(status), description);
    sip40_backend_error(req, status, msg);
    req->from_error_handler = true;
}

void error_http(request_t *req, int status) {
    const error_pages_t *pages = req->app ? app_error_pages(req->app) : NULL;
    bool debug = config_bool(req->cfg, "DEBUG", false);
    if (pages && !debug && (status == 404 || status == 500) && req_accepts(req, "text/html")) {
        const char *html = status == 404 ? pages->html_404 : pages->html_500;
        size_t len = status == 404 ? pages->len_404 : pages->len_500;
        if (html) {
            resp_body(req, status, "text/html; charset=utf-8", html, len);
            resp_set_header(req, "Cache-Control", "no-cache");
            req->from_error_handler = true;
            return;
        }
    }
    char *msg = arena_sprintf(req->arena, "%d %s: %s", status, http_reason(status), http_description(status));
    sip40_backend_error(req, status, msg);
    req->from_error_handler = true;
}
