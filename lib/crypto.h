/* Cryptographic primitives on OpenSSL 3: digests, HMAC, random bytes and
 * tokens, hex, constant-time comparison, PBKDF2 and scrypt (werkzeug password
 * hashes). Buffers are caller-owned unless a function takes an arena.
 *
 * Digest and HMAC one-shots cannot fail with valid arguments; if libcrypto
 * itself fails they abort the process (as the random functions do) rather
 * than hand back a bogus signature; passing CRYPTO_HASH_INVALID to them is a
 * programming error and aborts too.
 *
 * PBKDF2 and scrypt are CPU-heavy by design (tens to hundreds of ms): callers
 * on an event-loop thread should run them off the loop. */
#ifndef LITESET_CRYPTO_H
#define LITESET_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

typedef enum {
    CRYPTO_HASH_INVALID = -1,
    CRYPTO_MD5,
    CRYPTO_SHA1,
    CRYPTO_SHA224,
    CRYPTO_SHA256,
    CRYPTO_SHA384,
    CRYPTO_SHA512,
} crypto_hash_t;

#define CRYPTO_MAX_DIGEST 64 /* bytes; enough for every crypto_hash_t */
#define CRYPTO_SHA1_LEN 20
#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA512_LEN 64

/* hashlib-style lower-case name ("sha256") to enum; CRYPTO_HASH_INVALID if unknown. */
crypto_hash_t crypto_hash_from_name(const char *name);
/* Digest size in bytes; 0 for an invalid hash. */
size_t crypto_hash_len(crypto_hash_t h);

/* One-shot digest of data into out (crypto_hash_len(h) bytes). Returns the length. */
size_t crypto_digest(crypto_hash_t h, const void *data, size_t n, unsigned char *out);
void crypto_sha1(const void *data, size_t n, unsigned char out[CRYPTO_SHA1_LEN]);
void crypto_sha256(const void *data, size_t n, unsigned char out[CRYPTO_SHA256_LEN]);
void crypto_sha512(const void *data, size_t n, unsigned char out[CRYPTO_SHA512_LEN]);

/* One-shot HMAC(key, data) into out (crypto_hash_len(h) bytes). Returns the length.
 * An empty key (klen 0, key may be NULL) is allowed. */
size_t crypto_hmac(crypto_hash_t h, const void *key, size_t klen, const void *data, size_t n,
                   unsigned char *out);
void crypto_hmac_sha1(const void *key, size_t klen, const void *data, size_t n,
                      unsigned char out[CRYPTO_SHA1_LEN]);
void crypto_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
                        unsigned char out[CRYPTO_SHA256_LEN]);
void crypto_hmac_sha512(const void *key, size_t klen, const void *data, size_t n,
                        unsigned char out[CRYPTO_SHA512_LEN]);

/* Fills buf with n bytes from the CSPRNG; aborts if the generator fails. */
void crypto_random_bytes(void *buf, size_t n);

/* Python secrets.token_urlsafe(nbytes): nbytes random bytes as unpadded
 * base64url. The string belongs to the arena. */
char *crypto_token_urlsafe(arena_t *a, size_t nbytes);

/* Lower-case hex of n bytes into out, which must hold 2n+1 chars (NUL written). */
void crypto_hex_encode(const void *in, size_t n, char *out);
/* Same, into an arena string. */
char *crypto_hex_arena(arena_t *a, const void *in, size_t n);
/* Decodes hex (either case) of even length hexlen into out (cap bytes).
 * Returns the byte count, or -1 on a bad digit, odd length or small cap. */
long crypto_hex_decode(const char *hex, size_t hexlen, unsigned char *out, size_t cap);

/* Constant-time equality of two n-byte buffers. */
bool crypto_equal(const void *a, const void *b, size_t n);
/* Like Python hmac.compare_digest: false at once when lengths differ (the
 * length is not secret), otherwise a constant-time compare of the bytes. */
bool crypto_equal_len(const void *a, size_t alen, const void *b, size_t blen);

/* PBKDF2-HMAC-<h>(password, salt, iterations) -> out (outlen bytes).
 * Returns 0, or -1 on bad parameters (invalid hash, 0 iterations, outlen 0). */
int crypto_pbkdf2(crypto_hash_t h, const void *pw, size_t pwlen, const void *salt, size_t saltlen,
                  uint64_t iterations, unsigned char *out, size_t outlen);

/* scrypt(password, salt, N, r, p) -> out (outlen bytes), refusing to use more
 * than maxmem bytes. maxmem 0 means OpenSSL's 32 MiB default, which is too
 * small for werkzeug's N=32768 r=8: pass werkzeug's 132*N*r*p (or more).
 * Returns 0, or -1 on bad parameters (N not a power of two > 1, memory limit). */
int crypto_scrypt(const void *pw, size_t pwlen, const void *salt, size_t saltlen, uint64_t n,
                  uint64_t r, uint64_t p, uint64_t maxmem, unsigned char *out, size_t outlen);

#endif
