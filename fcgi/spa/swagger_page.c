/* Swagger UI page rendering; see swagger_page.h. */
#include "fcgi/spa/swagger_page.h"

#include <stdbool.h>
#include <string.h>

#include "lib/html.h"

static void esc(strbuf_t *sb, const char *s) {
    if (s) html_escape_sb(sb, s, strlen(s));
}

static bool nonempty(const char *s) { return s && *s; }

static const char *text(const char *translated, const char *english) { return translated ? translated : english; }

/* Stylesheets and scripts of the base layout, in its order, relative to
 * the static root. */
static const char *const head_css[] = {
    "css/bootstrap.min.css",
    "css/fontawesome/fontawesome.min.css",
    "css/fontawesome/regular.min.css",
    "css/fontawesome/solid.min.css",
    "css/fontawesome/brands.min.css",
    "css/fontawesome/v4-shims.min.css",
    NULL, /* the APP_THEME stylesheet goes here */
    "css/bootstrap-datepicker/bootstrap-datepicker3.min.css",
    "css/select2/select2.min.css",
    "css/select2/select2-bootstrap.min.css",
    "css/flags/flags16.css",
    "css/ab.css",
    "css/swagger/swagger-ui.css",
};
static const char *const head_js[] = {
    "js/jquery-latest.js",
    "js/ab_filters.js",
    "js/ab_actions.js",
    "js/swagger-ui-bundle.js",
};
static const char *const tail_js[] = {
    "js/bootstrap.min.js",
    "js/bootstrap-datepicker/bootstrap-datepicker.min.js",
    "js/select2/select2.min.js",
    "js/ab.js",
};

static void stylesheet(strbuf_t *sb, const swagger_page_t *p, const char *dir, const char *file) {
    strbuf_puts(sb, "    <link href=\"");
    esc(sb, p->fab_static);
    strbuf_putc(sb, '/');
    esc(sb, dir);
    esc(sb, file);
    strbuf_puts(sb, "\" rel=\"stylesheet\">\n");
}

static void script(strbuf_t *sb, const swagger_page_t *p, const char *file) {
    strbuf_puts(sb, "    <script src=\"");
    esc(sb, p->fab_static);
    strbuf_putc(sb, '/');
    esc(sb, file);
    strbuf_puts(sb, "\" nonce=\"");
    esc(sb, p->nonce);
    strbuf_puts(sb, "\"></script>\n");
}

static void head(strbuf_t *sb, const swagger_page_t *p) {
    strbuf_puts(sb, "<!DOCTYPE html>\n<html>\n  <head>\n    <title>");
    esc(sb, p->app_name);
    strbuf_puts(sb, "</title>\n"
                    "    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
                    "    <meta name=\"description\" content=\"\">\n"
                    "    <meta name=\"author\" content=\"\">\n");
    for (size_t i = 0; i < sizeof head_css / sizeof head_css[0]; i++) {
        if (head_css[i]) stylesheet(sb, p, "", head_css[i]);
        else if (nonempty(p->app_theme)) stylesheet(sb, p, "css/themes/", p->app_theme);
    }
    for (size_t i = 0; i < sizeof head_js / sizeof head_js[0]; i++) script(sb, p, head_js[i]);
    strbuf_puts(sb, "  </head>\n");
}

/* The two hidden dialogs the layout's scripts open. */
static void dialogs(strbuf_t *sb, const swagger_page_t *p) {
    strbuf_puts(sb, "    <div class=\"modal fade\" id=\"modal-confirm\" tabindex=\"-1\" role=\"dialog\">\n"
                    "      <div class=\"modal-dialog modal-sm\"><div class=\"modal-content\">\n"
                    "        <div class=\"modal-header\"><h4 class=\"modal-title\" id=\"myModalLabel\">");
    esc(sb, text(p->text_confirm, "User confirmation needed"));
    strbuf_puts(sb, "</h4></div>\n"
                    "        <div class=\"modal-body\"><div class=\"modal-text\"></div></div>\n"
                    "        <div class=\"modal-footer\">\n"
                    "          <button type=\"button\" class=\"btn btn-default\" data-dismiss=\"modal\">Cancel</button>\n"
                    "          <a href=\"#\" id=\"modal-confirm-ok\" class=\"btn btn-danger danger\">OK</a>\n"
                    "        </div>\n"
                    "      </div></div>\n"
                    "    </div>\n"
                    "    <div class=\"modal fade\" id=\"modal-alert\" tabindex=\"-1\" role=\"dialog\">\n"
                    "      <div class=\"modal-dialog modal-sm\"><div class=\"modal-content\">\n"
                    "        <div class=\"modal-body\"><div><h4 class=\"modal-text\"></h4></div></div>\n"
                    "        <div class=\"modal-footer\">\n"
                    "          <button type=\"button\" class=\"btn btn-default\" data-dismiss=\"modal\">OK</button>\n"
                    "        </div>\n"
                    "      </div></div>\n"
                    "    </div>\n");
}

