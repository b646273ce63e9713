/* Werkzeug 3.1 password hashes (check_password_hash / generate_password_hash);
 * see password.h. Stored form "<method>$<salt>$<hex>", split at the first two
 * '$'; the salt is used as its text bytes. Values werkzeug would raise on
 * (and absurd cost parameters) give PW_UNSUPPORTED without hashing; a value
 * without two '$' (e.g. "" for OAuth users) is a plain mismatch, as there. */
#include "lib/password.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/crypto.h"

#define PW_SCRYPT_DKLEN 64
#define PW_PBKDF2_DEFAULT_ITERATIONS 1000000
#define PW_MAX_PBKDF2_ITERATIONS 10000000
#define PW_MAX_SCRYPT_MEM (1024ULL * 1024 * 1024)
#define PW_MAX_METHOD_ARGS 4 /* more than any valid method has */

typedef enum { PW_SCRYPT, PW_PBKDF2 } pw_kind_t;

typedef struct pw_method {
    pw_kind_t kind;
    uint64_t n, r, p;      /* scrypt */
    crypto_hash_t hash;    /* pbkdf2 */
    char hash_name[32];    /* pbkdf2, as written in the method (werkzeug echoes it) */
    uint64_t iterations;   /* pbkdf2 */
} pw_method_t;

typedef struct pw_span {
    const char *s;
    size_t n;
} pw_span_t;

static int span_eq(pw_span_t sp, const char *lit) { return sp.n == strlen(lit) && memcmp(sp.s, lit, sp.n) == 0; }

/* Whitespace as Python's int() strips it (ASCII part). */
static int is_py_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* Python int(text) for base 10: optional surrounding whitespace, optional
 * sign, digits with single '_' between them. Saturates at the int64 range.
 * Returns 0, or -1 where Python raises ValueError. */
