/* The Swagger UI page (GET /swagger/<version>) as Flask-AppBuilder lays it
 * out: its base layout (Bootstrap 3 navbar with the menu, language picker
 * and user menu, flash messages, footer) around a #swagger-ui element that
 * SwaggerUIBundle fills from the API's OpenAPI document. Every asset comes
 * from Flask-AppBuilder's package static files, served at
 * <script root>/static/appbuilder/ (LITESET_FAB_STATIC_DIR); every <script>
 * carries the request's CSP nonce.
 *
 * Values are HTML-escaped as Jinja's autoescape does, the OpenAPI URL
 * included (it sits in a JavaScript string, where the escaping keeps a
 * quote or "</script>" in the version from closing it). */
#ifndef LITESET_FCGI_SPA_SWAGGER_PAGE_H
#define LITESET_FCGI_SPA_SWAGGER_PAGE_H

#include <jansson.h>

#include "lib/strbuf.h"

/* Everything the page shows; no request needed (unit tests render it). */
typedef struct swagger_page {
    const char *app_name;     /* APP_NAME: <title> and brand text */
    const char *app_icon;     /* APP_ICON; NULL or "": the name is the brand */
    const char *app_theme;    /* APP_THEME stylesheet under css/themes/; NULL or "": none */
    const char *fab_static;   /* "<script root>/static/appbuilder" */
    const char *index_url;    /* the brand's link */
    const char *openapi_url;  /* "/api/<version>/_openapi" */
    const char *nonce;        /* "" when Talisman is off */
    const json_t *menu;       /* menu items as spa_menu_items() gives them */
    const json_t *languages;  /* {code: {"flag", "name"}} */
    const char *locale;       /* the session's language code */
    const char *script_root;  /* prefix of the language, login and user links */
    const char *user_name;    /* "first last"; NULL: anonymous (a Login link) */
    const json_t *flashes;    /* [[category, message], ...] */
    /* The layout's texts in the request's language; NULL: English. */
    const char *text_login, *text_profile, *text_logout, *text_confirm;
} swagger_page_t;

void swagger_page_write(strbuf_t *sb, const swagger_page_t *page);

#endif
