/* SPA shell rendering; see shell.h. */
#include "fcgi/spa/shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/auth.h"
#include "lib/html.h"
#include "lib/json.h"
#include "lib/log.h"

static void esc(strbuf_t *sb, const char *s) {
    if (s) html_escape_sb(sb, s, strlen(s));
}

typedef struct bundle_ctx {
    strbuf_t *sb;
    const char *prefix;
    const char *nonce;
} bundle_ctx_t;

static void emit_script(void *ud, const char *path) {
    bundle_ctx_t *c = ud;
    strbuf_puts(c->sb, "<script src=\"");
    esc(c->sb, c->prefix);
    esc(c->sb, path);
    strbuf_puts(c->sb, "\" async nonce=\"");
    esc(c->sb, c->nonce);
    strbuf_puts(c->sb, "\"></script>\n");
}

/* js_bundle(prefix, entry): the entry's JS files not yet emitted. */
static void js_bundle(strbuf_t *sb, const spa_shell_t *s, const char *entry, json_t *seen) {
    bundle_ctx_t c = {sb, s->assets_prefix ? s->assets_prefix : "", s->nonce ? s->nonce : ""};
    strbuf_printf(sb, "<!-- Bundle js %s START -->\n", entry);
    spa_manifest_js(s->manifest, entry, seen, emit_script, &c);
    strbuf_printf(sb, "<!-- Bundle js %s END -->\n", entry);
}

static const char *obj_str(const json_t *o, const char *key) {
    const char *v = json_string_value(json_object_get(o, key));
    return v && *v ? v : NULL;
}

static void favicons(strbuf_t *sb, const spa_shell_t *s) {
    size_t i;
    const json_t *f;
    json_array_foreach(s->favicons, i, f) {
        const char *href = obj_str(f, "href");
        const char *rel = obj_str(f, "rel"), *type = obj_str(f, "type"), *sizes = obj_str(f, "sizes");
        strbuf_puts(sb, "    <link rel=\"");
        esc(sb, rel ? rel : "icon");
        strbuf_puts(sb, "\" type=\"");
        esc(sb, type ? type : "image/png");
        strbuf_puts(sb, "\"");
        if (sizes) {
            strbuf_puts(sb, " sizes=\"");
            esc(sb, sizes);
            strbuf_puts(sb, "\"");
        }
        strbuf_puts(sb, " href=\"");
        if (!href || strncmp(href, "http", 4)) esc(sb, s->assets_prefix);
        esc(sb, href);
        strbuf_puts(sb, "\"/>\n");
    }
}

void spa_shell_write(strbuf_t *sb, const spa_shell_t *s) {
    const char *prefix = s->assets_prefix ? s->assets_prefix : "";
    json_t *seen = json_object(); /* one "already emitted" set per render */
    strbuf_puts(sb, "<!DOCTYPE html>\n<html>\n  <head>\n    <title>");
    esc(sb, s->title);
    strbuf_puts(sb, "</title>\n"
                    "    <style>\n"
                    "      body { background: #fff; color: #000; }\n"
                    "      @media (prefers-color-scheme: dark) {\n"
                    "        body { background: #000; color: #fff; }\n"
                    "      }\n"
                    "    </style>\n");
    favicons(sb, s);
    strbuf_puts(sb, "    <link rel=\"preload\" type=\"text/css\" href=\"");
    esc(sb, prefix);
    strbuf_puts(sb, "/static/appbuilder/css/flags/flags16.css\" as=\"style\"/>\n");
    size_t i;
    const json_t *font;
    json_array_foreach(s->font_urls, i, font) {
        if (!json_is_string(font)) continue;
        strbuf_puts(sb, "    <link rel=\"stylesheet\" href=\"");
        esc(sb, json_string_value(font));
        strbuf_puts(sb, "\"/>\n");
    }
    js_bundle(sb, s, "theme", seen);
    strbuf_puts(sb, "    <input type=\"hidden\" name=\"csrf_token\" id=\"csrf_token\" value=\"");
    esc(sb, s->csrf_token);
    strbuf_puts(sb, "\"/>\n");
    if (s->head_extra) strbuf_puts(sb, s->head_extra);
    strbuf_puts(sb, "  </head>\n  <body");
    if (s->standalone) strbuf_puts(sb, " class=\"standalone\"");
    strbuf_puts(sb, ">\n    <div id=\"app\" data-bootstrap=\"");
    esc(sb, s->bootstrap_json);
    strbuf_puts(sb, "\">\n      <img src=\"");
    esc(sb, prefix);
    strbuf_puts(sb, "/static/assets/images/loading.gif\" alt=\"\" aria-label=\"Loading\""
                    " style=\"width: 50px; position: absolute; top: 50%; left: 50%;"
                    " transform: translate(-50%, -50%);\"/>\n    </div>\n");
    if (s->entry) js_bundle(sb, s, s->entry, seen);
    if (s->tail_extra) strbuf_puts(sb, s->tail_extra);
    strbuf_puts(sb, "    <script nonce=\"");
    esc(sb, s->nonce);
    strbuf_puts(sb, "\">\n"
                    "      document.addEventListener('DOMContentLoaded', function () {\n"
                    "        var links = document.querySelectorAll('link[rel=\"preload\"][as=\"style\"]');\n"
                    "        for (var i = 0; i < links.length; i++) links[i].rel = 'stylesheet';\n"
                    "      });\n"
                    "    </script>\n  </body>\n</html>\n");
    json_decref(seen);
}

