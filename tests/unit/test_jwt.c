/* Unit tests for lib/jwt: the reference access/refresh/guest/async tokens
 * (encode byte for byte, decode), PyJWT 2.10.1's check order and messages,
 * the flask-jwt-extended variant, claim type rules and hostile tokens. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/b64.h"
#include "lib/crypto.h"
#include "lib/json.h"
#include "lib/jwt.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(jwt, .init = setup, .fini = teardown);

#define IAT 1700000000
#define KEY "test-secret"
#define HS256_HEADER "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

static json_t *load_vectors(void) {
    const char *root = getenv("LITESET_SHARED");
    char path[4096];
    snprintf(path, sizeof path, "%s/reference/vectors/auth-vectors.json", root ? root : "../shared");
    return json_load_file(path, 0, NULL);
}

#define LOAD_VECTORS_OR_SKIP(v)                                                                                        \
    json_t *v = load_vectors();                                                                                        \
    if (!v) cr_skip_test("auth-vectors.json not found (set LITESET_SHARED)");

static const char *vs(json_t *v, const char *group, const char *key) {
    json_t *s = json_object_get(json_object_get(v, group), key);
    cr_assert(json_is_string(s), "vector %s.%s missing", group, key);
    return json_string_value(s);
}

static jwt_verify_opts_t opts_for(const char *key, int64_t now) {
    return (jwt_verify_opts_t){.alg = "HS256", .key = key, .key_len = strlen(key), .now = now};
}

/* Result of a decode: NULL message on success, else the message. The
 * status is checked against the expectation in every call. */
static const char *decode(const char *token, const jwt_verify_opts_t *o, jwt_status_t want, json_t **claims_out) {
    json_t *claims = NULL;
    const char *msg = NULL;
    jwt_status_t st = jwt_decode(A, token, o, &claims, &msg);
    cr_assert_eq(st, want, "status %d, message %s", st, msg ? msg : "(none)");
    if (st == JWT_OK) {
        cr_assert_not_null(claims);
        cr_assert_null(msg);
    } else {
        cr_assert_null(claims);
        cr_assert_not_null(msg);
    }
    if (claims_out)
        *claims_out = claims;
    else
        json_decref(claims);
    return msg;
}

static const char *expect_invalid(const char *token, const jwt_verify_opts_t *o) {
    return decode(token, o, JWT_INVALID, NULL);
}

static bool starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static char *b64u(const char *text) { return b64_encode_arena(A, B64_URL_NOPAD, text, strlen(text), NULL); }

/* Token with any header and payload text, signed with HMAC of `hash`. */
static char *craft(const char *header, const char *payload, const char *key, crypto_hash_t hash) {
    char *input = arena_sprintf(A, "%s.%s", b64u(header), b64u(payload));
    unsigned char mac[64];
    size_t n = crypto_hmac(hash, key, strlen(key), input, strlen(input), mac);
    return arena_sprintf(A, "%s.%s", input, b64_encode_arena(A, B64_URL_NOPAD, mac, n, NULL));
}

static char *hs256(const char *payload) { return craft("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, KEY, CRYPTO_SHA256); }

/* ---- reference vectors ------------------------------------------------- */

Test(jwt, vectors_encode_byte_for_byte) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *groups[] = {"jwt_access_token", "jwt_refresh_token", "guest_token", "async_query_token"};
    for (size_t i = 0; i < 4; i++) {
        const char *g = groups[i];
        const char *secret = vs(v, g, "secret");
        cr_assert_str_eq(vs(v, g, "algorithm"), "HS256");
        cr_assert_str_eq(b64u(vs(v, g, "header_json")), HS256_HEADER);
        char *tok = jwt_encode(A, "HS256", secret, strlen(secret), vs(v, g, "payload_json"));
        cr_assert_str_eq(tok, vs(v, g, "token"), "%s", g);
        cr_assert_str_eq(strrchr(tok, '.') + 1, vs(v, g, "signature_b64"), "%s", g);
    }
    json_decref(v);
}

Test(jwt, vectors_decode_at_issue_time) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *groups[] = {"jwt_access_token", "jwt_refresh_token", "guest_token", "async_query_token"};
    for (size_t i = 0; i < 4; i++) {
        const char *g = groups[i];
        jwt_verify_opts_t o = opts_for(vs(v, g, "secret"), IAT);
        json_t *aud = json_object_get(json_object_get(v, g), "audience");
        o.audience = aud ? json_string_value(aud) : NULL;
        json_t *claims = NULL;
        decode(vs(v, g, "token"), &o, JWT_OK, &claims);
        /* claims come back in token order with the same number formatting */
        cr_assert_str_eq(json_dump_arena(A, claims, JSON_PY_COMPACT, NULL), vs(v, g, "payload_json"), "%s", g);
        json_decref(claims);
        o.flask_jwt_extended = true;
        decode(vs(v, g, "token"), &o, JWT_OK, NULL);
    }
    json_decref(v);
}

