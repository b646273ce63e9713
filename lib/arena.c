/* Region allocator with cleanup hooks; see arena.h. */
#include "lib/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_DEFAULT_BLOCK 8192
#define ARENA_ALIGN 16

typedef struct block {
    struct block *next;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(16) unsigned char data[];
} block_t;

typedef struct cleanup {
    struct cleanup *next;
    arena_cleanup_fn fn;
    void *ptr;
} cleanup_t;

struct arena {
    block_t *head;      /* current block; older blocks follow */
    cleanup_t *cleanups;
    size_t block_size;
    size_t total;
};

static void oom(void) {
    fputs("liteset: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

char *xstrdup(const char *s) {
    char *p = strdup(s);
    if (!p) oom();
    return p;
}

static block_t *block_new(size_t size) {
    block_t *b = xmalloc(sizeof(block_t) + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

arena_t *arena_new(size_t block_size) {
    arena_t *a = xcalloc(1, sizeof(*a));
    a->block_size = block_size ? block_size : ARENA_DEFAULT_BLOCK;
    a->head = block_new(a->block_size);
    return a;
}

static void run_cleanups(arena_t *a) {
    while (a->cleanups) {
        cleanup_t *c = a->cleanups;
        a->cleanups = c->next; /* unlink first: a cleanup may allocate */
        c->fn(c->ptr);
    }
}

void arena_reset(arena_t *a) {
    run_cleanups(a);
    block_t *keep = NULL, *b = a->head;
    while (b) { /* keep one default-sized block for reuse, free the rest */
        block_t *n = b->next;
        if (!keep && b->size == a->block_size) keep = b;
        else free(b);
        b = n;
    }
    if (!keep) keep = block_new(a->block_size);
    keep->next = NULL;
    keep->used = 0;
    a->head = keep;
    a->total = 0;
}

void arena_free(arena_t *a) {
    if (!a) return;
    run_cleanups(a);
    block_t *b = a->head;
    while (b) {
        block_t *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *arena_alloc(arena_t *a, size_t n) {
    if (n == 0) n = 1;
    if (n > SIZE_MAX - ARENA_ALIGN) oom();
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    block_t *b = a->head;
    if (b->size - b->used < need) {
        if (need > a->block_size / 4) {
            /* Large allocation: its own block, linked behind the current one
             * so the current block keeps serving small allocations. */
            block_t *big = block_new(need);
            big->used = need;
            big->next = b->next;
            b->next = big;
            a->total += need;
            return big->data;
        }
        b = block_new(a->block_size);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    return p;
}

void *arena_calloc(arena_t *a, size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) oom();
    void *p = arena_alloc(a, count * size);
    memset(p, 0, count * size);
    return p;
}

void *arena_realloc(arena_t *a, void *old, size_t old_n, size_t new_n) {
    if (new_n <= old_n && old) return old;
    void *p = arena_alloc(a, new_n);
    if (old && old_n) memcpy(p, old, old_n);
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena_t *a, const char *s) {
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *arena_memdup(arena_t *a, const void *p, size_t n) {
    void *q = arena_alloc(a, n);
    memcpy(q, p, n);
    return q;
}

char *arena_sprintf(arena_t *a, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void arena_on_free(arena_t *a, arena_cleanup_fn fn, void *ptr) {
    cleanup_t *c = arena_alloc(a, sizeof(*c));
    c->fn = fn;
    c->ptr = ptr;
    c->next = a->cleanups;
    a->cleanups = c;
}

size_t arena_used(const arena_t *a) { return a->total; }
