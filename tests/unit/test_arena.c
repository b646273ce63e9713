/* Unit tests for lib/arena and lib/strbuf: 16-byte alignment, large
 * allocations, realloc growth, cleanup order on free/reset, reset reuse,
 * string helpers, strbuf growth (arena- and heap-backed, binary data),
 * strbuf_consume and JSON string escaping (checked by reparsing with jansson). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/strbuf.h"

static bool aligned16(const void *p) { return ((uintptr_t)p & 15) == 0; }

Test(arena, many_allocations_are_16_aligned_and_disjoint) {
    size_t block_sizes[] = {0, 100, 1000, 4096};
    for (size_t b = 0; b < sizeof block_sizes / sizeof block_sizes[0]; b++) {
        arena_t *a = arena_new(block_sizes[b]);
        unsigned char *ptrs[2000];
        size_t sizes[2000];
        for (size_t i = 0; i < 2000; i++) {
            sizes[i] = 1 + (i * 37) % 301; /* 1..301, odd sizes included */
            ptrs[i] = arena_alloc(a, sizes[i]);
            cr_assert(aligned16(ptrs[i]), "allocation %zu of %zu bytes not aligned", i, sizes[i]);
            memset(ptrs[i], (int)(i & 0xff), sizes[i]);
        }
        /* Writing each region never clobbered another one. */
        for (size_t i = 0; i < 2000; i++)
            for (size_t k = 0; k < sizes[i]; k++)
                cr_assert_eq(ptrs[i][k], (unsigned char)(i & 0xff));
        arena_free(a);
    }
}

Test(arena, zero_size_allocation_is_valid_and_distinct) {
    arena_t *a = arena_new(0);
    void *p = arena_alloc(a, 0);
    void *q = arena_alloc(a, 0);
    cr_assert_not_null(p);
    cr_assert_not_null(q);
    cr_assert_neq(p, q);
    cr_assert(aligned16(p) && aligned16(q));
    arena_free(a);
}

Test(arena, large_allocations_beyond_block_size) {
    arena_t *a = arena_new(1024);
    unsigned char *small1 = arena_alloc(a, 16);
    unsigned char *big = arena_alloc(a, 100000);
    cr_assert(aligned16(big));
    for (size_t i = 0; i < 100000; i++) big[i] = (unsigned char)(i * 7);
    /* The current block keeps serving small allocations after a big one. */
    unsigned char *small2 = arena_alloc(a, 16);
    cr_assert_eq(small2, small1 + 16);
    unsigned char *big2 = arena_alloc(a, 5000);
    memset(big2, 0x5a, 5000);
    for (size_t i = 0; i < 100000; i++) cr_assert_eq(big[i], (unsigned char)(i * 7));
    cr_assert_geq(arena_used(a), 16 + 100000 + 16 + 5000);
    arena_free(a);
}

Test(arena, used_counts_rounded_sizes) {
    arena_t *a = arena_new(0);
    cr_assert_eq(arena_used(a), 0);
    arena_alloc(a, 1);
    cr_assert_eq(arena_used(a), 16);
    arena_alloc(a, 16);
    cr_assert_eq(arena_used(a), 32);
    arena_alloc(a, 17);
    cr_assert_eq(arena_used(a), 64);
    arena_free(a);
}

Test(arena, realloc_growth_keeps_content) {
    arena_t *a = arena_new(256);
    size_t n = 10;
    unsigned char *p = arena_alloc(a, n);
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)i;
    while (n < 50000) {
        size_t nn = n * 3;
        p = arena_realloc(a, p, n, nn);
        cr_assert(aligned16(p));
        for (size_t i = 0; i < n; i++) cr_assert_eq(p[i], (unsigned char)i, "byte %zu lost growing %zu->%zu", i, n, nn);
        for (size_t i = n; i < nn; i++) p[i] = (unsigned char)i;
        n = nn;
    }
    /* Shrinking returns the same block. */
    cr_assert_eq(arena_realloc(a, p, n, 5), p);
    /* NULL old behaves like alloc. */
    unsigned char *q = arena_realloc(a, NULL, 0, 40);
    cr_assert_not_null(q);
    memset(q, 1, 40);
    arena_free(a);
}

