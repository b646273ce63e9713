/* Unit tests for the SPA shell (fcgi/spa/shell) and lib/html: markupsafe's
 * five-character escaping, and that hostile values in the bootstrap JSON,
 * the title, favicons and fonts can neither close the attribute nor open a
 * tag, while the browser-side reading (attribute unescape + JSON.parse)
 * gives back exactly the original data. Also the shell's structure: element
 * ids, bundle order and deduplication, nonce on every script, body class. */
#include <criterion/criterion.h>
#include <string.h>

#include "fcgi/spa/shell.h"
#include "lib/html.h"
#include "lib/json.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(spa_shell, .init = setup, .fini = teardown);

static const char *esc(const char *s) { return html_escape_arena(A, s); }

Test(spa_shell, escape_is_markupsafe) {
    cr_assert_str_eq(esc("&<>\"'"), "&amp;&lt;&gt;&#34;&#39;");
    cr_assert_str_eq(esc("plain text / = ` {}"), "plain text / = ` {}");
    cr_assert_str_eq(esc("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
    cr_assert_str_eq(esc(""), "");
    cr_assert_str_eq(esc(NULL), "");
    cr_assert_str_eq(esc("a&amp;b"), "a&amp;amp;b");
}

/* A manifest with a chunk shared by `theme` and `spa`. */
static spa_manifest_t *fixture_manifest(void) {
    spa_manifest_t *m = arena_calloc(A, 1, sizeof *m);
    m->refs = 1;
    m->ok = true;
    m->entrypoints = json_arena_own(
        A, json_loads("{\"theme\": {\"js\": [\"/static/assets/shared.chunk.js\", \"/static/assets/theme.1.entry.js\"]},"
                      " \"spa\": {\"css\": [\"/static/assets/spa.css\"], \"js\": [\"/static/assets/shared.chunk.js\","
                      " \"/static/assets/vendor.chunk.js\", \"/static/assets/spa.2.entry.js\"]},"
                      " \"embedded\": {\"js\": [\"/static/assets/embedded.3.entry.js\"]}}",
                      0, NULL));
    return m;
}

/* Reverses markupsafe's escaping, as the browser's attribute parser does. */
static char *unescape(const char *s, size_t n) {
    static const struct {
        const char *ent;
        char c;
    } map[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&#34;", '"'}, {"&#39;", '\''}};
    char *out = arena_alloc(A, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        bool done = false;
        for (size_t m = 0; m < sizeof map / sizeof map[0] && !done; m++) {
            size_t l = strlen(map[m].ent);
            if (i + l <= n && !strncmp(s + i, map[m].ent, l)) {
                out[k++] = map[m].c;
                i += l;
                done = true;
            }
        }
        if (!done) out[k++] = s[i++];
    }
    out[k] = '\0';
    return out;
}

/* The data-bootstrap attribute's raw value (between its double quotes). */
static const char *bootstrap_attr(const char *html, size_t *len) {
    const char *start = strstr(html, "data-bootstrap=\"");
    cr_assert_not_null(start);
    start += strlen("data-bootstrap=\"");
    const char *end = strchr(start, '"');
    cr_assert_not_null(end);
    *len = (size_t)(end - start);
    return start;
}

static const char *render(const spa_shell_t *s) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 4096);
    spa_shell_write(&sb, s);
    return sb.data;
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

Test(spa_shell, hostile_bootstrap_round_trips) {
    const char *hostile[] = {
        "</script><script>alert(1)</script>",
        "\" onmouseover=\"alert(1)",
        "' onfocus='alert(1)",
        "a & b &amp; c &#34; d",
        "<!-- comment --> <![CDATA[ x ]]>",
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8",
        "back\\slash \"quoted\" /slash/",
    };
    json_t *user = json_object();
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        json_object_set_new(user, arena_sprintf(A, "k%zu", i), json_string(hostile[i]));
    json_object_set_new(user, hostile[0], json_string("key itself is hostile"));
    json_t *payload = json_arena_own(A, json_pack("{s:{s:O},s:{s:s}}", "user", "firstName", user, "common",
                                                  "conf", hostile[2]));
    json_decref(user);
    const char *text = json_dump_arena(A, payload, JSON_PY_DEFAULT, NULL);
    spa_shell_t s = {.manifest = fixture_manifest(), .entry = "spa", .bootstrap_json = text, .nonce = "N0nce",
                     .csrf_token = "tok", .title = hostile[0]};
    const char *html = render(&s);

    size_t alen;
    const char *attr = bootstrap_attr(html, &alen);
    /* nothing in the attribute can end it or start markup */
    for (size_t i = 0; i < alen; i++) {
        cr_assert(attr[i] != '<' && attr[i] != '>' && attr[i] != '"' && attr[i] != '\'',
                  "raw %c in the attribute at %zu", attr[i], i);
    }
    /* non-ASCII travels as \u escapes (ensure_ascii), never raw */
    for (size_t i = 0; i < alen; i++) cr_assert((unsigned char)attr[i] < 0x80);
    cr_assert(strstr(text, "\\u00e9") && strstr(text, "\\ud83d\\ude00") && strstr(text, "\\u2028"));
    /* the client's JSON.parse(getAttribute(...)) gets the original back */
    json_t *back = json_arena_own(A, json_loads(unescape(attr, alen), 0, NULL));
    cr_assert_not_null(back);
    cr_assert(json_equal(back, payload));
    /* only our own script tags exist */
    cr_assert_eq(count(html, "<script"), count(html, "</script>"));
    cr_assert_eq(count(html, "<script"), 5); /* 2 theme, 2 more spa (shared one deduplicated), 1 inline */
    cr_assert(strstr(html, "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
}

Test(spa_shell, structure_ids_bundles_and_nonce) {
    spa_shell_t s = {.manifest = fixture_manifest(), .entry = "spa", .bootstrap_json = "{}", .nonce = "abcNONCE",
                     .csrf_token = "IjEi.x.y", .standalone = true};
    const char *html = render(&s);
    cr_assert(!strncmp(html, "<!DOCTYPE html>\n<html>", 22));
    cr_assert(strstr(html, "<div id=\"app\" data-bootstrap=\"{}\">"));
    cr_assert(strstr(html, "id=\"csrf_token\" value=\"IjEi.x.y\""));
    cr_assert(strstr(html, "<body class=\"standalone\">"));
    cr_assert(strstr(html, "src=\"/static/assets/images/loading.gif\" alt=\"\" aria-label=\"Loading\""));
    cr_assert(strstr(html, "href=\"/static/appbuilder/css/flags/flags16.css\" as=\"style\""));
    /* order: theme bundle in head, then the entry without the shared chunk */
    const char *theme_start = strstr(html, "<!-- Bundle js theme START -->");
    const char *shared = strstr(html, "/static/assets/shared.chunk.js");
    const char *theme_entry = strstr(html, "/static/assets/theme.1.entry.js");
    const char *spa_start = strstr(html, "<!-- Bundle js spa START -->");
    const char *vendor = strstr(html, "/static/assets/vendor.chunk.js");
    const char *spa_entry = strstr(html, "/static/assets/spa.2.entry.js");
    const char *head_end = strstr(html, "</head>");
    cr_assert(theme_start && shared && theme_entry && spa_start && vendor && spa_entry && head_end);
    cr_assert(theme_start < shared && shared < theme_entry && theme_entry < head_end);
    cr_assert(head_end < spa_start && spa_start < vendor && vendor < spa_entry);
    cr_assert_eq(count(html, "/static/assets/shared.chunk.js"), 1);
    cr_assert_null(strstr(html, "spa.css"), "the 6.0.0 shell links no entry CSS");
    /* every script carries the nonce */
    cr_assert_eq(count(html, "<script"), count(html, "nonce=\"abcNONCE\""));
    cr_assert(strstr(html, "<script src=\"/static/assets/spa.2.entry.js\" async nonce=\"abcNONCE\"></script>"));
}

Test(spa_shell, no_standalone_no_entry_and_empty_nonce) {
    spa_shell_t s = {.manifest = fixture_manifest(), .entry = NULL, .bootstrap_json = "{}", .nonce = "",
                     .csrf_token = ""};
    const char *html = render(&s);
    cr_assert(strstr(html, "<body>\n"));
    cr_assert_null(strstr(html, "Bundle js spa"));
    cr_assert(strstr(html, "<script nonce=\"\">"));
    cr_assert(strstr(html, "<title></title>"));
    cr_assert(strstr(html, "id=\"csrf_token\" value=\"\""));
}

Test(spa_shell, unknown_entry_emits_nothing) {
    spa_shell_t s = {.manifest = fixture_manifest(), .entry = "explore", .bootstrap_json = "{}", .nonce = "n"};
    const char *html = render(&s);
    cr_assert(strstr(html, "<!-- Bundle js explore START -->\n<!-- Bundle js explore END -->"));
}

Test(spa_shell, favicons_prefix_fonts_and_hooks) {
    json_t *fav = json_arena_own(
        A, json_loads("[{\"href\": \"/static/a.png\"}, {\"href\": \"https://cdn.example/b.ico\", \"rel\": \"shortcut icon\","
                      " \"type\": \"image/x-icon\", \"sizes\": \"32x32\"}, {\"href\": \"/x\\\" onerror=\\\"y\"}]",
                      0, NULL));
    json_t *fonts = json_arena_own(A, json_loads("[\"https://fonts.example/css?family=A&b=<c>\"]", 0, NULL));
    spa_shell_t s = {.manifest = fixture_manifest(), .entry = "spa", .bootstrap_json = "{}", .nonce = "n",
                     .assets_prefix = "/cdn", .favicons = fav, .font_urls = fonts,
                     .head_extra = "<meta name=\"x\" content=\"head-hook\">\n",
                     .tail_extra = "<!-- tail-hook -->\n"};
    const char *html = render(&s);
    cr_assert(strstr(html, "<link rel=\"icon\" type=\"image/png\" href=\"/cdn/static/a.png\"/>"));
    cr_assert(strstr(html, "<link rel=\"shortcut icon\" type=\"image/x-icon\" sizes=\"32x32\""
                           " href=\"https://cdn.example/b.ico\"/>"));
    cr_assert(strstr(html, "href=\"/cdn/x&#34; onerror=&#34;y\""));
    cr_assert(strstr(html, "<link rel=\"stylesheet\" href=\"https://fonts.example/css?family=A&amp;b=&lt;c&gt;\"/>"));
    cr_assert(strstr(html, "href=\"/cdn/static/appbuilder/css/flags/flags16.css\""));
    cr_assert(strstr(html, "src=\"/cdn/static/assets/images/loading.gif\""));
    cr_assert(strstr(html, "<script src=\"/cdn/static/assets/spa.2.entry.js\""));
    const char *hook = strstr(html, "head-hook"), *head_end = strstr(html, "</head>");
    const char *tail = strstr(html, "tail-hook"), *spa_end = strstr(html, "<!-- Bundle js spa END -->");
    cr_assert(hook && hook < head_end);
    cr_assert(tail && spa_end < tail);
}

Test(spa_shell, help_page_explains_and_escapes) {
    spa_manifest_t m = {.problem = "bad <thing> & \"more\"", .source = "the LITESET_STATIC_DIR setting"};
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 1024);
    spa_help_write(&sb, &m, "n");
    cr_assert(strstr(sb.data, "bad &lt;thing&gt; &amp; &#34;more&#34;"));
    cr_assert(strstr(sb.data, "LITESET_STATIC_DIR = "));
    cr_assert(strstr(sb.data, "id=\"liteset-no-frontend\""));
    cr_assert(strstr(sb.data, "the LITESET_STATIC_DIR setting"));
    cr_assert_null(strstr(sb.data, "<script"));
}
