/* HS256/384/512 JSON Web Tokens with PyJWT 2.10.1 decode semantics; see jwt.h.
 *
 * Decode order (PyJWT api_jws._load, _verify_signature, api_jwt
 * _decode_payload, _validate_claims): segments, header base64, header JSON,
 * payload base64, signature base64, b64 header, [flask-jwt-extended: payload
 * JSON, kid], alg, signature, payload JSON, required exp, iat, nbf, exp, aud,
 * sub, jti. */
#include "lib/jwt.h"

#include <math.h>
#include <string.h>

#include "lib/b64.h"
#include "lib/crypto.h"
#include "lib/json.h"
#include "lib/signer.h"
#include "lib/strbuf.h"

static crypto_hash_t hmac_hash(const char *alg) {
    if (!alg) return CRYPTO_HASH_INVALID;
    if (strcmp(alg, "HS256") == 0) return CRYPTO_SHA256;
    if (strcmp(alg, "HS384") == 0) return CRYPTO_SHA384;
    if (strcmp(alg, "HS512") == 0) return CRYPTO_SHA512;
    return CRYPTO_HASH_INVALID;
}

char *jwt_encode(arena_t *a, const char *alg, const void *key, size_t key_len, const char *payload_json) {
    crypto_hash_t h = hmac_hash(alg);
    if (h == CRYPTO_HASH_INVALID || !payload_json) return NULL;
    const char *header = arena_sprintf(a, "{\"alg\":\"%s\",\"typ\":\"JWT\"}", alg);
    strbuf_t sb;
    strbuf_init_arena(&sb, a, strlen(payload_json) * 4 / 3 + 128);
    strbuf_puts(&sb, b64_encode_arena(a, B64_URL_NOPAD, header, strlen(header), NULL));
    strbuf_putc(&sb, '.');
    char *payload = b64_encode_arena(a, B64_URL_NOPAD, payload_json, strlen(payload_json), NULL);
    if (!payload) return NULL;
    strbuf_puts(&sb, payload);
    unsigned char mac[CRYPTO_MAX_DIGEST];
    size_t mac_len = crypto_hmac(h, key, key_len, sb.data, sb.len, mac);
    strbuf_putc(&sb, '.');
    strbuf_puts(&sb, b64_encode_arena(a, B64_URL_NOPAD, mac, mac_len, NULL));
    return sb.data;
}

/* ---- token structure (api_jws._load) ----------------------------------- */

typedef struct jwt_parts {
    const char *signing_input;
    size_t signing_len;
    json_t *header; /* arena-owned */
    const unsigned char *payload;
    size_t payload_len;
    const unsigned char *sig;
    size_t sig_len;
} jwt_parts_t;

/* JSON object from header/payload bytes (arena-owned) into *out, or PyJWT's
 * "Invalid <what> string: ..." (the text after the colon is jansson's, not
 * Python's, except for "must be a json object"). */
static const char *parse_object(arena_t *a, const char *what, const unsigned char *text, size_t len, json_t **out) {
    const char *err = NULL;
    json_t *j = json_parse_arena(a, (const char *)text, len, JSON_DECODE_ANY, &err);
    if (!j) return arena_sprintf(a, "Invalid %s string: %s", what, err);
    if (!json_is_object(j)) return arena_sprintf(a, "Invalid %s string: must be a json object", what);
    *out = j;
    return NULL;
}

static const char *load_parts(arena_t *a, const char *token, jwt_parts_t *p) {
    size_t len = strlen(token);
    const char *last = memrchr(token, '.', len);
    const char *first = last ? memchr(token, '.', (size_t)(last - token)) : NULL;
    if (!first) return "Not enough segments";
    p->signing_input = token;
    p->signing_len = (size_t)(last - token);

    size_t header_len = 0;
    unsigned char *header = signer_b64_decode_arena(a, token, (size_t)(first - token), &header_len);
    if (!header) return "Invalid header padding";
    const char *err = parse_object(a, "header", header, header_len, &p->header);
    if (err) return err;

    p->payload = signer_b64_decode_arena(a, first + 1, (size_t)(last - first - 1), &p->payload_len);
    if (!p->payload) return "Invalid payload padding";
    p->sig = signer_b64_decode_arena(a, last + 1, len - (size_t)(last - token) - 1, &p->sig_len);
    if (!p->sig) return "Invalid crypto padding";
    return NULL;
}

