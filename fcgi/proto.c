/* FastCGI record framing and name-value pair coding; see proto.h. */
#include "fcgi/proto.h"

#include <string.h>

ssize_t fcgi_record_parse(const uint8_t *buf, size_t len, fcgi_record_t *rec) {
    if (len < FCGI_HEADER_LEN) {
        /* A wrong version is detectable from the first byte: fail fast on garbage. */
        if (len >= 1 && buf[0] != FCGI_VERSION_1) return FCGI_PARSE_ERROR;
        return FCGI_PARSE_NEED_MORE;
    }
    const FCGI_Header *h = (const FCGI_Header *)buf;
    if (h->version != FCGI_VERSION_1) return FCGI_PARSE_ERROR;
    size_t clen = ((size_t)h->contentLengthB1 << 8) | h->contentLengthB0;
    size_t total = FCGI_HEADER_LEN + clen + h->paddingLength;
    if (len < total) return FCGI_PARSE_NEED_MORE;
    rec->type = h->type;
    rec->request_id = (uint16_t)((h->requestIdB1 << 8) | h->requestIdB0);
    rec->content = buf + FCGI_HEADER_LEN;
    rec->content_len = (uint16_t)clen;
    return (ssize_t)total;
}

/* Lengths are 1 byte (< 128) or 4 bytes with the high bit set. */
static bool read_len(const uint8_t **p, const uint8_t *end, size_t *out) {
    if (*p >= end) return false;
    if (!(**p & 0x80)) {
        *out = *(*p)++;
        return true;
    }
    if (end - *p < 4) return false;
    const uint8_t *b = *p;
    *out = ((size_t)(b[0] & 0x7f) << 24) | ((size_t)b[1] << 16) | ((size_t)b[2] << 8) | b[3];
    *p += 4;
    return true;
}

bool fcgi_nv_parse(const uint8_t *buf, size_t len, fcgi_nv_cb cb, void *ud) {
    const uint8_t *p = buf, *end = buf + len;
    while (p < end) {
        size_t nlen, vlen;
        if (!read_len(&p, end, &nlen) || !read_len(&p, end, &vlen)) return false;
        if (nlen > (size_t)(end - p) || vlen > (size_t)(end - p) - nlen) return false;
        if (!cb(ud, (const char *)p, nlen, (const char *)p + nlen, vlen)) return false;
        p += nlen + vlen;
    }
    return true;
}

static void put_len(strbuf_t *out, size_t n) {
    if (n < 128) {
        uint8_t b = (uint8_t)n;
        strbuf_append(out, &b, 1);
        return;
    }
    uint8_t b[4] = {(uint8_t)(0x80 | ((n >> 24) & 0x7f)), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
    strbuf_append(out, b, 4);
}

void fcgi_nv_append(strbuf_t *out, const char *name, size_t nlen, const char *val, size_t vlen) {
    put_len(out, nlen);
    put_len(out, vlen);
    strbuf_append(out, name, nlen);
    strbuf_append(out, val, vlen);
}

void fcgi_write_record(strbuf_t *out, uint8_t type, uint16_t request_id, const void *content, size_t len) {
    uint8_t pad = (uint8_t)((8 - (len & 7)) & 7);
    FCGI_Header h = {
        .version = FCGI_VERSION_1,
        .type = type,
        .requestIdB1 = (unsigned char)(request_id >> 8),
        .requestIdB0 = (unsigned char)request_id,
        .contentLengthB1 = (unsigned char)(len >> 8),
        .contentLengthB0 = (unsigned char)len,
        .paddingLength = pad,
        .reserved = 0,
    };
    static const uint8_t zeros[8];
    strbuf_append(out, &h, sizeof h);
    strbuf_append(out, content, len);
    strbuf_append(out, zeros, pad);
}

void fcgi_write_stream(strbuf_t *out, uint8_t type, uint16_t request_id, const void *data, size_t len) {
    const uint8_t *p = data;
    while (len > 0) {
        size_t n = len > FCGI_CHUNK ? FCGI_CHUNK : len;
        fcgi_write_record(out, type, request_id, p, n);
        p += n;
        len -= n;
    }
}

void fcgi_write_end_request(strbuf_t *out, uint16_t request_id, uint32_t app_status, uint8_t protocol_status) {
    FCGI_EndRequestBody b = {
        .appStatusB3 = (unsigned char)(app_status >> 24),
        .appStatusB2 = (unsigned char)(app_status >> 16),
        .appStatusB1 = (unsigned char)(app_status >> 8),
        .appStatusB0 = (unsigned char)app_status,
        .protocolStatus = protocol_status,
    };
    fcgi_write_record(out, FCGI_END_REQUEST, request_id, &b, sizeof b);
}

void fcgi_write_unknown_type(strbuf_t *out, uint8_t type) {
    FCGI_UnknownTypeBody b = {.type = type};
    fcgi_write_record(out, FCGI_UNKNOWN_TYPE, FCGI_NULL_REQUEST_ID, &b, sizeof b);
}
