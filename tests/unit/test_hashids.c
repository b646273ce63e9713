/* Unit tests for lib/hashids: published vectors of the hashids algorithm,
 * minimum-length padding, round trips and rejection of foreign ids. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/hashids.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(hashids, .init = setup, .fini = teardown);

static const char *enc1(const char *salt, size_t min, const char *alpha, uint64_t v) {
    hashids_t h;
    cr_assert(hashids_init(&h, salt, min, alpha));
    return hashids_encode(&h, A, &v, 1);
}

/* Vectors from the hashids project's documentation. */
Test(hashids, published_vectors) {
    hashids_t h;
    cr_assert(hashids_init(&h, "this is my salt", 0, NULL));
    uint64_t v[] = {1, 2, 3};
    cr_assert_str_eq(hashids_encode(&h, A, v, 3), "laHquq");
    cr_assert_str_eq(enc1("this is my salt", 8, NULL, 1), "gB0NV05e");
    cr_assert_str_eq(enc1("this is my salt", 0, "0123456789abcdef", 1234567), "b332db5");
}

Test(hashids, min_length_is_honoured) {
    for (uint64_t v = 0; v < 3000; v += 7) {
        const char *s = enc1("salt", 11, NULL, v);
        cr_assert_eq(strlen(s), 11, "%llu -> %s", (unsigned long long)v, s);
    }
    cr_assert_gt(strlen(enc1("salt", 11, NULL, UINT64_MAX)), 11);
}

Test(hashids, round_trip) {
    hashids_t h;
    cr_assert(hashids_init(&h, "Zm9vYmFyYmF6cXV4LXNhbHQtMTIzNDU2Nzg5MA_-", 11, NULL));
    uint64_t vals[] = {0, 1, 2, 99, 100, 12345, 4294967295ULL, UINT64_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char *s = hashids_encode(&h, A, &vals[i], 1);
        uint64_t out[4];
        cr_assert_eq(hashids_decode(&h, A, s, out, 4), 1, "%s", s);
        cr_assert_eq(out[0], vals[i]);
    }
    uint64_t many[] = {5, 0, 77};
    uint64_t out[4];
    cr_assert_eq(hashids_decode(&h, A, hashids_encode(&h, A, many, 3), out, 4), 3);
    cr_assert_eq(out[0], 5);
    cr_assert_eq(out[1], 0);
    cr_assert_eq(out[2], 77);
}

Test(hashids, decode_published) {
    hashids_t h;
    cr_assert(hashids_init(&h, "this is my salt", 0, NULL));
    uint64_t out[4];
    cr_assert_eq(hashids_decode(&h, A, "laHquq", out, 4), 3);
    cr_assert_eq(out[0], 1);
    cr_assert_eq(out[1], 2);
    cr_assert_eq(out[2], 3);
}

Test(hashids, rejects_foreign_ids) {
    hashids_t h, other;
    cr_assert(hashids_init(&h, "one salt", 11, NULL));
    cr_assert(hashids_init(&other, "another salt", 11, NULL));
    uint64_t v = 42, out[2];
    char *s = hashids_encode(&other, A, &v, 1);
    cr_assert_eq(hashids_decode(&h, A, s, out, 2), 0);
    cr_assert_eq(hashids_decode(&h, A, "", out, 2), 0);
    cr_assert_eq(hashids_decode(&h, A, "not-a-key!", out, 2), 0);
    cr_assert_eq(hashids_decode(&h, A, "kv:12", out, 2), 0);
    /* valid for h but holding more numbers than out can take */
    uint64_t three[] = {1, 2, 3};
    cr_assert_eq(hashids_decode(&h, A, hashids_encode(&h, A, three, 3), out, 2), 0);
}

Test(hashids, init_rejects_small_alphabet) {
    hashids_t h;
    cr_assert_not(hashids_init(&h, "", 0, "abcdefg"));
}
