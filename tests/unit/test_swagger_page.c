/* Unit tests for the Swagger UI page (fcgi/spa/swagger_page): assets under
 * the Flask-AppBuilder static root in the layout's order, the OpenAPI URL
 * escaped inside its JavaScript string, the nonce on every script, the
 * menu (dividers, dropdowns), the language picker, the user or login link,
 * flash messages and the theme stylesheet. */
#include <criterion/criterion.h>
#include <string.h>

#include "fcgi/spa/swagger_page.h"
#include "lib/arena.h"


static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* The page every test starts from, rebuilt for each test; html is the
 * last render (freed by the next one and at the end). */
static json_t *menu, *languages, *flashes;
static swagger_page_t page;
static char *html;

static void setup(void) {
    menu = json_loads("[{\"name\": \"Security\", \"icon\": \"fa-cogs\", \"label\": \"Security\", \"childs\": [\"-\","
                      " {\"name\": \"List Roles\", \"icon\": \"\", \"label\": \"List Roles\", \"url\": \"/roles/\"},"
                      " {\"name\": \"-\", \"icon\": \"\", \"label\": \"\"}]},"
                      " {\"name\": \"Charts\", \"icon\": \"fa-bar-chart\", \"label\": \"Charts <b>\","
                      " \"url\": \"/chart/list/\"}]",
                      0, NULL);
    languages = json_loads("{\"en\": {\"flag\": \"us\", \"name\": \"English\"}}", 0, NULL);
    flashes = json_array();
    page = (swagger_page_t){
        .app_name = "Superset",
        .app_icon = "/static/assets/images/logo.png",
        .fab_static = "/root/static/appbuilder",
        .index_url = "/root/",
        .openapi_url = "/api/v1/_openapi",
        .nonce = "NONCE123",
        .menu = menu,
        .languages = languages,
        .locale = "en",
        .script_root = "/root",
        .user_name = "Ada Lovelace",
        .flashes = flashes,
    };
    html = NULL;
}

static void teardown(void) {
    free(html);
    json_decref(menu);
    json_decref(languages);
    json_decref(flashes);
}

TestSuite(swagger_page, .init = setup, .fini = teardown);

static const char *render(void) {
    free(html);
    strbuf_t sb;
    strbuf_init(&sb, 4096);
    swagger_page_write(&sb, &page);
    return html = sb.data;
}

Test(swagger_page, assets_in_order_with_nonce) {
    render();
    const char *css = strstr(html, "href=\"/root/static/appbuilder/css/ab.css\"");
    const char *swagger_css = strstr(html, "href=\"/root/static/appbuilder/css/swagger/swagger-ui.css\"");
    const char *bundle = strstr(html, "src=\"/root/static/appbuilder/js/swagger-ui-bundle.js\" nonce=\"NONCE123\"");
    const char *init = strstr(html, "SwaggerUIBundle({");
    const char *tail = strstr(html, "src=\"/root/static/appbuilder/js/ab.js\"");
    cr_assert(css && swagger_css && bundle && init && tail);
    cr_expect(css < swagger_css && swagger_css < bundle && bundle < init && init < tail);
    cr_expect_eq(count(html, "<script"), 9);
    cr_expect_eq(count(html, "nonce=\"NONCE123\""), 9);
    cr_expect_not_null(strstr(html, "url: '/api/v1/_openapi',"));
    cr_expect_null(strstr(html, "css/themes/"));
}

Test(swagger_page, hostile_values_escaped) {
    page.openapi_url = "/api/x'</script><script>alert(1)//\"/_openapi";
    page.user_name = "<img src=x>";
    render();
    cr_expect_not_null(strstr(html, "url: '/api/x&#39;&lt;/script&gt;&lt;script&gt;alert(1)//&#34;/_openapi',"));
    cr_expect_null(strstr(html, "<img src=x>"));
    cr_expect_not_null(strstr(html, "Charts &lt;b&gt;"));
    cr_expect_eq(count(html, "</script>"), 9);
}

Test(swagger_page, menu_dividers) {
    render();
    /* the leading separator shows, the trailing one does not */
    cr_expect_eq(count(html, "<li class=\"divider\"></li>"), 1);
    const char *divider = strstr(html, "<li class=\"divider\">");
    const char *roles = strstr(html, "href=\"/roles/\"");
    cr_assert(divider && roles);
    cr_expect(divider < roles);
    cr_expect_not_null(strstr(html, "<i class=\"fa fa-cogs\"></i>&nbsp;Security<b class=\"caret\"></b>"));
    cr_expect_not_null(strstr(html, "<a tabindex=\"-1\" href=\"/chart/list/\"><i class=\"fa fa-fw fa-bar-chart\">"));
}

Test(swagger_page, user_and_anonymous) {
    render();
    cr_expect_not_null(strstr(html, "<span class=\"fa fa-user\"></span> Ada Lovelace"));
    cr_expect_not_null(strstr(html, "href=\"/root/logout/\""));
    cr_expect_null(strstr(html, "/root/login/"));
    page.user_name = NULL;
    page.text_login = "Connexion";
    render();
    cr_expect_not_null(strstr(html, "<a href=\"/root/login/\"><i class=\"fa fa-fw fa-sign-in\"></i>Connexion</a>"));
    cr_expect_null(strstr(html, "logout"));
}

Test(swagger_page, language_picker_flashes_theme_brand) {
    render();
    cr_expect_null(strstr(html, "class=\"f16\""), "one language: no picker");
    json_object_set_new(languages, "fr", json_pack("{s:s,s:s}", "flag", "fr", "name", "French"));
    json_array_append_new(flashes, json_pack("[s,s]", "danger", "Access is Denied"));
    json_array_append_new(flashes, json_pack("[s,s]", "", "plain"));
    page.app_theme = "cerulean.css";
    page.app_icon = NULL;
    render();
    cr_expect_not_null(strstr(html, "<i class=\"flag us\"></i><b class=\"caret\"></b>"));
    cr_expect_not_null(strstr(html, "href=\"/root/lang/fr\"><div class=\"f16\"><i class=\"flag fr\"></i> - French"));
    cr_expect_null(strstr(html, "/root/lang/en"));
    cr_expect_not_null(strstr(html, "<div class=\"alert alert-danger\">"));
    cr_expect_not_null(strstr(html, "<div class=\"alert alert-info\">"));
    cr_expect_not_null(strstr(html, "Access is Denied"));
    cr_expect_not_null(strstr(html, "href=\"/root/static/appbuilder/css/themes/cerulean.css\""));
    cr_expect_not_null(strstr(html, "<span class=\"navbar-brand\"><a href=\"/root/\">Superset</a></span>"));
}
