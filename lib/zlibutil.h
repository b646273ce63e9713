/* zlib-format compression helpers. zlibu_compress matches Python's
 * zlib.compress(data) byte for byte at ZLIBU_LEVEL_DEFAULT (Flask session
 * cookies); zlibu_inflate refuses output beyond a caller-chosen cap so a
 * small hostile input cannot expand into gigabytes (zip bomb). */
#ifndef LITESET_ZLIBUTIL_H
#define LITESET_ZLIBUTIL_H

#include <stddef.h>

#include "lib/arena.h"

/* Z_DEFAULT_COMPRESSION (-1, which zlib treats as level 6): Python's default. */
#define ZLIBU_LEVEL_DEFAULT (-1)

typedef enum {
    ZLIBU_OK = 0,
    ZLIBU_ERR_DATA = -1,    /* not a complete, valid zlib stream, or trailing bytes */
    ZLIBU_ERR_TOO_BIG = -2, /* output would exceed the cap */
} zlibu_status_t;

/* Compresses n bytes (zlib wrapper, window 15) at level (0..9 or
 * ZLIBU_LEVEL_DEFAULT) into an arena buffer; *out_len receives its length.
 * Returns NULL only for an invalid level or an absurd input size. */
unsigned char *zlibu_compress(arena_t *a, const void *in, size_t n, int level, size_t *out_len);

/* Inflates one complete zlib stream of n bytes into an arena buffer of at
 * most max_out bytes (NUL-terminated for convenience; the NUL is not counted).
 * On success *out / *out_len are set; on error they are left untouched. */
zlibu_status_t zlibu_inflate(arena_t *a, const void *in, size_t n, size_t max_out,
                             unsigned char **out, size_t *out_len);

#endif
