/* Unit tests for fcgi/proto: record parsing (complete, padded, fragmented,
 * back-to-back, interleaved request ids, wrong version, truncated, maximum
 * length), record writers (single record, stream splitting, empty stream,
 * end-request and unknown-type bodies), name-value pairs (1- and 4-byte
 * lengths, round trip, malformed input), and a fixed-seed fuzz loop that
 * checks the parsers never read outside their buffer. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/proto.h"

static arena_t *A;
static void setup(void) { A = arena_new(0); }
static void teardown(void) { arena_free(A); }

TestSuite(fcgi_proto, .init = setup, .fini = teardown);

/* Hand-built FCGI_PARAMS record, request id 0x0102, content "abcde", 3 bytes padding. */
static const uint8_t REC1[] = {1, 4, 0x01, 0x02, 0x00, 0x05, 3, 0, 'a', 'b', 'c', 'd', 'e', 0, 0, 0};

Test(fcgi_proto, parse_complete_record_with_padding) {
    fcgi_record_t rec;
    memset(&rec, 0, sizeof rec);
    ssize_t n = fcgi_record_parse(REC1, sizeof REC1, &rec);
    cr_assert_eq(n, 16);
    cr_assert_eq(rec.type, FCGI_PARAMS);
    cr_assert_eq(rec.request_id, 0x0102);
    cr_assert_eq(rec.content_len, 5);
    cr_assert_eq(rec.content, REC1 + 8);
    cr_assert_eq(memcmp(rec.content, "abcde", 5), 0);
}

Test(fcgi_proto, parse_empty_record) {
    const uint8_t rec0[] = {1, FCGI_STDIN, 0, 1, 0, 0, 0, 0};
    fcgi_record_t rec;
    cr_assert_eq(fcgi_record_parse(rec0, sizeof rec0, &rec), 8);
    cr_assert_eq(rec.type, FCGI_STDIN);
    cr_assert_eq(rec.request_id, 1);
    cr_assert_eq(rec.content_len, 0);
}

Test(fcgi_proto, parse_fragmented_needs_more_until_complete) {
    fcgi_record_t rec;
    cr_assert_eq(fcgi_record_parse(REC1, 0, &rec), FCGI_PARSE_NEED_MORE);
    for (size_t len = 1; len < sizeof REC1; len++) {
        /* Parse from a heap copy of exactly len bytes: ASan catches any over-read. */
        uint8_t *part = malloc(len);
        memcpy(part, REC1, len);
        cr_assert_eq(fcgi_record_parse(part, len, &rec), FCGI_PARSE_NEED_MORE, "len %zu", len);
        free(part);
    }
    cr_assert_eq(fcgi_record_parse(REC1, sizeof REC1, &rec), 16);
    cr_assert_eq(memcmp(rec.content, "abcde", 5), 0);
}

Test(fcgi_proto, padding_missing_is_need_more) {
    /* Content complete but padding not yet arrived. */
    fcgi_record_t rec;
    cr_assert_eq(fcgi_record_parse(REC1, 13, &rec), FCGI_PARSE_NEED_MORE);
    cr_assert_eq(fcgi_record_parse(REC1, 15, &rec), FCGI_PARSE_NEED_MORE);
}

Test(fcgi_proto, two_records_back_to_back) {
    uint8_t buf[64];
    const uint8_t rec2[] = {1, FCGI_STDIN, 0x01, 0x02, 0x00, 0x02, 0, 0, 'h', 'i'};
    memcpy(buf, REC1, sizeof REC1);
    memcpy(buf + sizeof REC1, rec2, sizeof rec2);
    size_t len = sizeof REC1 + sizeof rec2;
    fcgi_record_t rec;
    ssize_t n1 = fcgi_record_parse(buf, len, &rec);
    cr_assert_eq(n1, 16);
    cr_assert_eq(rec.type, FCGI_PARAMS);
    ssize_t n2 = fcgi_record_parse(buf + n1, len - (size_t)n1, &rec);
    cr_assert_eq(n2, 10);
    cr_assert_eq(rec.type, FCGI_STDIN);
    cr_assert_eq(rec.content_len, 2);
    cr_assert_eq(memcmp(rec.content, "hi", 2), 0);
    cr_assert_eq((size_t)(n1 + n2), len);
}

