/* Unit tests for lib/session_codec: Flask session cookies (reference vectors
 * and a cookie captured from the reference server), the Flask-Login `_id`
 * identifier and remember cookie, Flask-WTF CSRF tokens and their failure
 * reasons, and hostile cookies. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "lib/b64.h"
#include "lib/crypto.h"
#include "lib/json.h"
#include "lib/session_codec.h"
#include "lib/signer.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(session_codec, .init = setup, .fini = teardown);

#define TS 1700000000
#define MAX_AGE 2678400
#define WEEK 604800
#define GOLDEN_SECRET "reference-secret-key-change-me"

static const char *shared_root(void) {
    const char *root = getenv("LITESET_SHARED");
    return root ? root : "../shared";
}

static json_t *load_vectors(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s/reference/vectors/auth-vectors.json", shared_root());
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

static char *read_golden(const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/reference/golden-http/%s", shared_root(), name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = arena_alloc(A, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Text after `marker` up to the first character of `stops`. */
static char *extract(const char *text, const char *marker, const char *stops) {
    const char *p = strstr(text, marker);
    cr_assert_not_null(p, "%s not found", marker);
    p += strlen(marker);
    return arena_strndup(A, p, strcspn(p, stops));
}

/* The timestamp inside a signed value (second-to-last segment). */
static int64_t token_time(const char *tok) {
    const char *last = strrchr(tok, '.');
    const char *prev = last;
    while (prev > tok && prev[-1] != '.') prev--;
    unsigned char raw[8];
    size_t len = 0;
    cr_assert_eq(signer_b64_decode(prev, (size_t)(last - prev), raw, sizeof raw, &len), 0);
    int64_t t = 0;
    for (size_t i = 0; i < len; i++) t = (t << 8) | raw[i];
    return t;
}

static char *dump(const json_t *j) { return json_dump_arena(A, j, JSON_PY_SESSION, NULL); }

/* ---- session cookie ---------------------------------------------------- */

Test(session_codec, vector_cookies_encode_byte_for_byte) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *secret = vget(v, "session_cookie.secret_key");
    json_t *cases = json_object_get(json_object_get(v, "session_cookie"), "cases");
    cr_assert_eq(json_object_size(cases), 4);
    const char *name;
    json_t *c;
    json_object_foreach(cases, name, c) {
        const char *text = json_string_value(json_object_get(c, "session_json"));
        json_t *session = json_loads(text, 0, NULL);
        cr_assert_not_null(session, "%s", name);
        char *cookie = session_cookie_encode(A, secret, session, TS);
        cr_assert_str_eq(cookie, json_string_value(json_object_get(c, "cookie_value")), "case %s", name);
        cr_assert_str_eq(arena_sprintf(A, "session=%s; HttpOnly; Path=/; SameSite=Lax", cookie),
                         json_string_value(json_object_get(c, "set_cookie_header")), "case %s", name);
        json_decref(session);
    }
    json_decref(v);
}

Test(session_codec, vector_cookies_decode) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *secret = vget(v, "session_cookie.secret_key");
    json_t *cases = json_object_get(json_object_get(v, "session_cookie"), "cases");
    const char *name;
    json_t *c;
    json_object_foreach(cases, name, c) {
        const char *cookie = json_string_value(json_object_get(c, "cookie_value"));
        const char *text = json_string_value(json_object_get(c, "session_json"));
        json_t *s = session_cookie_decode(A, secret, cookie, TS, MAX_AGE);
        cr_assert_not_null(s, "%s", name);
        cr_assert_str_eq(dump(s), text, "case %s", name);
        json_decref(s);
        /* 31 days is the limit; one second later, or earlier than issued, is gone */
        s = session_cookie_decode(A, secret, cookie, TS + MAX_AGE, MAX_AGE);
        cr_assert_not_null(s, "%s", name);
        json_decref(s);
        cr_assert_null(session_cookie_decode(A, secret, cookie, TS + MAX_AGE + 1, MAX_AGE), "%s", name);
        cr_assert_null(session_cookie_decode(A, secret, cookie, TS - 1, MAX_AGE), "%s", name);
        cr_assert_null(session_cookie_decode(A, "other-secret", cookie, TS, MAX_AGE), "%s", name);
    }
    json_decref(v);
}

