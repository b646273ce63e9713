/* itsdangerous-compatible timed signing (URLSafeTimedSerializer), used by
 * Flask's session cookie and Flask-WTF's CSRF token:
 *   token = payload "." b64u(timestamp) "." b64u(HMAC-SHA1(key, payload "." ts))
 * where payload is b64u(json) or "." b64u(zlib(json)) when that is shorter by
 * more than one byte. The two users derive their key differently. */
#ifndef LITESET_SIGNER_H
#define LITESET_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

typedef enum {
    SIGNER_KDF_HMAC,          /* key = HMAC-SHA1(secret, salt): Flask session */
    SIGNER_KDF_DJANGO_CONCAT, /* key = SHA1(salt + "signer" + secret): itsdangerous default (CSRF) */
} signer_kdf_t;

typedef struct signer {
    unsigned char key[20];
} signer_t;

typedef enum {
    SIGNER_OK = 0,
    SIGNER_MALFORMED,     /* no or bad timestamp, bad base64, bad zlib, over the inflate cap */
    SIGNER_BAD_SIGNATURE, /* also: no '.' at all. Callers treat both as "invalid" */
    SIGNER_EXPIRED,       /* older than max_age */
    SIGNER_FUTURE,        /* timestamp after now */
} signer_status_t;

void signer_init(signer_t *s, signer_kdf_t kdf, const char *secret, size_t secret_len, const char *salt);

/* Signs json (len bytes) at time now (>= 0; negative counts as 0). Result on
 * the arena, NUL-terminated; NULL only for an absurd len. */
char *signer_dumps(arena_t *a, const signer_t *s, const char *json, size_t len, int64_t now);

/* Verifies token and returns the JSON text (arena, NUL-terminated) in *json.
 * max_age < 0: no age limit (and, as in itsdangerous, no future check).
 * Checks run in itsdangerous's order: signature (BAD_SIGNATURE, also for a
 * token without any '.'), timestamp present, at most 8 bytes and not past
 * 9999-12-31 (MALFORMED; itsdangerous raises ValueError there),
 * age (EXPIRED / FUTURE), then payload base64 and zlib (MALFORMED). The JSON
 * itself is not parsed. Inflated payloads are capped at 1 MiB. */
signer_status_t signer_loads(arena_t *a, const signer_t *s, const char *token, size_t len, int64_t now,
                             int64_t max_age, char **json, size_t *json_len);

/* Timestamp segment for now: big-endian bytes without leading zeros, b64u
 * (1700000000 -> "ZVPxAA"; 0 -> ""). Arena string. */
char *signer_timestamp(arena_t *a, int64_t now);

/* Python's lenient URL-safe base64 decoding as itsdangerous and PyJWT use it:
 * base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)). Characters outside the
 * alphabet are skipped, '+' '/' are accepted like '-' '_', decoding stops at
 * the first complete padding sequence, and a leftover of one data character
 * (or an unterminated group) is an error. Returns 0, -1 where Python raises,
 * or -2 when the output does not fit in cap bytes. */
int signer_b64_decode(const char *in, size_t n, unsigned char *out, size_t cap, size_t *out_len);
/* Same into an arena buffer (NUL-terminated, NUL not counted); NULL on error. */
unsigned char *signer_b64_decode_arena(arena_t *a, const char *in, size_t n, size_t *out_len);

#endif
