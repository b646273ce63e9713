/* Hashids encoder/decoder; see hashids.h. All strings are NUL-terminated
 * ASCII held in fixed buffers of the hashids_t or in the caller's arena. */
#include "lib/hashids.h"

#include <string.h>

#define SEPARATORS "cfhistuCFHISTU"

/* Deterministic shuffle of s (length n) driven by salt (consistent shuffle). */
static void reorder(char *s, size_t n, const char *salt, size_t salt_len) {
    if (!salt_len || n < 2) return;
    size_t idx = 0, sum = 0;
    for (size_t i = n - 1; i > 0; i--, idx++) {
        idx %= salt_len;
        size_t v = (unsigned char)salt[idx];
        sum += v;
        size_t j = (v + idx + sum) % i;
        char t = s[i];
        s[i] = s[j];
        s[j] = t;
    }
}

/* ceil(a / b) for the separator and guard ratios (3.5 is passed as 7/2). */
static size_t ceil_ratio(size_t a, size_t num, size_t den) { return (a * den + num - 1) / num; }

bool hashids_init(hashids_t *h, const char *salt, size_t min_length, const char *alphabet) {
    memset(h, 0, sizeof *h);
    if (!salt) salt = "";
    if (!alphabet) alphabet = HASHIDS_DEFAULT_ALPHABET;
    size_t salt_len = strlen(salt);
    if (salt_len > HASHIDS_MAX_SALT) return false;
    memcpy(h->salt, salt, salt_len);
    h->min_length = min_length;

    /* separators: the default ones present in the alphabet, in their order */
    size_t ns = 0, na = 0;
    for (const char *p = SEPARATORS; *p; p++)
        if (strchr(alphabet, *p)) h->separators[ns++] = *p;
    /* alphabet: unique characters that are not separators */
    char *alpha = h->alphabet;
    for (const char *p = alphabet; *p; p++) {
        if (strchr(h->separators, *p) || memchr(alpha, *p, na)) continue;
        if (na >= HASHIDS_MAX_ALPHABET) return false;
        alpha[na++] = *p;
    }
    if (na + ns < 16) return false;

    reorder(h->separators, ns, salt, salt_len);
    size_t min_seps = ceil_ratio(na, 7, 2); /* ratio 3.5 */
    if (ns < min_seps) {
        if (min_seps == 1) min_seps = 2;
        size_t take = min_seps - ns;
        if (take > na) take = na;
        memcpy(h->separators + ns, alpha, take);
        ns += take;
        memmove(alpha, alpha + take, na - take);
        na -= take;
        alpha[na] = '\0';
    }
    reorder(alpha, na, salt, salt_len);

    size_t ng = ceil_ratio(na, 12, 1);
    if (na < 3) {
        if (ng > ns) ng = ns;
        memcpy(h->guards, h->separators, ng);
        memmove(h->separators, h->separators + ng, ns - ng + 1);
    } else {
        memcpy(h->guards, alpha, ng);
        memmove(alpha, alpha + ng, na - ng + 1);
    }
    return true;
}

/* alphabet_salt = (lottery + salt + alphabet)[:len(alphabet)], then reorder. */
static void step_alphabet(char *alpha, size_t na, char lottery, const char *salt) {
    char key[HASHIDS_MAX_ALPHABET + 1];
    size_t k = 0, sl = strlen(salt);
    key[k++] = lottery;
    for (size_t i = 0; i < sl && k < na; i++) key[k++] = salt[i];
    for (size_t i = 0; i < na && k < na; i++) key[k++] = alpha[i];
    reorder(alpha, na, key, k < na ? k : na);
}

/* Appends number written in base len(alpha) with alpha's digits; returns
 * the first digit written. */
static char put_number(char *out, size_t *len, uint64_t v, const char *alpha, size_t na) {
    char tmp[72];
    size_t n = 0;
    do {
        tmp[n++] = alpha[v % na];
        v /= na;
    } while (v);
    for (size_t i = 0; i < n; i++) out[(*len)++] = tmp[n - 1 - i];
    return tmp[n - 1];
}

