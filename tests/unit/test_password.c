/* Unit tests for lib/password: werkzeug 3.1 hashes from the reference
 * vectors, known answers for other parameters (computed with Python hashlib),
 * werkzeug's parsing rules, refusal of unsupported and absurd parameters, and
 * generation round trips. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lib/password.h"

TestSuite(password);

static json_t *load_vectors(void) {
    const char *root = getenv("LITESET_SHARED");
    char path[4096];
    snprintf(path, sizeof path, "%s/reference/vectors/auth-vectors.json", root ? root : "../shared");
    return json_load_file(path, 0, NULL);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(password, reference_vectors) {
    json_t *v = load_vectors();
    if (!v) cr_skip_test("auth-vectors.json not found (set LITESET_SHARED)");
    json_t *rows = json_object_get(v, "password_hashes");
    cr_assert_eq(json_array_size(rows), 4);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *stored = json_string_value(json_object_get(row, "stored_value"));
        const char *pw = json_string_value(json_object_get(row, "password"));
        char *rebuilt = NULL;
        cr_assert(asprintf(&rebuilt, "%s$%s$%s", json_string_value(json_object_get(row, "method_string")),
                           json_string_value(json_object_get(row, "salt")),
                           json_string_value(json_object_get(row, "hash_hex"))) > 0);
        cr_assert_str_eq(rebuilt, stored);
        free(rebuilt);
        cr_assert_eq(password_check(stored, pw), PW_MATCH, "row %zu", i);
        cr_assert_eq(password_check(stored, "wrong"), PW_MISMATCH, "row %zu", i);
    }
    json_decref(v);
}

Test(password, known_answers) {
    static const struct {
        const char *stored, *pw;
    } v[] = {
        /* RFC 7914 scrypt test vector 3 */
        {"scrypt:1024:8:16$NaCl$fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff1"
         "09279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
         "password"},
        /* RFC 6070 PBKDF2-HMAC-SHA1 test vector 1 */
        {"pbkdf2:sha1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6", "password"},
        /* hashlib resolves digest names through OpenSSL: any case, aliases */
        {"pbkdf2:SHA1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6", "password"},
        {"pbkdf2:Sha-1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6", "password"},
        {"pbkdf2:ssl3-sha1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6", "password"},
        {"scrypt:128:1:1$salt$04670407cdf001cfea07a4256e24ae3e118d4137916948d87e9bc624ec7982017eb6909f998186ef850ff"
         "b5cdd25f0e7a719c7c33192e9871df0a40ef16374c4",
         "pw"},
        {"pbkdf2:sha512:1000$NaCl$daa4a47f945b473e7c19edf6d10e66a5f8e3b2524fbdcb344cfafaa299cecffa17bad49d5056f2d103"
         "3f3057594f450aa0baac91aac002bd90dca041b11550b6",
         "pw"},
        {"pbkdf2:md5:10$s$79a9efe5e382260384552b665fd51414", "pw"},
        {"pbkdf2:sha224:5$s\xc3\xa9$c03370104a12ffb2191c99bbf91bec768c0274d533380781e4a54579", "p\xc3\xa4ssword"},
        {"pbkdf2:sha384:3$$69e5996e557662aae98fd43a31bd60aacfb4274a4176c967632b3dddfdd7eca8930c96130bada463b2f9c5f76"
         "01ee1d4",
         "pw"},
        /* Python int() spellings of the iteration count */
        {"pbkdf2:sha1:1_0$salt$21666cdc0723a960de8307513199d3f1071c7f22", "pw"},
        {"pbkdf2:sha1: 10 $salt$21666cdc0723a960de8307513199d3f1071c7f22", "pw"},
        {"pbkdf2:sha1:+010$salt$21666cdc0723a960de8307513199d3f1071c7f22", "pw"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        cr_assert_eq(password_check(v[i].stored, v[i].pw), PW_MATCH, "case %zu", i);
        cr_assert_eq(password_check(v[i].stored, "other"), PW_MISMATCH, "case %zu", i);
    }
}

/* werkzeug 3.1 defaults: bare "pbkdf2" and "pbkdf2:<hash>" mean sha256 and
 * 1,000,000 iterations (hex from hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 10**6)). */