Test(fcgi_proto, interleaved_request_ids) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_write_record(&sb, FCGI_PARAMS, 1, "one-a", 5);
    fcgi_write_record(&sb, FCGI_PARAMS, 2, "two-a", 5);
    fcgi_write_record(&sb, FCGI_STDIN, 1, "one-b!", 6);
    fcgi_write_record(&sb, FCGI_STDIN, 2, "", 0);
    fcgi_write_record(&sb, FCGI_STDIN, 0xffff, "max", 3);
    const struct { uint16_t id; uint8_t type; const char *content; } expect[] = {
        {1, FCGI_PARAMS, "one-a"}, {2, FCGI_PARAMS, "two-a"}, {1, FCGI_STDIN, "one-b!"},
        {2, FCGI_STDIN, ""},       {0xffff, FCGI_STDIN, "max"},
    };
    const uint8_t *p = (const uint8_t *)sb.data;
    size_t left = sb.len;
    for (size_t i = 0; i < 5; i++) {
        fcgi_record_t rec;
        ssize_t n = fcgi_record_parse(p, left, &rec);
        cr_assert_gt(n, 0, "record %zu", i);
        cr_assert_eq(n % 8, 0, "writer pads to 8: record %zu spans %zd", i, n);
        cr_assert_eq(rec.request_id, expect[i].id);
        cr_assert_eq(rec.type, expect[i].type);
        cr_assert_eq(rec.content_len, strlen(expect[i].content));
        cr_assert_eq(memcmp(rec.content, expect[i].content, rec.content_len), 0);
        p += n;
        left -= (size_t)n;
    }
    cr_assert_eq(left, 0);
}

Test(fcgi_proto, wrong_version_is_error_even_with_one_byte) {
    fcgi_record_t rec;
    const uint8_t http[] = "GET / HTTP/1.1\r\n";
    cr_assert_eq(fcgi_record_parse(http, 1, &rec), FCGI_PARSE_ERROR);
    cr_assert_eq(fcgi_record_parse(http, sizeof http - 1, &rec), FCGI_PARSE_ERROR);
    const uint8_t v0[] = {0};
    cr_assert_eq(fcgi_record_parse(v0, 1, &rec), FCGI_PARSE_ERROR);
    const uint8_t v2[] = {2, 4, 0, 1, 0, 0, 0, 0};
    cr_assert_eq(fcgi_record_parse(v2, sizeof v2, &rec), FCGI_PARSE_ERROR);
    for (size_t len = 1; len <= sizeof v2; len++) cr_assert_eq(fcgi_record_parse(v2, len, &rec), FCGI_PARSE_ERROR);
}

Test(fcgi_proto, truncated_is_need_more) {
    /* Header announces 100 bytes, only 50 present. */
    uint8_t buf[58] = {1, FCGI_STDIN, 0, 1, 0, 100, 0, 0};
    fcgi_record_t rec;
    cr_assert_eq(fcgi_record_parse(buf, sizeof buf, &rec), FCGI_PARSE_NEED_MORE);
    cr_assert_eq(fcgi_record_parse(buf, 7, &rec), FCGI_PARSE_NEED_MORE);
}

Test(fcgi_proto, max_content_length) {
    size_t total = 8 + 65535 + 255;
    uint8_t *buf = calloc(1, total);
    buf[0] = 1;
    buf[1] = FCGI_STDOUT;
    buf[3] = 7;
    buf[4] = 0xff;
    buf[5] = 0xff;
    buf[6] = 255;
    buf[8] = 'A';
    buf[8 + 65534] = 'Z';
    fcgi_record_t rec;
    cr_assert_eq(fcgi_record_parse(buf, total - 1, &rec), FCGI_PARSE_NEED_MORE);
    cr_assert_eq(fcgi_record_parse(buf, total, &rec), (ssize_t)total);
    cr_assert_eq(rec.content_len, 65535);
    cr_assert_eq(rec.request_id, 7);
    cr_assert_eq(rec.content[0], 'A');
    cr_assert_eq(rec.content[65534], 'Z');
    free(buf);

    /* The writer handles 65535 bytes in one record (1 byte of padding). */
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    char *data = arena_alloc(A, 65535);
    memset(data, 'q', 65535);
    fcgi_write_record(&sb, FCGI_STDOUT, 9, data, 65535);
    cr_assert_eq(sb.len, 8 + 65535 + 1);
    cr_assert_eq((uint8_t)sb.data[4], 0xff);
    cr_assert_eq((uint8_t)sb.data[5], 0xff);
    cr_assert_eq((uint8_t)sb.data[6], 1);
    cr_assert_eq(fcgi_record_parse((const uint8_t *)sb.data, sb.len, &rec), (ssize_t)sb.len);
    cr_assert_eq(rec.content_len, 65535);
}

