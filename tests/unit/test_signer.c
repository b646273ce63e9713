/* Unit tests for lib/signer: itsdangerous key derivations, timestamp and
 * compression rules, the reference session/CSRF vectors, split and age rules,
 * Python's lenient base64, the inflate cap and hostile tokens. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "lib/b64.h"
#include "lib/crypto.h"
#include "lib/signer.h"
#include "lib/strbuf.h"
#include "lib/zlibutil.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(signer, .init = setup, .fini = teardown);

#define TS 1700000000
#define DAY 86400

static json_t *load_vectors(void) {
    const char *root = getenv("LITESET_SHARED");
    char path[4096];
    snprintf(path, sizeof path, "%s/reference/vectors/auth-vectors.json", root ? root : "../shared");
    return json_load_file(path, 0, NULL);
}

#define LOAD_VECTORS_OR_SKIP(v)                                                                                        \
    json_t *v = load_vectors();                                                                                        \
    if (!v) cr_skip_test("auth-vectors.json not found (set LITESET_SHARED)");

static const char *vget(json_t *root, const char *path) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = root;
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, ".")) cur = json_object_get(cur, tok);
    cr_assert(json_is_string(cur), "vector %s missing", path);
    return json_string_value(cur);
}

static signer_t session_signer(const char *secret) {
    signer_t s;
    signer_init(&s, SIGNER_KDF_HMAC, secret, strlen(secret), "cookie-session");
    return s;
}

static signer_t csrf_signer(const char *secret) {
    signer_t s;
    signer_init(&s, SIGNER_KDF_DJANGO_CONCAT, secret, strlen(secret), "wtf-csrf-token");
    return s;
}

/* "<value>.<b64u HMAC-SHA1(key, value)>": a correctly signed token around
 * any value, to reach the checks that follow the signature. */
static char *sign_raw(const signer_t *s, const char *value) {
    unsigned char mac[20];
    crypto_hmac_sha1(s->key, sizeof s->key, value, strlen(value), mac);
    return arena_sprintf(A, "%s.%s", value, b64_encode_arena(A, B64_URL_NOPAD, mac, 20, NULL));
}

static signer_status_t loads(const signer_t *s, const char *tok, int64_t now, int64_t max_age, char **json) {
    size_t len = 0;
    char *out = NULL;
    signer_status_t st = signer_loads(A, s, tok, strlen(tok), now, max_age, &out, &len);
    if (json) *json = out;
    if (st == SIGNER_OK) cr_assert_eq(strlen(out), len);
    return st;
}

Test(signer, key_derivations_match_vectors) {
    LOAD_VECTORS_OR_SKIP(v);
    signer_t s = session_signer(vget(v, "session_cookie.secret_key"));
    cr_assert_str_eq(crypto_hex_arena(A, s.key, 20), vget(v, "session_cookie.derived_key_hex"));
    signer_t c = csrf_signer(vget(v, "csrf.secret_key"));
    cr_assert_str_eq(crypto_hex_arena(A, c.key, 20), vget(v, "csrf.steps.derived_key_hex"));
    json_decref(v);
}

Test(signer, key_derivations_by_hand) {
    unsigned char want[20];
    crypto_hmac_sha1("k", 1, "salt", 4, want);
    signer_t s;
    signer_init(&s, SIGNER_KDF_HMAC, "k", 1, "salt");
    cr_assert(memcmp(s.key, want, 20) == 0);
    crypto_sha1("saltsignerk", 11, want);
    signer_init(&s, SIGNER_KDF_DJANGO_CONCAT, "k", 1, "salt");
    cr_assert(memcmp(s.key, want, 20) == 0);
}

Test(signer, timestamp_is_minimal_big_endian) {
    cr_assert_str_eq(signer_timestamp(A, TS), "ZVPxAA");
    cr_assert_str_eq(signer_timestamp(A, 0), "");
    cr_assert_str_eq(signer_timestamp(A, 1), "AQ");
    cr_assert_str_eq(signer_timestamp(A, 255), "_w");
    cr_assert_str_eq(signer_timestamp(A, 256), "AQA");
    cr_assert_str_eq(signer_timestamp(A, INT64_MAX), "f_________8");
}