Test(password, pbkdf2_defaults) {
    const char *hex = "713f79d2601348abc7d83a9bc1031c056624ef0a6fc66295a62e152234dcd76f";
    char buf[256];
    snprintf(buf, sizeof buf, "pbkdf2$salt$%s", hex);
    cr_assert_eq(password_check(buf, "pw"), PW_MATCH);
    snprintf(buf, sizeof buf, "pbkdf2:sha256$salt$%s", hex);
    cr_assert_eq(password_check(buf, "pw"), PW_MATCH);
}

Test(password, digest_comparison) {
    const char *base = "pbkdf2:sha1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6";
    char buf[256];
    /* split at the first two '$' only: a third '$' belongs to the digest */
    snprintf(buf, sizeof buf, "%s$x", base);
    cr_assert_eq(password_check(buf, "password"), PW_MISMATCH);
    /* hex is compared as text: upper case, truncated or extended digests differ */
    cr_assert_eq(password_check("pbkdf2:sha1:1$salt$0C60C80F961F0E71F3A9B524AF6012062FE037A6", "password"),
                 PW_MISMATCH);
    cr_assert_eq(password_check("pbkdf2:sha1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a", "password"),
                 PW_MISMATCH);
    snprintf(buf, sizeof buf, "%s0", base);
    cr_assert_eq(password_check(buf, "password"), PW_MISMATCH);
    cr_assert_eq(password_check("pbkdf2:sha1:1$salt$", "password"), PW_MISMATCH);
    cr_assert_eq(password_check(base, ""), PW_MISMATCH);
}