Test(session_codec, tagged_values_pass_through) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *secret = vget(v, "session_cookie.secret_key");
    const char *cookie = vget(v, "session_cookie.cases.failed_login_flash_tuple_tag.cookie_value");
    json_t *s = session_cookie_decode(A, secret, cookie, TS, MAX_AGE);
    cr_assert_not_null(s);
    json_t *flash = json_array_get(json_object_get(s, "_flashes"), 0);
    json_t *tuple = json_object_get(flash, " t");
    cr_assert(json_is_array(tuple));
    cr_assert_str_eq(json_string_value(json_array_get(tuple, 1)), "Invalid login. Please try again.");
    cr_assert(json_is_false(json_object_get(s, "_fresh")));
    /* re-encoding the decoded object gives the same cookie */
    cr_assert_str_eq(session_cookie_encode(A, secret, s, TS), cookie);
    json_decref(s);

    const char *embedded = vget(v, "session_cookie.cases.embedded_anonymous_login.cookie_value");
    s = session_cookie_decode(A, secret, embedded, TS, MAX_AGE);
    cr_assert(json_is_null(json_object_get(s, "_user_id")));
    json_decref(s);
    json_decref(v);
}

Test(session_codec, encode_sorts_and_escapes) {
    json_t *s = json_pack("{s:s, s:b, s:s, s:f}", "zeta", "\xc3\xa9\xf0\x9f\x98\x80", "_fresh", 1, "a", "x", "n",
                          1700000000.25);
    char *cookie = session_cookie_encode(A, "k", s, TS);
    json_decref(s);
    json_t *back = session_cookie_decode(A, "k", cookie, TS, MAX_AGE);
    cr_assert_str_eq(dump(back), "{\"_fresh\":true,\"a\":\"x\",\"n\":1700000000.25,\"zeta\":\"\\u00e9\\ud83d\\ude00\"}");
    json_decref(back);
}

Test(session_codec, golden_cookie_from_reference_server) {
    char *resp = read_golden("22-login-form-post.txt");
    if (!resp) cr_skip_test("golden-http not found (set LITESET_SHARED)");
    char *cookie = extract(resp, "Set-Cookie: session=", ";\r\n");
    int64_t now = token_time(cookie);
    json_t *s = session_cookie_decode(A, GOLDEN_SECRET, cookie, now, MAX_AGE);
    cr_assert_not_null(s, "golden cookie did not decode");
    cr_assert_str_eq(json_get_str(s, "_user_id", ""), "1");
    cr_assert(json_is_true(json_object_get(s, "_fresh")));
    cr_assert_str_eq(json_get_str(s, "_id", ""), login_identifier(A, "127.0.0.1", NULL, "curl/7.88.1"));
    /* Flask would have produced the very same bytes from this session */
    cr_assert_str_eq(session_cookie_encode(A, GOLDEN_SECRET, s, now), cookie);

    /* the CSRF token posted with that login validates against the session's raw token */
    char *csrf = extract(resp, "csrf_token=", " \r\n");
    const char *raw = json_get_str(s, "csrf_token", NULL);
    cr_assert_not_null(raw);
    cr_assert_null(csrf_validate(A, GOLDEN_SECRET, csrf, raw, now, WEEK));
    cr_assert_str_eq(csrf_sign(A, GOLDEN_SECRET, raw, token_time(csrf)), csrf);
    cr_assert_str_eq(csrf_validate(A, "wrong", csrf, raw, now, WEEK), "The CSRF token is invalid.");
    json_decref(s);
}

