/* Unit tests for lib/b64: RFC 4648 vectors, URL variants, strict decoding. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/b64.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(b64, .init = setup, .fini = teardown);

/* RFC 4648 section 10. */
static const char *RFC_IN[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
static const char *RFC_STD[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
static const char *RFC_NOPAD[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};

Test(b64, rfc4648_encode) {
    for (size_t i = 0; i < 7; i++) {
        size_t len = 0;
        char *s = b64_encode_arena(A, B64_STD, RFC_IN[i], strlen(RFC_IN[i]), &len);
        cr_assert_str_eq(s, RFC_STD[i]);
        cr_assert_eq(len, strlen(RFC_STD[i]));
        cr_assert_str_eq(b64_encode_arena(A, B64_URL, RFC_IN[i], strlen(RFC_IN[i]), NULL), RFC_STD[i]);
        cr_assert_str_eq(b64_encode_arena(A, B64_URL_NOPAD, RFC_IN[i], strlen(RFC_IN[i]), NULL),
                         RFC_NOPAD[i]);
    }
}

Test(b64, rfc4648_decode_padded_and_unpadded) {
    for (size_t i = 0; i < 7; i++) {
        const char *forms[] = {RFC_STD[i], RFC_NOPAD[i]};
        for (size_t f = 0; f < 2; f++) {
            for (b64_variant_t v = B64_STD; v <= B64_URL_NOPAD; v++) {
                size_t len = 99;
                unsigned char *d = b64_decode_arena(A, v, forms[f], strlen(forms[f]), &len);
                cr_assert_not_null(d, "%s variant %d", forms[f], v);
                cr_assert_eq(len, strlen(RFC_IN[i]));
                cr_assert_str_eq((char *)d, RFC_IN[i]);
            }
        }
    }
}

Test(b64, alphabets_differ) {
    const unsigned char raw[] = {0xfb, 0xff, 0xbf};
    cr_assert_str_eq(b64_encode_arena(A, B64_STD, raw, 3, NULL), "+/+/");
    cr_assert_str_eq(b64_encode_arena(A, B64_URL, raw, 3, NULL), "-_-_");
    const unsigned char two[] = {0xfb, 0xff};
    cr_assert_str_eq(b64_encode_arena(A, B64_STD, two, 2, NULL), "+/8=");
    cr_assert_str_eq(b64_encode_arena(A, B64_URL, two, 2, NULL), "-_8=");
    cr_assert_str_eq(b64_encode_arena(A, B64_URL_NOPAD, two, 2, NULL), "-_8");
    /* Strict: each alphabet rejects the other's specials. */
    cr_assert_null(b64_decode_arena(A, B64_STD, "-_8=", 4, NULL));
    cr_assert_null(b64_decode_arena(A, B64_URL, "+/8=", 4, NULL));
    cr_assert_null(b64_decode_arena(A, B64_URL_NOPAD, "+/8", 3, NULL));
    size_t len;
    unsigned char *d = b64_decode_arena(A, B64_URL_NOPAD, "-_8", 3, &len);
    cr_assert_not_null(d);
    cr_assert_eq(len, 2);
    cr_assert_eq(memcmp(d, two, 2), 0);
}

Test(b64, rejects_invalid_input) {
    const char *bad[] = {
        "Zm9v!", "Zm 9v", "Zm9v\n", "Z",     "Zm9vY",  /* bad char / impossible length */
        "Zg=",   "Zg===", "Zm8==", "Zm9v=", "=",      /* wrong padding */
        "Zg==Zg==", "Z===", "Zm=v", "====",           /* '=' inside or only padding */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned char out[16];
        size_t len = 0;
        cr_assert_eq(b64_decode(B64_URL_NOPAD, bad[i], strlen(bad[i]), out, sizeof out, &len),
                     B64_ERR_INVALID, "accepted \"%s\"", bad[i]);
        cr_assert_eq(b64_decode(B64_STD, bad[i], strlen(bad[i]), out, sizeof out, &len),
                     B64_ERR_INVALID, "accepted \"%s\"", bad[i]);
    }
    /* NUL inside the counted length is just another bad character. */
    unsigned char out[8];
    cr_assert_eq(b64_decode(B64_STD, "Zm\0v", 4, out, sizeof out, NULL), B64_ERR_INVALID);
}

Test(b64, ignores_unused_trailing_bits_like_python) {
    /* Python's base64 accepts "Zh==" as b"f" (non-zero unused bits). */
    size_t len;
    unsigned char *d = b64_decode_arena(A, B64_STD, "Zh==", 4, &len);
    cr_assert_not_null(d);
    cr_assert_eq(len, 1);
    cr_assert_eq(d[0], 'f');
}

Test(b64, exact_lengths_and_overflow) {
    cr_assert_eq(b64_encoded_len(B64_STD, 0), 0);
    cr_assert_eq(b64_encoded_len(B64_STD, 1), 4);
    cr_assert_eq(b64_encoded_len(B64_URL_NOPAD, 1), 2);
    cr_assert_eq(b64_encoded_len(B64_URL_NOPAD, 2), 3);
    cr_assert_eq(b64_encoded_len(B64_URL_NOPAD, 3), 4);
    cr_assert_eq(b64_encoded_len(B64_URL, 4), 8);
    cr_assert_eq(b64_encoded_len(B64_STD, SIZE_MAX), B64_BAD_LEN);
    cr_assert_eq(b64_encoded_len(B64_URL_NOPAD, SIZE_MAX / 4 * 3 + 3), B64_BAD_LEN);
    cr_assert_neq(b64_encoded_len(B64_URL_NOPAD, SIZE_MAX / 4 * 3 - 3), B64_BAD_LEN);
    cr_assert_null(b64_encode_arena(A, B64_STD, "", SIZE_MAX, NULL));
    cr_assert_eq(b64_decoded_len("Zm9vYg==", 8), 4);
    cr_assert_eq(b64_decoded_len("Zm9vYg", 6), 4);
    cr_assert_eq(b64_decoded_len("Zm9vYmE", 7), 5);
    cr_assert_eq(b64_decoded_len("Zm9vY", 5), B64_BAD_LEN);
}

Test(b64, caller_buffer_bounds) {
    char out[9];
    /* "foobar" -> 8 chars + NUL: 9 bytes fit, 8 do not. */
    cr_assert_eq(b64_encode(B64_STD, "foobar", 6, out, 8), B64_BAD_LEN);
    cr_assert_eq(b64_encode(B64_STD, "foobar", 6, out, 9), 8);
    cr_assert_str_eq(out, "Zm9vYmFy");
    unsigned char dec[6];
    size_t len = 0;
    cr_assert_eq(b64_decode(B64_STD, "Zm9vYmFy", 8, dec, 5, &len), B64_ERR_SPACE);
    cr_assert_eq(b64_decode(B64_STD, "Zm9vYmFy", 8, dec, 6, &len), B64_OK);
    cr_assert_eq(len, 6);
    cr_assert_eq(memcmp(dec, "foobar", 6), 0);
}

Test(b64, round_trip_all_bytes_all_lengths) {
    unsigned char raw[256];
    for (int i = 0; i < 256; i++) raw[i] = (unsigned char)(255 - i);
    for (size_t n = 0; n <= 256; n++) {
        for (b64_variant_t v = B64_STD; v <= B64_URL_NOPAD; v++) {
            size_t elen, dlen;
            char *e = b64_encode_arena(A, v, raw, n, &elen);
            cr_assert_eq(elen, b64_encoded_len(v, n));
            cr_assert_eq(strlen(e), elen);
            unsigned char *d = b64_decode_arena(A, v, e, elen, &dlen);
            cr_assert_not_null(d);
            cr_assert_eq(dlen, n);
            cr_assert_eq(memcmp(d, raw, n), 0);
        }
    }
}

Test(b64, itsdangerous_payload_vector) {
    /* CSRF vector from the reference: b64url of the JSON string, unpadded. */
    const char *json = "\"9a35f975b4dcf83bc9830bdb0571497e93a9aa2a\"";
    cr_assert_str_eq(b64_encode_arena(A, B64_URL_NOPAD, json, strlen(json), NULL),
                     "IjlhMzVmOTc1YjRkY2Y4M2JjOTgzMGJkYjA1NzE0OTdlOTNhOWFhMmEi");
}