static const char *item_str(const json_t *item, const char *key) {
    const char *v = json_string_value(json_object_get(item, key));
    return v ? v : "";
}

static void menu_link(strbuf_t *sb, const json_t *item) {
    strbuf_puts(sb, "<a tabindex=\"-1\" href=\"");
    esc(sb, item_str(item, "url"));
    strbuf_puts(sb, "\">");
    if (*item_str(item, "icon")) {
        strbuf_puts(sb, "<i class=\"fa fa-fw ");
        esc(sb, item_str(item, "icon"));
        strbuf_puts(sb, "\"></i>&nbsp;");
    }
    esc(sb, item_str(item, "label"));
    strbuf_puts(sb, "</a>");
}

/* A separator ("-") shows as a divider unless it is the last child. */
static void dropdown(strbuf_t *sb, const json_t *item, const json_t *childs) {
    strbuf_puts(sb, "          <li class=\"dropdown\"><a class=\"dropdown-toggle\" data-toggle=\"dropdown\" href=\"#\">");
    if (*item_str(item, "icon")) {
        strbuf_puts(sb, "<i class=\"fa ");
        esc(sb, item_str(item, "icon"));
        strbuf_puts(sb, "\"></i>&nbsp;");
    }
    esc(sb, item_str(item, "label"));
    strbuf_puts(sb, "<b class=\"caret\"></b></a>\n            <ul class=\"dropdown-menu\">\n");
    size_t i, n = json_array_size(childs);
    const json_t *child;
    json_array_foreach(childs, i, child) {
        bool separator = json_is_string(child) || !strcmp(item_str(child, "name"), "-");
        if (separator && i + 1 == n) continue;
        if (separator) {
            strbuf_puts(sb, "              <li class=\"divider\"></li>\n");
            continue;
        }
        strbuf_puts(sb, "              <li>");
        menu_link(sb, child);
        strbuf_puts(sb, "</li>\n");
    }
    strbuf_puts(sb, "            </ul></li>\n");
}

static void menu(strbuf_t *sb, const json_t *items) {
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item) {
        const json_t *childs = json_object_get(item, "childs");
        if (json_is_array(childs)) {
            dropdown(sb, item, childs);
            continue;
        }
        strbuf_puts(sb, "          <li>");
        menu_link(sb, item);
        strbuf_puts(sb, "</li>\n");
    }
}

static const char *flag_of(const json_t *languages, const char *code) {
    return item_str(json_object_get(languages, code), "flag");
}

/* The language picker, only when there is more than one language. */
static void locale_menu(strbuf_t *sb, const swagger_page_t *p) {
    if (json_object_size(p->languages) < 2) return;
    strbuf_puts(sb, "          <li class=\"dropdown\"><a class=\"dropdown-toggle\" data-toggle=\"dropdown\" href=\"#\">"
                    "<div class=\"f16\"><i class=\"flag ");
    esc(sb, flag_of(p->languages, p->locale));
    strbuf_puts(sb, "\"></i><b class=\"caret\"></b></div></a>\n"
                    "            <ul class=\"dropdown-menu\"><li class=\"dropdown\">\n");
    const char *code;
    const json_t *lang;
    json_object_foreach((json_t *)p->languages, code, lang) {
        if (!strcmp(code, p->locale)) continue;
        strbuf_puts(sb, "              <a tabindex=\"-1\" href=\"");
        esc(sb, p->script_root);
        strbuf_puts(sb, "/lang/");
        esc(sb, code);
        strbuf_puts(sb, "\"><div class=\"f16\"><i class=\"flag ");
        esc(sb, item_str(lang, "flag"));
        strbuf_puts(sb, "\"></i> - ");
        esc(sb, item_str(lang, "name"));
        strbuf_puts(sb, "</div></a>\n");
    }
    strbuf_puts(sb, "            </li></ul></li>\n");
}