Test(session_codec, invalid_cookies_give_null) {
    signer_t sg;
    signer_init(&sg, SIGNER_KDF_HMAC, "k", 1, "cookie-session");
    const char *not_objects[] = {"[1,2]", "\"str\"", "1", "null", "{\"a\":", "", "{\"a\":1} x", "\xff"};
    for (size_t i = 0; i < sizeof not_objects / sizeof not_objects[0]; i++) {
        char *tok = signer_dumps(A, &sg, not_objects[i], strlen(not_objects[i]), TS);
        cr_assert_null(session_cookie_decode(A, "k", tok, TS, MAX_AGE), "case %zu", i);
    }
    char *ok = signer_dumps(A, &sg, "{}", 2, TS);
    json_t *empty = session_cookie_decode(A, "k", ok, TS, MAX_AGE);
    cr_assert(json_is_object(empty) && json_object_size(empty) == 0);
    cr_assert_null(session_cookie_encode(A, NULL, empty, TS));
    json_decref(empty);
    cr_assert_null(session_cookie_decode(A, "k", NULL, TS, MAX_AGE));
    cr_assert_null(session_cookie_decode(A, "k", "", TS, MAX_AGE));
    cr_assert_null(session_cookie_decode(A, NULL, ok, TS, MAX_AGE));
}

Test(session_codec, hostile_cookies) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *secret = vget(v, "session_cookie.secret_key");
    const char *cookie = vget(v, "session_cookie.cases.logged_in_compressed.cookie_value");
    size_t n = strlen(cookie);
    for (size_t i = 0; i < n; i++)
        cr_assert_null(session_cookie_decode(A, secret, arena_strndup(A, cookie, i), TS, MAX_AGE), "prefix %zu", i);
    cr_assert_null(session_cookie_decode(A, secret, arena_sprintf(A, "%s.", cookie), TS, MAX_AGE));
    cr_assert_null(session_cookie_decode(A, secret, arena_sprintf(A, ".%s", cookie), TS, MAX_AGE));
    cr_assert_null(session_cookie_decode(A, secret, arena_sprintf(A, "a.b.%s", cookie), TS, MAX_AGE));
    cr_assert_null(session_cookie_decode(A, secret, "...", TS, MAX_AGE));

    srand(777);
    for (int round = 0; round < 2000; round++) {
        size_t len = 1 + (size_t)(rand() % 300);
        char *junk = arena_alloc(A, len + 1);
        for (size_t i = 0; i < len; i++) junk[i] = (char)(1 + rand() % 255);
        junk[len] = '\0';
        cr_assert_null(session_cookie_decode(A, secret, junk, TS, MAX_AGE));
    }

    /* zlib bomb (32 MiB of spaces deflated to ~32 KiB) signed with the right key */
    size_t zcap = 128 * 1024;
    unsigned char *z = arena_alloc(A, zcap);
    static unsigned char spaces[65536];
    memset(spaces, ' ', sizeof spaces);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    cr_assert_eq(deflateInit(&zs, 9), Z_OK);
    zs.next_out = z;
    zs.avail_out = (uInt)zcap;
    for (int i = 0; i < 512; i++) {
        zs.next_in = spaces;
        zs.avail_in = sizeof spaces;
        cr_assert_eq(deflate(&zs, i == 511 ? Z_FINISH : Z_NO_FLUSH), i == 511 ? Z_STREAM_END : Z_OK);
    }
    size_t zlen = zs.total_out;
    deflateEnd(&zs);
    signer_t sg;
    signer_init(&sg, SIGNER_KDF_HMAC, secret, strlen(secret), "cookie-session");
    char *value = arena_sprintf(A, ".%s.ZVPxAA", b64_encode_arena(A, B64_URL_NOPAD, z, zlen, NULL));
    unsigned char mac[20];
    crypto_hmac_sha1(sg.key, 20, value, strlen(value), mac);
    char *bomb = arena_sprintf(A, "%s.%s", value, b64_encode_arena(A, B64_URL_NOPAD, mac, 20, NULL));
    size_t before = arena_used(A);
    cr_assert_null(session_cookie_decode(A, secret, bomb, TS, MAX_AGE));
    cr_assert_lt(arena_used(A) - before, 4 * 1024 * 1024);
    json_decref(v);
}

/* ---- Flask-Login identifier -------------------------------------------- */