static int g_order[16];
static int g_norder;
static void record_cleanup(void *p) { g_order[g_norder++] = (int)(intptr_t)p; }

Test(arena, cleanups_run_in_reverse_order_on_free) {
    g_norder = 0;
    arena_t *a = arena_new(0);
    for (intptr_t i = 1; i <= 5; i++) {
        arena_on_free(a, record_cleanup, (void *)i);
        arena_alloc(a, 100);
    }
    cr_assert_eq(g_norder, 0);
    arena_free(a);
    cr_assert_eq(g_norder, 5);
    for (int i = 0; i < 5; i++) cr_assert_eq(g_order[i], 5 - i);
}

Test(arena, cleanups_run_in_reverse_order_on_reset_and_only_once) {
    g_norder = 0;
    arena_t *a = arena_new(0);
    arena_on_free(a, record_cleanup, (void *)(intptr_t)1);
    arena_on_free(a, record_cleanup, (void *)(intptr_t)2);
    arena_on_free(a, record_cleanup, (void *)(intptr_t)3);
    arena_reset(a);
    cr_assert_eq(g_norder, 3);
    cr_assert_eq(g_order[0], 3);
    cr_assert_eq(g_order[1], 2);
    cr_assert_eq(g_order[2], 1);
    /* Registered after the reset: only this one runs at free. */
    arena_on_free(a, record_cleanup, (void *)(intptr_t)9);
    arena_free(a);
    cr_assert_eq(g_norder, 4);
    cr_assert_eq(g_order[3], 9);
}

static arena_t *g_cleanup_arena;
static void cleanup_that_allocates(void *p) {
    (void)p;
    char *s = arena_strdup(g_cleanup_arena, "allocated during cleanup");
    g_order[g_norder++] = (int)strlen(s);
}

Test(arena, cleanup_may_allocate_from_the_arena) {
    g_norder = 0;
    arena_t *a = arena_new(128);
    g_cleanup_arena = a;
    arena_on_free(a, cleanup_that_allocates, NULL);
    arena_reset(a);
    cr_assert_eq(g_norder, 1);
    cr_assert_eq(g_order[0], 24);
    arena_on_free(a, cleanup_that_allocates, NULL);
    arena_free(a);
    cr_assert_eq(g_norder, 2);
}

Test(arena, free_null_is_accepted) { arena_free(NULL); }

Test(arena, reset_reuses_memory_and_zeroes_used) {
    arena_t *a = arena_new(0);
    unsigned char *first = arena_alloc(a, 100);
    memset(first, 0xaa, 100);
    for (int i = 0; i < 50; i++) arena_alloc(a, 1000); /* several more blocks */
    arena_alloc(a, 1 << 20);                             /* and a big one */
    cr_assert_gt(arena_used(a), 50000);
    arena_reset(a);
    cr_assert_eq(arena_used(a), 0);
    unsigned char *again = arena_alloc(a, 100);
    cr_assert(aligned16(again));
    /* Reused memory is handed out again; calloc must still clear it. */
    arena_reset(a);
    unsigned char *z = arena_calloc(a, 25, 4);
    for (int i = 0; i < 100; i++) cr_assert_eq(z[i], 0);
    cr_assert_eq(arena_used(a), 112);
    /* After two resets the arena still works for large and small data. */
    unsigned char *big = arena_alloc(a, 70000);
    memset(big, 1, 70000);
    arena_free(a);
}

Test(arena, reset_with_single_block_returns_same_address) {
    arena_t *a = arena_new(0);
    void *p = arena_alloc(a, 64);
    arena_alloc(a, 64);
    arena_reset(a);
    void *q = arena_alloc(a, 64);
    cr_assert_eq(p, q);
    arena_free(a);
}