static void user_menu(strbuf_t *sb, const swagger_page_t *p) {
    if (!p->user_name) {
        strbuf_puts(sb, "          <li><a href=\"");
        esc(sb, p->script_root);
        strbuf_puts(sb, "/login/\"><i class=\"fa fa-fw fa-sign-in\"></i>");
        esc(sb, text(p->text_login, "Login"));
        strbuf_puts(sb, "</a></li>\n");
        return;
    }
    strbuf_puts(sb, "          <li class=\"dropdown\"><a class=\"dropdown-toggle\" data-toggle=\"dropdown\" href=\"#\">"
                    "<span class=\"fa fa-user\"></span> ");
    esc(sb, p->user_name);
    strbuf_puts(sb, "<b class=\"caret\"></b></a>\n            <ul class=\"dropdown-menu\">\n              <li><a href=\"");
    esc(sb, p->script_root);
    strbuf_puts(sb, "/user_info/\"><span class=\"fa fa-fw fa-user\"></span>");
    esc(sb, text(p->text_profile, "Profile"));
    strbuf_puts(sb, "</a></li>\n              <li><a href=\"");
    esc(sb, p->script_root);
    strbuf_puts(sb, "/logout/\"><span class=\"fa fa-fw fa-sign-out\"></span>");
    esc(sb, text(p->text_logout, "Logout"));
    strbuf_puts(sb, "</a></li>\n            </ul></li>\n");
}

static void navbar(strbuf_t *sb, const swagger_page_t *p) {
    strbuf_puts(sb, "    <header class=\"top\" role=\"header\">\n"
                    "    <div class=\"navbar navbar-inverse\" role=\"navigation\">\n      <div class=\"container\">\n"
                    "        <div class=\"navbar-header\">\n"
                    "          <button type=\"button\" class=\"navbar-toggle\" data-toggle=\"collapse\""
                    " data-target=\".navbar-collapse\"><span class=\"icon-bar\"></span><span class=\"icon-bar\">"
                    "</span><span class=\"icon-bar\"></span></button>\n");
    if (nonempty(p->app_icon)) {
        strbuf_puts(sb, "          <a class=\"navbar-brand\" href=\"");
        esc(sb, p->index_url);
        strbuf_puts(sb, "\"><img src=\"");
        esc(sb, p->app_icon);
        strbuf_puts(sb, "\" height=\"100%\" width=\"auto\"></a>\n");
    } else {
        strbuf_puts(sb, "          <span class=\"navbar-brand\"><a href=\"");
        esc(sb, p->index_url);
        strbuf_puts(sb, "\">");
        esc(sb, p->app_name);
        strbuf_puts(sb, "</a></span>\n");
    }
    strbuf_puts(sb, "        </div>\n        <div class=\"navbar-collapse collapse\">\n"
                    "          <ul class=\"nav navbar-nav\">\n");
    menu(sb, p->menu);
    strbuf_puts(sb, "          </ul>\n          <ul class=\"nav navbar-nav navbar-right\">\n");
    locale_menu(sb, p);
    user_menu(sb, p);
    strbuf_puts(sb, "          </ul>\n        </div>\n      </div>\n    </div>\n    </header>\n");
}

static void flashes(strbuf_t *sb, const json_t *list) {
    size_t i;
    const json_t *f;
    json_array_foreach(list, i, f) {
        const char *category = json_string_value(json_array_get(f, 0));
        strbuf_puts(sb, "        <div class=\"alert alert-");
        esc(sb, nonempty(category) ? category : "info");
        strbuf_puts(sb, "\">\n          <button type=\"button\" class=\"close\" data-dismiss=\"alert\">&times;</button>\n"
                        "          ");
        esc(sb, json_string_value(json_array_get(f, 1)));
        strbuf_puts(sb, "\n        </div>\n");
    }
}

static void swagger_ui(strbuf_t *sb, const swagger_page_t *p) {
    strbuf_puts(sb, "        <div id=\"swagger-ui\"></div>\n        <script nonce=\"");
    esc(sb, p->nonce);
    strbuf_puts(sb, "\">\n"
                    "          const ui = SwaggerUIBundle({\n"
                    "            url: '");
    esc(sb, p->openapi_url);
    strbuf_puts(sb, "',\n"
                    "            dom_id: '#swagger-ui',\n"
                    "            presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],\n"
                    "            layout: \"BaseLayout\"\n"
                    "          })\n"
                    "        </script>\n");
}

void swagger_page_write(strbuf_t *sb, const swagger_page_t *p) {
    head(sb, p);
    strbuf_puts(sb, "  <body>\n");
    dialogs(sb, p);
    navbar(sb, p);
    strbuf_puts(sb, "    <div class=\"container\">\n      <div class=\"row\">\n");
    flashes(sb, p->flashes);
    swagger_ui(sb, p);
    strbuf_puts(sb, "      </div>\n    </div>\n"
                    "    <footer><div class=\"img-rounded nav-fixed-bottom\"><div class=\"container\">"
                    "<div class=\"row img-rounded\"><hr><small><div class=\"col-md-4\"></div>"
                    "<div class=\"col-md-4\"></div><div class=\"col-md-4\"></div></small></div>"
                    "</div></div></footer>\n");
    for (size_t i = 0; i < sizeof tail_js / sizeof tail_js[0]; i++) script(sb, p, tail_js[i]);
    strbuf_puts(sb, "  </body>\n</html>\n");
}
