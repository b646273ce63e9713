/* Growable byte string. Either heap-backed (strbuf_init / strbuf_free) or
 * arena-backed (strbuf_init_arena: memory belongs to the arena, never freed
 * separately). Always NUL-terminated; may hold binary data (use len). */
#ifndef LITESET_STRBUF_H
#define LITESET_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/arena.h"

typedef struct strbuf {
    char *data;
    size_t len;
    size_t cap;
    arena_t *arena; /* NULL: heap-owned */
} strbuf_t;

void strbuf_init(strbuf_t *sb, size_t cap);
void strbuf_init_arena(strbuf_t *sb, arena_t *a, size_t cap);
void strbuf_free(strbuf_t *sb); /* heap-backed only; no-op for arena-backed */
void strbuf_reserve(strbuf_t *sb, size_t extra);
void strbuf_append(strbuf_t *sb, const void *p, size_t n);
void strbuf_puts(strbuf_t *sb, const char *s);
void strbuf_putc(strbuf_t *sb, char c);
void strbuf_printf(strbuf_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(strbuf_t *sb, const char *fmt, va_list ap);
/* Appends s as a JSON string literal (quotes included). */
void strbuf_json_string(strbuf_t *sb, const char *s, size_t n);
void strbuf_clear(strbuf_t *sb);
/* printf into a new heap string (caller frees): messages handed up the stack. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Drops the first n bytes (consumed input). */
void strbuf_consume(strbuf_t *sb, size_t n);

#endif
