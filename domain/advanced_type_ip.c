/* ipaddress.ip_network(text, strict=False); see advanced_type_ip.h. */
#include "domain/advanced_type_ip.h"

#include <stdint.h>
#include <string.h>

#define V4_BITS 32
#define V6_BITS 128
#define V6_HEXTETS 8
#define INT_MAX_STR_DIGITS 4300 /* Python 3.11's limit for int(str) */
#define V6_MAX_PARTS 9 /* eight hextets and the extra empty part of a leading or trailing "::" */

typedef struct span {
    const char *p;
    size_t n;
} span_t;

static bool all_ascii_digits(span_t s) {
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return false;
    return s.n > 0;
}

/* One IPv4 octet: 1-3 ASCII digits, no leading zero, at most 255. */
static bool v4_octet(span_t s, unsigned *out) {
    if (!all_ascii_digits(s) || s.n > 3 || (s.n > 1 && s.p[0] == '0')) return false;
    unsigned v = 0;
    for (size_t i = 0; i < s.n; i++) v = v * 10 + (unsigned)(s.p[i] - '0');
    *out = v;
    return v <= 255;
}

/* A dotted-quad IPv4 address (no '/'). */
static bool v4_address(span_t s, uint32_t *out) {
    if (s.n == 0 || memchr(s.p, '/', s.n)) return false;
    uint32_t v = 0;
    size_t start = 0, parts = 0;
    for (size_t i = 0; i <= s.n; i++) {
        if (i < s.n && s.p[i] != '.') continue;
        unsigned octet;
        if (++parts > 4 || !v4_octet((span_t){s.p + start, i - start}, &octet)) return false;
        v = (v << 8) | octet;
        start = i + 1;
    }
    if (parts != 4) return false;
    *out = v;
    return true;
}

/* A prefix length written as ASCII digits (leading zeros allowed), 0..max;
 * int() refuses texts of more than INT_MAX_STR_DIGITS digits. */
static bool prefix_digits(span_t s, int max, int *out) {
    if (!all_ascii_digits(s) || s.n > INT_MAX_STR_DIGITS) return false;
    int v = 0;
    for (size_t i = 0; i < s.n; i++) {
        v = v * 10 + (s.p[i] - '0');
        if (v > max) return false;
    }
    *out = v;
    return true;
}

/* Prefix length of a mask made of ones then zeros, or -1. */
static int prefix_of_mask(uint32_t m) {
    int zeros = 0;
    while (zeros < V4_BITS && !(m & (1u << zeros))) zeros++;
    int prefix = V4_BITS - zeros;
    uint64_t ones = prefix ? ((uint64_t)1 << prefix) - 1 : 0;
    return (zeros == V4_BITS ? 0 : (uint64_t)(m >> zeros)) == ones ? prefix : -1;
}

/* IPv4 netmask part: a prefix length, else a netmask, else a hostmask. */
static bool v4_mask(span_t s, int *prefix) {
    if (prefix_digits(s, V4_BITS, prefix)) return true;
    uint32_t m;
    if (!v4_address(s, &m)) return false;
    if ((*prefix = prefix_of_mask(m)) >= 0) return true;
    return (*prefix = prefix_of_mask(~m)) >= 0;
}

static bool hextet(span_t s, unsigned *out) {
    if (s.n == 0 || s.n > 4) return false;
    unsigned v = 0;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return false;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return true;
}

/* Colon-separated parts of an IPv6 address, the IPv4 tail already turned
 * into two hextets (kept as text in tail[]). */
typedef struct v6_parts {
    span_t part[V6_MAX_PARTS + 2];
    size_t n;
    char tail[2][5];
} v6_parts_t;

static bool v6_split(span_t s, v6_parts_t *ps) {
    ps->n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= s.n; i++) {
        if (i < s.n && s.p[i] != ':') continue;
        if (ps->n == V6_MAX_PARTS + 1) return false; /* too many colons whatever the tail */
        ps->part[ps->n++] = (span_t){s.p + start, i - start};
        start = i + 1;
    }
    if (ps->n < 3) return false;
    span_t last = ps->part[ps->n - 1];
    if (!memchr(last.p, '.', last.n)) return true;
    uint32_t v4;
    if (!v4_address(last, &v4)) return false;
    static const char hex[] = "0123456789abcdef";
    for (int h = 0; h < 2; h++) {
        unsigned word = h ? (unsigned)(v4 & 0xFFFFu) : (unsigned)(v4 >> 16);
        char *t = ps->tail[h];
        size_t k = 0;
        for (int shift = 12; shift >= 0; shift -= 4)
            if (k || (word >> shift) & 0xF || shift == 0) t[k++] = hex[(word >> shift) & 0xF];
        t[k] = '\0';
    }
    ps->part[ps->n - 1] = (span_t){ps->tail[0], strlen(ps->tail[0])};
    ps->part[ps->n++] = (span_t){ps->tail[1], strlen(ps->tail[1])};
    return true;
}