Test(jwt, vectors_expiry) {
    LOAD_VECTORS_OR_SKIP(v);
    jwt_verify_opts_t o = opts_for(vs(v, "jwt_access_token", "secret"), IAT);
    const char *access = vs(v, "jwt_access_token", "token");
    int64_t exp = json_integer_value(json_object_get(json_object_get(v, "jwt_access_token"), "exp"));
    cr_assert_eq(exp, IAT + 900);
    o.now = exp - 1;
    decode(access, &o, JWT_OK, NULL);
    o.now = exp;
    cr_assert_str_eq(decode(access, &o, JWT_EXPIRED, NULL), "Signature has expired");
    o.now = IAT - 1;
    cr_assert_str_eq(expect_invalid(access, &o), "The token is not yet valid (iat)");

    const char *refresh = vs(v, "jwt_refresh_token", "token");
    o.now = IAT + 2592000 - 1;
    decode(refresh, &o, JWT_OK, NULL);
    o.now = IAT + 2592000;
    decode(refresh, &o, JWT_EXPIRED, NULL);

    /* guest iat/exp are floats: int() truncates 1700000300.25 to 1700000300 */
    jwt_verify_opts_t g = opts_for(vs(v, "guest_token", "secret"), IAT + 299);
    g.audience = vs(v, "guest_token", "audience");
    const char *guest = vs(v, "guest_token", "token");
    decode(guest, &g, JWT_OK, NULL);
    g.now = IAT + 300;
    decode(guest, &g, JWT_EXPIRED, NULL);
    g.now = IAT - 1;
    cr_assert_str_eq(expect_invalid(guest, &g), "The token is not yet valid (iat)");

    /* no time claims: valid at any time */
    jwt_verify_opts_t a = opts_for(vs(v, "async_query_token", "secret"), 0);
    decode(vs(v, "async_query_token", "token"), &a, JWT_OK, NULL);
    a.now = 4000000000;
    decode(vs(v, "async_query_token", "token"), &a, JWT_OK, NULL);
    json_decref(v);
}

Test(jwt, vectors_audience) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *guest = vs(v, "guest_token", "token");
    jwt_verify_opts_t o = opts_for(vs(v, "guest_token", "secret"), IAT);
    /* PyJWT without an audience rejects a token that carries one */
    cr_assert_str_eq(expect_invalid(guest, &o), "Invalid audience");
    o.audience = "http://other/";
    cr_assert_str_eq(expect_invalid(guest, &o), "Audience doesn't match");
    /* flask-jwt-extended only verifies aud when an audience is configured */
    o.flask_jwt_extended = true;
    cr_assert_str_eq(expect_invalid(guest, &o), "Audience doesn't match");
    o.audience = NULL;
    decode(guest, &o, JWT_OK, NULL);
    /* a token without aud when one is expected */
    jwt_verify_opts_t a = opts_for(vs(v, "jwt_access_token", "secret"), IAT);
    a.audience = "x";
    cr_assert_str_eq(expect_invalid(vs(v, "jwt_access_token", "token"), &a), "Token is missing the \"aud\" claim");
    json_decref(v);
}

