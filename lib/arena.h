/* Region allocator: a request (or any short-lived task) owns one arena and
 * frees everything it allocated at once. Cleanups registered on the arena run
 * (last registered first) when it is destroyed or reset, so foreign objects
 * such as PGresult or json_t can be tied to a request's lifetime. */
#ifndef LITESET_ARENA_H
#define LITESET_ARENA_H

#include <stddef.h>

typedef struct arena arena_t;
typedef void (*arena_cleanup_fn)(void *ptr);

/* Creates an arena whose blocks are at least block_size bytes (0 = default). */
arena_t *arena_new(size_t block_size);
/* Runs cleanups and frees every block. NULL is accepted. */
void arena_free(arena_t *a);
/* Runs cleanups and forgets allocations, keeping the first block for reuse. */
void arena_reset(arena_t *a);

/* Allocations are 16-byte aligned; they abort the process on out-of-memory,
 * like every allocator wrapper in Liteset (an OOM leaves nothing sane to do). */
void *arena_alloc(arena_t *a, size_t n);
void *arena_calloc(arena_t *a, size_t count, size_t size);
void *arena_realloc(arena_t *a, void *old, size_t old_n, size_t new_n);
char *arena_strdup(arena_t *a, const char *s);
char *arena_strndup(arena_t *a, const char *s, size_t n);
void *arena_memdup(arena_t *a, const void *p, size_t n);
char *arena_sprintf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ties ptr's lifetime to the arena: fn(ptr) runs at free/reset. */
void arena_on_free(arena_t *a, arena_cleanup_fn fn, void *ptr);

/* Bytes handed out since creation/reset (for tests and metrics). */
size_t arena_used(const arena_t *a);

/* Heap helpers that abort on OOM, for long-lived objects outside arenas. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
