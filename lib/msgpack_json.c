/* MessagePack <-> jansson on msgpack-c; see msgpack_json.h. */
#include "lib/msgpack_json.h"

#include <msgpack.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/b64.h"
#include "lib/crypto.h"

/* Flask's tag keys (flask/json/tag.py), in the order Flask tries them. */
static const char *const TAGS[] = {" di", " t", " b", " m", " u", " d"};
#define N_TAGS (sizeof TAGS / sizeof TAGS[0])

static bool is_tag(const char *key, size_t len) {
    for (size_t i = 0; i < N_TAGS; i++)
        if (strlen(TAGS[i]) == len && !memcmp(TAGS[i], key, len)) return true;
    return false;
}

/* The tag key of a one-key object whose key is a tag, else NULL. */
static const char *tag_of(json_t *v) {
    if (!json_is_object(v) || json_object_size(v) != 1) return NULL;
    const char *key = json_object_iter_key(json_object_iter(v));
    return is_tag(key, strlen(key)) ? key : NULL;
}

/* ---- encoding ---- */

typedef struct enc {
    msgpack_packer pk;
    arena_t *a;
    const char *err;
} enc_t;

static bool enc_fail(enc_t *e, const char *why) {
    e->err = why;
    return false;
}

static bool encode_value(enc_t *e, json_t *v, int depth);

static void encode_str(enc_t *e, const char *s, size_t n) { msgpack_pack_str_with_body(&e->pk, s, n); }

static bool encode_array(enc_t *e, json_t *arr, int depth) {
    if (depth >= MSGPACK_JSON_MAX_DEPTH) return enc_fail(e, "nested too deeply");
    msgpack_pack_array(&e->pk, json_array_size(arr));
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        if (!encode_value(e, item, depth + 1)) return false;
    }
    return true;
}

static bool encode_map(enc_t *e, json_t *obj, int depth) {
    if (depth >= MSGPACK_JSON_MAX_DEPTH) return enc_fail(e, "nested too deeply");
    msgpack_pack_map(&e->pk, json_object_size(obj));
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        encode_str(e, key, strlen(key));
        if (!encode_value(e, val, depth + 1)) return false;
    }
    return true;
}

/* {" di": {"<k>__": v}}: a one-key dict whose key is itself a tag key. */
static bool encode_tagged_dict(enc_t *e, json_t *inner, int depth) {
    if (!json_is_object(inner) || json_object_size(inner) != 1) return enc_fail(e, "bad \" di\" value");
    void *it = json_object_iter(inner);
    const char *key = json_object_iter_key(it);
    size_t n = strlen(key);
    if (n < 2 || strcmp(key + n - 2, "__")) return enc_fail(e, "bad \" di\" key");
    if (depth >= MSGPACK_JSON_MAX_DEPTH) return enc_fail(e, "nested too deeply");
    msgpack_pack_map(&e->pk, 1);
    encode_str(e, key, n - 2);
    return encode_value(e, json_object_iter_value(it), depth + 1);
}

static bool encode_bytes(enc_t *e, json_t *inner) {
    if (!json_is_string(inner)) return enc_fail(e, "bad \" b\" value");
    size_t n;
    unsigned char *raw = b64_decode_arena(e->a, B64_STD, json_string_value(inner), json_string_length(inner), &n);
    if (!raw) return enc_fail(e, "bad base64 in \" b\"");
    msgpack_pack_bin_with_body(&e->pk, raw, n);
    return true;
}

/* msgspec writes a UUID in its canonical 8-4-4-4-12 lower-case form. */
static bool encode_uuid(enc_t *e, json_t *inner) {
    unsigned char raw[16];
    const char *hex = json_is_string(inner) ? json_string_value(inner) : "";
    if (strlen(hex) != 32 || crypto_hex_decode(hex, 32, raw, sizeof raw) != 16) return enc_fail(e, "bad \" u\" value");
    char h[33], out[37];
    crypto_hex_encode(raw, sizeof raw, h);
    snprintf(out, sizeof out, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
    encode_str(e, out, 36);
    return true;
}

static bool encode_tagged(enc_t *e, const char *tag, json_t *inner, int depth) {
    if (!strcmp(tag, " t")) {
        if (!json_is_array(inner)) return enc_fail(e, "bad \" t\" value");
        return encode_array(e, inner, depth);
    }
    if (!strcmp(tag, " di")) return encode_tagged_dict(e, inner, depth);
    if (!strcmp(tag, " b")) return encode_bytes(e, inner);
    if (!strcmp(tag, " u")) return encode_uuid(e, inner);
    if (!strcmp(tag, " m")) {
        if (!json_is_string(inner)) return enc_fail(e, "bad \" m\" value");
        encode_str(e, json_string_value(inner), json_string_length(inner));
        return true;
    }
    return enc_fail(e, "datetime values are not supported");
}

static bool encode_value(enc_t *e, json_t *v, int depth) {
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *tag = tag_of(v);
        if (tag) return encode_tagged(e, tag, json_object_get(v, tag), depth);
        return encode_map(e, v, depth);
    }
    case JSON_ARRAY:
        return encode_array(e, v, depth);
    case JSON_STRING:
        encode_str(e, json_string_value(v), json_string_length(v));
        return true;
    case JSON_INTEGER:
        msgpack_pack_int64(&e->pk, (int64_t)json_integer_value(v));
        return true;
    case JSON_REAL:
        msgpack_pack_double(&e->pk, json_real_value(v));
        return true;
    case JSON_TRUE:
        msgpack_pack_true(&e->pk);
        return true;
    case JSON_FALSE:
        msgpack_pack_false(&e->pk);
        return true;
    case JSON_NULL:
        msgpack_pack_nil(&e->pk);
        return true;
    }
    return enc_fail(e, "unknown JSON type");
}