Test(jwt, vectors_tampering) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *access = vs(v, "jwt_access_token", "token");
    jwt_verify_opts_t o = opts_for(vs(v, "jwt_access_token", "secret"), IAT);
    char *t = arena_strdup(A, access);
    size_t n = strlen(t);
    t[n - 3] = t[n - 3] == 'A' ? 'B' : 'A';
    cr_assert_str_eq(expect_invalid(t, &o), "Signature verification failed");
    /* payload swapped for the refresh token's, signature kept */
    const char *refresh = vs(v, "jwt_refresh_token", "token");
    char *mixed = arena_sprintf(A, "%.*s%s", (int)(strrchr(refresh, '.') - refresh), refresh, strrchr(access, '.'));
    cr_assert_str_eq(expect_invalid(mixed, &o), "Signature verification failed");
    jwt_verify_opts_t w = opts_for("wrong-secret", IAT);
    cr_assert_str_eq(expect_invalid(access, &w), "Signature verification failed");
    /* another allowed algorithm */
    o.alg = "HS512";
    cr_assert_str_eq(expect_invalid(access, &o), "The specified alg value is not allowed");
    json_decref(v);
}

/* ---- encode ------------------------------------------------------------ */

Test(jwt, encode_algorithms) {
    const char *payload = "{\"sub\":\"1\"}";
    char *t384 = jwt_encode(A, "HS384", KEY, strlen(KEY), payload);
    char *t512 = jwt_encode(A, "HS512", KEY, strlen(KEY), payload);
    cr_assert_str_eq(t384, craft("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", payload, KEY, CRYPTO_SHA384));
    cr_assert_str_eq(t512, craft("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload, KEY, CRYPTO_SHA512));
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    o.alg = "HS384";
    decode(t384, &o, JWT_OK, NULL);
    cr_assert_str_eq(expect_invalid(t512, &o), "The specified alg value is not allowed");
    o.alg = "HS512";
    decode(t512, &o, JWT_OK, NULL);
    cr_assert_null(jwt_encode(A, "RS256", KEY, strlen(KEY), payload));
    cr_assert_null(jwt_encode(A, "none", KEY, strlen(KEY), payload));
    cr_assert_null(jwt_encode(A, NULL, KEY, strlen(KEY), payload));
    cr_assert_null(jwt_encode(A, "HS256", KEY, strlen(KEY), NULL));
    /* an empty key is a valid HMAC key */
    char *t = jwt_encode(A, "HS256", NULL, 0, payload);
    jwt_verify_opts_t e = {.alg = "HS256", .key = "", .key_len = 0, .now = IAT};
    decode(t, &e, JWT_OK, NULL);
}

/* ---- structure errors, in PyJWT's order -------------------------------- */

Test(jwt, structure_errors) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    char *good = hs256("{\"sub\":\"1\"}");
    char *sig = strrchr(good, '.');
    char *payload = arena_strndup(A, good + strlen(HS256_HEADER) + 1, (size_t)(sig - good) - strlen(HS256_HEADER) - 1);

    cr_assert_str_eq(expect_invalid("", &o), "Not enough segments");
    cr_assert_str_eq(expect_invalid("abc", &o), "Not enough segments");
    cr_assert_str_eq(expect_invalid("a.b", &o), "Not enough segments");
    cr_assert_str_eq(expect_invalid("A.b.c", &o), "Invalid header padding");
    cr_assert(starts_with(expect_invalid(arena_sprintf(A, "%s.%s%s", b64u("{bad"), payload, sig), &o),
                          "Invalid header string: "));
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s.%s%s", b64u("[1]"), payload, sig), &o),
                     "Invalid header string: must be a json object");
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s.%s%s", b64u("\"HS256\""), payload, sig), &o),
                     "Invalid header string: must be a json object");
    /* the header is judged before the payload and signature */
    cr_assert_str_eq(expect_invalid("A.A.A", &o), "Invalid header padding");
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s.A%s", HS256_HEADER, sig), &o), "Invalid payload padding");
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s.A.A", HS256_HEADER), &o), "Invalid payload padding");
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s.%s.A", HS256_HEADER, payload), &o), "Invalid crypto padding");
    /* an empty signature decodes to nothing: a mismatch, not a padding error */
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s.%s.", HS256_HEADER, payload), &o),
                     "Signature verification failed");
    /* rsplit at the last '.', then split at the first: extra dots go to the payload */
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s.%s.x%s", HS256_HEADER, payload, sig), &o),
                     "Signature verification failed");
    cr_assert_null(jwt_encode(A, "HS256", KEY, strlen(KEY), NULL));
    json_t *claims = NULL;
    const char *msg = NULL;
    cr_assert_eq(jwt_decode(A, NULL, &o, &claims, &msg), JWT_INVALID);
    cr_assert_str_eq(msg, "Invalid token type. Token must be a <class 'bytes'>");
}