Test(fcgi_proto, write_record_exact_bytes) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_write_record(&sb, FCGI_STDOUT, 0x1234, "hello", 5);
    const uint8_t expect[] = {1, 6, 0x12, 0x34, 0, 5, 3, 0, 'h', 'e', 'l', 'l', 'o', 0, 0, 0};
    cr_assert_eq(sb.len, sizeof expect);
    cr_assert_eq(memcmp(sb.data, expect, sizeof expect), 0);

    strbuf_clear(&sb);
    fcgi_write_record(&sb, FCGI_STDOUT, 1, "12345678", 8); /* multiple of 8: no padding */
    cr_assert_eq(sb.len, 16);
    cr_assert_eq(sb.data[6], 0);

    strbuf_clear(&sb);
    fcgi_write_record(&sb, FCGI_STDOUT, 1, NULL, 0); /* end-of-stream marker */
    const uint8_t eos[] = {1, 6, 0, 1, 0, 0, 0, 0};
    cr_assert_eq(sb.len, 8);
    cr_assert_eq(memcmp(sb.data, eos, 8), 0);
}

Test(fcgi_proto, write_stream_splits_large_data) {
    size_t n = 200000;
    uint8_t *data = arena_alloc(A, n);
    for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(i * 31 + (i >> 8));
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_write_stream(&sb, FCGI_STDOUT, 42, data, n);

    strbuf_t joined;
    strbuf_init_arena(&joined, A, 0);
    const uint8_t *p = (const uint8_t *)sb.data;
    size_t left = sb.len, nrec = 0;
    while (left) {
        fcgi_record_t rec;
        ssize_t r = fcgi_record_parse(p, left, &rec);
        cr_assert_gt(r, 0);
        cr_assert_eq(rec.type, FCGI_STDOUT);
        cr_assert_eq(rec.request_id, 42);
        cr_assert_leq(rec.content_len, FCGI_CHUNK);
        cr_assert_gt(rec.content_len, 0);
        strbuf_append(&joined, rec.content, rec.content_len);
        p += r;
        left -= (size_t)r;
        nrec++;
    }
    /* 200000 = 3 * 65528 + 3416 */
    cr_assert_eq(nrec, 4);
    cr_assert_eq(joined.len, n);
    cr_assert_eq(memcmp(joined.data, data, n), 0);
    /* Every record but the last needs no padding. */
    cr_assert_eq(sb.len, 4 * 8 + n);
}

Test(fcgi_proto, write_stream_empty_writes_nothing) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_write_stream(&sb, FCGI_STDOUT, 1, "", 0);
    fcgi_write_stream(&sb, FCGI_STDOUT, 1, NULL, 0);
    cr_assert_eq(sb.len, 0);
}

Test(fcgi_proto, write_stream_exact_chunk) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    char *data = arena_calloc(A, 1, FCGI_CHUNK);
    fcgi_write_stream(&sb, FCGI_STDERR, 3, data, FCGI_CHUNK);
    cr_assert_eq(sb.len, 8 + FCGI_CHUNK); /* one record, no padding */
    fcgi_record_t rec;
    cr_assert_eq(fcgi_record_parse((const uint8_t *)sb.data, sb.len, &rec), (ssize_t)sb.len);
    cr_assert_eq(rec.type, FCGI_STDERR);
}

Test(fcgi_proto, end_request_encoding) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_write_end_request(&sb, 0x0a0b, 0x01020304, FCGI_OVERLOADED);
    const uint8_t expect[] = {1, FCGI_END_REQUEST, 0x0a, 0x0b, 0, 8, 0, 0,
                              0x01, 0x02, 0x03, 0x04, FCGI_OVERLOADED, 0, 0, 0};
    cr_assert_eq(sb.len, sizeof expect);
    cr_assert_eq(memcmp(sb.data, expect, sizeof expect), 0);
}

Test(fcgi_proto, unknown_type_encoding) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_write_unknown_type(&sb, 77);
    const uint8_t expect[] = {1, FCGI_UNKNOWN_TYPE, 0, 0, 0, 8, 0, 0, 77, 0, 0, 0, 0, 0, 0, 0};
    cr_assert_eq(sb.len, sizeof expect);
    cr_assert_eq(memcmp(sb.data, expect, sizeof expect), 0);
}

/* ---- name-value pairs ---- */

