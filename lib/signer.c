/* itsdangerous-compatible URLSafeTimedSerializer signing; see signer.h.
 *
 * Token layout: [.]b64u(payload) "." b64u(timestamp) "." b64u(HMAC-SHA1).
 * Base64 is decoded with Python's lenient rules (signer_b64_decode) so every
 * token itsdangerous accepts is accepted here too. */
#include "lib/signer.h"

#include <string.h>

#include "lib/b64.h"
#include "lib/crypto.h"
#include "lib/strbuf.h"
#include "lib/zlibutil.h"

#define SIGNER_INFLATE_CAP (1024 * 1024)
/* 9999-12-31T23:59:59Z: itsdangerous converts every timestamp to a datetime,
 * which raises beyond this; such tokens never load there. */
#define SIGNER_MAX_TIMESTAMP 253402300799ULL

void signer_init(signer_t *s, signer_kdf_t kdf, const char *secret, size_t secret_len, const char *salt) {
    size_t salt_len = strlen(salt);
    if (kdf == SIGNER_KDF_HMAC) {
        crypto_hmac_sha1(secret, secret_len, salt, salt_len, s->key);
        return;
    }
    /* django-concat: SHA1(salt + "signer" + secret) */
    strbuf_t sb;
    strbuf_init(&sb, salt_len + secret_len + 8);
    strbuf_append(&sb, salt, salt_len);
    strbuf_puts(&sb, "signer");
    strbuf_append(&sb, secret, secret_len);
    crypto_sha1(sb.data, sb.len, s->key);
    strbuf_free(&sb);
}

char *signer_timestamp(arena_t *a, int64_t now) {
    uint64_t t = now < 0 ? 0 : (uint64_t)now;
    unsigned char be[8];
    for (int i = 7; i >= 0; i--) {
        be[i] = (unsigned char)(t & 0xff);
        t >>= 8;
    }
    size_t skip = 0;
    while (skip < 8 && be[skip] == 0) skip++;
    return b64_encode_arena(a, B64_URL_NOPAD, be + skip, 8 - skip, NULL);
}

char *signer_dumps(arena_t *a, const signer_t *s, const char *json, size_t len, int64_t now) {
    size_t zlen = 0;
    const unsigned char *z = zlibu_compress(a, json, len, ZLIBU_LEVEL_DEFAULT, &zlen);
    /* itsdangerous: use zlib only when len(z) < len(json) - 1 */
    int compressed = z != NULL && zlen + 1 < len;

    strbuf_t sb;
    strbuf_init_arena(&sb, a, len + 64);
    if (compressed) strbuf_putc(&sb, '.');
    char *payload = compressed ? b64_encode_arena(a, B64_URL_NOPAD, z, zlen, NULL)
                               : b64_encode_arena(a, B64_URL_NOPAD, json, len, NULL);
    if (!payload) return NULL;
    strbuf_puts(&sb, payload);
    strbuf_putc(&sb, '.');
    strbuf_puts(&sb, signer_timestamp(a, now));

    unsigned char mac[CRYPTO_SHA1_LEN];
    crypto_hmac_sha1(s->key, sizeof s->key, sb.data, sb.len, mac);
    strbuf_putc(&sb, '.');
    strbuf_puts(&sb, b64_encode_arena(a, B64_URL_NOPAD, mac, sizeof mac, NULL));
    return sb.data;
}

/* Value of c for Python's urlsafe_b64decode, which maps '-' '_' onto '+' '/'
 * and then accepts the standard alphabet: -1 for anything else. */
static int b64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
}

int signer_b64_decode(const char *in, size_t n, unsigned char *out, size_t cap, size_t *out_len) {
    size_t total = n + (4 - n % 4) % 4; /* the '=' padding the callers append */
    size_t len = 0;
    int quad = 0;    /* data characters in the current group of four */
    int pads = 0;    /* consecutive '=' seen in the current group */
    int padded = 0;  /* a complete padding sequence ended the input */
    uint32_t acc = 0;
    int nbits = 0;
    for (size_t i = 0; i < total && !padded; i++) {
        unsigned char c = i < n ? (unsigned char)in[i] : '=';
        if (c == '=') {
            if (quad >= 2 && quad + ++pads >= 4) padded = 1;
            continue;
        }
        int v = b64_value(c);
        if (v < 0) continue; /* non-alphabet characters are skipped */
        pads = 0;
        quad = (quad + 1) % 4;
        acc = (acc << 6) | (uint32_t)v;
        nbits += 6;
        if (nbits >= 8) {
            if (len == cap) return -2;
            nbits -= 8;
            out[len++] = (unsigned char)(acc >> nbits);
            acc &= (1u << nbits) - 1; /* at a group's end nbits is 0 */
        }
    }
    if (!padded && quad != 0) return -1;
    *out_len = len;
    return 0;
}