char *hashids_encode(const hashids_t *h, arena_t *a, const uint64_t *values, size_t n) {
    if (!n) return arena_strdup(a, "");
    char alpha[HASHIDS_MAX_ALPHABET + 1];
    strcpy(alpha, h->alphabet);
    size_t na = strlen(alpha), ns = strlen(h->separators), ng = strlen(h->guards);
    uint64_t values_hash = 0;
    for (size_t i = 0; i < n; i++) values_hash += values[i] % (i + 100);

    size_t cap = n * 72 + 2 * h->min_length + 8;
    char *enc = arena_alloc(a, cap);
    size_t len = 0;
    char lottery = alpha[values_hash % na];
    enc[len++] = lottery;
    for (size_t i = 0; i < n; i++) {
        step_alphabet(alpha, na, lottery, h->salt);
        char first = put_number(enc, &len, values[i], alpha, na);
        uint64_t v = values[i] % ((uint64_t)(unsigned char)first + i);
        enc[len++] = h->separators[v % ns];
    }
    len--; /* the last separator */
    enc[len] = '\0';
    if (len >= h->min_length) return enc;

    /* guards, then halves of the reshuffled alphabet around the id */
    memmove(enc + 1, enc, len + 1);
    enc[0] = h->guards[(values_hash + (unsigned char)enc[1]) % ng];
    len++;
    if (len < h->min_length) {
        enc[len++] = h->guards[(values_hash + (unsigned char)enc[2]) % ng];
        enc[len] = '\0';
    }
    size_t half = na / 2;
    char *buf = arena_alloc(a, cap + na);
    while (len < h->min_length) {
        char key[HASHIDS_MAX_ALPHABET + 1];
        memcpy(key, alpha, na + 1);
        reorder(alpha, na, key, na);
        size_t m = 0;
        memcpy(buf, alpha + half, na - half);
        m += na - half;
        memcpy(buf + m, enc, len);
        m += len;
        memcpy(buf + m, alpha, half);
        m += half;
        size_t from = 0;
        if (m > h->min_length) {
            from = (m - h->min_length) / 2;
            m = h->min_length;
        }
        memcpy(enc, buf + from, m);
        len = m;
        enc[len] = '\0';
    }
    return enc;
}

size_t hashids_decode(const hashids_t *h, arena_t *a, const char *id, uint64_t *out, size_t cap) {
    if (!id || !*id || !cap) return 0;
    size_t idlen = strlen(id);
    /* split on guards: the middle part when there are 2 or 3 parts */
    const char *start = id, *end = id + idlen;
    size_t parts = 1;
    const char *g1 = NULL, *g2 = NULL;
    for (const char *p = id; *p; p++)
        if (strchr(h->guards, *p)) {
            parts++;
            if (!g1) g1 = p;
            else if (!g2) g2 = p;
        }
    if (parts == 2 || parts == 3) {
        start = g1 + 1;
        end = g2 ? g2 : id + idlen;
    } else if (parts > 3) {
        end = g1;
    }
    if (start >= end) return 0;

    char alpha[HASHIDS_MAX_ALPHABET + 1];
    strcpy(alpha, h->alphabet);
    size_t na = strlen(alpha), count = 0;
    char lottery = *start++;
    const char *p = start;
    for (;;) {
        const char *q = p;
        while (q < end && !strchr(h->separators, *q)) q++;
        if (count == cap) return 0;
        step_alphabet(alpha, na, lottery, h->salt);
        uint64_t v = 0;
        for (const char *c = p; c < q; c++) {
            const char *pos = memchr(alpha, *c, na);
            if (!pos) return 0;
            if (v > (UINT64_MAX - (uint64_t)(pos - alpha)) / na) return 0;
            v = v * na + (uint64_t)(pos - alpha);
        }
        out[count++] = v;
        if (q >= end) break;
        p = q + 1;
    }
    char *again = hashids_encode(h, a, out, count);
    return strcmp(again, id) == 0 ? count : 0;
}