/* flask-jwt-extended's unverified pass: jwt.decode(verify_signature=False)
 * then get_unverified_header. */
static const char *fjwt_precheck(arena_t *a, const jwt_parts_t *p) {
    json_t *payload = NULL;
    const char *err = parse_object(a, "payload", p->payload, p->payload_len, &payload);
    if (err) return err;
    json_t *kid = json_object_get(p->header, "kid");
    if (kid && !json_is_string(kid)) return "Key ID header parameter must be a string";
    return NULL;
}

/* api_jws.decode_complete refuses an unencoded payload before anything else. */
static const char *check_b64_header(const jwt_parts_t *p) {
    if (json_is_false(json_object_get(p->header, "b64")))
        return "It is required that you pass in a value for the \"detached_payload\" argument to decode a "
               "message having the b64 header set to false.";
    return NULL;
}

static const char *verify_signature(const jwt_parts_t *p, const jwt_verify_opts_t *o) {
    json_t *alg = json_object_get(p->header, "alg");
    if (!alg) return "Algorithm not specified";
    if (!json_is_string(alg) || strcmp(json_string_value(alg), o->alg) != 0)
        return "The specified alg value is not allowed";
    crypto_hash_t h = hmac_hash(o->alg);
    if (h == CRYPTO_HASH_INVALID) return "Algorithm not supported";
    unsigned char mac[CRYPTO_MAX_DIGEST];
    size_t mac_len = crypto_hmac(h, o->key, o->key_len, p->signing_input, p->signing_len, mac);
    if (!crypto_equal_len(p->sig, p->sig_len, mac, mac_len)) return "Signature verification failed";
    return NULL;
}

/* ---- claims (api_jwt._validate_claims) --------------------------------- */

/* Python int(text), base 10: surrounding whitespace, sign, digits with
 * single '_' between them; saturating. Returns 0 or -1 (ValueError). */
static int py_int_parse(const char *s, size_t n, int64_t *out) {
    const char *end = s + n;
    while (s < end && (*s == ' ' || (*s >= '\t' && *s <= '\r') || (*s >= 0x1c && *s <= 0x1f))) s++;
    while (end > s && (end[-1] == ' ' || (end[-1] >= '\t' && end[-1] <= '\r') || (end[-1] >= 0x1c && end[-1] <= 0x1f)))
        end--;
    int neg = 0;
    if (s < end && (*s == '+' || *s == '-')) neg = *s++ == '-';
    if (s == end || *s < '0' || *s > '9') return -1;
    uint64_t v = 0;
    for (; s < end; s++) {
        if (*s == '_' && s + 1 < end && s[1] >= '0' && s[1] <= '9') continue;
        if (*s < '0' || *s > '9') return -1;
        if (v <= (uint64_t)INT64_MAX) v = v * 10 + (uint64_t)(*s - '0');
    }
    if (v > (uint64_t)INT64_MAX) v = (uint64_t)INT64_MAX;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* int(value) for a time claim, saturated to int64. Returns -1 where Python
 * raises (ValueError, and also TypeError/OverflowError for null, arrays,
 * objects and infinities, which PyJWT would not catch). */
static int claim_int(const json_t *v, int64_t *out) {
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d)) return -1;
        if (d >= 9223372036854775808.0)
            *out = INT64_MAX;
        else if (d <= -9223372036854775808.0)
            *out = INT64_MIN;
        else
            *out = (int64_t)d; /* truncates toward zero like int() */
        return 0;
    }
    if (json_is_boolean(v)) {
        *out = json_is_true(v) ? 1 : 0;
        return 0;
    }
    if (json_is_string(v)) return py_int_parse(json_string_value(v), json_string_length(v), out);
    return -1;
}