Test(password, unsupported_values) {
    static const char *bad[] = {
        "plain$$admin",
        "sha256$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6",
        "md5$$21232f297a57a5a743894a0e4a801fc3",
        "$salt$abc",
        "SCRYPT$salt$abc",
        "pbkdf2:sha256:1000:extra$salt$abc",
        "pbkdf2:$salt$abc",
        "pbkdf2:nohash:1000$salt$abc",
        "pbkdf2:sha3_256:1000$salt$abc", /* hashlib knows it; lib/crypto does not (documented) */
        "pbkdf2:sha512_256:1000$salt$abc",
        "pbkdf2:sha256:0$salt$abc",
        "pbkdf2:sha256:-5$salt$abc",
        "pbkdf2:sha256:abc$salt$abc",
        "pbkdf2:sha256:1.5$salt$abc",
        "pbkdf2:sha256:1__0$salt$abc",
        "pbkdf2:sha256:10_$salt$abc",
        "pbkdf2:sha256:$salt$abc",
        "scrypt:$salt$abc",
        "scrypt:32768:8$salt$abc",
        "scrypt:32768:8:1:1$salt$abc",
        "scrypt:1:8:1$salt$abc",
        "scrypt:0:8:1$salt$abc",
        "scrypt:3:8:1$salt$abc",
        "scrypt:16:0:1$salt$abc",
        "scrypt:16:1:0$salt$abc",
        "scrypt:-16:1:1$salt$abc",
        "scrypt:64:1:1$salt$abc", /* 132*n*r*p is below what OpenSSL needs: hashlib raises too */
        "pbkdf2:sha1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6\xc3\xa9",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(password_check(bad[i], "password"), PW_UNSUPPORTED, "case %zu: %s", i, bad[i]);
    cr_assert_eq(password_check(NULL, "password"), PW_UNSUPPORTED);
    cr_assert_eq(password_check("pbkdf2:sha1:1$salt$0c60c80f961f0e71f3a9b524af6012062fe037a6", NULL), PW_UNSUPPORTED);
}

/* werkzeug's check_password_hash returns False (no exception) when the value
 * does not split into three parts: "" is what OAuth/LDAP users have. */
Test(password, fewer_than_two_dollars_is_a_mismatch) {
    static const char *values[] = {"", "nodollar", "one$dollar", "scrypt:32768:8:1$salt"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        cr_assert_eq(password_check(values[i], "password"), PW_MISMATCH, "case %zu", i);
        cr_assert_eq(password_check(values[i], ""), PW_MISMATCH, "case %zu", i);
    }
}

/* Hostile cost parameters are refused without running the KDF. */
Test(password, absurd_parameters_refused_quickly) {
    static const char *bad[] = {
        "pbkdf2:sha256:10000001$salt$abc",
        "pbkdf2:sha256:99999999999999999999999$salt$abc",
        "scrypt:1048576:8:1$salt$abc",          /* 1.03 GiB > 1 GiB */
        "scrypt:32768:8:256$salt$abc",
        "scrypt:2:4294967296:4294967296$salt$abc",
        "scrypt:9223372036854775808:8:1$salt$abc",
        "scrypt:1099511627776:1:1$salt$abc",
    };
    double t0 = now_seconds();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(password_check(bad[i], "password"), PW_UNSUPPORTED, "case %zu: %s", i, bad[i]);
    cr_assert_lt(now_seconds() - t0, 1.0);
}

Test(password, generate_default_scrypt) {
    char *h = password_hash("admin");
    cr_assert_not_null(h);
    cr_assert_eq(strncmp(h, "scrypt:32768:8:1$", 17), 0, "%s", h);
    cr_assert_eq(strlen(h), 17 + 16 + 1 + 128);
    cr_assert_eq(strspn(h + 17, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), 16);
    cr_assert_eq(h[33], '$');
    cr_assert_eq(strspn(h + 34, "0123456789abcdef"), 128);
    cr_assert_eq(password_check(h, "admin"), PW_MATCH);
    cr_assert_eq(password_check(h, "wrong"), PW_MISMATCH);
    char *h2 = password_hash("admin");
    cr_assert_str_neq(h, h2); /* fresh salt */
    free(h);
    free(h2);
}

Test(password, generate_with_methods) {
    static const struct {
        const char *method, *prefix;
        int salt_len;
    } v[] = {
        {"pbkdf2:sha1:1000", "pbkdf2:sha1:1000$", 8},
        {"pbkdf2:SHA-1:1000", "pbkdf2:SHA-1:1000$", 8}, /* werkzeug echoes the name as given */
        {"pbkdf2:sha512:2_000", "pbkdf2:sha512:2000$", 4},
        {"scrypt:128:1:1", "scrypt:128:1:1$", 16},
        {"scrypt:0256:1:02", "scrypt:256:1:2$", 1},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *h = password_hash_with("s3cr\xc3\xa9t", v[i].method, v[i].salt_len);
        cr_assert_not_null(h, "case %zu", i);
        size_t plen = strlen(v[i].prefix);
        cr_assert_eq(strncmp(h, v[i].prefix, plen), 0, "case %zu: %s", i, h);
        cr_assert_eq(h[plen + (size_t)v[i].salt_len], '$', "case %zu: %s", i, h);
        cr_assert_eq(password_check(h, "s3cr\xc3\xa9t"), PW_MATCH, "case %zu", i);
        cr_assert_eq(password_check(h, "s3cret"), PW_MISMATCH, "case %zu", i);
        free(h);
    }
    cr_assert_null(password_hash_with("x", "plain", 8));
    cr_assert_null(password_hash_with("x", "scrypt:64:1:1", 8));
    cr_assert_null(password_hash_with("x", "pbkdf2:sha256:1:2", 8));
    cr_assert_null(password_hash_with("x", "scrypt", 0));
    cr_assert_null(password_hash_with(NULL, "scrypt", 16));
    cr_assert_null(password_hash_with("x", NULL, 16));
}

Test(password, generate_bare_methods_normalised) {
    char *h = password_hash_with("pw", "scrypt", 16);
    cr_assert_eq(strncmp(h, "scrypt:32768:8:1$", 17), 0, "%s", h);
    free(h);
    h = password_hash_with("pw", "pbkdf2", 16);
    cr_assert_eq(strncmp(h, "pbkdf2:sha256:1000000$", 22), 0, "%s", h);
    cr_assert_eq(strlen(h), 22 + 16 + 1 + 64);
    free(h);
}

/* All 62 salt characters appear and none other (unbiased choice is checked
 * loosely: every character within a wide band of its expected count). */
Test(password, salt_alphabet_and_spread) {
    int counts[256] = {0};
    int total = 0;
    for (int i = 0; i < 40; i++) {
        char *h = password_hash_with("pw", "pbkdf2:sha1:1", 256);
        cr_assert_not_null(h);
        const char *salt = strchr(h, '$') + 1;
        for (int k = 0; k < 256; k++) counts[(unsigned char)salt[k]]++;
        total += 256;
        free(h);
    }
    const char *alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int in_alphabet = 0;
    for (const char *c = alphabet; *c; c++) {
        in_alphabet += counts[(unsigned char)*c];
        cr_assert_gt(counts[(unsigned char)*c], total / 62 / 2, "char %c too rare: %d", *c, counts[(unsigned char)*c]);
        cr_assert_lt(counts[(unsigned char)*c], total / 62 * 2, "char %c too common", *c);
    }
    cr_assert_eq(in_alphabet, total);
}