Test(session_codec, identifier_vectors) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *addr = vget(v, "session_cookie.identifier.remote_addr");
    const char *ua = vget(v, "session_cookie.identifier.user_agent");
    cr_assert_str_eq(login_identifier_preimage(A, addr, NULL, ua), vget(v, "session_cookie.identifier.preimage"));
    cr_assert_str_eq(login_identifier(A, addr, NULL, ua), vget(v, "session_cookie.identifier.sha512_hex"));

    const char *xff = vget(v, "session_cookie.identifier.second_case.x_forwarded_for");
    cr_assert(json_is_null(
        json_object_get(json_object_get(json_object_get(json_object_get(v, "session_cookie"), "identifier"),
                                        "second_case"),
                        "user_agent")));
    cr_assert_str_eq(login_identifier_preimage(A, "127.0.0.1", xff, NULL),
                     vget(v, "session_cookie.identifier.second_case.preimage"));
    cr_assert_str_eq(login_identifier(A, "127.0.0.1", xff, NULL),
                     vget(v, "session_cookie.identifier.second_case.sha512_hex"));

    const char *raddr = vget(v, "session_cookie.identifier.reference_server_case.remote_addr");
    const char *rua = vget(v, "session_cookie.identifier.reference_server_case.user_agent");
    cr_assert_str_eq(login_identifier_preimage(A, raddr, NULL, rua),
                     vget(v, "session_cookie.identifier.reference_server_case.preimage"));
    cr_assert_str_eq(login_identifier(A, raddr, NULL, rua),
                     vget(v, "session_cookie.identifier.reference_server_case.sha512_hex"));
    json_decref(v);
}