typedef struct {
    int n;
    const char *names[8];
    size_t nlens[8];
    const char *vals[8];
    size_t vlens[8];
    int stop_after; /* 0 = never */
} nv_seen_t;

static bool collect(void *ud, const char *name, size_t nlen, const char *val, size_t vlen) {
    nv_seen_t *s = ud;
    if (s->n < 8) {
        s->names[s->n] = name;
        s->nlens[s->n] = nlen;
        s->vals[s->n] = val;
        s->vlens[s->n] = vlen;
    }
    s->n++;
    return !(s->stop_after && s->n >= s->stop_after);
}

Test(fcgi_proto, nv_parse_hand_built_short) {
    const uint8_t buf[] = {11, 3, 'S', 'C', 'R', 'I', 'P', 'T', '_', 'N', 'A', 'M', 'E', '/', 'a', 'b',
                           4, 0, 'H', 'T', 'T', 'P'};
    nv_seen_t s = {0};
    cr_assert(fcgi_nv_parse(buf, sizeof buf, collect, &s));
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.nlens[0], 11);
    cr_assert_eq(memcmp(s.names[0], "SCRIPT_NAME", 11), 0);
    cr_assert_eq(s.vlens[0], 3);
    cr_assert_eq(memcmp(s.vals[0], "/ab", 3), 0);
    cr_assert_eq(s.nlens[1], 4);
    cr_assert_eq(s.vlens[1], 0);
}

Test(fcgi_proto, nv_parse_hand_built_long_lengths) {
    /* name 200 bytes (4-byte length 0x800000c8), value 3 bytes. */
    size_t len = 4 + 1 + 200 + 3;
    uint8_t *buf = arena_alloc(A, len);
    buf[0] = 0x80;
    buf[1] = 0;
    buf[2] = 0;
    buf[3] = 200;
    buf[4] = 3;
    memset(buf + 5, 'N', 200);
    memcpy(buf + 205, "val", 3);
    nv_seen_t s = {0};
    cr_assert(fcgi_nv_parse(buf, len, collect, &s));
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.nlens[0], 200);
    cr_assert_eq(s.vlens[0], 3);
    cr_assert_eq(memcmp(s.vals[0], "val", 3), 0);
}

Test(fcgi_proto, nv_append_encodings) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_nv_append(&sb, "A", 1, "xyz", 3);
    const uint8_t short_enc[] = {1, 3, 'A', 'x', 'y', 'z'};
    cr_assert_eq(sb.len, sizeof short_enc);
    cr_assert_eq(memcmp(sb.data, short_enc, sizeof short_enc), 0);

    strbuf_clear(&sb);
    char val[128];
    memset(val, 'v', sizeof val);
    fcgi_nv_append(&sb, "B", 1, val, 127); /* 127 still fits one byte */
    cr_assert_eq((uint8_t)sb.data[1], 127);
    cr_assert_eq(sb.len, 2 + 1 + 127);
    strbuf_clear(&sb);
    fcgi_nv_append(&sb, "B", 1, val, 128); /* 128 needs four */
    const uint8_t long_hdr[] = {1, 0x80, 0, 0, 128};
    cr_assert_eq(memcmp(sb.data, long_hdr, sizeof long_hdr), 0);
    cr_assert_eq(sb.len, 5 + 1 + 128);
}

Test(fcgi_proto, nv_roundtrip_short_and_long) {
    size_t nlen = 200, vlen = 70000;
    char *name = arena_alloc(A, nlen);
    char *val = arena_alloc(A, vlen);
    for (size_t i = 0; i < nlen; i++) name[i] = (char)('a' + i % 26);
    for (size_t i = 0; i < vlen; i++) val[i] = (char)(i * 13); /* binary, includes NULs */
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    fcgi_nv_append(&sb, "REQUEST_METHOD", 14, "GET", 3);
    fcgi_nv_append(&sb, name, nlen, val, vlen);
    fcgi_nv_append(&sb, "EMPTY", 5, "", 0);
    fcgi_nv_append(&sb, "", 0, "noname", 6);
    /* 70000 = 0x00011170 in the 4-byte form. */
    const uint8_t *second = (const uint8_t *)sb.data + 2 + 14 + 3;
    const uint8_t hdr2[] = {0x80, 0, 0, 200, 0x80, 0x01, 0x11, 0x70};
    cr_assert_eq(memcmp(second, hdr2, sizeof hdr2), 0);

    nv_seen_t s = {0};
    cr_assert(fcgi_nv_parse((const uint8_t *)sb.data, sb.len, collect, &s));
    cr_assert_eq(s.n, 4);
    cr_assert_eq(s.nlens[0], 14);
    cr_assert_eq(memcmp(s.names[0], "REQUEST_METHOD", 14), 0);
    cr_assert_eq(s.vlens[0], 3);
    cr_assert_eq(memcmp(s.vals[0], "GET", 3), 0);
    cr_assert_eq(s.nlens[1], nlen);
    cr_assert_eq(s.vlens[1], vlen);
    cr_assert_eq(memcmp(s.names[1], name, nlen), 0);
    cr_assert_eq(memcmp(s.vals[1], val, vlen), 0);
    cr_assert_eq(s.nlens[2], 5);
    cr_assert_eq(s.vlens[2], 0);
    cr_assert_eq(s.nlens[3], 0);
    cr_assert_eq(s.vlens[3], 6);
    cr_assert_eq(memcmp(s.vals[3], "noname", 6), 0);
}