Test(signer, session_vectors_dump_and_load) {
    LOAD_VECTORS_OR_SKIP(v);
    signer_t s = session_signer(vget(v, "session_cookie.secret_key"));
    json_t *cases = json_object_get(json_object_get(v, "session_cookie"), "cases");
    cr_assert(json_object_size(cases) >= 4);
    const char *name;
    json_t *c;
    json_object_foreach(cases, name, c) {
        const char *json = json_string_value(json_object_get(c, "session_json"));
        const char *cookie = json_string_value(json_object_get(c, "cookie_value"));
        const char *signing_input = json_string_value(json_object_get(c, "signing_input"));
        const char *payload = json_string_value(json_object_get(c, "payload_b64"));
        bool compressed = json_is_true(json_object_get(c, "compressed"));
        cr_assert_eq((json_int_t)strlen(json), json_integer_value(json_object_get(c, "json_length")), "%s", name);

        char *tok = signer_dumps(A, &s, json, strlen(json), TS);
        cr_assert_str_eq(tok, cookie, "case %s", name);
        cr_assert(strncmp(tok, signing_input, strlen(signing_input)) == 0, "%s", name);
        cr_assert(strncmp(tok, payload, strlen(payload)) == 0, "%s", name);
        cr_assert_eq(tok[0] == '.', compressed, "%s", name);
        if (compressed) {
            size_t zlen = 0;
            unsigned char *z = zlibu_compress(A, json, strlen(json), ZLIBU_LEVEL_DEFAULT, &zlen);
            cr_assert_str_eq(crypto_hex_arena(A, z, zlen), json_string_value(json_object_get(c, "zlib_hex")), "%s",
                             name);
        }

        char *back = NULL;
        cr_assert_eq(loads(&s, cookie, TS, 2678400, &back), SIGNER_OK, "%s", name);
        cr_assert_str_eq(back, json, "%s", name);
    }
    json_decref(v);
}

Test(signer, csrf_vector_dump_and_load) {
    LOAD_VECTORS_OR_SKIP(v);
    signer_t s = csrf_signer(vget(v, "csrf.secret_key"));
    const char *json = vget(v, "csrf.steps.payload_json");
    char *tok = signer_dumps(A, &s, json, strlen(json), TS);
    cr_assert_str_eq(tok, vget(v, "csrf.signed_token"));
    cr_assert_str_eq(arena_sprintf(A, "%s.%s.%s", vget(v, "csrf.steps.payload_b64"), vget(v, "csrf.steps.timestamp_b64"),
                                   vget(v, "csrf.steps.signature_b64")),
                     tok);
    char *back = NULL;
    cr_assert_eq(loads(&s, tok, TS, 604800, &back), SIGNER_OK);
    cr_assert_str_eq(back, json);
    json_decref(v);
}

/* zlib of "x"*12 is 11 bytes = len - 1: not compressed; "x"*13 -> 11 < 12: compressed. */
Test(signer, compression_threshold_is_strict) {
    signer_t s = session_signer("k");
    char *plain = signer_dumps(A, &s, "xxxxxxxxxxxx", 12, TS);
    cr_assert(strncmp(plain, "eHh4eHh4eHh4eHh4.ZVPxAA.", 24) == 0, "%s", plain);
    char *packed = signer_dumps(A, &s, "xxxxxxxxxxxxx", 13, TS);
    cr_assert_eq(packed[0], '.', "%s", packed);

    /* the rule holds for many inputs: compressed iff len(z) < len(json) - 1 */
    int seen_plain = 0, seen_packed = 0;
    for (size_t n = 1; n < 300; n += 7) {
        strbuf_t sb;
        strbuf_init_arena(&sb, A, n + 1);
        for (size_t i = 0; i < n; i++) strbuf_putc(&sb, (char)('a' + (i * i + n) % (1 + n % 26)));
        size_t zlen = 0;
        zlibu_compress(A, sb.data, sb.len, ZLIBU_LEVEL_DEFAULT, &zlen);
        char *tok = signer_dumps(A, &s, sb.data, sb.len, TS);
        bool want = zlen + 1 < sb.len;
        cr_assert_eq(tok[0] == '.', want, "n=%zu", n);
        seen_plain += !want;
        seen_packed += want;
        char *back = NULL;
        cr_assert_eq(loads(&s, tok, TS, 0, &back), SIGNER_OK);
        cr_assert(memcmp(back, sb.data, sb.len) == 0);
    }
    cr_assert(seen_plain > 0 && seen_packed > 0);
}