Test(arena, string_helpers) {
    arena_t *a = arena_new(64);
    char *s = arena_sprintf(a, "%s-%d-%05.1f-%c", "chart", 42, 3.14159, 'x');
    cr_assert_str_eq(s, "chart-42-003.1-x");
    cr_assert(aligned16(s));
    char *empty = arena_sprintf(a, "%s", "");
    cr_assert_str_eq(empty, "");
    /* Longer than the block size. */
    char *longs = arena_sprintf(a, "%0500d", 7);
    cr_assert_eq(strlen(longs), 500);
    cr_assert_eq(longs[0], '0');
    cr_assert_eq(longs[499], '7');

    char *nd = arena_strndup(a, "hello world", 5);
    cr_assert_str_eq(nd, "hello");
    char *nd0 = arena_strndup(a, "abc", 0);
    cr_assert_str_eq(nd0, "");
    cr_assert_str_eq(arena_strdup(a, "dup"), "dup");
    cr_assert_null(arena_strdup(a, NULL));

    const unsigned char bin[] = {0, 1, 2, 0, 255, 0};
    unsigned char *md = arena_memdup(a, bin, sizeof bin);
    cr_assert_neq((void *)md, (void *)bin);
    cr_assert_eq(memcmp(md, bin, sizeof bin), 0);
    arena_free(a);
}

Test(arena, calloc_zeroes) {
    arena_t *a = arena_new(0);
    int *v = arena_calloc(a, 1000, sizeof(int));
    for (int i = 0; i < 1000; i++) cr_assert_eq(v[i], 0);
    arena_free(a);
}

Test(arena, heap_helpers) {
    char *s = xstrdup("abc");
    cr_assert_str_eq(s, "abc");
    s = xrealloc(s, 1000);
    cr_assert_str_eq(s, "abc");
    free(s);
    int *z = xcalloc(10, sizeof(int));
    for (int i = 0; i < 10; i++) cr_assert_eq(z[i], 0);
    free(z);
    free(xmalloc(0));
}

/* ---- strbuf ---- */

static void check_binary_growth(strbuf_t *sb) {
    unsigned char expect[100000];
    for (size_t i = 0; i < sizeof expect; i++) expect[i] = (unsigned char)((i * 131) ^ (i >> 3)); /* has NULs */
    size_t off = 0, step = 1;
    while (off < sizeof expect) {
        size_t n = step;
        if (n > sizeof expect - off) n = sizeof expect - off;
        strbuf_append(sb, expect + off, n);
        off += n;
        step = step * 2 + 1;
        cr_assert_eq(sb->len, off);
        cr_assert_eq(sb->data[sb->len], '\0');
        cr_assert_gt(sb->cap, sb->len);
    }
    cr_assert_eq(sb->len, sizeof expect);
    cr_assert_eq(memcmp(sb->data, expect, sizeof expect), 0);
}

Test(arena, strbuf_arena_backed_binary_growth) {
    arena_t *a = arena_new(512);
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 0);
    cr_assert_eq(sb.len, 0);
    cr_assert_str_eq(sb.data, "");
    cr_assert_eq(sb.arena, a);
    check_binary_growth(&sb);
    strbuf_free(&sb); /* no-op for arena memory: must not crash */
    arena_free(a);
}

Test(arena, strbuf_heap_backed_binary_growth) {
    strbuf_t sb;
    strbuf_init(&sb, 1);
    cr_assert_null(sb.arena);
    check_binary_growth(&sb);
    strbuf_free(&sb);
    cr_assert_null(sb.data);
    cr_assert_eq(sb.len, 0);
}

Test(arena, strbuf_puts_putc_printf_growth) {
    arena_t *a = arena_new(0);
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 16);
    strbuf_puts(&sb, "ab");
    strbuf_putc(&sb, 'c');
    strbuf_putc(&sb, '\0');
    cr_assert_eq(sb.len, 4);
    cr_assert_eq(memcmp(sb.data, "abc\0", 5), 0);
    strbuf_clear(&sb);
    cr_assert_eq(sb.len, 0);
    cr_assert_str_eq(sb.data, "");

    char big[1001];
    memset(big, 'x', 1000);
    big[1000] = '\0';
    strbuf_printf(&sb, "[%s|%d]", big, -17);
    cr_assert_eq(sb.len, 1000 + 6);
    cr_assert_eq(sb.data[0], '[');
    cr_assert_eq(sb.data[1000], 'x');
    cr_assert_str_eq(sb.data + 1001, "|-17]");
    strbuf_printf(&sb, "%s", "");
    cr_assert_eq(sb.len, 1006);
    strbuf_printf(&sb, "%u", 5u);
    cr_assert_str_eq(sb.data + 1001, "|-17]5");

    strbuf_t h;
    strbuf_init(&h, 0);
    for (int i = 0; i < 1000; i++) strbuf_printf(&h, "%d,", i);
    cr_assert_eq(strncmp(h.data, "0,1,2,3,", 8), 0);
    cr_assert_eq(h.len, 10 * 2 + 90 * 3 + 900 * 4);
    cr_assert_str_eq(h.data + h.len - 4, "999,");
    strbuf_free(&h);
    arena_free(a);
}