static int py_int_parse(pw_span_t sp, int64_t *out) {
    const char *s = sp.s, *end = sp.s + sp.n;
    while (s < end && is_py_space(*s)) s++;
    while (end > s && is_py_space(end[-1])) end--;
    int neg = 0;
    if (s < end && (*s == '+' || *s == '-')) neg = *s++ == '-';
    if (s == end || *s < '0' || *s > '9') return -1;
    uint64_t v = 0;
    for (; s < end; s++) {
        if (*s == '_' && s + 1 < end && s[1] >= '0' && s[1] <= '9') continue; /* "1_000" */
        if (*s < '0' || *s > '9') return -1;
        if (v <= (uint64_t)INT64_MAX) v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v > (uint64_t)INT64_MAX) v = (uint64_t)INT64_MAX;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* Splits text at every ':' into at most max parts. Returns the count, or -1
 * if there are more. */
static int split_colons(pw_span_t text, pw_span_t *parts, int max) {
    int count = 0;
    const char *s = text.s, *end = text.s + text.n;
    for (;;) {
        const char *colon = memchr(s, ':', (size_t)(end - s));
        const char *stop = colon ? colon : end;
        if (count == max) return -1;
        parts[count++] = (pw_span_t){s, (size_t)(stop - s)};
        if (!colon) return count;
        s = colon + 1;
    }
}

static int parse_scrypt(const pw_span_t *args, int nargs, pw_method_t *m) {
    m->kind = PW_SCRYPT;
    m->n = 32768;
    m->r = 8;
    m->p = 1;
    if (nargs == 0) return 0;
    if (nargs != 3) return -1;
    int64_t v[3];
    for (int i = 0; i < 3; i++)
        if (py_int_parse(args[i], &v[i]) != 0 || v[i] < 1) return -1;
    m->n = (uint64_t)v[0];
    m->r = (uint64_t)v[1];
    m->p = (uint64_t)v[2];
    if (m->n < 2 || (m->n & (m->n - 1)) != 0) return -1;
    /* werkzeug's maxmem is 132*n*r*p; refuse anything above the guard */
    if (m->r > PW_MAX_SCRYPT_MEM || m->p > PW_MAX_SCRYPT_MEM / m->r) return -1;
    if (m->n > PW_MAX_SCRYPT_MEM / 132 / (m->r * m->p)) return -1;
    return 0;
}

/* Digest names hashlib.pbkdf2_hmac resolves (through OpenSSL, any case) to
 * the digests lib/crypto offers. Others (sha3_*, blake2*, ...) are refused. */
static crypto_hash_t digest_by_name(const char *name) {
    static const struct {
        const char *name;
        crypto_hash_t hash;
    } names[] = {
        {"md5", CRYPTO_MD5},          {"ssl3-md5", CRYPTO_MD5},       {"sha1", CRYPTO_SHA1},
        {"sha-1", CRYPTO_SHA1},       {"ssl3-sha1", CRYPTO_SHA1},     {"sha224", CRYPTO_SHA224},
        {"sha-224", CRYPTO_SHA224},   {"sha2-224", CRYPTO_SHA224},    {"sha256", CRYPTO_SHA256},
        {"sha-256", CRYPTO_SHA256},   {"sha2-256", CRYPTO_SHA256},    {"sha384", CRYPTO_SHA384},
        {"sha-384", CRYPTO_SHA384},   {"sha2-384", CRYPTO_SHA384},    {"sha512", CRYPTO_SHA512},
        {"sha-512", CRYPTO_SHA512},   {"sha2-512", CRYPTO_SHA512},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0) return names[i].hash;
    return CRYPTO_HASH_INVALID;
}

static int parse_pbkdf2(const pw_span_t *args, int nargs, pw_method_t *m) {
    m->kind = PW_PBKDF2;
    m->hash = CRYPTO_SHA256;
    strcpy(m->hash_name, "sha256");
    m->iterations = PW_PBKDF2_DEFAULT_ITERATIONS;
    if (nargs > 2) return -1;
    if (nargs >= 1) {
        if (args[0].n >= sizeof m->hash_name) return -1;
        memcpy(m->hash_name, args[0].s, args[0].n);
        m->hash_name[args[0].n] = '\0';
        m->hash = digest_by_name(m->hash_name);
        if (m->hash == CRYPTO_HASH_INVALID) return -1;
    }
    if (nargs == 2) {
        int64_t it = 0;
        if (py_int_parse(args[1], &it) != 0 || it < 1 || it > PW_MAX_PBKDF2_ITERATIONS) return -1;
        m->iterations = (uint64_t)it;
    }
    return 0;
}

static int parse_method(pw_span_t text, pw_method_t *m) {
    pw_span_t parts[PW_MAX_METHOD_ARGS + 1];
    int count = split_colons(text, parts, PW_MAX_METHOD_ARGS + 1);
    if (count < 0) return -1;
    if (span_eq(parts[0], "scrypt")) return parse_scrypt(parts + 1, count - 1, m);
    if (span_eq(parts[0], "pbkdf2")) return parse_pbkdf2(parts + 1, count - 1, m);
    return -1;
}

/* Derives the hex digest into hex (2*64+1 bytes). Returns 0 or -1. */
static int derive_hex(const pw_method_t *m, const char *password, const char *salt, size_t salt_len, char *hex) {
    unsigned char dk[CRYPTO_MAX_DIGEST];
    size_t dk_len = 0;
    int rc;
    if (m->kind == PW_SCRYPT) {
        dk_len = PW_SCRYPT_DKLEN;
        rc = crypto_scrypt(password, strlen(password), salt, salt_len, m->n, m->r, m->p, 132 * m->n * m->r * m->p,
                           dk, dk_len);
    } else {
        dk_len = crypto_hash_len(m->hash);
        rc = crypto_pbkdf2(m->hash, password, strlen(password), salt, salt_len, m->iterations, dk, dk_len);
    }
    if (rc != 0) return -1;
    crypto_hex_encode(dk, dk_len, hex);
    return 0;
}

pw_result_t password_check(const char *stored, const char *password) {
    if (!stored || !password) return PW_UNSUPPORTED;
    const char *d1 = strchr(stored, '$');
    const char *d2 = d1 ? strchr(d1 + 1, '$') : NULL;
    if (!d2) return PW_MISMATCH; /* werkzeug returns False here, it does not raise */
    const char *hashval = d2 + 1;
    for (const char *c = hashval; *c; c++)
        if ((unsigned char)*c >= 0x80) return PW_UNSUPPORTED; /* compare_digest raises on non-ASCII str */

    pw_method_t m;
    if (parse_method((pw_span_t){stored, (size_t)(d1 - stored)}, &m) != 0) return PW_UNSUPPORTED;
    char hex[2 * CRYPTO_MAX_DIGEST + 1];
    if (derive_hex(&m, password, d1 + 1, (size_t)(d2 - d1 - 1), hex) != 0) return PW_UNSUPPORTED;
    return crypto_equal_len(hex, strlen(hex), hashval, strlen(hashval)) ? PW_MATCH : PW_MISMATCH;
}

/* werkzeug gen_salt: uniform choice from 62 characters (rejection sampling). */
static void gen_salt(char *out, int len) {
    static const char CHARS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int i = 0;
    while (i < len) {
        unsigned char buf[64];
        crypto_random_bytes(buf, sizeof buf);
        for (size_t k = 0; k < sizeof buf && i < len; k++)
            if (buf[k] < 248) out[i++] = CHARS[buf[k] % 62]; /* 248 = 4 * 62 */
    }
    out[len] = '\0';
}

char *password_hash_with(const char *password, const char *method, int salt_len) {
    if (!password || !method || salt_len <= 0 || salt_len > 1024) return NULL;
    pw_method_t m;
    if (parse_method((pw_span_t){method, strlen(method)}, &m) != 0) return NULL;
    char *salt = malloc((size_t)salt_len + 1);
    if (!salt) return NULL;
    gen_salt(salt, salt_len);
    char hex[2 * CRYPTO_MAX_DIGEST + 1];
    char *out = NULL;
    int rc = -1;
    if (derive_hex(&m, password, salt, (size_t)salt_len, hex) == 0) {
        /* werkzeug writes the normalised method ("scrypt" -> "scrypt:32768:8:1") */
        if (m.kind == PW_SCRYPT)
            rc = asprintf(&out, "scrypt:%llu:%llu:%llu$%s$%s", (unsigned long long)m.n, (unsigned long long)m.r,
                          (unsigned long long)m.p, salt, hex);
        else
            rc = asprintf(&out, "pbkdf2:%s:%llu$%s$%s", m.hash_name, (unsigned long long)m.iterations, salt, hex);
    }
    free(salt);
    return rc < 0 ? NULL : out;
}

char *password_hash(const char *password) { return password_hash_with(password, "scrypt", 16); }
