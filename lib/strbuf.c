/* Growable byte string; see strbuf.h. */
#include "lib/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(strbuf_t *sb, size_t cap) {
    sb->arena = NULL;
    sb->cap = cap < 16 ? 16 : cap;
    sb->data = xmalloc(sb->cap);
    sb->len = 0;
    sb->data[0] = '\0';
}

void strbuf_init_arena(strbuf_t *sb, arena_t *a, size_t cap) {
    sb->arena = a;
    sb->cap = cap < 16 ? 16 : cap;
    sb->data = arena_alloc(a, sb->cap);
    sb->len = 0;
    sb->data[0] = '\0';
}

void strbuf_free(strbuf_t *sb) {
    if (!sb->arena) free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

void strbuf_reserve(strbuf_t *sb, size_t extra) {
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) return;
    size_t cap = sb->cap * 2;
    while (cap < need) cap *= 2;
    if (sb->arena)
        sb->data = arena_realloc(sb->arena, sb->data, sb->len + 1, cap);
    else
        sb->data = xrealloc(sb->data, cap);
    sb->cap = cap;
}

void strbuf_append(strbuf_t *sb, const void *p, size_t n) {
    strbuf_reserve(sb, n);
    if (n) memcpy(sb->data + sb->len, p, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void strbuf_puts(strbuf_t *sb, const char *s) { strbuf_append(sb, s, strlen(s)); }

void strbuf_putc(strbuf_t *sb, char c) { strbuf_append(sb, &c, 1); }

void strbuf_vprintf(strbuf_t *sb, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
    if (n >= 0 && (size_t)n >= sb->cap - sb->len) {
        strbuf_reserve(sb, (size_t)n);
        vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap2);
    }
    va_end(ap2);
    if (n > 0) sb->len += (size_t)n;
    sb->data[sb->len] = '\0';
}

void strbuf_printf(strbuf_t *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_json_string(strbuf_t *sb, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    strbuf_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': strbuf_append(sb, "\\\"", 2); break;
        case '\\': strbuf_append(sb, "\\\\", 2); break;
        case '\n': strbuf_append(sb, "\\n", 2); break;
        case '\r': strbuf_append(sb, "\\r", 2); break;
        case '\t': strbuf_append(sb, "\\t", 2); break;
        default:
            if (c < 0x20) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                strbuf_append(sb, u, 6);
            } else {
                strbuf_putc(sb, (char)c);
            }
        }
    }
    strbuf_putc(sb, '"');
}

void strbuf_clear(strbuf_t *sb) {
    sb->len = 0;
    sb->data[0] = '\0';
}

void strbuf_consume(strbuf_t *sb, size_t n) {
    if (n >= sb->len) {
        strbuf_clear(sb);
        return;
    }
    memmove(sb->data, sb->data + n, sb->len - n);
    sb->len -= n;
    sb->data[sb->len] = '\0';
}

char *xasprintf(const char *fmt, ...) {
    strbuf_t sb;
    strbuf_init(&sb, 128);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    return sb.data;
}