Test(jwt, algorithm_checks) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    const char *p = "{\"sub\":\"1\"}";
    cr_assert_str_eq(expect_invalid(craft("{\"typ\":\"JWT\"}", p, KEY, CRYPTO_SHA256), &o), "Algorithm not specified");
    cr_assert_str_eq(expect_invalid(craft("{\"alg\":\"none\"}", p, KEY, CRYPTO_SHA256), &o),
                     "The specified alg value is not allowed");
    cr_assert_str_eq(expect_invalid(craft("{\"alg\":null}", p, KEY, CRYPTO_SHA256), &o),
                     "The specified alg value is not allowed");
    cr_assert_str_eq(expect_invalid(craft("{\"alg\":\"hs256\"}", p, KEY, CRYPTO_SHA256), &o),
                     "The specified alg value is not allowed");
    cr_assert_str_eq(expect_invalid(craft("{\"alg\":[\"HS256\"]}", p, KEY, CRYPTO_SHA256), &o),
                     "The specified alg value is not allowed");
    /* header fields other than alg do not matter; typ may be absent */
    decode(craft("{\"alg\":\"HS256\"}", p, KEY, CRYPTO_SHA256), &o, JWT_OK, NULL);
    decode(craft("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"x\":1}", p, KEY, CRYPTO_SHA256), &o, JWT_OK, NULL);
    /* b64=false needs a detached payload PyJWT never gets here */
    cr_assert(starts_with(expect_invalid(craft("{\"alg\":\"HS256\",\"b64\":false}", p, KEY, CRYPTO_SHA256), &o),
                          "It is required that you pass in a value for the \"detached_payload\" argument"));
    jwt_verify_opts_t r = opts_for(KEY, IAT);
    r.alg = "RS256";
    cr_assert_str_eq(expect_invalid(craft("{\"alg\":\"RS256\"}", p, KEY, CRYPTO_SHA256), &r), "Algorithm not supported");
    r.alg = NULL;
    cr_assert(starts_with(expect_invalid(hs256(p), &r), "It is required that you pass in a value for the \"algorithms\""));
}

/* PyJWT checks the signature before parsing the payload; flask-jwt-extended
 * first decodes without verification, so payload errors come first there. */
Test(jwt, payload_errors_and_order) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    cr_assert_str_eq(expect_invalid(hs256("[1]"), &o), "Invalid payload string: must be a json object");
    cr_assert_str_eq(expect_invalid(hs256("\"x\""), &o), "Invalid payload string: must be a json object");
    cr_assert(starts_with(expect_invalid(hs256("{oops"), &o), "Invalid payload string: "));
    cr_assert(starts_with(expect_invalid(hs256(""), &o), "Invalid payload string: "));

    char *bad_sig_array = craft("{\"alg\":\"HS256\"}", "[1]", "other", CRYPTO_SHA256);
    cr_assert_str_eq(expect_invalid(bad_sig_array, &o), "Signature verification failed");
    char *kid = craft("{\"alg\":\"HS256\",\"kid\":5}", "{}", KEY, CRYPTO_SHA256);
    decode(kid, &o, JWT_OK, NULL);

    o.flask_jwt_extended = true;
    cr_assert_str_eq(expect_invalid(bad_sig_array, &o), "Invalid payload string: must be a json object");
    cr_assert_str_eq(expect_invalid(kid, &o), "Key ID header parameter must be a string");
    decode(craft("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{}", KEY, CRYPTO_SHA256), &o, JWT_OK, NULL);
    cr_assert_str_eq(expect_invalid(craft("{\"alg\":\"HS256\"}", "{}", "other", CRYPTO_SHA256), &o),
                     "Signature verification failed");
}

/* ---- claims ------------------------------------------------------------ */

