/* Client-side helpers for integration tests: the stack's coordinates from the
 * environment set by scripts/run-tests.sh, a small blocking HTTP/1.1 client
 * that talks to nginx as a browser would, and a raw FastCGI client for
 * protocol-level tests against the pool's socket. */
#ifndef LITESET_TEST_HARNESS_H
#define LITESET_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns the variable or skips the test when the stack is not running. */
const char *harness_env(const char *name);
double harness_now(void); /* monotonic seconds */
/* The whole file, NUL-terminated (malloc'd; the test fails if unreadable). */
char *harness_read_file(const char *path, size_t *len);

typedef struct http_header {
    char *name;
    char *value;
} http_header_t;

typedef struct http_response {
    int status;
    char *reason;
    http_header_t headers[64];
    int nheaders;
    char *body;   /* NUL-terminated */
    size_t body_len;
    double elapsed; /* seconds */
} http_response_t;

/* Sends one request to the stack's nginx (LITESET_TEST_URL). extra_headers is
 * a NULL-terminated list of "Name: value" strings (may be NULL). Returns NULL
 * on a transport failure. Free with http_free. */
http_response_t *http_request(const char *method, const char *path, const char *const *extra_headers,
                              const char *body, size_t body_len);
http_response_t *http_get(const char *path);
void http_free(http_response_t *r);
const char *http_header(const http_response_t *r, const char *name); /* first match */
int http_header_count(const http_response_t *r, const char *name);
int http_header_index(const http_response_t *r, const char *name);

/* Raw FastCGI. */
int fcgi_connect(void); /* to LITESET_TEST_FCGI_PORT; -1 on failure */
int fcgi_connect_unix(const char *path);
void fcgi_send_all(int fd, const void *buf, size_t len);
/* Appends a BEGIN_REQUEST, PARAMS (name/value pairs, NULL-terminated list
 * alternating names and values) and the end of params to out. */
typedef struct strbuf strbuf_t;
void fcgi_build_request(strbuf_t *out, uint16_t id, bool keep_conn, const char *const *nv);
void fcgi_build_stdin(strbuf_t *out, uint16_t id, const void *body, size_t len); /* + empty STDIN */

typedef struct fcgi_reply {
    uint16_t id;
    char *stdout_data; /* concatenated FCGI_STDOUT */
    size_t stdout_len;
    int stdout_records;
    bool ended;
    uint8_t protocol_status;
} fcgi_reply_t;

/* Reads records until every id in ids[0..n) got END_REQUEST, or timeout
 * (seconds), or EOF. Returns the number of ended requests; replies[i] match
 * ids[i]. Sets *eof when the server closed the connection. */
int fcgi_read_replies(int fd, const uint16_t *ids, fcgi_reply_t *replies, int n, double timeout, bool *eof);
/* Reads one management record of the given type (e.g. GET_VALUES_RESULT). */
bool fcgi_read_record(int fd, uint8_t *type, uint16_t *id, strbuf_t *content, double timeout);
void fcgi_reply_free(fcgi_reply_t *r);

/* Runs the stack script with the given action (e.g. "pg-restart"); returns its exit code. */
int harness_stack(const char *action);

#endif
