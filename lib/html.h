/* HTML escaping as Jinja's autoescape (markupsafe) does it: exactly the five
 * characters & < > " ' become &amp; &lt; &gt; &#34; &#39;; every other byte
 * (UTF-8 included) is copied unchanged. Safe inside element content and
 * inside double- or single-quoted attribute values. */
#ifndef LITESET_HTML_H
#define LITESET_HTML_H

#include <stddef.h>

#include "lib/arena.h"
#include "lib/strbuf.h"

/* Appends the escaped form of s[0..n) to sb. */
void html_escape_sb(strbuf_t *sb, const char *s, size_t n);
/* Escaped copy of the NUL-terminated s on the arena ("" for NULL). */
char *html_escape_arena(arena_t *a, const char *s);

#endif