Test(jwt, time_claims) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    static const struct {
        const char *payload;
        jwt_status_t st;
        const char *msg;
    } v[] = {
        {"{\"iat\":1700000000}", JWT_OK, NULL},
        {"{\"iat\":1700000001}", JWT_INVALID, "The token is not yet valid (iat)"},
        {"{\"iat\":1700000000.99}", JWT_OK, NULL},
        {"{\"iat\":1700000001.0}", JWT_INVALID, "The token is not yet valid (iat)"},
        {"{\"iat\":\"1700000000\"}", JWT_OK, NULL},
        {"{\"iat\":\" 1_700_000_000 \"}", JWT_OK, NULL},
        {"{\"iat\":\"1700000001\"}", JWT_INVALID, "The token is not yet valid (iat)"},
        {"{\"iat\":\"soon\"}", JWT_INVALID, "Issued At claim (iat) must be an integer."},
        {"{\"iat\":\"1.5\"}", JWT_INVALID, "Issued At claim (iat) must be an integer."},
        {"{\"iat\":null}", JWT_INVALID, "Issued At claim (iat) must be an integer."},
        {"{\"iat\":true}", JWT_OK, NULL},
        {"{\"iat\":-5}", JWT_OK, NULL},
        {"{\"iat\":1e300}", JWT_INVALID, "The token is not yet valid (iat)"},
        {"{\"nbf\":1700000000}", JWT_OK, NULL},
        {"{\"nbf\":1700000001}", JWT_INVALID, "The token is not yet valid (nbf)"},
        {"{\"nbf\":\"x\"}", JWT_INVALID, "Not Before claim (nbf) must be an integer."},
        {"{\"nbf\":[1]}", JWT_INVALID, "Not Before claim (nbf) must be an integer."},
        {"{\"exp\":1700000001}", JWT_OK, NULL},
        {"{\"exp\":1700000000}", JWT_EXPIRED, "Signature has expired"},
        {"{\"exp\":1700000000.9}", JWT_EXPIRED, "Signature has expired"},
        {"{\"exp\":1700000001.5}", JWT_OK, NULL},
        {"{\"exp\":\"1700000001\"}", JWT_OK, NULL},
        {"{\"exp\":-1e300}", JWT_EXPIRED, "Signature has expired"},
        {"{\"exp\":false}", JWT_EXPIRED, "Signature has expired"},
        {"{\"exp\":\"later\"}", JWT_INVALID, "Expiration Time claim (exp) must be an integer."},
        {"{\"exp\":{}}", JWT_INVALID, "Expiration Time claim (exp) must be an integer."},
        /* order: iat, then nbf, then exp */
        {"{\"exp\":1,\"nbf\":9999999999,\"iat\":9999999999}", JWT_INVALID, "The token is not yet valid (iat)"},
        {"{\"exp\":1,\"nbf\":9999999999}", JWT_INVALID, "The token is not yet valid (nbf)"},
        {"{\"exp\":1,\"sub\":5}", JWT_EXPIRED, "Signature has expired"},
        {"{\"exp\":\"x\",\"iat\":\"y\"}", JWT_INVALID, "Issued At claim (iat) must be an integer."},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const char *msg = decode(hs256(v[i].payload), &o, v[i].st, NULL);
        if (v[i].msg) cr_assert_str_eq(msg, v[i].msg, "case %zu: %s", i, v[i].payload);
    }
}

Test(jwt, require_exp) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    o.require_exp = true;
    cr_assert_str_eq(expect_invalid(hs256("{\"sub\":\"1\"}"), &o), "Token is missing the \"exp\" claim");
    cr_assert_str_eq(expect_invalid(hs256("{\"exp\":null}"), &o), "Token is missing the \"exp\" claim");
    /* required-claims check runs before iat */
    cr_assert_str_eq(expect_invalid(hs256("{\"iat\":9999999999}"), &o), "Token is missing the \"exp\" claim");
    decode(hs256("{\"exp\":1700000001}"), &o, JWT_OK, NULL);
}