Test(signer, age_limits) {
    signer_t s = session_signer("k");
    char *tok = signer_dumps(A, &s, "{}", 2, TS);
    cr_assert_eq(loads(&s, tok, TS, 31 * DAY, NULL), SIGNER_OK);
    cr_assert_eq(loads(&s, tok, TS + 31 * DAY, 31 * DAY, NULL), SIGNER_OK);
    cr_assert_eq(loads(&s, tok, TS + 31 * DAY + 1, 31 * DAY, NULL), SIGNER_EXPIRED);
    cr_assert_eq(loads(&s, tok, TS - 1, 31 * DAY, NULL), SIGNER_FUTURE);
    cr_assert_eq(loads(&s, tok, TS, 0, NULL), SIGNER_OK);
    cr_assert_eq(loads(&s, tok, TS + 1, 0, NULL), SIGNER_EXPIRED);
    /* no limit: itsdangerous checks neither age nor future */
    cr_assert_eq(loads(&s, tok, TS - 100, -1, NULL), SIGNER_OK);
    cr_assert_eq(loads(&s, tok, TS + 1000 * DAY, -1, NULL), SIGNER_OK);
}

Test(signer, signature_checked_first) {
    signer_t s = session_signer("k");
    signer_t other = session_signer("other");
    char *tok = signer_dumps(A, &s, "{\"a\":1}", 7, TS);
    cr_assert_eq(loads(&other, tok, TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    /* a bad signature wins over an expired timestamp */
    cr_assert_eq(loads(&other, tok, TS + 1000, 100, NULL), SIGNER_BAD_SIGNATURE);
    cr_assert_eq(loads(&s, tok, TS + 1000, 100, NULL), SIGNER_EXPIRED);

    char *t2 = arena_strdup(A, tok);
    size_t n = strlen(t2);
    t2[n - 2] = t2[n - 2] == 'A' ? 'B' : 'A';
    cr_assert_eq(loads(&s, t2, TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    char *t3 = arena_strdup(A, tok);
    t3[1] = t3[1] == 'A' ? 'B' : 'A';
    cr_assert_eq(loads(&s, t3, TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    cr_assert_eq(loads(&s, "nodots", TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    cr_assert_eq(loads(&s, "", TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    cr_assert_eq(loads(&s, ".", TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    cr_assert_eq(loads(&s, "..", TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    size_t len = 0;
    char *out = NULL;
    cr_assert_eq(signer_loads(A, &s, NULL, 0, TS, 100, &out, &len), SIGNER_BAD_SIGNATURE);
}

Test(signer, split_rules) {
    signer_t s = session_signer("k");
    /* signed value without a timestamp separator: "timestamp missing" */
    cr_assert_eq(loads(&s, sign_raw(&s, "e30"), TS, 100, NULL), SIGNER_MALFORMED);
    /* last '.' splits off the timestamp; earlier dots belong to the payload
     * and, like in Python's base64, are skipped when decoding (3 dots make the
     * padding complete: "ey.J.hIjo.xfQ" decodes as "eyJhIjoxfQ" = {"a":1}) */
    char *back = NULL;
    cr_assert_eq(loads(&s, sign_raw(&s, "ey.J.hIjo.xfQ.ZVPxAA"), TS, 100, &back), SIGNER_OK);
    cr_assert_str_eq(back, "{\"a\":1}");
    /* two dots leave the group incomplete: Python raises, so malformed */
    cr_assert_eq(loads(&s, sign_raw(&s, "ey.JhIjo.xfQ.ZVPxAA"), TS, 100, NULL), SIGNER_MALFORMED);
    /* an empty payload decodes to empty text; "." alone is an empty zlib stream */
    cr_assert_eq(loads(&s, sign_raw(&s, ".ZVPxAA"), TS, 100, &back), SIGNER_OK);
    cr_assert_str_eq(back, "");
    cr_assert_eq(loads(&s, sign_raw(&s, "..ZVPxAA"), TS, 100, NULL), SIGNER_MALFORMED);
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.ZVPxAA"), TS, 100, &back), SIGNER_OK);
    cr_assert_str_eq(back, "{}");
}

Test(signer, timestamp_edge_cases) {
    signer_t s = session_signer("k");
    /* empty timestamp = 0: expired under any limit, fine without */
    cr_assert_eq(loads(&s, sign_raw(&s, "e30."), TS, 100, NULL), SIGNER_EXPIRED);
    cr_assert_eq(loads(&s, sign_raw(&s, "e30."), TS, -1, NULL), SIGNER_OK);
    /* the last second of year 9999 is merely in the future; one more, or 8
     * bytes of 0xff, is beyond Python's datetime (itsdangerous raises) */
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.Ov_0QX8"), TS, 100, NULL), SIGNER_FUTURE);
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.Ov_0QX8"), 253402300799, 0, NULL), SIGNER_OK);
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.Ov_0QYA"), TS, 100, NULL), SIGNER_MALFORMED);
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.Ov_0QYA"), TS, -1, NULL), SIGNER_MALFORMED);
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.__________8"), TS, 100, NULL), SIGNER_MALFORMED);
    /* 9 bytes: malformed (struct ">Q") */
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.AQAAAAAAAAAA"), TS, 100, NULL), SIGNER_MALFORMED);
    /* leading zero bytes are accepted (bytes_to_int right-justifies) */
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.AABlU_EA"), TS, 100, NULL), SIGNER_OK);
    /* undecodable timestamp */
    cr_assert_eq(loads(&s, sign_raw(&s, "e30.Z"), TS, 100, NULL), SIGNER_MALFORMED);
}

Test(signer, lenient_signature_like_python) {
    signer_t s = session_signer("k");
    char *tok = signer_dumps(A, &s, "{}", 2, TS);
    /* itsdangerous decodes the signature with Python's non-strict base64:
     * padding and stray characters do not change the bytes, but they count
     * when the padding is computed (27 + 1 chars get no '=': incomplete) */
    cr_assert_eq(loads(&s, arena_sprintf(A, "%s=", tok), TS, 100, NULL), SIGNER_OK);
    cr_assert_eq(loads(&s, arena_sprintf(A, "%s!!", tok), TS, 100, NULL), SIGNER_OK);
    cr_assert_eq(loads(&s, arena_sprintf(A, "%s!", tok), TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    /* a signature one character longer decodes to 21 bytes: no match */
    cr_assert_eq(loads(&s, arena_sprintf(A, "%sAA", tok), TS, 100, NULL), SIGNER_BAD_SIGNATURE);
}

Test(signer, payload_errors_after_valid_signature) {
    signer_t s = session_signer("k");
    cr_assert_eq(loads(&s, sign_raw(&s, "A.ZVPxAA"), TS, 100, NULL), SIGNER_MALFORMED);
    cr_assert_eq(loads(&s, sign_raw(&s, ".e30.ZVPxAA"), TS, 100, NULL), SIGNER_MALFORMED); /* not zlib */
    /* a truncated zlib stream */
    size_t zlen = 0;
    unsigned char *z = zlibu_compress(A, "{\"aaaaaaaaaaaaaaaa\":1}", 22, ZLIBU_LEVEL_DEFAULT, &zlen);
    char *trunc = b64_encode_arena(A, B64_URL_NOPAD, z, zlen - 3, NULL);
    cr_assert_eq(loads(&s, sign_raw(&s, arena_sprintf(A, ".%s.ZVPxAA", trunc)), TS, 100, NULL), SIGNER_MALFORMED);
    char *whole = b64_encode_arena(A, B64_URL_NOPAD, z, zlen, NULL);
    char *back = NULL;
    cr_assert_eq(loads(&s, sign_raw(&s, arena_sprintf(A, ".%s.ZVPxAA", whole)), TS, 100, &back), SIGNER_OK);
    cr_assert_str_eq(back, "{\"aaaaaaaaaaaaaaaa\":1}");
}

Test(signer, inflate_cap_one_mib) {
    signer_t s = session_signer("k");
    size_t cap = 1024 * 1024;
    char *big = arena_alloc(A, cap + 2);
    memset(big, 'a', cap + 1);
    big[cap + 1] = '\0';
    char *ok = signer_dumps(A, &s, big, cap, TS);
    char *too_big = signer_dumps(A, &s, big, cap + 1, TS);
    cr_assert_eq(ok[0], '.');
    char *back = NULL;
    cr_assert_eq(loads(&s, ok, TS, 100, &back), SIGNER_OK);
    cr_assert_eq(strlen(back), cap);
    cr_assert_eq(loads(&s, too_big, TS, 100, NULL), SIGNER_MALFORMED);
}

/* 64 MiB of zeros deflated in a stream (about 64 KiB), correctly signed. */
Test(signer, zlib_bomb_rejected_without_allocating) {
    signer_t s = session_signer("k");
    static unsigned char zeros[65536];
    size_t cap = 256 * 1024;
    unsigned char *z = arena_alloc(A, cap);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    cr_assert_eq(deflateInit(&zs, 9), Z_OK);
    zs.next_out = z;
    zs.avail_out = (uInt)cap;
    for (int i = 0; i < 1024; i++) {
        zs.next_in = zeros;
        zs.avail_in = sizeof zeros;
        cr_assert_eq(deflate(&zs, i == 1023 ? Z_FINISH : Z_NO_FLUSH), i == 1023 ? Z_STREAM_END : Z_OK);
    }
    size_t zlen = zs.total_out;
    deflateEnd(&zs);
    cr_assert_lt(zlen, cap);
    char *payload = b64_encode_arena(A, B64_URL_NOPAD, z, zlen, NULL);
    char *tok = sign_raw(&s, arena_sprintf(A, ".%s.ZVPxAA", payload));
    size_t before = arena_used(A);
    cr_assert_eq(loads(&s, tok, TS, 100, NULL), SIGNER_MALFORMED);
    cr_assert_lt(arena_used(A) - before, 4 * 1024 * 1024, "inflate allocated %zu bytes", arena_used(A) - before);
}

Test(signer, b64_decode_python_rules) {
    static const struct {
        const char *in;
        int rc;
        const char *hex;
    } v[] = {
        {"", 0, ""},
        {"QQ", 0, "41"},
        {"QQ==", 0, "41"},
        {"QQ=", 0, "41"},
        {"QUI", 0, "4142"},
        {"QUJD", 0, "414243"},
        {"Q", -1, NULL},
        {"QUJDR", -1, NULL},
        {"QQ=!", -1, NULL},      /* incomplete padding, no virtual '=' added */
        {"QU!JD", 0, "414243"},  /* stray character skipped */
        {"QQ==QUJD", 0, "41"},   /* decoding stops after complete padding */
        {"-_-_", 0, "fbffbf"},
        {"+/+/", 0, "fbffbf"},   /* '+' '/' accepted too */
        {"QR", 0, "41"},         /* unused low bits ignored */
        {"====", 0, ""},
        {"\xc3\xa9QQ", -1, NULL},     /* non-ASCII bytes are skipped but count for padding: */
        {"\xc3\xa9\xc3QQ", 0, "41"}, /* 5 bytes get "===", 4 bytes get none */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        unsigned char out[16];
        size_t len = 99;
        int rc = signer_b64_decode(v[i].in, strlen(v[i].in), out, sizeof out, &len);
        cr_assert_eq(rc, v[i].rc, "case %zu (%s)", i, v[i].in);
        if (rc == 0) cr_assert_str_eq(crypto_hex_arena(A, out, len), v[i].hex, "case %zu", i);
    }
    unsigned char small[2];
    size_t len = 0;
    cr_assert_eq(signer_b64_decode("QUJD", 4, small, sizeof small, &len), -2);
    cr_assert_null(signer_b64_decode_arena(A, "Q", 1, &len));
    unsigned char *p = signer_b64_decode_arena(A, "QUJD", 4, &len);
    cr_assert_eq(len, 3);
    cr_assert_str_eq((char *)p, "ABC");
}

Test(signer, hostile_tokens_never_validate) {
    signer_t s = session_signer("k");
    char *tok = signer_dumps(A, &s, "{\"csrf_token\":\"abc\",\"locale\":\"en\"}", 35, TS);
    size_t n = strlen(tok);
    for (size_t i = 0; i < n; i++) {
        char *prefix = arena_strndup(A, tok, i);
        cr_assert_neq(loads(&s, prefix, TS, 100, NULL), SIGNER_OK, "prefix %zu", i);
    }
    cr_assert_neq(loads(&s, arena_sprintf(A, "%s.", tok), TS, 100, NULL), SIGNER_OK);
    cr_assert_neq(loads(&s, arena_sprintf(A, ".%s", tok), TS, 100, NULL), SIGNER_OK);
    cr_assert_neq(loads(&s, arena_sprintf(A, "x.%s", tok), TS, 100, NULL), SIGNER_OK);

    srand(12345);
    static const char alphabet[] = "ABCabc019-_.=!\x01\xff";
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(rand() % 200);
        char *junk = arena_alloc(A, len + 1);
        for (size_t i = 0; i < len; i++) junk[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
        junk[len] = '\0';
        cr_assert_neq(loads(&s, junk, TS, 100, NULL), SIGNER_OK);
    }

    size_t huge = 4 * 1024 * 1024;
    char *big = arena_alloc(A, huge + 1);
    memset(big, 'A', huge);
    big[huge] = '\0';
    cr_assert_eq(loads(&s, big, TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    big[huge / 2] = '.';
    big[huge - 30] = '.';
    cr_assert_eq(loads(&s, big, TS, 100, NULL), SIGNER_BAD_SIGNATURE);
    big[huge - 3] = '.'; /* now the "signature" is short */
    cr_assert_eq(loads(&s, big, TS, 100, NULL), SIGNER_BAD_SIGNATURE);
}
