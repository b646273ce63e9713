/* Base64 (RFC 4648): the standard alphabet and the URL-safe one, with or
 * without '=' padding. itsdangerous cookies, CSRF tokens and JWTs use the URL
 * alphabet without padding; Flask's tagged JSON (" b") and EncryptedType use
 * the standard alphabet with padding.
 *
 * Decoding is strict about characters: only the variant's alphabet and
 * trailing '=' are accepted (no whitespace, no mixing of '+/' with '-_').
 * Padding is optional for every variant, but when present it must complete
 * the input to a multiple of 4. Like Python's base64 module, non-zero unused
 * bits in the last character are ignored. */
#ifndef LITESET_B64_H
#define LITESET_B64_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

typedef enum {
    B64_STD,       /* '+/', padded (base64.b64encode) */
    B64_URL,       /* '-_', padded (base64.urlsafe_b64encode) */
    B64_URL_NOPAD, /* '-_', unpadded (itsdangerous, JWT, secrets.token_urlsafe) */
} b64_variant_t;

/* Returned by the length functions when the input is too large (overflow) or,
 * for b64_decoded_len, when the length/padding is impossible. */
#define B64_BAD_LEN SIZE_MAX

typedef enum {
    B64_OK = 0,
    B64_ERR_INVALID = -1, /* bad character, bad padding or impossible length */
    B64_ERR_SPACE = -2,   /* caller buffer too small */
} b64_status_t;

/* Exact encoded length (no NUL) of n input bytes, or B64_BAD_LEN on overflow. */
size_t b64_encoded_len(b64_variant_t v, size_t n);

/* Exact decoded length of the n chars at in, judging only length and padding
 * (characters are checked by the decoder), or B64_BAD_LEN if impossible. */
size_t b64_decoded_len(const char *in, size_t n);

/* Encodes into out (cap bytes, including room for the NUL it writes).
 * Returns the encoded length, or B64_BAD_LEN if cap is too small. */
size_t b64_encode(b64_variant_t v, const void *in, size_t n, char *out, size_t cap);

/* Encodes into a NUL-terminated string owned by the arena. *out_len (may be
 * NULL) receives the length. Returns NULL only if n is absurdly large. */
char *b64_encode_arena(arena_t *a, b64_variant_t v, const void *in, size_t n, size_t *out_len);

/* Decodes n chars into out (cap bytes). STD accepts '+/', URL and
 * URL_NOPAD accept '-_'; all accept missing padding. *out_len receives the
 * decoded length on success. Writes nothing past cap. */
b64_status_t b64_decode(b64_variant_t v, const char *in, size_t n, void *out, size_t cap,
                        size_t *out_len);

/* Decodes into an arena buffer (NUL-terminated for convenience, the NUL is not
 * counted in *out_len). Returns NULL on invalid input. */
unsigned char *b64_decode_arena(arena_t *a, b64_variant_t v, const char *in, size_t n,
                                size_t *out_len);

#endif
