/* FastCGI wire format: record framing, name-value pairs, and record writers.
 * Pure functions over byte buffers (no I/O) so they can be tested alone.
 * Protocol constants come from libfcgi's <fastcgi.h>. */
#ifndef LITESET_FCGI_PROTO_H
#define LITESET_FCGI_PROTO_H

#include <fastcgi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/strbuf.h"

/* Largest content a single record can carry; streams are split at a multiple
 * of 8 so records need no padding. */
#define FCGI_CHUNK 65528

typedef struct fcgi_record {
    uint8_t type;
    uint16_t request_id;
    const uint8_t *content; /* points into the parsed buffer */
    uint16_t content_len;
} fcgi_record_t;

typedef enum {
    FCGI_PARSE_NEED_MORE = 0,
    FCGI_PARSE_ERROR = -1, /* not FastCGI: the connection must be closed */
} fcgi_parse_status_t;

/* Parses one record at the start of buf. Returns the bytes it spans (header,
 * content and padding) when complete, FCGI_PARSE_NEED_MORE when buf holds
 * only part of it, or FCGI_PARSE_ERROR on a wrong version. */
ssize_t fcgi_record_parse(const uint8_t *buf, size_t len, fcgi_record_t *rec);

/* Calls cb for every name-value pair of a complete params stream. Stops and
 * returns false on a malformed stream or when cb returns false. */
typedef bool (*fcgi_nv_cb)(void *ud, const char *name, size_t nlen, const char *val, size_t vlen);
bool fcgi_nv_parse(const uint8_t *buf, size_t len, fcgi_nv_cb cb, void *ud);
void fcgi_nv_append(strbuf_t *out, const char *name, size_t nlen, const char *val, size_t vlen);

/* Writers append encoded records to out. */
void fcgi_write_record(strbuf_t *out, uint8_t type, uint16_t request_id, const void *content, size_t len);
/* Splits data into as many records as needed (none when len == 0). */
void fcgi_write_stream(strbuf_t *out, uint8_t type, uint16_t request_id, const void *data, size_t len);
void fcgi_write_end_request(strbuf_t *out, uint16_t request_id, uint32_t app_status, uint8_t protocol_status);
void fcgi_write_unknown_type(strbuf_t *out, uint8_t type);

#endif