Test(fcgi_proto, nv_parse_empty_is_ok) {
    nv_seen_t s = {0};
    cr_assert(fcgi_nv_parse((const uint8_t *)"", 0, collect, &s));
    cr_assert_eq(s.n, 0);
}

Test(fcgi_proto, nv_parse_malformed) {
    nv_seen_t s = {0};
    /* Name length 10 but only 3 bytes follow. */
    const uint8_t b1[] = {10, 0, 'a', 'b', 'c'};
    cr_assert_not(fcgi_nv_parse(b1, sizeof b1, collect, &s));
    /* Value length beyond the buffer. */
    const uint8_t b2[] = {1, 5, 'a', 'x'};
    cr_assert_not(fcgi_nv_parse(b2, sizeof b2, collect, &s));
    /* Truncated 4-byte name length. */
    const uint8_t b3[] = {0x80, 0, 0};
    cr_assert_not(fcgi_nv_parse(b3, sizeof b3, collect, &s));
    /* Truncated 4-byte value length. */
    const uint8_t b4[] = {1, 0x80, 0};
    cr_assert_not(fcgi_nv_parse(b4, sizeof b4, collect, &s));
    /* Name length present, value length missing. */
    const uint8_t b5[] = {1};
    cr_assert_not(fcgi_nv_parse(b5, sizeof b5, collect, &s));
    /* Huge 4-byte lengths (would overflow a naive nlen + vlen). */
    const uint8_t b6[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'x'};
    cr_assert_not(fcgi_nv_parse(b6, sizeof b6, collect, &s));
    cr_assert_eq(s.n, 0, "no callback for malformed pairs");
    /* A good pair followed by a truncated one: the good one is reported, result false. */
    const uint8_t b7[] = {1, 1, 'k', 'v', 2, 2, 'k'};
    cr_assert_not(fcgi_nv_parse(b7, sizeof b7, collect, &s));
    cr_assert_eq(s.n, 1);
}

Test(fcgi_proto, nv_parse_stops_when_callback_refuses) {
    strbuf_t sb;
    strbuf_init_arena(&sb, A, 0);
    for (int i = 0; i < 5; i++) fcgi_nv_append(&sb, "K", 1, "V", 1);
    nv_seen_t s = {.stop_after = 2};
    cr_assert_not(fcgi_nv_parse((const uint8_t *)sb.data, sb.len, collect, &s));
    cr_assert_eq(s.n, 2);
}

/* ---- fuzz ---- */

static uint64_t rng_state;
static uint64_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

typedef struct {
    const uint8_t *lo, *hi;
    bool out_of_bounds;
} bounds_t;

static bool check_bounds(void *ud, const char *name, size_t nlen, const char *val, size_t vlen) {
    bounds_t *b = ud;
    const uint8_t *n = (const uint8_t *)name, *v = (const uint8_t *)val;
    if (n < b->lo || n > b->hi || nlen > (size_t)(b->hi - n)) b->out_of_bounds = true;
    if (v < b->lo || v > b->hi || vlen > (size_t)(b->hi - v)) b->out_of_bounds = true;
    return true;
}

