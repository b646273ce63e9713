/* markupsafe-compatible HTML escaping; see html.h. */
#include "lib/html.h"

#include <string.h>

void html_escape_sb(strbuf_t *sb, const char *s, size_t n) {
    size_t run = 0; /* bytes copied as they are, flushed before each entity */
    for (size_t i = 0; i < n; i++) {
        const char *entity;
        switch (s[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&#34;"; break;
        case '\'': entity = "&#39;"; break;
        default: run++; continue;
        }
        strbuf_append(sb, s + i - run, run);
        run = 0;
        strbuf_puts(sb, entity);
    }
    strbuf_append(sb, s + n - run, run);
}

char *html_escape_arena(arena_t *a, const char *s) {
    if (!s) return arena_strdup(a, "");
    size_t n = strlen(s);
    strbuf_t sb;
    strbuf_init_arena(&sb, a, n + 16);
    html_escape_sb(&sb, s, n);
    return sb.data;
}
