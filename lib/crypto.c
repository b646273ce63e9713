/* Digests, HMAC, randomness, hex, comparison and KDFs on OpenSSL 3; see crypto.h. */
#include "lib/crypto.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "lib/b64.h"
#include "lib/log.h"

static const struct {
    const char *name;
    crypto_hash_t hash;
} HASH_NAMES[] = {
    {"md5", CRYPTO_MD5},       {"sha1", CRYPTO_SHA1},     {"sha224", CRYPTO_SHA224},
    {"sha256", CRYPTO_SHA256}, {"sha384", CRYPTO_SHA384}, {"sha512", CRYPTO_SHA512},
};

crypto_hash_t crypto_hash_from_name(const char *name) {
    for (size_t i = 0; i < sizeof HASH_NAMES / sizeof HASH_NAMES[0]; i++)
        if (strcmp(name, HASH_NAMES[i].name) == 0) return HASH_NAMES[i].hash;
    return CRYPTO_HASH_INVALID;
}

static const EVP_MD *md_of(crypto_hash_t h) {
    switch (h) {
    case CRYPTO_MD5: return EVP_md5();
    case CRYPTO_SHA1: return EVP_sha1();
    case CRYPTO_SHA224: return EVP_sha224();
    case CRYPTO_SHA256: return EVP_sha256();
    case CRYPTO_SHA384: return EVP_sha384();
    case CRYPTO_SHA512: return EVP_sha512();
    default: return NULL;
    }
}

size_t crypto_hash_len(crypto_hash_t h) {
    const EVP_MD *md = md_of(h);
    return md ? (size_t)EVP_MD_get_size(md) : 0;
}

static void die(const char *what) {
    log_error("libcrypto failure in %s", what);
    abort();
}

size_t crypto_digest(crypto_hash_t h, const void *data, size_t n, unsigned char *out) {
    const EVP_MD *md = md_of(h);
    unsigned int len = 0;
    if (!md || EVP_Digest(data, n, out, &len, md, NULL) != 1) die("EVP_Digest");
    return len;
}

void crypto_sha1(const void *data, size_t n, unsigned char out[CRYPTO_SHA1_LEN]) {
    crypto_digest(CRYPTO_SHA1, data, n, out);
}

void crypto_sha256(const void *data, size_t n, unsigned char out[CRYPTO_SHA256_LEN]) {
    crypto_digest(CRYPTO_SHA256, data, n, out);
}

void crypto_sha512(const void *data, size_t n, unsigned char out[CRYPTO_SHA512_LEN]) {
    crypto_digest(CRYPTO_SHA512, data, n, out);
}

size_t crypto_hmac(crypto_hash_t h, const void *key, size_t klen, const void *data, size_t n,
                   unsigned char *out) {
    static const unsigned char empty_key[1];
    const EVP_MD *md = md_of(h);
    if (!md) die("HMAC (invalid hash)");
    /* HMAC replaces a key longer than the block size by its digest, so doing
     * it here for keys beyond HMAC()'s int length gives the same result. */
    unsigned char hashed[CRYPTO_MAX_DIGEST];
    if (klen > INT_MAX) {
        klen = crypto_digest(h, key, klen, hashed);
        key = hashed;
    }
    if (klen == 0) key = empty_key;
    unsigned int len = 0;
    if (!HMAC(md, key, (int)klen, data, n, out, &len)) die("HMAC");
    return len;
}

void crypto_hmac_sha1(const void *key, size_t klen, const void *data, size_t n,
                      unsigned char out[CRYPTO_SHA1_LEN]) {
    crypto_hmac(CRYPTO_SHA1, key, klen, data, n, out);
}

void crypto_hmac_sha256(const void *key, size_t klen, const void *data, size_t n,
                        unsigned char out[CRYPTO_SHA256_LEN]) {
    crypto_hmac(CRYPTO_SHA256, key, klen, data, n, out);
}

void crypto_hmac_sha512(const void *key, size_t klen, const void *data, size_t n,
                        unsigned char out[CRYPTO_SHA512_LEN]) {
    crypto_hmac(CRYPTO_SHA512, key, klen, data, n, out);
}

void crypto_random_bytes(void *buf, size_t n) {
    unsigned char *p = buf;
    while (n > 0) {
        int chunk = n > INT_MAX ? INT_MAX : (int)n;
        if (RAND_bytes(p, chunk) != 1) die("RAND_bytes");
        p += chunk;
        n -= (size_t)chunk;
    }
}

char *crypto_token_urlsafe(arena_t *a, size_t nbytes) {
    unsigned char *raw = arena_alloc(a, nbytes ? nbytes : 1);
    crypto_random_bytes(raw, nbytes);
    char *token = b64_encode_arena(a, B64_URL_NOPAD, raw, nbytes, NULL);
    OPENSSL_cleanse(raw, nbytes);
    return token;
}

void crypto_hex_encode(const void *in, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = in;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

char *crypto_hex_arena(arena_t *a, const void *in, size_t n) {
    if (n > (SIZE_MAX - 1) / 2) return NULL;
    char *out = arena_alloc(a, 2 * n + 1);
    crypto_hex_encode(in, n, out);
    return out;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long crypto_hex_decode(const char *hex, size_t hexlen, unsigned char *out, size_t cap) {
    if (hexlen % 2 != 0 || hexlen / 2 > cap || hexlen / 2 > LONG_MAX) return -1;
    for (size_t i = 0; i < hexlen / 2; i++) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(hexlen / 2);
}

bool crypto_equal(const void *a, const void *b, size_t n) {
    return n == 0 || CRYPTO_memcmp(a, b, n) == 0;
}

bool crypto_equal_len(const void *a, size_t alen, const void *b, size_t blen) {
    return alen == blen && crypto_equal(a, b, alen);
}

int crypto_pbkdf2(crypto_hash_t h, const void *pw, size_t pwlen, const void *salt, size_t saltlen,
                  uint64_t iterations, unsigned char *out, size_t outlen) {
    const EVP_MD *md = md_of(h);
    if (!md || iterations == 0 || iterations > INT_MAX || outlen == 0 || outlen > INT_MAX ||
        pwlen > INT_MAX || saltlen > INT_MAX)
        return -1;
    /* OpenSSL reads a NULL pointer with length 0 as "use strlen"; avoid that. */
    if (pwlen == 0) pw = "";
    if (saltlen == 0) salt = "";
    if (PKCS5_PBKDF2_HMAC(pw, (int)pwlen, salt, (int)saltlen, (int)iterations, md, (int)outlen,
                          out) != 1) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

int crypto_scrypt(const void *pw, size_t pwlen, const void *salt, size_t saltlen, uint64_t n,
                  uint64_t r, uint64_t p, uint64_t maxmem, unsigned char *out, size_t outlen) {
    if (outlen == 0 || n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0) return -1;
    if (pwlen == 0) pw = "";
    if (saltlen == 0) salt = "";
    if (EVP_PBE_scrypt(pw, pwlen, salt, saltlen, n, r, p, maxmem, out, outlen) != 1) {
        ERR_clear_error(); /* e.g. "memory limit exceeded"; don't leak it to TLS users */
        return -1;
    }
    return 0;
}
