/* Base64 encode/decode, standard and URL-safe alphabets; see b64.h. */
#include "lib/b64.h"

static const char STD_ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL_ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t b64_encoded_len(b64_variant_t v, size_t n) {
    size_t groups = n / 3, rest = n % 3;
    if (groups > (SIZE_MAX - 4) / 4) return B64_BAD_LEN;
    size_t len = groups * 4;
    if (rest == 0) return len;
    return len + (v == B64_URL_NOPAD ? rest + 1 : 4);
}

/* Number of trailing '=' treated as padding (at most two). */
static size_t count_padding(const char *in, size_t n) {
    size_t pads = 0;
    while (pads < 2 && pads < n && in[n - 1 - pads] == '=') pads++;
    return pads;
}

size_t b64_decoded_len(const char *in, size_t n) {
    size_t pads = count_padding(in, n);
    size_t body = n - pads, rest = body % 4;
    if (rest == 1) return B64_BAD_LEN;
    /* Padding, when present, must complete the last quantum exactly. */
    if (pads > 0 && (rest == 0 || pads != 4 - rest)) return B64_BAD_LEN;
    return (body / 4) * 3 + (rest ? rest - 1 : 0);
}

size_t b64_encode(b64_variant_t v, const void *in, size_t n, char *out, size_t cap) {
    size_t len = b64_encoded_len(v, n);
    if (len == B64_BAD_LEN || len >= cap) return B64_BAD_LEN;
    const char *abc = v == B64_STD ? STD_ALPHABET : URL_ALPHABET;
    const unsigned char *p = in;
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t w = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = abc[w >> 18 & 63];
        *o++ = abc[w >> 12 & 63];
        *o++ = abc[w >> 6 & 63];
        *o++ = abc[w & 63];
    }
    size_t rest = n - i;
    if (rest > 0) {
        uint32_t w = (uint32_t)p[i] << 16 | (rest == 2 ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = abc[w >> 18 & 63];
        *o++ = abc[w >> 12 & 63];
        if (rest == 2) *o++ = abc[w >> 6 & 63];
        if (v != B64_URL_NOPAD) {
            if (rest == 1) *o++ = '=';
            *o++ = '=';
        }
    }
    *o = '\0';
    return len;
}

char *b64_encode_arena(arena_t *a, b64_variant_t v, const void *in, size_t n, size_t *out_len) {
    size_t len = b64_encoded_len(v, n);
    if (len == B64_BAD_LEN) return NULL;
    char *out = arena_alloc(a, len + 1);
    b64_encode(v, in, n, out, len + 1);
    if (out_len) *out_len = len;
    return out;
}

/* Value of one alphabet character, or -1. */
static int decode_char(b64_variant_t v, unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (v == B64_STD) return c == '+' ? 62 : c == '/' ? 63 : -1;
    return c == '-' ? 62 : c == '_' ? 63 : -1;
}

b64_status_t b64_decode(b64_variant_t v, const char *in, size_t n, void *out, size_t cap,
                        size_t *out_len) {
    size_t len = b64_decoded_len(in, n);
    if (len == B64_BAD_LEN) return B64_ERR_INVALID;
    if (len > cap) return B64_ERR_SPACE;
    /* Any '=' left in the body is rejected below as a bad character. */
    size_t body = n - count_padding(in, n);
    unsigned char *o = out;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < body; i++) {
        int d = decode_char(v, (unsigned char)in[i]);
        if (d < 0) return B64_ERR_INVALID;
        acc = (acc << 6 | (uint32_t)d) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = (unsigned char)(acc >> bits);
        }
    }
    if (out_len) *out_len = len;
    return B64_OK;
}

unsigned char *b64_decode_arena(arena_t *a, b64_variant_t v, const char *in, size_t n,
                                size_t *out_len) {
    size_t len = b64_decoded_len(in, n);
    if (len == B64_BAD_LEN) return NULL;
    unsigned char *out = arena_alloc(a, len + 1);
    if (b64_decode(v, in, n, out, len, NULL) != B64_OK) return NULL;
    out[len] = '\0';
    if (out_len) *out_len = len;
    return out;
}
