/* The HTML page every SPA route answers with (Superset's spa.html, written
 * here as C): favicons, flag sprites, custom fonts, the `theme` bundle, the
 * CSRF token input, the `#app` div carrying the HTML-escaped bootstrap JSON
 * in data-bootstrap with the loading spinner, the entry bundle, and the
 * script that turns style preloads into stylesheets. Every <script> carries
 * the request's CSP nonce.
 *
 * Deployers' hooks (Superset's head_custom_extra.html and
 * tail_js_custom_extra.html): the settings LITESET_HEAD_CUSTOM_EXTRA and
 * LITESET_TAIL_JS_CUSTOM_EXTRA name HTML files whose contents are inserted
 * as they are at the end of <head> and after the entry bundle. They are
 * read once per configuration.
 *
 * When the Superset frontend cannot be found (see manifest.h) every page is
 * instead a short help page saying how to point Liteset at it. */
#ifndef LITESET_FCGI_SPA_SHELL_H
#define LITESET_FCGI_SPA_SHELL_H

#include <jansson.h>
#include <stdbool.h>

#include "fcgi/request.h"
#include "fcgi/spa/manifest.h"
#include "lib/strbuf.h"

/* Everything the shell shows; no request needed (unit tests render it). */
typedef struct spa_shell {
    const spa_manifest_t *manifest;
    const char *entry;          /* "spa", "embedded"; NULL: no entry bundle */
    const char *title;          /* NULL: empty <title> */
    bool standalone;            /* body class="standalone" */
    const char *bootstrap_json; /* serialized payload, escaped here */
    const char *nonce;          /* "" when Talisman is off */
    const char *csrf_token;     /* "" when CSRF is off */
    const char *assets_prefix;  /* STATIC_ASSETS_PREFIX */
    const json_t *favicons;     /* FAVICONS (list of objects) */
    const json_t *font_urls;    /* CUSTOM_FONT_URLS (list of strings) */
    const char *head_extra;     /* raw HTML, may be NULL */
    const char *tail_extra;
} spa_shell_t;

void spa_shell_write(strbuf_t *sb, const spa_shell_t *shell);
/* The help page for a manifest that is not usable. */
void spa_help_write(strbuf_t *sb, const spa_manifest_t *m, const char *nonce);

/* What a page route renders. */
typedef struct spa_page {
    const char *entry;
    const char *title;
    bool standalone;
    json_t *bootstrap; /* borrowed */
} spa_page_t;

/* Writes the shell as a 200 text/html response (or the help page). */
void spa_render(request_t *req, const spa_page_t *page);
/* True when the frontend is available for this request's configuration. */
bool spa_available(request_t *req);
/* The help page as a 200 text/html response. */
void spa_render_help(request_t *req);

#endif