Test(jwt, audience_rules) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    /* falsy aud values count as absent */
    const char *falsy[] = {"{\"aud\":\"\"}", "{\"aud\":[]}", "{\"aud\":null}", "{\"aud\":0}", "{\"aud\":false}",
                           "{\"aud\":{}}"};
    for (size_t i = 0; i < sizeof falsy / sizeof falsy[0]; i++) {
        decode(hs256(falsy[i]), &o, JWT_OK, NULL);
        o.audience = "a";
        cr_assert_str_eq(expect_invalid(hs256(falsy[i]), &o), "Token is missing the \"aud\" claim", "%s", falsy[i]);
        o.audience = NULL;
    }
    cr_assert_str_eq(expect_invalid(hs256("{\"aud\":\"a\"}"), &o), "Invalid audience");
    cr_assert_str_eq(expect_invalid(hs256("{\"aud\":1}"), &o), "Invalid audience");
    o.audience = "a";
    decode(hs256("{\"aud\":\"a\"}"), &o, JWT_OK, NULL);
    decode(hs256("{\"aud\":[\"b\",\"a\"]}"), &o, JWT_OK, NULL);
    cr_assert_str_eq(expect_invalid(hs256("{\"aud\":\"ab\"}"), &o), "Audience doesn't match");
    cr_assert_str_eq(expect_invalid(hs256("{\"aud\":[\"b\"]}"), &o), "Audience doesn't match");
    cr_assert_str_eq(expect_invalid(hs256("{\"aud\":[\"a\",1]}"), &o), "Invalid claim format in token");
    cr_assert_str_eq(expect_invalid(hs256("{\"aud\":5}"), &o), "Invalid claim format in token");
    cr_assert_str_eq(expect_invalid(hs256("{\"aud\":{\"a\":1}}"), &o), "Invalid claim format in token");
    /* exp is checked before aud */
    cr_assert_str_eq(decode(hs256("{\"aud\":\"zzz\",\"exp\":5}"), &o, JWT_EXPIRED, NULL), "Signature has expired");
}

Test(jwt, sub_and_jti_types) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    cr_assert_str_eq(expect_invalid(hs256("{\"sub\":1}"), &o), "Subject must be a string");
    cr_assert_str_eq(expect_invalid(hs256("{\"sub\":null}"), &o), "Subject must be a string");
    cr_assert_str_eq(expect_invalid(hs256("{\"jti\":5}"), &o), "JWT ID must be a string");
    cr_assert_str_eq(expect_invalid(hs256("{\"jti\":5,\"sub\":5}"), &o), "Subject must be a string");
    /* aud is checked before sub */
    cr_assert_str_eq(expect_invalid(hs256("{\"sub\":1,\"aud\":\"x\"}"), &o), "Invalid audience");
    decode(hs256("{\"sub\":\"\",\"jti\":\"\"}"), &o, JWT_OK, NULL);
    o.flask_jwt_extended = true;
    cr_assert_str_eq(expect_invalid(hs256("{\"sub\":1}"), &o), "Subject must be a string");
}

/* PyJWT pads and decodes base64 like Python's non-strict decoder. */
Test(jwt, lenient_base64_like_pyjwt) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    char *tok = hs256("{\"sub\":\"1\"}");
    decode(arena_sprintf(A, "%s!!", tok), &o, JWT_OK, NULL);
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%s!", tok), &o), "Invalid crypto padding");
    /* 44 data characters decode to 33 bytes: no padding error, just a mismatch */
    cr_assert_str_eq(expect_invalid(arena_sprintf(A, "%sA", tok), &o), "Signature verification failed");
}

Test(jwt, hostile_tokens) {
    jwt_verify_opts_t o = opts_for(KEY, IAT);
    char *tok = hs256("{\"sub\":\"1\",\"exp\":1700000900}");
    size_t n = strlen(tok);
    for (size_t i = 0; i < n; i++) expect_invalid(arena_strndup(A, tok, i), &o);

    srand(4242);
    static const char alphabet[] = "eyJAaZz09-_.=!{}\"\x01\xff";
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)(rand() % 160);
        char *junk = arena_alloc(A, len + 1);
        for (size_t i = 0; i < len; i++) junk[i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
        junk[len] = '\0';
        expect_invalid(junk, &o);
    }
    /* random bodies behind a valid header */
    for (int round = 0; round < 500; round++) {
        size_t len = (size_t)(rand() % 80);
        char *body = arena_alloc(A, len + 1);
        for (size_t i = 0; i < len; i++) body[i] = (char)(1 + rand() % 255);
        body[len] = '\0';
        expect_invalid(arena_sprintf(A, "%s.%s.%s", HS256_HEADER, body, body), &o);
    }

    size_t huge = 4 * 1024 * 1024;
    char *big = arena_alloc(A, huge + 1);
    memset(big, 'e', huge);
    big[huge] = '\0';
    cr_assert_str_eq(expect_invalid(big, &o), "Not enough segments");
    big[100] = '.';
    big[huge - 100] = '.';
    expect_invalid(big, &o);
    char *big_payload = arena_sprintf(A, "%s.%s.%s", HS256_HEADER, big + 101, "AAAA");
    expect_invalid(big_payload, &o);
}