Test(fcgi_proto, fuzz_parsers_stay_in_bounds) {
    rng_state = 0x9e3779b97f4a7c15ULL;
    int complete = 0, need_more = 0, errors = 0, nv_ok = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = (size_t)(rng() % 301);
        uint8_t *buf = malloc(len ? len : 1); /* exact size: ASan flags any over-read */
        for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)rng();
        if (len >= 8 && rng() % 2) { /* plausible header with small random lengths */
            buf[0] = FCGI_VERSION_1;
            size_t clen = (size_t)(rng() % 320);
            buf[4] = (uint8_t)(clen >> 8);
            buf[5] = (uint8_t)clen;
            buf[6] = (uint8_t)(rng() % 16);
        }
        fcgi_record_t rec;
        memset(&rec, 0, sizeof rec);
        ssize_t r = fcgi_record_parse(buf, len, &rec);
        cr_assert(r == FCGI_PARSE_ERROR || r >= 0, "iter %d: result %zd", iter, r);
        if (r > 0) {
            complete++;
            cr_assert_leq((size_t)r, len, "iter %d: spans %zd of %zu", iter, r, len);
            cr_assert_geq(r, 8);
            cr_assert_eq(rec.content, buf + 8);
            cr_assert(rec.content + rec.content_len <= buf + len, "iter %d: content overruns", iter);
            cr_assert_leq((size_t)8 + rec.content_len + buf[6], (size_t)r);
            bounds_t b = {rec.content, rec.content + rec.content_len, false};
            if (fcgi_nv_parse(rec.content, rec.content_len, check_bounds, &b)) nv_ok++;
            cr_assert_not(b.out_of_bounds, "iter %d: nv pair outside record content", iter);
        } else if (r == 0) {
            need_more++;
            if (len) cr_assert_eq(buf[0], FCGI_VERSION_1, "iter %d: NEED_MORE on a wrong version", iter);
        } else {
            errors++;
            cr_assert_neq(buf[0], FCGI_VERSION_1, "iter %d: ERROR on version 1", iter);
        }
        /* Name-value parsing over the raw buffer too. */
        bounds_t b = {buf, buf + len, false};
        fcgi_nv_parse(buf, len, check_bounds, &b);
        cr_assert_not(b.out_of_bounds, "iter %d: nv pair outside buffer", iter);
        free(buf);
    }
    /* The generator exercised every outcome. */
    cr_assert_gt(complete, 100);
    cr_assert_gt(need_more, 100);
    cr_assert_gt(errors, 100);
    cr_assert_gt(nv_ok, 10);
}

/* Round-trip fuzz: random pairs encoded by fcgi_nv_append parse back identically. */
Test(fcgi_proto, fuzz_nv_roundtrip) {
    rng_state = 12345;
    for (int iter = 0; iter < 2000; iter++) {
        arena_reset(A);
        strbuf_t sb;
        strbuf_init_arena(&sb, A, 0);
        int npairs = (int)(rng() % 6);
        size_t nl[6], vl[6];
        char *nm[6], *vv[6];
        for (int i = 0; i < npairs; i++) {
            nl[i] = (size_t)(rng() % 3 == 0 ? rng() % 400 : rng() % 130);
            vl[i] = (size_t)(rng() % 3 == 0 ? rng() % 1000 : rng() % 130);
            nm[i] = arena_alloc(A, nl[i] + 1);
            vv[i] = arena_alloc(A, vl[i] + 1);
            for (size_t k = 0; k < nl[i]; k++) nm[i][k] = (char)rng();
            for (size_t k = 0; k < vl[i]; k++) vv[i][k] = (char)rng();
            fcgi_nv_append(&sb, nm[i], nl[i], vv[i], vl[i]);
        }
        nv_seen_t s = {0};
        cr_assert(fcgi_nv_parse((const uint8_t *)sb.data, sb.len, collect, &s), "iter %d", iter);
        cr_assert_eq(s.n, npairs);
        for (int i = 0; i < npairs; i++) {
            cr_assert_eq(s.nlens[i], nl[i]);
            cr_assert_eq(s.vlens[i], vl[i]);
            cr_assert_eq(memcmp(s.names[i], nm[i], nl[i]), 0);
            cr_assert_eq(memcmp(s.vals[i], vv[i], vl[i]), 0);
        }
        /* Any strict prefix that cuts a pair is rejected (never over-reads). */
        if (sb.len) {
            size_t cut = (size_t)(rng() % sb.len);
            uint8_t *pre = malloc(cut ? cut : 1);
            memcpy(pre, sb.data, cut);
            bounds_t b = {pre, pre + cut, false};
            fcgi_nv_parse(pre, cut, check_bounds, &b);
            cr_assert_not(b.out_of_bounds);
            free(pre);
        }
    }
}