/* Python truthiness of a JSON value. */
static int py_truthy(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT: return json_object_size(v) > 0;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_TRUE: return 1;
    default: return 0;
    }
}

static const char *validate_aud(const json_t *payload, const char *audience) {
    const json_t *aud = json_object_get(payload, "aud");
    int present = aud && py_truthy(aud);
    if (!audience) return present ? "Invalid audience" : NULL;
    if (!present) return "Token is missing the \"aud\" claim";
    if (json_is_string(aud)) return strcmp(json_string_value(aud), audience) == 0 ? NULL : "Audience doesn't match";
    if (!json_is_array(aud)) return "Invalid claim format in token";
    size_t i;
    const json_t *item;
    json_array_foreach(aud, i, item) {
        if (!json_is_string(item)) return "Invalid claim format in token";
    }
    json_array_foreach(aud, i, item) {
        if (strcmp(json_string_value(item), audience) == 0) return NULL;
    }
    return "Audience doesn't match";
}

static jwt_status_t validate_claims(const json_t *payload, const jwt_verify_opts_t *o, const char **msg) {
    int64_t t = 0;
    const json_t *exp = json_object_get(payload, "exp");
    const json_t *iat = json_object_get(payload, "iat");
    const json_t *nbf = json_object_get(payload, "nbf");
    *msg = NULL;
    if (o->require_exp && (!exp || json_is_null(exp)))
        *msg = "Token is missing the \"exp\" claim";
    else if (iat && claim_int(iat, &t) != 0)
        *msg = "Issued At claim (iat) must be an integer.";
    else if (iat && t > o->now)
        *msg = "The token is not yet valid (iat)";
    else if (nbf && claim_int(nbf, &t) != 0)
        *msg = "Not Before claim (nbf) must be an integer.";
    else if (nbf && t > o->now)
        *msg = "The token is not yet valid (nbf)";
    else if (exp && claim_int(exp, &t) != 0)
        *msg = "Expiration Time claim (exp) must be an integer.";
    else if (exp && t <= o->now) {
        *msg = "Signature has expired";
        return JWT_EXPIRED;
    }
    if (*msg) return JWT_INVALID;

    if (!(o->flask_jwt_extended && !o->audience)) *msg = validate_aud(payload, o->audience);
    if (*msg) return JWT_INVALID;

    const json_t *sub = json_object_get(payload, "sub");
    const json_t *jti = json_object_get(payload, "jti");
    if (sub && !json_is_string(sub))
        *msg = "Subject must be a string";
    else if (jti && !json_is_string(jti))
        *msg = "JWT ID must be a string";
    return *msg ? JWT_INVALID : JWT_OK;
}

/* ---- decode ------------------------------------------------------------ */

static jwt_status_t fail(const char **msg, const char *text) {
    *msg = text;
    return JWT_INVALID;
}

jwt_status_t jwt_decode(arena_t *a, const char *token, const jwt_verify_opts_t *opts, json_t **claims,
                        const char **msg) {
    *claims = NULL;
    *msg = NULL;
    if (!opts->alg)
        return fail(msg, "It is required that you pass in a value for the \"algorithms\" argument when calling "
                         "decode().");
    if (!token) return fail(msg, "Invalid token type. Token must be a <class 'bytes'>");

    jwt_parts_t p;
    const char *err = load_parts(a, token, &p);
    if (!err) err = check_b64_header(&p);
    if (!err && opts->flask_jwt_extended) err = fjwt_precheck(a, &p);
    if (!err) err = verify_signature(&p, opts);
    json_t *payload = NULL;
    if (!err) err = parse_object(a, "payload", p.payload, p.payload_len, &payload);
    if (err) return fail(msg, err);

    jwt_status_t st = validate_claims(payload, opts, msg);
    if (st != JWT_OK) return st;
    *claims = json_incref(payload); /* the arena keeps its own reference */
    return JWT_OK;
}