bool msgpack_json_encode(arena_t *a, const json_t *v, const char **out, size_t *out_len, const char **err) {
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    enc_t e = {.a = a};
    msgpack_packer_init(&e.pk, &sb, msgpack_sbuffer_write);
    bool ok = encode_value(&e, (json_t *)v, 0);
    if (ok) {
        *out = arena_memdup(a, sb.data ? sb.data : "", sb.size);
        *out_len = sb.size;
    } else if (err) {
        *err = e.err;
    }
    msgpack_sbuffer_destroy(&sb);
    return ok;
}

/* ---- decoding ---- */

static uint64_t read_be(const unsigned char *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

typedef enum { H_SKIP, H_BYTES, H_ARRAY, H_MAP, H_BAD } head_kind_t;

typedef struct head {
    head_kind_t kind;
    size_t field; /* bytes of the big-endian length/count after the marker */
    size_t extra; /* bytes to skip besides the length (ext type byte, scalars) */
    size_t count; /* inline count or length (fix types) */
} head_t;

/* What follows marker c, from the msgpack spec's format table. */
static head_t classify(unsigned c) {
    if (c <= 0x7f || c >= 0xe0) return (head_t){H_SKIP, 0, 0, 0};
    if (c <= 0x8f) return (head_t){H_MAP, 0, 0, c & 0x0f};
    if (c <= 0x9f) return (head_t){H_ARRAY, 0, 0, c & 0x0f};
    if (c <= 0xbf) return (head_t){H_SKIP, 0, c & 0x1f, 0};
    switch (c) {
    case 0xc0: case 0xc2: case 0xc3: return (head_t){H_SKIP, 0, 0, 0};
    case 0xc4: case 0xd9: return (head_t){H_BYTES, 1, 0, 0};
    case 0xc5: case 0xda: return (head_t){H_BYTES, 2, 0, 0};
    case 0xc6: case 0xdb: return (head_t){H_BYTES, 4, 0, 0};
    case 0xc7: return (head_t){H_BYTES, 1, 1, 0};
    case 0xc8: return (head_t){H_BYTES, 2, 1, 0};
    case 0xc9: return (head_t){H_BYTES, 4, 1, 0};
    case 0xcc: case 0xd0: return (head_t){H_SKIP, 0, 1, 0};
    case 0xcd: case 0xd1: return (head_t){H_SKIP, 0, 2, 0};
    case 0xca: case 0xce: case 0xd2: return (head_t){H_SKIP, 0, 4, 0};
    case 0xcb: case 0xcf: case 0xd3: return (head_t){H_SKIP, 0, 8, 0};
    case 0xd4: return (head_t){H_SKIP, 0, 2, 0};
    case 0xd5: return (head_t){H_SKIP, 0, 3, 0};
    case 0xd6: return (head_t){H_SKIP, 0, 5, 0};
    case 0xd7: return (head_t){H_SKIP, 0, 9, 0};
    case 0xd8: return (head_t){H_SKIP, 0, 17, 0};
    case 0xdc: return (head_t){H_ARRAY, 2, 0, 0};
    case 0xdd: return (head_t){H_ARRAY, 4, 0, 0};
    case 0xde: return (head_t){H_MAP, 2, 0, 0};
    case 0xdf: return (head_t){H_MAP, 4, 0, 0};
    default: return (head_t){H_BAD, 0, 0, 0}; /* 0xc1: never used */
    }
}

/* One pass over the items checking every length and count against the bytes
 * that remain, so that a corrupt header cannot make msgpack-c allocate room
 * for billions of elements. Nesting needs no tracking: an element takes at
 * least one byte, so a container of n items (2n for a map) needs n bytes. */
static bool headers_plausible(const unsigned char *p, size_t len) {
    size_t i = 0;
    while (i < len) {
        head_t h = classify(p[i++]);
        if (h.kind == H_BAD || h.field > len - i) return false;
        uint64_t n = h.field ? read_be(p + i, h.field) : h.count;
        i += h.field;
        uint64_t left = len - i;
        if (h.kind == H_ARRAY && n > left) return false;
        if (h.kind == H_MAP && n > left / 2) return false;
        if (h.kind == H_BYTES || h.kind == H_SKIP) {
            uint64_t skip = (h.kind == H_BYTES ? n : 0) + h.extra;
            if (skip > left) return false;
            i += (size_t)skip;
        }
    }
    return true;
}

static json_t *from_msgpack(const msgpack_object *o, const char **err);

static json_t *dec_fail(json_t *partial, const char **err, const char *why) {
    json_decref(partial);
    *err = why;
    return NULL;
}

/* A decoded one-key map whose key is a tag key gets Flask's " di" wrapper, so
 * that it is not mistaken for a tagged value. Takes obj's reference. */
static json_t *wrap_tag_like(json_t *obj) {
    const char *key = tag_of(obj);
    if (!key) return obj;
    char suffixed[8]; /* tag keys have at most 3 characters */
    snprintf(suffixed, sizeof suffixed, "%s__", key);
    json_t *out = json_pack("{s:{s:O}}", " di", suffixed, json_object_get(obj, key));
    json_decref(obj);
    return out;
}

static json_t *from_map(const msgpack_object_map *m, const char **err) {
    json_t *obj = json_object();
    for (uint32_t i = 0; i < m->size; i++) {
        const msgpack_object *k = &m->ptr[i].key;
        if (k->type != MSGPACK_OBJECT_STR) return dec_fail(obj, err, "map key is not a string");
        if (memchr(k->via.str.ptr, '\0', k->via.str.size)) return dec_fail(obj, err, "map key contains NUL");
        json_t *val = from_msgpack(&m->ptr[i].val, err);
        if (!val) return dec_fail(obj, err, *err);
        if (json_object_setn_new(obj, k->via.str.ptr, k->via.str.size, val))
            return dec_fail(obj, err, "map key is not valid UTF-8");
    }
    return wrap_tag_like(obj);
}

static json_t *from_array(const msgpack_object_array *arr, const char **err) {
    json_t *out = json_array();
    for (uint32_t i = 0; i < arr->size; i++) {
        json_t *item = from_msgpack(&arr->ptr[i], err);
        if (!item) return dec_fail(out, err, *err);
        json_array_append_new(out, item);
    }
    return out;
}

static json_t *from_bin(const msgpack_object_bin *b) {
    size_t cap = b64_encoded_len(B64_STD, b->size) + 1;
    char *text = xmalloc(cap);
    size_t n = b64_encode(B64_STD, b->ptr, b->size, text, cap);
    json_t *out = json_pack("{s:s%}", " b", text, n);
    free(text);
    return out;
}

static json_t *from_msgpack(const msgpack_object *o, const char **err) {
    json_t *v = NULL;
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return json_null();
    case MSGPACK_OBJECT_BOOLEAN:
        return json_boolean(o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        if (o->via.u64 > (uint64_t)INT64_MAX) return dec_fail(NULL, err, "integer out of range");
        return json_integer((json_int_t)o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return json_integer((json_int_t)o->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        v = json_real(o->via.f64); /* NULL for NaN and infinities */
        return v ? v : dec_fail(NULL, err, "non-finite float");
    case MSGPACK_OBJECT_STR:
        v = json_stringn(o->via.str.ptr, o->via.str.size);
        return v ? v : dec_fail(NULL, err, "string is not valid UTF-8");
    case MSGPACK_OBJECT_BIN:
        return from_bin(&o->via.bin);
    case MSGPACK_OBJECT_ARRAY:
        return from_array(&o->via.array, err);
    case MSGPACK_OBJECT_MAP:
        return from_map(&o->via.map, err);
    default:
        return dec_fail(NULL, err, "extension types are not supported");
    }
}

json_t *msgpack_json_decode(const void *data, size_t len, const char **err) {
    const char *why = NULL;
    json_t *out = NULL;
    if (len == 0) why = "empty input";
    else if (!headers_plausible(data, len)) why = "truncated or malformed data";
    if (why) {
        if (err) *err = why;
        return NULL;
    }
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    size_t off = 0;
    msgpack_unpack_return r = msgpack_unpack_next(&u, data, len, &off);
    if (r != MSGPACK_UNPACK_SUCCESS) why = r == MSGPACK_UNPACK_NOMEM_ERROR ? "nested too deeply" : "malformed data";
    else if (off != len) why = "trailing bytes";
    else out = from_msgpack(&u.data, &why);
    msgpack_unpacked_destroy(&u);
    if (!out && err) *err = why;
    return out;
}
