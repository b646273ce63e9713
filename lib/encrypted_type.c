/* sqlalchemy_utils AesEngine (naive padding) on OpenSSL EVP, see the header. */
#include "lib/encrypted_type.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <string.h>

#include "lib/b64.h"
#include "lib/crypto.h"

#define BLOCK 16

/* One CBC pass without OpenSSL padding over n bytes (a multiple of BLOCK). */
static bool aes_cbc(const char *secret_key, bool enc, const unsigned char *in, size_t n, unsigned char *out) {
    unsigned char key[CRYPTO_SHA256_LEN];
    crypto_sha256(secret_key, strlen(secret_key), key);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx) return false;
    int len1 = 0, len2 = 0;
    bool ok = EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, key, enc ? 1 : 0) == 1 &&
              EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
              EVP_CipherUpdate(ctx, out, &len1, in, (int)n) == 1 &&
              EVP_CipherFinal_ex(ctx, out + len1, &len2) == 1 && (size_t)(len1 + len2) == n;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

char *encrypted_type_encrypt(arena_t *a, const char *secret_key, const char *value, size_t n) {
    size_t padded = (n / BLOCK + 1) * BLOCK;
    unsigned char *plain = arena_alloc(a, padded);
    unsigned char *cipher = arena_alloc(a, padded);
    if (n) memcpy(plain, value, n);
    memset(plain + n, '*', padded - n);
    if (!aes_cbc(secret_key, true, plain, padded, cipher)) return NULL;
    return b64_encode_arena(a, B64_STD, cipher, padded, NULL);
}

/* Strict UTF-8 check (what Python's bytes.decode does by default). */
static bool valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t more;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) more = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) more = 2, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) more = 3, cp = c & 0x07;
        else return false;
        if (n - i <= more) return false;
        for (size_t k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        bool overlong_or_surrogate = (more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                                     (more == 3 && (cp < 0x10000 || cp > 0x10FFFF));
        if (overlong_or_surrogate) return false;
        i += more + 1;
    }
    return true;
}

char *encrypted_type_decrypt(arena_t *a, const char *secret_key, const char *stored) {
    size_t n = 0;
    unsigned char *cipher = b64_decode_arena(a, B64_STD, stored, strlen(stored), &n);
    if (!cipher || n == 0 || n % BLOCK) return NULL;
    unsigned char *plain = arena_alloc(a, n + 1);
    if (!aes_cbc(secret_key, false, cipher, n, plain)) return NULL;
    while (n && plain[n - 1] == '*') n--;
    if (!valid_utf8(plain, n) || memchr(plain, 0, n)) return NULL;
    plain[n] = 0;
    return (char *)plain;
}
