/* Version 3 UUIDs; see uuid3.h. */
#include "lib/uuid3.h"

#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"

void uuid3_bytes(const unsigned char ns[16], const char *name, size_t n, unsigned char out[16]) {
    unsigned char *buf = malloc(16 + n + 1);
    if (!buf) abort();
    memcpy(buf, ns, 16);
    memcpy(buf + 16, name, n);
    unsigned char d[CRYPTO_MAX_DIGEST];
    crypto_digest(CRYPTO_MD5, buf, 16 + n, d);
    free(buf);
    memcpy(out, d, 16);
    out[6] = (unsigned char)((out[6] & 0x0f) | 0x30); /* version 3 */
    out[8] = (unsigned char)((out[8] & 0x3f) | 0x80); /* RFC 4122 variant */
}

void uuid3_namespace_from_seed(const char *seed, unsigned char out[16]) {
    unsigned char d[CRYPTO_MAX_DIGEST];
    crypto_digest(CRYPTO_MD5, seed, strlen(seed), d);
    memcpy(out, d, 16);
}

char *uuid3_text(arena_t *a, const unsigned char b[16]) {
    return arena_sprintf(a, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
                         b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