Test(arena, strbuf_consume) {
    strbuf_t sb;
    strbuf_init(&sb, 0);
    strbuf_append(&sb, "0123456789", 10);
    strbuf_consume(&sb, 3);
    cr_assert_eq(sb.len, 7);
    cr_assert_str_eq(sb.data, "3456789");
    strbuf_consume(&sb, 0);
    cr_assert_str_eq(sb.data, "3456789");
    strbuf_consume(&sb, 6);
    cr_assert_eq(sb.len, 1);
    cr_assert_str_eq(sb.data, "9");
    strbuf_consume(&sb, 1);
    cr_assert_eq(sb.len, 0);
    cr_assert_str_eq(sb.data, "");
    strbuf_append(&sb, "ab\0cd", 5);
    strbuf_consume(&sb, 100); /* more than held */
    cr_assert_eq(sb.len, 0);
    cr_assert_str_eq(sb.data, "");
    /* Binary data is moved intact. */
    strbuf_append(&sb, "xy\0z\0w", 6);
    strbuf_consume(&sb, 2);
    cr_assert_eq(sb.len, 4);
    cr_assert_eq(memcmp(sb.data, "\0z\0w\0", 5), 0);
    strbuf_free(&sb);
}

static char *json_str(arena_t *a, const char *s, size_t n, size_t *outlen) {
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 0);
    strbuf_json_string(&sb, s, n);
    if (outlen) *outlen = sb.len;
    return sb.data;
}

Test(arena, strbuf_json_string_escaping) {
    arena_t *a = arena_new(0);
    cr_assert_str_eq(json_str(a, "", 0, NULL), "\"\"");
    cr_assert_str_eq(json_str(a, "plain", 5, NULL), "\"plain\"");
    cr_assert_str_eq(json_str(a, "a\"b", 3, NULL), "\"a\\\"b\"");
    cr_assert_str_eq(json_str(a, "a\\b", 3, NULL), "\"a\\\\b\"");
    cr_assert_str_eq(json_str(a, "\n\r\t", 3, NULL), "\"\\n\\r\\t\"");
    cr_assert_str_eq(json_str(a, "\x01", 1, NULL), "\"\\u0001\"");
    cr_assert_str_eq(json_str(a, "\x1f", 1, NULL), "\"\\u001f\"");
    cr_assert_str_eq(json_str(a, "\b\f", 2, NULL), "\"\\u0008\\u000c\"");
    size_t len;
    char *nul = json_str(a, "x\0y", 3, &len);
    cr_assert_eq(len, 10);
    cr_assert_str_eq(nul, "\"x\\u0000y\"");
    /* Not escaped: slash, DEL and UTF-8 bytes pass through. */
    cr_assert_str_eq(json_str(a, "/\x7f\xc3\xa9", 4, NULL), "\"/\x7f\xc3\xa9\"");
    /* Only n bytes are used. */
    cr_assert_str_eq(json_str(a, "abcdef", 2, NULL), "\"ab\"");
    arena_free(a);
}

Test(arena, strbuf_json_string_roundtrips_through_jansson) {
    arena_t *a = arena_new(0);
    char in[256];
    size_t n = 0;
    for (int c = 0; c < 128; c++) in[n++] = (char)c; /* every ASCII byte incl. NUL and controls */
    const char *extra = "\"\\\xe2\x82\xac end";
    memcpy(in + n, extra, strlen(extra));
    n += strlen(extra);
    size_t olen;
    char *out = json_str(a, in, n, &olen);
    json_error_t err;
    json_t *j = json_loadb(out, olen, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    cr_assert_not_null(j, "jansson rejected: %s", err.text);
    cr_assert(json_is_string(j));
    cr_assert_eq(json_string_length(j), n);
    cr_assert_eq(memcmp(json_string_value(j), in, n), 0);
    json_decref(j);
    arena_free(a);
}