unsigned char *signer_b64_decode_arena(arena_t *a, const char *in, size_t n, size_t *out_len) {
    size_t cap = n / 4 * 3 + 3;
    unsigned char *out = arena_alloc(a, cap + 1);
    size_t len = 0;
    if (signer_b64_decode(in, n, out, cap, &len) != 0) return NULL;
    out[len] = '\0';
    *out_len = len;
    return out;
}

static int signature_ok(const signer_t *s, const char *value, size_t value_len, const char *sig, size_t sig_len) {
    unsigned char got[CRYPTO_SHA1_LEN + 1]; /* one spare byte: longer input cannot match */
    size_t got_len = 0;
    if (signer_b64_decode(sig, sig_len, got, sizeof got, &got_len) != 0) return 0;
    unsigned char want[CRYPTO_SHA1_LEN];
    crypto_hmac_sha1(s->key, sizeof s->key, value, value_len, want);
    return crypto_equal_len(got, got_len, want, sizeof want);
}

/* Big-endian timestamp of up to 8 bytes, at most year 9999. Returns 0, or -1 when malformed. */
static int decode_timestamp(const char *ts, size_t ts_len, uint64_t *out) {
    unsigned char raw[8];
    size_t raw_len = 0;
    if (signer_b64_decode(ts, ts_len, raw, sizeof raw, &raw_len) != 0) return -1;
    uint64_t t = 0;
    for (size_t i = 0; i < raw_len; i++) t = (t << 8) | raw[i];
    if (t > SIGNER_MAX_TIMESTAMP) return -1;
    *out = t;
    return 0;
}

static signer_status_t check_age(uint64_t ts, int64_t now, int64_t max_age) {
    if (max_age < 0) return SIGNER_OK;
    if (now < 0 || ts > (uint64_t)now) return SIGNER_FUTURE;
    if (now - (int64_t)ts > max_age) return SIGNER_EXPIRED;
    return SIGNER_OK;
}

static signer_status_t decode_payload(arena_t *a, const char *p, size_t p_len, char **json, size_t *json_len) {
    int compressed = p_len > 0 && p[0] == '.';
    if (compressed) {
        p++;
        p_len--;
    }
    size_t raw_len = 0;
    unsigned char *raw = signer_b64_decode_arena(a, p, p_len, &raw_len);
    if (!raw) return SIGNER_MALFORMED;
    if (!compressed) {
        *json = (char *)raw;
        *json_len = raw_len;
        return SIGNER_OK;
    }
    unsigned char *out = NULL;
    size_t out_len = 0;
    if (zlibu_inflate(a, raw, raw_len, SIGNER_INFLATE_CAP, &out, &out_len) != ZLIBU_OK) return SIGNER_MALFORMED;
    *json = (char *)out;
    *json_len = out_len;
    return SIGNER_OK;
}

signer_status_t signer_loads(arena_t *a, const signer_t *s, const char *token, size_t len, int64_t now,
                             int64_t max_age, char **json, size_t *json_len) {
    if (!token) return SIGNER_BAD_SIGNATURE;
    const char *sig_dot = memrchr(token, '.', len);
    if (!sig_dot) return SIGNER_BAD_SIGNATURE;
    size_t value_len = (size_t)(sig_dot - token);
    if (!signature_ok(s, token, value_len, sig_dot + 1, len - value_len - 1)) return SIGNER_BAD_SIGNATURE;

    const char *ts_dot = memrchr(token, '.', value_len);
    if (!ts_dot) return SIGNER_MALFORMED; /* "timestamp missing" */
    size_t payload_len = (size_t)(ts_dot - token);
    uint64_t ts = 0;
    if (decode_timestamp(ts_dot + 1, value_len - payload_len - 1, &ts) != 0) return SIGNER_MALFORMED;

    signer_status_t st = check_age(ts, now, max_age);
    if (st != SIGNER_OK) return st;
    return decode_payload(a, token, payload_len, json, json_len);
}
