/* Flask session cookie, Flask-Login identifier and remember cookie,
 * Flask-WTF CSRF tokens; see session_codec.h. */
#include "lib/session_codec.h"

#include <string.h>

#include "lib/crypto.h"
#include "lib/json.h"
#include "lib/strbuf.h"

#define SESSION_SALT "cookie-session"
#define CSRF_SALT "wtf-csrf-token"

/* ---- session cookie ---------------------------------------------------- */

json_t *session_cookie_decode(arena_t *a, const char *secret, const char *cookie, int64_t now, int64_t max_age) {
    if (!secret || !cookie || !*cookie) return NULL;
    signer_t s;
    signer_init(&s, SIGNER_KDF_HMAC, secret, strlen(secret), SESSION_SALT);
    char *json = NULL;
    size_t json_len = 0;
    if (signer_loads(a, &s, cookie, strlen(cookie), now, max_age, &json, &json_len) != SIGNER_OK) return NULL;
    json_t *obj = json_parse(json, json_len, 0, NULL, 0);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

char *session_cookie_encode(arena_t *a, const char *secret, const json_t *session, int64_t now) {
    if (!secret || !session) return NULL;
    size_t len = 0;
    char *json = json_dump_arena(a, session, JSON_PY_SESSION, &len);
    if (!json) return NULL;
    signer_t s;
    signer_init(&s, SIGNER_KDF_HMAC, secret, strlen(secret), SESSION_SALT);
    return signer_dumps(a, &s, json, len, now);
}

/* ---- Flask-Login identifier ------------------------------------------- */

/* Header text as Python sees it: WSGI decodes header bytes as Latin-1, and
 * Flask-Login encodes the str as UTF-8, so every byte >= 0x80 becomes two. */
static void append_latin1_as_utf8(strbuf_t *sb, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            strbuf_putc(sb, (char)c);
            continue;
        }
        strbuf_putc(sb, (char)(0xc0 | (c >> 6)));
        strbuf_putc(sb, (char)(0x80 | (c & 0x3f)));
    }
}

/* Python repr() of a bytes object. */
static void append_bytes_repr(strbuf_t *sb, const unsigned char *p, size_t n) {
    int has_single = memchr(p, '\'', n) != NULL;
    int has_double = memchr(p, '"', n) != NULL;
    char quote = has_single && !has_double ? '"' : '\'';
    strbuf_putc(sb, 'b');
    strbuf_putc(sb, quote);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == (unsigned char)quote || c == '\\') {
            strbuf_putc(sb, '\\');
            strbuf_putc(sb, (char)c);
        } else if (c == '\t') {
            strbuf_puts(sb, "\\t");
        } else if (c == '\n') {
            strbuf_puts(sb, "\\n");
        } else if (c == '\r') {
            strbuf_puts(sb, "\\r");
        } else if (c < 0x20 || c >= 0x7f) {
            strbuf_printf(sb, "\\x%02x", c);
        } else {
            strbuf_putc(sb, (char)c);
        }
    }
    strbuf_putc(sb, quote);
}

static int is_py_bytes_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* repr of a header value (Latin-1 → UTF-8 first), or None for NULL. */
static void append_header_repr(arena_t *a, strbuf_t *sb, const char *value, size_t n) {
    if (!value) {
        strbuf_puts(sb, "None");
        return;
    }
    strbuf_t utf8;
    strbuf_init_arena(&utf8, a, n * 2 + 1);
    append_latin1_as_utf8(&utf8, value, n);
    append_bytes_repr(sb, (const unsigned char *)utf8.data, utf8.len);
}

char *login_identifier_preimage(arena_t *a, const char *remote_addr, const char *x_forwarded_for,
                                const char *user_agent) {
    const char *addr = x_forwarded_for ? x_forwarded_for : remote_addr;
    size_t addr_len = 0;
    if (addr) {
        /* first comma-separated element, ASCII whitespace stripped */
        const char *comma = strchr(addr, ',');
        addr_len = comma ? (size_t)(comma - addr) : strlen(addr);
        while (addr_len > 0 && is_py_bytes_space(addr[0])) {
            addr++;
            addr_len--;
        }
        while (addr_len > 0 && is_py_bytes_space(addr[addr_len - 1])) addr_len--;
    }
    strbuf_t sb;
    strbuf_init_arena(&sb, a, 256);
    append_header_repr(a, &sb, addr, addr_len);
    strbuf_putc(&sb, '|');
    append_header_repr(a, &sb, user_agent, user_agent ? strlen(user_agent) : 0);
    return sb.data;
}

char *login_identifier(arena_t *a, const char *remote_addr, const char *x_forwarded_for, const char *user_agent) {
    const char *pre = login_identifier_preimage(a, remote_addr, x_forwarded_for, user_agent);
    unsigned char d[CRYPTO_SHA512_LEN];
    crypto_sha512(pre, strlen(pre), d);
    return crypto_hex_arena(a, d, sizeof d);
}