/* Expected texts are Python's repr() of the UTF-8 re-encoded header bytes. */
Test(session_codec, identifier_bytes_repr) {
    static const struct {
        const char *ua, *want;
    } v[] = {
        {"it's", "b'1.2.3.4'|b\"it's\""},
        {"a'b\"c", "b'1.2.3.4'|b'a\\'b\"c'"},
        {"say \"hi\"", "b'1.2.3.4'|b'say \"hi\"'"},
        {"\t\n\r\x01\x7f\\", "b'1.2.3.4'|b'\\t\\n\\r\\x01\\x7f\\\\'"},
        {"\xe9t\xff", "b'1.2.3.4'|b'\\xc3\\xa9t\\xc3\\xbf'"},
        {"", "b'1.2.3.4'|b''"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        cr_assert_str_eq(login_identifier_preimage(A, "1.2.3.4", NULL, v[i].ua), v[i].want, "case %zu", i);
}

Test(session_codec, identifier_address_choice) {
    cr_assert_str_eq(login_identifier_preimage(A, "10.0.0.9", " 203.0.113.7 , 10.0.0.1", NULL), "b'203.0.113.7'|None");
    cr_assert_str_eq(login_identifier_preimage(A, "10.0.0.9", "", NULL), "b''|None");
    cr_assert_str_eq(login_identifier_preimage(A, NULL, "\t1.2.3.4\x0b,x", NULL), "b'1.2.3.4'|None");
    cr_assert_str_eq(login_identifier_preimage(A, NULL, "a b", "ua"), "b'a b'|b'ua'");
    cr_assert_str_eq(login_identifier_preimage(A, "10.0.0.9", NULL, NULL), "b'10.0.0.9'|None");
    cr_assert_str_eq(login_identifier_preimage(A, NULL, NULL, NULL), "None|None");
    unsigned char d[64];
    crypto_sha512("None|None", 9, d);
    cr_assert_str_eq(login_identifier(A, NULL, NULL, NULL), crypto_hex_arena(A, d, 64));
    cr_assert_eq(strlen(login_identifier(A, "x", NULL, "y")), 128);
}

/* ---- remember cookie --------------------------------------------------- */

Test(session_codec, remember_cookie_vector) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *secret = vget(v, "remember_cookie.secret_key");
    const char *value = vget(v, "remember_cookie.value");
    cr_assert_str_eq(remember_cookie_encode(A, secret, vget(v, "remember_cookie.user_id")), value);
    char *uid = remember_cookie_verify(A, secret, value);
    cr_assert_not_null(uid);
    cr_assert_str_eq(uid, "1");
    cr_assert_null(remember_cookie_verify(A, "other", value));
    json_decref(v);
}

Test(session_codec, remember_cookie_rules) {
    char *good = remember_cookie_encode(A, "k", "42");
    cr_assert_str_eq(remember_cookie_verify(A, "k", good), "42");
    char *bad = arena_strdup(A, good);
    bad[5] = bad[5] == 'a' ? 'b' : 'a';
    cr_assert_null(remember_cookie_verify(A, "k", bad));
    cr_assert_null(remember_cookie_verify(A, "k", "42"));
    cr_assert_null(remember_cookie_verify(A, "k", ""));
    cr_assert_null(remember_cookie_verify(A, "k", NULL));
    cr_assert_null(remember_cookie_verify(A, "k", arena_sprintf(A, "%s0", good)));
    /* upper-case hex is a different string for compare_digest */
    char *upper = arena_strdup(A, good);
    for (char *p = strchr(upper, '|'); *p; p++)
        if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
    cr_assert_null(remember_cookie_verify(A, "k", upper));
    /* the id is everything before the last '|' */
    char *piped = remember_cookie_encode(A, "k", "a|b");
    cr_assert_str_eq(remember_cookie_verify(A, "k", piped), "a|b");
}

Test(session_codec, remember_cookie_latin1) {
    /* SECRET_KEY "é" is the single key byte 0xE9 (values from Python hmac) */
    cr_assert_str_eq(remember_cookie_encode(A, "\xc3\xa9", "7"),
                     "7|2ef6972b561d1c723b56c380da1d23a82ff5d60c4624f4eb7553b0f05e323b28"
                     "d63432459b9f3c0b065f8b6b3dcda6d12646e236c111bdc00a612518da182ccf");
    /* a raw cookie byte 0xE9 is hashed as its UTF-8 form C3 A9 */
    const char *cookie = "\xe9|dfb87105590a7266f7973f10aabb95eb6f6ff62517ad6af4ad9b1584d4f211b9"
                         "a4364d85f0e3d16a7c16835099b0b154bea6229ef495e71d679d6c69978f3e33";
    cr_assert_str_eq(remember_cookie_verify(A, "test-secret", cookie), "\xe9");
    /* a key outside Latin-1 cannot be encoded (Flask-Login raises) */
    cr_assert_null(remember_cookie_encode(A, "\xe2\x82\xac", "1"));
    cr_assert_null(remember_cookie_verify(A, "\xe2\x82\xac", "1|00"));
    cr_assert_null(remember_cookie_encode(A, "\xc3", "1"));
}

/* ---- CSRF -------------------------------------------------------------- */

Test(session_codec, csrf_vector) {
    LOAD_VECTORS_OR_SKIP(v);
    const char *secret = vget(v, "csrf.secret_key");
    const char *raw = vget(v, "csrf.raw_token_in_session");
    const char *signed_token = vget(v, "csrf.signed_token");
    json_t *val = json_object_get(json_object_get(v, "csrf"), "validation");
    int64_t limit = json_integer_value(json_object_get(val, "time_limit_seconds"));
    int64_t until = json_integer_value(json_object_get(val, "valid_until_now"));
    int64_t expired = json_integer_value(json_object_get(val, "expired_from_now"));
    int64_t before = json_integer_value(json_object_get(val, "also_expired_when_now_before"));
    cr_assert_eq(limit, WEEK);

    cr_assert_str_eq(csrf_sign(A, secret, raw, TS), signed_token);
    cr_assert_null(csrf_validate(A, secret, signed_token, raw, TS, limit));
    cr_assert_null(csrf_validate(A, secret, signed_token, raw, until, limit));
    cr_assert_str_eq(csrf_validate(A, secret, signed_token, raw, expired, limit), "The CSRF token has expired.");
    cr_assert_str_eq(csrf_validate(A, secret, signed_token, raw, before - 1, limit), "The CSRF token has expired.");
    cr_assert_null(csrf_validate(A, secret, signed_token, raw, expired, -1));
    json_decref(v);
}

Test(session_codec, csrf_failure_reasons) {
    const char *raw = "9a35f975b4dcf83bc9830bdb0571497e93a9aa2a";
    char *tok = csrf_sign(A, "s", raw, TS);
    cr_assert_eq(strncmp(tok, "Ij", 2), 0);
    cr_assert_str_eq(csrf_validate(A, "s", NULL, raw, TS, WEEK), "The CSRF token is missing.");
    cr_assert_str_eq(csrf_validate(A, "s", "", raw, TS, WEEK), "The CSRF token is missing.");
    cr_assert_str_eq(csrf_validate(A, "s", "", NULL, TS, WEEK), "The CSRF token is missing.");
    cr_assert_str_eq(csrf_validate(A, "s", tok, NULL, TS, WEEK), "The CSRF session token is missing.");
    cr_assert_str_eq(csrf_validate(A, "s", tok, "", TS, WEEK), "The CSRF session token is missing.");
    cr_assert_str_eq(csrf_validate(A, "s", "garbage", raw, TS, WEEK), "The CSRF token is invalid.");
    cr_assert_str_eq(csrf_validate(A, "other", tok, raw, TS, WEEK), "The CSRF token is invalid.");
    /* a bad signature is "invalid" even when the timestamp is also stale */
    cr_assert_str_eq(csrf_validate(A, "other", tok, raw, TS + 2 * WEEK, WEEK), "The CSRF token is invalid.");
    cr_assert_str_eq(csrf_validate(A, "s", tok, raw, TS + WEEK + 1, WEEK), "The CSRF token has expired.");
    cr_assert_str_eq(csrf_validate(A, "s", tok, raw, TS - 1, WEEK), "The CSRF token has expired.");
    cr_assert_str_eq(csrf_validate(A, "s", tok, "0000000000000000000000000000000000000000", TS, WEEK),
                     "The CSRF tokens do not match.");
    cr_assert_str_eq(csrf_validate(A, "s", tok, "9a35f975", TS, WEEK), "The CSRF tokens do not match.");
    cr_assert_null(csrf_validate(A, "s", tok, raw, TS, WEEK));

    /* the session cookie's signer (other salt and derivation) does not validate */
    signer_t sess;
    signer_init(&sess, SIGNER_KDF_HMAC, "s", 1, "wtf-csrf-token");
    char *wrong_kdf = signer_dumps(A, &sess, "\"9a35f975b4dcf83bc9830bdb0571497e93a9aa2a\"", 42, TS);
    cr_assert_str_eq(csrf_validate(A, "s", wrong_kdf, raw, TS, WEEK), "The CSRF token is invalid.");

    /* correctly signed payloads that are not a JSON string */
    signer_t csrf;
    signer_init(&csrf, SIGNER_KDF_DJANGO_CONCAT, "s", 1, "wtf-csrf-token");
    const char *payloads[] = {"123", "[\"x\"]", "{\"a\":1}", "not json", "null"};
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        char *t = signer_dumps(A, &csrf, payloads[i], strlen(payloads[i]), TS);
        cr_assert_str_eq(csrf_validate(A, "s", t, raw, TS, WEEK), "The CSRF token is invalid.", "case %zu", i);
    }
}

Test(session_codec, csrf_new_raw_token_shape) {
    char *a = csrf_new_raw_token(A);
    char *b = csrf_new_raw_token(A);
    cr_assert_eq(strlen(a), 40);
    cr_assert_eq(strspn(a, "0123456789abcdef"), 40);
    cr_assert_str_neq(a, b);
    char *tok = csrf_sign(A, "s", a, TS);
    cr_assert_eq(strlen(tok), 56 + 1 + 6 + 1 + 27);
    cr_assert_null(csrf_validate(A, "s", tok, a, TS + 10, WEEK));
    cr_assert_str_eq(csrf_validate(A, "s", tok, b, TS + 10, WEEK), "The CSRF tokens do not match.");
}