void spa_help_write(strbuf_t *sb, const spa_manifest_t *m, const char *nonce) {
    (void)nonce; /* the page has no script */
    strbuf_puts(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n"
                    "    <meta charset=\"utf-8\">\n"
                    "    <title>Liteset: the Superset frontend was not found</title>\n"
                    "    <style>\n"
                    "      body { font-family: sans-serif; max-width: 46em; margin: 3em auto; padding: 0 1em;"
                    " line-height: 1.5; background: #fff; color: #000; }\n"
                    "      @media (prefers-color-scheme: dark) { body { background: #000; color: #fff; } }\n"
                    "      code, pre { background: rgba(127,127,127,.15); padding: .1em .3em; }\n"
                    "    </style>\n  </head>\n  <body>\n"
                    "    <h1 id=\"liteset-no-frontend\">The Superset frontend was not found</h1>\n"
                    "    <p>Liteset serves the web application that comes with Superset 6.0.0 but does not ship it."
                    " It needs the <code>superset/static</code> directory of a Superset installation: the one"
                    " that holds <code>assets/manifest.json</code>.</p>\n"
                    "    <p><strong>Problem:</strong> ");
    html_escape_sb(sb, m && m->problem ? m->problem : "unknown", strlen(m && m->problem ? m->problem : "unknown"));
    if (m && m->source) {
        strbuf_puts(sb, " (The static directory was taken from ");
        html_escape_sb(sb, m->source, strlen(m->source));
        strbuf_puts(sb, ".)");
    }
    strbuf_puts(sb, "</p>\n"
                    "    <h2>How to fix it</h2>\n"
                    "    <ol>\n"
                    "      <li>Install Superset 6.0.0 somewhere this server can read, for example"
                    " <code>pip install apache-superset==6.0.0</code> in a virtualenv. Its static directory is"
                    " <code>&lt;site-packages&gt;/superset/static</code>. A source checkout needs its frontend"
                    " built first (<code>npm ci &amp;&amp; npm run build</code> in"
                    " <code>superset-frontend</code>).</li>\n"
                    "      <li>Tell Liteset where it is, either in <code>superset_config.py</code>:\n"
                    "        <pre>LITESET_STATIC_DIR = '/path/to/site-packages/superset/static'</pre>\n"
                    "        or with the environment variable <code>LITESET_STATIC_DIR</code> of the"
                    " liteset-fcgi processes. Without either, Liteset looks for an installed"
                    " <code>superset</code> package in the usual Python locations.</li>\n"
                    "      <li>Let the web server serve the same directory at <code>/static/</code> (see"
                    " <code>deploy/nginx</code>).</li>\n"
                    "      <li>Reload Liteset (SIGHUP to the liteset-fcgi processes) or restart it.</li>\n"
                    "    </ol>\n  </body>\n</html>\n");
}

/* ---- hooks, read once per configuration ---- */

static struct {
    const config_t *cfg;
    char *head;
    char *tail;
} g_hooks;

static char *read_hook(const config_t *cfg, const char *key) {
    const char *path = config_str(cfg, key, NULL);
    if (!path || !*path) return NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        log_warn("%s: cannot read %s", key, path);
        return NULL;
    }
    strbuf_t sb;
    strbuf_init(&sb, 1024);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && sb.len < (1u << 20)) strbuf_append(&sb, buf, n);
    fclose(f);
    return sb.data;
}

static void hooks_for(const config_t *cfg) {
    if (g_hooks.cfg == cfg) return;
    free(g_hooks.head);
    free(g_hooks.tail);
    g_hooks.head = read_hook(cfg, "LITESET_HEAD_CUSTOM_EXTRA");
    g_hooks.tail = read_hook(cfg, "LITESET_TAIL_JS_CUSTOM_EXTRA");
    g_hooks.cfg = cfg;
}

/* ---- responses ---- */

static const char *nonce_of(request_t *req) {
    return config_bool(req->cfg, "TALISMAN_ENABLED", true) && req->csp_nonce ? req->csp_nonce : "";
}

bool spa_available(request_t *req) { return spa_manifest(req)->ok; }

void spa_render_help(request_t *req) {
    strbuf_clear(&req->resp_body);
    spa_help_write(&req->resp_body, spa_manifest(req), nonce_of(req));
    resp_set_header(req, "Content-Type", "text/html; charset=utf-8");
    req->status = 200;
}

void spa_render(request_t *req, const spa_page_t *page) {
    const spa_manifest_t *m = spa_manifest(req);
    if (!m->ok) {
        spa_render_help(req);
        return;
    }
    hooks_for(req->cfg);
    const char *json = json_dump_arena(req->arena, page->bootstrap, JSON_PY_DEFAULT, NULL);
    spa_shell_t s = {
        .manifest = m,
        .entry = page->entry,
        .title = page->title,
        .standalone = page->standalone,
        .bootstrap_json = json ? json : "{}",
        .nonce = nonce_of(req),
        .csrf_token = config_bool(req->cfg, "WTF_CSRF_ENABLED", true) ? auth_csrf_token(req) : "",
        .assets_prefix = config_str(req->cfg, "STATIC_ASSETS_PREFIX", ""),
        .favicons = config_get(req->cfg, "FAVICONS"),
        .font_urls = config_get(req->cfg, "CUSTOM_FONT_URLS"),
        .head_extra = g_hooks.head,
        .tail_extra = g_hooks.tail,
    };
    strbuf_clear(&req->resp_body);
    spa_shell_write(&req->resp_body, &s);
    resp_set_header(req, "Content-Type", "text/html; charset=utf-8");
    req->status = 200;
}