static bool v6_address_plain(span_t s, adt_u128 *out) {
    v6_parts_t ps;
    if (s.n == 0 || !v6_split(s, &ps) || ps.n > V6_MAX_PARTS) return false;
    size_t skip = 0;
    bool has_skip = false;
    for (size_t i = 1; i + 1 < ps.n; i++) {
        if (ps.part[i].n) continue;
        if (has_skip) return false;
        has_skip = true;
        skip = i;
    }
    size_t hi, lo, skipped;
    if (has_skip) {
        hi = skip;
        lo = ps.n - skip - 1;
        if (!ps.part[0].n && --hi) return false;
        if (!ps.part[ps.n - 1].n && --lo) return false;
        if (hi + lo >= V6_HEXTETS) return false;
        skipped = V6_HEXTETS - (hi + lo);
    } else {
        if (ps.n != V6_HEXTETS || !ps.part[0].n || !ps.part[ps.n - 1].n) return false;
        hi = ps.n;
        lo = 0;
        skipped = 0;
    }
    adt_u128 v = 0;
    unsigned h;
    for (size_t i = 0; i < hi; i++) {
        if (!hextet(ps.part[i], &h)) return false;
        v = (v << 16) | h;
    }
    for (size_t k = 0; k < skipped; k++) v <<= 16;
    for (size_t i = ps.n - lo; i < ps.n; i++) {
        if (!hextet(ps.part[i], &h)) return false;
        v = (v << 16) | h;
    }
    *out = v;
    return true;
}

/* An IPv6 address with an optional non-empty "%scope" (no second '%'). */
static bool v6_address(span_t s, adt_u128 *out) {
    if (memchr(s.p, '/', s.n)) return false;
    const char *pct = memchr(s.p, '%', s.n);
    if (pct) {
        span_t scope = {pct + 1, (size_t)(s.p + s.n - pct - 1)};
        if (scope.n == 0 || memchr(scope.p, '%', scope.n)) return false;
        s.n = (size_t)(pct - s.p);
    }
    return v6_address_plain(s, out);
}

/* "addr" or "addr/mask"; more than one '/' is refused. */
static bool split_mask(span_t s, span_t *addr, span_t *mask, bool *has_mask) {
    const char *slash = memchr(s.p, '/', s.n);
    *addr = s;
    *has_mask = slash != NULL;
    if (!slash) return true;
    addr->n = (size_t)(slash - s.p);
    *mask = (span_t){slash + 1, (size_t)(s.p + s.n - slash - 1)};
    return memchr(mask->p, '/', mask->n) == NULL;
}

static bool v4_network(span_t s, adt_u128 *first, adt_u128 *last) {
    span_t addr, mask;
    bool has_mask;
    uint32_t a;
    int prefix = V4_BITS;
    if (!split_mask(s, &addr, &mask, &has_mask) || !v4_address(addr, &a)) return false;
    if (has_mask && !v4_mask(mask, &prefix)) return false;
    uint32_t hostmask = prefix == 0 ? 0xFFFFFFFFu : prefix == V4_BITS ? 0 : (1u << (V4_BITS - prefix)) - 1;
    *first = a & ~hostmask;
    *last = (a & ~hostmask) | hostmask;
    return true;
}

static bool v6_network(span_t s, adt_u128 *first, adt_u128 *last) {
    span_t addr, mask;
    bool has_mask;
    adt_u128 a;
    int prefix = V6_BITS;
    if (!split_mask(s, &addr, &mask, &has_mask) || !v6_address(addr, &a)) return false;
    if (has_mask && !prefix_digits(mask, V6_BITS, &prefix)) return false;
    adt_u128 hostmask = prefix == 0 ? ~(adt_u128)0 : prefix == V6_BITS ? 0 : ((adt_u128)1 << (V6_BITS - prefix)) - 1;
    *first = a & ~hostmask;
    *last = (a & ~hostmask) | hostmask;
    return true;
}

bool adt_ip_network(const char *s, size_t n, adt_u128 *first, adt_u128 *last) {
    span_t text = {s, n};
    return v4_network(text, first, last) || v6_network(text, first, last);
}

size_t adt_u128_format(adt_u128 v, char *buf) {
    char tmp[40];
    size_t k = 0;
    do {
        tmp[k++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (size_t i = 0; i < k; i++) buf[i] = tmp[k - 1 - i];
    buf[k] = '\0';
    return k;
}