/* ---- remember cookie --------------------------------------------------- */

/* Flask-Login encodes the SECRET_KEY str as Latin-1: decode our UTF-8 text
 * into code points, each of which must fit one byte. NULL when Python would
 * raise (code point > 0xFF) or the text is not valid UTF-8. */
static unsigned char *secret_as_latin1(arena_t *a, const char *secret, size_t *out_len) {
    size_t n = strlen(secret);
    unsigned char *out = arena_alloc(a, n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)secret[i];
        if (c < 0x80) {
            out[len++] = c;
            continue;
        }
        /* only U+0080..U+00FF (lead byte 0xC2 or 0xC3) map to Latin-1 */
        unsigned char next = (unsigned char)secret[i + 1];
        if ((c != 0xc2 && c != 0xc3) || (next & 0xc0) != 0x80) return NULL;
        out[len++] = (unsigned char)(((c & 0x03) << 6) | (next & 0x3f));
        i++;
    }
    *out_len = len;
    return out;
}

/* hex HMAC-SHA512(latin1(secret), utf8(latin1-decoded payload)); NULL if the
 * secret cannot be encoded. */
static char *remember_digest(arena_t *a, const char *secret, const char *payload, size_t payload_len,
                             int payload_is_header) {
    size_t key_len = 0;
    unsigned char *key = secret_as_latin1(a, secret, &key_len);
    if (!key) return NULL;
    strbuf_t msg;
    strbuf_init_arena(&msg, a, payload_len * 2 + 1);
    if (payload_is_header)
        append_latin1_as_utf8(&msg, payload, payload_len);
    else
        strbuf_append(&msg, payload, payload_len);
    unsigned char mac[CRYPTO_SHA512_LEN];
    crypto_hmac_sha512(key, key_len, msg.data, msg.len, mac);
    return crypto_hex_arena(a, mac, sizeof mac);
}

char *remember_cookie_verify(arena_t *a, const char *secret, const char *value) {
    if (!secret || !value) return NULL;
    const char *bar = strrchr(value, '|');
    if (!bar) return NULL;
    size_t payload_len = (size_t)(bar - value);
    char *want = remember_digest(a, secret, value, payload_len, 1);
    if (!want) return NULL;
    if (!crypto_equal_len(want, strlen(want), bar + 1, strlen(bar + 1))) return NULL;
    return arena_strndup(a, value, payload_len);
}

char *remember_cookie_encode(arena_t *a, const char *secret, const char *user_id) {
    if (!secret || !user_id) return NULL;
    char *digest = remember_digest(a, secret, user_id, strlen(user_id), 0);
    if (!digest) return NULL;
    return arena_sprintf(a, "%s|%s", user_id, digest);
}

/* ---- CSRF -------------------------------------------------------------- */

static void csrf_signer(signer_t *s, const char *secret) {
    signer_init(s, SIGNER_KDF_DJANGO_CONCAT, secret, strlen(secret), CSRF_SALT);
}

char *csrf_sign(arena_t *a, const char *secret, const char *raw_token, int64_t now) {
    if (!secret || !raw_token) return NULL;
    json_t *str = json_string(raw_token);
    if (!str) return NULL; /* not UTF-8 */
    size_t len = 0;
    char *json = json_dump_arena(a, str, JSON_PY_COMPACT, &len);
    json_decref(str);
    if (!json) return NULL;
    signer_t s;
    csrf_signer(&s, secret);
    return signer_dumps(a, &s, json, len, now);
}

const char *csrf_validate(arena_t *a, const char *secret, const char *signed_token, const char *session_raw_token,
                          int64_t now, int64_t time_limit) {
    if (!signed_token || !*signed_token) return "The CSRF token is missing.";
    if (!session_raw_token || !*session_raw_token) return "The CSRF session token is missing.";
    if (!secret) return "The CSRF token is invalid.";

    signer_t s;
    csrf_signer(&s, secret);
    char *json = NULL;
    size_t json_len = 0;
    signer_status_t st = signer_loads(a, &s, signed_token, strlen(signed_token), now, time_limit, &json, &json_len);
    if (st == SIGNER_EXPIRED || st == SIGNER_FUTURE) return "The CSRF token has expired.";
    if (st != SIGNER_OK) return "The CSRF token is invalid.";

    json_t *token = json_parse_arena(a, json, json_len, JSON_DECODE_ANY, NULL);
    if (!json_is_string(token)) return "The CSRF token is invalid.";
    if (!crypto_equal_len(json_string_value(token), json_string_length(token), session_raw_token,
                          strlen(session_raw_token)))
        return "The CSRF tokens do not match.";
    return NULL;
}

char *csrf_new_raw_token(arena_t *a) {
    unsigned char rnd[64];
    unsigned char d[CRYPTO_SHA1_LEN];
    crypto_random_bytes(rnd, sizeof rnd);
    crypto_sha1(rnd, sizeof rnd, d);
    return crypto_hex_arena(a, d, sizeof d);
}
