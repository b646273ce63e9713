/* Error bodies; see errors.h. */
#include "fcgi/errors.h"

#include <string.h>

#include "fcgi/app.h"

#define JSON_UTF8 "application/json; charset=utf-8"

void error_fab(request_t *req, int status, const char *message) {
    json_t *j = json_pack("{s:s}", "message", message);
    resp_json(req, status, j, JSON_COMPACT);
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
