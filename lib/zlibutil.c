/* zlib compress / capped inflate into arena buffers; see zlibutil.h. */
#include "lib/zlibutil.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include <zlib.h>

#include "lib/log.h"

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

unsigned char *zlibu_compress(arena_t *a, const void *in, size_t n, int level, size_t *out_len) {
    if (level < -1 || level > 9) return NULL;
    z_stream zs = {0};
    /* deflateInit uses compress2's parameters: window 15, memLevel 8. */
    if (deflateInit(&zs, level) != Z_OK) {
        log_error("deflateInit failed");
        abort();
    }
    uLong bound = deflateBound(&zs, (uLong)n);
    if (n > SIZE_MAX / 2 || bound < n) {
        deflateEnd(&zs);
        return NULL;
    }
    unsigned char *out = arena_alloc(a, bound);
    const unsigned char *src = in;
    size_t in_left = n, produced = 0;
    int rc = Z_OK;
    /* avail_in/avail_out are 32-bit, so feed and drain in chunks. */
    while (rc != Z_STREAM_END) {
        if (zs.avail_in == 0 && in_left > 0) {
            size_t chunk = min_size(in_left, UINT_MAX);
            zs.next_in = (Bytef *)src;
            zs.avail_in = (uInt)chunk;
            src += chunk;
            in_left -= chunk;
        }
        size_t room = min_size(bound - produced, UINT_MAX);
        zs.next_out = out + produced;
        zs.avail_out = (uInt)room;
        rc = deflate(&zs, in_left == 0 ? Z_FINISH : Z_NO_FLUSH);
        produced += room - zs.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END) {
            log_error("deflate failed: %d", rc); /* impossible with a deflateBound buffer */
            abort();
        }
    }
    deflateEnd(&zs);
    *out_len = produced;
    return out;
}

zlibu_status_t zlibu_inflate(arena_t *a, const void *in, size_t n, size_t max_out,
                             unsigned char **out, size_t *out_len) {
    z_stream zs = {0};
    if (inflateInit(&zs) != Z_OK) {
        log_error("inflateInit failed");
        abort();
    }
    /* One byte of room beyond the cap tells "exactly max_out" from "more". */
    size_t limit = max_out >= SIZE_MAX - 2 ? SIZE_MAX - 2 : max_out + 1;
    size_t cap = min_size(limit, n > SIZE_MAX / 4 ? SIZE_MAX : (n * 4 < 256 ? 256 : n * 4));
    unsigned char *buf = arena_alloc(a, cap + 1); /* +1: NUL terminator */
    const unsigned char *src = in;
    size_t in_left = n, produced = 0;
    zlibu_status_t st = ZLIBU_OK;
    for (;;) {
        if (zs.avail_in == 0 && in_left > 0) {
            size_t chunk = min_size(in_left, UINT_MAX);
            zs.next_in = (Bytef *)src;
            zs.avail_in = (uInt)chunk;
            src += chunk;
            in_left -= chunk;
        }
        if (produced == cap) {
            if (cap == limit) {
                st = ZLIBU_ERR_TOO_BIG;
                break;
            }
            size_t grown = cap > limit / 2 ? limit : cap * 2;
            buf = arena_realloc(a, buf, produced + 1, grown + 1);
            cap = grown;
        }
        size_t room = min_size(cap - produced, UINT_MAX);
        zs.next_out = buf + produced;
        zs.avail_out = (uInt)room;
        int rc = inflate(&zs, Z_NO_FLUSH);
        produced += room - zs.avail_out;
        if (rc == Z_STREAM_END) {
            /* Bytes after the stream are not part of a zlib.compress() output. */
            if (zs.avail_in > 0 || in_left > 0) st = ZLIBU_ERR_DATA;
            break;
        }
        /* Z_BUF_ERROR with room left means the input ran out: truncated. */
        if (rc != Z_OK) {
            st = ZLIBU_ERR_DATA;
            break;
        }
    }
    inflateEnd(&zs);
    if (st == ZLIBU_OK && produced > max_out) st = ZLIBU_ERR_TOO_BIG;
    if (st != ZLIBU_OK) return st;
    buf[produced] = '\0';
    *out = buf;
    *out_len = produced;
    return ZLIBU_OK;
}
